/**
 * Istio's Egress Gateways task (istio.io tasks/traffic-management/egress/egress-gateway), HTTP
 * traffic: a Gateway `istio-egressgateway` on the egress gateway's port 80 for edition.cnn.com, a
 * DestinationRule for the gateway's own host with a subset `cnn` (no labels: every gateway pod), and
 * a VirtualService bound to the sidecars (`mesh`) and to the Gateway: from the sidecars, port 80
 * goes to the egress gateway's subset cnn; at the gateway, port 80 goes to edition.cnn.com. The
 * request leaves the mesh through the gateway. FIDELITY E1.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { run } from '../helpers/sim.ts';
import { formatProblem, parseScenario } from '../../src/scenario/index.ts';

const GATEWAY_HOST = 'istio-egressgateway.istio-system.svc.cluster.local';
const serviceEntry = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'ServiceEntry',
  metadata: { name: 'cnn' },
  spec: {
    hosts: ['edition.cnn.com'],
    ports: [
      { number: 80, name: 'http-port', protocol: 'HTTP' },
      { number: 443, name: 'https', protocol: 'HTTPS' },
    ],
    resolution: 'DNS',
  },
};
const gateway = (port = 80) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'Gateway',
  metadata: { name: 'istio-egressgateway' },
  spec: { selector: { istio: 'egressgateway' }, servers: [{ port: { number: port, name: 'http', protocol: 'HTTP' }, hosts: ['edition.cnn.com'] }] },
});
const destinationRule = (spec: Record<string, unknown> = {}) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'egressgateway-for-cnn' },
  spec: { host: GATEWAY_HOST, subsets: [{ name: 'cnn' }], ...spec },
});
const virtualService = (gatewayPort = 80) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'direct-cnn-through-egress-gateway' },
  spec: {
    hosts: ['edition.cnn.com'],
    gateways: ['istio-egressgateway', 'mesh'],
    http: [
      { match: [{ gateways: ['mesh'], port: 80 }], route: [{ destination: { host: GATEWAY_HOST, subset: 'cnn', port: { number: 80 } }, weight: 100 }] },
      {
        match: [{ gateways: ['istio-egressgateway'], port: gatewayPort }],
        route: [{ destination: { host: 'edition.cnn.com', port: { number: 80 } }, weight: 100 }],
      },
    ],
  },
});
const TASK = [serviceEntry, gateway(), destinationRule(), virtualService()];
const scenario = (istio: unknown[]) => ({
  duration: '2s',
  services: [{ name: 'curl' }],
  external: [
    { host: 'edition.cnn.com', protocol: 'http', status: 301 },
    { host: 'edition.cnn.com', protocol: 'https' },
  ],
  traffic: [{ from: 'curl', to: 'edition.cnn.com', port: 80, at: '100ms', path: '/politics' }],
  istio,
});
const hops = (r: ReturnType<typeof run>) =>
  r
    .flights('http-request')
    .filter((f) => f.requestId === r.report.requests[0]!.id)
    .map((f) => `${f.from} -> ${f.to}`);
const problems = (istio: unknown[]): string[] => {
  const r = parseScenario(stringify({ id: 't', title: 't', ...scenario(istio) }), 'p.yaml');
  return r.ok ? ['ok'] : r.problems.map((p) => formatProblem(p).replace(/^p\.yaml:\d+:\d+: /, ''));
};

describe('Istio Egress Gateways task: HTTP traffic for edition.cnn.com through the egress gateway', () => {
  it('the task YAML loads', () => {
    expect(problems(TASK)).toEqual(['ok']);
  });

  it('FIDELITY E1: the sidecar sends port 80 to the egress gateway, subset cnn; the gateway matches port 80 and sends to edition.cnn.com', () => {
    const r = run(scenario(TASK), 'istio');
    expect(r.report.requests.map((q) => q.status)).toEqual([301]);
    expect(hops(r)).toEqual([
      'curl-0/app -> curl-0/proxy',
      'curl-0/proxy -> istio-egressgateway-0/gateway',
      'istio-egressgateway-0/gateway -> ext:edition.cnn.com',
    ]);
    const routes = r.decisions('route').map((d) => `${d.node}: ${d.summary}`);
    expect(routes).toContainEqual(expect.stringMatching(/^curl-0\/proxy: .*→ istio-egressgateway\/cnn by rule http\[0\]/));
    expect(routes).toContainEqual(expect.stringMatching(/^istio-egressgateway-0\/gateway: .*→ edition\.cnn\.com by rule http\[1\]/));
  });

  it("at the gateway a match's port is the Gateway listener's, not the port the app addressed: a listener on 8080 and a match on 8080 still forward", () => {
    const r = run(scenario([serviceEntry, gateway(8080), destinationRule(), virtualService(8080)]), 'istio');
    expect(r.report.requests.map((q) => q.status)).toEqual([301]);
    expect(hops(r)[2]).toBe('istio-egressgateway-0/gateway -> ext:edition.cnn.com');
  });

  it("the DestinationRule's tls applies toward the gateway: DISABLE sends plaintext, the default (auto mTLS) and ISTIO_MUTUAL send mTLS", () => {
    const mtlsToGateway = (istio: unknown[]) => {
      const r = run(scenario(istio), 'istio');
      const f = r.flights('http-request').find((x) => x.requestId === r.report.requests[0]!.id && x.to === 'istio-egressgateway-0/gateway')!;
      return f.mtls;
    };
    expect(mtlsToGateway(TASK)).toBe(true);
    expect(mtlsToGateway([serviceEntry, gateway(), destinationRule({ trafficPolicy: { tls: { mode: 'DISABLE' } } }), virtualService()])).toBe(false);
    expect(mtlsToGateway([serviceEntry, gateway(), destinationRule({ trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } }), virtualService()])).toBe(true);
  });

  it('located errors: settings toward the gateway mesh-sim does not simulate, an unknown subset, a gateway port match no Gateway listens on', () => {
    const dr = (spec: Record<string, unknown>) => [serviceEntry, gateway(), destinationRule(spec), virtualService()];
    expect(problems(dr({ trafficPolicy: { connectionPool: { tcp: { maxConnections: 1 } } } }))).toEqual([
      'istio[2].spec.trafficPolicy.connectionPool is not simulated toward the egress gateway: only subsets without labels and trafficPolicy.tls are',
    ]);
    expect(problems(dr({ subsets: [{ name: 'cnn', labels: { version: 'v1' } }] }))).toEqual([
      'istio[2].spec.subsets[0].labels is not simulated toward the egress gateway (its pods have no versions): only subsets without labels and trafficPolicy.tls are',
    ]);
    expect(problems(dr({ subsets: [{ name: 'cnn', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } }] }))).toEqual([
      "istio[2].spec.subsets[0].trafficPolicy is not simulated toward the egress gateway (a subset's own policy; set it on the rule's trafficPolicy): only subsets without labels and trafficPolicy.tls are",
    ]);
    expect(problems(dr({ trafficPolicy: { tls: { mode: 'SIMPLE' } } }))).toEqual([
      'istio[2].spec.trafficPolicy.tls.mode SIMPLE toward the egress gateway is not simulated: use ISTIO_MUTUAL or DISABLE',
    ]);
    expect(problems(dr({ subsets: [{ name: 'other' }] }))).toEqual([
      'istio[3].spec.http[0].route[0].destination.subset names subset "cnn" that no DestinationRule for "istio-egressgateway.istio-system.svc.cluster.local" defines',
    ]);
    expect(problems([serviceEntry, gateway(), destinationRule(), virtualService(8080)])).toEqual([
      'istio[3].spec.http[1].match[0].port 8080 is not a port Gateway "istio-egressgateway" serves these hosts on (it listens on 80)',
    ]);
  });
});

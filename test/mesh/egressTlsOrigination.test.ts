/**
 * Istio's Egress TLS Origination task (istio.io tasks/traffic-management/egress/
 * egress-tls-origination): the app sends plain HTTP to edition.cnn.com, which answers 301 on port
 * 80 (go to https); with a ServiceEntry whose port 80 has `targetPort: 443` and a DestinationRule
 * whose `portLevelSettings` for port 80 set `tls: { mode: SIMPLE }`, the client's sidecar opens
 * TLS to port 443 and the same plain-HTTP curl gets 200. The task's older form routed port 80 to
 * 443 with a VirtualService destination port and originated TLS on 443. FIDELITY E1.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { run } from '../helpers/sim.ts';
import { formatProblem, parseScenario } from '../../src/scenario/index.ts';

const CNN = [
  { host: 'edition.cnn.com', protocol: 'http', status: 301 },
  { host: 'edition.cnn.com', protocol: 'https' },
];
const serviceEntry = (targetPort?: number) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'ServiceEntry',
  metadata: { name: 'edition-cnn-com' },
  spec: {
    hosts: ['edition.cnn.com'],
    ports: [
      { number: 80, name: 'http-port', protocol: 'HTTP', ...(targetPort ? { targetPort } : {}) },
      { number: 443, name: 'https-port', protocol: 'HTTPS' },
    ],
    resolution: 'DNS',
  },
});
const originate = (port: number) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'edition-cnn-com' },
  spec: { host: 'edition.cnn.com', trafficPolicy: { portLevelSettings: [{ port: { number: port }, tls: { mode: 'SIMPLE' } }] } },
});
const curl = (istio: unknown[]) =>
  run(
    {
      duration: '2s',
      services: [{ name: 'curl' }],
      external: CNN,
      traffic: [
        { from: 'curl', to: 'edition.cnn.com', port: 80, at: '100ms', path: '/politics' },
        { from: 'curl', to: 'edition.cnn.com', port: 443, at: '300ms', path: '/politics' },
      ],
      istio,
    },
    'istio',
  );
const statuses = (r: ReturnType<typeof curl>) => r.report.requests.map((q) => q.status);
/** Whether each request left the sidecar for the host inside TLS. */
const tlsOut = (r: ReturnType<typeof curl>) =>
  r
    .flights('http-request')
    .filter((f) => f.to === 'ext:edition.cnn.com')
    .map((f) => (f.detail as { tls?: boolean }).tls);

describe('Egress TLS Origination task', () => {
  it('before: http://edition.cnn.com/politics answers 301, https 200', () => {
    expect(statuses(curl([serviceEntry()]))).toEqual([301, 200]);
  });

  it('FIDELITY E1: targetPort 443 and portLevelSettings tls SIMPLE on port 80 — plain HTTP from the app gets 200, TLS on the wire', () => {
    const r = curl([serviceEntry(443), originate(80)]);
    expect(statuses(r)).toEqual([200, 200]);
    expect(tlsOut(r)).toEqual([true, true]);
    const egress = r.decisions('egress').map((d) => `${d.summary} [${d.cause.config ?? ''}]`);
    expect(egress[0]).toContain('the sidecar originates TLS to port 443 (targetPort)');
    expect(egress[0]).toContain('.spec.trafficPolicy.portLevelSettings[0].tls.mode SIMPLE');
  });

  it("the task's older form: a VirtualService sends port 80 to 443, where the DestinationRule originates TLS", () => {
    const vs = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'rewrite-port-for-edition-cnn-com' },
      spec: {
        hosts: ['edition.cnn.com'],
        http: [{ match: [{ port: 80 }], route: [{ destination: { host: 'edition.cnn.com', port: { number: 443 } } }] }],
      },
    };
    // The app's plain HTTP to port 80 (the https request is the TLS-in-TLS case below).
    expect(statuses(curl([serviceEntry(), vs, originate(443)]))[0]).toBe(200);
    // Without the DestinationRule plain HTTP reaches the TLS port: the host closes it, the sidecar answers 503.
    const r = curl([serviceEntry(), vs]);
    expect(statuses(r)).toEqual([503, 200]);
    expect(r.report.requests[0]!.reason).toContain('speaks TLS');
  });

  it('a DestinationRule needs the host in the registry: without the ServiceEntry nothing is originated (301 as before)', () => {
    expect(statuses(curl([originate(80)]))).toEqual([301, 200]);
  });

  it('SIMPLE on the port the app already speaks TLS to wraps TLS in TLS: the host closes the connection', () => {
    const r = curl([serviceEntry(), originate(443)]);
    expect(statuses(r)).toEqual([301, 503]);
  });

  it('located errors: SIMPLE toward a service, other settings for an external host, a route to a port the host lacks', () => {
    const problems = (istio: unknown[], services: unknown[] = [{ name: 'curl' }]): string[] => {
      const r = parseScenario(stringify({ id: 't', title: 't', duration: '1s', services, external: CNN, istio }), 'p.yaml');
      return r.ok ? ['ok'] : r.problems.map((p) => formatProblem(p).replace(/^p\.yaml:\d+:\d+: /, ''));
    };
    const toService = { ...originate(80), spec: { host: 'curl', trafficPolicy: { tls: { mode: 'SIMPLE' } } } };
    expect(problems([toService])).toEqual([
      'istio[0].spec.trafficPolicy.tls.mode SIMPLE (TLS with your own certificates) is simulated only toward an external host (TLS origination); toward a service use ISTIO_MUTUAL or DISABLE',
    ]);
    const pool = { ...originate(80), spec: { host: 'edition.cnn.com', trafficPolicy: { connectionPool: { tcp: { maxConnections: 1 } } } } };
    expect(problems([pool])).toEqual([
      'istio[0].spec.trafficPolicy.connectionPool is not simulated for an external host: only tls (TLS origination, SIMPLE or DISABLE) is',
    ]);
    const vs = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'v' },
      spec: { hosts: ['edition.cnn.com'], http: [{ route: [{ destination: { host: 'edition.cnn.com', port: { number: 8443 } } }] }] },
    };
    expect(problems([vs])).toEqual([
      'istio[0].spec.http[0].route[0].destination.port.number 8443 is not a port of external host "edition.cnn.com" (it listens on 80, 443)',
    ]);
  });
});

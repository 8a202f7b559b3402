/**
 * Linkerd Server ports by name and `proxyProtocol` (FIDELITY A7). The Restricting Access To Services
 * task (linkerd.io/2.11/tasks/restricting-access) writes its Server as `port: voting-grpc` with
 * `proxyProtocol: gRPC`: the name is the voting pod's container port (linkerd2 policy-controller
 * resolves it through each pod's container ports). `opaque` makes the inbound proxy handle the port
 * as TCP (linkerd2-proxy app/inbound/src/detect.rs: the forward stack, authorized by
 * `policy::NewTcpPolicy` once per connection), so a denied client's connection is closed instead
 * of answered 403; the client's own proxy still routes and retries HTTP (the endpoint only loses
 * the HTTP/2 upgrade, app/outbound/src/http/concrete.rs).
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { run } from '../helpers/sim.ts';
import { parseScenario, formatProblem } from '../../src/scenario/index.ts';

const NS = 'emojivoto';
const SERVICES = [
  { name: 'web', namespace: NS },
  { name: 'vote-bot', namespace: NS },
  { name: 'legacy', namespace: NS, meshed: false },
  { name: 'voting', namespace: NS, port: 8080 },
];
const deployment = (ports: { name: string; containerPort: number }[]) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'voting', namespace: NS },
  spec: { template: { spec: { containers: [{ name: 'voting-svc', ports }] } } },
});
const server = (spec: Record<string, unknown> = {}) => ({
  apiVersion: 'policy.linkerd.io/v1beta1',
  kind: 'Server',
  metadata: { name: 'voting-grpc', namespace: NS, labels: { app: 'voting' } },
  spec: { podSelector: { matchLabels: { app: 'voting' } }, port: 'voting-grpc', proxyProtocol: 'gRPC', ...spec },
});
const onlyWeb = {
  apiVersion: 'policy.linkerd.io/v1beta1',
  kind: 'ServerAuthorization',
  metadata: { name: 'voting-grpc', namespace: NS },
  spec: { server: { name: 'voting-grpc' }, client: { meshTLS: { serviceAccounts: [{ name: 'web' }] } } },
};
const VOTING_PORTS = [{ name: 'voting-grpc', containerPort: 8080 }];

const scenario = (linkerd: unknown[], extra: Record<string, unknown> = {}) => ({
  duration: '2s',
  services: SERVICES,
  traffic: ['web', 'vote-bot', 'legacy'].map((from, i) => ({ from, to: 'voting', at: `${(i + 1) * 100}ms` })),
  linkerd,
  ...extra,
});
const statuses = (linkerd: unknown[]): string[] => run(scenario(linkerd), 'linkerd').report.requests.map((q) => `${q.from.replace(/-0$/, '')} ${q.status}`);

describe('Linkerd task: Restricting Access To Services — a Server port by name (FIDELITY A7)', () => {
  it("FIDELITY A7: port voting-grpc is the pod's container port of that name, so the Server governs 8080", () => {
    expect(statuses([deployment(VOTING_PORTS), server(), onlyWeb])).toEqual(['web 200', 'vote-bot 403', 'legacy 403']);
    // The same name on another port: the Server governs 9090, and 8080 keeps the default policy (all-unauthenticated).
    const elsewhere = [deployment([{ name: 'voting-grpc', containerPort: 9090 }]), server(), onlyWeb];
    const r = parseScenario(stringify({ id: 't', title: 't', ...scenario(elsewhere) }), 's.yaml');
    expect(r.ok ? [] : r.problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^s\.yaml:\d+:\d+: .*spec\.port.*selects no port: the selected pods listen on 8080 and their port voting-grpc is 9090/),
    ]);
  });

  it('a port name no Deployment of the selected pods declares is a located error naming the declared ones', () => {
    const problems = (linkerd: unknown[]): string[] => {
      const r = parseScenario(stringify({ id: 't', title: 't', ...scenario(linkerd) }), 's.yaml');
      return r.ok ? ['ok'] : r.problems.map(formatProblem);
    };
    expect(problems([deployment([{ name: 'grpc', containerPort: 8080 }]), server()])).toEqual([
      expect.stringMatching(/^s\.yaml:\d+:\d+: .*names no container port of the selected pods \(their Deployments name grpc\)/),
    ]);
    expect(problems([server()])[0]).toMatch(/no Deployment of the selected pods \(voting\) declares named ports/);
    expect(problems([deployment(VOTING_PORTS), server({ proxyProtocol: 'HTTP/3' })])[0]).toMatch(
      /proxyProtocol.*must be unknown, HTTP\/1, HTTP\/2, gRPC, opaque, TLS \(got "HTTP\/3"\)/,
    );
    expect(problems([deployment(VOTING_PORTS), server({ port: 'Voting_GRPC' })])[0]).toMatch(/^s\.yaml:\d+:\d+: .*port/);
  });
});

describe('Linkerd Server proxyProtocol (FIDELITY A7)', () => {
  it('FIDELITY A7: HTTP/1, HTTP/2, gRPC and unknown decide per request (403); opaque decides per connection and closes it', () => {
    for (const proxyProtocol of ['unknown', 'HTTP/1', 'HTTP/2', 'gRPC'])
      expect(statuses([deployment(VOTING_PORTS), server({ proxyProtocol }), onlyWeb])).toEqual(['web 200', 'vote-bot 403', 'legacy 403']);
    const r = run(scenario([deployment(VOTING_PORTS), server({ proxyProtocol: 'opaque' }), onlyWeb]), 'linkerd');
    // No HTTP answer from the server side: vote-bot's own proxy answers its app 502 for the closed
    // connection (Linkerd's local reply, FIDELITY A7), the unmeshed legacy client sees the bare reset.
    expect(r.report.requests.map((q) => `${q.from.replace(/-0$/, '')} ${q.status}`)).toEqual(['web 200', 'vote-bot 502', 'legacy 0']);
    const denies = r.decisions('deny');
    expect(denies.map((d) => d.summary)).toEqual([expect.stringContaining('opaque'), expect.stringContaining('opaque')]);
  });

  it("FIDELITY A7: opaque is the server's side only — the client's proxy still retries HTTP by the Service's annotations", () => {
    const flaky = (proxyProtocol: string) =>
      run(
        {
          duration: '2s',
          services: [{ name: 'web', namespace: NS }, SERVICES[3]],
          traffic: [{ from: 'web', to: 'voting', count: 20 }],
          faults: [{ service: 'voting', errors: { status: 503, rate: '50%' } }],
          linkerd: [
            deployment(VOTING_PORTS),
            server({ proxyProtocol }),
            onlyWeb,
            { apiVersion: 'v1', kind: 'Service', metadata: { name: 'voting', namespace: NS, annotations: { 'retry.linkerd.io/http': '5xx' } } },
          ],
        },
        'linkerd',
        7,
      ).report.summary.retries;
    expect(flaky('opaque')).toBeGreaterThan(0);
    expect(flaky('opaque')).toBe(flaky('gRPC'));
  });
});

describe('Linkerd config.linkerd.io/opaque-ports (FIDELITY A7)', () => {
  const problems = (linkerd: unknown[]): string[] => {
    const r = parseScenario(stringify({ id: 't', title: 't', ...scenario(linkerd) }), 's.yaml');
    return r.ok ? ['ok'] : r.problems.map(formatProblem);
  };
  const annotations = { 'config.linkerd.io/opaque-ports': '8080' };

  it('on the client (its Namespace or its pods) it is refused at the annotation: it belongs on the destination, not the source (linkerd.io 2.16 protocol detection)', () => {
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS, annotations } };
    expect(problems([namespace])).toEqual([
      expect.stringMatching(
        /^s\.yaml:\d+:\d+: linkerd\[0\]\.metadata\.annotations\["config\.linkerd\.io\/opaque-ports"\] is not simulated: on a Namespace it marks the inbound ports of its own pods opaque — it belongs on the destination, not the source, .*a Server with proxyProtocol: opaque \(FIDELITY A7\)$/,
      ),
    ]);
    const web = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS }, spec: { template: { metadata: { annotations } } } };
    expect(problems([web])).toEqual([
      expect.stringMatching(
        /^s\.yaml:\d+:\d+: .*on a workload it marks the inbound ports of its own pods opaque — it belongs on the destination, not the source/,
      ),
    ]);
  });

  it('on the Service it is refused too: meshed clients would proxy the port as opaque TCP, which mesh-sim does not simulate', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'voting', namespace: NS, annotations } };
    expect(problems([service])).toEqual([
      expect.stringMatching(
        /^s\.yaml:\d+:\d+: .*on a Service it makes meshed clients proxy connections to those ports as opaque TCP .*a Server with proxyProtocol: opaque/,
      ),
    ]);
    // The modelled way, on the destination: a Server with proxyProtocol opaque loads.
    expect(problems([deployment(VOTING_PORTS), server({ proxyProtocol: 'opaque' })])).toEqual(['ok']);
  });
});

/**
 * Linkerd's Restricting Access To Services task as Linkerd 2.11 wrote it
 * (linkerd.io/2.11/tasks/restricting-access): a Server for emojivoto's voting port and a
 * ServerAuthorization (policy.linkerd.io/v1beta1) that lets only the web ServiceAccount in; every
 * other client gets 403 (FIDELITY A7; linkerd2 policy-controller
 * k8s/index/src/inbound/server_authorization.rs). The task's Server names its port (voting-grpc)
 * and sets proxyProtocol: gRPC; here the port is numeric and the traffic HTTP/1, which mesh-sim
 * models.
 */
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/sim.ts';
import { parseScenario, formatProblem } from '../../src/scenario/index.ts';
import { stringify } from 'yaml';

const server = {
  apiVersion: 'policy.linkerd.io/v1beta1',
  kind: 'Server',
  metadata: { name: 'voting-grpc', namespace: 'emojivoto', labels: { app: 'voting' } },
  spec: { podSelector: { matchLabels: { app: 'voting' } }, port: 8080 },
};
const authz = (spec: Record<string, unknown>) => ({
  apiVersion: 'policy.linkerd.io/v1beta1',
  kind: 'ServerAuthorization',
  metadata: { name: 'voting-grpc', namespace: 'emojivoto' },
  spec,
});
const SERVICES = [
  { name: 'web', namespace: 'emojivoto' },
  { name: 'vote-bot', namespace: 'emojivoto' },
  { name: 'legacy', namespace: 'emojivoto', meshed: false },
  { name: 'voting', namespace: 'emojivoto', port: 8080 },
];

/** The status each caller (web, vote-bot, legacy) gets from voting. */
function statuses(linkerd: unknown[]): string[] {
  const r = run(
    {
      duration: '2s',
      services: SERVICES,
      traffic: ['web', 'vote-bot', 'legacy'].map((from, i) => ({ from, to: 'voting', at: `${(i + 1) * 100}ms` })),
      linkerd,
    },
    'linkerd',
  );
  return r.report.requests.map((q) => `${q.from.replace(/-0$/, '')} ${q.status}`);
}

describe('Linkerd task: Restricting Access To Services (ServerAuthorization)', () => {
  it('a Server alone denies every client (accessPolicy deny); the ServerAuthorization lets the web ServiceAccount in', () => {
    expect(statuses([server])).toEqual(['web 403', 'vote-bot 403', 'legacy 403']);
    const onlyWeb = authz({ server: { name: 'voting-grpc' }, client: { meshTLS: { serviceAccounts: [{ name: 'web' }] } } });
    expect(statuses([server, onlyWeb])).toEqual(['web 200', 'vote-bot 403', 'legacy 403']);
  });

  it('meshTLS identities and unauthenticatedTLS; unauthenticated lets unmeshed clients in too', () => {
    const byIdentity = authz({
      server: { name: 'voting-grpc' },
      client: { meshTLS: { identities: ['vote-bot.emojivoto.serviceaccount.identity.linkerd.cluster.local'] } },
    });
    expect(statuses([server, byIdentity])).toEqual(['web 403', 'vote-bot 200', 'legacy 403']);
    const anyMeshed = authz({ server: { name: 'voting-grpc' }, client: { meshTLS: { unauthenticatedTLS: true } } });
    expect(statuses([server, anyMeshed])).toEqual(['web 200', 'vote-bot 200', 'legacy 403']);
    const anyone = authz({ server: { name: 'voting-grpc' }, client: { unauthenticated: true } });
    expect(statuses([server, anyone])).toEqual(['web 200', 'vote-bot 200', 'legacy 200']);
  });

  it("selects Servers by their labels, and only clients in its networks (unset: the cluster's)", () => {
    const bySelector = authz({ server: { selector: { matchLabels: { app: 'voting' } } }, client: { meshTLS: { serviceAccounts: [{ name: 'web' }] } } });
    expect(statuses([server, bySelector])).toEqual(['web 200', 'vote-bot 403', 'legacy 403']);
    const otherLabel = authz({ server: { selector: { matchLabels: { app: 'web' } } }, client: { unauthenticated: true } });
    expect(statuses([server, otherLabel])).toEqual(['web 403', 'vote-bot 403', 'legacy 403']);
    // Pods are in 10.244.0.0/16: a network elsewhere admits none of them.
    const elsewhere = authz({ server: { name: 'voting-grpc' }, client: { unauthenticated: true, networks: [{ cidr: '192.168.0.0/16' }] } });
    expect(statuses([server, elsewhere])).toEqual(['web 403', 'vote-bot 403', 'legacy 403']);
  });

  it('a ServerAuthorization that admission would refuse, or that names nothing, is a located error', () => {
    const problems = (spec: Record<string, unknown>): string[] => {
      const r = parseScenario(stringify({ id: 't', title: 't', duration: '1s', services: SERVICES, linkerd: [server, authz(spec)] }), 's.yaml');
      return r.ok ? ['ok'] : r.problems.map((p) => formatProblem(p).replace(/^s\.yaml:\d+:\d+: /, ''));
    };
    expect(problems({ server: { name: 'voting-grcp' }, client: { unauthenticated: true } })).toEqual([
      'linkerd[1].spec.server.name names Server "voting-grcp" that namespace emojivoto does not declare (did you mean "voting-grpc"?)',
    ]);
    expect(problems({ server: { name: 'voting-grpc' }, client: { unauthenticated: true, meshTLS: { serviceAccounts: [{ name: 'web' }] } } })).toEqual([
      'linkerd[1].spec.client.unauthenticated must be false when meshTLS is set (Linkerd admission; got true)',
    ]);
    expect(problems({ server: { name: 'voting-grpc' }, client: {} })).toEqual([
      'linkerd[1].spec.client configures no client authentication: set unauthenticated: true or meshTLS (Linkerd ignores it)',
    ]);
    expect(problems({ server: { name: 'voting-grpc' }, client: { meshTLS: { serviceAccounts: [{ name: 'webb' }] } } })).toEqual([
      'linkerd[1].spec.client.meshTLS.serviceAccounts[0].name names service account "webb" that no service in namespace emojivoto runs as (did you mean "web"?)',
    ]);
  });
});

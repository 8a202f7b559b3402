/**
 * The security resources as a course author writes them: what mesh-sim cannot simulate is an
 * error naming the field, admission rules Istio and Linkerd enforce are enforced, and names
 * that must exist (selected pods, targets, authentications) are checked — each problem located
 * at its line (DESIGN.md "Scenario files"; FIDELITY A5, A7).
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseScenario, formatProblem } from '../../src/scenario/index.ts';

const services = [{ name: 'web' }, { name: 'reviews', port: 9080 }];
function problems(extra: Record<string, unknown>): string[] {
  const r = parseScenario(stringify({ id: 't', title: 't', duration: '5s', services, ...extra }), 't.yaml');
  return r.ok ? [] : r.problems.map(formatProblem);
}
const ap = (spec: Record<string, unknown>, namespace = 'default') => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'AuthorizationPolicy',
  metadata: { name: 'p', namespace },
  spec,
});
const lk = (kind: string, name: string, spec: Record<string, unknown>, apiVersion = 'policy.linkerd.io/v1alpha1') => ({
  apiVersion,
  kind,
  metadata: { name },
  spec,
});

describe('security resources in a scenario file', () => {
  it('FIDELITY A5: accepts the documented allow-nothing, deny-all and allow-all policies and a RequestAuthentication', () => {
    const ra = {
      apiVersion: 'security.istio.io/v1',
      kind: 'RequestAuthentication',
      metadata: { name: 'jwt' },
      spec: { jwtRules: [{ issuer: 'https://a.example.com' }] },
    };
    expect(
      problems({
        istio: [ap({}), { ...ap({ action: 'DENY', rules: [{}] }), metadata: { name: 'd' } }, { ...ap({ rules: [{}] }), metadata: { name: 'a' } }, ra],
      }),
    ).toEqual([]);
  });

  it('FIDELITY A5: a when key mesh-sim cannot evaluate is an error, not ignored as Istio would', () => {
    const out = problems({ istio: [ap({ rules: [{ when: [{ key: 'request.auth.audiences', values: ['x'] }] }] })] });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^t\.yaml:\d+:\d+: istio\[0\]\.spec\.rules\[0\]\.when\[0\]\.key "request\.auth\.audiences" is not supported by mesh-sim/);
  });

  it('FIDELITY A5: CUSTOM needs a provider, and only the sample ext-authz providers are simulated', () => {
    expect(problems({ istio: [ap({ action: 'CUSTOM', rules: [{}] })] })[0]).toContain('spec.provider is required with action CUSTOM');
    expect(problems({ istio: [ap({ action: 'CUSTOM', provider: { name: 'opa' }, rules: [{}] })] })[0]).toContain(
      'sample-ext-authz-http or sample-ext-authz-grpc',
    );
  });

  it('FIDELITY A5: a selector that selects no pod, and a namespace where nothing runs, are reported', () => {
    expect(problems({ istio: [ap({ selector: { matchLabels: { app: 'reveiws' } } })] })[0]).toContain('selects no pod in namespace default');
    expect(problems({ istio: [ap({}, 'shop')] })[0]).toContain('names namespace "shop" where no service runs');
  });

  it('FIDELITY A5: a traffic jwt cannot be combined with an authorization header', () => {
    const traffic = [{ from: 'web', to: 'reviews', at: '1s', headers: { Authorization: 'Bearer x' }, jwt: { issuer: 'i', subject: 's' } }];
    expect(problems({ traffic })[0]).toContain('traffic[0].jwt cannot be combined with an authorization header');
  });

  it('FIDELITY A7: Linkerd admission rules — one MeshTLSAuthentication, not with a ServiceAccount; except inside its cidr', () => {
    const server = lk('Server', 's', { podSelector: { matchLabels: { app: 'reviews' } }, port: 9080 }, 'policy.linkerd.io/v1beta3');
    const two = lk('AuthorizationPolicy', 'a', {
      targetRef: { kind: 'Server', name: 's' },
      requiredAuthenticationRefs: [
        { kind: 'MeshTLSAuthentication', name: 'm' },
        { kind: 'ServiceAccount', name: 'web' },
      ],
    });
    const m = lk('MeshTLSAuthentication', 'm', { identities: ['*'] });
    expect(problems({ linkerd: [server, two, m] })[0]).toContain('a MeshTLSAuthentication and a ServiceAccount may not be set together');
    const net = lk('NetworkAuthentication', 'n', { networks: [{ cidr: '10.0.0.0/16', except: ['10.1.0.0/24'] }] });
    expect(problems({ linkerd: [net] })[0]).toContain('except[0] is not inside cidr 10.0.0.0/16');
  });

  it('FIDELITY A7: targets and authentications must exist; HTTPRoute targets are reported as not simulated', () => {
    const ap1 = lk('AuthorizationPolicy', 'a', {
      targetRef: { kind: 'Server', name: 'nope' },
      requiredAuthenticationRefs: [{ kind: 'MeshTLSAuthentication', name: 'missing' }],
    });
    const out = problems({ linkerd: [ap1] });
    expect(out.some((p) => p.includes('names Server "nope"'))).toBe(true);
    expect(out.some((p) => p.includes('names MeshTLSAuthentication "missing"') && p.includes('Linkerd would ignore this policy'))).toBe(true);
    const route = lk('AuthorizationPolicy', 'r', { targetRef: { kind: 'HTTPRoute', name: 'x' }, requiredAuthenticationRefs: [] });
    expect(problems({ linkerd: [route] })[0]).toContain('HTTPRoute targets are not supported by mesh-sim yet');
  });

  it('FIDELITY A7: a Server must select a pod port, and two Servers may not select the same pods and port', () => {
    const s = (name: string, port: number) => lk('Server', name, { podSelector: { matchLabels: { app: 'reviews' } }, port }, 'policy.linkerd.io/v1beta3');
    expect(problems({ linkerd: [s('a', 80)] })[0]).toContain('selects no port: the selected pods listen on 9080');
    expect(problems({ linkerd: [s('a', 9080), s('b', 9080)] })[0]).toContain('Linkerd rejects overlapping Servers');
  });

  it('FIDELITY A7: the workload annotation goes on the Deployment pod template, which must name a service', () => {
    const dep = (metadata: Record<string, unknown>, annotations: Record<string, string>) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata,
      spec: { template: { metadata: { annotations } } },
    });
    expect(problems({ linkerd: [dep({ name: 'reviews' }, { 'config.linkerd.io/default-inbound-policy': 'deny' })] })).toEqual([]);
    expect(problems({ linkerd: [dep({ name: 'reviews', annotations: { a: 'b' } }, { 'config.linkerd.io/default-inbound-policy': 'deny' })] })[0]).toContain(
      'put config.linkerd.io/default-inbound-policy on spec.template.metadata.annotations',
    );
    expect(problems({ linkerd: [dep({ name: 'revews' }, { 'config.linkerd.io/default-inbound-policy': 'deny' })] })[0]).toContain('(did you mean "reviews"?)');
  });
});

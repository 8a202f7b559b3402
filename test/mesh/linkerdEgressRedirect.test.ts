/**
 * Linkerd's Managing Egress Traffic task (linkerd.io/2.17/tasks/managing-egress-traffic), "Redirecting
 * egress traffic back to the cluster" (FIDELITY E2, Linkerd 2.17+): under a Deny EgressNetwork, an
 * HTTPRoute lets plain HTTP to httpbin.org/get out, and a second HTTPRoute whose backendRef is the
 * in-cluster Service internal-egress takes every other plain HTTP request, whatever its host. The
 * more specific rule wins whatever the order the routes are written in (linkerd2-proxy
 * linkerd/http/route find: a route naming the host first, then the longest path match — a rule
 * without matches counts as the prefix "/").
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { run } from '../helpers/sim.ts';
import { parseScenario, formatProblem } from '../../src/scenario/index.ts';

const NS = 'egress-test';
const parentRefs = [{ name: 'all-egress-traffic', kind: 'EgressNetwork', group: 'policy.linkerd.io', namespace: NS, port: 80 }];
const network = (trafficPolicy: string) => ({
  apiVersion: 'policy.linkerd.io/v1alpha1',
  kind: 'EgressNetwork',
  metadata: { name: 'all-egress-traffic', namespace: NS },
  spec: { trafficPolicy },
});
const httpbinGet = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'httpbin-get', namespace: NS },
  spec: { parentRefs, rules: [{ matches: [{ path: { value: '/get' } }] }] },
};
const unencrypted = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'unencrypted-http', namespace: NS },
  spec: { parentRefs, rules: [{ backendRefs: [{ kind: 'Service', name: 'internal-egress', port: 80 }] }] },
};
const scenario = (linkerd: unknown[]) => ({
  duration: '3s',
  services: [
    { name: 'client', namespace: NS },
    { name: 'internal-egress', namespace: NS, port: 80 },
  ],
  external: [
    { host: 'httpbin.org', protocol: 'http' },
    { host: 'google.com', protocol: 'http' },
  ],
  traffic: [
    { from: 'client', to: 'httpbin.org', at: '1s', path: '/get' },
    { from: 'client', to: 'httpbin.org', at: '1500ms', path: '/anything' },
    { from: 'client', to: 'google.com', at: '2s' },
  ],
  linkerd,
});
/** Where each request was answered: the pod that served it, or the outside host. */
const servedBy = (linkerd: unknown[]): string[] =>
  run(scenario(linkerd), 'linkerd').report.requests.map((q) => `${q.to}${q.path} ${q.status} ${q.tries.at(-1)!.pod ?? 'outside'}`);

describe('Linkerd task: Managing egress traffic — redirecting egress traffic back to the cluster (FIDELITY E2)', () => {
  it('FIDELITY E2: /get goes out to httpbin.org; every other plain HTTP request goes to the in-cluster Service', () => {
    const expected = ['httpbin.org/get 200 outside', 'httpbin.org/anything 200 internal-egress-0', 'google.com/ 200 internal-egress-0'];
    expect(servedBy([network('Deny'), httpbinGet, unencrypted])).toEqual(expected);
    // Written the other way round: the rule with a match still wins over the catch-all.
    expect(servedBy([network('Deny'), unencrypted, httpbinGet])).toEqual(expected);
    // Without the redirect, the Deny network answers the rest 403 itself.
    expect(servedBy([network('Deny'), httpbinGet])).toEqual(['httpbin.org/get 200 outside', 'httpbin.org/anything 403 outside', 'google.com/ 403 outside']);
  });

  it('FIDELITY E2: among rules with matches the most specific wins, not the first written (a catch-all prefix route named first loses /get)', () => {
    const catchAll = {
      ...unencrypted,
      metadata: { name: 'a-catch-all', namespace: NS },
      spec: { parentRefs, rules: [{ matches: [{ path: { value: '/' } }], backendRefs: [{ kind: 'Service', name: 'internal-egress', port: 80 }] }] },
    };
    const expected = ['httpbin.org/get 200 outside', 'httpbin.org/anything 200 internal-egress-0', 'google.com/ 200 internal-egress-0'];
    // "/get" matches four path characters, "/" one: httpbin-get wins although a-catch-all comes first by name and as written.
    expect(servedBy([network('Deny'), catchAll, httpbinGet])).toEqual(expected);
    // A route naming the host beats one naming none, whatever their request matches.
    const namedCatchAll = { ...catchAll, spec: { ...catchAll.spec, hostnames: ['httpbin.org'] } };
    expect(servedBy([network('Deny'), namedCatchAll, httpbinGet])).toEqual([
      'httpbin.org/get 200 internal-egress-0',
      'httpbin.org/anything 200 internal-egress-0',
      'google.com/ 403 outside',
    ]);
  });

  it('FIDELITY E2: the redirect decision names the route; the redirected request is ordinary mesh traffic (mTLS to the Service)', () => {
    const r = run(scenario([network('Deny'), httpbinGet, unencrypted]), 'linkerd');
    const routed = r.decisions('route').find((d) => d.requestId === r.report.requests[2]!.id)!;
    expect(routed.summary).toBe('GET / → internal-egress by rule unencrypted-http.rules[0]');
    expect(routed.cause.config).toContain('HTTPRoute unencrypted-http');
    expect(r.report.requests[2]!.mtls).toBe(true);
    expect(r.decisions('deny')).toEqual([]);
  });

  it('the EgressNetwork as a backend lets the request out; a Service that does not exist, or an EgressNetwork backend under a Service, is a located error', () => {
    const outRoute = {
      ...unencrypted,
      spec: { parentRefs, rules: [{ backendRefs: [{ kind: 'EgressNetwork', group: 'policy.linkerd.io', name: 'all-egress-traffic' }] }] },
    };
    expect(servedBy([network('Deny'), outRoute])).toEqual(['httpbin.org/get 200 outside', 'httpbin.org/anything 200 outside', 'google.com/ 200 outside']);
    const problems = (linkerd: unknown[]): string[] => {
      const p = parseScenario(stringify({ id: 't', title: 't', ...scenario(linkerd) }), 's.yaml');
      return p.ok ? ['ok'] : p.problems.map(formatProblem);
    };
    const missing = { ...unencrypted, spec: { parentRefs, rules: [{ backendRefs: [{ kind: 'Service', name: 'internal-egres' }] }] } };
    expect(problems([network('Deny'), missing])[0]).toMatch(/^s\.yaml:\d+:\d+: .*backendRefs\[0\]\.name.*internal-egress/);
  });
});

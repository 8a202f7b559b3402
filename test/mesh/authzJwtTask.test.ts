/**
 * Istio's Authorization with JWT task (istio.io tasks/security/authorization/authz-jwt): httpbin
 * and curl in foo, a RequestAuthentication for issuer testing@secure.istio.io, then an
 * AuthorizationPolicy that requires its principal and, in a second step, the claim
 * `groups` to hold `group1` (`when: request.auth.claims[groups]`). The task's demo token has no
 * groups claim; its groups-scope token has `groups: [group1, group2]`. A list claim matches when
 * any of its values does (istio/istio pilot/pkg/security/authz/model/generator.go
 * requestClaimGenerator: a metadata list matcher). FIDELITY A5.
 */
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/sim.ts';
import { parseScenario, formatProblem } from '../../src/scenario/index.ts';
import { stringify } from 'yaml';

const ISS = 'testing@secure.istio.io';
const requestAuthentication = {
  apiVersion: 'security.istio.io/v1',
  kind: 'RequestAuthentication',
  metadata: { name: 'jwt-example', namespace: 'foo' },
  spec: {
    selector: { matchLabels: { app: 'httpbin' } },
    jwtRules: [{ issuer: ISS, jwksUri: 'https://raw.githubusercontent.com/istio/istio/master/security/tools/jwt/samples/jwks.json' }],
  },
};
const requireJwt = (when?: unknown[]) => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'AuthorizationPolicy',
  metadata: { name: 'require-jwt', namespace: 'foo' },
  spec: {
    selector: { matchLabels: { app: 'httpbin' } },
    action: 'ALLOW',
    rules: [{ from: [{ source: { requestPrincipals: [`${ISS}/${ISS}`] } }], ...(when ? { when } : {}) }],
  },
});
const demoToken = { issuer: ISS, subject: ISS };
const groupsToken = { issuer: ISS, subject: ISS, claims: { groups: ['group1', 'group2'] } };

/** `curl "$INGRESS/headers" -H "Authorization: Bearer $TOKEN"` from curl.foo: no token, the demo token, the groups token. */
function statuses(policy: unknown, tokens: (Record<string, unknown> | undefined)[] = [undefined, demoToken, groupsToken]): number[] {
  const r = run(
    {
      duration: '2s',
      services: [
        { name: 'httpbin', namespace: 'foo', port: 8000 },
        { name: 'curl', namespace: 'foo' },
      ],
      traffic: tokens.map((jwt, i) => ({ from: 'curl', to: 'httpbin', path: '/headers', at: `${(i + 1) * 100}ms`, ...(jwt ? { jwt } : {}) })),
      istio: [requestAuthentication, policy],
    },
    'istio',
  );
  return r.report.requests.map((q) => q.status);
}

describe('Istio task: Authorization with JWT', () => {
  it('require-jwt: no token is denied (403), a valid token of the issuer is let in', () => {
    expect(statuses(requireJwt())).toEqual([403, 200, 200]);
  });

  it('with when request.auth.claims[groups] values [group1]: only the token whose groups list holds group1 gets in', () => {
    expect(statuses(requireJwt([{ key: 'request.auth.claims[groups]', values: ['group1'] }]))).toEqual([403, 403, 200]);
    // A value the list does not hold, and the prefix form, each checked against every element.
    expect(statuses(requireJwt([{ key: 'request.auth.claims[groups]', values: ['group3'] }]))).toEqual([403, 403, 403]);
    expect(statuses(requireJwt([{ key: 'request.auth.claims[groups]', values: ['group*'] }]))).toEqual([403, 403, 200]);
    // notValues: any element matching excludes the token; a token without the claim is not excluded.
    expect(statuses(requireJwt([{ key: 'request.auth.claims[groups]', notValues: ['group2'] }]))).toEqual([403, 200, 403]);
  });

  it('a string claim is a list of one', () => {
    const scoped = { issuer: ISS, subject: ISS, claims: { scope: 'read' } };
    expect(statuses(requireJwt([{ key: 'request.auth.claims[scope]', values: ['read'] }]), [scoped, demoToken])).toEqual([200, 403]);
  });
});

describe('JWT claims in the scenario file', () => {
  const problems = (jwt: unknown, key = 'request.auth.claims[groups]'): string[] => {
    const text = stringify({
      id: 't',
      title: 't',
      duration: '1s',
      services: [{ name: 'curl' }, { name: 'httpbin' }],
      traffic: [{ from: 'curl', to: 'httpbin', at: '100ms', jwt }],
      istio: [{ ...requireJwt([{ key, values: ['x'] }]), metadata: { name: 'p' } }],
    });
    const r = parseScenario(text, 'j.yaml');
    return r.ok ? ['ok'] : r.problems.map(formatProblem);
  };

  it('bad claims and nested claim keys are located errors', () => {
    expect(problems({ ...groupsToken, claims: { iss: 'x' } })).toEqual([
      expect.stringMatching(/^j\.yaml:\d+:\d+: traffic\[0\]\.jwt\.claims\.iss is set by issuer: write it there$/),
    ]);
    expect(problems({ ...groupsToken, claims: { groups: ['a,b'] } })).toEqual([
      expect.stringMatching(/^j\.yaml:\d+:\d+: traffic\[0\]\.jwt\.claims\.groups\[0\] must not contain blanks, ";", "," or "=" \(got "a,b"\)$/),
    ]);
    expect(problems(groupsToken, 'request.auth.claims[nested][key]')).toEqual([
      expect.stringMatching(
        /istio\[0\]\.spec\.rules\[0\]\.when\[0\]\.key "request\.auth\.claims\[nested\]\[key\]" is not supported by mesh-sim \(a claim name in one pair of brackets/,
      ),
    ]);
    expect(problems(groupsToken)).toEqual(['ok']);
  });
});

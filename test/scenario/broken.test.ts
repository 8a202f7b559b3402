/**
 * Every broken fixture under test/fixtures/broken gives exactly these lines: the place a course
 * author must look and what to change there. Each message was read as an author would read it.
 */
import { describe, expect, it } from 'vitest';
import { filesIn, problemLines, supportedKinds } from './fixtures.ts';

const DIR = 'test/fixtures/broken';
// Each kind once (Istio's Gateway and the waypoint Gateway are two schemas of one kind).
const ISTIO_KINDS = [...new Set(supportedKinds('istio'))].join(', ');

const EXPECTED: Record<string, string[]> = {
  'yaml-syntax.yaml': ['15:13: YAML syntax error: this { is never closed with }'],
  'unclosed-quote.yaml': ["2:8: YAML syntax error: this ' quote is never closed"],
  'misaligned.yaml': ['6:4: YAML syntax error: this line is not lined up with the keys above it'],
  'tab-indent.yaml': ['6:1: YAML syntax error: tabs are not allowed as indentation; indent with spaces'],
  'unquoted-comparison.yaml': ['8:13: YAML syntax error: a value that starts with ">" must be in quotes: write ">= 0.99"'],
  'unresolved-alias.yaml': ['9:13: alias *flaky refers to no anchor &flaky above it'],
  'duplicate-key.yaml': ['6:1: duration is set twice (first on line 3)'],
  'wrong-type.yaml': ['7:15: services[1].replicas must be a whole number from 1 to 50 (got "three")'],
  'whole-number.yaml': ['6:15: services[0].replicas must be a whole number from 1 to 50 (got 2.5)'],
  'null-value.yaml': ['6:13: services[0].replicas must be a whole number from 1 to 50 (got an empty value)'],
  'negative-count.yaml': ['10:12: traffic[0].count must be a whole number from 1 to 1000000 (got -3)'],
  'unknown-key.yaml': ['7:5: services[1].replica is an unknown key (did you mean "replicas"?)'],
  'unknown-service.yaml': ['9:9: traffic[0].to names a service or external host "review" that the scenario does not declare (did you mean "reviews"?)'],
  'unknown-pod.yaml': [
    '8:10: faults[0].pod names a pod "reviews-3" that the scenario does not declare (service reviews has pods reviews-0, reviews-1, reviews-2)',
  ],
  'bad-duration.yaml': ['3:11: duration must be a duration like 250ms, 10s, 2m or 24h (got "10 seconds")'],
  'percent-out-of-range.yaml': ['9:34: faults[0].errors.rate must be between 0% and 100% (got 150%)'],
  'duplicate-service.yaml': ['7:11: services[2].name declares service "reviews" in namespace default a second time (first declared on line 5)'],
  'duplicate-resource.yaml': [
    '13:23: istio[1].metadata.name declares DestinationRule "reviews" a second time, and kubectl apply would keep only the last one (first declared on line 9)',
  ],
  'missing-key.yaml': ['1:1: title is required'],
  'empty.yaml': ['1:1: the file is empty; a scenario needs at least id, title, duration and services'],
  'comments-only.yaml': ['1:1: the file is empty; a scenario needs at least id, title, duration and services'],
  'not-a-mapping.yaml': ['1:1: must be a mapping with id, title, duration and services at the top level'],
  'unsupported-kind.yaml': [`8:11: istio[0].kind is "Sidecar", an Istio kind mesh-sim does not support (supported: ${ISTIO_KINDS})`],
  'unsupported-field.yaml': ['15:20: istio[0].spec.http[0].rewrite is not supported by mesh-sim (URI rewrite)'],
  'unknown-native-field.yaml': [
    '15:11: istio[0].spec.trafficPolicy.tls.caCertificates is not a DestinationRule field that mesh-sim supports (supported here: mode, subjectAltNames)',
  ],
  'native-missing-field.yaml': [
    '11:7: istio[0].spec.host is required',
    '11:7: istio[0].spec.hots is not a DestinationRule field that mesh-sim supports (did you mean "host"?)',
  ],
  'native-annotation.yaml': ['13:33: linkerd[0].metadata.annotations["retry.linkerd.io/limit"] must be a whole number of retries (got "three")'],
  'enum-case.yaml': ['11:21: istio[0].spec.mtls.mode must be one of UNSET, DISABLE, PERMISSIVE, STRICT (got "strict"; did you mean "STRICT"?)'],
  'latency-shape.yaml': ['6:14: services[0].latency.p99 is required', '6:27: services[0].latency.p90 is an unknown key (did you mean "p99"?)'],
  'retry-condition.yaml': [
    '10:17: policies.retries[0].on[1] must be one of 5xx, gateway-error, connect-failure, reset, retriable-4xx, or a whole number from 100 to 599 (got "gateway-eror"; did you mean "gateway-error"?)',
  ],
  'regex-linkerd-route.yaml': [
    '14:55: linkerd[0].spec.rules[0].matches[0].path.value is not a valid regular expression: unterminated character class (got "/([")',
    '16:67: linkerd[0].spec.rules[0].matches[0].headers[0].value is not a valid regular expression: unmatched \')\' (got "a)b")',
  ],
  'regex-service-profile.yaml': [
    '13:48: linkerd[0].spec.routes[0].condition.pathRegex is not a valid regular expression: unterminated group (got "/books/(\\\\d+")',
  ],
  'regex-istio.yaml': ['14:29: istio[0].spec.http[0].match[0].uri.regex is not a valid regular expression: nothing to repeat (got "/v1/*+")'],
  'json-wrong-type.json': ['7:38: services[1].replicas must be a whole number from 1 to 50 (got "3")'],
  'json-syntax.json': ["4:3: JSON syntax error: expected ',' or '}' after property value"],
  'several-problems.yaml': [
    '4:11: duration must be a duration like 250ms, 10s, 2m or 24h (got "ten")',
    '8:15: services[1].replicas must be a whole number from 1 to 50 (got 0)',
    '11:9: traffic[0].to names a service or external host "ratings" that the scenario does not declare',
    '12:11: traffic[0].rate must be a rate above zero like 20/s or 300/m (got "fast")',
  ],
};

describe('broken scenario files', () => {
  it('has an expectation for every fixture, and a fixture for every expectation', () => {
    expect(filesIn(DIR).map((f) => f.slice(DIR.length + 1))).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [name, lines] of Object.entries(EXPECTED)) {
    it(`${name}: ${lines.length === 1 ? 'one located problem' : `${lines.length} located problems, in line order`}`, () => {
      expect(problemLines(`${DIR}/${name}`)).toEqual(lines.map((l) => `${DIR}/${name}:${l}`));
    });
  }
});

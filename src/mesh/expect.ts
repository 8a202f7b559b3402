/**
 * Checks a run report against the scenario's `expect` block for that mesh: each figure named
 * there, compared as written (`okRate: ">= 0.99"`).
 */
import { compare, type Comparison, type Expectation } from '../scenario/index.ts';
import type { RunReport } from './report.ts';
import { isOk } from './outcomes.ts';

export interface ExpectationResult {
  key: string;
  expected: string;
  actual: number;
  pass: boolean;
}

/** Every figure `expect` names, with the value measured and whether it passes. */
export function checkExpectations(report: RunReport, exp: Expectation): ExpectationResult[] {
  const s = report.summary;
  const out: ExpectationResult[] = [];
  const check = (key: string, c: Comparison | undefined, actual: number): void => {
    if (c) out.push({ key, expected: c.text, actual, pass: compare(actual, c) });
  };
  const total = s.total;
  check('total', exp.total, total);
  check('ok', exp.ok, s.ok);
  check('failed', exp.failed, s.failed);
  check('okRate', exp.okRate, total ? s.ok / total : 0);
  check('retries', exp.retries, s.retries);
  check('mtlsRate', exp.mtlsRate, total ? report.requests.filter((r) => r.mtls).length / total : 0);
  check('p50', exp.p50, s.latencyMs.p50);
  check('p99', exp.p99, s.latencyMs.p99);
  check('handshakesOk', exp.handshakesOk, report.handshakes.filter((h) => h.ok).length);
  check('handshakesFailed', exp.handshakesFailed, report.handshakes.filter((h) => !h.ok).length);
  check('certificates', exp.certificates, report.certificates.length);
  check('proxies', exp.proxies, report.footprint.total.proxies);
  check('proxyMemoryMb', exp.proxyMemoryMb, report.footprint.total.memoryMb);
  check('proxyVCpu', exp.proxyVCpu, report.footprint.total.vCpu);
  for (const [status, c] of Object.entries(exp.byStatus ?? {})) check(`byStatus.${status}`, c, s.byStatus[status] ?? 0);
  for (const [prefix, c] of Object.entries(exp.byReason ?? {}))
    check(`byReason.${prefix}`, c, report.requests.filter((r) => r.reason?.startsWith(prefix)).length);
  for (const [pod, c] of Object.entries(exp.received ?? {})) check(`received.${pod}`, c, report.pods.find((p) => p.name === pod)?.received ?? 0);
  const vwires = report.vwires ?? [];
  check('vwires', exp.vwires, vwires.length);
  check(
    'refreshes',
    exp.refreshes,
    vwires.reduce((n, v) => n + v.refreshes, 0),
  );
  check('heals', exp.heals, vwires.filter((v) => v.end === 'healed').length);
  return out;
}

export { isOk };

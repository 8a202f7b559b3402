/**
 * The knob result in words (src/ui/knobOutcome.ts): more than ok/failed (issue 12) — the figures
 * a knob moved, read from each run's report.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario, summaryOf, type RunOutcome } from '../../src/player/index.ts';
import { knobOutcome } from '../../src/ui/knobOutcome.ts';

const text = readFileSync(new URL('../../scenarios/retries-flaky-pod.yaml', import.meta.url), 'utf8');
function run(mesh: string, versions?: Record<string, string>): Extract<RunOutcome, { ok: true }> {
  const o = runScenario({ text, file: 'retries-flaky-pod.yaml', mesh, versions });
  if (!o.ok) throw new Error(o.problems.map((p) => p.text).join('\n'));
  return o;
}

describe('the knob result', () => {
  // FIDELITY B1: Istio 1.23's default retry policy retries 503s, 1.30's does not.
  const old = run('istio', { istio: '1.23' });
  const now = run('istio');
  const [a, b] = [summaryOf(old.report), summaryOf(now.report)];

  it('says ok and failed now and before, then each figure that moved, old → new', () => {
    expect(a.retries).not.toBe(b.retries);
    const line = knobOutcome([{ mesh: 'istio', report: old.report }], [{ mesh: 'istio', report: now.report }]);
    expect(line).toContain(`Now ${b.ok} ok, ${b.failed} failed (was ${a.ok} ok, ${a.failed} failed)`);
    expect(line).toContain(`retries ${a.retries} → ${b.retries}`);
    expect(line).toContain(`attempts ${a.attempts} → ${b.attempts}`);
    if (a.p99Ms !== b.p99Ms) expect(line).toMatch(/p99 latency [\d.]+ ms → [\d.]+ ms/);
    expect(line).not.toContain('ejections');
  });

  it('says that nothing else moved, with the figures, when only ok/failed could be read', () => {
    const line = knobOutcome([{ mesh: 'istio', report: now.report }], [{ mesh: 'istio', report: now.report }]);
    expect(line).toBe(
      `Now ${b.ok} ok, ${b.failed} failed (was ${b.ok} ok, ${b.failed} failed); no other figure moved (retries ${b.retries}, p99 latency ${Math.round(b.p99Ms * 10) / 10} ms, ejections ${b.ejections}).`,
    );
  });

  it('names each pane in compare mode', () => {
    const linkerd = run('linkerd');
    const line = knobOutcome(
      [
        { mesh: 'istio', report: old.report },
        { mesh: 'linkerd', report: linkerd.report },
      ],
      [
        { mesh: 'istio', report: now.report },
        { mesh: 'linkerd', report: linkerd.report },
      ],
    );
    expect(line).toMatch(/^Istio: Now .* Linkerd: Now .*no other figure moved/);
  });
});

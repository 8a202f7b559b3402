/**
 * What a knob change did, in words: each pane's ok and failed requests now and before (as the
 * knobs panel always said), then the figures that moved — retries, attempts, p99 latency,
 * ejections, failed handshakes — or that none did. "ok/failed" alone hid what a retry or an
 * outlier knob changes when the outcome stays the same (issue 12).
 */
import { paneNames, summaryOf, type RunReport, type RunSummary } from '../player/index.ts';

interface Run {
  mesh: string;
  report: RunReport;
}

const ms = (n: number): string => `${Math.round(n * 10) / 10} ms`;

/** The figures a knob can move beyond ok/failed, each as its name and how it reads. */
const FIGURES: readonly [string, (s: RunSummary) => number, (n: number) => string][] = [
  ['retries', (s) => s.retries, String],
  ['attempts', (s) => s.attempts, String],
  ['p99 latency', (s) => s.p99Ms, ms],
  ['ejections', (s) => s.ejections, String],
  ['failed handshakes', (s) => s.handshakesFailed, String],
];

/** One line per pane ("Istio: …" in compare mode) after a knob re-simulated `before` as `after`. */
export function knobOutcome(before: readonly Run[], after: readonly Run[]): string {
  const names = paneNames(after.map((r) => r.mesh));
  return after
    .map((run, i) => {
      const now = summaryOf(run.report);
      const old = before[i] && before[i].mesh === run.mesh ? summaryOf(before[i].report) : null;
      const pane = after.length > 1 ? `${names[i]}: ` : '';
      const counts = `${now.ok} ok, ${now.failed} failed`;
      if (!old) return `${pane}${counts}.`;
      const moved = FIGURES.filter(([, get]) => get(old) !== get(now)).map(([name, get, show]) => `${name} ${show(get(old))} → ${show(get(now))}`);
      const rest = moved.length
        ? `${moved.join(', ')}.`
        : `no other figure moved (retries ${now.retries}, p99 latency ${ms(now.p99Ms)}, ejections ${now.ejections}).`;
      return `${pane}Now ${counts} (was ${old.ok} ok, ${old.failed} failed); ${rest}`;
    })
    .join(' ');
}

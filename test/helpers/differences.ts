/**
 * The first difference compare mode finds in a library scenario between two meshes, and the words
 * its pane's note should say (as a learner reads them: a decision the other mesh did not make, or
 * both endings of a request), for the e2e tests of the difference overlay (src/ui/diffOverlay.ts).
 */
import { readFileSync } from 'node:fs';
import { divergences, paneNames, runScenario } from '../../src/player/index.ts';

export interface FirstDifference {
  /** The pane it happened in. */
  pane: number;
  /** What that pane's note says. */
  note: string;
  /** The node its pane rings (a decision's), or null (an ending). */
  node: string | null;
  /** Whether it is a decision (else the endings differ). */
  decision: boolean;
}

/** The first difference in scenario `id` between the two `meshes` (the first the reference). */
export function firstDifference(id: string, meshes: readonly [string, string]): FirstDifference {
  const file = `scenarios/${id}.yaml`;
  const traces = meshes.map((mesh) => {
    const o = runScenario({ text: readFileSync(file, 'utf8'), file, mesh });
    if (!o.ok) throw new Error(o.problems.map((p) => p.text).join('\n'));
    return o.trace;
  });
  const names = paneNames(meshes);
  const d = divergences(traces, names)[0];
  if (!d) throw new Error(`${id}: no difference between ${meshes.join(' and ')}`);
  const e = traces[d.pane]!.events[d.seq]!;
  const other = names[d.pane === 0 ? 1 : 0]!;
  return e.type === 'decision'
    ? { pane: d.pane, note: `≠ Not in ${other}: ${e.summary}`, node: e.node, decision: true }
    : { pane: d.pane, note: `≠ ${d.text.replace(`${d.requestId}: `, '')}`, node: null, decision: false };
}

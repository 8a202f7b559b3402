/**
 * Which lines changed between two texts (the YAML pane after a knob change): a longest common
 * subsequence of lines, so an inserted block shows as added lines and not as everything below it
 * changed. Texts are a few hundred lines; the table is small.
 */

/** One line of the new text, or a line of the old one that is gone. */
export interface DiffLine {
  text: string;
  change: 'same' | 'added' | 'removed';
}

/** The lines of `after`, in order, with the lines of `before` that were removed placed where they were. */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = before === '' ? [] : before.split('\n');
  const b = after === '' ? [] : after.split('\n');
  // Trim the common head and tail: most knob changes touch a few lines in the middle.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const am = a.slice(head, a.length - tail);
  const bm = b.slice(head, b.length - tail);
  const n = am.length;
  const m = bm.length;
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i * (m + 1) + j] = am[i] === bm[j] ? lcs[(i + 1) * (m + 1) + j + 1]! + 1 : Math.max(lcs[(i + 1) * (m + 1) + j]!, lcs[i * (m + 1) + j + 1]!);
  const out: DiffLine[] = a.slice(0, head).map((text) => ({ text, change: 'same' as const }));
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && am[i] === bm[j]) {
      out.push({ text: bm[j]!, change: 'same' });
      i++;
      j++;
    } else if (i < n && (j === m || lcs[(i + 1) * (m + 1) + j]! >= lcs[i * (m + 1) + j + 1]!)) {
      // A changed line reads as the old one removed, then the new one added.
      out.push({ text: am[i++]!, change: 'removed' });
    } else {
      out.push({ text: bm[j++]!, change: 'added' });
    }
  }
  for (const text of a.slice(a.length - tail)) out.push({ text, change: 'same' });
  return out;
}

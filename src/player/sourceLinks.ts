/**
 * A cause's `source` as text and links: every `FIDELITY B1` / `FIDELITY-MORE M1` it cites becomes
 * a link to that item's upstream page (src/mesh/profiles/<mesh>/FIDELITY.md says which), so the
 * inspector shows where a behaviour comes from, not just its id. The index of items is a chunk of
 * its own in the page ({@link loadFidelityIndex}), loaded when a source is first shown: the first
 * frame does without it.
 */
import type { FIDELITY_ITEMS } from '../mesh/index.ts';

/** The fidelity items by id: title, upstream page, and the page of the reference that holds it. */
export type FidelityIndex = typeof FIDELITY_ITEMS;

/** A piece of a source line: plain text, or a cited item with its upstream page. */
export type SourcePart = { text: string } | { text: string; href: string; title: string };

/** Loads the index of fidelity items (once). */
export function loadFidelityIndex(): Promise<FidelityIndex> {
  return import('../mesh/profiles/fidelityIndex.ts').then((m) => m.FIDELITY_ITEMS);
}

/** Splits `source` into text and links to the upstream pages of the items it cites (ids `items` does not hold stay text). */
export function sourceParts(source: string, items: FidelityIndex): SourcePart[] {
  const parts: SourcePart[] = [];
  const re = /FIDELITY(?:-MORE)? ([A-M]\d+)/g;
  let at = 0;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    const item = items[m[1]!];
    if (!item) continue;
    if (m.index > at) parts.push({ text: source.slice(at, m.index) });
    parts.push({ text: m[0], href: item.upstream, title: `${m[1]}. ${item.title} — ${item.page}` });
    at = m.index + m[0].length;
  }
  if (at < source.length) parts.push({ text: source.slice(at) });
  return parts;
}

/**
 * The fidelity reference as data: each profile's `FIDELITY.md` (and `DIFFERENCES.md`) holds items
 * headed `## B1. Retries` with the line `Upstream: <url>` under the heading — the upstream page
 * the inspector links for that item. Code cites items as `FIDELITY B1` (ids A–G) or
 * `FIDELITY-MORE M1` (ids H–M); {@link citedIds} reads those citations out of any text.
 */

/** One item of the reference. */
export interface FidelityItem {
  /** `B1` */
  id: string;
  /** `Retries` */
  title: string;
  /** The upstream page for the item (a doc page, or a source file pinned to a tag). */
  upstream: string;
  /** The page that holds it, relative to the repository (`src/mesh/profiles/istio/FIDELITY.md`). */
  page: string;
}

/** `## B1. Retries` — an item heading: a letter A–M and a number. */
const HEADING = /^## ([A-M]\d+)\. (.+)$/;

/** The items of one page, and the headings that lack their `Upstream:` line. */
export function parseFidelityPage(text: string, page: string): { items: FidelityItem[]; problems: string[] } {
  const lines = text.split('\n');
  const items: FidelityItem[] = [];
  const problems: string[] = [];
  lines.forEach((line, i) => {
    const m = HEADING.exec(line);
    if (!m) return;
    const next = lines[i + 1] ?? '';
    const up = /^Upstream: (https:\/\/\S+)$/.exec(next);
    if (!up) problems.push(`${page}:${i + 2}: the line under "## ${m[1]}." must be "Upstream: https://…" (got ${JSON.stringify(next)})`);
    else items.push({ id: m[1]!, title: m[2]!, upstream: up[1]!, page });
  });
  return { items, problems };
}

/** A citation found in text: the id, and whether it was written `FIDELITY-MORE`. */
export interface Citation {
  id: string;
  more: boolean;
}

/**
 * The ids `text` cites: `FIDELITY B1`, `FIDELITY-MORE M1`, and lists after one word
 * (`FIDELITY B1, B2`, `FIDELITY C1/B2`, `FIDELITY C1–C3` = C1, C2, C3).
 */
export function citedIds(text: string): Citation[] {
  const out: Citation[] = [];
  const re = /FIDELITY(-MORE)? ([A-M]\d+(?:(?:, |\/|–)[A-M]\d+)*)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const more = m[1] !== undefined;
    for (const part of m[2]!.split(/, |\//)) {
      const range = /^([A-M])(\d+)–([A-M])(\d+)$/.exec(part);
      if (range && range[1] === range[3]) {
        for (let n = Number(range[2]); n <= Number(range[4]); n++) out.push({ id: `${range[1]}${n}`, more });
      } else for (const id of part.split('–')) out.push({ id, more });
    }
  }
  return out;
}

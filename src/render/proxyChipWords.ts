/**
 * What a proxy's state chips say (proxyChips.ts draws them): its config, as the sidecars' chip
 * says it, and a summary of the certificates a node proxy holds — each with shorter forms, and
 * which of them fit in a given width. No pixi here: the tests read these words without a canvas.
 */
import { statePhrase, type ComponentState, type StateTone } from '../player/index.ts';
import type { ChipSpec } from './chips.ts';
import { FONT } from './layoutTypes.ts';
import { textWidth } from './textMetrics.ts';

/** Room between chips, and between a strip's caption and its chips or its right end. */
export const GAP = 4;

/**
 * A chip in its forms, longest first ("config v2 · stale", "config stale", "stale"), and how bad
 * what it says is (`rank`: 0 all is well; a tone worse by one adds 2, and a state of the tone that
 * is not its plain one, such as renewing a valid certificate, 1).
 */
export type ChipForms = { tone: StateTone; forms: string[]; rank: number };

/** A chip's width as ChipRow draws it: its words and 5 px either side. */
export const chipWidth = (text: string): number => Math.ceil(textWidth(text, FONT.text)) + 10;

/** A proxy's config chip, as the sidecars' (`config v1 ✓`, `config v1 · stale`), with shorter forms. */
export function configForms(c: Pick<ComponentState, 'machine' | 'state' | 'previous' | 'version'>): ChipForms {
  const v = c.version ?? 0;
  if (c.state === 'synced') return { tone: 'ok', forms: [`config v${v} ✓`, 'config ✓'], rank: 0 };
  if (c.state === 'stale') return { tone: 'warn', forms: [`config v${v} · stale`, 'config stale', 'stale'], rank: rankOf('warn', false) };
  const p = statePhrase(c.machine, c.state, c.previous);
  return { tone: p.tone, forms: [p.short], rank: rankOf(p.tone, false) };
}

/** How bad a tone is, for the summary's "worst first". */
const BADNESS: Record<StateTone, number> = { bad: 3, warn: 2, neutral: 1, ok: 0 };

/** A {@link ChipForms.rank}: by tone, and whether the state is its tone's plain one. */
const rankOf = (tone: StateTone, plain: boolean): number => 2 * BADNESS[tone] + (plain ? 0 : 1);

/**
 * The certificates a node proxy holds, in one chip: the worst state and how many are in it
 * ("cert ✓ ×2", "cert expired ×1"). Worst: bad, then warning, then neutral (none yet), then a
 * good state that is not the plain valid one (renewing), then valid. A certificate with no state
 * yet counts as having none ("no cert").
 */
export function certSummary(states: readonly (Pick<ComponentState, 'state' | 'previous'> | undefined)[]): ChipForms | null {
  if (states.length === 0) return null;
  const groups = new Map<string, { tone: StateTone; n: number; rank: number }>();
  for (const s of states) {
    const p = s ? statePhrase('certificate', s.state, s.previous) : statePhrase('certificate', 'none');
    const rank = rankOf(p.tone, p.short === 'cert ✓');
    const g = groups.get(p.short) ?? groups.set(p.short, { tone: p.tone, n: 0, rank }).get(p.short)!;
    g.n++;
  }
  let worst: [string, { tone: StateTone; n: number; rank: number }] | null = null;
  for (const entry of groups) if (!worst || entry[1].rank > worst[1].rank) worst = entry;
  const [short, g] = worst!;
  return { tone: g.tone, forms: [`${short} ×${g.n}`, short], rank: g.rank };
}

/**
 * The chips that fit in `width`, in order: every chip whole, then each shortened in turn (the
 * first chip's forms first; beside another, no shorter than its second form), then the worse chip alone (the higher rank; of equals the last, a
 * proxy's config before its certificates), longest form first; none when not even its shortest fits.
 */
export function fitChips(chips: readonly ChipForms[], width: number): ChipSpec[] {
  const rowWidth = (texts: readonly string[]): number => texts.reduce((w, t) => w + chipWidth(t), 0) + GAP * (texts.length - 1);
  const picks = chips.map(() => 0);
  for (;;) {
    const texts = chips.map((c, i) => c.forms[picks[i]!]!);
    if (rowWidth(texts) <= width) return chips.map((c, i) => ({ text: texts[i]!, tone: c.tone }));
    // Beside another chip a chip keeps its second form at least ("config stale", not "stale").
    const i = picks.findIndex((p, k) => p < Math.min(chips[k]!.forms.length - 1, chips.length > 1 ? 1 : Infinity));
    if (i < 0) break;
    picks[i]!++;
  }
  if (chips.length < 2) return [];
  const worst = chips.reduce((a, b) => (b.rank >= a.rank ? b : a));
  return fitChips([worst], width);
}

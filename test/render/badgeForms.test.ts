import { describe, expect, it } from 'vitest';
import { badgeForms, shortBadgeText, type BadgeRow } from '../../src/render/badgeForms.ts';

const row = (kind: BadgeRow['kind'], text: string, count = 1, age = 0): BadgeRow => ({ key: `${kind}:${text}`, kind, text, count, age });
const words = (forms: ReturnType<typeof badgeForms>): string[][] => forms.map((f) => f.map((l) => l.text));

describe('badge list forms', () => {
  it('writes a list whole first, then on one line, in shorter words, then as symbols and counts', () => {
    // config-push's reviews-1 in a tight compare pane: two kinds, four of each.
    expect(words(badgeForms([row('error', 'got 500', 4), row('fault', 'fault', 4)]))).toEqual([
      ['✕ got 500 ×4', '⚡ fault ×4'],
      ['✕ got 500 ×4 +1'],
      ['✕ 500 ×4 +1'],
      ['✕×4 ⚡×4'],
    ]);
  });

  it('leaves out a form that reads as the one before it', () => {
    // One row: its one-line form is the whole list; "denied" has no shorter words.
    expect(words(badgeForms([row('denied', 'denied', 2)]))).toEqual([['⊘ denied ×2'], ['⊘×2']]);
    expect(words(badgeForms([row('retry', 'retry 1 of 2')]))).toEqual([['↻ retry 1 of 2'], ['↻ retry 1'], ['↻']]);
  });

  it('keeps "+N more" in the whole list of more than three kinds, and the newest row first in every form', () => {
    const forms = badgeForms([
      row('timeout', 'timeout', 1, 0.1),
      row('error', '503', 2, 0.2),
      row('retry', 'retry 2 of 2', 1, 0.3),
      row('ejected', 'ejected', 1, 0.4),
    ]);
    expect(words(forms)[0]).toEqual(['◷ timeout', '✕ 503 ×2', '+2 more']);
    expect(forms[0]![2]!.age).toBe(0.3);
    expect(words(forms).slice(1)).toEqual([['◷ timeout +3'], ['◷ ✕×2 ↻ ⏏']]);
    for (const f of forms.slice(1)) expect(f[0]!.age).toBe(0.1);
  });

  it('shortens only what has shorter words', () => {
    expect(shortBadgeText('got 503')).toBe('503');
    expect(shortBadgeText('retry 2 of 3')).toBe('retry 2');
    expect(['failed', 'no route', 'TLS failed', 'retry 1'].map(shortBadgeText)).toEqual(['failed', 'no route', 'TLS failed', 'retry 1']);
  });
});

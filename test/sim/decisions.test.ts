/**
 * The decision table (src/sim/decisions.ts) is the one list of decision kinds: every kind in it
 * is one the simulation emits, and every kind a library run emits is in it — so badges,
 * breakpoints, compare mode and narration never wait for a kind that cannot happen.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DECISION_KINDS, DECISION_KIND_LIST, NARRATION_TRIGGERS } from '../../src/sim/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { simulate, PROFILES, dataPlaneProblems } from '../../src/mesh/index.ts';
import { NOTABLE_DECISIONS, BREAKPOINTS } from '../../src/player/index.ts';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const meshSource = files('src/mesh')
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');

/** Narration triggers that wait for something other than a decision (a request, a transition, a flight). */
const EVENT_TRIGGERS = ['request', 'rotation', 'config-push', 'failure', 'crash', 'restart'];

describe('the decision table', () => {
  it('lists only kinds the simulation emits (a kind named nowhere in src/mesh cannot happen)', () => {
    const never = DECISION_KIND_LIST.filter((k) => !meshSource.includes(`'${k}'`));
    expect(never).toEqual([]);
  });

  it('covers every decision of every library scenario under every mesh', () => {
    const seen = new Set<string>();
    for (const name of readdirSync('scenarios').filter((f) => f.endsWith('.yaml'))) {
      const file = join('scenarios', name);
      const loaded = parseScenario(readFileSync(file, 'utf8'), file);
      if (!loaded.ok) throw new Error(file);
      for (const profile of Object.values(PROFILES)) {
        if (dataPlaneProblems(loaded.scenario, profile).length > 0) continue; // refused there (services[].dataPlane, FIDELITY-MORE H8)
        for (const e of simulate(loaded.scenario, profile).trace.events) if (e.type === 'decision') seen.add(e.kind);
      }
    }
    expect([...seen].filter((k) => !(k in DECISION_KINDS))).toEqual([]);
  });

  it('gives compare mode only kinds that are emitted: no "blackhole", which nothing emits (Istio egress denials are deny)', () => {
    expect([...NOTABLE_DECISIONS].filter((k) => !meshSource.includes(`'${k}'`))).toEqual([]);
    expect(NOTABLE_DECISIONS.has('blackhole' as never)).toBe(false);
    expect(NOTABLE_DECISIONS.has('deny')).toBe(true);
  });

  it('gives every breakpoint at least one kind, and each kind to at most one breakpoint', () => {
    for (const b of BREAKPOINTS) expect(b.kinds.length, b.id).toBeGreaterThan(0);
    const all = BREAKPOINTS.flatMap((b) => b.kinds);
    expect(new Set(all).size).toBe(all.length);
    expect(BREAKPOINTS.find((b) => b.id === 'breaker')!.kinds).toEqual(['overflow', 'ejection']);
    expect(BREAKPOINTS.find((b) => b.id === 'retries')!.kinds).toEqual(['retries-exhausted', 'retry-budget-exhausted', 'retry-overflow']);
  });

  it('lets every narration trigger fire: each is an event trigger or some decision kind fires it', () => {
    const byDecision = new Set<string>(DECISION_KIND_LIST.map((k) => DECISION_KINDS[k]).flatMap((i) => ('narration' in i ? [i.narration] : [])));
    const dead = NARRATION_TRIGGERS.filter((t) => !EVENT_TRIGGERS.includes(t) && !byDecision.has(t));
    expect(dead).toEqual([]);
    // An event trigger is not also a decision's: one meaning each.
    expect(EVENT_TRIGGERS.filter((t) => byDecision.has(t))).toEqual([]);
  });
});

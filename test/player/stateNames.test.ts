/**
 * A machine's state reaches the learner in words (src/player/stateNames.ts), never as a
 * statechart path: issue 12 saw "cert expired.backoff" in certificate-rotation. Checked on the
 * library runs that reach the nested and camel-case states: certificate-rotation under Istio
 * (expired.backoff, issued.renewBackoff) and mtls-handshake (tcpHandshake, serverAuthenticated).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Player, runScenario, statePhrase } from '../../src/player/index.ts';

/** A statechart path (`expired.backoff`) or a camel-case name (`serverAuthenticated`). */
const RAW = /[a-z]\.[a-z]|[a-z][A-Z]/;

const runs: [string, string][] = [
  ['certificate-rotation', 'istio'],
  ['mtls-handshake', 'istio'],
];

describe('state names in words', () => {
  it.each(runs)('%s under %s: every state reached has a phrase, and no step says a raw state name', (name, mesh) => {
    const text = readFileSync(new URL(`../../scenarios/${name}.yaml`, import.meta.url), 'utf8');
    const outcome = runScenario({ text, file: `${name}.yaml`, mesh });
    if (!outcome.ok) throw new Error(outcome.problems.map((p) => p.text).join('\n'));
    const raw = new Set<string>();
    for (const e of outcome.trace.events) {
      if (e.type !== 'transition') continue;
      for (const state of [e.from, e.to]) {
        if (state === null) continue;
        const phrase = statePhrase(e.machine, state);
        // Words, not a path ("ClientHello sent" names the TLS message: a word of its own).
        for (const words of [phrase.short, phrase.long]) {
          expect(words, `${e.machine} ${state}`).not.toMatch(/[a-z]\.[a-z]/);
          for (const name of [state, state.split('.').pop()!]) if (RAW.test(name)) expect(words, `${e.machine} ${state}`).not.toContain(name);
        }
        if (RAW.test(state)) raw.add(state);
      }
    }
    // The run does reach such states (else this checks nothing).
    expect(raw.size).toBeGreaterThan(0);
    const player = new Player(outcome.trace);
    for (const step of player.steps)
      if (step.kind === 'transition')
        for (const state of raw) for (const name of [state, state.split('.').pop()!]) if (RAW.test(name)) expect(step.text).not.toContain(name);
  });
});

describe('a connection open in plaintext or with mTLS', () => {
  // strict-vs-permissive: legacy-batch is `meshed: false` in the file (no sidecar, so no TLS);
  // web is meshed. FIDELITY A8: the permissive server accepts both.
  const text = readFileSync(new URL('../../scenarios/strict-vs-permissive.yaml', import.meta.url), 'utf8');

  it.each(['istio', 'linkerd'])('under %s, the unmeshed client’s connection reads "plaintext", a meshed one’s "mTLS up", in steps and phrases', (mesh) => {
    const outcome = runScenario({ text, file: 'strict-vs-permissive.yaml', mesh });
    if (!outcome.ok) throw new Error(outcome.problems.map((p) => p.text).join('\n'));
    const opened = outcome.trace.events.filter((e) => e.type === 'transition' && e.machine === 'tlsConnection' && e.to === 'established');
    const plain = opened.filter((e) => e.type === 'transition' && e.entity.includes('legacy-batch'));
    const mutual = opened.filter((e) => e.type === 'transition' && !e.entity.includes('legacy-batch'));
    expect(plain.length).toBeGreaterThan(0);
    expect(mutual.length).toBeGreaterThan(0);
    const player = new Player(outcome.trace);
    const textOf = (seq: number): string => player.steps.find((s) => s.seq === seq)!.text;
    for (const e of plain) {
      if (e.type !== 'transition') continue;
      expect(e.from).toBe('tcpHandshake');
      expect(statePhrase(e.machine, e.to, e.from).short).toBe('plaintext');
      expect(textOf(e.seq)).toMatch(/→ established in plaintext \(no mTLS\)$/);
    }
    for (const e of mutual) {
      if (e.type !== 'transition') continue;
      expect(statePhrase(e.machine, e.to, e.from).short).toBe('mTLS up');
      expect(textOf(e.seq)).not.toMatch(/plaintext/);
    }
  });
});

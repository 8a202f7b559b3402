import { describe, expect, it } from 'vitest';
import { LessonTracker, readState, type LessonReporter, type LessonState } from '../../src/lesson/tracker.ts';
import type { LessonConfig } from '../../src/lesson/lesson.ts';

const CONFIG: LessonConfig = {
  version: 1,
  format: 'scorm2004',
  scenario: 'x',
  id: 'urn:x',
  title: 'X',
  description: 'X',
  mesh: 'istio',
  checkpoints: [
    { question: 'How many?', answer: 'number' },
    { question: 'Any?', answer: 'yes-no' },
  ],
  masteryScore: 0.8,
};

function recorder(): { calls: string[]; saved: LessonState[]; reporter: LessonReporter } {
  const calls: string[] = [];
  const saved: LessonState[] = [];
  return {
    calls,
    saved,
    reporter: {
      answered: (a, kind) => calls.push(`answered ${a.index} ${kind} ${a.answer} ${a.correct}`),
      completed: () => calls.push('completed'),
      scored: (score, passed) => calls.push(`scored ${score} ${passed}`),
      save: (s) => saved.push(s),
    },
  };
}

const answer = (index: number, correct: boolean, text = 'yes') => ({ type: 'checkpoint' as const, index, question: 'q', answer: text, correct });

describe(LessonTracker, () => {
  it('scores the first answer of each checkpoint, then passes or fails against the mastery score and completes', () => {
    const r = recorder();
    const t = new LessonTracker(CONFIG, null, 0.5, r.reporter);
    t.take({ type: 'ready', mesh: 'istio', index: 0 });
    t.take(answer(0, true, '3'));
    t.take(answer(0, false, '4')); // a second try does not count
    expect(r.calls).toEqual(['answered 0 number 3 true']);
    t.take(answer(1, false, 'no'));
    expect(r.calls).toEqual(['answered 0 number 3 true', 'answered 1 yes-no no false', 'scored 0.5 true', 'completed']);
    expect(t.score).toBe(0.5);
    t.take({ type: 'completed' });
    expect(r.calls.filter((c) => c === 'completed')).toHaveLength(1);
    expect(r.saved.at(-1)).toEqual({ v: 1, mesh: 'istio', step: 0, answers: { 0: true, 1: false }, completed: true, passed: true });
  });

  it('fails below the mastery score', () => {
    const r = recorder();
    const t = new LessonTracker(CONFIG, null, 0.8, r.reporter);
    t.take(answer(0, true));
    t.take(answer(1, false));
    expect(r.calls).toContain('scored 0.5 false');
  });

  it('completes when the run reaches its end, before the checkpoints are answered, and saves the place', () => {
    const r = recorder();
    const t = new LessonTracker(CONFIG, null, 0.8, r.reporter);
    t.take({ type: 'ready', mesh: 'linkerd', index: 3 });
    t.take({ type: 'step', index: 9 });
    t.take({ type: 'completed' });
    expect(r.calls).toEqual(['completed']);
    expect(t.state).toMatchObject({ mesh: 'linkerd', step: 9, completed: true, passed: null });
    expect(r.saved.map((s) => s.step)).toEqual([3, 9, 9]);
  });

  it('resumes from saved state: earlier answers count, nothing is reported twice', () => {
    const r = recorder();
    const saved: LessonState = { v: 1, mesh: 'linkerd', step: 12, answers: { 0: true }, completed: true, passed: null };
    const t = new LessonTracker(CONFIG, readState(JSON.stringify(saved)), 0.8, r.reporter);
    expect(t.state).toEqual(saved);
    t.take({ type: 'completed' });
    t.take(answer(1, true));
    expect(r.calls).toEqual(['answered 1 yes-no yes true', 'scored 1 true']);
  });

  it('ignores a checkpoint the lesson does not have', () => {
    const r = recorder();
    new LessonTracker(CONFIG, null, 0.8, r.reporter).take(answer(5, true));
    expect(r.calls).toEqual([]);
  });
});

describe(readState, () => {
  it('reads only its own state', () => {
    expect(readState('')).toBeNull();
    expect(readState('viewed=1,2,3')).toBeNull();
    expect(readState('{"v":2}')).toBeNull();
    expect(readState('{"v":1,"mesh":"istio","step":2,"answers":{}}')).toEqual({ v: 1, mesh: 'istio', step: 2, answers: {}, completed: false, passed: null });
  });
});

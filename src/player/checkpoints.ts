/**
 * Predict, then reveal: a scenario's checkpoint questions with the answers each run measured
 * (never written in the file), and the grading of a learner's prediction. In compare mode one
 * prediction is graded against each mesh's answer — often the lesson is that they differ.
 */
import type { CheckpointAnswer } from '../mesh/index.ts';
import { paneNames } from './meshes.ts';

/** A checkpoint as the page asks it. */
export interface CheckpointPrompt {
  index: number;
  atMs: number;
  question: string;
  /** What the learner answers: yes or no, or a number. */
  answerType: 'yes-no' | 'number';
  /** The measured answer in each run (each pane), with its explanation and evidence. */
  answers: { pane: number; mesh: string; answer: string; explanation: string; evidenceSeq?: number }[];
}

/** A prediction graded against one run's answer. */
export interface Grade {
  pane: number;
  mesh: string;
  correct: boolean;
  answer: string;
  /** `Right: yes.` / `Not quite: the answer is 10 (you said 3).` */
  text: string;
  explanation: string;
  evidenceSeq?: number;
}

/** The prompts of the checkpoints answered in every run (`runs[pane]`). */
export function checkpointPrompts(runs: readonly { mesh: string; checkpoints: readonly CheckpointAnswer[] }[]): CheckpointPrompt[] {
  const first = runs[0]?.checkpoints ?? [];
  return first.map((c, index) => ({
    index,
    atMs: c.at,
    question: c.question,
    answerType: c.answer === 'yes' || c.answer === 'no' ? 'yes-no' : 'number',
    answers: runs.map((r, pane) => {
      const a = r.checkpoints[index]!;
      return { pane, mesh: r.mesh, answer: a.answer, explanation: a.explanation, ...(a.evidenceSeq === undefined ? {} : { evidenceSeq: a.evidenceSeq }) };
    }),
  }));
}

/** Reads a learner's answer: `yes`/`no` (y, n, true, false), or a whole number. Null when unreadable. */
export function readAnswer(prompt: CheckpointPrompt, given: string): string | null {
  const s = given.trim().toLowerCase();
  if (prompt.answerType === 'yes-no') {
    if (['yes', 'y', 'true'].includes(s)) return 'yes';
    if (['no', 'n', 'false'].includes(s)) return 'no';
    return null;
  }
  return /^\d+$/.test(s) ? String(Number(s)) : null;
}

/** Grades `given` against every run's answer. */
export function gradeCheckpoint(prompt: CheckpointPrompt, given: string): Grade[] {
  const said = readAnswer(prompt, given) ?? given.trim();
  const names = paneNames(prompt.answers.map((a) => a.mesh));
  return prompt.answers.map((a, i) => {
    const correct = said === a.answer;
    const who = prompt.answers.length > 1 ? `${names[i]}: ` : '';
    const text = correct ? `${who}Right — ${a.answer}.` : `${who}Not quite — the answer is ${a.answer} (you said ${said}).`;
    return {
      pane: a.pane,
      mesh: a.mesh,
      correct,
      answer: a.answer,
      text,
      explanation: a.explanation,
      ...(a.evidenceSeq === undefined ? {} : { evidenceSeq: a.evidenceSeq }),
    };
  });
}

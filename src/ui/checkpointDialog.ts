/**
 * Predict, then reveal: when the playhead reaches a checkpoint, playback pauses and this dialog
 * asks the scenario's question. The learner answers (yes / no, or a number), then sees each run's
 * measured answer graded, its explanation, and "Show me", which jumps to the evidence. A
 * non-modal dialog over the picture, so the picture stays in view; focus moves into it.
 */
import { formatClock, gradeCheckpoint, paneNames, readAnswer, type CheckpointPrompt, type Grade } from '../player/index.ts';
import { el, setText } from './dom.ts';

export class CheckpointDialog {
  readonly root: HTMLDialogElement;
  private readonly heading: HTMLElement;
  private readonly question: HTMLElement;
  private readonly form: HTMLElement;
  private readonly result: HTMLElement;
  private prompt: CheckpointPrompt | null = null;
  private onClose: (() => void) | null = null;
  private returnFocus: HTMLElement | null = null;

  constructor(
    private readonly onShowMe: (pane: number, seq: number) => void,
    private readonly onAnswer: (prompt: CheckpointPrompt, answer: string, grades: Grade[]) => void = () => {},
  ) {
    this.heading = el('h2', { id: 'checkpoint-heading' });
    this.question = el('p', { class: 'checkpoint-question', id: 'checkpoint-question' });
    this.form = el('div', { class: 'checkpoint-form' });
    this.result = el('div', { class: 'checkpoint-result', role: 'status' });
    this.root = el(
      'dialog',
      { class: 'checkpoint', 'aria-labelledby': 'checkpoint-heading', 'aria-describedby': 'checkpoint-question' },
      this.heading,
      this.question,
      this.form,
      this.result,
    );
    this.root.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        this.close();
      }
    });
  }

  get open(): boolean {
    return this.root.open;
  }

  /** Asks `prompt`; `onClose` runs when the learner continues (or skips). */
  ask(prompt: CheckpointPrompt, onClose: () => void): void {
    this.prompt = prompt;
    this.onClose = onClose;
    setText(this.heading, `Checkpoint at ${formatClock(prompt.atMs)}: predict, then reveal`);
    setText(this.question, prompt.question);
    this.result.replaceChildren();
    const reveal = el('button', { type: 'button', class: 'reveal' }, 'Reveal');
    const skip = el('button', { type: 'button' }, 'Skip');
    skip.addEventListener('click', () => this.close());
    let read: () => string;
    let first: HTMLElement;
    if (prompt.answerType === 'yes-no') {
      const group = el('div', { role: 'radiogroup', 'aria-label': 'Your prediction' });
      const radios = ['yes', 'no'].map((v) => {
        const r = el('input', { type: 'radio', name: 'checkpoint-answer', id: `checkpoint-${v}`, value: v });
        group.append(el('label', { for: r.id, class: 'choice' }, r, ` ${v}`));
        return r;
      });
      read = () => radios.find((r) => r.checked)?.value ?? '';
      first = radios[0]!;
      this.form.replaceChildren(group, el('p', {}, reveal, ' ', skip));
    } else {
      const input = el('input', { type: 'number', id: 'checkpoint-number', min: '0', step: '1', inputmode: 'numeric' });
      input.addEventListener('keydown', (e) => {
        if (e.key !== 'Enter') return;
        // Or the key's keypress would land on Continue, which takes focus, and close the dialog.
        e.preventDefault();
        reveal.click();
      });
      read = () => input.value;
      first = input;
      this.form.replaceChildren(el('label', { for: input.id }, 'Your prediction '), input, el('p', {}, reveal, ' ', skip));
    }
    const hint = el('p', { class: 'hint', hidden: true, role: 'alert' });
    this.form.append(hint);
    reveal.addEventListener('click', () => {
      const given = read();
      if (readAnswer(prompt, given) === null) {
        hint.hidden = false;
        setText(hint, prompt.answerType === 'yes-no' ? 'Choose yes or no first.' : 'Type a whole number first.');
        return;
      }
      this.reveal(given);
    });
    if (!this.root.open) {
      this.returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      this.root.show();
    }
    first.focus();
  }

  private reveal(given: string): void {
    const prompt = this.prompt!;
    const grades = gradeCheckpoint(prompt, given);
    this.onAnswer(prompt, readAnswer(prompt, given) ?? given, grades);
    const cont = el('button', { type: 'button', class: 'continue' }, 'Continue');
    cont.addEventListener('click', () => this.close());
    // After "Show me" the card shrinks to one line, so the evidence on the picture is not under it.
    const showing = el('span', { class: 'showing', hidden: true });
    const back = el('button', { type: 'button', class: 'back', hidden: true }, 'Back to the answer');
    let shownBy: HTMLElement | null = null;
    back.addEventListener('click', () => {
      this.root.classList.remove('compact');
      showing.hidden = back.hidden = true;
      shownBy?.focus();
    });
    this.form.replaceChildren();
    const names = paneNames(grades.map((g) => g.mesh));
    this.result.replaceChildren(
      ...grades.map((g, i) => {
        const parts: (Node | string)[] = [
          el('p', { class: g.correct ? 'grade correct' : 'grade wrong' }, `${g.correct ? '✓' : '✗'} ${g.text}`),
          el('p', { class: 'explanation' }, g.explanation),
        ];
        if (g.evidenceSeq !== undefined) {
          const show = el('button', { type: 'button', class: 'show-me' }, prompt.answers.length > 1 ? `Show me (${names[i]})` : 'Show me');
          const seq = g.evidenceSeq;
          show.addEventListener('click', () => {
            this.onShowMe(g.pane, seq);
            this.root.classList.add('compact');
            setText(showing, prompt.answers.length > 1 ? `The evidence (${names[i]}) is on the picture.` : 'The evidence is on the picture.');
            showing.hidden = back.hidden = false;
            shownBy = show;
            back.focus();
          });
          parts.push(el('p', {}, show));
        }
        return el('div', { class: 'grade-block' }, ...parts);
      }),
      el('p', { class: 'checkpoint-actions' }, showing, ' ', back, ' ', cont),
    );
    cont.focus();
  }

  close(): void {
    if (!this.root.open) return;
    this.root.close();
    this.root.classList.remove('compact');
    this.returnFocus?.focus();
    this.returnFocus = null;
    const done = this.onClose;
    this.onClose = null;
    done?.();
  }
}

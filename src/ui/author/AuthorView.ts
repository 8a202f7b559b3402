/**
 * The authoring view (`?author=1`): a scenario's YAML in an editor beside the simulator. Each edit
 * is checked and simulated off the main thread (the worker parses too); a valid version replaces
 * the picture with the same seed and the playhead kept, a broken one shows its located problems
 * inline and in a list while the last good picture stays. From here an author saves the file,
 * copies a share link or the embed snippet, and downloads a lesson package.
 */
import { COMPARE, MESHES, createRunner, type RunProblem, type Runner } from '../../player/index.ts';
import { el, setText } from '../dom.ts';
import type { App } from '../App.ts';
import { LIBRARY, libraryFile, pickerTitle, type ScenarioFile } from '../library.ts';
import { FORMAT_NAMES, LESSON_FORMATS, type LessonFormat } from '../../lesson/lesson.ts';
import { ScenarioEditor, type LocatedProblem } from './editor.ts';
import { SchemaDocs } from './schemaDocs.ts';
import { download, embedSnippet, packInBrowser, shareLink, type SharedView } from './share.ts';

/** What an author starts from when no scenario is named. */
export const TEMPLATE = `id: my-lesson
title: My lesson
description: >
  What the learner will see, in a sentence or two.
seed: 1
duration: 5s
services:
  - name: frontend
  - name: backend
    replicas: 2
traffic:
  - from: frontend
    to: backend
    rate: 5/s
narration:
  - at: 0s
    text: frontend calls backend; each call goes through both sidecars.
checkpoints:
  - at: 2s
    question: Will frontend see any errors?
    measure: client-errors
    from: frontend
`;

/** How long typing must pause before the text is checked and simulated. */
const SETTLE_MS = 150;

/**
 * A Web Worker runner for every run, parsing included: the main thread is the editor's. It notes
 * how long each run took, from the request to the trace back on the main thread (the benchmark's
 * re-simulation figure).
 */
export function authorRunner(): Runner & { lastRunMs: number | null } {
  const inner = createRunner({
    always: true,
    spawnWorker: () => new Worker(new URL('../../player/simulation.worker.ts', import.meta.url), { type: 'module' }),
  });
  const timed = {
    lastRunMs: null as number | null,
    async run(request: Parameters<Runner['run']>[0]) {
      const started = performance.now();
      const outcome = await inner.run(request);
      if (outcome.ok) timed.lastRunMs = performance.now() - started;
      return outcome;
    },
  };
  return timed;
}

/** The message of a located problem, without its `file:line:column: ` prefix. */
function located(p: RunProblem): LocatedProblem {
  const prefix = `${p.file}:${p.line}:${p.column}: `;
  const message = p.text.startsWith(prefix) ? p.text.slice(prefix.length) : p.text.replace(/^[^:]*: /, '');
  return { line: p.line || 1, column: p.column || 1, message };
}

export class AuthorView {
  readonly root: HTMLElement;
  readonly preview: HTMLElement;
  private readonly editor: ScenarioEditor;
  private readonly status: HTMLElement;
  private readonly problemList: HTMLElement;
  private readonly output: HTMLTextAreaElement;
  private readonly outputLabel: HTMLElement;
  private readonly format: HTMLSelectElement;
  private app: App | null = null;
  private file: ScenarioFile;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private version = 0;
  /** How long the last valid edit took to show (ms from the edit's check to the new picture), for the benchmark. */
  lastResimMs: number | null = null;

  constructor(start: ScenarioFile, docs: SchemaDocs) {
    // The text as written, never a compiled library result: the author edits it.
    this.file = { key: `author:${start.file}`, file: start.file, text: start.text };
    const picker = el('select', { 'aria-label': 'Start from', id: 'author-start' });
    picker.append(el('option', { value: '' }, 'Start from…'), el('option', { value: 'template' }, 'An empty template'));
    for (const s of LIBRARY) picker.append(el('option', { value: s.key }, pickerTitle(s)));
    picker.addEventListener('change', () => {
      const key = picker.value;
      picker.value = '';
      void (key === 'template' ? Promise.resolve({ key, file: 'my-lesson.yaml', text: TEMPLATE }) : libraryFile(key)).then((chosen) => {
        if (chosen) this.startFrom(chosen);
      });
    });
    const button = (label: string, act: () => void | Promise<void>): HTMLButtonElement => {
      const b = el('button', { type: 'button' }, label);
      b.addEventListener('click', () => void act());
      return b;
    };
    this.format = el('select', { 'aria-label': 'Lesson format' });
    for (const f of LESSON_FORMATS) this.format.append(el('option', { value: f }, FORMAT_NAMES[f]));
    this.status = el('p', { class: 'author-status', role: 'status' });
    this.problemList = el('ul', { class: 'author-problems', 'aria-label': 'Problems' });
    this.output = el('textarea', { class: 'author-output', readonly: true, rows: '3', 'aria-labelledby': 'author-output-label', hidden: true });
    this.outputLabel = el('p', { id: 'author-output-label', class: 'author-output-label', hidden: true });
    const host = el('div', { class: 'author-editor-host' });
    this.preview = el('div', { class: 'author-preview', id: 'app' });
    this.root = el(
      'div',
      { class: 'author' },
      el(
        'header',
        { class: 'author-top' },
        el('h1', {}, 'mesh-sim ', el('span', {}, 'authoring')),
        picker,
        button('Save file', () => this.save()),
        button('Copy share link', () => this.share('link')),
        button('Copy embed snippet', () => this.share('embed')),
        el('label', { class: 'author-format' }, 'Lesson ', this.format),
        button('Download lesson', () => this.packageLesson()),
      ),
      el(
        'main',
        { class: 'author-layout' },
        el('section', { class: 'author-source', 'aria-label': 'Scenario source' }, host, this.status, this.problemList, this.outputLabel, this.output),
        this.preview,
      ),
    );
    this.editor = new ScenarioEditor(host, start.text, docs, () => this.edited());
  }

  /** Connects the simulator the edits re-simulate, and shows the first version. */
  async attach(app: App): Promise<void> {
    this.app = app;
    await this.check(this.editor.text, ++this.version);
  }

  private startFrom(file: ScenarioFile): void {
    this.file = { key: `author:${file.file}`, file: file.file.replace(/^.*\//, ''), text: file.text };
    this.editor.setText(file.text);
  }

  private edited(): void {
    if (this.timer) clearTimeout(this.timer);
    const version = ++this.version;
    setText(this.status, 'Checking…');
    this.timer = setTimeout(() => void this.check(this.editor.text, version), SETTLE_MS);
  }

  /** Simulates `text` (in the worker); shows its problems, or the new picture. */
  private async check(text: string, version: number): Promise<void> {
    const app = this.app;
    if (!app) return;
    const file: ScenarioFile = { ...this.file, text };
    const started = performance.now();
    const problems = await app.open(file, undefined, { revertable: true });
    if (version !== this.version) return; // a newer edit is on its way
    this.file = file;
    const list = (problems ?? []).map(located);
    this.editor.showProblems(list);
    this.problemList.replaceChildren(
      ...list.map((p) => {
        const b = el('button', { type: 'button', class: 'author-problem' }, `${this.file.file}:${p.line}:${p.column}: ${p.message}`);
        b.addEventListener('click', () => this.editor.reveal(p));
        return el('li', {}, b);
      }),
    );
    if (list.length) {
      setText(this.status, `${list.length} problem${list.length === 1 ? '' : 's'}: the picture shows the last version without problems.`);
      this.root.dataset.state = 'problems';
    } else {
      this.lastResimMs = performance.now() - started;
      setText(this.status, `Simulated (${Math.round(this.lastResimMs)} ms). ${app.player ? `${app.player.steps.length} steps.` : ''}`);
      this.root.dataset.state = 'ok';
    }
    this.root.dataset.version = String(version);
  }

  private view(): SharedView {
    const player = this.app?.player;
    return {
      base: new URL('./', location.href).href,
      name: this.file.file,
      text: this.editor.text,
      mesh: player ? (player.timelines.length > 1 ? COMPARE : player.trace.mesh) : MESHES[0]!.id,
      timeMs: player?.timeMs ?? 0,
    };
  }

  private save(): void {
    download(this.file.file, this.editor.text, 'text/yaml');
    setText(this.status, `Saved as ${this.file.file} (your browser's downloads).`);
  }

  private async share(what: 'link' | 'embed'): Promise<void> {
    const v = this.view();
    const text = what === 'link' ? shareLink(v) : embedSnippet(v, this.app?.player?.trace.scenario.title ?? v.name);
    this.output.hidden = false;
    this.outputLabel.hidden = false;
    this.output.value = text;
    setText(this.outputLabel, what === 'link' ? 'Share link (the whole file travels in the link)' : 'Embed snippet for this view');
    try {
      await navigator.clipboard.writeText(text);
      setText(this.status, what === 'link' ? 'Share link copied.' : 'Embed snippet copied.');
    } catch {
      this.output.select();
      setText(this.status, 'Copy the text below (the browser did not allow copying).');
    }
  }

  private async packageLesson(): Promise<void> {
    const format = this.format.value as LessonFormat;
    setText(this.status, `Packaging as ${FORMAT_NAMES[format]}…`);
    const packed = await packInBrowser(this.editor.text, this.file.file, format, this.view().mesh);
    if (!packed.ok) {
      setText(this.status, 'error' in packed ? packed.error : `The scenario has problems; fix them first (${packed.problems.length}).`);
      return;
    }
    const name = `${packed.config.scenario}-${format}.zip`;
    download(name, packed.zip, 'application/zip');
    setText(this.status, `Lesson saved as ${name} (${Math.round(packed.zip.length / 1024)} KB, ${packed.entries.length} files).`);
  }
}

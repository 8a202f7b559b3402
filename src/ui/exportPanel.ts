/**
 * Export: the current run as trace JSON (a download), and as a sequence diagram of one request or
 * the first N events — Mermaid text to paste into docs, and SVG to look at or download.
 */
import { requestChoices, sequenceOf, toMermaid, traceJsonParts, type SequenceChoice, type Trace } from '../player/index.ts';
import type { PanelHandle } from './lazyPanel.ts';
import type { Workbench } from './Workbench.ts';
import { el, setText } from './dom.ts';
import { sequenceSvg } from './sequenceSvg.ts';
import { RequestPicker } from './requestPicker.ts';

/** Offers `text` (or its parts, in order) as a file download (a blob URL; no script runs from it). */
export function download(name: string, type: string, text: string | string[]): void {
  const url = URL.createObjectURL(new Blob(typeof text === 'string' ? [text] : text, { type }));
  const a = el('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export class ExportPanel {
  private readonly request: RequestPicker;
  private readonly first: HTMLInputElement;
  private readonly modeRequest: HTMLInputElement;
  private readonly modeFirst: HTMLInputElement;
  private readonly mermaid: HTMLTextAreaElement;
  private readonly figure: HTMLElement;
  private readonly note: HTMLElement;
  private trace: Trace | null = null;
  private svgText = '';

  /** Fills `root`, the panel's `<details>`; `now()` is the playhead's time (the request picked until the learner picks one). */
  constructor(
    readonly root: HTMLDetailsElement,
    private readonly now: () => number = () => 0,
  ) {
    const json = el('button', { type: 'button' }, 'Download trace (JSON)');
    json.addEventListener('click', () => {
      const t = this.trace;
      // In parts: a long run's trace as one string would pass the longest string the browser makes.
      if (t) download(`${t.scenario.id}-${t.mesh}-seed${t.seed}.trace.json`, 'application/json', [...traceJsonParts(t), '\n']);
    });
    this.modeRequest = el('input', { type: 'radio', name: 'diagram-mode', id: 'diagram-request', value: 'request', checked: true });
    this.modeFirst = el('input', { type: 'radio', name: 'diagram-mode', id: 'diagram-first', value: 'first' });
    this.request = new RequestPicker('diagram-request-id', () => (this.modeRequest.checked = true));
    this.first = el('input', { type: 'number', id: 'diagram-first-n', min: '1', max: '500', step: '1', value: '40', 'aria-label': 'Number of events' });
    this.first.addEventListener('change', () => (this.modeFirst.checked = true));
    const draw = el('button', { type: 'button' }, 'Draw sequence diagram');
    draw.addEventListener('click', () => {
      this.request.followPlayhead(this.now());
      this.draw();
    });
    // Opened again later: the request at the playhead now (unless the learner picked one).
    root.addEventListener('toggle', () => root.open && this.request.followPlayhead(this.now()));
    this.mermaid = el('textarea', { class: 'mermaid', readonly: true, rows: '8', spellcheck: 'false', 'aria-label': 'Sequence diagram as Mermaid text' });
    this.figure = el('div', { class: 'sequence-figure' });
    this.note = el('p', { class: 'hint', role: 'status' });
    const mmd = el('button', { type: 'button' }, 'Download Mermaid (.mmd)');
    mmd.addEventListener('click', () => this.mermaid.value && download(`${this.fileBase()}.mmd`, 'text/plain', this.mermaid.value));
    const svgButton = el('button', { type: 'button' }, 'Download SVG');
    svgButton.addEventListener('click', () => this.svgText && download(`${this.fileBase()}.svg`, 'image/svg+xml', this.svgText));
    root.append(
      el('p', {}, json),
      el(
        'fieldset',
        { class: 'diagram-choice' },
        el('legend', {}, 'Sequence diagram of'),
        el('div', {}, this.modeRequest, el('label', { for: this.modeRequest.id }, ' one request:')),
        this.request.root,
        el('div', {}, this.modeFirst, el('label', { for: this.modeFirst.id }, ' the first '), this.first, ' events'),
      ),
      el('p', {}, draw),
      this.note,
      this.figure,
      this.mermaid,
      el('p', { class: 'export-actions' }, mmd, ' ', svgButton),
    );
  }

  /** The run to export (the pane the panels follow). */
  setTrace(trace: Trace): void {
    if (trace === this.trace) return;
    this.trace = trace;
    // One row per request, drawn only where the list is scrolled to: a long run has hundreds of thousands.
    this.request.setChoices(requestChoices(trace));
    this.request.followPlayhead(this.now());
    if (this.mermaid.value) this.draw();
  }

  /** Preselects a request (the packet the learner clicked). */
  selectRequest(requestId: string): void {
    if (this.request.select(requestId)) this.modeRequest.checked = true;
  }

  private choice(): SequenceChoice {
    if (this.modeFirst.checked || !this.request.value) return { first: Math.min(500, Math.max(1, Math.round(Number(this.first.value) || 40))) };
    return { requestId: this.request.value };
  }

  private fileBase(): string {
    const t = this.trace!;
    const c = this.choice();
    return `${t.scenario.id}-${t.mesh}-${'requestId' in c ? c.requestId : `first-${c.first}`}`;
  }

  private draw(): void {
    const t = this.trace;
    if (!t) return;
    const d = sequenceOf(t, this.choice());
    this.mermaid.value = toMermaid(d);
    const picture = sequenceSvg(d);
    this.svgText = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(picture)}\n`;
    this.figure.replaceChildren(picture);
    setText(this.note, `${d.items.length} steps between ${d.participants.length} participants.`);
  }
}

/** The export panel as the workbench uses it. */
export interface ExportHandle extends PanelHandle {
  selectRequest(requestId: string): void;
}

/** The export panel in `root`, on the run of the pane the side panels follow. */
export function exportHandle(wb: Workbench, root: HTMLDetailsElement): ExportHandle {
  const panel = new ExportPanel(root, () => wb.player?.timeMs ?? 0);
  let offered: string | null = null;
  return {
    refresh() {
      const run = wb.runs[wb.focus];
      if (run) panel.setTrace(run.trace);
      // The packet clicked before the panel was open.
      if (wb.selectedRequest !== offered && wb.selectedRequest) panel.selectRequest(wb.selectedRequest);
      offered = wb.selectedRequest;
    },
    selectRequest: (id) => panel.selectRequest(id),
  };
}

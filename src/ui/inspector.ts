/**
 * The inspector: what the learner clicked (a pod's app, any proxy — a sidecar, a node proxy, a
 * waypoint, a gateway —, the control plane, a host or a packet), or else the current step. Shows
 * identities and certificates, machine states with the selected component's statechart, a
 * packet's headers and attempt, and every decision with its layer, summary and cause: the config,
 * its source, and the scenario-file line.
 */
import {
  formatClock,
  loadFidelityIndex,
  sourceParts,
  type FidelityIndex,
  statePhrase,
  type ComponentState,
  type DecisionEvent,
  type FlightEvent,
  type Trace,
  type View,
} from '../player/index.ts';
import type { Selection } from '../render/index.ts';
import { el, setText } from './dom.ts';
import type { statechart } from './statechart.ts';
import type * as SelectionViews from './selectionViews.ts';

/**
 * The statechart drawing, loaded the first time a node's machines are shown: a learner's first
 * play selects nothing, so its script stays out of the page's first load (browser.firstPlayKB).
 */
let drawChart: typeof statechart | null = null;
let chartLoading: Promise<typeof statechart> | null = null;
/** What the inspector shows for a node or a link (selectionViews.ts), loaded the first time one is selected, as the statechart. */
let facts: typeof SelectionViews | null = null;
let factsLoading: Promise<typeof SelectionViews> | null = null;

export class Inspector {
  readonly root: HTMLElement;
  private readonly title: HTMLElement;
  private readonly body: HTMLElement;
  private trace: Trace | null = null;
  private file = '';
  /** Decisions by node and by request: read from the whole trace when a selection first needs them, not before the first frame. */
  private indexes: { byNode: Map<string, DecisionEvent[]>; byRequest: Map<string, DecisionEvent[]> } | null = null;
  private key = '';
  /** What was shown last, to show again when the learner picks another machine. */
  private last: [View, Selection, (seq: number) => boolean] | null = null;
  /** The component whose statechart is shown, per selection. */
  private chosenEntity: string | null = null;
  /** The fidelity items a source links to, once loaded (sources show as text until then). */
  private fidelity: FidelityIndex | null = null;
  private fidelityAsked = false;

  constructor() {
    this.title = el('h2', {}, 'Inspector');
    this.body = el('div', { class: 'inspector-body' });
    // Focusable, so Tab reaches it and the keyboard can scroll it; focus inside survives a redraw.
    this.root = el('section', { class: 'panel inspector', 'aria-label': 'Inspector', tabindex: '0' }, this.title, this.body);
  }

  setTrace(trace: Trace, file: string): void {
    this.trace = trace;
    this.file = file;
    this.indexes = null;
    this.key = '';
  }

  private get index(): NonNullable<Inspector['indexes']> {
    if (this.indexes) return this.indexes;
    const events = this.trace?.events ?? [];
    const byNode = new Map<string, DecisionEvent[]>();
    const byRequest = new Map<string, DecisionEvent[]>();
    for (const e of events) {
      if (e.type !== 'decision') continue;
      (byNode.get(e.node) ?? byNode.set(e.node, []).get(e.node)!).push(e);
      if (e.requestId) (byRequest.get(e.requestId) ?? byRequest.set(e.requestId, []).get(e.requestId)!).push(e);
    }
    return (this.indexes = { byNode, byRequest });
  }

  /** Shows `selection` (or the current step); `done(seq)` tells whether an event has happened at the cursor. */
  update(view: View, selection: Selection, done: (seq: number) => boolean): void {
    const trace = this.trace;
    if (!trace) return;
    this.last = [view, selection, done];
    const selKey = selection
      ? selection.kind === 'node'
        ? `n:${selection.node}`
        : selection.kind === 'edge'
          ? `e:${selection.from}>${selection.to}:${JSON.stringify(view.edges.find((x) => x.from === selection.from && x.to === selection.to) ?? null)}`
          : `p:${selection.seq}`
      : `s:${view.step?.seq ?? -1}`;
    const key = `${trace.mesh}:${trace.seed}:${selKey}:${view.stateVersion}:${view.step?.index ?? -1}:${this.chosenEntity}`;
    if (key === this.key) return;
    this.key = key;
    const parts: Node[] = [];
    if (selection?.kind === 'packet') {
      const f = trace.events[selection.seq] as FlightEvent;
      setText(this.title, `Packet: ${f.label}`);
      parts.push(this.flightDetails(f));
      if (f.requestId)
        parts.push(
          ...this.decisions(
            `Decisions for ${f.requestId}`,
            (this.index.byRequest.get(f.requestId) ?? []).filter((d) => done(d.seq)),
          ),
        );
    } else if ((selection?.kind === 'node' || selection?.kind === 'edge') && !facts) {
      factsLoading ??= import('./selectionViews.ts').then((m) => (facts = m));
      // Shown again when it has come (a paused player draws no new frame to carry it).
      void factsLoading.then(() => {
        this.key = '';
        if (this.last) this.update(...this.last);
      });
      parts.push(el('p', { class: 'hint' }, 'Loading…'));
    } else if ((selection?.kind === 'edge' || selection?.kind === 'node') && facts) {
      const shown =
        selection.kind === 'edge' ? facts.linkView(this.context, selection.from, selection.to, view) : facts.nodeView(this.context, selection.node, view);
      setText(this.title, shown.title);
      parts.push(...shown.parts);
      if (selection.kind === 'node')
        parts.push(...this.decisions('Recent decisions here', (this.index.byNode.get(selection.node) ?? []).filter((d) => done(d.seq)).slice(-5)));
    } else {
      setText(this.title, 'Inspector');
      parts.push(el('p', { class: 'hint' }, 'Click a pod, a proxy, a packet or the control plane to inspect it. Meanwhile, this is the current step.'));
      const step = view.step;
      const e = step ? trace.events[step.seq]! : null;
      if (e?.type === 'decision') parts.push(...this.decisions('Current step', [e]));
      else if (e?.type === 'flight') parts.push(this.flightDetails(e));
      else if (e?.type === 'transition') {
        const c = view.components.find((x) => x.entity === e.entity);
        if (c) parts.push(this.machine(c));
      } else if (step) parts.push(el('p', {}, step.text));
    }
    // Redrawing replaces the buttons: keep the focus on the same one (or on the panel), never on the page.
    const focused = document.activeElement instanceof HTMLElement && this.body.contains(document.activeElement) ? document.activeElement : null;
    const again = focused?.dataset.entity;
    this.body.replaceChildren(...parts);
    if (focused) (this.body.querySelector<HTMLElement>(again ? `[data-entity="${CSS.escape(again)}"]` : 'button') ?? this.root).focus();
  }

  private flightDetails(f: FlightEvent): HTMLElement {
    const label = (id: string): string => this.trace!.topology.nodes.find((n) => n.id === id)?.label ?? id;
    const rows: [string, string][] = [
      ['kind', f.kind],
      ['from', label(f.from)],
      ['to', label(f.to)],
      ['departs', formatClock(f.departMs)],
      ['arrives', formatClock(f.arriveMs)],
    ];
    if (f.requestId) rows.push(['request', f.requestId]);
    if (f.attempt !== undefined) rows.push(['attempt', String(f.attempt)]);
    if (f.status !== undefined) rows.push(['status', String(f.status)]);
    // Only application traffic is inside mTLS or not; handshake and control-plane messages are their own story.
    if (f.kind === 'http-request' || f.kind === 'http-response') rows.push(['mTLS', f.mtls ? 'yes (encrypted, both sides authenticated)' : 'no (plaintext)']);
    else if (f.kind === 'tls')
      rows.push([
        'TLS',
        f.label.startsWith('{')
          ? 'handshake message, encrypted with the handshake keys (TLS 1.3 writes these in braces)'
          : f.label.startsWith('alert')
            ? 'alert: the handshake is aborted'
            : 'handshake message, sent in the clear',
      ]);
    for (const [k, v] of Object.entries(f.detail ?? {})) rows.push([k, String(v)]);
    return table(rows);
  }

  /** What selectionViews.ts borrows to draw a node or a link. */
  private get context(): SelectionViews.SelectionContext {
    return {
      trace: this.trace!,
      machine: (c) => this.machine(c),
      table,
      chosenEntity: this.chosenEntity,
      choose: (entity) => {
        this.chosenEntity = entity;
        // Shown at once: a paused player draws no new frame to carry it.
        if (this.last) this.update(...this.last);
      },
    };
  }

  private machine(c: ComponentState): HTMLElement {
    const graph = this.trace!.machines[c.machine];
    const figure = el(
      'figure',
      { class: 'machine' },
      graph && drawChart ? drawChart(graph, c.state, c.previous) : null,
      el(
        'figcaption',
        {},
        `${c.entity}: ${c.previous === null ? 'started' : statePhrase(c.machine, c.previous).long} → ${statePhrase(c.machine, c.state, c.previous).long}, on ${c.cause} at ${formatClock(c.sinceMs)}`,
      ),
    );
    if (graph && !drawChart) {
      chartLoading ??= import('./statechart.ts').then((m) => (drawChart = m.statechart));
      // Drawn into this figure when it arrives (a figure the inspector has replaced meanwhile is not shown).
      void chartLoading.then((draw) => figure.prepend(draw(graph, c.state, c.previous)));
    }
    return figure;
  }

  /**
   * A cause's source, each cited fidelity item a link to its upstream page (the item's id and title
   * in the link's title). Text stays text: the link's address comes from the project's own index,
   * never from the scenario. The first source shown loads the index, and is shown again with its
   * links when it has come.
   */
  private sourceNode(source: string): Node {
    const span = el('span', { class: 'source' });
    if (!this.fidelity) {
      if (!this.fidelityAsked) {
        this.fidelityAsked = true;
        loadFidelityIndex().then(
          (items) => {
            this.fidelity = items;
            this.key = '';
            if (this.last) this.update(...this.last);
          },
          // Not loaded (offline): the sources stay text, and the next one shown asks again.
          () => (this.fidelityAsked = false),
        );
      }
      span.append(source);
      return span;
    }
    for (const p of sourceParts(source, this.fidelity))
      span.append(
        'href' in p ? el('a', { href: p.href, title: p.title, target: '_blank', rel: 'noopener noreferrer' }, p.text) : document.createTextNode(p.text),
      );
    return span;
  }

  private decisions(heading: string, list: DecisionEvent[]): HTMLElement[] {
    if (!list.length) return [];
    return [
      el('h3', {}, heading),
      ...list.map((d) =>
        el(
          'article',
          { class: 'decision' },
          el('p', { class: 'decision-head' }, `${formatClock(d.t)} · ${d.layer} · ${d.kind}${d.attempt ? ` · attempt ${d.attempt}` : ''}`),
          el('p', {}, d.summary),
          table([
            ['config', `${d.cause.config}${d.cause.isDefault ? ' (mesh default)' : ''}`],
            ['source', this.sourceNode(d.cause.source)],
            ['scenario line', d.cause.line !== undefined ? `${this.file}:${d.cause.line}` : '—'],
          ]),
        ),
      ),
    ];
  }
}

function table(rows: [string, string | Node][]): HTMLElement {
  const dl = el('dl', { class: 'facts' });
  for (const [k, v] of rows) dl.append(el('dt', {}, k), el('dd', {}, v));
  return dl;
}

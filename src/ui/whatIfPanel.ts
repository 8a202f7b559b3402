/**
 * What if…: inject a fault at the playhead — crash a pod, slow it, make it fail a share of its
 * requests, cut a link, stop the control plane, expire a certificate. Each injection is a command
 * the app applies by re-simulating from the start; the run before it stays as a branch to switch
 * back to, with what the fault changed in words.
 */
import { formatClock, loadCommands, meshName, scenarioPods, whatIf, type Branch, type LearnerCommand, type LearnerCommandType } from '../player/index.ts';
import type { PanelHandle } from './lazyPanel.ts';
import type { Workbench } from './Workbench.ts';
import { el, setText } from './dom.ts';

const KINDS: { type: LearnerCommandType; label: string }[] = [
  { type: 'pod.crash', label: 'crash a pod' },
  { type: 'pod.slow', label: 'slow a pod' },
  { type: 'pod.fail', label: 'make a pod fail a share of requests' },
  { type: 'link.cut', label: 'cut a link' },
  { type: 'controlPlane.stop', label: 'stop the control plane' },
  { type: 'certificate.expire', label: "expire a pod's certificate" },
];

/** Which fields each kind uses. */
const USES: Record<LearnerCommandType, ('pod' | 'delay' | 'rate' | 'status' | 'to' | 'restart')[]> = {
  'pod.crash': ['pod', 'restart'],
  'pod.slow': ['pod', 'delay', 'rate'],
  'pod.fail': ['pod', 'status', 'rate'],
  'link.cut': ['pod', 'to'],
  'controlPlane.stop': [],
  'certificate.expire': ['pod'],
};

export class WhatIfPanel {
  private readonly kind: HTMLSelectElement;
  private readonly pod: HTMLSelectElement;
  private readonly to: HTMLSelectElement;
  private readonly delay: HTMLInputElement;
  private readonly rate: HTMLInputElement;
  private readonly status: HTMLInputElement;
  private readonly restart: HTMLInputElement;
  private readonly rows = new Map<string, HTMLElement>();
  private readonly inject: HTMLButtonElement;
  private readonly branches: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly problem: HTMLElement;
  private timeMs = 0;
  private podsKey = '';

  /** Fills `root`, the panel's `<details>`. */
  constructor(
    readonly root: HTMLDetailsElement,
    private readonly onInject: (command: LearnerCommand) => void,
    private readonly onSwitch: (branchId: number) => void,
  ) {
    this.kind = el('select', { id: 'fault-kind' });
    for (const k of KINDS) this.kind.append(el('option', { value: k.type }, k.label));
    this.kind.addEventListener('change', () => this.showFields());
    this.pod = el('select', { id: 'fault-pod' });
    this.to = el('select', { id: 'fault-to' });
    this.delay = el('input', { id: 'fault-delay', type: 'number', min: '1', step: '1', value: '500' });
    this.rate = el('input', { id: 'fault-rate', type: 'number', min: '1', max: '100', step: '1', value: '50' });
    this.status = el('input', { id: 'fault-status', type: 'number', min: '100', max: '599', step: '1', value: '503' });
    this.restart = el('input', { id: 'fault-restart', type: 'number', min: '1', step: '1', placeholder: 'never' });
    const row = (key: string, label: string, input: HTMLElement, unit?: string): HTMLElement => {
      const r = el('div', { class: 'knob' }, el('label', { for: input.id }, label), input, unit ? el('span', { class: 'unit' }, unit) : null);
      this.rows.set(key, r);
      return r;
    };
    this.inject = el('button', { type: 'button', class: 'inject' }, 'Inject at 0.000 s');
    this.inject.addEventListener('click', () => this.submit());
    this.problem = el('p', { class: 'problem', role: 'alert', hidden: true });
    this.branches = el('div', { class: 'branches', role: 'radiogroup', 'aria-label': 'Runs' });
    this.summary = el('p', { class: 'what-if-summary', role: 'status' });
    root.append(
      el(
        'p',
        { class: 'hint' },
        'Inject a fault at the playhead. The run is simulated again from the start with the fault added; the run before it stays below.',
      ),
      el('div', { class: 'knob' }, el('label', { for: this.kind.id }, 'fault'), this.kind),
      row('pod', 'pod', this.pod),
      row('delay', 'extra time', this.delay, 'ms'),
      row('status', 'status', this.status),
      row('rate', 'share of requests', this.rate, '%'),
      row('to', 'cut from', this.to),
      row('restart', 'restart after', this.restart, 'ms'),
      el('p', {}, this.inject),
      this.problem,
      el('h3', {}, 'Runs'),
      this.branches,
      this.summary,
    );
    this.showFields();
  }

  /** The pods a fault can hit, and what a link can be cut from. */
  setPods(pods: readonly string[]): void {
    const key = pods.join(',');
    if (key === this.podsKey) return;
    this.podsKey = key;
    const keep = [this.pod.value, this.to.value];
    this.pod.replaceChildren(...pods.map((p) => el('option', { value: p }, p)));
    this.to.replaceChildren(el('option', { value: 'control-plane' }, 'the control plane'), ...pods.map((p) => el('option', { value: p }, p)));
    if (pods.includes(keep[0]!)) this.pod.value = keep[0]!;
    if (keep[1] && [...this.to.options].some((o) => o.value === keep[1])) this.to.value = keep[1];
  }

  /** The playhead's time, which the next fault is injected at. */
  setTime(timeMs: number): void {
    this.timeMs = timeMs;
    setText(this.inject, `Inject at ${formatClock(timeMs)}`);
  }

  /** The runs so far, the current one chosen, and what its fault changed. */
  setBranches(branches: readonly Branch[], current: number, summary: string): void {
    const depth = (b: Branch): number => (b.parent === null ? 0 : 1 + depth(branches.find((x) => x.id === b.parent)!));
    this.branches.replaceChildren(
      ...branches.map((b) => {
        const input = el('input', { type: 'radio', name: 'branch', id: `branch-${b.id}`, value: String(b.id), checked: b.id === current });
        input.addEventListener('change', () => input.checked && this.onSwitch(b.id));
        return el('div', { class: 'branch', style: `margin-left:${depth(b) * 14}px` }, input, el('label', { for: input.id }, b.label));
      }),
    );
    setText(this.summary, summary);
  }

  setProblem(text: string | null): void {
    this.problem.hidden = text === null;
    setText(this.problem, text ?? '');
  }

  private showFields(): void {
    const uses = USES[this.kind.value as LearnerCommandType];
    for (const [key, r] of this.rows) r.hidden = !uses.includes(key as never);
  }

  private submit(): void {
    const at = Math.round(this.timeMs * 1000) / 1000;
    const pod = this.pod.value;
    const n = (input: HTMLInputElement): number => Number(input.value);
    const type = this.kind.value as LearnerCommandType;
    let command: LearnerCommand;
    switch (type) {
      case 'pod.crash':
        command = this.restart.value.trim() ? { type, pod, at, restartAfter: n(this.restart) } : { type, pod, at };
        break;
      case 'pod.slow':
        command = { type, pod, at, delay: n(this.delay), rate: n(this.rate) / 100 };
        break;
      case 'pod.fail':
        command = { type, pod, at, status: n(this.status), rate: n(this.rate) / 100 };
        break;
      case 'link.cut':
        command = { type, pod, to: this.to.value, at };
        break;
      case 'controlPlane.stop':
        command = { type, at };
        break;
      case 'certificate.expire':
        command = { type, pod, at };
        break;
    }
    this.onInject(command);
  }
}

/** The what-if panel as the workbench uses it. */
export interface WhatIfHandle extends PanelHandle {
  setTime(timeMs: number): void;
  setProblem(text: string | null): void;
}

/** Injects a fault at the playhead as a new branch; the problems when it cannot be simulated. */
async function inject(wb: Workbench, command: LearnerCommand): Promise<string | null> {
  await loadCommands();
  const from = wb.lab.current.id;
  const branch = wb.lab.inject(command);
  const problems = await wb.host.resimulate();
  if (!problems) return null;
  wb.lab.drop(branch.id);
  wb.lab.switchTo(from);
  wb.whatIf.refresh();
  return `Not injected: ${problems.map((p) => p.text).join('; ')}`;
}

/** Shows branch `id`'s run. */
async function switchBranch(wb: Workbench, id: number): Promise<void> {
  const from = wb.lab.current.id;
  if (id === from || !wb.lab.switchTo(id)) return;
  if (await wb.host.resimulate()) wb.lab.switchTo(from);
}

/**
 * The what-if panel in `root`: faults injected through `wb`, the runs so far, and what the
 * current branch's last fault changed against the run before it (simulated aside, remembered).
 */
export function whatIfHandle(wb: Workbench, root: HTMLDetailsElement): WhatIfHandle {
  const cache = new Map<string, string>();
  let cacheFile = wb.file;
  const panel = new WhatIfPanel(
    root,
    (command) => {
      panel.setProblem(null);
      void inject(wb, command).then((problem) => problem && panel.setProblem(problem));
    },
    (id) => void switchBranch(wb, id),
  );
  const branches = async (): Promise<void> => {
    const lab = wb.lab;
    const branch = lab.current;
    const parent = lab.parent;
    const list = (summary: string): void => panel.setBranches(lab.branches, branch.id, summary);
    if (!parent) return list(lab.branches.length > 1 ? 'The run as written: switch to a branch to see what its fault changed.' : '');
    const command = branch.commands[branch.commands.length - 1]!;
    const runs = wb.runs;
    const key = JSON.stringify([lab.edits, runs.map((r) => r.mesh)]);
    let text = cache.get(key);
    if (text === undefined) {
      list('Comparing with the run before this fault…');
      const before = await wb.host.simulateAside(lab.editsOf(parent));
      if (!before || branch !== wb.lab.current) return;
      text = runs
        .map((r, i) => {
          const s = whatIf(before[i]!.report.requests, r.report.requests, command.at);
          return `${runs.length > 1 ? `${meshName(r.mesh)}: ` : ''}${s.text}`;
        })
        .join(' ');
      cache.set(key, text);
    }
    list(`${branch.label.slice(2)} — ${text}`);
  };
  return {
    refresh() {
      if (wb.file !== cacheFile) {
        cache.clear();
        cacheFile = wb.file;
      }
      void wb.base().then((base) => base && panel.setPods(scenarioPods(base)));
      if (wb.player) panel.setTime(wb.player.timeMs);
      void branches();
    },
    setTime: (timeMs) => panel.setTime(timeMs),
    setProblem: (text) => panel.setProblem(text),
  };
}

/**
 * The knobs: the scenario's policies per called service, and each mesh's own settings where the
 * file has them, as labelled native form fields. A change is reported by id; the app re-simulates
 * with the same seed and keeps the playhead. The fields are built once per scenario and then only
 * updated, so keyboard focus stays where the learner is.
 */
import { knobGroups, knobText, readKnob, setKnob, type KnobField, type KnobGroup, type KnobValue } from '../player/index.ts';
import type { LoadedScenario } from '../scenario/index.ts';
import type { PanelHandle } from './lazyPanel.ts';
import type { Workbench } from './Workbench.ts';
import { el, setText } from './dom.ts';

type Input = HTMLInputElement | HTMLSelectElement;

export class KnobsPanel {
  private readonly body: HTMLElement;
  private readonly status: HTMLElement;
  private readonly reset: HTMLButtonElement;
  private inputs = new Map<string, { input: Input; field: KnobField }>();
  private structure = '';

  /** Fills `root`, the panel's `<details>`. */
  constructor(
    readonly root: HTMLDetailsElement,
    private readonly onChange: (id: string, value: KnobValue) => void,
    onReset: () => void,
  ) {
    this.body = el('div', { class: 'knob-groups' });
    this.status = el('p', { class: 'knob-status', role: 'status' });
    this.reset = el('button', { type: 'button' }, 'Reset knobs');
    this.reset.addEventListener('click', onReset);
    root.append(
      el('p', { class: 'hint' }, 'A change re-simulates with the same seed and keeps the playhead. Empty means the mesh default.'),
      this.body,
      el('p', { class: 'knob-actions' }, this.reset),
      this.status,
    );
  }

  /** Shows `groups`; native groups only for the meshes on screen. */
  setGroups(groups: readonly KnobGroup[], meshes: readonly string[]): void {
    const shown = groups.filter((g) => !g.meshes || g.meshes.some((m) => meshes.includes(m)));
    const structure = JSON.stringify(shown.map((g) => [g.id, g.fields.map((f) => f.id)]));
    if (structure !== this.structure) {
      this.structure = structure;
      this.build(shown);
    }
    for (const g of shown) for (const f of g.fields) this.refresh(f);
  }

  /** A line saying what the last change did. */
  setStatus(text: string): void {
    setText(this.status, text);
  }

  private build(groups: readonly KnobGroup[]): void {
    this.inputs = new Map();
    const set = (g: KnobGroup): HTMLElement => {
      const box = el('fieldset', { class: 'knob-group', 'data-group': g.id }, el('legend', {}, g.title));
      if (g.hint) box.append(el('p', { class: 'hint' }, g.hint));
      for (const f of g.fields) box.append(this.fieldRow(f, g.section?.title));
      return box;
    };
    const policies = groups.filter((g) => !g.section).map(set);
    // Each section's own settings can be many: folded, one box per section, under the policies.
    const sections = [...new Map(groups.flatMap((g) => (g.section ? [[g.section.key, g.section] as const] : []))).values()];
    const native = sections.map((section) => {
      const own = groups.filter((g) => g.section?.key === section.key);
      return el(
        'details',
        { class: 'native-settings', 'data-section': section.key },
        el('summary', {}, `${section.title} settings in the file (${own.length} resource${own.length === 1 ? '' : 's'})`),
        ...own.map(set),
      );
    });
    this.body.replaceChildren(...policies, ...native);
  }

  private fieldRow(f: KnobField, owner: string | undefined): HTMLElement {
    const id = `knob-${f.id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    let input: Input;
    if (f.type === 'choice') {
      input = el('select', { id });
      for (const o of f.options ?? []) input.append(el('option', { value: o.value }, o.label));
      input.addEventListener('change', () => this.onChange(f.id, input.value === '' ? null : input.value));
    } else if (f.type === 'toggle') {
      input = el('input', { id, type: 'checkbox' });
      input.addEventListener('change', () => this.onChange(f.id, (input as HTMLInputElement).checked));
    } else if (f.type === 'number') {
      input = el('input', {
        id,
        type: 'number',
        inputmode: 'numeric',
        step: '1',
        min: f.min === undefined ? undefined : String(f.min),
        max: f.max === undefined ? undefined : String(f.max),
        placeholder: f.placeholder,
      });
      input.addEventListener('change', () => {
        const v = input.value.trim();
        this.onChange(f.id, v === '' || !Number.isFinite(Number(v)) ? null : Number(v));
      });
    } else {
      input = el('input', { id, type: 'text', spellcheck: 'false' });
      input.addEventListener('change', () => this.onChange(f.id, input.value));
    }
    this.inputs.set(f.id, { input, field: f });
    const label = el('label', { for: id }, f.label);
    if (owner) label.title = `${owner} setting ${f.label}`;
    return el('div', { class: `knob knob-${f.type}` }, label, input, f.unit ? el('span', { class: 'unit' }, f.unit) : null);
  }

  private refresh(f: KnobField): void {
    const entry = this.inputs.get(f.id);
    if (!entry) return;
    const { input } = entry;
    entry.field = f;
    input.disabled = f.disabled === true;
    // Leave a field alone while the learner is typing in it.
    if (document.activeElement === input && input instanceof HTMLInputElement && input.type !== 'checkbox') return;
    if (input instanceof HTMLInputElement && input.type === 'checkbox') input.checked = f.value === true;
    else input.value = f.value === null ? '' : String(f.value);
  }
}

/** The knobs panel as the workbench uses it. */
export interface KnobsHandle extends PanelHandle {
  setStatus(text: string): void;
  /** Turns the knobs a link names (`id`, value as text) on `base`; what cannot be turned, as messages. */
  restore(base: LoadedScenario, knobs: readonly [string, string][]): string[];
}

/**
 * Applies a knob change, re-simulates, and says what changed (through `status`); undoes it
 * when the run cannot be made.
 */
async function rerun(wb: Workbench, apply: () => void, undo: () => void, status: (text: string) => void): Promise<void> {
  const runs = wb.runs;
  apply();
  status('Simulating again with the same seed…');
  const problems = await wb.host.resimulate();
  if (problems) {
    undo();
    wb.knobs.refresh();
    status(`Not applied: ${problems.map((p) => p.text).join('; ')}`);
    return;
  }
  wb.runsBefore = runs;
  wb.yaml.refresh();
  // What changed, in words (knobOutcome.ts: loaded with the first knob change).
  const { knobOutcome } = await import('./knobOutcome.ts');
  status(`Re-simulated with the same seed, playhead kept. ${knobOutcome(runs, wb.runs)}`);
}

/**
 * The knobs panel in `root`: its fields built from the scenario (the file's native settings need
 * the YAML parser, which loads with this panel), and a change re-simulated through `wb`.
 */
export function knobsHandle(wb: Workbench, root: HTMLDetailsElement): KnobsHandle {
  const turn = (base: LoadedScenario, id: string, value: KnobValue): void => {
    wb.lab.knobs = setKnob(base, wb.lab.knobs, id, value);
    wb.knobLog = [...wb.knobLog.filter(([k]) => k !== id), [id, knobText(value)]];
  };
  const change = async (apply: (base: LoadedScenario) => void): Promise<void> => {
    const base = await wb.base();
    if (!base) return;
    const previous = { knobs: wb.lab.knobs, log: wb.knobLog };
    await rerun(
      wb,
      () => apply(base),
      () => ((wb.lab.knobs = previous.knobs), (wb.knobLog = previous.log)),
      (text) => panel.setStatus(text),
    );
  };
  const panel = new KnobsPanel(
    root,
    (id, value) => void change((base) => turn(base, id, value)),
    () => void change(() => ((wb.lab.knobs = {}), (wb.knobLog = []))),
  );
  return {
    refresh() {
      const file = wb.file;
      void wb.base().then((base) => {
        if (base && file && file === wb.file)
          panel.setGroups(
            knobGroups(base, file.text, wb.lab.knobs),
            wb.runs.map((r) => r.mesh),
          );
      });
    },
    setStatus: (text) => panel.setStatus(text),
    restore(base, knobs) {
      const errors: string[] = [];
      for (const [id, text] of knobs) {
        const read = readKnob(knobGroups(base, wb.file?.text ?? '', wb.lab.knobs), id, text);
        if (typeof read === 'string') errors.push(`URL parameter knob: ${read}; left out`);
        else turn(base, id, read.value);
      }
      return errors;
    },
  };
}

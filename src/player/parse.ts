/**
 * Reading a scenario's text: parsing it (once: a knob change re-simulates the same file), the
 * native settings the file holds (for the knobs), and native edits spliced into the text in
 * place. This is the part of the player that needs yaml and the schemas; the page loads it only
 * when a text must be read (a scenario by URL or inline, a native knob, the knobs panel) —
 * library scenarios come parsed, compiled when the site is built.
 */
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { parseScenario, sectionKeys, type LoadResult, type LoadedScenario, type ScenarioProblem } from '../scenario/index.ts';
import { applyLearnerEdits, editProblem, type NativeEdit, type ScenarioEdits } from './edits.ts';
import { estimatedRequests, problemsOf, type RunOutcome, type RunProblem, type RunRequest } from './run.ts';
import { profileFor, runLoaded } from './simulateRun.ts';

/** A native setting of the scenario file: one scalar in one of a native section's resources. */
export interface NativeSetting {
  /** Where it is, as a key path (`istio[0].spec.trafficPolicy.outlierDetection.consecutive5xxErrors`). */
  path: string;
  /** The native section it is in (`istio`); the meshes that read it are the catalog's. */
  section: string;
  /** `DestinationRule reviews`. */
  resource: string;
  /** The field within the resource (`spec.trafficPolicy.outlierDetection.consecutive5xxErrors`). */
  field: string;
  value: string | number | boolean;
  /** The scalar's place in the text, [start, end). */
  range: [number, number];
}

/** Fields that name a resource rather than set it: not offered as knobs. */
const IDENTITY_FIELDS = new Set(['apiVersion', 'kind', 'metadata.name', 'metadata.namespace']);

/**
 * The scalars of each native section's resources in the file, for the knobs panel: the lists at
 * the top (`istio`, `linkerd`, ...) and those applied later by `changes`.
 */
export function nativeSettings(text: string): NativeSetting[] {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length || !isMap(doc.contents)) return [];
  const out: NativeSetting[] = [];
  const lists: { node: unknown; section: string; path: string; when: string }[] = [];
  const keys = sectionKeys();
  for (const key of keys) lists.push({ node: doc.contents.get(key, true), section: key, path: key, when: '' });
  const changes = doc.contents.get('changes', true);
  if (isSeq(changes))
    changes.items.forEach((change, k) => {
      if (!isMap(change)) return;
      const at = change.get('at');
      for (const key of keys) lists.push({ node: change.get(key, true), section: key, path: `changes[${k}].${key}`, when: `, applied at ${String(at)}` });
    });
  for (const { node: list, section, path: listPath, when } of lists) {
    if (!isSeq(list)) continue;
    list.items.forEach((item, i) => {
      if (!isMap(item)) return;
      const kind = String(item.get('kind') ?? '?');
      const meta = item.get('metadata', true);
      const name = isMap(meta) ? String(meta.get('name') ?? '') : '';
      const resource = `${`${kind} ${name}`.trim()}${when}`;
      const walk = (node: Node | null | undefined, field: string, path: string): void => {
        if (isMap(node)) {
          for (const pair of node.items) {
            const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
            const plain = /^[A-Za-z_][\w-]*$/.test(key);
            walk(pair.value as Node, field ? `${field}.${key}` : key, plain ? `${path}.${key}` : `${path}["${key}"]`);
          }
        } else if (isSeq(node)) {
          node.items.forEach((child, j) => walk(child as Node, `${field}[${j}]`, `${path}[${j}]`));
        } else if (isScalar(node) && node.range && !IDENTITY_FIELDS.has(field)) {
          const v = node.value;
          const multiLine = node.type === 'BLOCK_FOLDED' || node.type === 'BLOCK_LITERAL';
          if (multiLine || !(typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) return;
          out.push({ path, section, resource, field, value: v, range: [node.range[0], node.range[1]] });
        }
      };
      walk(item, '', `${listPath}[${i}]`);
    });
  }
  return out;
}

/** The text with each edited scalar replaced in place (same lines, so decisions still cite them). */
function spliceNative(text: string, edits: readonly NativeEdit[]): { text: string; problems: string[] } {
  const settings = new Map(nativeSettings(text).map((s) => [s.path, s]));
  const problems: string[] = [];
  const replacements: { range: [number, number]; literal: string }[] = [];
  for (const e of edits) {
    const s = settings.get(e.path);
    if (!s) {
      problems.push(`${e.path}: the scenario has no such setting`);
      continue;
    }
    // JSON's quoting is YAML's double-quoted scalar; it never spans lines.
    const literal = typeof e.value === 'string' ? JSON.stringify(e.value) : String(e.value);
    replacements.push({ range: s.range, literal });
  }
  replacements.sort((a, b) => b.range[0] - a.range[0]);
  let out = text;
  for (const r of replacements) out = out.slice(0, r.range[0]) + r.literal + out.slice(r.range[1]);
  return { text: out, problems };
}

let lastParse: { text: string; file: string; result: ReturnType<typeof parseScenario> } | null = null;

/**
 * Parses, remembering the last text: a knob change re-simulates the same file, and a run is
 * checked ({@link loadScenario}) before it is simulated.
 */
export function parseOnce(text: string, file: string): ReturnType<typeof parseScenario> {
  if (lastParse && lastParse.text === text && lastParse.file === file) return lastParse.result;
  const result = parseScenario(text, file);
  lastParse = { text, file, result };
  return result;
}

/**
 * The scenario as the learner has it: the file (with native settings edited in place, then
 * validated like any file), its policies after the knobs, and the commands' faults appended.
 * `loaded`: what the loader made of `text` already (a library scenario), used when no native
 * setting is edited.
 */
export function applyEdits(
  text: string,
  file: string,
  edits: ScenarioEdits | undefined,
  loaded?: LoadResult,
): { ok: true; scenario: LoadedScenario } | { ok: false; problems: ScenarioProblem[] } {
  const parsed = loadWithNative(text, file, edits?.native, loaded);
  if (!parsed.ok || !edits) return parsed;
  return applyLearnerEdits(parsed.scenario, file, edits);
}

/** The scenario with its native settings edited (parsed unless `loaded` serves), before knobs and faults. */
export function loadWithNative(text: string, file: string, native: readonly NativeEdit[] | undefined, loaded?: LoadResult): LoadResult {
  if (!native?.length) return loaded ?? parseOnce(text, file);
  const spliced = spliceNative(text, native);
  if (spliced.problems.length) return { ok: false, problems: spliced.problems.map((m) => editProblem(file, m)) };
  return parseOnce(spliced.text, file);
}

/** Parses a scenario (once: simulating the same text next reuses it); the loaded scenario or its problems. */
export function loadScenario(text: string, file: string): { ok: true; scenario: LoadedScenario } | { ok: false; problems: RunProblem[] } {
  const r = parseOnce(text, file);
  return r.ok ? r : { ok: false, problems: problemsOf(file, r.problems) };
}

/**
 * Parses (unless the request carries the loaded scenario) and simulates, with the mesh's profile
 * loaded already (`loadProfile` from src/mesh): what the simulation worker runs; `runScenario`
 * (runScenario.ts) has every profile. Never throws for a bad scenario or mesh: those come back as problems.
 */
export function runText(req: RunRequest): RunOutcome {
  const profile = profileFor(req);
  if (Array.isArray(profile)) return { ok: false, problems: profile };
  const base = loadWithNative(req.text, req.file, req.edits?.native, req.loaded);
  if (!base.ok) return { ok: false, problems: problemsOf(req.file, base.problems) };
  return runLoaded(base.scenario, req);
}

/**
 * Above this many expected requests a run simulated in the worker first sends a preview: the same
 * run simulated only up to {@link previewUntilMs}, enough for the page to lay out and draw the
 * picture at 0 s while the rest simulates (the 60 s, 1,000 requests/s load: about 2 s).
 */
export const PREVIEW_ABOVE_REQUESTS = 20_000;
/** About how many requests a preview simulates: every call the first second of a load makes. */
const PREVIEW_REQUESTS = 1_000;

/** How far a preview of `scenario` simulates (simulated ms), or null when it is short enough not to need one. */
export function previewUntilMs(scenario: LoadedScenario): number | null {
  const requests = estimatedRequests(scenario);
  if (requests <= PREVIEW_ABOVE_REQUESTS) return null;
  return Math.max(1, Math.round((scenario.duration * PREVIEW_REQUESTS) / requests));
}

/**
 * {@link runText}, for a long run first handing `preview` the same run stopped early (simulate's
 * `untilMs`: the traffic is planned for the whole run, so the preview's events are the run's
 * first ones). The scenario is parsed once.
 */
export function runTextPreviewed(req: RunRequest, preview: (outcome: RunOutcome) => void): RunOutcome {
  const profile = profileFor(req);
  if (Array.isArray(profile)) return { ok: false, problems: profile };
  const base = loadWithNative(req.text, req.file, req.edits?.native, req.loaded);
  if (!base.ok) return { ok: false, problems: problemsOf(req.file, base.problems) };
  const untilMs = previewUntilMs(base.scenario);
  if (untilMs !== null) {
    const early = runLoaded(base.scenario, req, { untilMs });
    if (early.ok) preview(early);
  }
  return runLoaded(base.scenario, req);
}

/**
 * The authoring view's entry (`?author=1`, chosen by src/main.ts; its own chunk, so the editor
 * adds nothing to first play). Opens what the URL names — a library scenario (`scenario=`), a
 * file (`scenarioUrl=`), the file in a share link's fragment (`#name=…&scenario=…`) — or an
 * empty template, beside the simulator.
 */
import '../styles.css';
import './author.css';
import { inflateSync, strFromU8 } from 'fflate';
import { MeshView } from '../../render/index.ts';
import { COMPARE, MESHES } from '../../player/index.ts';
import scenarioSchema from 'virtual:scenario-schema';
import { App } from '../App.ts';
import { Shell } from '../shell.ts';
import { bindKeys } from '../keyboard.ts';
import { exposeMeshSim, keyActions, shellActions } from '../wiring.ts';
import { fetchScenario, libraryFile, type ScenarioFile } from '../library.ts';
import { el } from '../dom.ts';
import { AuthorView, TEMPLATE, authorRunner } from './AuthorView.ts';
import { SchemaDocs } from './schemaDocs.ts';

declare global {
  interface Window {
    /** The authoring view, for tests and the benchmark: how long the last valid edit took to show. */
    /**
     * The authoring view, for tests and the benchmark: the last valid edit's time from its check
     * to the new picture, and its run's time in the worker (request to trace back).
     */
    meshSimAuthor?: { lastResimMs(): number | null; lastRunMs(): number | null };
  }
}

/** The scenario the URL names, or why it cannot be had (then the template opens). */
async function startingFile(): Promise<{ file: ScenarioFile; problem?: string }> {
  const template = { file: { key: 'template', file: 'my-lesson.yaml', text: TEMPLATE } };
  const query = new URLSearchParams(location.search);
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ''));
  const inline = fragment.get('scenario');
  if (inline) {
    try {
      const b64 = inline.replace(/-/g, '+').replace(/_/g, '/');
      const bytes = Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
      const name = (fragment.get('name') ?? 'scenario.yaml').replace(/[^\w.-]/g, '_');
      return { file: { key: `inline:${name}`, file: name, text: strFromU8(inflateSync(bytes)) } };
    } catch {
      return { ...template, problem: 'URL fragment scenario: not a scenario made by a share link (deflate-raw, base64url); opened the template instead' };
    }
  }
  const url = query.get('scenarioUrl');
  if (url) {
    const fetched = await fetchScenario(url);
    return 'error' in fetched ? { ...template, problem: fetched.error } : { file: { ...fetched, file: fetched.file } };
  }
  const key = query.get('scenario');
  if (key) {
    const found = await libraryFile(key);
    if (found) return { file: { key: found.key, file: found.file.replace(/^.*\//, ''), text: found.text } };
    return { ...template, problem: `URL parameter scenario: no scenario "${key}" in the library; opened the template instead` };
  }
  return template;
}

async function main(): Promise<void> {
  const { file, problem } = await startingFile();
  const author = new AuthorView(file, new SchemaDocs(scenarioSchema));
  document.body.replaceChildren(author.root);
  document.title = 'mesh-sim — writing a lesson';
  let app: App | null = null;
  const shell = new Shell(
    author.preview,
    shellActions(() => app),
  );
  const view = await MeshView.create(shell.stage);
  const runner = authorRunner();
  app = new App(shell, view, { writeUrl: false, runner });
  bindKeys(
    document,
    keyActions(() => app, shell),
  );
  exposeMeshSim(app);
  window.meshSimAuthor = { lastResimMs: () => author.lastResimMs, lastRunMs: () => runner.lastRunMs };
  const mesh = new URLSearchParams(location.search).get('mesh');
  const meshes = [...MESHES.map((m) => m.id), COMPARE];
  const problems = problem ? [problem] : [];
  if (mesh !== null && !meshes.includes(mesh)) problems.push(`URL parameter mesh: must be ${meshes.join(', ')} (got "${mesh}")`);
  else if (mesh) await app.setMesh(mesh);
  shell.setMesh(mesh !== null && meshes.includes(mesh) ? mesh : MESHES[0]!.id);
  if (problems.length) shell.showErrors(problems);
  await author.attach(app);
  document.body.dataset.ready = 'true';
}

main().catch((e: unknown) => {
  console.error(e);
  document.body.prepend(el('p', { class: 'fatal', role: 'alert' }, `The authoring view could not start: ${e instanceof Error ? e.message : String(e)}`));
});

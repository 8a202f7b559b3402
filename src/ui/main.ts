/**
 * The browser app's entry: builds the page, the renderer and the app, and binds the keyboard.
 * `window.meshSim` offers a read-only look at what is drawn (for tests and embedders).
 */
import './styles.css';
import { MeshView } from '../render/index.ts';
import { App } from './App.ts';
import { Shell } from './shell.ts';
import { bindKeys } from './keyboard.ts';
import { exposeMeshSim, keyActions, shellActions } from './wiring.ts';

async function main(): Promise<void> {
  const root = document.getElementById('app')!;
  let app: App | null = null;
  const shell = new Shell(
    root,
    shellActions(() => app),
  );
  const view = await MeshView.create(shell.stage);
  app = new App(shell, view);
  bindKeys(
    document,
    keyActions(() => app, shell),
  );
  exposeMeshSim(view, app);
  await app.start();
  document.body.dataset.ready = 'true';
}

main().catch((e: unknown) => {
  console.error(e);
  const root = document.getElementById('app');
  const p = document.createElement('p');
  p.className = 'fatal';
  p.setAttribute('role', 'alert');
  p.textContent = `mesh-sim could not start: ${e instanceof Error ? e.message : String(e)}`;
  root?.prepend(p);
});

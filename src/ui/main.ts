/**
 * The browser app's entry: builds the page, the renderer and the app, and binds the keyboard; or,
 * with `?author=1`, loads the authoring view instead.
 * `window.meshSim` offers a read-only look at what is drawn (for tests and embedders).
 */
import './styles.css';
import { App } from './App.ts';
import { prefetch } from './headStart.ts';
import { Shell } from './shell.ts';
import { bindKeys } from './keyboard.ts';
import { exposeMeshSim, keyActions, shellActions } from './wiring.ts';

async function main(): Promise<void> {
  // The scenario and its mesh's profile are fetched while the renderer starts, and a scenarioUrl's
  // run simulated in the worker meanwhile (headStart.ts).
  prefetch(location.search);
  const root = document.getElementById('app')!;
  let app: App | null = null;
  const shell = new Shell(
    root,
    shellActions(() => app),
  );
  // The picture's canvas is made by the app once the page around it is laid out (App.open).
  app = new App(shell, null);
  bindKeys(
    document,
    keyActions(() => app, shell),
  );
  exposeMeshSim(app);
  await app.start();
  document.body.dataset.ready = 'true';
  // Navigation to a page ready to play, for test/bench/browser.bench.ts.
  performance.mark('mesh-sim:ready');
}

// `?author=1`: the authoring view, its own chunk loaded from here, so the modules it shares with
// the app are the app's and the chunks first play loads stay as they are.
(new URLSearchParams(location.search).has('author') ? import('./author/main.ts').then(() => undefined) : main()).catch((e: unknown) => {
  console.error(e);
  const root = document.getElementById('app');
  const p = document.createElement('p');
  p.className = 'fatal';
  p.setAttribute('role', 'alert');
  p.textContent = `mesh-sim could not start: ${e instanceof Error ? e.message : String(e)}`;
  root?.prepend(p);
});

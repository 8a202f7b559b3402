/**
 * The browser app's entry: builds the page, the renderer and the app, and binds the keyboard.
 * `window.meshSim` offers a read-only look at what is drawn (for tests and embedders).
 */
import './styles.css';
import { MeshView } from '../render/index.ts';
import { App } from './App.ts';
import { Shell } from './shell.ts';
import { bindKeys } from './keyboard.ts';
import type { Player } from '../player/index.ts';

declare global {
  interface Window {
    meshSim?: {
      packetsOnScreen(): { seq: number; id: string; label: string; x: number; y: number }[];
      nodeOnScreen(id: string): { x: number; y: number } | null;
      state(): { scenario: string; mesh: string; timeMs: number; stepIndex: number; playing: boolean } | null;
    };
  }
}

async function main(): Promise<void> {
  const root = document.getElementById('app')!;
  let app: App | null = null;
  const withPlayer = (run: (p: Player) => void) => () => app?.command(run);
  const shell = new Shell(root, {
    toggle: withPlayer((p) => p.toggle()),
    stepBack: withPlayer((p) => p.stepBack()),
    stepForward: withPlayer((p) => p.stepForward()),
    restart: withPlayer((p) => p.restart()),
    setSpeed: (speed) => app?.command((p) => p.setSpeed(speed)),
    seekShow: (s) => app?.command((p) => {
      p.pause();
      p.seekShow(s);
    }),
    jumpToStep: (i) => app?.command((p) => {
      p.pause();
      p.seekStep(i);
    }),
    pickScenario: (key) => void app?.pick(key),
    setMesh: (mesh) => void app?.setMesh(mesh),
    zoom: (f) => app?.zoom(f),
    fit: () => app?.fit(),
  });
  const view = await MeshView.create(shell.stage);
  app = new App(shell, view);
  bindKeys(document, {
    toggle: withPlayer((p) => p.toggle()),
    stepBack: withPlayer((p) => p.stepBack()),
    stepForward: withPlayer((p) => p.stepForward()),
    restart: withPlayer((p) => p.restart()),
    faster: withPlayer((p) => p.nudgeSpeed(1)),
    slower: withPlayer((p) => p.nudgeSpeed(-1)),
    help: () => shell.help.toggle(),
  });
  const current = app;
  window.meshSim = {
    packetsOnScreen: () => view.packetsOnScreen(),
    nodeOnScreen: (id) => view.nodeOnScreen(id),
    state: () => {
      const p = current.player;
      return p ? { scenario: p.trace.scenario.id, mesh: p.timelines.length > 1 ? 'compare' : p.trace.mesh, timeMs: p.timeMs, stepIndex: p.stepIndex, playing: p.playing } : null;
    },
  };
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

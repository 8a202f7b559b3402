/**
 * A page with nothing but the renderer and the player, drawing a trace fixture the test serves
 * (a topology no library scenario has yet: node proxies, a waypoint, tunnels). The test builds
 * it with vite and drives it through `window.fixture`.
 */
import { MeshView } from '../../../src/render/index.ts';
import { Player, type Trace } from '../../../src/player/index.ts';

declare global {
  interface Window {
    fixture?: { view: MeshView; player: Player; seekTime(t: number): void; seekShow(s: number): void };
  }
}

async function main(): Promise<void> {
  const name = new URLSearchParams(location.search).get('trace') ?? 'trace.json';
  const trace = (await (await fetch(`/fixtures/${name}`)).json()) as Trace;
  const player = new Player(trace);
  const view = await MeshView.create(document.getElementById('stage')!);
  view.setTrace(trace);
  view.onFrame(() => view.draw(player.view(), { motion: true, selection: null }));
  window.fixture = {
    view,
    player,
    seekTime: (t) => player.seekTime(t),
    seekShow: (s) => player.seekShow(s),
  };
  document.body.dataset.ready = 'true';
}

void main();

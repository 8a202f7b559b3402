/**
 * What the app page and the embed page wire alike: the shell's buttons and the keyboard routed to
 * whichever App is current, and `window.meshSim`, a read-only look at what is drawn (for tests
 * and embedders).
 */
import type { MeshView } from '../render/index.ts';
import type { Player } from '../player/index.ts';
import type { App } from './App.ts';
import type { KeyActions } from './keyboard.ts';
import type { Shell, ShellActions } from './shell.ts';

declare global {
  interface Window {
    meshSim?: {
      packetsOnScreen(pane?: number): { seq: number; id: string; label: string; from: string; to: string; x: number; y: number; focus: boolean }[];
      nodeOnScreen(id: string): { x: number; y: number } | null;
      /** Every label drawn in pane `pane` (0 unless compare mode), with its size on screen. */
      textsOnScreen(pane?: number): { text: string; px: number; x: number; y: number; w: number; h: number; alpha: number }[];
      layoutVariant(pane?: number): string;
      /** How many arrangements pane `pane`'s picture has placed (layoutTypes.ts LayoutMemo): a resize that keeps its arrangement places none. */
      layoutPlacements(pane?: number): number;
      cardOnScreen(pod: string, pane?: number): { x: number; y: number; w: number; h: number } | null;
      controlPlaneOnScreen(pane?: number): { x: number; y: number; w: number; h: number } | null;
      /** Bands, pod cards and boxes of pane `pane` as drawn (CSS pixels relative to its canvas). */
      layoutOnScreen(pane?: number): ReturnType<MeshView['layoutOnScreen']>;
      /** The narration callouts drawn in pane `pane`, beside their nodes (CSS pixels relative to its canvas). */
      calloutsOnScreen(pane?: number): ReturnType<MeshView['calloutsOnScreen']>;
      /** The badges drawn in pane `pane` (one per row of a box's list), with their words (CSS pixels relative to its canvas). */
      badgesOnScreen(pane?: number): ReturnType<MeshView['badgesOnScreen']>;
      /** The links' tags (rate · share · errors, endpoint state) drawn in pane `pane` (CSS pixels relative to its canvas). */
      tagsOnScreen(pane?: number): { text: string; from: string; to: string; x: number; y: number; w: number; h: number }[];
      /** The links drawn in pane `pane`: each line's ends, width and surrounding box, its tag and its mTLS lock (CSS pixels relative to its canvas). */
      linksOnScreen(pane?: number): ReturnType<MeshView['linksOnScreen']>;
      /** In guided mode, the boxes of pane `pane` left bright (the rest is dimmed); empty otherwise. */
      guideOnScreen(pane?: number): ReturnType<MeshView['guideOnScreen']>;
      /** The boxes of pane `pane`'s current step's nodes as drawn (CSS pixels relative to its canvas). */
      stepOnScreen(pane?: number): ReturnType<MeshView['stepOnScreen']>;
      /** Compare mode: the box ringed as pane `pane`'s difference from the others at the playhead, or null. */
      differenceOnScreen(pane?: number): ReturnType<MeshView['differenceOnScreen']>;
      state(): { scenario: string; mesh: string; meshes: string[]; timeMs: number; stepIndex: number; playing: boolean } | null;
    };
  }
}

/** Runs `run` on the current app's player, if there is one yet. */
const onPlayer = (app: () => App | null, run: (p: Player) => void) => (): void => void app()?.command(run);

/** The shell's actions; `app` is read at each click, so the shell can exist before the app. */
export function shellActions(app: () => App | null): ShellActions {
  return {
    toggle: onPlayer(app, (p) => p.toggle()),
    stepBack: onPlayer(app, (p) => p.stepBack()),
    stepForward: onPlayer(app, (p) => p.stepForward()),
    restart: onPlayer(app, (p) => p.restart()),
    setSpeed: (speed) => app()?.command((p) => p.setSpeed(speed)),
    seekTime: (t) =>
      app()?.command((p) => {
        p.pause();
        p.seekTime(t);
      }),
    jumpToEvent: (pane, seq) =>
      app()?.command((p) => {
        p.pause();
        p.seekEvent(pane, seq);
      }),
    jumpToStep: (i) =>
      app()?.command((p) => {
        p.pause();
        p.seekStep(i);
      }),
    pickScenario: (key) => void app()?.pick(key),
    setMesh: (mesh) => void app()?.setMesh(mesh),
    setRelease: (mesh, version) => void app()?.setRelease(mesh, version),
    zoom: (f) => app()?.zoom(f),
    fit: () => app()?.fit(),
  };
}

/** The keyboard's actions (Space, arrows, Home, + −, ?). */
export function keyActions(app: () => App | null, shell: Shell): KeyActions {
  return {
    toggle: onPlayer(app, (p) => p.toggle()),
    stepBack: onPlayer(app, (p) => p.stepBack()),
    stepForward: onPlayer(app, (p) => p.stepForward()),
    restart: onPlayer(app, (p) => p.restart()),
    faster: onPlayer(app, (p) => p.nudgeSpeed(1)),
    slower: onPlayer(app, (p) => p.nudgeSpeed(-1)),
    help: () => shell.help.toggle(),
    jump: (what, direction) => app()?.jump(what, direction),
  };
}

/** Sets `window.meshSim` for this app. */
export function exposeMeshSim(app: App): void {
  window.meshSim = {
    packetsOnScreen: (pane = 0) => app.view(pane)?.packetsOnScreen() ?? [],
    nodeOnScreen: (id) => app.view(0)?.nodeOnScreen(id) ?? null,
    textsOnScreen: (pane = 0) => app.view(pane)?.textsOnScreen() ?? [],
    layoutVariant: (pane = 0) => app.view(pane)?.layoutVariant ?? '',
    layoutPlacements: (pane = 0) => app.view(pane)?.placements ?? 0,
    cardOnScreen: (pod, pane = 0) => app.view(pane)?.cardOnScreen(pod) ?? null,
    controlPlaneOnScreen: (pane = 0) => app.view(pane)?.controlPlaneOnScreen() ?? null,
    layoutOnScreen: (pane = 0) => app.view(pane)?.layoutOnScreen() ?? null,
    calloutsOnScreen: (pane = 0) => app.view(pane)?.calloutsOnScreen() ?? [],
    guideOnScreen: (pane = 0) => app.view(pane)?.guideOnScreen() ?? [],
    badgesOnScreen: (pane = 0) => app.view(pane)?.badgesOnScreen() ?? [],
    tagsOnScreen: (pane = 0) => (app.view(pane)?.linksOnScreen() ?? []).flatMap(({ from, to, tag }) => (tag ? [{ from, to, ...tag }] : [])),
    linksOnScreen: (pane = 0) => app.view(pane)?.linksOnScreen() ?? [],
    stepOnScreen: (pane = 0) => app.view(pane)?.stepOnScreen() ?? [],
    differenceOnScreen: (pane = 0) => app.view(pane)?.differenceOnScreen() ?? null,
    state: () => {
      const p = app.player;
      return p
        ? {
            scenario: p.trace.scenario.id,
            mesh: p.timelines.length > 1 ? 'compare' : p.trace.mesh,
            meshes: p.timelines.map((t) => t.trace.mesh),
            timeMs: p.timeMs,
            stepIndex: p.stepIndex,
            playing: p.playing,
          }
        : null;
    },
  };
}

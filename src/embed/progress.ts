/**
 * Turns what the learner sees into events for the host page: `ready` when a run is shown, `step`
 * when the step count changes, `narration` when a new line is current, `checkpoint` when the
 * learner answers, `completed` the first time a run reaches its last step. It reads the player
 * once per animation frame and posts at most one `step` per frame, however fast playback goes.
 */
import type { Player } from '../player/index.ts';
import type { EmbedEvent } from './protocol.ts';
import { checkpointStatement, completedStatement, stepStatement, type XapiRun } from './xapi.ts';

/** Progress events for one embed page; `opened` for each run shown, `observe` each frame. */
export class Progress {
  private player: Player | null = null;
  private trace: unknown = null;
  private run: XapiRun | null = null;
  private index = -1;
  private narrationSeq = -1;
  private openedAt = 0;
  /** Runs (`scenario|mesh|panes`) already completed in this frame's life. */
  private readonly completed = new Set<string>();

  constructor(
    private readonly post: (event: EmbedEvent) => void,
    /** The IRIs' base: the simulator's folder URL. */
    private readonly base: string,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** A run is shown (`mesh`: an id or `compare`; `meshes`: each pane's): announce it, and count from where it opens. */
  opened(player: Player, mesh: string, meshes: readonly string[]): void {
    const trace = player.trace;
    this.player = player;
    this.trace = trace;
    this.run = { base: this.base, scenarioId: trace.scenario.id, title: trace.scenario.title, mesh, meshes: [...meshes] };
    this.index = player.stepIndex + 1;
    this.narrationSeq = player.view().narration?.seq ?? -1;
    this.openedAt = this.now();
    this.post({
      type: 'ready',
      scenario: trace.scenario.id,
      title: trace.scenario.title,
      mesh,
      meshes: [...meshes],
      steps: player.steps.length,
      durationMs: trace.durationMs,
      index: this.index,
      t: player.timeMs,
    });
  }

  /** Called each animation frame, after the app moved the player. */
  observe(): void {
    const { player, run } = this;
    if (!player || !run || player.trace !== this.trace) return;
    const index = player.stepIndex + 1;
    const view = player.view();
    if (index !== this.index) {
      this.index = index;
      const step = { index, of: player.steps.length, t: player.timeMs, text: view.step?.text ?? 'At the start.' };
      this.post({ type: 'step', ...step, statement: stepStatement(run, step, new Date()) });
    }
    const n = view.narration;
    if (n && n.seq !== this.narrationSeq) this.post({ type: 'narration', t: player.timeMs, text: n.text });
    this.narrationSeq = n?.seq ?? -1;
    const key = `${run.scenarioId}|${run.mesh}|${run.meshes.join()}`;
    if (player.steps.length > 0 && index >= player.steps.length && !this.completed.has(key)) {
      this.completed.add(key);
      this.post({
        type: 'completed',
        scenario: run.scenarioId,
        mesh: run.mesh,
        meshes: [...run.meshes],
        statement: completedStatement(run, this.now() - this.openedAt, new Date()),
      });
    }
  }

  /** The learner answered a checkpoint. */
  checkpoint(a: { index: number; question: string; answer: string; correct: boolean }): void {
    if (!this.run) return;
    this.post({ type: 'checkpoint', ...a, statement: checkpointStatement(this.run, a, new Date()) });
  }
}

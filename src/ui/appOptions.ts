/**
 * How a page hosting the app can adjust it, and what it hears back. The full page uses the
 * defaults; the embed page (`src/embed`) keeps the URL to itself and listens. Kept small on
 * purpose: the embed observes the player for steps and narration itself.
 */
import type { ScenarioFile } from './library.ts';
import type { Runner } from '../player/index.ts';

/** What the app tells its host page. Every callback is optional. */
export interface AppEvents {
  /**
   * After each simulation: the scenario is shown (`problems` empty), or why it is not. `mesh` is
   * a mesh id or `compare`; `meshes` each pane's mesh.
   */
  opened?(file: ScenarioFile, mesh: string, problems: readonly string[], meshes: readonly string[]): void;
  /** The learner answered checkpoint `index` (in the scenario's order). */
  checkpointAnswered?(answer: { index: number; question: string; answer: string; correct: boolean }): void;
}

export interface AppOptions {
  /** Keep the address bar in step with the view (the full page). The embed leaves its URL alone. */
  writeUrl?: boolean;
  /** Origins besides the page's own that `scenarioUrl` may load from. */
  scenarioOrigins?: readonly string[];
  events?: AppEvents;
  /** Where simulations run; by default small ones inline and long ones in a Web Worker. */
  runner?: Runner;
}

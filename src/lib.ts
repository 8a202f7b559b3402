/**
 * The headless core as a library, for other tools (a course pipeline, a grader, a notebook):
 * parse a scenario with located errors, simulate it under a mesh, read the run report and the
 * trace. `import { parseScenario, simulate, profileById } from 'mesh-sim'`. No DOM, no pixi.js.
 */
export {
  parseScenario,
  loadScenarioOrThrow,
  formatProblem,
  ScenarioError,
  scenarioJsonSchema,
  meshCatalog,
  namedMeshes,
  type MeshEntry,
  type NativeSection,
  type LoadResult,
  type LoadedScenario,
  type ScenarioProblem,
  type Scenario,
} from './scenario/index.ts';
export {
  simulate,
  profileById,
  PROFILES,
  MESH_IDS,
  registerMesh,
  checkExpectations,
  type SimulationResult,
  type SimulateOptions,
  type MeshProfile,
  type RunReport,
  type ExpectationResult,
  type CheckpointAnswer,
  type RunMetrics,
} from './mesh/index.ts';
export type { Trace, TraceEvent, FlightEvent, DecisionEvent, TransitionEvent, RequestEvent, NarrationEvent, Topology, Cause } from './sim/index.ts';

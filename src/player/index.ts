/**
 * The player: runs a scenario (in a Web Worker when long), holds its trace and a cursor, and
 * answers "what does the world look like now". Headless: no DOM, no pixi, no clock of its own.
 * The renderer and the UI import this module only.
 */
export { Player, SPEEDS, STEP_DWELL_MS } from './Player.ts';
export { PANE_STRIDE } from './mergeSteps.ts';
export { Timeline, type Cursor } from './timeline.ts';
export { requestTargets, wireFlights, type WireFlight } from './wires.ts';
export { narrationSpans, isCurrent, type NarrationSpan, type NarrationNow } from './narrationSpans.ts';
export {
  viewAt,
  packetView,
  PacketFrame,
  BADGE_SHOW_MS,
  type View,
  type PacketView,
  type ComponentState,
  type BadgeView,
  type ServiceCounters,
} from './view.ts';
export { metricsAt, quantile, type MetricsAt, type ServiceMetrics } from './metrics.ts';
export { STEP_KINDS, type Step, type StepKind } from './steps.ts';
export { stepClockMs, isLateStep } from './stepClock.ts';
export { PACE, timeAtShow, showAtTime, type FastForward } from './pace.ts';
export type { BadgeKind } from './badges.ts';
export { mtlsEstablished, statePhrase, type StateTone } from './stateNames.ts';
export { EDGE_WINDOW_MS, type EdgeView } from './edges.ts';
export { formatClock, formatDuration } from './format.ts';
export { runLoaded } from './simulateRun.ts';
export {
  estimatedRequests,
  planeMismatch,
  connectsOnly,
  runnableMeshes,
  offeredMeshes,
  comparePanes,
  asBuilt,
  type PrebuiltRun,
  type RunRequest,
  type RunOutcome,
  type RunProblem,
} from './run.ts';
export { loadScenario, applyEdits, nativeSettings, runText, type NativeSetting } from './parse.ts';
export { runScenario } from './runScenario.ts';
export { readCommand } from './readCommand.ts';
export { describeCommand, faultOf } from './commands.ts';
export { loadFidelityIndex, sourceParts, type FidelityIndex, type SourcePart } from './sourceLinks.ts';
export {
  MESHES,
  COMPARE,
  MIN_PANES,
  MAX_PANES,
  DEFAULT_PANES,
  meshName,
  meshesOf,
  paneNames,
  checkPanes,
  splitPanes,
  togglePane,
  withReference,
  type MeshChoice,
} from './meshes.ts';
export {
  applyLearnerEdits,
  loadCommands,
  commandCode,
  scenarioPods,
  type ScenarioEdits,
  type LearnerCommand,
  type LearnerCommandType,
  type NativeEdit,
} from './edits.ts';
export { knobGroups, setKnob, calledServices, readKnob, knobText, type KnobGroup, type KnobField, type KnobValue } from './knobs.ts';
export { Lab, type Branch } from './Lab.ts';
export { divergences, summaryOf, NOTABLE_DECISIONS, type Divergence, type RunSummary } from './divergence.ts';
export { whatIf, type WhatIfSummary } from './whatIf.ts';
export { diffLines, type DiffLine } from './lineDiff.ts';
export { traceJsonParts } from './traceJson.ts';
export { sequenceOf, toMermaid, requestChoices, type SequenceDiagram, type SequenceChoice, type RequestChoiceInfo } from './sequence.ts';
export { BREAKPOINTS, breakpointOf, breakpointStops, checkpointStops, compareCursors, type Breakpoint, type Stop } from './stops.ts';
export { checkpointPrompts, gradeCheckpoint, readAnswer, type CheckpointPrompt, type Grade } from './checkpoints.ts';
export type { RunReport, EffectiveResource } from '../mesh/index.ts';
export { createRunner, loadEngine, preloadMeshes, readScenario, WORKER_ABOVE_REQUESTS, type Runner, type RunnerOutcome, type WorkerLike } from './runner.ts';
export type {
  Trace,
  TraceEvent,
  FlightEvent,
  DecisionEvent,
  TransitionEvent,
  FlightKind,
  NodeId,
  Topology,
  TopologyNode,
  TopologyPod,
  MachineGraph,
  Cause,
} from '../sim/index.ts';

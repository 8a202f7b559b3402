/**
 * The player: runs a scenario (in a Web Worker when long), holds its trace and a cursor, and
 * answers "what does the world look like now". Headless: no DOM, no pixi, no clock of its own.
 * The renderer and the UI import this module only.
 */
export { Player, SPEEDS, STEP_DWELL_MS } from './Player.ts';
export { Timeline, type Cursor } from './timeline.ts';
export { viewAt, BADGE_SHOW_MS, type View, type PacketView, type ComponentState, type BadgeView, type ServiceCounters } from './view.ts';
export { metricsAt, quantile, type MetricsAt, type ServiceMetrics } from './metrics.ts';
export { STEP_KINDS, type Step, type StepKind } from './steps.ts';
export { PACE, timeAtShow, showAtTime, type FastForward } from './pace.ts';
export type { BadgeKind } from './badges.ts';
export { formatClock, formatDuration } from './format.ts';
export { runScenario, loadScenario, estimatedRequests, MESHES, type RunRequest, type RunOutcome, type RunProblem, type MeshChoice } from './run.ts';
export { createRunner, WORKER_ABOVE_REQUESTS, type Runner, type RunnerOutcome, type WorkerLike } from './runner.ts';
export type { Trace, TraceEvent, FlightEvent, DecisionEvent, TransitionEvent, FlightKind, NodeId, Topology, TopologyNode, TopologyPod, MachineGraph, Cause } from '../sim/index.ts';

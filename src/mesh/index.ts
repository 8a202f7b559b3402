/** The world: workloads, the data plane's proxies, control planes, mesh profiles; `simulate()` runs a scenario. */
export { simulate, type SimulationResult, type SimulateOptions } from './simulate.ts';
export {
  PROFILES,
  MESH_IDS,
  profileById,
  registerMesh,
  istioProfile,
  linkerdProfile,
  ambientProfile,
  consulProfile,
  osmProfile,
  nsmProfile,
  isConnectionMesh,
  loadProfile,
  loadedProfile,
  keepProfiles,
  meshTraits,
  type MeshTraits,
  type MeshId,
  type MeshProfile,
  type AnyMeshProfile,
} from './profiles/index.ts';
export { ambientAt } from './profiles/ambient.ts';
export { FIDELITY_ITEMS } from './profiles/fidelityIndex.ts';
export { citedIds, parseFidelityPage, type FidelityItem, type Citation } from './profiles/fidelityReference.ts';
export type { RunReport, VWireRecord } from './report.ts';
export { RequestTable, packReport, unpackReport, tableOfRequests, type PackedReport, type PackedRequestTable } from './requestTable.ts';
export type { RunFootprint, FootprintRow } from './footprint.ts';
export { dataPlaneProblems } from './profiles/dataPlaneModes.ts';
export { checkExpectations, type ExpectationResult } from './expect.ts';
export { machineGraphs } from './machines/charts.ts';
export type { CheckpointAnswer } from './checkpoints.ts';
export type { RunMetrics, ServiceMetrics, EdgeMetrics } from './metrics.ts';
export { effectiveResources, effectiveYaml, type EffectiveResource } from './resources.ts';
export { scenarioAfter } from './changes.ts';

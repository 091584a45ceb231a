/**
 * owsim's library API. The CLI is a thin layer over these functions; everything here returns values and
 * writes nothing on its own (reporters write files when asked).
 */
export { runScenario, type RunScenarioOptions } from './runScenario.js';
export {
  loadScenarioFile,
  loadBuiltinScenario,
  parseScenarioText,
  listShippedScenarios,
  scenarioToPlain,
} from './scenario/load.js';
export { testScenario, type ScenarioOverrides, type ActionOverride } from './scenario/testScenario.js';
export type * from './scenario/types.js';
export type * from './report/types.js';
export { writeReports } from './report/writeReports.js';
export { ReportersMap } from './report/reporters.js';
export { openwhisk } from './openwhisk.js';
export { OwsimError, ScenarioError, UsageError, FileError, TraceError, InternalError, exitCodes } from './errors.js';
export { Simulation } from './sim/Simulation.js';
export { erlangC, erlangCMeanWait } from './sim/queueingTheory.js';
export { Cluster, type ClusterResults } from './model/Cluster.js';
export { main } from './cli/main.js';
// Extension points (docs/extending.md): placement policies, full balancers, and the module loader's error.
export { CommonLoadBalancer, forcedTimeoutMs, invocationResult } from './model/controller/CommonLoadBalancer.js';
export type {
  LoadBalancer,
  LoadBalancerContext,
  LoadBalancerStatistics,
  ActivationCallbacks,
  InvokerHealth,
  LoadBalancerListener,
} from './model/controller/LoadBalancer.js';
export type { ActivationEntry } from './model/controller/ActivationEntry.js';
export type { ActionMeta, ActivationMessage, ActivationResponse, CompletionMessage, InvokerState } from './model/messages.js';
export type {
  PlacementRequest,
  InvokerView,
  PlacementContext,
  PlacementPolicy,
  PlacementPolicyModule,
  BalancerModule,
} from './model/controller/PlacementPolicy.js';
export { ModuleError } from './extend/moduleLoader.js';
// Container-pool policies (`invokers.containerPolicy`): docs/extending.md#container-pool-policies.
export {
  defineContainerPolicy,
  type ContainerPolicy,
  type ContainerPolicyAction,
  type ContainerPolicyContext,
  type ContainerPolicyModule,
  type ContainerPolicyRequest,
  type KeepAliveDecision,
  type PolicyContainer,
} from './model/invoker/ContainerPolicy.js';
export { ContainerPolicyError } from './model/invoker/ContainerPolicySeam.js';
export type { ContainerMemorySummary } from './model/metrics/ContainerMemory.js';

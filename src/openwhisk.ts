/**
 * The public conformance API: OpenWhisk's pure scheduling functions, semaphores and local bookkeeping as
 * owsim ports them, for users who want to check a placement or replay OpenWhisk's own unit tests
 * (`import { openwhisk } from 'owsim'`). Each member keeps its OpenWhisk name; the era it follows is in its
 * source file's header. Nothing here touches a simulation.
 */
import { ForcibleSemaphore } from './model/common/ForcibleSemaphore.js';
import { JvmException } from './model/common/JvmException.js';
import { NestedSemaphore } from './model/common/NestedSemaphore.js';
import { ResizableSemaphore } from './model/common/ResizableSemaphore.js';
import { LocalLoadBalancerData } from './model/bookkeeping/LocalLoadBalancerData.js';
import { createActivationEntry } from './model/controller/ActivationEntry.js';
import {
  createPairwiseCoprimeNumbersUntil,
  gcd,
  generateHash,
  javaStringHashCode,
  memoize,
  numBlackboxOf,
  pairwiseCoprimeNumbersUntil,
  partitionInvokers,
  schedulePR,
  schedulePrePR,
} from './model/controller/LoadBalancerService.js';
import {
  MIN_MEMORY_MB,
  ShardingContainerPoolBalancer,
  forcedTimeoutMs as shardingForcedTimeoutMs,
  schedule as shardingSchedule,
  scheduleSlotsSH2,
  ShardingContainerPoolBalancerState,
  ShardingContainerPoolBalancerStateSH2,
} from './model/controller/ShardingContainerPoolBalancer.js';

export const openwhisk = {
  // LoadBalancerService companion (2017: MB and PR #2932).
  javaStringHashCode,
  generateHash,
  gcd,
  pairwiseCoprimeNumbersUntil,
  memoize,
  createPairwiseCoprimeNumbersUntil,
  schedulePrePR,
  schedulePR,
  partitionInvokers,
  numBlackboxOf,
  // ShardingContainerPoolBalancer companion and state (HEAD memory version; SH2 slot version).
  shardingSchedule,
  scheduleSlotsSH2,
  ShardingContainerPoolBalancerState,
  ShardingContainerPoolBalancerStateSH2,
  MIN_MEMORY_MB,
  // The balancer class itself (HEAD) and its forced-timeout formula.
  ShardingContainerPoolBalancer,
  shardingForcedTimeoutMs,
  // Semaphores (HEAD common package).
  ForcibleSemaphore,
  ResizableSemaphore,
  NestedSemaphore,
  // Bookkeeping (PR #2932).
  LocalLoadBalancerData,
  createActivationEntry,
  JvmException,
} as const;

export type { InvokerWithUsage, StepSizes, GenerateHashOptions } from './model/controller/LoadBalancerService.js';
export type {
  InvokerHealth,
  ScheduleResult,
  SchedulingRng,
  ShardingContainerPoolBalancerConfig,
  ShardingContainerPoolBalancerConfigSH2,
} from './model/controller/ShardingContainerPoolBalancer.js';
export type { ActivationEntry, ActivationEntryInit } from './model/controller/ActivationEntry.js';
export type { LoadBalancerData } from './model/bookkeeping/LoadBalancerData.js';
export type { ReleaseResult } from './model/common/ResizableSemaphore.js';

/**
 * The diagnosis rules, in the order findings of equal severity are listed. Each returns no finding when what it
 * looks for did not happen, so a healthy run (the quick-start) gets an empty diagnosis. Every message carries
 * the run's own figures and names the scenario settings to try; thresholds for "how much is too much" are
 * stated beside each rule.
 */
import type { ArrivalSpec, Scenario } from '../../scenario/types.js';
import { formatCount, formatDuration, formatPercent, formatQuantity } from '../format.js';
import { parseCondition } from '../thresholds.js';
import { splitMetricPath } from '../summaryPaths.js';
import type { Finding, Severity, Summary } from '../types.js';
import type { DiagnosisInput } from './diagnose.js';

export type Rule = (input: DiagnosisInput) => Finding[];

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const round = (x: number, digits = 4): number => Math.round(x * 10 ** digits) / 10 ** digits;

function mb(n: number): string {
  return n >= 1024 && n % 1024 === 0 ? `${n / 1024} GB` : n >= 1024 ? `${formatQuantity(n / 1024)} GB` : `${formatCount(n)} MB`;
}

/** The highest arrival rate an action's process reaches (per second). */
export function peakRatePerSec(a: ArrivalSpec): number {
  switch (a.process) {
    case 'poisson':
    case 'constant':
      return a.ratePerSec;
    case 'burst':
      return Math.max(a.ratePerSec, a.burstRatePerSec);
    case 'piecewise':
      return Math.max(0, ...a.steps.map((s) => s.ratePerSec));
    case 'renewal':
      return a.ratePerSec;
    case 'diurnal':
      return a.meanPerSec * (1 + a.amplitude);
    case 'mmpp':
      return Math.max(a.ratesPerSec[0], a.ratesPerSec[1]);
    case 'stages':
      return a.stages.reduce((m, st) => Math.max(m, st.toPerSec), a.startRatePerSec);
  }
}

/** Severity by the share of arrivals affected: ≥ 5 % critical, ≥ 0.5 % warning, else info. */
function byShare(share: number): Severity {
  return share >= 0.05 ? 'critical' : share >= 0.005 ? 'warning' : 'info';
}

function topInvokers(s: Summary, value: (name: string) => number, n = 3): [string, number][] {
  return Object.keys(s.invokers)
    .map((name): [string, number] => [name, value(name)])
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n);
}

const listed = (pairs: [string, number][]): string => pairs.map(([name, v]) => `${name} (${formatCount(v)})`).join(', ');

/**
 * Cold-start thrash: containers of different actions evicting each other. Fires when at least 10 % of measured
 * starts were cold and invokers evicted at least one idle container per 20 activations started.
 */
export const coldStartThrash: Rule = ({ summary: s, scenario }) => {
  const invokers = Object.values(s.invokers);
  const evictions = sum(invokers.map((i) => i.evictions ?? 0));
  const started = sum(invokers.map((i) => i.activations));
  if (started === 0 || evictions === 0) return [];
  const perActivation = evictions / started;
  if (perActivation < 0.05 || s.coldStarts.ratio < 0.1) return [];
  const actions = scenario.workload.actions;
  const meanMemoryMb = sum(actions.map((a) => a.memoryMb)) / actions.length;
  const userMemoryMb = scenario.invokers.userMemoryMb;
  const containersPerInvoker = Math.floor(userMemoryMb / meanMemoryMb);
  const top = topInvokers(s, (name) => s.invokers[name]!.evictions ?? 0);
  const serving = invokers.filter((i) => i.activations > 0).length;
  // Containers busy at the peak rate (Little's law with the measured mean run time), spread over the invokers.
  const peakPerSec = sum(actions.map((a) => peakRatePerSec(a.arrivals)));
  const busyAtPeak = (peakPerSec * s.executionMs.mean) / 1000;
  const perInvoker = Math.ceil((busyAtPeak + actions.length) / Math.max(1, serving));
  const suggestedMemoryMb = Math.ceil((perInvoker * meanMemoryMb) / 1024) * 1024;
  const suggestedCount = Math.ceil((busyAtPeak + actions.length) / Math.max(1, containersPerInvoker));
  return [
    {
      rule: 'cold-start-thrash',
      severity: s.coldStarts.ratio >= 0.3 ? 'critical' : 'warning',
      message:
        `Cold-start thrash: ${formatPercent(s.coldStarts.ratio)} of measured starts were cold, and the invokers evicted ` +
        `${formatCount(evictions)} idle containers to make room for other actions' (${formatQuantity(perActivation)} per activation started; ` +
        `most on ${listed(top)}). ${actions.length} actions of about ${mb(Math.round(meanMemoryMb))} share the ${serving} invokers that ran them, ` +
        `whose ${mb(userMemoryMb)} pools hold ${containersPerInvoker} containers each; at the peak of ${formatQuantity(peakPerSec)}/s × ` +
        `${formatDuration(s.executionMs.mean)} mean run time about ${formatCount(busyAtPeak)} containers are busy at once, so actions that ` +
        `share an invoker keep evicting each other's warm containers.`,
      evidence: {
        coldStartRatio: s.coldStarts.ratio,
        evictions,
        activationsStarted: started,
        evictionsPerActivation: round(perActivation),
        mostEvictions: listed(top),
        actions: actions.length,
        invokersThatRanThem: serving,
        containersPerInvoker,
        busyContainersAtPeak: Math.round(busyAtPeak),
      },
      knobs: [
        `invokers.userMemory: ${mb(suggestedMemoryMb)} (about ${perInvoker} containers per invoker)`,
        `invokers.count: ${suggestedCount} (at ${containersPerInvoker} containers each)`,
        'fewer actions per invoker: split the actions over more namespaces/clusters, or keep the rarely used ones off the hot invokers',
      ],
    },
  ];
};

const LIMITS: Record<string, { title: string; setting: (sc: Scenario) => [string, number] | null }> = {
  throttledRate: { title: 'Namespace rate limit', setting: (sc) => ['controllers.limits.invocationsPerMinute', sc.controllers.limits.invocationsPerMinute] },
  throttledConcurrent: { title: 'Namespace concurrency limit', setting: (sc) => ['controllers.limits.concurrentInvocations', sc.controllers.limits.concurrentInvocations] },
  systemOverload: { title: 'System overload limit', setting: (sc) => ['controllers.limits.systemConcurrent', sc.controllers.limits.systemConcurrent] },
};

/** Rejections by limit as a share of arrivals; one finding per reason. */
export const rejections: Rule = ({ summary: s, scenario }) => {
  const arrived = s.activations.arrived;
  if (arrived === 0) return [];
  const out: Finding[] = [];
  for (const [reason, count] of Object.entries(s.activations.rejectedBy)) {
    if (count === 0) continue;
    const share = count / arrived;
    const namespaces = Object.entries(s.namespaces ?? {})
      .map(([name, n]): [string, number] => [name, n.activations.rejectedBy[reason] ?? 0])
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1]);
    const worst = namespaces[0]?.[0];
    const limit = LIMITS[reason];
    const evidence: Record<string, number | string> = { reason, rejected: count, arrived, share: round(share, 6) };
    let message: string;
    const knobs: string[] = [];
    const head = `${formatCount(count)} of ${formatCount(arrived)} arrivals (${formatPercent(share)}) were rejected (${reason})`;
    if (limit !== undefined) {
      const [setting, value] = limit.setting(scenario)!;
      evidence['limit'] = value;
      if (worst !== undefined) evidence['namespace'] = worst;
      if (reason === 'throttledRate') {
        const peakPerMinute = Math.round(
          sum(scenario.workload.actions.filter((a) => worst === undefined || a.namespace === worst).map((a) => peakRatePerSec(a.arrivals))) * 60,
        );
        evidence['peakDemandPerMinute'] = peakPerMinute;
        message =
          `${limit.title}: ${head}: namespace ${worst ?? '?'} asks for up to ${formatCount(peakPerMinute)} invocations a minute ` +
          `against ${setting} = ${formatCount(value)}.`;
        knobs.push(`${setting}: ${formatCount(peakPerMinute)} or more`, 'spread the load over more namespaces, or lower the peak rate');
      } else if (reason === 'throttledConcurrent') {
        message =
          `${limit.title}: ${head}: namespace ${worst ?? '?'} reached ${setting} = ${formatCount(value)} activations in flight. ` +
          `Activations pile up in flight when the invokers cannot keep up (latency p99 ${formatDuration(s.latencyMs.p99)}, ` +
          `${formatCount(s.activations.timedOut)} forced timeouts), so this limit is where the backlog surfaces.`;
        knobs.push(`${setting} (only hides the backlog)`, 'invokers.count or invokers.userMemory: capacity for the load, so fewer activations wait in flight');
      } else {
        message = `${limit.title}: ${head}: more than ${setting} = ${formatCount(value)} activations were in flight system-wide.`;
        knobs.push(`${setting}`, 'invokers.count or invokers.userMemory: capacity for the load');
      }
    } else if (reason === 'noInvokers') {
      message = `No invoker available: ${head}: the controller had no healthy invoker for them (health transitions: ${formatCount(s.health.transitions)}).`;
      knobs.push('invokers.count', 'the faults that take invokers down', 'controllers.healthRules');
    } else if (reason === 'sendFailed') {
      message = `Publish failures: ${head}: the controller could not send them to Kafka (an outage or a partition while they were being placed).`;
      knobs.push('the kafka-outage and partition faults', 'controllers.count (another controller to take the load)');
    } else if (reason === 'noController') {
      message = `No controller: ${head}: every controller was down when they arrived.`;
      knobs.push('controllers.count', 'the controller-crash faults', 'controllers.frontDoor');
    } else if (reason === 'hashIndexOutOfBounds') {
      message = `Hash quirk: ${head}: abs(Int.MinValue) stayed negative in the home-invoker hash, as in OpenWhisk.`;
      knobs.push('controllers.fixes: hash-abs-min-value');
    } else if (reason === 'askTimeout') {
      message = `Publish ask timed out: ${head}: a hash of Int.MinValue made the overflow balancer's actor throw, so Akka restarted it with an empty invoker list and the Publish ask went unanswered for 30 s, as in OpenWhisk.`;
      knobs.push('controllers.fixes: actor-survives-publish-throw', 'controllers.fixes: hash-abs-min-value');
    } else {
      message = `Rejections: ${head}.`;
      knobs.push('the balancer and faults that produce this reason');
    }
    out.push({ rule: 'rejections', severity: byShare(share), message, evidence, knobs });
  }
  return out;
};

/** The depth of each `depth.<topic>` column at a few instants of the load period [warm-up, duration]. */
function depthCheckpoints({ timeseries, scenario }: DiagnosisInput, points: number): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const rows = timeseries.rows;
  if (rows.length === 0) return out;
  const from = scenario.warmupMs;
  const to = scenario.durationMs;
  const instants = Array.from({ length: points + 1 }, (_, k) => from + ((to - from) * k) / points);
  const rowAt = instants.map((t) => {
    let best = 0;
    for (let r = 0; r < rows.length && rows[r]![0]! <= t; r++) best = r;
    return rows[best]!;
  });
  timeseries.columns.forEach((column, c) => {
    if (!column.startsWith('depth.')) return;
    out.set(column.slice('depth.'.length), rowAt.map((row) => row[c]!));
  });
  return out;
}

/**
 * An unstable queue: a topic whose depth grows through the whole load period (checked at every quarter of it)
 * and ends above 50 messages: its consumer is served less than it receives.
 */
export const unstableQueue: Rule = (input) => {
  const { scenario } = input;
  const seconds = (scenario.durationMs - scenario.warmupMs) / 1000;
  const growing: [string, number[]][] = [];
  for (const [topic, d] of depthCheckpoints(input, 4)) {
    let rising = true;
    for (let k = 1; k < d.length; k++) if (!(d[k]! > d[k - 1]!)) rising = false;
    if (rising && d.at(-1)! >= 50) growing.push([topic, d]);
  }
  if (growing.length === 0) return [];
  growing.sort((a, b) => b[1].at(-1)! - a[1].at(-1)! || (a[0] < b[0] ? -1 : 1));
  const [topic, d] = growing[0]!;
  const growthPerSec = (d.at(-1)! - d[0]!) / seconds;
  const shown = growing.slice(0, 3).map(([t, v]) => `${t} (${formatCount(v.at(-1)!)})`).join(', ');
  const knobs = topic === 'overflow'
    ? ['invokers.count (the overflow queue drains only as invokers free up)', 'controllers.busyThreshold']
    : topic.startsWith('completed')
      ? ['controllers.ackPoll', 'controllers.ackMaxPeek']
      : topic === 'activations'
        ? ['store.recorders', 'store.throughput']
        : ['invokers.count', 'invokers.userMemory', 'a lower arrival rate: the invokers serve less than they receive'];
  return [
    {
      rule: 'unstable-queue',
      severity: 'critical',
      message:
        `Unstable queue: ${growing.length} topic${growing.length === 1 ? '' : 's'} grew through the whole load period (at every quarter of it), ` +
        `the deepest ${topic} from ${formatCount(d[0]!)} to ${formatCount(d.at(-1)!)} messages (+${formatQuantity(growthPerSec)}/s): arrivals ` +
        `exceed what its consumer serves. Deepest at the end of the load: ${shown}.`,
      evidence: { topics: growing.length, deepest: topic, depthAtLoadStart: d[0]!, depthAtLoadEnd: d.at(-1)!, growthPerSec: round(growthPerSec, 3) },
      knobs,
    },
  ];
};

/** Forced ("active ack") timeouts, with the cause the run shows: invoker crashes, Offline invokers, or a backlog. */
export const forcedTimeouts: Rule = ({ summary: s, scenario }) => {
  const timedOut = s.activations.timedOut;
  if (timedOut === 0) return [];
  const share = timedOut / Math.max(1, s.activations.arrived);
  const crashFaults = scenario.faults.filter((f) => f.kind === 'invoker-crash').length;
  const oomCrashes = s.oom?.crashes ?? 0;
  const offline = sum(Object.entries(s.health.byKind).filter(([k]) => /->Offline$/.test(k)).map(([, n]) => n));
  const deepest = Object.entries(s.topics).filter(([t]) => /^invoker\d+$/.test(t)).sort((a, b) => b[1].maxDepth - a[1].maxDepth)[0];
  const limitMs = Math.max(...scenario.workload.actions.map((a) => a.timeoutMs)) + scenario.controllers.timeoutGraceMs;
  const causes: string[] = [];
  const knobs: string[] = [];
  if (crashFaults + oomCrashes > 0) {
    causes.push(`invoker crashes (${formatCount(crashFaults)} scheduled, ${formatCount(oomCrashes)} out of memory) took activations down with them`);
    knobs.push(oomCrashes > 0 ? 'the store settings behind the OOM crashes (see the OOM finding)' : 'the invoker-crash faults');
  }
  if (offline > 0) {
    causes.push(`invokers went Offline ${formatCount(offline)} times, stranding what was sent to them`);
    knobs.push('invokers.pingInterval', 'controllers.healthRules');
  }
  if (deepest !== undefined && deepest[1].maxDepth > 0 && (causes.length === 0 || deepest[1].maxDepth >= 100)) {
    causes.push(`a backlog: invoker topics held up to ${formatCount(deepest[1].maxDepth)} messages (${deepest[0]}), so activations waited longer than the limit`);
    knobs.push('invokers.count or invokers.userMemory (capacity for the load)', 'controllers.timeoutGrace (only moves the cut-off)');
  }
  if (causes.length === 0) causes.push('activations ran past the limit');
  return [
    {
      rule: 'forced-timeouts',
      severity: byShare(share),
      message:
        `Forced timeouts: ${formatCount(timedOut)} activations (${formatPercent(share)}) were ended by the controller's forced timeout ` +
        `(action time limit + controllers.timeoutGrace, up to ${formatDuration(limitMs)}). Cause: ${causes.join('; ')}.`,
      evidence: {
        timedOut,
        share: round(share, 6),
        invokerCrashes: crashFaults + oomCrashes,
        offlineTransitions: offline,
        deepestInvokerTopic: deepest?.[0] ?? '',
        deepestInvokerTopicDepth: deepest?.[1].maxDepth ?? 0,
        timeoutLimitMs: limitMs,
      },
      knobs,
    },
  ];
};

/** OOM risk and crashes with their backlog source; records the store never wrote. */
export const oomAndRecords: Rule = ({ summary: s, scenario }) => {
  const out: Finding[] = [];
  const oom = s.oom;
  const store = s.store;
  if (oom === undefined || store === undefined) return out;
  const backpressure = scenario.store?.backpressure ?? 'none';
  const producedPerSec = store.produced / Math.max(1, s.simulatedMs / 1000);
  const throughput = scenario.store?.throughputPerSec ?? 0;
  const source =
    `records queue in the invokers' batchers (up to ${formatCount(store.maxQueue)} on one) because the store writes ` +
    `${formatCount(throughput)}/s while the run produced ${formatQuantity(producedPerSec)}/s on average (backpressure: ${backpressure})`;
  const knobs = ['store.throughput', 'store.backpressure: wait-enqueue or kafka-overflow', 'store.batcher.queueLimit', 'invokers.heap.limit'];
  if (oom.crashes > 0) {
    out.push({
      rule: 'oom',
      severity: 'critical',
      message:
        `Out of memory: invokers crashed ${formatCount(oom.crashes)} times (first at ${formatDuration(oom.firstCrashMs ?? 0)}), losing ` +
        `${formatCount(oom.activationsLost)} activations; ${source}.`,
      evidence: { crashes: oom.crashes, firstCrashMs: oom.firstCrashMs ?? -1, activationsLost: oom.activationsLost, maxBatcherQueue: store.maxQueue, storeThroughputPerSec: throughput },
      knobs,
    });
  } else if (oom.peakHeapFraction >= 0.9) {
    const eta = oom.projectedTimeToOomMs;
    out.push({
      rule: 'oom',
      severity: 'warning',
      message:
        `OOM risk: an invoker's heap reached ${formatPercent(oom.peakHeapFraction)} of its limit` +
        `${eta !== null ? ` and was still growing (out of memory in about ${formatDuration(eta)} at that rate)` : ''}; ${source}.`,
      evidence: { peakHeapFraction: oom.peakHeapFraction, projectedTimeToOomMs: eta ?? -1, maxBatcherQueue: store.maxQueue },
      knobs,
    });
  }
  if (store.lostRecords > 0) {
    const share = store.lostRecords / Math.max(1, store.produced);
    out.push({
      rule: 'records-dropped',
      severity: share >= 0.005 ? 'warning' : 'info',
      message: `Records dropped: ${formatCount(store.lostRecords)} of ${formatCount(store.produced)} activation records (${formatPercent(share)}) were never written (crashes, full queues).`,
      evidence: { lostRecords: store.lostRecords, produced: store.produced, share: round(share, 6) },
      knobs: ['store.batcher.queueLimit', 'store.backpressure: wait-enqueue or kafka-overflow', 'store.throughput'],
    });
  }
  return out;
};

/**
 * Overflow churn: the overflow balancer entering and leaving overflow state more than once a minute, or
 * requeueing messages more than once per overflowed activation, or dropping them.
 */
export const overflowChurn: Rule = ({ summary: s, scenario, overflowRequeues }) => {
  const o = s.overflow;
  if (o.episodes === 0) return [];
  const minutes = scenario.durationMs / 60_000;
  const perMinute = o.episodes / minutes;
  const requeuesPer = o.activations > 0 ? overflowRequeues / o.activations : 0;
  if (perMinute < 1 && requeuesPer < 1 && o.dropped === 0) return [];
  const knobs = ['controllers.busyThreshold', 'invokers.count'];
  if (!scenario.controllers.fixes.includes('max-offset-on-empty-poll')) knobs.push('controllers.fixes: max-offset-on-empty-poll (leaves overflow only when the queue is really empty)');
  if (o.dropped > 0 && !scenario.controllers.fixes.includes('requeue-overflow-without-invokers')) knobs.push('controllers.fixes: requeue-overflow-without-invokers');
  return [
    {
      rule: 'overflow-churn',
      severity: o.dropped > 0 ? 'critical' : 'warning',
      message:
        `Overflow churn: ${formatCount(o.episodes)} overflow episodes (${formatQuantity(perMinute)} a minute, ${formatDuration(o.timeInOverflowMs)} in overflow), ` +
        `${formatCount(o.activations)} activations sent through the overflow topic, ${formatCount(overflowRequeues)} requeues ` +
        `(${formatQuantity(requeuesPer)} per overflowed activation)${o.dropped > 0 ? `, ${formatCount(o.dropped)} dropped` : ''}.`,
      evidence: { episodes: o.episodes, episodesPerMinute: round(perMinute, 3), overflowActivations: o.activations, requeues: overflowRequeues, requeuesPerOverflowed: round(requeuesPer, 3), dropped: o.dropped },
      knobs,
    },
  ];
};

/**
 * Bookkeeping error large relative to the load: the controllers' mean |believed − true| above half the mean
 * load of an invoker (and at least 1 activation), or phantom load left at the end; membership disagreement
 * when the summary reports it.
 */
export const bookkeepingError: Rule = ({ summary: s, scenario }) => {
  const out: Finding[] = [];
  const bk = s.bookkeeping;
  if (bk !== undefined) {
    const loadPerInvoker = s.littlesLaw.meanInFlight / scenario.invokers.count;
    if ((bk.meanError >= 1 && bk.meanError > 0.5 * loadPerInvoker) || bk.residualAtEnd >= 1) {
      out.push({
        rule: 'bookkeeping-error',
        severity: bk.residualAtEnd >= 1 || bk.meanError > loadPerInvoker ? 'warning' : 'info',
        message:
          `Bookkeeping error: the controllers' books were off by ${formatQuantity(bk.meanError)} activations per invoker on average ` +
          `(worst ${formatQuantity(bk.maxError)}) against a mean load of ${formatQuantity(loadPerInvoker)} per invoker` +
          `${bk.residualAtEnd >= 1 ? `; ${formatQuantity(bk.residualAtEnd)} activations of phantom load were still booked at the end` : ''}.`,
        evidence: { meanError: bk.meanError, maxError: bk.maxError, meanLoadPerInvoker: round(loadPerInvoker, 3), residualAtEnd: bk.residualAtEnd, gossipMessages: bk.gossipMessages },
        knobs: ['controllers.bookkeeping', 'controllers.replication.gossipInterval', 'controllers.autoDownAfter'],
      });
    }
  }
  const membership = (s as unknown as Record<string, unknown>)['membership'];
  if (typeof membership === 'object' && membership !== null) {
    const disagreements = Object.entries(membership as Record<string, unknown>).filter(([k, v]) => /disagree/i.test(k) && typeof v === 'number' && v > 0);
    if (disagreements.length > 0) {
      out.push({
        rule: 'membership-disagreement',
        severity: 'warning',
        message: `Membership disagreement: the controllers did not agree on who is up (${disagreements.map(([k, v]) => `${k} ${formatQuantity(v as number)}`).join(', ')}).`,
        evidence: Object.fromEntries(disagreements as [string, number][]),
        knobs: ['controllers.autoDownAfter', 'controllers.replication.gossipInterval'],
      });
    }
  }
  return out;
};

/**
 * The p99 floor: a latency target below the run time's own p99 can never be met (latency ≥ run time for every
 * activation). For the whole run it also names the slowest action when its own p99 run time is above the target.
 */
export const p99Floor: Rule = ({ summary: s, scenario }) => {
  const out: Finding[] = [];
  for (const [metric, expression] of Object.entries(scenario.thresholds)) {
    const segments = splitMetricPath(metric);
    if (segments === undefined || segments.length < 2) continue;
    const keys = segments.map((x) => x.key);
    if (keys.at(-1) !== 'p99' || keys.at(-2) !== 'latencyMs') continue;
    let condition;
    try {
      condition = parseCondition(metric, expression);
    } catch {
      continue;
    }
    if (condition.operator !== '<' && condition.operator !== '<=') continue;
    const target = condition.value;
    const scope = keys.slice(0, -2);
    let floorMs: number | undefined;
    let what: string;
    if (scope.length === 0) {
      floorMs = s.executionMs.p99;
      what = 'the run time alone has a p99 of';
    } else {
      const group = (s as unknown as Record<string, Record<string, { executionMs?: { p99: number } }> | undefined>)[scope[0]!];
      floorMs = group?.[scope.slice(1).join('.')]?.executionMs?.p99;
      what = `${scope.slice(1).join('.')}'s own run time has a p99 of`;
    }
    const slowest = Object.entries(s.actions ?? {})
      .filter(([, a]) => a.executionMs.count > 0)
      .sort((a, b) => b[1].executionMs.p99 - a[1].executionMs.p99)[0];
    if (floorMs !== undefined && floorMs > 0 && (floorMs > target || (floorMs === target && condition.operator === '<'))) {
      out.push({
        rule: 'p99-floor',
        severity: 'critical',
        message:
          `Unreachable target: ${metric} ${expression} can never be met: ${what} ${formatDuration(floorMs)}` +
          `${scope.length === 0 && slowest ? ` (slowest action ${slowest[0]}: ${formatDuration(slowest[1].executionMs.p99)})` : ''}, and latency includes the run time.`,
        evidence: { metric, targetMs: target, runTimeP99Ms: floorMs, ...(slowest ? { slowestAction: slowest[0], slowestActionRunTimeP99Ms: slowest[1].executionMs.p99 } : {}) },
        knobs: [`thresholds["${metric}"]: above ${formatDuration(floorMs)}`, 'the actions\' run time (workload.actions[*].duration)'],
      });
    } else if (scope.length === 0 && slowest && slowest[1].executionMs.p99 > target) {
      out.push({
        rule: 'p99-floor',
        severity: 'warning',
        message:
          `Target below the slowest action: ${metric} ${expression} is below ${slowest[0]}'s own p99 run time ` +
          `(${formatDuration(slowest[1].executionMs.p99)}); that action can never meet it, and the overall p99 meets it only while ` +
          `the action stays under 1% of the traffic (${formatPercent(slowest[1].activations.arrived / Math.max(1, s.activations.arrived))} now).`,
        evidence: { metric, targetMs: target, slowestAction: slowest[0], slowestActionRunTimeP99Ms: slowest[1].executionMs.p99 },
        knobs: [`thresholds["${metric}"]`, `an action threshold instead: actions["${slowest[0]}"].latencyMs.p99`],
      });
    }
  }
  return out;
};

/** In listing order for findings of equal severity. */
export const RULES: readonly Rule[] = [coldStartThrash, rejections, unstableQueue, forcedTimeouts, oomAndRecords, overflowChurn, bookkeepingError, p99Floor];

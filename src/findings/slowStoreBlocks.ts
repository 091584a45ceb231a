/** docs/findings.md "A slow activation store: invoker OOM vs backpressure options A and B" (scenarios/slow-store-oom.yaml). */
import type { Summary } from '../report/types.js';
import type { FindingRun, FindingsBlock } from './block.js';
import { table } from './format.js';

const scenario = 'scenarios/slow-store-oom.yaml';
const variants = [
  { label: 'no store', set: ['store.enabled=false'] },
  { label: '`none`', set: [] },
  { label: '`drop`', set: ['store.backpressure=drop'] },
  { label: '`drop`, 30 % of bulk calls fail', set: ['store.backpressure=drop', 'store.errors.probability=0.3', 'store.errors.latency=2s'] },
  { label: '`wait-enqueue` (A), 3 retries', set: ['store.backpressure=wait-enqueue'] },
  { label: 'A, `enqueueRetries: forever`', set: ['store.backpressure=wait-enqueue', 'store.enqueueRetries=forever'] },
  { label: '`kafka-overflow` (B)', set: ['store.backpressure=kafka-overflow'] },
] as const;
const runs: FindingRun[] = variants.map((v) => ({ scenario, set: [...v.set], label: v.label }));
const [NO_STORE, NONE, DROP, DROP_ERRORS, WAIT, FOREVER, KAFKA] = [0, 1, 2, 3, 4, 5, 6] as const;

/** Thousands split by a space, as the section writes them ("296 835"). */
const n = (x: number) => Math.round(x).toLocaleString('en-US').replace(/,/g, ' ');
const bold = (text: string, on: boolean) => (on ? `**${text}**` : text);
/** A share in whole percent, with a space before the sign ("39 %"). */
const share = (part: number, whole: number) => `${Math.round((part / whole) * 100)} %`;
/** Under a second in ms, else seconds with one decimal, or whole seconds from 100 s ("84 ms", "3.9 s", "115 s"). */
const time = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : ms >= 100_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1)} s`);
const sec1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
/** A figure is emphasised when it concerns a tenth of the activations or records or more. */
const tenth = (part: number, whole: number) => part >= whole / 10;
const invokerBacklog = (s: Summary) => Math.max(0, ...Object.entries(s.topics).filter(([t]) => /^invoker\d+$/.test(t)).map(([, t]) => t.maxDepth));

/** How the records not written ended, the largest cause first with its share of the records produced. */
function notWritten(s: Summary): string {
  const st = s.store!;
  const causes: [number, string][] = [
    [st.lostRecords, 'lost in crashes'],
    [st.droppedRecords, 'dropped'],
    [st.givenUpRecords, 'given up'],
    [st.recordsLostToErrors, 'lost to store errors'],
    [st.refusedRecords, `refused by the producer${st.blockedSends === 0 ? ' (> 1 MB)' : ''}`],
  ];
  const present = causes.filter(([count]) => count > 0).sort((a, b) => b[0] - a[0]);
  if (present.length === 0) return '0';
  const total = present.reduce((sum, [count]) => sum + count, 0);
  const large = tenth(total, st.produced);
  const parts = present.map(([count, why], i) => `${n(count)} ${why}${i === 0 && large ? ` (${share(count, st.produced)})` : ''}`);
  return bold(parts.join(', '), large);
}

/** The records of every run add up: written + not written + pending = produced (summary.json `store`, issue 15). */
function checkLedger(s: Summary): void {
  const st = s.store;
  if (st === undefined) return;
  const accounted = st.written + st.lostRecords + st.droppedRecords + st.givenUpRecords + st.recordsLostToErrors + st.refusedRecords + st.pending;
  if (accounted !== st.produced) throw new Error(`slow-store: ${accounted} records accounted for, ${st.produced} produced`);
}

function column(s: Summary): string[] {
  checkLedger(s);
  const a = s.activations;
  const o = s.oom;
  const st = s.store;
  const dash = '–';
  const crashes = o === undefined ? dash : o.crashes === 0 ? '0' : `**${o.crashes}**, first at ${sec1(o.firstCrashMs!)}`;
  const heap = o === undefined ? dash : o.peakHeapFraction >= 1 ? '100 %' : `${(o.peakHeapFraction * 100).toFixed(1)} %`;
  const write = st === undefined ? dash : `${sec1(st.writeLatencyMs.p50)} / ${bold(sec1(st.writeLatencyMs.p99), st.writeLatencyMs.p99 >= 100_000)}`;
  return [
    crashes,
    heap,
    st === undefined ? dash : n(st.produced),
    st === undefined ? dash : notWritten(s),
    st === undefined || st.failedCalls === 0 ? dash : `${n(st.failedCalls)} / ${n(st.bulkRetries)} of ${n(st.bulkCalls)} calls`,
    `${n(a.lost)} / ${bold(n(a.timedOut), tenth(a.timedOut, a.arrived))}`,
    bold(n(a.rejected), tenth(a.rejected, a.arrived)),
    bold(`${time(s.latencyMs.p50)} / ${time(s.latencyMs.p99)}`, s.latencyMs.p50 >= 10_000),
    n(invokerBacklog(s)),
    st === undefined || st.maxKafkaBacklog === 0 ? dash : `**${n(st.maxKafkaBacklog)}** records`,
    write,
    st === undefined ? dash : bold(n(st.pending), tenth(st.pending, st.produced)),
  ];
}

const ROWS = [
  'invoker OOM crashes',
  'peak heap / limit',
  'records produced',
  'records not written, and why',
  'store calls failed / retried',
  'activations lost / timed out',
  'activations rejected (system overload)',
  'latency p50 / p99',
  "invoker topics' peak backlog",
  '`activations` topic peak backlog',
  'record write latency (ack → written) p50 / p99',
  'records still pending when activations end',
];

export const slowStoreBlocks: FindingsBlock[] = [
  {
    id: 'slow-store',
    cheap: false,
    runs,
    render(outs) {
      const columns = outs.map((o) => column(o.summary));
      return (
        table(['', ...variants.map((v) => v.label)], ROWS.map((name, r) => [name, ...columns.map((c) => c[r]!)])) +
        `\nEvery column's records add up: written + not written + pending = produced (summary.json \`store\`, issue 15).\n`
      );
    },
  },
  {
    id: 'slow-store-notes',
    cheap: false,
    runs,
    render(outs) {
      const s = outs.map((o) => o.summary);
      const st = (i: number) => s[i]!.store!;
      const heapMb = (i: number) => Math.round((s[i]!.oom!.peakHeapFraction * 1024) / 10) * 10;
      const none = s[NONE]!;
      const dropped = st(DROP).droppedRecords;
      const errorsUnwritten = st(DROP_ERRORS).droppedRecords + st(DROP_ERRORS).recordsLostToErrors;
      const wait = s[WAIT]!;
      const forever = s[FOREVER]!;
      const kafka = st(KAFKA);
      return [
        `- **\`none\`** (unbounded Batcher queue): each loaded invoker's heap grows by the records the store cannot take yet ` +
          `(up to ~${n(Math.round(st(NONE).maxQueue / 100) * 100)} waiting records plus 64 bulk calls of 500 in flight) until it dies of OutOfMemoryError after ` +
          `~${Math.round(none.oom!.firstCrashMs! / 1000)} s of overload. A crash loses every record it held and its running activations; the controller marks it ` +
          `Offline 10 s later, the other invokers absorb its load (and fill up sooner), and it restarts 30 s later to ` +
          `fill up again: ${none.oom!.crashes} crashes in 5 minutes, ${share(st(NONE).lostRecords, st(NONE).produced)} of the records lost, and latency ruined by the lost capacity.`,
        `- **\`drop\`** (a bounded queue that drops new records, Akka's \`dropNew\`): no crash, the heap stays at ~${heapMb(DROP)} MB and ` +
          `activations are as fast as without a store (p50 / p99 ${time(s[DROP]!.latencyMs.p50)} / ${time(s[DROP]!.latencyMs.p99)} against ${time(s[NO_STORE]!.latencyMs.p50)} / ${time(s[NO_STORE]!.latencyMs.p99)}), ` +
          `but ${share(dropped, st(DROP).produced)} of the records are never written — the deficit between the completion rate and the store's 600/s. ` +
          `\`summary.md\` says both: "**Safe.** … But ${share(dropped, st(DROP).produced).replace(' ', '')} of the records were not written: ${dropped.toLocaleString('en-US')} dropped (queue full)". ` +
          `With 30 % of the bulk calls failing (a 2 s timeout each), HEAD's three immediate retries rescue all but ${n(st(DROP_ERRORS).recordsLostToErrors)} records ` +
          `(≈ 0.3⁴ of the calls fail every try). The database still writes at its full rate (a failed try takes none of its capacity), ` +
          `so the records lost to errors take the place of records that would have been dropped: ${n(errorsUnwritten)} unwritten in all against ${n(dropped)}, ` +
          `and writes wait up to ${Math.round(st(DROP_ERRORS).writeLatencyMs.p99 / 1000)} s instead of ${Math.round(st(DROP).writeLatencyMs.p99 / 1000)} s (p99).`,
        `- **Option A as proposed** (\`wait-enqueue\`, "the container proxy retries a few times": 3 retries of 50 ms, ` +
          `then the record is given up): the proxy holds its container for at most 150 ms, so activations stay fast ` +
          `(p99 ${time(wait.latencyMs.p99)}) and ${wait.oom!.crashes === 0 ? 'nothing crashes' : `${wait.oom!.crashes} crashes`}, but ${share(st(WAIT).givenUpRecords, st(WAIT).produced)} of the records are given up — \`drop\` with a little delay.`,
        `- **Option A retrying forever** (\`enqueueRetries: forever\`, 2000 held records per invoker): ${forever.oom!.crashes === 0 ? 'no crash' : `${forever.oom!.crashes} crashes`} and ` +
          `${st(FOREVER).produced - st(FOREVER).written - st(FOREVER).pending === 0 ? 'no lost record' : `${n(st(FOREVER).produced - st(FOREVER).written - st(FOREVER).pending)} records not written`}, the heap stays at ~${heapMb(FOREVER)} MB. The price is throughput: container proxies wait for the queue, so the ` +
          `invokers run at the store's pace (600/s for a 1000/s load): ${n(st(FOREVER).produced)} records produced against ${n(st(DROP).produced)} under \`drop\`. ` +
          `Activations back up in Kafka (${n(invokerBacklog(forever))} on one invoker topic), latency climbs to ` +
          `${time(forever.latencyMs.p50)} at the median and ${time(forever.latencyMs.p99)} at p99, ${n(forever.activations.timedOut)} activations hit the controller's forced timeout and the system-overload limit ` +
          `rejects ${n(forever.activations.rejected)} more. A turns a memory problem into an availability problem whenever the store is slower than the load for long.`,
        `- **Option B** (\`kafka-overflow\`, 2000 held records, 4 partitions, 2 recorders): ${s[KAFKA]!.oom!.crashes === 0 ? 'no crash' : `${s[KAFKA]!.oom!.crashes} crashes`}, ` +
          `${kafka.lostRecords + kafka.recordsLostToErrors === 0 ? 'no lost record' : `${n(kafka.lostRecords + kafka.recordsLostToErrors)} lost records`}, and ` +
          `activations are as fast as without a store. The price is the record backlog: ${n(kafka.overflowed)} records went ` +
          `through the \`activations\` topic, its backlog peaked at ${n(kafka.maxKafkaBacklog)}, a record waits up to ${(kafka.writeLatencyMs.max / 60_000).toFixed(1)} minutes to be written ` +
          `(p99 ${sec1(kafka.writeLatencyMs.p99)}: users see activation records late), and ${n(kafka.pending)} records are still in Kafka when the last activation ends — ` +
          `the topic must drain at the store's speed and needs the retention to hold that backlog.`,
      ].join('\n') + '\n';
    },
  },
];

/**
 * docs/findings.md "AWS Lambda cold starts" and "Which warm container runs an activation"
 * (scenarios/validation/aws-lambda-coldstart.yaml under the three free-pool orders and three rates).
 */
import type { Summary } from '../report/types.js';
import type { FindingRun, FindingsBlock } from './block.js';
import { int, table } from './format.js';

const scenario = 'scenarios/validation/aws-lambda-coldstart.yaml';
const rates = [
  { label: '0.1/s (0.2), 10 days', set: [] as string[] },
  { label: '1/s (2), 2 days', set: ['workload.actions.0.arrivals.rate=1/s', 'duration=2d'] },
  { label: '5/s (10), 12 hours', set: ['workload.actions.0.arrivals.rate=5/s', 'duration=12h'] },
];
const orders = ['scala-map', 'lru', 'mru'] as const;
/**
 * The free-pool order owsim had before issue 15, and AWS Lambda's measured ratios (exp.csv rows experiment_11
 * and experiment_9, column ColdStartProbability, as test/validation/awsLambdaColdStart.test.ts has them): fixed.
 */
const BEFORE = ['0.00681', '0.00121', '–'];
const MEASURED = [0.005949123396194999, 0.0013070399809943605];
const EXPERIMENT = ['experiment_11', 'experiment_9'];

const runs: FindingRun[] = rates.flatMap((r) => orders.map((o) => ({ scenario, set: [...r.set, ...(o === 'scala-map' ? [] : [`invokers.containerSelection=${o}`])] })));
const ratio = (s: Summary) => (s.coldStarts.count === 0 ? '0' : s.coldStarts.ratio.toFixed(5));
const percent = (x: number) => `${x < 0 ? '−' : '+'}${Math.abs(x * 100).toFixed(1)}%`;

export const coldStartBlocks: FindingsBlock[] = [
  {
    id: 'aws-lambda-coldstart',
    cheap: false,
    runs: [runs[0]!, runs[3]!],
    render(outs) {
      const rows = outs.map((o, i) => {
        const s = o.summary;
        const simulated = s.coldStarts.ratio;
        return [
          `${['0.1/s (10 days', '1/s (2 days'][i]}, ${int(s.activations.arrived)} arrivals)`,
          simulated.toFixed(5),
          `${MEASURED[i]!.toFixed(5)} (${EXPERIMENT[i]})`,
          percent(simulated / MEASURED[i]! - 1),
        ];
      });
      return table(['arrival rate', 'simulated (`containerSelection: scala-map`)', 'measured (exp.csv)', 'error'], rows);
    },
  },
  {
    id: 'container-selection',
    cheap: false,
    runs,
    render(outs) {
      const rows = rates.map((r, i) => {
        const cells = orders.map((_, k) => {
          const s = outs[i * orders.length + k]!.summary;
          return s.coldStarts.count === 0 ? '0' : `${ratio(s)} (${s.coldStarts.count}${i === 0 && k === 0 ? ' cold' : ''})`;
        });
        return [r.label, ...cells, BEFORE[i]!, MEASURED[i] === undefined ? '–' : MEASURED[i]!.toFixed(5)];
      });
      return table(['arrival rate (mean concurrency)', '`scala-map` (default)', '`lru`', '`mru`', 'before (last of the list)', 'AWS Lambda measured'], rows);
    },
  },
];

/** Child process of `peakRssMb`: runs one scenario and prints its peak RSS (from the OS) as JSON. */
import { resourceUsage } from 'node:process';
import { loadScenarioFile } from '../scenario/load.js';
import { runScenario } from '../runScenario.js';

const [file, ...overrides] = process.argv.slice(2);
const { summary } = runScenario(loadScenarioFile(file!, overrides));
// maxRSS is reported in kilobytes.
process.stdout.write(JSON.stringify({ rssMb: resourceUsage().maxRSS / 1024, activations: summary.activations.arrived }));

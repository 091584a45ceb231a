/**
 * Start-up time of the command line: wall time of `node bin/owsim.js --help` and `owsim validate` on the
 * quick-start scenario, each spawned fresh `times` times, median. Commands load their code when chosen
 * (cli/main.ts), so neither loads the simulator, the charts, the canvas or the worker pool.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export interface StartupResult {
  command: string;
  medianMs: number;
  /** Median CPU time (user + system) of the child, where the platform tells it (Linux /proc), else null. */
  medianCpuMs: number | null;
}

/** CPU time of this process's finished children in ms (Linux: cutime + cstime in /proc/self/stat), or null. */
export function childrenCpuMs(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command name: state is field 3, so cutime (16) and cstime (17) are at 13 and 14 here.
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return null;
  }
}

export function startupBench(root: string, times = 7): StartupResult[] {
  const bin = `${root}bin/owsim.js`;
  const commands: [string, string[]][] = [
    ['owsim --help', ['--help']],
    ['owsim validate quickstart', ['validate', `${root}scenarios/quickstart.yaml`]],
  ];
  return commands.map(([command, args]) => {
    const walls: number[] = [];
    const cpus: number[] = [];
    for (let i = 0; i < times; i++) {
      const cpuBefore = childrenCpuMs();
      const start = performance.now();
      execFileSync(process.execPath, [bin, ...args], { stdio: 'ignore' });
      walls.push(performance.now() - start);
      const cpuAfter = childrenCpuMs();
      if (cpuBefore !== null && cpuAfter !== null) cpus.push(cpuAfter - cpuBefore);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return { command, medianMs: median(walls), medianCpuMs: cpus.length === times ? median(cpus) : null };
  });
}

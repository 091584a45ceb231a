/** `owsim list`: the shipped scenarios, one a line, names aligned, with the first line of each description. */
import type { CliContext } from '../main.js';

export async function listCommand(ctx: CliContext): Promise<number> {
  const shipped = await ctx.deps.listShippedScenarios();
  if (shipped.length === 0) {
    ctx.io.stdout.write('no shipped scenarios found\n');
    return 0;
  }
  const width = Math.max(...shipped.map((s) => s.name.length));
  for (const s of shipped) {
    const first = s.description.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
    ctx.io.stdout.write(`${s.name.padEnd(width)}  ${first}`.trimEnd() + '\n');
  }
  return 0;
}

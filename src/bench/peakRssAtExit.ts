/**
 * Preloaded into an unmodified `owsim run` process by the overload bench (`node --import <this> bin/owsim.js
 * run ...`): when the process exits, it writes its peak RSS in MB (from the OS) to the file named by
 * `OWSIM_BENCH_RSS_FILE`. That is how the bench measures the whole `owsim run` process, reports and all, as the
 * overload issue defines its figures, without changing what the process does.
 */
import { writeFileSync } from 'node:fs';
import { resourceUsage } from 'node:process';

const file = process.env['OWSIM_BENCH_RSS_FILE'];
if (file !== undefined && file !== '') {
  process.on('exit', () => {
    // maxRSS is reported in kilobytes.
    writeFileSync(file, String(resourceUsage().maxRSS / 1024));
  });
}

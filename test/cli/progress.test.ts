import { describe, expect, it } from 'vitest';
import { createProgress, type ProgressBar } from '../../src/cli/progress.js';

function recordingBar(log: string[]): () => ProgressBar {
  return () => ({
    start: (total, value, payload) => log.push(`start ${value}/${total} ${payload['simulated']} ${payload['eps']}`),
    update: (value, payload) => log.push(`update ${value} ${payload['wall']}`),
    stop: () => log.push('stop'),
  });
}

describe('createProgress', () => {
  it('stays hidden for the first second of wall time, then shows and updates', () => {
    const log: string[] = [];
    let nowMs = 0;
    const progress = createProgress({ stream: { write: () => true }, enabled: true, wallClockMs: () => nowMs, createBar: recordingBar(log) });
    for (const [wallMs, simMs] of [[400, 5000], [999, 9000], [1000, 10_000], [1500, 30_000]] as const) {
      nowMs = wallMs;
      progress.onProgress({ simulatedMs: simMs, totalMs: 60_000, events: wallMs * 10 });
    }
    progress.stop();
    expect(log).toEqual(['start 10000/60000 10.0 s 10000', 'update 30000 1.5 s', 'stop']);
  });

  it('never draws when disabled', () => {
    const log: string[] = [];
    let nowMs = 0;
    const progress = createProgress({ stream: { write: () => true }, enabled: false, wallClockMs: () => nowMs, createBar: recordingBar(log) });
    nowMs = 5000;
    progress.onProgress({ simulatedMs: 1, totalMs: 2, events: 3 });
    progress.stop();
    expect(log).toEqual([]);
  });
});

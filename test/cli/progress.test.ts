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

describe('progress ETA and drain (issue 16 item 19)', () => {
  it('runs the bar to the end of arrivals with an ETA from the pace so far, then says it is draining', () => {
    const log: string[] = [];
    let nowMs = 0;
    const bar = (): ProgressBar => ({
      start: (total, value, payload) => log.push(`start ${value}/${total} ${payload['eta']}`),
      update: (value, payload) => log.push(`update ${value} ${payload['eta']}`),
      stop: () => log.push('stop'),
    });
    const progress = createProgress({ stream: { write: () => true }, enabled: true, wallClockMs: () => nowMs, createBar: bar });
    for (const [wallMs, simMs] of [[2000, 30_000], [4000, 60_000], [4100, 63_000]] as const) {
      nowMs = wallMs;
      progress.onProgress({ simulatedMs: simMs, totalMs: 180_000, durationMs: 60_000, events: wallMs * 10 });
    }
    progress.stop();
    expect(log).toEqual(['start 30000/60000 ETA 2.0 s', 'update 60000 arrivals done, draining', 'update 60000 arrivals done, draining', 'stop']);
  });
});

/**
 * The progress bar for `owsim run`: simulated time out of total, wall time and kernel events per wall second,
 * drawn with cli-progress on stderr. It only appears when stderr is a terminal, --quiet is off and the run has
 * already taken over a second, so short runs, pipes and CI logs stay clean. The run is synchronous, so the bar
 * is redrawn from the run's `onProgress` callback (cli-progress's synchronous update), not from a timer.
 */
import cliProgress from 'cli-progress';
import type { RunProgress } from './deps.js';
import type { TextSink } from './io.js';

export interface ProgressBar {
  start(total: number, value: number, payload: Record<string, string>): void;
  update(value: number, payload: Record<string, string>): void;
  stop(): void;
}

export interface ProgressOptions {
  stream: TextSink;
  /** False with --quiet or when the stream is not a terminal. */
  enabled: boolean;
  wallClockMs: () => number;
  /** Wall time before the bar first appears. */
  showAfterMs?: number;
  createBar?: (stream: TextSink) => ProgressBar;
}

export interface Progress {
  onProgress(progress: RunProgress): void;
  /** Removes the bar (if shown); call once the run returns or throws. */
  stop(): void;
}

export const PROGRESS_SHOW_AFTER_MS = 1000;

function cliProgressBar(stream: TextSink): ProgressBar {
  return new cliProgress.SingleBar(
    {
      stream: stream as unknown as NodeJS.WritableStream,
      format: 'owsim [{bar}] {percentage}% | simulated {simulated} / {total_s} | wall {wall} | {eps} events/s',
      hideCursor: true,
      clearOnComplete: true,
      barsize: 30,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function createProgress(options: ProgressOptions): Progress {
  const showAfterMs = options.showAfterMs ?? PROGRESS_SHOW_AFTER_MS;
  const createBar = options.createBar ?? cliProgressBar;
  const startedMs = options.wallClockMs();
  let bar: ProgressBar | undefined;

  return {
    onProgress(p: RunProgress): void {
      if (!options.enabled) return;
      const wallMs = options.wallClockMs() - startedMs;
      if (bar === undefined && wallMs < showAfterMs) return;
      const payload = {
        simulated: seconds(p.simulatedMs),
        total_s: seconds(p.totalMs),
        wall: seconds(wallMs),
        eps: wallMs > 0 ? String(Math.round(p.events / (wallMs / 1000))) : '0',
      };
      const total = Math.max(1, Math.round(p.totalMs));
      const value = Math.min(total, Math.round(p.simulatedMs));
      if (bar === undefined) {
        bar = createBar(options.stream);
        bar.start(total, value, payload);
      } else {
        bar.update(value, payload);
      }
    },
    stop(): void {
      bar?.stop();
      bar = undefined;
    },
  };
}

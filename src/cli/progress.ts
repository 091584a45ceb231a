/**
 * The progress bar for `owsim run`: simulated time out of the arrival time (`duration`), wall time, kernel events
 * per wall second and an ETA,
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
      format: 'owsim [{bar}] {percentage}% | simulated {simulated} / {total_s} | wall {wall} | {eps} events/s | {eta}',
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
      // The bar runs to the end of arrivals: the drain has no known length (the run ends as soon as nothing is
      // in flight), so counting it would leave the bar at 68 % when the run ends. The ETA extrapolates the wall
      // time per simulated second so far, which tracks events per second, over the arrival time still to go.
      const loadMs = p.durationMs ?? p.totalMs;
      const draining = p.simulatedMs >= loadMs;
      const etaMs = p.simulatedMs > 0 ? (wallMs * (loadMs - p.simulatedMs)) / p.simulatedMs : NaN;
      const payload = {
        simulated: seconds(p.simulatedMs),
        total_s: seconds(loadMs),
        wall: seconds(wallMs),
        eps: wallMs > 0 ? String(Math.round(p.events / (wallMs / 1000))) : '0',
        eta: draining ? 'arrivals done, draining' : Number.isFinite(etaMs) ? `ETA ${seconds(etaMs)}` : 'ETA –',
      };
      const total = Math.max(1, Math.round(loadMs));
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

/**
 * Memory held by containers, sampled at every sample instant of the measured window (from the end of warm-up):
 * all live containers (stem cells included), and idle warm containers alone: the memory a keep-alive policy
 * spends waiting for the next activation (what a container policy trades against cold starts).
 */
import { round3 } from '../../sim/LatencyHistogram.js';

export interface ContainerMemorySummary {
  /** Time-average over the measured window of the memory of all live containers, summed over invokers. */
  memoryMeanMb: number;
  /** Time-average of the memory held by idle (ready or paused) containers, summed over invokers. */
  idleMemoryMeanMb: number;
  /** The same idle memory integrated over the measured window, in GB·hours. */
  idleMemoryGbHours: number;
}

export interface ContainerMemorySource {
  readonly memoryUsedMb: number;
  readonly idleMemoryMb: number;
}

export class ContainerMemory {
  private samples = 0;
  private usedSumMb = 0;
  private idleSumMb = 0;

  constructor(private readonly warmupMs: number) {}

  sample(nowMs: number, invokers: readonly ContainerMemorySource[]): void {
    if (nowMs < this.warmupMs) return;
    let used = 0;
    let idle = 0;
    for (let i = 0; i < invokers.length; i++) {
      const inv = invokers[i]!;
      used += inv.memoryUsedMb;
      idle += inv.idleMemoryMb;
    }
    this.samples++;
    this.usedSumMb += used;
    this.idleSumMb += idle;
  }

  summary(endMs: number): ContainerMemorySummary {
    const n = this.samples;
    const idleMean = n > 0 ? this.idleSumMb / n : 0;
    const windowHours = Math.max(0, endMs - this.warmupMs) / 3_600_000;
    return {
      memoryMeanMb: round3(n > 0 ? this.usedSumMb / n : 0),
      idleMemoryMeanMb: round3(idleMean),
      idleMemoryGbHours: round3((idleMean / 1024) * windowHours),
    };
  }
}

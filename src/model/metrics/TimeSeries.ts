/**
 * The run's time series (timeseries.csv): named columns, each read by a probe at every sample instant (the
 * run's Sampler calls `sample`). One row of numbers per sample; the first column is the time.
 */
export class TimeSeries {
  readonly columns: string[] = ['t_ms'];
  readonly rows: number[][] = [];
  private readonly probes: (() => number)[] = [];

  add(name: string, probe: () => number): void {
    this.columns.push(name);
    this.probes.push(probe);
  }

  sample(nowMs: number): void {
    const probes = this.probes;
    const row = new Array<number>(probes.length + 1);
    row[0] = nowMs;
    for (let i = 0; i < probes.length; i++) row[i + 1] = probes[i]!();
    this.rows.push(row);
  }
}

/**
 * "What happened": a rule-based diagnosis of a finished run, for summary.json (`diagnosis`), the top of
 * summary.md and index.html. Each rule (rules.ts) looks at the summary, the scenario and the time series,
 * and either stays silent or returns a finding with the figures it saw and the settings to try. Findings are
 * ordered by severity (critical, warning, info), then by rule order; an empty list means nothing is wrong.
 */
import type { Scenario } from '../../scenario/types.js';
import type { Finding, Severity, Summary, TimeSeries } from '../types.js';
import { RULES } from './rules.js';

export interface DiagnosisInput {
  summary: Summary;
  scenario: Scenario;
  timeseries: TimeSeries;
  /** Overflow messages put back on the topic by the requeue fixes (current controller incarnations). */
  overflowRequeues: number;
}

const RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

export function diagnose(input: DiagnosisInput): Finding[] {
  const found: { finding: Finding; order: number }[] = [];
  RULES.forEach((rule, order) => {
    for (const finding of rule(input)) found.push({ finding, order });
  });
  found.sort((a, b) => RANK[a.finding.severity] - RANK[b.finding.severity] || a.order - b.order);
  return found.map((f) => f.finding);
}

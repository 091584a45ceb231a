/**
 * The resolved scenario as plain JSON-able data (for scenario.resolved.json and reports): a deep copy with the
 * same field order as `Scenario`, so the same scenario always serialises to the same bytes. Non-finite
 * numbers cannot occur (validation refuses them) but would be written as strings rather than silently as null.
 */
import type { Scenario } from './types.js';

function toPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toPlain);
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (v !== undefined) out[key] = toPlain(v);
    }
    return out;
  }
  return value;
}

export function scenarioToPlain(s: Scenario): unknown {
  return toPlain(s);
}

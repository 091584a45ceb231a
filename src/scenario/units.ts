/**
 * Quantities with units, as scenario files write them: durations (`250ms`, `1.5s`, `10m`, `1h30m`), sizes
 * (`512KB`, `256MB`, `2GB`, 1024-based as JVM and OpenWhisk settings are) and rates (`100/s`, `6000/min`, `2/h`).
 *
 * Each parser takes whatever the YAML/JSON parser produced and returns either the value in base units
 * (milliseconds, bytes, per second) or why it is not one. Units are read the same way everywhere: any case,
 * optional spaces, durations and rate denominators from one table (TIME_UNITS_MS). A bare number is always refused: `memory: 256` could
 * be bytes or megabytes, and a scenario that silently means the other one is worse than an error. Negative
 * values parse (so the schema can say "must not be negative" instead of "not a duration"); range checks are the
 * schema's job.
 */

export type UnitResult = { ok: true; value: number } | { ok: false; expected: string; message: string };

export const DURATION_EXPECTED = 'a duration with a unit like 250ms, 2s, 10m or 1h';
export const SIZE_EXPECTED = 'a size with a unit like 512KB, 256MB or 2GB';
export const RATE_EXPECTED = 'a rate with a unit like 100/s, 6000/min or 2/h';

/**
 * Milliseconds per time unit, for durations and for the denominator of rates alike (lower-cased keys). Every
 * unit is matched case-insensitively, with or without spaces (`256mb`, `1 min`, `2 S`, `100 / sec`), except a
 * capital `M` alone, which reads as mega or month as easily as minute and is refused with a suggestion.
 */
const TIME_UNITS_MS: Record<string, number> = {
  us: 0.001,
  µs: 0.001,
  ms: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
};

/** Bytes per size unit (lower-cased keys; matching is case-insensitive and always 1024-based). */
const SIZE_UNITS_BYTES: Record<string, number> = {
  b: 1,
  kb: 1024,
  kib: 1024,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

/** Size spellings refused with the unit they probably mean (`-Xmx256m` style, "megs"). */
const SIZE_SUGGESTIONS: Record<string, string> = {
  k: 'KB',
  m: 'MB',
  g: 'GB',
  t: 'TB',
  meg: 'MB',
  megs: 'MB',
  gig: 'GB',
  gigs: 'GB',
  megabyte: 'MB',
  megabytes: 'MB',
  gigabyte: 'GB',
  gigabytes: 'GB',
  kilobyte: 'KB',
  kilobytes: 'KB',
};

const AMBIGUOUS_M = 'a capital M could mean mega or month; write m or min for minutes';
const TIME_UNITS_TEXT = 'us, ms, s, m or min, h, d (any case, spelled out too)';

const NUMBER = '(?:\\d+(?:\\.\\d*)?|\\.\\d+)';
const DURATION_PART = new RegExp(`(${NUMBER})\\s*([a-zµ]+)`, 'giy');
const SIZE_RE = new RegExp(`^(${NUMBER})\\s*([a-z]+)$`, 'i');
const RATE_RE = new RegExp(`^(${NUMBER})\\s*/\\s*([a-zµ]+)$`, 'i');

/** Milliseconds per duration unit as written (any case; `M` alone refused), or undefined. For thresholds and rules. */
export function durationUnitMs(unit: string): number | undefined {
  const factor = timeUnit(unit);
  return typeof factor === 'number' ? factor : undefined;
}

/** Milliseconds per `unit` as written, or why it is refused. */
function timeUnit(unit: string): number | string {
  if (unit === 'M') return AMBIGUOUS_M;
  return TIME_UNITS_MS[unit.toLowerCase()] ?? `unknown unit \`${unit}\``;
}

function bareNumber(input: unknown, expected: string): UnitResult | null {
  if (typeof input === 'number' || (typeof input === 'string' && /^\s*[-+]?\d*\.?\d+(e[-+]?\d+)?\s*$/i.test(input))) {
    return { ok: false, expected, message: 'a bare number has no unit' };
  }
  if (typeof input !== 'string') return { ok: false, expected, message: `not ${expected.replace(/ with.*/, '')}` };
  return null;
}

/** Split a leading minus sign off; returns the sign and the rest trimmed. */
function splitSign(text: string): { sign: number; body: string } {
  const trimmed = text.trim();
  if (trimmed.startsWith('-')) return { sign: -1, body: trimmed.slice(1).trim() };
  if (trimmed.startsWith('+')) return { sign: 1, body: trimmed.slice(1).trim() };
  return { sign: 1, body: trimmed };
}

/** `250ms`, `1.5s`, `10m`, `2h`, `1d`, `500us`, `1 min`, compound `1h30m` or `1m 30s` → milliseconds. */
export function parseDuration(input: unknown): UnitResult {
  const early = bareNumber(input, DURATION_EXPECTED);
  if (early) return early;
  const { sign, body } = splitSign(input as string);
  let total = 0;
  let pos = 0;
  let parts = 0;
  while (pos < body.length) {
    DURATION_PART.lastIndex = pos;
    const m = DURATION_PART.exec(body);
    if (!m) break;
    const factor = timeUnit(m[2]!);
    if (typeof factor === 'string') {
      return { ok: false, expected: DURATION_EXPECTED, message: `not a duration: ${factor} (units: ${TIME_UNITS_TEXT})` };
    }
    total += Number(m[1]) * factor;
    pos = DURATION_PART.lastIndex;
    while (body[pos] === ' ') pos++;
    parts++;
  }
  if (parts === 0 || pos !== body.length) {
    return { ok: false, expected: DURATION_EXPECTED, message: `not a duration (units: ${TIME_UNITS_TEXT})` };
  }
  return { ok: true, value: sign * total };
}

/** `512KB`, `256MB`, `256mb`, `2 GB`, `100B` (1024-based, case-insensitive, `MiB` accepted) → bytes. */
export function parseSize(input: unknown): UnitResult {
  const early = bareNumber(input, SIZE_EXPECTED);
  if (early) return early;
  const { sign, body } = splitSign(input as string);
  const m = SIZE_RE.exec(body);
  const factor = m ? SIZE_UNITS_BYTES[m[2]!.toLowerCase()] : undefined;
  if (!m || factor === undefined) {
    const suggestion = m ? SIZE_SUGGESTIONS[m[2]!.toLowerCase()] : undefined;
    const hint = suggestion !== undefined ? `; did you mean ${m![1]}${suggestion}?` : '';
    return { ok: false, expected: SIZE_EXPECTED, message: `not a size (units: B, KB, MB, GB, TB; any case; 1024-based)${hint}` };
  }
  return { ok: true, value: sign * Number(m[1]) * factor };
}

/** `100/s`, `6000/min`, `2/h`, `1/d`, `5/ms`, `10 / SEC` → per second; the denominator is any duration unit. */
export function parseRate(input: unknown): UnitResult {
  const early = bareNumber(input, RATE_EXPECTED);
  if (early) return early;
  const { sign, body } = splitSign(input as string);
  const m = RATE_RE.exec(body);
  const factor = m ? timeUnit(m[2]!) : 'no denominator';
  if (!m || typeof factor === 'string') {
    const why = m && typeof factor === 'string' ? `: ${factor}` : '';
    return { ok: false, expected: RATE_EXPECTED, message: `not a rate${why} (per ${TIME_UNITS_TEXT})` };
  }
  return { ok: true, value: (sign * Number(m[1])) / (factor / 1000) };
}

/** Compact human form of milliseconds for messages: `250ms`, `30s`, `10m`, `30d`. */
export function formatDuration(ms: number): string {
  const units: [string, number][] = [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]];
  for (const [unit, size] of units) {
    if (Math.abs(ms) >= size && Number.isInteger(ms / size)) return `${ms / size}${unit}`;
  }
  return `${+ms.toPrecision(6)}ms`;
}

/** Compact human form of bytes for messages: `256MB`, `2GB`, `16KB`. */
export function formatSize(bytes: number): string {
  const units: [string, number][] = [['TB', 1024 ** 4], ['GB', 1024 ** 3], ['MB', 1024 ** 2], ['KB', 1024]];
  for (const [unit, size] of units) {
    if (Math.abs(bytes) >= size && Number.isInteger(bytes / size)) return `${bytes / size}${unit}`;
  }
  return `${+bytes.toPrecision(6)}B`;
}

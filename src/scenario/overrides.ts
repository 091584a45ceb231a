/**
 * `--set path=value` overrides, applied to the raw document before validation so an overridden value is
 * checked exactly like one written in the file.
 *
 * Paths are dotted (`invokers.count`, `workload.actions.0.memory`; `actions[0]` works too). Every key is
 * checked against the schema as the path is walked, so a typo fails here, naming `--set` and the path, with
 * "did you mean"; a list index must name an existing item. Under `thresholds` the rest of the path is one key
 * (`thresholds.latencyMs.p99=< 1500`). Inside distributions and arrivals (`…duration.median=80ms`) keys are
 * free here and checked by validation. Missing sections are created.
 *
 * The value is parsed as a YAML scalar or flow collection (`20`, `true`, `512MB`, `[max-offset-on-empty-poll]`,
 * `{ dist: exponential, mean: 5ms }`); when it is not valid YAML, or starts with a block indicator (`>` or `|`,
 * as in `> 5`), it is taken as plain text.
 */
import { parse as parseYaml } from 'yaml';
import { ScenarioError } from '../errors.js';
import { formatGot, formatPath, type PathSegment } from './problems.js';
import { shapeAt } from './schema.js';
import { didYouMean } from './suggest.js';

export interface AppliedOverrides {
  document: unknown;
  /** Formatted paths that were set, in order (for annotating later validation problems). */
  paths: { path: string; text: string }[];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A bad `--set`: its message is already complete (file, override, path, expected, got), so format() is it. */
class OverrideError extends ScenarioError {
  override format(): string {
    return this.message;
  }
}

function overrideError(file: string, text: string, path: string, message: string, expected: string, got?: string): ScenarioError {
  const details: ScenarioError['details'] = { file, path, expected };
  if (got !== undefined) details.got = got;
  let full = `${file}: --set ${text}: ${path ? `${path}: ` : ''}${message}\n  expected: ${expected}`;
  if (got !== undefined) full += `\n  got: ${got}`;
  return new OverrideError(full, details);
}

export function parseOverrideValue(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith('>') || trimmed.startsWith('|')) return text;
  try {
    return parseYaml(text);
  } catch {
    return text;
  }
}

function splitPath(pathText: string): string[] | undefined {
  const segments = pathText.replace(/\[(\d+)\]/g, '.$1').split('.');
  return segments.every((s) => s.length > 0) ? segments : undefined;
}

/** Apply overrides and report which paths were set. Throws ScenarioError on a malformed or unknown path. */
export function applyOverridesTracked(raw: unknown, overrides: readonly string[], file: string): AppliedOverrides {
  const paths: AppliedOverrides['paths'] = [];
  let document = raw;
  for (const text of overrides) {
    const eq = text.indexOf('=');
    if (eq <= 0) throw overrideError(file, text, '', 'an override is path=value', 'path=value, like invokers.count=20', JSON.stringify(text));
    const pathText = text.slice(0, eq).trim();
    const value = parseOverrideValue(text.slice(eq + 1));
    const segments = splitPath(pathText);
    if (!segments) throw overrideError(file, text, pathText, 'the path has an empty segment', 'a dotted path like workload.actions.0.memory', JSON.stringify(pathText));
    if (!isPlainObject(document)) document = {};
    const path = setPath(document as Record<string, unknown>, segments, value, file, text);
    paths.push({ path: formatPath(path), text });
  }
  return { document, paths };
}

/** `applyOverrides(raw, ['invokers.count=20'], file)` → the document with the values set (mutated in place). */
export function applyOverrides(raw: unknown, overrides: string[], file: string): unknown {
  return applyOverridesTracked(raw, overrides, file).document;
}

function setPath(root: Record<string, unknown>, segments: string[], value: unknown, file: string, text: string): PathSegment[] {
  const walked: PathSegment[] = [];
  let container: Record<string, unknown> | unknown[] = root;
  let free = false; // inside a distribution or arrivals: keys are checked by validation
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const last = i === segments.length - 1;
    const shape = free ? { kind: 'open' as const } : shapeAt(walked);
    const here = formatPath(walked) || 'the top level';
    let key: PathSegment;
    if (shape?.kind === 'record') {
      // Threshold names contain dots: the rest of the path is one key.
      key = segments.slice(i).join('.');
      walked.push(key);
      (container as Record<string, unknown>)[key] = value;
      return walked;
    }
    if (Array.isArray(container)) {
      if (!/^\d+$/.test(segment)) throw overrideError(file, text, formatPath([...walked, segment]), `${here} is a list; use an index`, `an index from 0 to ${container.length - 1}`, segment);
      const index = Number(segment);
      if (index >= container.length) {
        const has = container.length === 0 ? 'has no items' : `has ${container.length} item${container.length === 1 ? '' : 's'}`;
        throw overrideError(file, text, formatPath([...walked, index]), `index ${index} is out of range: ${here} ${has}`, container.length === 0 ? 'an existing item (add it in the file)' : `an index from 0 to ${container.length - 1}`, segment);
      }
      key = index;
    } else {
      if (shape?.kind === 'section' && !shape.keys.includes(segment)) {
        throw overrideError(file, text, formatPath([...walked, segment]), `unknown key \`${segment}\` in ${here}${didYouMean(segment, shape.keys)}`, `one of ${shape.keys.join(', ')}`, segment);
      }
      if (shape?.kind === 'leaf' || shape === undefined) {
        throw overrideError(file, text, formatPath([...walked, segment]), `${here} is a single value; it has no \`${segment}\``, `set ${here} itself`, segment);
      }
      key = segment;
    }
    walked.push(key);
    if (shape?.kind === 'open') free = true;
    if (last) {
      (container as Record<string | number, unknown>)[key] = value;
      return walked;
    }
    const existing = (container as Record<string | number, unknown>)[key];
    const nextShape = free ? undefined : shapeAt(walked);
    if (existing === undefined || existing === null) {
      if (nextShape?.kind === 'list') {
        throw overrideError(file, text, formatPath([...walked, segments[i + 1]!]), `index ${segments[i + 1]} is out of range: ${formatPath(walked)} has no items`, 'an existing item (add it in the file)', segments[i + 1]);
      }
      if (nextShape?.kind === 'leaf') {
        throw overrideError(file, text, formatPath([...walked, segments[i + 1]!]), `${formatPath(walked)} is a single value; it has no \`${segments[i + 1]}\``, `set ${formatPath(walked)} itself`, segments[i + 1]);
      }
      const created: Record<string, unknown> = {};
      (container as Record<string | number, unknown>)[key] = created;
      container = created;
    } else if (typeof existing === 'object') {
      container = existing as Record<string, unknown> | unknown[];
    } else {
      throw overrideError(file, text, formatPath(walked), `${formatPath(walked)} is ${formatGot(existing)} in the file, not a mapping; set the whole value instead`, `--set ${formatPath(walked)}=<value>`, formatGot(existing));
    }
  }
  return walked;
}

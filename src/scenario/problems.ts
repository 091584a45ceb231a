/**
 * A scenario problem (one bad field) and the single error that carries all of a file's problems, so a user
 * fixes the file in one pass.
 *
 * `ScenarioProblemsError` is a `ScenarioError` (same code and exit status); its message is complete on its own
 * (file, line, field path, what was wrong, expected and got for every problem), and `format()` returns exactly
 * that message. `details` describes the first problem; `problems` lists all of them.
 */
import { ScenarioError } from '../errors.js';

export type PathSegment = string | number;

export interface ScenarioProblem {
  /** Field path in the file, e.g. `workload.actions[2].memory`; '' for the whole document. */
  path: string;
  message: string;
  expected?: string;
  got?: string;
  /** 1-based line in the file, when known. */
  line?: number;
}

/** `['workload', 'actions', 2, 'memory']` → `workload.actions[2].memory`. Keys with dots are bracket-quoted. */
export function formatPath(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) text += text ? `.${segment}` : segment;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** A value as the user wrote it, compact: `256`, `"2 GB"`, `{"dist":"normal"}`, or `nothing (missing)`. */
export function formatGot(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function formatOne(p: ScenarioProblem, indent: string): string {
  let text = p.path ? `${p.path}: ${p.message}` : p.message;
  if (p.line !== undefined) text = `line ${p.line}: ${text}`;
  if (p.expected !== undefined) text += `\n${indent}  expected: ${p.expected}`;
  if (p.got !== undefined) text += `\n${indent}  got: ${p.got}`;
  return text;
}

export class ScenarioProblemsError extends ScenarioError {
  readonly problems: readonly ScenarioProblem[];

  constructor(file: string, problems: ScenarioProblem[]) {
    const first = problems[0] ?? { path: '', message: 'invalid scenario' };
    let message: string;
    if (problems.length <= 1) {
      message = `${file}: ${formatOne(first, '')}`;
    } else {
      message = `${file}: ${problems.length} problems\n` + problems.map((p) => `  - ${formatOne(p, '  ')}`).join('\n');
    }
    const details: ScenarioError['details'] = { file };
    if (first.path) details.path = first.path;
    if (first.expected !== undefined) details.expected = first.expected;
    if (first.got !== undefined) details.got = first.got;
    if (first.line !== undefined) details.line = first.line;
    super(message, details);
    this.problems = problems.length > 0 ? problems : [first];
  }

  /** The message already names file, lines, paths, expected and got; print it as is. */
  override format(): string {
    return this.message;
  }
}

/**
 * The JSON Schema of a scenario file (draft-07), generated from the zod schema (schema.ts) so the two cannot
 * drift: sections, keys, which keys are required, defaults (as a file writes them) and lists come from zod;
 * what a leaf accepts comes from the JSON Schema each leaf registers beside its check (leaves.ts
 * `leafJsonSchemas`). `owsim schema` prints it and the package ships it as scenario.schema.json, for editors
 * (VS Code's YAML extension reads the `# yaml-language-server: $schema=…` line of a scenario file).
 *
 * The schema never refuses what the loader accepts; it may accept a few files the loader refuses (cross-field
 * rules like warmup < duration, ranges a pattern cannot say), which `owsim validate` still reports.
 */
import type { z } from 'zod';
import { leafJsonSchemas, type JsonSchema } from './leaves.js';
import { scenarioFileSchema } from './schema.js';

export const SCENARIO_SCHEMA_ID = 'https://owsim.invalid/scenario.schema.json';

interface Def {
  type: string;
  shape?: Record<string, z.core.$ZodType>;
  element?: z.core.$ZodType;
  valueType?: z.core.$ZodType;
  innerType?: z.core.$ZodType;
  defaultValue?: unknown;
  catchall?: z.core.$ZodType;
  in?: z.core.$ZodType;
}

function defOf(schema: z.core.$ZodType): Def {
  return schema._zod.def as unknown as Def;
}

/** Wrappers that make a key optional in the file (a default fills it, or it may be absent). */
function isOptional(schema: z.core.$ZodType): boolean {
  const t = defOf(schema).type;
  return t === 'optional' || t === 'prefault' || t === 'default';
}

function convert(schema: z.core.$ZodType): JsonSchema {
  const registered = leafJsonSchemas.get(schema);
  if (registered !== undefined) return { ...registered };
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
      return convert(def.innerType!);
    case 'prefault':
    case 'default': {
      const inner = convert(def.innerType!);
      const value = def.defaultValue;
      // Section defaults are `{}`, which says nothing; leaf defaults are what the file would write.
      if (value !== undefined && !(typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0)) {
        inner['default'] = value;
      }
      return inner;
    }
    case 'object': {
      const shape = def.shape ?? {};
      const properties: Record<string, JsonSchema> = {};
      const required: string[] = [];
      for (const [key, child] of Object.entries(shape)) {
        properties[key] = convert(child);
        if (!isOptional(child)) required.push(key);
      }
      const strict = def.catchall !== undefined && defOf(def.catchall).type === 'never';
      return { type: 'object', properties, ...(required.length > 0 ? { required } : {}), ...(strict ? { additionalProperties: false } : {}) };
    }
    case 'array':
      return { type: 'array', items: convert(def.element!) };
    case 'record':
      return { type: 'object', additionalProperties: convert(def.valueType!) };
    default:
      // A leaf that registered nothing: open, so the schema never refuses what the loader accepts.
      return {};
  }
}

/** The scenario file's JSON Schema. */
export function scenarioJsonSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: SCENARIO_SCHEMA_ID,
    title: 'owsim scenario',
    description: 'A scenario for owsim, the OpenWhisk simulator: every field, its unit and its default are in docs/scenarios.md.',
    ...convert(scenarioFileSchema),
  };
}

/** The schema as the package ships it: two-space JSON and a final newline. */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}

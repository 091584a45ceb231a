/** `owsim schema`: prints the scenario files' JSON Schema (src/scenario/jsonSchema.ts) for editors and CI. */
import { scenarioJsonSchemaText } from '../../scenario/jsonSchema.js';
import type { CliContext } from '../main.js';

export async function schemaCommand(ctx: CliContext): Promise<number> {
  ctx.io.stdout.write(scenarioJsonSchemaText());
  return 0;
}

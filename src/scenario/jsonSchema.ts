/**
 * The JSON Schema of the scenario file, generated from the zod schema (the one definition), for
 * editors: `npm run sim -- schema > scenario.schema.json`.
 */
import { z } from './zodSetup.ts';
import { scenarioSchema } from './schema.ts';

/** JSON Schema (draft 2020-12) describing what a scenario file may contain. */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioSchema, {
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      // Native resource lists are validated by kind in code; show editors the union of kinds.
      const meta = z.globalRegistry.get(ctx.zodSchema as never) as { kindUnion?: Record<string, z.ZodType> } | undefined;
      if (meta?.kindUnion) {
        for (const key of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as Record<string, unknown>)[key];
        Object.assign(ctx.jsonSchema, {
          anyOf: Object.values(meta.kindUnion).map((s) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' })),
        });
      }
    },
  }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://mesh-sim.dev/scenario.schema.json',
    title: 'mesh-sim scenario',
  };
}

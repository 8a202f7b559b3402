/**
 * The JSON Schema of the scenario file, generated from the zod schema (the one definition), for
 * editors: `npm run sim -- schema > scenario.schema.json`.
 */
import { z } from './zodSetup.ts';
import { scenarioSchema } from './schema.ts';
import { TEXT_PATTERNS, comparison, durationMs, percent, positiveDurationMs, ratePerSec } from './units.ts';

type Json = Record<string, unknown>;

/**
 * The small text languages are strings to zod's converter; the patterns let an editor flag
 * `duration: 10 seconds` as the loader would.
 */
const TEXT_FORMS = new Map<unknown, Json>([
  [durationMs, { pattern: TEXT_PATTERNS.duration }],
  [positiveDurationMs, { pattern: TEXT_PATTERNS.duration }],
  [ratePerSec, { pattern: TEXT_PATTERNS.rate }],
  // Only text: a bare number (50, or 0.5 meant as a half) is refused by the loader.
  [percent, { type: 'string', pattern: TEXT_PATTERNS.percent }],
  [comparison, { pattern: TEXT_PATTERNS.comparison }],
]);

/** The text form of `schema`, or of the schema it was copied from (`.describe()` copies a schema). */
function textForm(schema: unknown): Json | undefined {
  for (let s = schema as { _zod: { parent?: unknown } } | undefined; s; s = s._zod.parent as typeof s) {
    const form = TEXT_FORMS.get(s);
    if (form) return form;
  }
  return undefined;
}

/** Formats JSON Schema defines; zod also writes its own (`starts_with`), which editors do not know. */
const STANDARD_FORMATS = new Set([
  'date-time',
  'date',
  'time',
  'duration',
  'email',
  'idn-email',
  'hostname',
  'idn-hostname',
  'ipv4',
  'ipv6',
  'uri',
  'uri-reference',
  'iri',
  'iri-reference',
  'uuid',
  'uri-template',
  'json-pointer',
  'relative-json-pointer',
  'regex',
]);

function convert(schema: z.ZodType): Json {
  return z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      const json = ctx.jsonSchema as Json;
      if (typeof json.format === 'string' && !STANDARD_FORMATS.has(json.format)) delete json.format;
      const form = textForm(ctx.zodSchema);
      // A form with its own type replaces the converted schema (percent: text, not text or number); its description stays.
      if (form?.type !== undefined) for (const key of Object.keys(json)) if (key !== 'description') delete json[key];
      if (form) Object.assign(ctx.jsonSchema, form);
      // Native resource lists are validated by kind in code; show editors the union of kinds.
      const meta = z.globalRegistry.get(ctx.zodSchema as never) as { kindUnion?: Record<string, z.ZodType> } | undefined;
      if (meta?.kindUnion) {
        for (const key of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as Json)[key];
        Object.assign(ctx.jsonSchema, { anyOf: Object.values(meta.kindUnion).map(subschema) });
      }
    },
  }) as Json;
}

/** Definitions of recursive schemas (a ServiceProfile's all/any/not conditions), gathered at the document's root. */
let hoisted: Json = {};

/**
 * A kind's schema inside the document: `$schema` belongs on the root only (draft 2020-12 §8.1.1),
 * and its `$defs` move to the root under names of their own, since its `$ref`s point at `#/$defs`.
 */
function subschema(schema: z.ZodType): Json {
  const { $schema: _root, $defs, ...rest } = convert(schema);
  if (!$defs) return rest;
  const renames = new Map<string, string>();
  for (const name of Object.keys($defs as Json)) renames.set(`#/$defs/${name}`, `#/$defs/d${Object.keys(hoisted).length + renames.size}`);
  const rewrite = (v: unknown): Json =>
    JSON.parse(JSON.stringify(v).replace(/"#\/\$defs\/[^"]+"/g, (ref) => JSON.stringify(renames.get(JSON.parse(ref) as string) ?? JSON.parse(ref)))) as Json;
  for (const [name, def] of Object.entries($defs as Json)) hoisted[renames.get(`#/$defs/${name}`)!.slice('#/$defs/'.length)] = rewrite(def);
  return rewrite(rest);
}

/** JSON Schema (draft 2020-12) describing what a scenario file may contain. */
export function scenarioJsonSchema(): Json {
  hoisted = {};
  const root = convert(scenarioSchema());
  const defs = hoisted;
  hoisted = {};
  return {
    ...root,
    $id: 'https://mesh-sim.dev/scenario.schema.json',
    title: 'mesh-sim scenario',
    ...(Object.keys(defs).length ? { $defs: defs } : {}),
  };
}

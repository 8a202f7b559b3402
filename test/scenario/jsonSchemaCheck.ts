/**
 * A small JSON Schema checker for the keywords the scenario schema uses — enough to show that
 * editors given `mesh-sim schema` accept the library and flag what the loader flags. Unknown
 * keywords fail loudly, so the checker never passes a file by ignoring part of the schema.
 */
type Schema = Record<string, unknown>;

const ANNOTATIONS = new Set(['$schema', '$id', '$defs', 'title', 'description', 'default', 'format']);
const CHECKED = new Set([
  '$ref',
  'type',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'items',
  'anyOf',
  'const',
  'enum',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
]);

const typeOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v;

/** Paths (`/services/0/replicas: ...`) where `value` breaks `schema`; empty when it conforms. */
export function jsonSchemaErrors(schema: Schema, value: unknown, at = '', root: Schema = schema): string[] {
  const errors: string[] = [];
  const fail = (what: string) => errors.push(`${at || '/'}: ${what}`);
  const check = (s: Schema, v: unknown, where: string): string[] => jsonSchemaErrors(s, v, where, root);
  if (typeof schema.$ref === 'string') {
    // Only document-local definitions (#/$defs/name), which recursive conditions use.
    const def = ((root.$defs ?? {}) as Record<string, Schema>)[schema.$ref.replace(/^#\/\$defs\//, '')];
    if (!def) fail(`unresolved $ref ${schema.$ref}`);
    else errors.push(...check(def, value, at));
  }
  for (const key of Object.keys(schema)) if (!ANNOTATIONS.has(key) && !CHECKED.has(key)) fail(`checker does not know keyword ${key}`);
  const t = typeOf(value);
  if (schema.type !== undefined) {
    const types = ([] as string[]).concat(schema.type as string | string[]);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) return [`${at || '/'}: expected ${types.join('|')}, got ${t}`];
  }
  if ('const' in schema && value !== schema.const) fail(`expected ${JSON.stringify(schema.const)}`);
  if (schema.enum && !(schema.enum as unknown[]).includes(value)) fail(`expected one of ${JSON.stringify(schema.enum)}`);
  if (typeof value === 'string') {
    if (schema.pattern !== undefined && !new RegExp(schema.pattern as string, 'u').test(value)) fail(`does not match ${schema.pattern}`);
    if (schema.minLength !== undefined && value.length < (schema.minLength as number)) fail('too short');
    if (schema.maxLength !== undefined && value.length > (schema.maxLength as number)) fail('too long');
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < (schema.minimum as number)) fail(`below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > (schema.maximum as number)) fail(`above ${schema.maximum}`);
    if (schema.exclusiveMinimum !== undefined && value <= (schema.exclusiveMinimum as number)) fail(`not above ${schema.exclusiveMinimum}`);
    if (schema.exclusiveMaximum !== undefined && value >= (schema.exclusiveMaximum as number)) fail(`not below ${schema.exclusiveMaximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < (schema.minItems as number)) fail(`fewer than ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > (schema.maxItems as number)) fail(`more than ${schema.maxItems} items`);
    if (schema.items) value.forEach((v, i) => errors.push(...check(schema.items as Schema, v, `${at}/${i}`)));
  }
  if (t === 'object') {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const r of (schema.required ?? []) as string[]) if (!(r in obj)) fail(`missing ${r}`);
    for (const [k, v] of Object.entries(obj)) {
      if (schema.propertyNames) errors.push(...check(schema.propertyNames as Schema, k, `${at}/${k} (key)`));
      if (props[k]) errors.push(...check(props[k], v, `${at}/${k}`));
      else if (schema.additionalProperties === false) fail(`unknown key ${k}`);
      else if (typeof schema.additionalProperties === 'object') errors.push(...check(schema.additionalProperties as Schema, v, `${at}/${k}`));
    }
  }
  if (schema.anyOf && !(schema.anyOf as Schema[]).some((s) => check(s, value, at).length === 0)) fail('matches none of anyOf');
  return errors;
}

/** Every subschema, for structural assertions. */
export function* subschemas(schema: unknown, path = '#'): Generator<[string, Schema]> {
  if (typeof schema !== 'object' || schema === null) return;
  const s = schema as Schema;
  yield [path, s];
  for (const [k, v] of Object.entries(s.properties ?? {})) yield* subschemas(v, `${path}/properties/${k}`);
  if (typeof s.items === 'object') yield* subschemas(s.items, `${path}/items`);
  if (typeof s.additionalProperties === 'object') yield* subschemas(s.additionalProperties, `${path}/additionalProperties`);
  if (typeof s.propertyNames === 'object') yield* subschemas(s.propertyNames, `${path}/propertyNames`);
  for (const [i, v] of ((s.anyOf ?? []) as unknown[]).entries()) yield* subschemas(v, `${path}/anyOf/${i}`);
}

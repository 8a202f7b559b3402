/**
 * Hover docs and completion in the authoring view read the JSON Schema's descriptions, which come
 * from the zod schema (`.describe()`): every key of the scenario file, every native resource kind
 * and every field of one has its description.
 */
import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema } from '../../src/scenario/index.ts';

type Json = Record<string, unknown>;

/** Every property's path without a description, and every resource kind without one. */
function undescribed(root: Json): string[] {
  const missing = new Set<string>();
  const described = (n: Json): boolean => typeof n.description === 'string' && n.description.length > 0;
  const walk = (n: unknown, path: string): void => {
    if (!n || typeof n !== 'object') return;
    const node = n as Json;
    const props = node.properties as Record<string, Json> | undefined;
    // A resource kind: a mapping with apiVersion and a constant kind (a reference's kind: is only a field).
    const kind = props?.apiVersion ? ((props.kind?.const as string | undefined) ?? null) : null;
    const here = kind ? `${path}<${kind}>` : path;
    if (kind && !described(node)) missing.add(`${here} (the kind)`);
    for (const [key, child] of Object.entries((node.properties as Record<string, Json> | undefined) ?? {})) {
      if (!described(child)) missing.add(`${here}.${key}`);
      walk(child, `${here}.${key}`);
    }
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const) for (const alt of (node[key] as unknown[] | undefined) ?? []) walk(alt, here);
    if (node.items) walk(node.items, `${here}[]`);
    if (node.additionalProperties && typeof node.additionalProperties === 'object') walk(node.additionalProperties, `${here}{}`);
  };
  walk(root, '');
  return [...missing].filter((p) => !p.startsWith('.changes[]')).sort();
}

describe('the scenario schema', () => {
  it('describes every key, every native resource kind and every field of one', () => {
    expect(undescribed(scenarioJsonSchema())).toEqual([]);
  });
});

/**
 * The scenario's JSON Schema (generated from the zod schema, the one definition) read along a
 * {@link PathStep} path: which keys a mapping takes, with their descriptions, for completion; what
 * a key or a resource kind means, for hover docs; which values a key takes. A native resource
 * list is a union of kinds: an item whose `kind:` is known narrows to that kind.
 */
import type { PathStep } from './yamlPath.ts';

type Json = Record<string, unknown>;

/** A key a mapping takes. */
export interface KeyDoc {
  key: string;
  description: string;
  /** `string`, `number`, `list`, `mapping`, `yes/no`, `one of A, B`. */
  type: string;
  required: boolean;
  /** A field of the real API that mesh-sim refuses (its `unsupported()` schema says so). */
  unsupported: boolean;
}

/** How `unsupported()` (src/scenario/native/common.ts) starts its description. */
const UNSUPPORTED = 'A field of the real API that mesh-sim does not simulate';

export class SchemaDocs {
  constructor(private readonly root: Json) {}

  /** The alternatives a schema node stands for: anyOf / oneOf / allOf flattened, `$ref`s followed. */
  private alternatives(node: unknown, depth = 0): Json[] {
    if (!node || typeof node !== 'object' || depth > 20) return [];
    const n = node as Json;
    if (typeof n.$ref === 'string' && n.$ref.startsWith('#/')) {
      const target = n.$ref
        .slice(2)
        .split('/')
        .reduce<unknown>((o, k) => (o as Json | undefined)?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], this.root);
      return this.alternatives(target, depth + 1);
    }
    const parts = [...((n.anyOf as unknown[]) ?? []), ...((n.oneOf as unknown[]) ?? []), ...((n.allOf as unknown[]) ?? [])];
    if (parts.length) return [n, ...parts.flatMap((p) => this.alternatives(p, depth + 1))];
    return [n];
  }

  /** The schema nodes at `path` (every alternative that fits). */
  nodesAt(path: readonly PathStep[]): Json[] {
    let nodes = this.alternatives(this.root);
    for (const step of path) {
      const next: unknown[] = [];
      for (const n of nodes) {
        if ('key' in step) {
          const props = n.properties as Record<string, unknown> | undefined;
          if (props?.[step.key]) next.push(props[step.key]);
          else if (n.additionalProperties && typeof n.additionalProperties === 'object') next.push(n.additionalProperties);
        } else if (n.items && typeof n.items === 'object') next.push(n.items);
      }
      nodes = next.flatMap((x) => this.alternatives(x));
      if ('item' in step && step.kind !== undefined) {
        const ofKind = nodes.filter((n) => kindConst(n) === step.kind);
        if (ofKind.length) nodes = ofKind;
      }
    }
    return nodes;
  }

  /** The keys the mapping at `path` takes, in the schema's order, each with its description and type. */
  keysAt(path: readonly PathStep[]): KeyDoc[] {
    const docs = new Map<string, KeyDoc>();
    for (const n of this.nodesAt(path)) {
      const props = n.properties as Record<string, Json> | undefined;
      if (!props) continue;
      const required = new Set((n.required as string[] | undefined) ?? []);
      for (const [key, schema] of Object.entries(props)) {
        if (docs.has(key)) continue;
        const description = this.describe(schema);
        docs.set(key, { key, description, type: this.typeOf(schema), required: required.has(key), unsupported: description.startsWith(UNSUPPORTED) });
      }
    }
    return [...docs.values()];
  }

  /** What `key` in the mapping at `path` means; null for a key the schema does not know there. */
  keyDoc(path: readonly PathStep[], key: string): KeyDoc | null {
    return this.keysAt(path).find((k) => k.key === key) ?? null;
  }

  /** The values `key` at `path` takes, when they are a closed list (an enum, a kind, yes/no). */
  valuesAt(path: readonly PathStep[], key: string): { value: string; description: string }[] {
    const values = new Map<string, string>();
    // A list item's kind: every kind the list takes, each with its own description.
    if (key === 'kind') {
      for (const n of this.nodesAt(path)) {
        const k = kindConst(n);
        if (k) values.set(k, typeof n.description === 'string' ? n.description : '');
      }
      if (values.size) return [...values].map(([value, description]) => ({ value, description }));
    }
    for (const n of this.nodesAt([...path, { key }])) {
      for (const v of (n.enum as unknown[] | undefined) ?? []) if (typeof v === 'string' || typeof v === 'number') values.set(String(v), '');
      if (typeof n.const === 'string') values.set(n.const, '');
      if (n.type === 'boolean') for (const v of ['true', 'false']) values.set(v, '');
    }
    return [...values].map(([value, description]) => ({ value, description }));
  }

  /** The description of resource kind `kind` for the list item at `path`. */
  kindDoc(path: readonly PathStep[], kind: string): string | null {
    const node = this.nodesAt(path).find((n) => kindConst(n) === kind);
    return node ? this.describe(node) : null;
  }

  private describe(schema: unknown): string {
    for (const n of this.alternatives(schema)) if (typeof n.description === 'string') return n.description;
    return '';
  }

  private typeOf(schema: unknown): string {
    const types = new Set<string>();
    for (const n of this.alternatives(schema)) {
      if (Array.isArray(n.enum)) types.add(`one of ${n.enum.join(', ')}`);
      else if (typeof n.const === 'string') types.add(n.const);
      else if (n.type === 'array') types.add('list');
      else if (n.type === 'object') types.add('mapping');
      else if (n.type === 'boolean') types.add('true or false');
      else if (n.type === 'integer') types.add('whole number');
      else if (typeof n.type === 'string') types.add(n.type);
    }
    return [...types].join(' or ');
  }
}

function kindConst(n: Json): string | undefined {
  const kind = (n.properties as Record<string, Json> | undefined)?.kind;
  return typeof kind?.const === 'string' ? kind.const : undefined;
}

/**
 * Completion and hover docs in the authoring view: the path at the cursor read from indentation
 * (valid YAML or not), and the scenario's JSON Schema read along it, narrowed by a resource's kind.
 */
import { describe, expect, it } from 'vitest';
import { contextAt, keyAt, pathAt } from '../../../src/ui/author/yamlPath.ts';
import { SchemaDocs } from '../../../src/ui/author/schemaDocs.ts';
import { scenarioJsonSchema } from '../../../src/scenario/index.ts';

const docs = new SchemaDocs(scenarioJsonSchema());

/** The text with `|` marking the cursor. */
function at(marked: string): [string, number] {
  const offset = marked.indexOf('|');
  return [marked.replace('|', ''), offset];
}

const VS = `id: x
istio:
  - apiVersion: networking.istio.io/v1
    kind: VirtualService
    metadata: { name: reviews }
    spec:
      hosts: [reviews]
      http:
        - route:
            - destination: { host: reviews }
          re|
linkerd: []
`;

describe('the cursor context', () => {
  it('finds the http route of a VirtualService, with its kind, while the line is not valid YAML yet', () => {
    const ctx = contextAt(...at(VS))!;
    expect(ctx.mode).toBe('key');
    expect(ctx.prefix).toBe('re');
    expect(ctx.path).toEqual([{ key: 'istio' }, { item: true, kind: 'VirtualService' }, { key: 'spec' }, { key: 'http' }, { item: true }]);
    expect(ctx.siblings).toEqual(['route']);
  });

  it('offers retries (and timeout) under a VirtualService http route, not the keys of other kinds', () => {
    const ctx = contextAt(...at(VS))!;
    const keys = docs.keysAt(ctx.path).map((k) => k.key);
    expect(keys).toContain('retries');
    expect(keys).toContain('timeout');
    expect(keys).not.toContain('backendRefs'); // an HTTPRoute rule's
    const docsOf = Object.fromEntries(docs.keysAt(ctx.path).map((k) => [k.key, k]));
    expect(docsOf.retries!).toMatchObject({ unsupported: false, type: 'mapping' });
    expect(docsOf.redirect!).toMatchObject({ unsupported: true });
  });

  it('reads an indentless list and a new item', () => {
    const [text, offset] = at('id: x\nservices:\n- name: a\n  replicas: 2\n- |\n');
    expect(contextAt(text, offset)!.path).toEqual([{ key: 'services' }, { item: true }]);
    expect(pathAt(['a:', '  b:', '    c: 1'], 2, 4)).toEqual([{ key: 'a' }, { key: 'b' }]);
  });

  it('gives the values of a key with a closed list, and every kind of a resource list', () => {
    const [text, offset] = at('id: x\npolicies:\n  mtls: |\n');
    const ctx = contextAt(text, offset)!;
    expect([ctx.mode, ctx.key]).toEqual(['value', 'mtls']);
    expect(docs.valuesAt(ctx.path, 'mtls').map((v) => v.value)).toEqual(['strict', 'permissive', 'off']);
    const kinds = docs.valuesAt([{ key: 'istio' }, { item: true }], 'kind').map((v) => v.value);
    expect(kinds).toEqual(expect.arrayContaining(['PeerAuthentication', 'DestinationRule', 'VirtualService', 'Gateway', 'AuthorizationPolicy']));
  });

  it('finds the key under the mouse, and a kind value', () => {
    const text = VS.replace('|', '');
    const hosts = keyAt(text, text.indexOf('hosts') + 2)!;
    expect(hosts).toMatchObject({ key: 'hosts', path: [{ key: 'istio' }, { item: true, kind: 'VirtualService' }, { key: 'spec' }] });
    const kind = keyAt(text, text.indexOf('VirtualService') + 3)!;
    expect(kind).toMatchObject({ key: 'kind', kindValue: 'VirtualService' });
    expect(docs.kindDoc(kind.path, 'VirtualService')).toMatch(/^Istio VirtualService: how requests to its hosts are routed/);
    expect(docs.keyDoc(hosts.path, 'hosts')!.description).toMatch(/hosts the routes apply to/);
    expect(keyAt(text, text.indexOf('reviews }'))).toBeNull();
  });
});

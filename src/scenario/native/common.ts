/**
 * Pieces shared by the native Istio and Linkerd resource schemas: Kubernetes metadata, label
 * selectors, and the "pick a schema by kind" union that reports unsupported kinds by name.
 */
import { z } from '../zodSetup.ts';
import { describe } from '../units.ts';
import { didYouMean } from '../messages.ts';

/** A Kubernetes object name (DNS-1123 label, or a dotted FQDN for ServiceProfiles). */
export const k8sName = z
  .string({ error: (iss) => `must be a name (got ${describe(iss.input)})` })
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { message: 'must be a lowercase Kubernetes name like "reviews"' });

export const stringMap = z.record(z.string(), z.string({ error: (iss) => `must be a string (got ${describe(iss.input)}; quote it)` }));

/** `metadata` with the fields mesh-sim reads; anything else is reported, not ignored. */
export const metadata = z
  .strictObject({
    name: k8sName.describe("The resource's name; with its kind and namespace it says which resource a change replaces."),
    namespace: k8sName.optional().describe('The namespace the resource lives in.'),
    labels: stringMap.optional().describe('Labels on the resource (key: value).'),
    annotations: stringMap.optional().describe('Annotations on the resource (key: value); Linkerd reads its configuration from them.'),
  })
  .describe("The resource's Kubernetes metadata: name, namespace, labels, annotations.");

export const matchLabelsSelector = z
  .strictObject({ matchLabels: stringMap.describe('Labels a pod must carry to be selected (app: reviews).') })
  .describe('Which pods the resource applies to, by their labels; without it, every pod in its namespace (or the mesh, in the root namespace).');

/** The `apiVersion` field of a resource. */
export const apiVersion = z.string().describe("The resource's API group and version, such as networking.istio.io/v1: one that mesh-sim reads for its kind.");

/** The `kind` field of a resource: the kind's name, which chooses the fields `spec` takes. */
export const kindField = <K extends string>(kind: K) => z.literal(kind).describe(`The kind of resource: ${kind}. It chooses the fields spec takes.`);

/** One supported kind: its accepted apiVersions and its schema. */
export interface KindSpec {
  apiVersions: readonly string[];
  schema: z.ZodType;
  /** The kind's name when its key differs: one kind read by two schemas, told apart by apiVersion (Istio's Gateway and the Gateway API's). */
  kind?: string;
}

/**
 * A resource list entry validated by its `kind`. An unknown kind is an error naming the kinds
 * mesh-sim supports; a wrong apiVersion names the right one. Issues from the chosen schema keep
 * their paths, so they are located at the field that is wrong.
 */
export function kindUnion(mesh: string, kinds: Record<string, KindSpec>) {
  const entries = Object.entries(kinds).map(([key, spec]) => ({ name: spec.kind ?? key, spec }));
  const names = [...new Set(entries.map((e) => e.name))];
  const schema = z.unknown().transform((value, ctx) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      ctx.addIssue({
        code: 'custom',
        message: `must be ${/^[AEIOU]/.test(mesh) ? 'an' : 'a'} ${mesh} resource: a mapping with apiVersion, kind, metadata and spec (got ${describe(value)})`,
      });
      return z.NEVER;
    }
    const obj = value as Record<string, unknown>;
    if (obj.kind === undefined) {
      ctx.addIssue({ code: 'custom', path: ['kind'], message: `is required (one of ${names.join(', ')})` });
      return z.NEVER;
    }
    const candidates = entries.filter((e) => e.name === obj.kind).map((e) => e.spec);
    const spec = candidates.find((c) => c.apiVersions.includes(obj.apiVersion as string)) ?? candidates[0];
    if (!spec) {
      ctx.addIssue({
        code: 'custom',
        path: ['kind'],
        message: `is ${describe(obj.kind)}, ${/^[AEIOU]/.test(mesh) ? 'an' : 'a'} ${mesh} kind mesh-sim does not support${kindGuess(obj.kind, names)} (supported: ${names.join(', ')})`,
      });
      return z.NEVER;
    }
    if (typeof obj.apiVersion !== 'string' || !spec.apiVersions.includes(obj.apiVersion)) {
      ctx.addIssue({
        code: 'custom',
        path: ['apiVersion'],
        message: `${obj.apiVersion === undefined ? 'is required' : `${describe(obj.apiVersion)} is not an apiVersion of ${obj.kind}`} (use ${candidates.flatMap((c) => c.apiVersions).join(' or ')})`,
      });
      return z.NEVER;
    }
    const parsed = spec.schema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue(issue as never);
      return z.NEVER;
    }
    return parsed.data;
  });
  // For the JSON Schema export: an editor sees the union of the supported kinds.
  return schema.meta({ kindUnion: Object.fromEntries(Object.entries(kinds).map(([key, spec]) => [key, spec.schema])) } as never);
}

/**
 * Why `source` is not a regular expression the simulation can compile (it matches paths and
 * headers with JavaScript's RegExp), or undefined when it is one.
 */
export function regexProblem(source: string): string | undefined {
  try {
    new RegExp(source);
    return undefined;
  } catch (e) {
    // V8: "Invalid regular expression: /([/: Unterminated character class"
    const reason = /: ([^:]+)$/.exec((e as Error).message)?.[1];
    return `is not a valid regular expression${reason ? `: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}` : ''} (got ${describe(source)})`;
  }
}

/** A string that must be a regular expression (Istio `regex`, ServiceProfile `pathRegex`). */
export const regexText = z.string().superRefine((v, ctx) => {
  const problem = regexProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** A field that exists in the real API but that mesh-sim does not simulate: reported by name. */
export function unsupported(what: string) {
  return z
    .unknown()
    .optional()
    .superRefine((v, ctx) => {
      if (v !== undefined) ctx.addIssue({ code: 'custom', message: `is not supported by mesh-sim (${what})` });
    })
    .describe(`A field of the real API that mesh-sim does not simulate (${what}): setting it is an error, so nothing seems to work that does not.`);
}

/** " (did you mean "DestinationRule"?)" for a misspelt or lower-cased kind. */
function kindGuess(kind: unknown, names: string[]): string {
  if (typeof kind !== 'string') return '';
  const exact = names.find((n) => n.toLowerCase() === kind.toLowerCase());
  const guess = exact ?? didYouMean(kind, names);
  return guess ? ` (did you mean "${guess}"?)` : '';
}

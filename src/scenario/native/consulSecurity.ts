/**
 * `ServiceIntentions` (consul.hashicorp.com/v1alpha1, consul-k8s v2.0.3
 * serviceintentions_types.go): the intentions toward one destination service — L4 (`action`) or
 * L7 (`permissions` on path, methods and headers) per source (FIDELITY-MORE I4). JWT requirements
 * are refused: mesh-sim does not simulate Consul's jwt-provider.
 */
import { z } from '../zodSetup.ts';
import { apiVersion, kindField, k8sName, metadata, regexText, unsupported } from './common.ts';
import { ceNamespace } from './consulDefaults.ts';

const action = z.enum(['allow', 'deny']);
/** A service name, or `*` for every service (FIDELITY-MORE I4: wildcard intentions). */
const serviceOrWildcard = z.union([z.literal('*'), k8sName], { error: () => 'must be a service name or "*"' });

const headerPermission = z
  .strictObject({
    name: z.string().min(1).describe("The header's name."),
    present: z.boolean().optional().describe('true: the header is there, whatever its value.'),
    exact: z.string().optional().describe('The value is exactly this.'),
    prefix: z.string().optional().describe('The value starts with this.'),
    suffix: z.string().optional().describe('The value ends with this.'),
    contains: z.string().optional().describe('The value contains this.'),
    regex: regexText.optional().describe('The value matches this regular expression.'),
    ignoreCase: z.boolean().optional().describe('true: compare the value without regard to case.'),
    invert: z.boolean().optional().describe('true: the permission matches when the header does not.'),
  })
  .superRefine((h, ctx) => {
    const set = (['present', 'exact', 'prefix', 'suffix', 'contains', 'regex'] as const).filter((k) => h[k] !== undefined);
    // service-intentions.mdx: at most one of exact, prefix, suffix, regex or present.
    if (set.length !== 1) ctx.addIssue({ code: 'custom', message: 'must set exactly one of present, exact, prefix, suffix, contains or regex' });
  })
  .describe('A header the request must carry: its name and one of present, exact, prefix, suffix, contains or regex.');

const httpPermission = z
  .strictObject({
    pathExact: z.string().startsWith('/', { message: 'must start with /' }).optional().describe('The path is exactly this.'),
    pathPrefix: z.string().startsWith('/', { message: 'must start with /' }).optional().describe('The path starts with this.'),
    pathRegex: regexText.optional().describe('The path matches this regular expression.'),
    methods: z
      .array(z.enum(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']))
      .optional()
      .describe("The request's method is one of these."),
    header: z.array(headerPermission).optional().describe('Headers the request must carry, all of them.'),
  })
  .superRefine((m, ctx) => {
    const set = (['pathExact', 'pathPrefix', 'pathRegex'] as const).filter((k) => m[k] !== undefined);
    if (set.length > 1) ctx.addIssue({ code: 'custom', message: `must set at most one of pathExact, pathPrefix or pathRegex (got ${set.join(' and ')})` });
  })
  .describe('What the request must look like: one path matcher, methods, headers.');

const source = z
  .strictObject({
    name: serviceOrWildcard.describe('The calling service, or * for every service.'),
    namespace: ceNamespace.optional().describe('default, the only namespace in Consul CE.'),
    action: action.optional().describe('An L4 intention: allow or deny the connection (give action or permissions).'),
    permissions: z
      .array(
        z
          .strictObject({
            action: action.describe('allow or deny requests that match.'),
            http: httpPermission.describe('What the request must look like: one path matcher, methods, headers.'),
            jwt: unsupported('JWT requirements (jwt-provider)'),
          })
          .describe('One L7 permission: an action for the requests its http part matches.'),
      )
      .optional()
      .describe('An L7 intention: permissions checked in order on each request; the first match decides, none means the default. Needs protocol http.'),
    description: z.string().optional().describe('Free text about the intention.'),
    type: z.literal('consul').optional().describe('consul: the source is a Consul service.'),
    peer: unsupported('cluster peering'),
    partition: unsupported('admin partitions (Consul Enterprise)'),
    samenessGroup: unsupported('sameness groups (Consul Enterprise)'),
  })
  .superRefine((s, ctx) => {
    // service-intentions.mdx: action for an L4 intention, permissions for an L7 one; never both.
    if ((s.action === undefined) === (s.permissions === undefined))
      ctx.addIssue({ code: 'custom', message: 'must set exactly one of action (an L4 intention) or permissions (an L7 intention)' });
    if (s.permissions !== undefined && s.permissions.length === 0)
      ctx.addIssue({ code: 'custom', path: ['permissions'], message: 'must list at least one permission' });
  })
  .describe('One source and what it may do: action (L4) or permissions (L7).');

export const serviceIntentions = z
  .strictObject({
    apiVersion,
    kind: kindField('ServiceIntentions'),
    metadata,
    spec: z
      .strictObject({
        destination: z
          .strictObject({
            name: serviceOrWildcard.describe('The destination service, or * for every service.'),
            namespace: ceNamespace.optional().describe('default, the only namespace in Consul CE.'),
          })
          .describe('The service the intentions protect; its sidecars enforce them.'),
        sources: z
          .array(source)
          .min(1, { message: 'must list at least one source' })
          .superRefine((list, ctx) => {
            const seen = new Map<string, number>();
            list.forEach((s, i) => {
              const prev = seen.get(s.name);
              // A config entry holds one intention per source (service-intentions validation).
              if (prev !== undefined)
                ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `repeats the source "${s.name}" of sources[${prev}]: one intention per source` });
              else seen.set(s.name, i);
            });
          })
          .describe('The callers, one intention each.'),
        jwt: unsupported('JWT requirements (jwt-provider)'),
      })
      .describe('The service-intentions config entry: a destination and its sources.'),
  })
  .describe('Consul ServiceIntentions: which services may call a destination — per connection (L4) or per request by path, method and header (L7).');

export type ServiceIntentions = z.output<typeof serviceIntentions>;
export type IntentionSource = z.output<typeof source>;
export type IntentionHttpPermission = z.output<typeof httpPermission>;

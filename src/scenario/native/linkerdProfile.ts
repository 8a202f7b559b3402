/**
 * Linkerd's ServiceProfile (linkerd.io/v1alpha2): routes chosen by a request condition
 * (`pathRegex`, `method`, combined with `all`, `any` and `not`), each retryable or not, with its
 * timeout and its response classes (which statuses are failures), and the retry budget
 * (FIDELITY B3, B4; linkerd.io/2-edge/reference/service-profiles). What the policy controller's
 * validation refuses (linkerd2 pkg/profiles: `ValidateRequestMatch`, `ValidateResponseMatch`) is a
 * located error here.
 */
import { z } from '../zodSetup.ts';
import { describe, durationMs, wholeNumber } from '../units.ts';
import { apiVersion, kindField, metadata, regexText } from './common.ts';

/** A ServiceProfile request condition: its fields must all hold (linkerd2 pkg/profiles ToRequestMatch). */
export interface ProfileRequestMatch {
  pathRegex?: string | undefined;
  method?: string | undefined;
  all?: ProfileRequestMatch[] | undefined;
  any?: ProfileRequestMatch[] | undefined;
  not?: ProfileRequestMatch | undefined;
}

/** A ServiceProfile response condition: its fields must all hold (linkerd2 pkg/profiles ToResponseMatch). */
export interface ProfileResponseMatch {
  status?: { min: number; max: number } | undefined;
  all?: ProfileResponseMatch[] | undefined;
  any?: ProfileResponseMatch[] | undefined;
  not?: ProfileResponseMatch | undefined;
}

/** linkerd2 pkg/profiles errRequestMatchField / errResponseMatchField: a condition with no field set is refused. */
const someField =
  (what: string, fields: string[]) =>
  (m: object, ctx: z.RefinementCtx): void => {
    if (!fields.some((f) => (m as Record<string, unknown>)[f] !== undefined))
      ctx.addIssue({ code: 'custom', message: `a ${what} match must have a field set (${fields.join(', ')}; Linkerd's validation)` });
  };

const requestMatch: z.ZodType<ProfileRequestMatch> = z
  .strictObject({
    pathRegex: regexText
      .optional()
      .describe('A regular expression the whole path must match (linkerd2-proxy anchors it with ^ and $; the query is not part of the path).'),
    method: z.string().optional().describe('The HTTP method: GET, POST, PUT, DELETE, OPTIONS, HEAD, TRACE…'),
    get all() {
      return z.array(requestMatch).optional().describe('Conditions that must all hold.');
    },
    get any() {
      return z.array(requestMatch).optional().describe('Conditions at least one of which must hold (an empty list matches nothing).');
    },
    get not() {
      return requestMatch.optional().describe('A condition that must not hold.');
    },
  })
  .superRefine(someField('request', ['pathRegex', 'method', 'all', 'any', 'not']))
  .describe('Which requests the route is: pathRegex, method, all, any, not; several fields set must all hold (as if under all).');

const statusCode = (end: 'min' | 'max') =>
  z
    .number({ error: (iss) => `must be an HTTP status from 100 to 599 (got ${describe(iss.input)})` })
    .int()
    .min(100, { message: 'must be an HTTP status from 100 to 599 (Linkerd validation: "Range minimum must be between 100 and 599")' })
    .max(599, { message: 'must be an HTTP status from 100 to 599 (Linkerd validation)' })
    .describe(end === 'min' ? 'The lowest status in the range.' : 'The highest status in the range.');

const statusRange = z
  .object({ min: statusCode('min').optional(), max: statusCode('max').optional() })
  .strict()
  .superRefine((r, ctx) => {
    // linkerd2-proxy service-profiles/src/proto.rs convert_rsp_match: an unset bound reaches the
    // proxy as 0, `StatusCode::from_u16(0)` fails, and the whole response class is dropped.
    for (const end of ['min', 'max'] as const)
      if (r[end] === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [end],
          params: { atKey: true },
          message: `is required: linkerd2-proxy drops a response class whose status range lacks ${end} (an unset bound reaches it as status 0)`,
        });
    if (r.min !== undefined && r.max !== undefined && r.max < r.min)
      ctx.addIssue({
        code: 'custom',
        path: ['max'],
        message: `must not be below min ${r.min} (Linkerd validation: "Range maximum cannot be smaller than minimum")`,
      });
  })
  .transform((r) => ({ min: r.min!, max: r.max! }))
  .describe('A range of HTTP statuses { min, max }, both included.');

const responseMatch: z.ZodType<ProfileResponseMatch> = z
  .strictObject({
    status: statusRange.optional().describe('The status must be in { min, max }, both included.'),
    get all() {
      return z.array(responseMatch).optional().describe('Conditions that must all hold.');
    },
    get any() {
      return z.array(responseMatch).optional().describe('Conditions at least one of which must hold.');
    },
    get not() {
      return responseMatch.optional().describe('A condition that must not hold.');
    },
  })
  .superRefine(someField('response', ['status', 'all', 'any', 'not']))
  .describe('Which responses the class is: status { min, max }, all, any, not; several fields set must all hold.');

// ServiceProfile (linkerd.io/v1alpha2): retryable routes, route timeouts, response classes and the retry budget (FIDELITY B3, B4).
export const serviceProfile = z
  .strictObject({
    apiVersion,
    kind: kindField('ServiceProfile'),
    metadata: metadata.superRefine((m, ctx) => {
      if (!/^[a-z0-9-]+\.[a-z0-9-]+\.svc\.cluster\.local$/.test(m.name))
        ctx.addIssue({ code: 'custom', path: ['name'], message: `must be the service's FQDN like reviews.default.svc.cluster.local (got "${m.name}")` });
    }),
    spec: z
      .strictObject({
        routes: z
          .array(
            z.strictObject({
              name: z.string().describe("The route's name."),
              condition: requestMatch.describe('Which requests the route is: pathRegex, method, all, any, not (several fields set must all hold).'),
              isRetryable: z.boolean().optional().describe('Whether requests on this route whose response is a failure are retried, within the retry budget.'),
              timeout: durationMs.optional().describe("A deadline for requests on this route, retries included (Linkerd's default: 10s)."),
              responseClasses: z
                .array(
                  z.strictObject({
                    condition: responseMatch.describe('Which responses the class is: status { min, max }, all, any, not (several fields set must all hold).'),
                    isFailure: z.boolean().default(false).describe('Whether responses of this class are failures (default false).'),
                  }),
                )
                .optional()
                .describe(
                  'How responses on this route are classified: the first class whose condition matches decides failure or success; a response none matches is a failure when 5xx. Failures are what isRetryable retries and what metrics count as failed.',
                ),
            }),
          )
          .default([])
          .describe('Routes in order, the first whose condition matches a request wins: each retryable or not, with its timeout and response classes.'),
        retryBudget: z
          .strictObject({
            retryRatio: z
              .number({ error: (iss) => `must be a number (got ${describe(iss.input)})` })
              .min(0)
              .describe('Retries allowed as a share of requests (0.2: one retry per five requests).'),
            minRetriesPerSecond: wholeNumber(0).describe('Retries always allowed per second, above the ratio.'),
            ttl: durationMs.describe('The window over which the ratio is counted.'),
          })
          .optional()
          .describe("How many retries the service's clients may add: { retryRatio, minRetriesPerSecond, ttl } (default 0.2, 10/s, 10s)."),
      })
      .describe("The profile's routes and retry budget."),
  })
  .describe(
    'A Linkerd ServiceProfile for one service (named by its FQDN): routes by request condition (path regex, method, all/any/not), which of them are retryable, their timeouts and response classes, and the retry budget.',
  );

export type ServiceProfile = z.output<typeof serviceProfile>;

/**
 * `services[].calls`: the calls an app makes while it handles a request, with the app's own
 * client behaviour — its timeout, its retries, the headers it passes on. This is app code, not
 * mesh config: Bookinfo's productpage gives reviews 3 s and tries twice
 * (samples/bookinfo/src/productpage/productpage.py `getProductReviews`: `for _ in range(2)`,
 * `timeout=3.0`), reviews v2 gives ratings 10 s and v3 2.5 s (LibertyRestEndpoint.java
 * `star_color.equals("black") ? 10000 : 2500`), and every Bookinfo app forwards `end-user` and
 * the tracing headers, which is what lets a VirtualService match user jason two hops down
 * (istio.io tasks/traffic-management/fault-injection).
 */
import { z } from './zodSetup.ts';
import { httpMethod, portNumber, positiveDurationMs, wholeNumber } from './units.ts';

const headerName = z
  .string()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, { message: 'must be an HTTP header name like end-user' })
  .describe('A header name (end-user).');

/** One call the app makes while it handles a request. */
export const callSchema = z.strictObject({
  to: z.string().describe('The service the app calls.'),
  port: portNumber
    .optional()
    .describe('The port of an external host the app calls, when external lists the host on several ports (80 and 443); only for external hosts.'),
  method: httpMethod.default('GET').describe("The call's HTTP method (default GET)."),
  path: z.string().startsWith('/', { message: 'must start with /' }).default('/').describe("The call's path, starting with / (default /)."),
  onError: z
    .enum(['propagate', 'ignore'])
    .default('propagate')
    .describe(
      'propagate: a failed call fails the request with the same status (502 when no response came back); ignore: the request goes on (default propagate).',
    ),
  /** The app's own deadline for each try of the call; past it the app gives up (no response). */
  timeout: positiveDurationMs
    .optional()
    .describe(
      "The app's own deadline for each try of the call (Bookinfo's productpage gives reviews 3s): past it the app stops waiting and the try failed with no response. Default: none, it waits.",
    ),
  /** Tries after the first when a try failed (no response, or a 5xx), made by the app itself. */
  retries: wholeNumber(0, 10)
    .default(0)
    .describe(
      "How many more times the app itself calls again when a try failed — no response (its timeout included) or a 5xx (Bookinfo's productpage: 1). Each try is a new request, which the mesh may retry in turn. Default 0.",
    ),
  /** Headers copied from the request being handled onto the call (distributed tracing, `end-user`). */
  propagate: z
    .array(headerName)
    .default([])
    .describe(
      "Headers the app copies from the request it is handling onto this call, as Bookinfo's apps forward end-user and the tracing headers (default none).",
    ),
  /** Only pods of these versions make the call (Bookinfo's reviews v1 does not call ratings). */
  versions: z
    .array(z.string())
    .min(1)
    .optional()
    .describe("Only the service's pods of these versions make this call (Bookinfo: reviews v2 and v3 call ratings, v1 does not). Default: every pod."),
});

/** The list, as `services[].calls` reads it. */
export const callsSchema = z
  .array(callSchema)
  .default([])
  .describe('Calls the app makes, one after the other, while it handles each request: a chain such as productpage → reviews → ratings.');

export type CallSpecOfService = z.output<typeof callSchema>;

/**
 * The calls an app makes while it handles a request (`services[].calls`), as the app's own code
 * makes them: one after another, each try under the app's own timeout, tried again by the app on
 * failure, with the headers it forwards. Bookinfo's productpage is the model
 * (samples/bookinfo/src/productpage/productpage.py `getProductReviews`: two tries of 3 s each, so
 * the Fault Injection task's page fails "after about 6 seconds" and the Request Timeouts task's
 * returns "in about 1 second" — istio.io tasks/traffic-management/fault-injection and
 * request-timeouts).
 */
import { sameLife, type HttpRequest, type HttpResponse, type Pod } from './types.ts';
import type { World } from './world.ts';
import type { ServiceSpec } from '../scenario/index.ts';
import { sendFromApp } from './traffic.ts';

type Call = ServiceSpec['calls'][number];

/** A call failed when no response came back (the app's timeout included) or the answer is a 5xx. */
export function callFailed(res: HttpResponse): boolean {
  return res.status === 0 || res.status >= 500;
}

const NO_CALLS: readonly Call[] = Object.freeze([]);

/** The calls `pod` makes (those its version makes, when a call names versions). */
export function callsOf(pod: Pod): readonly Call[] {
  // Most apps call nothing: no filtered copy of an empty list for every request they serve.
  if (pod.service.spec.calls.length === 0) return NO_CALLS;
  return pod.service.spec.calls.filter((c) => c.versions === undefined || (pod.version !== undefined && c.versions.includes(pod.version)));
}

/**
 * Makes one call for the request `incoming` that `pod` is handling: the first try, then as many
 * more as the call's `retries` while tries fail. `done` gets the last try's answer and how many
 * tries the app made.
 */
export function makeCall(world: World, pod: Pod, call: Call, incoming: HttpRequest, done: (res: HttpResponse, tries: number) => void): void {
  const headers: Record<string, string> = {};
  for (const name of call.propagate) {
    const value = incoming.headers[name.toLowerCase()];
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  const generation = pod.generation;
  const attempt = (n: number): void => {
    sendFromApp(
      world,
      pod,
      {
        to: call.to,
        method: call.method,
        path: call.path,
        headers,
        ...(call.port === undefined ? {} : { port: call.port }),
        ...(call.timeout === undefined ? {} : { timeoutMs: call.timeout }),
      },
      (res) => {
        if (!sameLife(pod, generation)) return;
        if (callFailed(res) && n <= call.retries) return attempt(n + 1);
        done(res, n);
      },
    );
  };
  attempt(1);
}

/**
 * Read-only views of a {@link TraceStore}'s events: one small object per event (the store and
 * the index) whose fields are getters over the columns, so readers keep the `TraceEvent` API.
 * `JSON.stringify` writes a view as the plain event.
 */
import type { Cause, DecisionEvent, FlightEvent, NarrationEvent, RequestEndEvent, RequestStartEvent, TraceEvent, TransitionEvent } from './trace.ts';
import type { TraceStore } from './traceStore.ts';

/** Event types in the store's type column. */
export const FLIGHT = 0;
export const TRANSITION = 1;
export const DECISION = 2;
export const REQUEST_START = 3;
export const REQUEST_END = 4;
export const NARRATION = 5;

/** No value in an Int32 column. */
export const NONE = -1;

/** Event `i` of `store` as a plain object, as it was recorded (absent fields left out). */
export function plainOf(store: TraceStore, i: number): TraceEvent {
  const self = store;
  const s = self.strings;
  const t = self.t[i]!;
  switch (self.type[i]) {
    case FLIGHT: {
      const side = self.obj[i]! === NONE ? undefined : (self.objects[self.obj[i]!] as { departMs?: number; detail?: FlightEvent['detail'] });
      const e: FlightEvent = {
        type: 'flight',
        t,
        seq: i,
        id: self.flightId(i),
        kind: s[self.c[i]!] as FlightEvent['kind'],
        from: s[self.node[i]!]!,
        to: s[self.a[i]!]!,
        departMs: side?.departMs ?? t,
        arriveMs: self.arriveAt(i),
        label: s[self.d[i]!]!,
      };
      const req = self.requestIdAt(i);
      if (req !== undefined) e.requestId = req;
      if (self.f[i] !== NONE) e.attempt = self.f[i]!;
      if (self.g[i] !== NONE) e.mtls = self.g[i] === 1;
      if (self.e[i] !== NONE) e.status = self.e[i]!;
      if (side?.detail !== undefined) e.detail = side.detail;
      return e;
    }
    case TRANSITION: {
      const e: TransitionEvent = {
        type: 'transition',
        t,
        seq: i,
        entity: s[self.a[i]!]!,
        machine: s[self.c[i]!]!,
        node: s[self.node[i]!]!,
        from: self.d[i] === NONE ? null : s[self.d[i]!]!,
        to: s[self.e[i]!]!,
        cause: s[self.f[i]!]!,
      };
      if (self.b[i] !== NONE) e.peer = s[self.b[i]!]!;
      return e;
    }
    case DECISION: {
      const e: DecisionEvent = {
        type: 'decision',
        t,
        seq: i,
        node: s[self.node[i]!]!,
        layer: s[self.a[i]!]!,
        kind: s[self.c[i]!] as DecisionEvent['kind'],
        summary: s[self.d[i]!]!,
        cause: self.objects[self.e[i]!] as Cause,
      };
      const req = self.requestIdAt(i);
      if (req !== undefined) e.requestId = req;
      if (self.f[i] !== NONE) e.attempt = self.f[i]!;
      if (self.obj[i] !== NONE) e.data = self.objects[self.obj[i]!] as DecisionEvent['data'];
      return e;
    }
    case REQUEST_START: {
      const e: RequestStartEvent = {
        type: 'request',
        phase: 'start',
        t,
        seq: i,
        requestId: self.requestIdAt(i)!,
        from: s[self.a[i]!]!,
        to: s[self.b[i]!]!,
        node: s[self.node[i]!]!,
        method: s[self.c[i]!]!,
        path: s[self.d[i]!]!,
        headers: self.obj[i] === NONE ? {} : (self.objects[self.obj[i]!] as Record<string, string>),
        bodyBytes: self.e[i]!,
      };
      if (self.f[i] !== NONE) e.connection = s[self.f[i]!]!;
      return e;
    }
    case REQUEST_END: {
      const e: RequestEndEvent = {
        type: 'request',
        phase: 'end',
        t,
        seq: i,
        requestId: self.requestIdAt(i)!,
        node: s[self.node[i]!]!,
        status: self.e[i]!,
        attempts: self.f[i]!,
        latencyMs: self.x[i]!,
        mtls: (self.g[i]! & 1) === 1,
      };
      if (self.a[i] !== NONE) e.reason = s[self.a[i]!]!;
      const failure = requestFailure(self.g[i]!);
      if (failure !== undefined) e.failure = failure;
      return e;
    }
    default: {
      const e: NarrationEvent = { type: 'narration', t, seq: i, text: s[self.a[i]!]! };
      if (self.node[i] !== NONE) e.node = s[self.node[i]!]!;
      return e;
    }
  }
}

/** A read-only view of event `i` of `s`. */
export function viewOf(s: TraceStore, i: number): TraceEvent {
  switch (s.type[i]) {
    case FLIGHT:
      return new FlightView(s, i) as unknown as TraceEvent;
    case TRANSITION:
      return new TransitionView(s, i) as unknown as TraceEvent;
    case DECISION:
      return new DecisionView(s, i) as unknown as TraceEvent;
    case REQUEST_START:
      return new RequestStartView(s, i) as unknown as TraceEvent;
    case REQUEST_END:
      return new RequestEndView(s, i) as unknown as TraceEvent;
    default:
      return new NarrationView(s, i) as unknown as TraceEvent;
  }
}

/** The store behind a view, if `e` is one. */
export function storeOfEvent(e: TraceEvent | undefined): TraceStore | undefined {
  return e instanceof EventView ? e.s : undefined;
}

/** A view of one event: the store and the index. */
abstract class EventView {
  constructor(
    readonly s: TraceStore,
    readonly i: number,
  ) {}
  get t(): number {
    return this.s.t[this.i]!;
  }
  get seq(): number {
    return this.i;
  }
  /** `JSON.stringify` writes the event itself. */
  toJSON(): TraceEvent {
    return this.s.plain(this.i);
  }
}

class FlightView extends EventView {
  get type(): 'flight' {
    return 'flight';
  }
  get id(): string {
    return this.s.flightId(this.i);
  }
  get kind(): string {
    return this.s.strings[this.s.c[this.i]!]!;
  }
  get from(): string {
    return this.s.strings[this.s.node[this.i]!]!;
  }
  get to(): string {
    return this.s.strings[this.s.a[this.i]!]!;
  }
  get departMs(): number {
    const o = this.s.obj[this.i]!;
    return (o === NONE ? undefined : (this.s.objects[o] as { departMs?: number }).departMs) ?? this.t;
  }
  get arriveMs(): number {
    return this.s.arriveAt(this.i);
  }
  get label(): string {
    return this.s.strings[this.s.d[this.i]!]!;
  }
  get requestId(): string | undefined {
    return this.s.requestIdAt(this.i);
  }
  get attempt(): number | undefined {
    const n = this.s.f[this.i]!;
    return n === NONE ? undefined : n;
  }
  get mtls(): boolean | undefined {
    const n = this.s.g[this.i]!;
    return n === NONE ? undefined : n === 1;
  }
  get status(): number | undefined {
    const n = this.s.e[this.i]!;
    return n === NONE ? undefined : n;
  }
  get detail(): FlightEvent['detail'] {
    const o = this.s.obj[this.i]!;
    return o === NONE ? undefined : (this.s.objects[o] as { detail?: FlightEvent['detail'] }).detail;
  }
}

class TransitionView extends EventView {
  get type(): 'transition' {
    return 'transition';
  }
  get entity(): string {
    return this.s.strings[this.s.a[this.i]!]!;
  }
  get machine(): string {
    return this.s.strings[this.s.c[this.i]!]!;
  }
  get node(): string {
    return this.s.strings[this.s.node[this.i]!]!;
  }
  get peer(): string | undefined {
    const n = this.s.b[this.i]!;
    return n === NONE ? undefined : this.s.strings[n];
  }
  get from(): string | null {
    const n = this.s.d[this.i]!;
    return n === NONE ? null : this.s.strings[n]!;
  }
  get to(): string {
    return this.s.strings[this.s.e[this.i]!]!;
  }
  get cause(): string {
    return this.s.strings[this.s.f[this.i]!]!;
  }
}

class DecisionView extends EventView {
  get type(): 'decision' {
    return 'decision';
  }
  get node(): string {
    return this.s.strings[this.s.node[this.i]!]!;
  }
  get layer(): string {
    return this.s.strings[this.s.a[this.i]!]!;
  }
  get kind(): string {
    return this.s.strings[this.s.c[this.i]!]!;
  }
  get summary(): string {
    return this.s.strings[this.s.d[this.i]!]!;
  }
  get cause(): Cause {
    return this.s.objects[this.s.e[this.i]!] as Cause;
  }
  get requestId(): string | undefined {
    return this.s.requestIdAt(this.i);
  }
  get attempt(): number | undefined {
    const n = this.s.f[this.i]!;
    return n === NONE ? undefined : n;
  }
  get data(): DecisionEvent['data'] {
    const o = this.s.obj[this.i]!;
    return o === NONE ? undefined : (this.s.objects[o] as DecisionEvent['data']);
  }
}

class RequestStartView extends EventView {
  get type(): 'request' {
    return 'request';
  }
  get phase(): 'start' {
    return 'start';
  }
  get requestId(): string {
    return this.s.requestIdAt(this.i)!;
  }
  get from(): string {
    return this.s.strings[this.s.a[this.i]!]!;
  }
  get to(): string {
    return this.s.strings[this.s.b[this.i]!]!;
  }
  get node(): string {
    return this.s.strings[this.s.node[this.i]!]!;
  }
  get method(): string {
    return this.s.strings[this.s.c[this.i]!]!;
  }
  get path(): string {
    return this.s.strings[this.s.d[this.i]!]!;
  }
  get headers(): Record<string, string> {
    const o = this.s.obj[this.i]!;
    return o === NONE ? {} : (this.s.objects[o] as Record<string, string>);
  }
  get bodyBytes(): number {
    return this.s.e[this.i]!;
  }
  get connection(): string | undefined {
    const n = this.s.f[this.i]!;
    return n === NONE ? undefined : this.s.strings[n];
  }
}

class RequestEndView extends EventView {
  get type(): 'request' {
    return 'request';
  }
  get phase(): 'end' {
    return 'end';
  }
  get requestId(): string {
    return this.s.requestIdAt(this.i)!;
  }
  get node(): string {
    return this.s.strings[this.s.node[this.i]!]!;
  }
  get status(): number {
    return this.s.e[this.i]!;
  }
  get attempts(): number {
    return this.s.f[this.i]!;
  }
  get latencyMs(): number {
    return this.s.x[this.i]!;
  }
  get mtls(): boolean {
    return (this.s.g[this.i]! & 1) === 1;
  }
  get reason(): string | undefined {
    const n = this.s.a[this.i]!;
    return n === NONE ? undefined : this.s.strings[n];
  }
  get failure(): boolean | undefined {
    return requestFailure(this.s.g[this.i]!);
  }
}

class NarrationView extends EventView {
  get type(): 'narration' {
    return 'narration';
  }
  get text(): string {
    return this.s.strings[this.s.a[this.i]!]!;
  }
  get node(): string | undefined {
    const n = this.s.node[this.i]!;
    return n === NONE ? undefined : this.s.strings[n];
  }
}

/**
 * A request end's `failure` from its bits (column g, written by TraceStore.pushRequestEnd): bit 1
 * set when the route classified the answer, bit 2 when as a failure; undefined when unclassified.
 */
export function requestFailure(g: number): boolean | undefined {
  return g & 2 ? (g & 4) !== 0 : undefined;
}

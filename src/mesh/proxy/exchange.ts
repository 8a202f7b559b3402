/**
 * What flows through a proxy's layers. An outbound {@link Exchange} is one request as the
 * client proxy handles it; the retry layer makes one copy per attempt. Each layer either passes
 * the exchange on (`next`) or answers it itself (a local reply), and sees the response on the
 * way back — Envoy's continue / stop / local reply, as functions.
 */
import type { Backend, RouteRule } from '../config.ts';
import type { AttemptRecord } from '../stats.ts';
import type { ExternalHost, HttpRequest, HttpResponse, Pod, ServiceRuntime } from '../types.ts';
import type { World } from '../world.ts';
import type { Proxy } from './Proxy.ts';
import type { Hop } from '../dataPlane.ts';
import type { UpstreamCluster } from './UpstreamCluster.ts';
import type { Connection } from './connections.ts';
import { withEntry } from './firstEntry.ts';

/** State shared by every attempt of one request. */
export interface RequestState {
  /** The request has been answered (e.g. its timeout fired); late attempt results are dropped. */
  done: boolean;
  /** Pods tried so far, for the previous-hosts retry preference ({@link addTried}). */
  tried: readonly string[];
  attempts: number;
  /** Each attempt's pod and outcome, for the run report ({@link addTry}). */
  tries: readonly AttemptRecord[];
  /** Cancels the attempt in flight (set while one is on the wire). */
  abortAttempt: (() => void) | undefined;
}

/** A request's lists before their first entry: one list for every request, frozen (firstEntry.ts). */
const NO_ENTRIES: readonly never[] = Object.freeze([]);

/** The state of a request entering a proxy's outbound pipeline: no attempt yet. */
export function newRequestState(): RequestState {
  return { done: false, tried: NO_ENTRIES, attempts: 0, tries: NO_ENTRIES, abortAttempt: undefined };
}

/** `pod` was picked for an attempt of `request`. */
export function addTried(request: RequestState, pod: string): void {
  request.tried = withEntry(request.tried, pod);
}

/** An attempt of `request` ended: its record for the run report. */
export function addTry(request: RequestState, record: AttemptRecord): void {
  request.tries = withEntry(request.tries, record);
}

/**
 * Every field is always present (`undefined` until a layer sets it) and exchanges are built with
 * their fields in this order (Proxy.send, the retry layer's attempts), so all of them share one
 * object shape on the hot path instead of growing one field at a time.
 */
export interface Exchange {
  readonly world: World;
  readonly proxy: Proxy;
  readonly req: HttpRequest;
  readonly request: RequestState;
  service: ServiceRuntime | undefined;
  external: ExternalHost | undefined;
  rule: RouteRule | undefined;
  backend: Backend | undefined;
  /** 1 for the first try. */
  attempt: number;
  /** This attempt was abandoned (its timeout fired); its result is dropped. */
  abandoned: boolean;
  /** The upstream cluster the load-balance layer picked the endpoint from (with `endpoint`). */
  cluster: UpstreamCluster | undefined;
  endpoint: Pod | undefined;
  /** Where the attempt's connection goes (set with the connection, by the data plane's next hop). */
  hop: Hop | undefined;
  mtls: boolean;
  /** Cancels the attempt's stream (set once a connection carries it). */
  abort: (() => void) | undefined;
  /** The connection that carries the attempt (set with `abort`). */
  connection: Connection | undefined;
}

export type Respond = (res: HttpResponse) => void;
export type Handler = (ex: Exchange, respond: Respond) => void;

/** One outbound layer: given the rest of the pipeline, the handler that runs this layer first. */
export interface OutboundLayer {
  readonly name: string;
  wrap(next: Handler): Handler;
}

/** A request as the server side receives it: the receiving proxy, or the app when none is in the way. */
export interface InboundExchange {
  readonly world: World;
  /** The pod the request is for. */
  readonly pod: Pod;
  /** The proxy it arrived at; undefined when it reached the app directly. */
  readonly proxy: Proxy | undefined;
  readonly req: HttpRequest;
  readonly attempt: number;
  /** Arrived inside an mTLS connection. */
  readonly mtls: boolean;
  /** The client's certificate identity, when mTLS. */
  readonly peerIdentity: string | undefined;
  /** The client is inside the cluster (a pod), as opposed to an external client. */
  readonly fromCluster: boolean;
  /** The client's IP address. */
  readonly sourceIp: string;
  /** Where responses go back to. */
  readonly replyTo: string;
  /** The connection the request came on, when a client proxy made one. */
  readonly connection?: Connection | undefined;
}

export type InboundHandler = (ex: InboundExchange, respond: Respond) => void;

export interface InboundLayer {
  readonly name: string;
  wrap(next: InboundHandler): InboundHandler;
}

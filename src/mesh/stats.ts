/**
 * Counters a run keeps for its report (DESIGN.md "Run report"). The trace holds the same facts
 * event by event; these are kept as the run goes so the report does not re-read the trace.
 */

/** One attempt of a request, as the client's side sent it. */
import { RequestTable } from './requestTable.ts';

export interface AttemptRecord {
  /** 1 for the first try. */
  attempt: number;
  /** The pod that served it (the endpoint it went to); null when it never left the client (an overflow, no endpoint, no route). */
  pod: string | null;
  /** The status this attempt ended with (0: no HTTP answer). */
  status: number;
  startMs: number;
  endMs: number;
  /** Whether the route's own response classes call it a failure (Linkerd ServiceProfile responseClasses); unset when the route has none. */
  failure?: boolean;
}

export interface RequestRecord {
  id: string;
  from: string;
  to: string;
  /** As the app sent it: method, path, and headers (names lowercase). */
  method: string;
  path: string;
  headers: Record<string, string>;
  startMs: number;
  endMs: number;
  status: number;
  attempts: number;
  /** Each attempt: which pod served it, how it ended, when. */
  tries: readonly AttemptRecord[];
  mtls: boolean;
  reason?: string | undefined;
}

export interface HandshakeRecord {
  client: string;
  server: string;
  clientIdentity: string;
  serverIdentity: string;
  ok: boolean;
  atMs: number;
  reason?: string;
}

export interface CertificateRecord {
  workload: string;
  identity: string;
  issuedAtMs: number;
  expiresAtMs: number;
}

export interface EjectionRecord {
  endpoint: string;
  /** The client proxy that took the endpoint out (each proxy judges on its own). */
  by: string;
  atMs: number;
  untilMs: number;
  reason: string;
}

export interface PodCounters {
  received: number;
  ok: number;
  failed: number;
}

export class RunStats {
  /** Each request as the calling app saw it end, by column (the report reads them as records). */
  readonly requests = new RequestTable();
  readonly handshakes: HandshakeRecord[] = [];
  readonly certificates: CertificateRecord[] = [];
  readonly ejections: EjectionRecord[] = [];
  readonly pods = new Map<string, PodCounters>();
  /** Attempts sent beyond the first, over all requests. */
  retries = 0;

  /** By calling service, then target (no key string made per attempt). */
  private readonly edges = new Map<string, Map<string, { attempts: number; ok: number }>>();

  /** Attempts (retries included) from a calling service to a target, and how many succeeded. */
  edge(from: string, to: string): { attempts: number; ok: number } {
    let byTarget = this.edges.get(from);
    if (!byTarget) this.edges.set(from, (byTarget = new Map()));
    let e = byTarget.get(to);
    if (!e) byTarget.set(to, (e = { attempts: 0, ok: 0 }));
    return e;
  }

  pod(name: string): PodCounters {
    let c = this.pods.get(name);
    if (!c) {
      c = { received: 0, ok: 0, failed: 0 };
      this.pods.set(name, c);
    }
    return c;
  }
}

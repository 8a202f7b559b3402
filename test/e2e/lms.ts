/**
 * A stand-in LMS for lesson packages, on one local origin: the unzipped package under /pkg/<name>/
 * (served with the simulator's CSP), an LMS page whose SCORM API objects come from scorm-again
 * (a run-time nobody here wrote: SCORM 1.2 `API`, SCORM 2004 `API_1484_11`), and for cmi5 an LRS
 * stub under /lrs/ that hands out an auth token, keeps state documents and records every
 * statement it receives, in order.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { extname, join, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { CSP } from './site.ts';

const SCORM_AGAIN = resolve(import.meta.dirname, '../../node_modules/scorm-again/dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.yaml': 'text/yaml',
  '.json': 'application/json',
  '.xml': 'application/xml',
};

/** An xAPI statement as the LRS stub keeps it. */
export interface RecordedStatement {
  id?: string;
  actor: { account?: { homePage: string; name: string }; mbox?: string; objectType?: string };
  verb: { id: string };
  object: { id: string; definition?: { interactionType?: string; name?: Record<string, string> } };
  result?: { score?: { scaled?: number }; success?: boolean; completion?: boolean; duration?: string; response?: string };
  context?: { registration?: string; contextActivities?: { category?: { id: string }[]; grouping?: { id: string }[] }; extensions?: Record<string, unknown> };
}

export interface Lms {
  origin: string;
  /** Unpacks a lesson zip at /pkg/<name>/; returns its URL. */
  install(name: string, zip: Uint8Array): string;
  /** What scorm-again committed to the LMS (`lmsCommitUrl`), per lesson name, in order. */
  commits: Map<string, Record<string, unknown>[]>;
  /** The LRS stub: its xAPI endpoint, the statements received, the state documents. */
  lrs: { endpoint: string; fetchUrl: string; statements: RecordedStatement[]; state: Map<string, string>; tokens: string[] };
  close(): Promise<void>;
}

const LMS_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>LMS</title><link rel="icon" href="data:,">
<script src="/lms/scorm-again/scorm12.min.js"></script><script src="/lms/scorm-again/scorm2004.min.js"></script></head>
<body><h1>Test LMS</h1></body></html>`;

function body(req: IncomingMessage): Promise<string> {
  return new Promise((done) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
  });
}

/** Starts the stand-in LMS on a free local port. */
export async function startLms(): Promise<Lms> {
  const packages = new Map<string, Map<string, Uint8Array>>();
  const statements: RecordedStatement[] = [];
  const state = new Map<string, string>();
  const tokens: string[] = [];
  const commits = new Map<string, Record<string, unknown>[]>();
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const path = decodeURIComponent(url.pathname);
      const send = (status: number, text: string | Uint8Array, type = 'text/plain', extra: Record<string, string> = {}): void => {
        res.writeHead(status, { 'content-type': type, ...extra });
        res.end(text);
      };
      if (path === '/lms/lms.html') return send(200, LMS_PAGE, 'text/html', { 'content-security-policy': CSP });
      const commit = /^\/lms\/commit\/([\w-]+)$/.exec(path);
      if (commit && req.method === 'POST') {
        const list = commits.get(commit[1]!) ?? [];
        list.push(JSON.parse(await body(req)) as Record<string, unknown>);
        commits.set(commit[1]!, list);
        return send(200, JSON.stringify({ result: true, errorCode: 0 }), 'application/json');
      }
      if (path.startsWith('/lms/scorm-again/')) {
        const name = path.slice('/lms/scorm-again/'.length);
        if (!/^scorm(12|2004)\.min\.js$/.test(name)) return send(404, 'not found');
        return send(200, readFileSync(join(SCORM_AGAIN, name)), 'text/javascript');
      }
      const pkg = /^\/pkg\/([\w-]+)\/(.*)$/.exec(path);
      if (pkg) {
        const file = packages.get(pkg[1]!)?.get(pkg[2] || 'index.html');
        if (!file) return send(404, 'not found');
        return send(200, file, TYPES[extname(pkg[2]!)] ?? 'application/octet-stream', { 'content-security-policy': CSP });
      }
      // The LRS stub (xAPI 1.0.3 resources the cmi5 AU uses; cmi5 §8.2 for the token fetch).
      if (path === '/lrs/fetch' && req.method === 'POST') {
        const token = Buffer.from(`au:${tokens.length + 1}`).toString('base64');
        tokens.push(token);
        return send(200, JSON.stringify({ 'auth-token': token }), 'application/json');
      }
      if (path.startsWith('/lrs/xapi/')) {
        const resource = path.slice('/lrs/xapi/'.length);
        const authorized = tokens.some((t) => req.headers.authorization === `Basic ${t}`);
        if (!authorized) return send(401, 'no auth token');
        if (resource === 'statements' && (req.method === 'POST' || req.method === 'PUT')) {
          const parsed = JSON.parse(await body(req)) as RecordedStatement | RecordedStatement[];
          const list = Array.isArray(parsed) ? parsed : [parsed];
          statements.push(...list);
          return send(200, JSON.stringify(list.map((s, i) => s.id ?? `stub-${statements.length + i}`)), 'application/json');
        }
        if (resource === 'activities/state') {
          const key = `${url.searchParams.get('activityId')}|${url.searchParams.get('registration')}|${url.searchParams.get('stateId')}`;
          if (req.method === 'GET') {
            const doc = state.get(key);
            return doc === undefined ? send(404, 'no such state') : send(200, doc, 'application/json');
          }
          state.set(key, await body(req));
          return send(204, '');
        }
        if (resource === 'agents/profile') return send(404, 'no profile');
        if (resource === 'about') return send(200, JSON.stringify({ version: ['1.0.3'] }), 'application/json');
      }
      send(404, 'not found');
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    origin,
    install(name, zip) {
      packages.set(name, new Map(Object.entries(unzipSync(zip))));
      return `${origin}/pkg/${name}/`;
    },
    commits,
    lrs: { endpoint: `${origin}/lrs/xapi/`, fetchUrl: `${origin}/lrs/fetch`, statements, state, tokens },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** The launch-data state key the LMS writes for an AU (cmi5 §10.2.1). */
export const launchDataKey = (activityId: string, registration: string): string => `${activityId}|${registration}|LMS.LaunchData`;

/**
 * The built site for the end-to-end tests: built once per source state (a lock keeps parallel
 * test files from building twice), served from a local static server that sends
 * `Content-Security-Policy: script-src 'self'`, plus test-only fixtures under /fixtures/.
 * Chromium is driven with playwright-core.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '../..');
const CACHE = join(ROOT, 'node_modules/.cache/mesh-sim-e2e');

/** The CSP every page is served with. */
export const CSP = "script-src 'self'";

function hashSources(): string {
  const h = createHash('sha256');
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(p).update(readFileSync(p));
    }
  };
  for (const d of ['src', 'scenarios', 'assets']) if (existsSync(join(ROOT, d))) walk(join(ROOT, d));
  for (const f of ['index.html', 'vite.config.ts', 'package-lock.json']) h.update(readFileSync(join(ROOT, f)));
  return h.digest('hex').slice(0, 16);
}

/** Builds the site unless this source state was built already; returns its folder. */
export function buildSite(): string {
  const out = join(CACHE, hashSources());
  const done = join(out, '.done');
  if (existsSync(done)) return out;
  mkdirSync(CACHE, { recursive: true });
  const lock = `${out}.lock`;
  while (!takeLock(lock)) {
    // Another test file is building this very state: wait for it to finish, unless the builder
    // died and left its lock behind, in which case the lock is taken over.
    if (existsSync(done)) return out;
    execFileSync('sleep', ['0.2']);
  }
  try {
    rmSync(out, { recursive: true, force: true });
    execFileSync(join(ROOT, 'node_modules/.bin/vite'), ['build', '--outDir', out, '--emptyOutDir', '--logLevel', 'error'], { cwd: ROOT, stdio: 'pipe' });
    writeFileSync(done, '');
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return out;
}

/** Takes the build lock (a folder holding the builder's pid); a lock whose builder is gone is taken over. */
function takeLock(lock: string): boolean {
  try {
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), String(process.pid));
    return true;
  } catch {
    let pid = NaN;
    try {
      pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    } catch {
      // The builder has made the folder but not written its pid yet: look again shortly.
      const made = statSync(lock, { throwIfNoEntry: false });
      if (!made || Date.now() - made.mtimeMs < 10_000) return false;
    }
    if (Number.isInteger(pid) && pid > 0 && alive(pid)) return false;
    rmSync(lock, { recursive: true, force: true });
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.yaml': 'text/yaml',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

export interface Site {
  url: string;
  /** Test-only scenario texts served at `/fixtures/<name>`. */
  fixtures: Map<string, string>;
  close(): Promise<void>;
}

/** Serves `dir` under /app/ (so the build's relative paths are exercised) with the CSP header. */
export async function serve(dir: string): Promise<Site> {
  const fixtures = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path.startsWith('/fixtures/')) {
      const text = fixtures.get(path.slice('/fixtures/'.length));
      res.writeHead(text === undefined ? 404 : 200, { 'content-type': 'text/yaml' });
      return void res.end(text ?? 'not found');
    }
    const rel = path.replace(/^\/app\/?/, '') || 'index.html';
    const file = resolve(dir, rel);
    if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404);
      return void res.end();
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-security-policy': CSP });
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/app/`, fixtures, close: () => new Promise((r) => server.close(() => r())) };
}

/** Headless Chromium as installed on this machine. */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--enable-unsafe-swiftshader',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

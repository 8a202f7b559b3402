/**
 * The built site for the end-to-end tests: built once per source state (a lock keeps parallel
 * test files from building twice), served from a local static server that sends
 * `Content-Security-Policy: script-src 'self'`, plus test-only fixtures under /fixtures/.
 * Chromium is driven with playwright-core.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { buildSite as buildSiteOnce } from '../../src/cli/siteBuild.ts';

/** The CSP every page is served with. */
export const CSP = "script-src 'self'";

/**
 * Builds the site unless this source state was built already (shared with the CLI's `package`);
 * returns its folder. `extensions`: modules registering extra meshes (`test/extensions/linkerdCopy.ts`).
 */
export const buildSite = (extensions: readonly string[] = []): string => buildSiteOnce(undefined, extensions);

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

/** Headless Chromium as installed on this machine; `extra`: more command-line flags (a tool's own). */
export function launch(extra: readonly string[] = []): Promise<Browser> {
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
      ...extra,
    ],
  });
}

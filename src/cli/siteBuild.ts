/**
 * The built simulator, for lesson packages (and the end-to-end tests): `vite build` run on demand
 * into a cache folder named after a hash of the sources, so the first `package` after
 * `npm install` (or after a change) builds once and later ones reuse it. A lock keeps two
 * processes from building the same state at once; a lock whose builder died is taken over.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

/** The project's root folder (where package.json and vite.config.ts are). */
export const ROOT = resolve(import.meta.dirname, '../..');
const CACHE = join(ROOT, 'node_modules/.cache/mesh-sim-site');
const SOURCES = ['src', 'build', 'scenarios', 'assets'];
const FILES = ['index.html', 'lesson.html', 'vite.config.ts', 'package.json', 'package-lock.json'];

function hashSources(extensions: readonly string[]): string {
  const h = createHash('sha256');
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(relative(ROOT, p)).update(readFileSync(p));
    }
  };
  for (const d of SOURCES) if (existsSync(join(ROOT, d))) walk(join(ROOT, d));
  for (const f of FILES) if (existsSync(join(ROOT, f))) h.update(f).update(readFileSync(join(ROOT, f)));
  // A build with extra meshes is another build: its modules are part of it.
  for (const f of extensions) h.update(f).update(readFileSync(join(ROOT, f)));
  return h.digest('hex').slice(0, 16);
}

/** Whether this source state is built already (no build needed). */
export function siteBuilt(): boolean {
  return existsSync(join(CACHE, hashSources([]), '.done'));
}

/**
 * Builds the site unless this source state was built already; returns its folder. `note` hears
 * about a build that starts. `extensions`: modules (paths from the project folder) that register
 * extra meshes, given to vite as `MESH_SIM_EXTENSIONS` (README "Adding a mesh").
 */
export function buildSite(note: (text: string) => void = () => {}, extensions: readonly string[] = []): string {
  const out = join(CACHE, hashSources(extensions));
  const done = join(out, '.done');
  if (existsSync(done)) return out;
  mkdirSync(CACHE, { recursive: true });
  const lock = `${out}.lock`;
  let noted = false;
  while (!takeLock(lock)) {
    // Another process is building this very state: wait for it, unless it died and left its lock.
    if (existsSync(done)) return out;
    if (!noted) note('Waiting for another build of the simulator to finish…');
    noted = true;
    execFileSync('sleep', ['0.2']);
  }
  try {
    if (existsSync(done)) return out;
    note('Building the simulator (vite build; once for this version of the sources)…');
    rmSync(out, { recursive: true, force: true });
    execFileSync(join(ROOT, 'node_modules/.bin/vite'), ['build', '--outDir', out, '--emptyOutDir', '--logLevel', 'error'], {
      cwd: ROOT,
      stdio: 'pipe',
      env: { ...process.env, MESH_SIM_EXTENSIONS: extensions.join(',') },
    });
    writeFileSync(done, '');
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return out;
}

/** Takes the build lock (a folder holding the builder's pid); a lock whose builder is gone is removed, to be taken next time round. */
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

/** Every file of a built site, by its path inside the site (`/`-separated), in path order. */
export function readSite(dir: string): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name !== '.done') files.set(relative(dir, p).split(sep).join('/'), readFileSync(p));
    }
  };
  walk(dir);
  return files;
}

/**
 * Resident memory of one Chromium browser's processes, read from `ps`: the browser launched with
 * `--mesh-sim-probe=<id>` among its arguments (launch([probeArg(id)])) and every process under it.
 * Used by test/e2e/longRunMemory.ts and the browser benchmark's 10-minute run.
 */
import { execFileSync } from 'node:child_process';

/** The argument that marks a browser for {@link browserRss}. */
export const probeArg = (id: string | number): string => `--mesh-sim-probe=${id}`;

/** Resident MB of the marked browser's processes, by type (browser, renderer, gpu-process, utility…); the largest of each type. */
export function browserRss(tag: string): Record<string, number> {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(l)!;
      return { pid: Number(m[1]), ppid: Number(m[2]), kb: Number(m[3]), args: m[4]! };
    });
  const root = rows.find((r) => r.args.includes(tag) && !r.args.includes('--type='));
  if (!root) return {};
  const mine = new Set([root.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const r of rows)
      if (!mine.has(r.pid) && mine.has(r.ppid)) {
        mine.add(r.pid);
        grew = true;
      }
  }
  const out: Record<string, number> = {};
  for (const r of rows)
    if (mine.has(r.pid)) {
      const type = /--type=([\w-]+)/.exec(r.args)?.[1] ?? 'browser';
      out[type] = Math.max(out[type] ?? 0, r.kb / 1024);
    }
  return out;
}

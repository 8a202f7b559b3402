/**
 * What the authoring view hands out: the scenario as a file, a share link carrying the whole file
 * in its fragment (the embed page's `#name=…&scenario=…`, deflate-raw and base64url, which never
 * reaches a server), the iframe snippet for the current view, and a lesson package built in the
 * browser from the site's own files, exactly as the CLI builds it.
 */
import { deflateSync, strToU8 } from 'fflate';
import { packLesson, type PackResult } from '../../lesson/pack.ts';
import type { LessonFormat } from '../../lesson/lesson.ts';

/** The file listing the built site's files (written by the build, see vite.config.ts). */
export const SITE_FILES = 'site-files.json';

/** base64url of deflate-raw `text`: the embed's inline scenario form. */
export function inlineScenario(text: string): string {
  const bytes = deflateSync(strToU8(text), { level: 9 });
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The view to share: the simulator's folder URL, the file's name and text, mesh and time. */
export interface SharedView {
  base: string;
  name: string;
  text: string;
  mesh: string;
  timeMs: number;
}

/** A link to the embed page showing this scenario as written, at this mesh and time. */
export function shareLink(v: SharedView): string {
  const q = new URLSearchParams({ embed: '1', mesh: v.mesh, t: String(Math.round(v.timeMs)) });
  return `${v.base}index.html?${q.toString()}#name=${encodeURIComponent(v.name)}&scenario=${inlineScenario(v.text)}`;
}

/** The iframe a course page pastes to show this view. */
export function embedSnippet(v: SharedView, title: string): string {
  const q = new URLSearchParams({ embed: '1', mesh: v.mesh, t: String(Math.round(v.timeMs)), controls: 'minimal', origins: 'https://lms.example.com' });
  const src = `${v.base}index.html?${q.toString()}#name=${encodeURIComponent(v.name)}&scenario=${inlineScenario(v.text)}`;
  const attr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<iframe src="${attr(src)}"
        title="mesh-sim: ${attr(title)}"
        sandbox="allow-scripts allow-same-origin"
        style="width: 100%; aspect-ratio: 16 / 11; border: 0"></iframe>`;
}

/** Offers `bytes` as a download named `name`. */
export function download(name: string, bytes: Uint8Array | string, type: string): void {
  const blob = new Blob([typeof bytes === 'string' ? bytes : (bytes as Uint8Array<ArrayBuffer>)], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Fetches the built site's files (listed in {@link SITE_FILES}) and packs the lesson; or says why not. */
export async function packInBrowser(text: string, file: string, format: LessonFormat, mesh: string): Promise<PackResult | { ok: false; error: string }> {
  const list = await fetch(SITE_FILES).catch(() => null);
  if (!list?.ok)
    return {
      ok: false,
      error: `Packaging needs the built simulator (npm run build) to read ${SITE_FILES}; or run npm run sim -- package ${file} --format ${format}`,
    };
  const names = (await list.json()) as string[];
  const site = new Map<string, Uint8Array>();
  for (const name of names) {
    const r = await fetch(name);
    if (!r.ok) return { ok: false, error: `Could not fetch ${name} of the built simulator (HTTP ${r.status})` };
    site.set(name, new Uint8Array(await r.arrayBuffer()));
  }
  return packLesson({ site, text, file, options: { format, mesh } });
}

/**
 * A scenario carried in the URL fragment: its text, deflate-raw compressed, in base64url
 * (`#scenario=...`). The fragment never reaches a server, so a course author's own scenario
 * needs no hosting, and the browser's own CompressionStream does the work (no dependency).
 * Node makes the same text with `zlib.deflateRawSync(text).toString('base64url')`.
 */

/** The most text a fragment may unpack to (a guard against a "zip bomb" in a link). */
export const MAX_INLINE_CHARS = 512 * 1024;

/** The most base64url characters accepted (browsers keep URLs of a few MB; this is plenty). */
export const MAX_INLINE_DATA = 256 * 1024;

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[\w-]*$/.test(text) || text.length % 4 === 1) return null;
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  try {
    const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

async function drain(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array | 'too-large'> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      return 'too-large';
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The fragment value for a scenario's text. */
export async function encodeScenario(text: string): Promise<string> {
  const compressed = new Blob([new TextEncoder().encode(text)]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const bytes = await drain(compressed, Number.MAX_SAFE_INTEGER);
  return toBase64Url(bytes as Uint8Array);
}

/** The scenario text in a fragment value, or a message saying what is wrong with it. */
export async function decodeScenario(data: string): Promise<{ text: string } | { error: string }> {
  const where = 'URL fragment scenario';
  if (data.length > MAX_INLINE_DATA) return { error: `${where}: ${data.length} characters; at most ${MAX_INLINE_DATA}` };
  const bytes = fromBase64Url(data);
  if (!bytes || bytes.length === 0) return { error: `${where}: not base64url text; make it with zlib.deflateRawSync(text).toString('base64url')` };
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    const out = await drain(stream, MAX_INLINE_CHARS * 4);
    if (out === 'too-large') return { error: `${where}: unpacks to more than ${MAX_INLINE_CHARS} characters` };
    const text = new TextDecoder('utf-8', { fatal: true }).decode(out);
    if (text.length > MAX_INLINE_CHARS) return { error: `${where}: unpacks to ${text.length} characters; at most ${MAX_INLINE_CHARS}` };
    return { text };
  } catch {
    return { error: `${where}: not deflate-raw compressed UTF-8 text; make it with zlib.deflateRawSync(text).toString('base64url')` };
  }
}

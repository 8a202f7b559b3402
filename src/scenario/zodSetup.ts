/**
 * zod configuration for every scenario schema. Imported before any schema is built.
 *
 * - `jitless`: zod otherwise probes `new Function('')`, which a strict Content-Security-Policy
 *   (`script-src 'self'`) reports as a violation in the browser.
 * - Unknown keys: the error carries the keys the object does allow, so the loader can say
 *   "did you mean" and point at the offending key itself rather than at its parent. Fields a
 *   native schema declares only to reject them (`unsupported(...)`) are left out: suggesting
 *   one would send the author from one error to the next.
 */
import { z } from 'zod';

/** Prefix marking an unknown-key message that carries the allowed keys as JSON. */
export const UNKNOWN_KEYS_MARK = '\u0000unknown-keys:';

z.config({
  jitless: true,
  customError: (iss) => {
    if (iss.code === 'unrecognized_keys') {
      const shape = (iss.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
      const keys = Object.entries(shape ?? {})
        .filter(([, field]) => !rejectsEverything(field))
        .map(([key]) => key);
      return UNKNOWN_KEYS_MARK + JSON.stringify(keys);
    }
    return undefined;
  },
});

/** Whether a field is an `unsupported(...)` marker: it rejects any value as "not supported". */
function rejectsEverything(field: unknown): boolean {
  const r = (field as { safeParse?: (v: unknown) => { success: boolean; error?: { issues: { message: string }[] } } }).safeParse?.(true);
  return r !== undefined && !r.success && (r.error?.issues ?? []).some((i) => i.message.startsWith('is not supported by mesh-sim'));
}

export { z };

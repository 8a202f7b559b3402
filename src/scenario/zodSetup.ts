/**
 * zod configuration for every scenario schema. Imported before any schema is built.
 *
 * - `jitless`: zod otherwise probes `new Function('')`, which a strict Content-Security-Policy
 *   (`script-src 'self'`) reports as a violation in the browser.
 * - Unknown keys: the error carries the keys the object does allow, so the loader can say
 *   "did you mean" and point at the offending key itself rather than at its parent.
 */
import { z } from 'zod';

/** Prefix marking an unknown-key message that carries the allowed keys as JSON. */
export const UNKNOWN_KEYS_MARK = '\u0000unknown-keys:';

z.config({
  jitless: true,
  customError: (iss) => {
    if (iss.code === 'unrecognized_keys') {
      const shape = (iss.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
      return UNKNOWN_KEYS_MARK + JSON.stringify(Object.keys(shape ?? {}));
    }
    return undefined;
  },
});

export { z };

/** Flight and request ids as the trace stores them: the number in `f-N` / `req-NNNNNN`, read in place. */

/**
 * `prefix` + a number written with at least `digits` digits (no sign, no extra zeros): the number;
 * else undefined. Reads the characters in place (called for every request id the trace records).
 */
export function numbered(id: string, prefix: string, digits: number): number | undefined {
  if (!id.startsWith(prefix)) return undefined;
  const start = prefix.length;
  const len = id.length - start;
  if (len === 0 || len > 9) return undefined;
  let n = 0;
  let zeros = 0;
  for (let k = start; k < id.length; k++) {
    const c = id.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return undefined;
    if (n === 0 && c === 0) zeros++;
    n = n * 10 + c;
  }
  // Written as String(n).padStart(digits, '0') writes it: as many leading zeros as pad it to `digits`, or "0" alone.
  const significant = n === 0 ? 1 : len - zeros;
  return len === Math.max(digits, significant) ? n : undefined;
}

/** A flight id or request id written as a string (not `f-N` / `req-NNNNNN`): -(its string id) - 2. */
export const asString = (sid: number): number => -sid - 2;

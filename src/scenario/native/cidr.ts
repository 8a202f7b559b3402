/**
 * IPv4 addresses and CIDR blocks, as Istio `ipBlocks` / `source.ip` and Linkerd
 * `NetworkAuthentication` networks write them. Simulated pods have IPv4 addresses only
 * (10.244.<namespace>.<n>), so an IPv6 block is accepted as written and matches no pod. Plain
 * functions (the simulation matches addresses with them); the schemas are in cidrSchema.ts.
 */
/** A parsed block: the first address as a 32-bit number and the prefix length; `v6` for IPv6 blocks. */
export type Cidr = { v6: false; base: number; bits: number } | { v6: true };

function ipv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

/** Whether `text` is an IPv4 address like 203.0.113.10 (four numbers 0–255). */
export function isIpv4(text: string): boolean {
  return ipv4(text) !== undefined;
}

/** `10.0.0.0/8`, `10.1.2.3` (a /32), or an IPv6 block like `::/0`; undefined when malformed. */
export function parseCidr(text: string): Cidr | undefined {
  const [addr, prefix, extra] = text.split('/');
  if (extra !== undefined || addr === undefined) return undefined;
  if (addr.includes(':')) {
    const bitsOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= 128);
    return /^[0-9a-fA-F:.]+$/.test(addr) && bitsOk ? { v6: true } : undefined;
  }
  const ip = ipv4(addr);
  if (ip === undefined) return undefined;
  if (prefix !== undefined && (!/^\d{1,2}$/.test(prefix) || Number(prefix) > 32)) return undefined;
  const bits = prefix === undefined ? 32 : Number(prefix);
  const size = 2 ** (32 - bits);
  return { v6: false, base: Math.floor(ip / size) * size, bits };
}

/** Whether the IPv4 address `ip` lies in `block`. */
export function cidrContains(block: Cidr, ip: string): boolean {
  const n = ipv4(ip);
  if (block.v6 || n === undefined) return false;
  const size = 2 ** (32 - block.bits);
  return n >= block.base && n < block.base + size;
}

/** Whether every address of `inner` lies in `outer` (IPv4 only). */
export function cidrCovers(outer: Cidr, inner: Cidr): boolean {
  if (outer.v6 || inner.v6) return outer.v6 === inner.v6;
  return inner.bits >= outer.bits && inner.base >= outer.base && inner.base < outer.base + 2 ** (32 - outer.bits);
}

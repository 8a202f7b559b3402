/** Schemas for addresses and CIDR blocks in scenario files, on the plain functions of cidr.ts. */
import { z } from '../zodSetup.ts';
import { describe } from '../units.ts';
import { isIpv4, parseCidr } from './cidr.ts';

/** A string that must be an IP address or CIDR block. */
export const cidrText = z
  .string({ error: (iss) => `must be an IP address or CIDR block like 10.244.0.0/16 (got ${describe(iss.input)})` })
  .refine((v) => parseCidr(v) !== undefined, { message: 'must be an IP address or CIDR block like 10.244.0.0/16' });

/** A string that must be an IPv4 address (`external[].ip`, `clients[].ip`); `example` goes in the message. */
export const ipv4Text = (example: string) =>
  z
    .string({ error: (iss) => `must be an IPv4 address like ${example} (got ${describe(iss.input)})` })
    .refine(isIpv4, { message: `must be an IPv4 address like ${example}` })
    .meta({ format: 'ipv4' });

/** A string that must be an IPv4 block with its prefix length, like 203.0.113.0/24 (Linkerd EgressNetwork networks). */
export const ipv4CidrText = z.string({ error: (iss) => `must be an IPv4 CIDR like 203.0.113.0/24 (got ${describe(iss.input)})` }).refine(
  (v) => {
    const block = v.includes('/') ? parseCidr(v) : undefined;
    return block !== undefined && !block.v6;
  },
  { message: 'must be an IPv4 CIDR like 203.0.113.0/24' },
);

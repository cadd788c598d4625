import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup, LookupAddress } from 'node:dns';

/**
 * Addresses an outbound webhook may not reach in production (server-side request forgery):
 * loopback, private, link-local, unique-local, and the unspecified, CGNAT, benchmark, multicast
 * and reserved ranges, in IPv4 and IPv6 (IPv4-mapped IPv6 is checked as the IPv4 it maps).
 */
const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
  ['2001:db8::', 32],
] as const)
  blocked.addSubnet(network, prefix, 'ipv6');

/** The IPv4 an IPv4-mapped (`::ffff:a.b.c.d` or `::ffff:7f00:1`) IPv6 address stands for. */
function mappedIpv4(address: string): string | null {
  const match = /^(?:0{0,4}:){0,5}:?ffff:(.+)$/i.exec(address);
  if (!match) return null;
  const rest = match[1];
  if (isIP(rest) === 4) return rest;
  const groups = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(rest);
  if (!groups) return null;
  const high = parseInt(groups[1], 16);
  const low = parseInt(groups[2], 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

/** Whether an IP address is one outbound webhooks must not reach when private targets are refused. */
export function isForbiddenAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 4) return blocked.check(bare, 'ipv4');
  if (family === 6) {
    const v4 = mappedIpv4(bare);
    if (v4) return blocked.check(v4, 'ipv4');
    return blocked.check(bare, 'ipv6');
  }
  return true; // not an address at all
}

export class ForbiddenTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenTargetError';
  }
}

export type Lookup = (hostname: string) => Promise<LookupAddress[]>;

const systemLookup: Lookup = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  );

/**
 * Resolves a URL's host and returns its addresses, refusing (ForbiddenTargetError) a host any of
 * whose addresses is forbidden when `allowPrivate` is false. Used at registration and again at
 * every delivery, whose connection is then made to the address checked here (no second lookup:
 * a DNS answer that changes in between cannot reach a private address).
 */
export async function resolveTarget(
  url: URL,
  allowPrivate: boolean,
  lookup: Lookup = systemLookup,
): Promise<LookupAddress[]> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: LookupAddress[];
  const family = isIP(host);
  if (family) addresses = [{ address: host, family }];
  else {
    try {
      addresses = await lookup(host);
    } catch (error) {
      throw new ForbiddenTargetError(
        `${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
    }
  }
  if (addresses.length === 0) throw new ForbiddenTargetError(`${host} does not resolve`);
  if (!allowPrivate) {
    const forbidden = addresses.find(({ address }) => isForbiddenAddress(address));
    if (forbidden)
      throw new ForbiddenTargetError(
        `${host} resolves to ${forbidden.address}, a loopback, private or link-local address; ` +
          'such endpoints are refused (OUTBOUND_WEBHOOKS_ALLOW_PRIVATE)',
      );
  }
  return addresses;
}

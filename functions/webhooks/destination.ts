// Where a webhook may be sent: https only (plain http to loopback when the local setting allows it), and never to a
// private, link-local or otherwise internal address, checked on the addresses the name resolves to right before each
// attempt. Not checked: an answer that changes between this resolution and fetch's own (DNS rebinding within
// seconds); fetch offers no way to pin the address it connects to.

/** Why a destination is refused: a stable code, logged on the attempt as its error. */
export class DestinationRefused extends Error {
  override name = 'DestinationRefused';
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export interface DestinationOptions {
  /** Plain http, and loopback addresses, are allowed (local stacks and tests only: WEBHOOKS_ALLOW_LOOPBACK_HTTP). */
  allowLoopback: boolean;
  /** Resolves a host name to its addresses (A and AAAA); defaults to Deno.resolveDns. */
  resolve?: (hostname: string) => Promise<string[]>;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function ipv4Octets(address: string): number[] | null {
  const match = IPV4.exec(address);
  if (!match) return null;
  const octets = match.slice(1).map(Number);
  return octets.every((o) => o <= 255) ? octets : null;
}

/** The eight 16-bit groups of an IPv6 address (embedded IPv4 included), or null when it is not one. */
export function ipv6Groups(address: string): number[] | null {
  let text = address.toLowerCase();
  if (text.includes('%')) text = text.slice(0, text.indexOf('%'));
  if (!/^[0-9a-f:.]+$/.test(text) || !text.includes(':')) return null;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    // A trailing dotted IPv4 (::ffff:1.2.3.4) is the last two groups.
    const v4 = ipv4Octets(text.slice(lastColon + 1));
    if (!v4) return null;
    const hex = (n: number) => n.toString(16);
    text = `${text.slice(0, lastColon + 1)}${hex((v4[0] << 8) | v4[1])}:${hex((v4[2] << 8) | v4[3])}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string) => (part === '' ? [] : part.split(':'));
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  if ([...head, ...rest].some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  const known = head.length + rest.length;
  if (halves.length === 1 && known !== 8) return null;
  if (halves.length === 2 && known > 7) return null;
  const zeros = new Array(8 - known).fill(0);
  return [...head.map((g) => parseInt(g, 16)), ...zeros, ...rest.map((g) => parseInt(g, 16))];
}

function ipv4Kind(o: number[]): 'public' | 'loopback' | 'internal' {
  const [a, b, c] = o;
  if (a === 127) return 'loopback';
  const internal = a === 0 || a === 10 || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 0 && (c === 0 || c === 2)) ||
    (a === 192 && b === 168) || (a === 198 && (b === 18 || b === 19)) || (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113) || a >= 224;
  return internal ? 'internal' : 'public';
}

/** What an address is, for the rule: public, loopback, or internal (private, link-local, reserved, multicast). */
export function addressKind(address: string): 'public' | 'loopback' | 'internal' | 'invalid' {
  const v4 = ipv4Octets(address);
  if (v4) return ipv4Kind(v4);
  const g = ipv6Groups(address);
  if (!g) return 'invalid';
  const embedded = [g[6] >> 8, g[6] & 0xff, g[7] >> 8, g[7] & 0xff];
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return 'loopback';
  if (g.every((x) => x === 0)) return 'internal';
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) reach the IPv4 address they carry.
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return ipv4Kind(embedded);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return ipv4Kind(embedded);
  if ((g[0] & 0xfe00) === 0xfc00) return 'internal'; // unique local fc00::/7
  if ((g[0] & 0xffc0) === 0xfe80) return 'internal'; // link-local fe80::/10
  if ((g[0] & 0xff00) === 0xff00) return 'internal'; // multicast
  if (g[0] === 0x2001 && g[1] === 0x0db8) return 'internal'; // documentation
  if (g[0] === 0x0100 && g.slice(1, 4).every((x) => x === 0)) return 'internal'; // discard-only
  if (g.slice(0, 6).every((x) => x === 0)) return 'internal'; // IPv4-compatible (deprecated)
  return 'public';
}

async function resolveDns(hostname: string): Promise<string[]> {
  const settled = await Promise.allSettled([Deno.resolveDns(hostname, 'A'), Deno.resolveDns(hostname, 'AAAA')]);
  const addresses = settled.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
  if (addresses.length === 0) throw new DestinationRefused('dns_failed', `${hostname} does not resolve`);
  return addresses;
}

/** Checks `rawUrl` as a webhook destination; throws DestinationRefused with a stable code when it may not be used. */
export async function checkDestination(rawUrl: string, options: DestinationOptions): Promise<URL> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new DestinationRefused('url_invalid', 'The URL cannot be parsed');
  }
  if (url.username || url.password) throw new DestinationRefused('url_invalid', 'The URL must not carry credentials');
  if (url.protocol === 'http:' && !options.allowLoopback) {
    throw new DestinationRefused('https_required', 'Webhooks are sent over https only');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new DestinationRefused('https_required', 'Webhooks are sent over https only');
  }
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  let addresses: string[];
  if (addressKind(host) !== 'invalid') addresses = [host];
  else if (host === 'localhost' || host.endsWith('.localhost')) addresses = ['127.0.0.1'];
  else addresses = await (options.resolve ?? resolveDns)(host);
  if (addresses.length === 0) throw new DestinationRefused('dns_failed', `${host} does not resolve`);
  for (const address of addresses) {
    const kind = addressKind(address);
    if (kind === 'public') continue;
    if (kind === 'loopback' && options.allowLoopback) continue;
    throw new DestinationRefused('address_not_allowed', `${host} resolves to a non-public address (${address})`);
  }
  if (url.protocol === 'http:' && !addresses.every((a) => addressKind(a) === 'loopback')) {
    throw new DestinationRefused('https_required', 'Plain http is allowed to loopback addresses only');
  }
  return url;
}

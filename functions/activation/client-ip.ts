// The caller's address, for per-IP rate limits. X-Forwarded-For is a list each proxy appends to; everything left of
// what our own proxies appended was written by the client and can be forged. So the address is the entry the
// outermost trusted proxy appended: with `trustedHops` proxies in front of the function, the one `trustedHops`
// entries from the right (locally one: the gateway appends the address it saw).

/** The client address according to our `trustedHops` proxies, or 'unknown' without a usable header. */
export function clientIp(forwardedFor: string | null | undefined, trustedHops: number): string {
  const entries = (forwardedFor ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry.length > 0);
  if (entries.length === 0) return 'unknown';
  // Fewer entries than trusted proxies: the leftmost is the best we have (a proxy saw it, nobody forged around it).
  const entry = entries[Math.max(0, entries.length - trustedHops)];
  return normalize(entry);
}

function normalize(entry: string): string {
  // "[2001:db8::1]:443" and "198.51.100.7:443" carry a port some proxies add; the port is not part of the client.
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::\d+)?$/.exec(entry);
  if (bracketed) return bracketed[1].toLowerCase();
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(entry);
  if (v4WithPort) return v4WithPort[1];
  return entry.toLowerCase().slice(0, 64);
}

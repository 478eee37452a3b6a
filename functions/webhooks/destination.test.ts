import assert from 'node:assert/strict';
import { addressKind, checkDestination, DestinationRefused, ipv6Groups } from './destination.ts';

const strict = { allowLoopback: false, resolve: (host: string) => Promise.resolve(DNS[host] ?? []) };
const local = { ...strict, allowLoopback: true };
const DNS: Record<string, string[]> = {
  'ats.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
  'internal.example.com': ['93.184.216.34', '10.0.0.7'],
  'metadata.example.com': ['169.254.169.254'],
  'mapped.example.com': ['::ffff:192.168.1.1'],
  'loop.example.com': ['127.0.0.1'],
};

async function refused(url: string, options: typeof strict, code: string) {
  await assert.rejects(checkDestination(url, options), (error: unknown) => {
    assert.ok(error instanceof DestinationRefused, String(error));
    assert.equal(error.code, code, `${url}: ${error.message}`);
    return true;
  });
}

Deno.test('addresses: private, link-local, reserved and multicast are internal; loopback is its own kind', () => {
  for (
    const a of [
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '198.18.0.1',
      '::',
      'fe80::1',
      'fd00::1',
      'fc00::1',
      'ff02::1',
      '::ffff:10.0.0.1',
      '64:ff9b::10.0.0.1',
      '2001:db8::1',
    ]
  ) {
    assert.equal(addressKind(a), 'internal', a);
  }
  for (const a of ['127.0.0.1', '127.255.0.9', '::1', '::ffff:127.0.0.1']) assert.equal(addressKind(a), 'loopback', a);
  for (const a of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) {
    assert.equal(addressKind(a), 'public', a);
  }
  for (const a of ['example.com', '1.2.3', '256.1.1.1', '1::2::3', '12345::1']) {
    assert.equal(addressKind(a), 'invalid', a);
  }
  assert.deepEqual(ipv6Groups('::ffff:1.2.3.4'), [0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]);
  assert.deepEqual(ipv6Groups('2001:db8::1'), [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
});

Deno.test('destination: https to public addresses passes, whatever the name resolves to is checked', async () => {
  assert.equal((await checkDestination('https://ats.example.com/hooks', strict)).hostname, 'ats.example.com');
  assert.ok(await checkDestination('https://93.184.216.34/hooks', strict));
  await refused('https://internal.example.com/hooks', strict, 'address_not_allowed');
  await refused('https://metadata.example.com/latest', strict, 'address_not_allowed');
  await refused('https://mapped.example.com/', strict, 'address_not_allowed');
  await refused('https://10.0.0.1/', strict, 'address_not_allowed');
  await refused('https://[fe80::1]/', strict, 'address_not_allowed');
  await refused('https://nowhere.example.com/', strict, 'dns_failed');
});

Deno.test('destination: plain http and loopback only with the local setting, and http only to loopback', async () => {
  await refused('http://ats.example.com/hooks', strict, 'https_required');
  await refused('http://127.0.0.1:8080/hooks', strict, 'https_required');
  await refused('https://127.0.0.1/hooks', strict, 'address_not_allowed');
  await refused('https://loop.example.com/hooks', strict, 'address_not_allowed');
  await refused('https://localhost/hooks', strict, 'address_not_allowed');
  assert.ok(await checkDestination('http://127.0.0.1:8080/hooks', local));
  assert.ok(await checkDestination('http://[::1]:8080/hooks', local));
  assert.ok(await checkDestination('http://localhost:8080/hooks', local));
  await refused('http://ats.example.com/hooks', local, 'https_required');
  await refused('https://10.0.0.1/', local, 'address_not_allowed');
});

Deno.test('destination: unparsable URLs, other schemes and credentials are refused', async () => {
  await refused('not a url', strict, 'url_invalid');
  await refused('ftp://ats.example.com/', strict, 'https_required');
  await refused('https://user:pw@ats.example.com/', strict, 'url_invalid');
});

import assert from 'node:assert/strict';
import { clientIp } from './client-ip.ts';

Deno.test('with one trusted proxy the address is the last entry, whatever the client prepended', () => {
  assert.equal(clientIp('198.51.100.7', 1), '198.51.100.7');
  assert.equal(clientIp('6.6.6.6, 198.51.100.7', 1), '198.51.100.7');
  assert.equal(clientIp('1.1.1.1,2.2.2.2 , 198.51.100.7', 1), '198.51.100.7');
});

Deno.test('with two trusted proxies the address is the entry the outer proxy appended', () => {
  assert.equal(clientIp('6.6.6.6, 198.51.100.7, 10.0.0.2', 2), '198.51.100.7');
});

Deno.test('a header shorter than the trusted chain falls back to its first entry', () => {
  assert.equal(clientIp('198.51.100.7', 3), '198.51.100.7');
});

Deno.test('ports are dropped and IPv6 is lowercased', () => {
  assert.equal(clientIp('198.51.100.7:5123', 1), '198.51.100.7');
  assert.equal(clientIp('[2001:DB8::1]:443', 1), '2001:db8::1');
  assert.equal(clientIp('2001:DB8::1', 1), '2001:db8::1');
});

Deno.test('without a header every caller shares the "unknown" address', () => {
  assert.equal(clientIp(null, 1), 'unknown');
  assert.equal(clientIp(' , ', 1), 'unknown');
});

/**
 * @module
 * Whether a bind address is loopback-only: auth may be turned off only there.
 */
import { isIPv4 } from 'node:net';

/** True for 127.0.0.0/8, ::1 and `localhost`; false for 0.0.0.0, :: and every other address. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  if (h.startsWith('::ffff:')) return isLoopbackHost(h.slice('::ffff:'.length));
  return isIPv4(h) && h.startsWith('127.');
}

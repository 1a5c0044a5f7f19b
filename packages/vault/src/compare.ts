/**
 * Timing-safe comparison for secret values.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time equality for secrets of any length: both sides are HMAC'd
 * under a fresh random key first, so the comparison always runs over 32
 * bytes and an early length mismatch reveals nothing.
 * @example
 * constantTimeEqual(Buffer.from(header), expectedSignature) // true | false
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  const key = randomBytes(32);
  const ha = createHmac('sha256', key).update(a).digest();
  const hb = createHmac('sha256', key).update(b).digest();
  return timingSafeEqual(ha, hb);
}

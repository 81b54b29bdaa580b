// TOTP (RFC 6238) for the tests, with node:crypto: the code an authenticator
// app would show for a base32 secret, so tests enrol and log in the way a
// person with a phone does.
import { createHmac } from 'node:crypto';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Decode(text) {
  const clean = text.replace(/[\s=-]/g, '').toUpperCase();
  const out = [];
  let acc = 0;
  let bits = 0;
  for (const ch of clean) {
    const v = B32.indexOf(ch);
    if (v < 0) throw new Error(`not base32: ${ch}`);
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((acc >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

// HOTP (RFC 4226): HMAC-SHA1 of the 8-byte counter, dynamic truncation.
export function hotp(key, counter, digits = 6) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const hs = createHmac('sha1', key).update(msg).digest();
  const off = hs[hs.length - 1] & 0x0f;
  const bin = ((hs[off] & 0x7f) << 24) | (hs[off + 1] << 16) | (hs[off + 2] << 8) | hs[off + 3];
  return String(bin % 10 ** digits).padStart(digits, '0');
}

// The code for a base32 secret at a time (ms), stepOffset steps away.
export function totp(secret, { at = Date.now(), stepOffset = 0, period = 30, digits = 6 } = {}) {
  const step = Math.floor(at / 1000 / period) + stepOffset;
  return hotp(base32Decode(secret), step, digits);
}

// Wait until a fresh 30-second step has begun (so a test can use a new code
// after one was spent), at most one period.
export async function nextStep(period = 30) {
  const ms = period * 1000 - (Date.now() % (period * 1000)) + 50;
  await new Promise((r) => setTimeout(r, ms));
}

// Codes in ever newer time steps, as a person types them one after another
// (the server never accepts a step twice): each call gives the code of the
// step after the last one given — the current step, or the next one (the
// server accepts one step either way), waiting for the clock when needed.
export function codeSource(secret) {
  let last = -Infinity;
  return async () => {
    for (;;) {
      const now = Math.floor(Date.now() / 30000);
      const step = Math.max(last + 1, now);
      if (step <= now + 1) {
        last = step;
        return totp(secret, { stepOffset: step - now });
      }
      await nextStep();
    }
  };
}

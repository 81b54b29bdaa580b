/* totp.h — one-time passwords for authenticator apps, written from the
 * RFCs' own description:
 *   - HOTP (RFC 4226): HMAC-SHA1 of an 8-byte big-endian counter, "dynamic
 *     truncation" to 31 bits (the low nibble of the last byte gives the
 *     offset of four bytes), then the last `digits` decimal digits;
 *   - TOTP (RFC 6238): HOTP with the counter T = floor(unix time / period);
 *   - base32 (RFC 4648, upper-case, no padding), the form in which apps
 *     take the secret (otpauth:// URIs and manual entry).
 * HMAC-SHA1 comes from nettle. No project knowledge here. */
#ifndef GH_TOTP_H
#define GH_TOTP_H

#include <stddef.h>
#include <stdint.h>

/* The HOTP value of counter under key: 0 ≤ value < 10^digits (digits 6–9). */
uint32_t hotp_value(const unsigned char *key, size_t keylen, uint64_t counter, int digits);

/* The same as text, zero-padded to digits characters (out: digits + 1). */
void hotp_text(const unsigned char *key, size_t keylen, uint64_t counter, int digits, char *out);

/* The TOTP time step of unix_s for a period in seconds (floor). */
int64_t totp_step(int64_t unix_s, int period);

/* Does code (exactly digits decimal digits) match one of the steps
 * step - window … step + window? On a match returns 1 and puts the step
 * that matched in *matched; otherwise 0. Every candidate is compared, in
 * constant time, whichever matches. */
int totp_match(const unsigned char *key, size_t keylen, const char *code, int digits, int64_t step,
               int window, int64_t *matched);

/* base32 of n bytes into out (outsz ≥ (n * 8 + 4) / 5 + 1), upper-case,
 * without '=' padding. Returns the length written. */
size_t base32_encode(const unsigned char *in, size_t n, char *out, size_t outsz);

/* Decode base32 text (either case; spaces, hyphens and trailing '=' are
 * ignored). Returns the number of bytes, or -1 when the text holds another
 * character or more than outsz bytes. */
int base32_decode(const char *in, unsigned char *out, size_t outsz);

#endif

/* totp.c — HOTP, TOTP and base32; see totp.h. */
#include "base/totp.h"

#include <nettle/hmac.h>
#include <nettle/sha1.h>
#include <string.h>

static const uint32_t pow10[] = {1u,      10u,      100u,      1000u,      10000u,
                                 100000u, 1000000u, 10000000u, 100000000u, 1000000000u};

uint32_t hotp_value(const unsigned char *key, size_t keylen, uint64_t counter, int digits)
{
    if (digits < 6) digits = 6;
    if (digits > 9) digits = 9;
    /* RFC 4226 5.3: the counter as 8 bytes, most significant first. */
    uint8_t msg[8];
    for (int i = 7; i >= 0; i--) {
        msg[i] = (uint8_t)(counter & 0xff);
        counter >>= 8;
    }
    struct hmac_sha1_ctx ctx;
    uint8_t hs[SHA1_DIGEST_SIZE];
    hmac_sha1_set_key(&ctx, keylen, key);
    hmac_sha1_update(&ctx, sizeof msg, msg);
    hmac_sha1_digest(&ctx, sizeof hs, hs);
    /* Dynamic truncation: the low four bits of the last byte say where the
     * four bytes start; the top bit is dropped so the value is positive. */
    int off = hs[SHA1_DIGEST_SIZE - 1] & 0x0f;
    uint32_t bin = ((uint32_t)(hs[off] & 0x7f) << 24) | ((uint32_t)hs[off + 1] << 16) |
                   ((uint32_t)hs[off + 2] << 8) | (uint32_t)hs[off + 3];
    memset(&ctx, 0, sizeof ctx);
    memset(hs, 0, sizeof hs);
    return bin % pow10[digits];
}

void hotp_text(const unsigned char *key, size_t keylen, uint64_t counter, int digits, char *out)
{
    if (digits < 6) digits = 6;
    if (digits > 9) digits = 9;
    uint32_t v = hotp_value(key, keylen, counter, digits);
    for (int i = digits - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
    out[digits] = '\0';
}

int64_t totp_step(int64_t unix_s, int period)
{
    if (period <= 0) period = 30;
    int64_t q = unix_s / period;
    if (unix_s % period < 0) q--; /* floor, also before 1970 */
    return q;
}

int totp_match(const unsigned char *key, size_t keylen, const char *code, int digits, int64_t step,
               int window, int64_t *matched)
{
    if (!code || strlen(code) != (size_t)digits) return 0;
    for (int i = 0; i < digits; i++)
        if (code[i] < '0' || code[i] > '9') return 0;
    int found = 0;
    for (int64_t s = step - window; s <= step + window; s++) {
        if (s < 0) continue;
        char want[10];
        hotp_text(key, keylen, (uint64_t)s, digits, want);
        unsigned diff = 0;
        for (int i = 0; i < digits; i++) diff |= (unsigned)(want[i] ^ code[i]);
        if (diff == 0 && !found) {
            found = 1;
            if (matched) *matched = s;
        }
    }
    return found;
}

static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

size_t base32_encode(const unsigned char *in, size_t n, char *out, size_t outsz)
{
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        acc = (acc << 8) | in[i];
        bits += 8;
        while (bits >= 5) {
            if (o + 1 < outsz) out[o++] = b32[(acc >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0 && o + 1 < outsz) out[o++] = b32[(acc << (5 - bits)) & 31];
    if (outsz) out[o] = '\0';
    return o;
}

int base32_decode(const char *in, unsigned char *out, size_t outsz)
{
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    int pad = 0;
    for (const char *p = in; *p; p++) {
        char c = *p;
        if (c == ' ' || c == '-') continue;
        if (c == '=') {
            pad = 1;
            continue;
        }
        if (pad) return -1; /* text after padding */
        int v;
        if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
        if (c >= 'A' && c <= 'Z') v = c - 'A';
        else if (c >= '2' && c <= '7') v = c - '2' + 26;
        else return -1;
        acc = (acc << 5) | (uint32_t)v;
        bits += 5;
        if (bits >= 8) {
            if (o >= outsz) return -1;
            out[o++] = (unsigned char)((acc >> (bits - 8)) & 0xff);
            bits -= 8;
        }
    }
    return (int)o;
}

/* crypto.h — the few cryptographic operations gonghui needs, on libsodium.
 *
 * - random tokens (session tokens, voucher codes, CSRF tokens);
 * - SHA-256 (hash chains, file fingerprints, stored session-token hashes);
 * - keyed BLAKE2b hashes, so a sensitive value (ID number, phone) can be
 *   found by equality without storing it in the clear;
 * - secret boxes (XSalsa20-Poly1305) for sensitive values at rest, written
 *   as text "v1:" + base64(nonce ‖ ciphertext) so both backends store them
 *   in a TEXT column;
 * - argon2id password hashes;
 * - subkeys derived from the key file for one purpose each (the hash-chain
 *   key, the checkpoint signing seed), so the data key itself is used only
 *   for sealing;
 * - Ed25519 signatures (signed checkpoints of the hash chains).
 * crypto_init must run once before anything else here. */
#ifndef GH_CRYPTO_H
#define GH_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

int crypto_init(void);

void crypto_random(void *out, size_t n);
/* Uniform in [0, upper). */
uint32_t crypto_uniform(uint32_t upper);

/* n random bytes as URL-safe base64 without padding. out must hold
 * 4*n/3 + 4 bytes. */
void crypto_token(char *out, size_t outsz, size_t n);

/* Lower-case hex of data (2*n + 1 bytes). */
void crypto_hex(const void *data, size_t n, char *out);
/* Parse exactly 2*n hex digits. 0 or ERR_INVALID. */
int crypto_unhex(const char *hex, void *out, size_t n);

void crypto_sha256_hex(const void *data, size_t n, char out[65]);

/* Standard base64 (with padding) of n bytes: *out is malloc'd text the
 * caller frees. 0 or ERR_NOMEM. */
int crypto_b64_encode(const void *data, size_t n, char **out, gh_err *e);
/* The bytes of standard base64 text: *out is malloc'd (*len bytes), the
 * caller frees. 0, ERR_NOMEM, or ERR_INVALID for text that is not base64. */
int crypto_b64_decode(const char *text, unsigned char **out, size_t *len, gh_err *e);

/* Keyed hash (BLAKE2b-256 under key) of a string, as 64 hex digits. */
void crypto_keyed_hex(const unsigned char key[32], const char *s, char out[65]);

/* Keyed hash (BLAKE2b-256 under key) of n bytes, as 64 hex digits. */
void crypto_mac_hex(const unsigned char key[32], const void *data, size_t n, char out[65]);

/* A 32-byte subkey for one purpose: BLAKE2b-256 of context, keyed with the
 * whole key file (data_key ‖ hash_key). Different contexts give independent
 * keys; none reveals the key file. */
void crypto_subkey(const unsigned char data_key[32], const unsigned char hash_key[32], const char *context,
                   unsigned char out[32]);

/* Ed25519: the key pair of a 32-byte seed; a detached signature of msg as
 * 128 hex digits; check one (0 when valid, ERR_INVALID when not). */
void crypto_sign_keys(const unsigned char seed[32], unsigned char pk[32], unsigned char sk[64]);
void crypto_sign_hex(const unsigned char sk[64], const void *msg, size_t n, char out[129]);
int crypto_sign_check(const unsigned char pk[32], const void *msg, size_t n, const char *sig_hex);

/* Encrypt the string plain under key. *out is malloc'd text the caller
 * frees. */
int crypto_seal(const unsigned char key[32], const char *plain, char **out, gh_err *e);
/* Decrypt text made by crypto_seal. *out is malloc'd, caller frees. */
int crypto_open(const unsigned char key[32], const char *sealed, char **out, gh_err *e);

/* Password hashing (argon2id). The parameters are in crypto.c and are
 * stored inside each hash, so changing them later keeps old hashes valid. */
int crypto_password_hash(const char *password, char out[128], gh_err *e);
/* 0 when the password matches, ERR_UNAUTH when not. */
int crypto_password_verify(const char *hash, const char *password);
/* 1 when a stored hash used weaker parameters than today's. */
int crypto_password_needs_rehash(const char *hash);
/* Describe the argon2id parameters in use ("argon2id t=2 m=64MiB"). */
const char *crypto_password_params(void);

/* Load a 64-byte key file (two 32-byte keys: data, hash), creating it with
 * fresh random keys and mode 0600 when missing. */
int crypto_load_keys(const char *path, unsigned char data_key[32],
                     unsigned char hash_key[32], gh_err *e);
/* The same without creating: ERR_NOT_FOUND ("key_file_missing") when path
 * does not exist. For commands that only check (audit verify, ledger check):
 * a new key would make every keyed hash look forged. */
int crypto_read_keys(const char *path, unsigned char data_key[32], unsigned char hash_key[32], gh_err *e);

#endif

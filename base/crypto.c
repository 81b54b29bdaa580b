/* crypto.c — libsodium wrappers; see crypto.h. */
#include "base/crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* argon2id with 3 passes over 64 MiB: about 0.1–0.2 s on one core here,
 * libsodium's "interactive" level raised one step in memory. The test
 * build may lower it through GONGHUI_ARGON2_FAST=1 (never in production). */
static unsigned long long g_ops = 3;
static size_t g_mem = 64u << 20;

int crypto_init(void)
{
    if (sodium_init() < 0) return ERR_INTERNAL;
    const char *fast = getenv("GONGHUI_ARGON2_FAST");
    if (fast && strcmp(fast, "1") == 0) {
        g_ops = crypto_pwhash_OPSLIMIT_MIN;
        g_mem = crypto_pwhash_MEMLIMIT_MIN * 4;
    }
    return 0;
}

void crypto_random(void *out, size_t n) { randombytes_buf(out, n); }

uint32_t crypto_uniform(uint32_t upper) { return randombytes_uniform(upper); }

void crypto_token(char *out, size_t outsz, size_t n)
{
    unsigned char raw[64];
    if (n > sizeof raw) n = sizeof raw;
    randombytes_buf(raw, n);
    sodium_bin2base64(out, outsz, raw, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

void crypto_hex(const void *data, size_t n, char *out)
{
    sodium_bin2hex(out, 2 * n + 1, data, n);
}

int crypto_unhex(const char *hex, void *out, size_t n)
{
    size_t len = 0;
    if (strlen(hex) != 2 * n) return ERR_INVALID;
    if (sodium_hex2bin(out, n, hex, 2 * n, NULL, &len, NULL) != 0 || len != n) return ERR_INVALID;
    return 0;
}

void crypto_sha256_hex(const void *data, size_t n, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, n);
    sodium_bin2hex(out, 65, h, sizeof h);
}

int crypto_b64_encode(const void *data, size_t n, char **out, gh_err *e)
{
    size_t sz = sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL);
    char *t = malloc(sz);
    if (!t) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    sodium_bin2base64(t, sz, data, n, sodium_base64_VARIANT_ORIGINAL);
    *out = t;
    return 0;
}

int crypto_b64_decode(const char *text, unsigned char **out, size_t *len, gh_err *e)
{
    size_t tl = strlen(text), bl = 0;
    unsigned char *b = malloc(tl / 4 * 3 + 3);
    if (!b) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    if (sodium_base642bin(b, tl / 4 * 3 + 3, text, tl, NULL, &bl, NULL, sodium_base64_VARIANT_ORIGINAL) != 0) {
        free(b);
        return err_set(e, ERR_INVALID, "bad_base64", NULL, "数据不是有效的 base64");
    }
    *out = b;
    *len = bl;
    return 0;
}

void crypto_keyed_hex(const unsigned char key[32], const char *s, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)s, strlen(s), key, 32);
    sodium_bin2hex(out, 65, h, sizeof h);
}

void crypto_mac_hex(const unsigned char key[32], const void *data, size_t n, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, data, n, key, 32);
    sodium_bin2hex(out, 65, h, sizeof h);
}

void crypto_subkey(const unsigned char data_key[32], const unsigned char hash_key[32], const char *context,
                   unsigned char out[32])
{
    unsigned char k[64];
    memcpy(k, data_key, 32);
    memcpy(k + 32, hash_key, 32);
    crypto_generichash(out, 32, (const unsigned char *)context, strlen(context), k, sizeof k);
    sodium_memzero(k, sizeof k);
}

void crypto_sign_keys(const unsigned char seed[32], unsigned char pk[32], unsigned char sk[64])
{
    crypto_sign_seed_keypair(pk, sk, seed);
}

void crypto_sign_hex(const unsigned char sk[64], const void *msg, size_t n, char out[129])
{
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, NULL, msg, n, sk);
    sodium_bin2hex(out, 129, sig, sizeof sig);
}

int crypto_sign_check(const unsigned char pk[32], const void *msg, size_t n, const char *sig_hex)
{
    unsigned char sig[crypto_sign_BYTES];
    if (!sig_hex || crypto_unhex(sig_hex, sig, sizeof sig) != 0) return ERR_INVALID;
    return crypto_sign_verify_detached(sig, msg, n, pk) == 0 ? 0 : ERR_INVALID;
}

int crypto_seal(const unsigned char key[32], const char *plain, char **out, gh_err *e)
{
    size_t pl = strlen(plain);
    size_t bl = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + pl;
    unsigned char *box = malloc(bl);
    size_t b64l = sodium_base64_encoded_len(bl, sodium_base64_VARIANT_ORIGINAL);
    char *txt = malloc(b64l + 3);
    if (!box || !txt) {
        free(box);
        free(txt);
        return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    }
    randombytes_buf(box, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, pl,
                          box, key);
    memcpy(txt, "v1:", 3);
    sodium_bin2base64(txt + 3, b64l, box, bl, sodium_base64_VARIANT_ORIGINAL);
    free(box);
    *out = txt;
    return 0;
}

int crypto_open(const unsigned char key[32], const char *sealed, char **out, gh_err *e)
{
    *out = NULL;
    if (!sealed || strncmp(sealed, "v1:", 3) != 0)
        return err_set(e, ERR_INTERNAL, "sealed_format", NULL, "加密数据格式无法识别");
    const char *b64 = sealed + 3;
    size_t l = strlen(b64);
    unsigned char *box = malloc(l);
    if (!box) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    size_t bl = 0;
    if (sodium_base642bin(box, l, b64, l, NULL, &bl, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        bl < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
        free(box);
        return err_set(e, ERR_INTERNAL, "sealed_format", NULL, "加密数据已损坏");
    }
    size_t pl = bl - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
    char *plain = malloc(pl + 1);
    if (!plain) {
        free(box);
        return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    }
    if (crypto_secretbox_open_easy((unsigned char *)plain, box + crypto_secretbox_NONCEBYTES,
                                   bl - crypto_secretbox_NONCEBYTES, box, key) != 0) {
        free(box);
        free(plain);
        return err_set(e, ERR_INTERNAL, "sealed_key", NULL, "加密数据无法解开（密钥不匹配或数据被改动）");
    }
    plain[pl] = '\0';
    free(box);
    *out = plain;
    return 0;
}

int crypto_password_hash(const char *password, char out[128], gh_err *e)
{
    if (crypto_pwhash_str(out, password, strlen(password), g_ops, g_mem) != 0)
        return err_set(e, ERR_NOMEM, NULL, NULL, "计算密码摘要时内存不足");
    return 0;
}

int crypto_password_verify(const char *hash, const char *password)
{
    if (!hash || !*hash) return ERR_UNAUTH;
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0 ? 0 : ERR_UNAUTH;
}

int crypto_password_needs_rehash(const char *hash)
{
    return crypto_pwhash_str_needs_rehash(hash, g_ops, g_mem) != 0;
}

const char *crypto_password_params(void)
{
    static char s[64];
    snprintf(s, sizeof s, "argon2id t=%llu m=%zuMiB p=1", g_ops, g_mem >> 20);
    return s;
}

int crypto_load_keys(const char *path, unsigned char data_key[32],
                     unsigned char hash_key[32], gh_err *e)
{
    unsigned char k[64];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
        /* var/ may not exist yet on a first run */
        char dir[512];
        snprintf(dir, sizeof dir, "%s", path);
        char *slash = strrchr(dir, '/');
        if (slash && slash != dir) {
            *slash = '\0';
            mkdir(dir, 0750);
        }
        randombytes_buf(k, sizeof k);
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) {
            ssize_t w = write(fd, k, sizeof k);
            int ok = w == (ssize_t)sizeof k && fsync(fd) == 0;
            close(fd);
            if (!ok) {
                unlink(path);
                return err_set(e, ERR_INTERNAL, "key_file", "key_file", "无法写入密钥文件 %s", path);
            }
        } else if (errno != EEXIST) {
            return err_set(e, ERR_INTERNAL, "key_file", "key_file", "无法创建密钥文件 %s：%s",
                           path, strerror(errno));
        }
        fd = open(path, O_RDONLY | O_CLOEXEC);
    }
    if (fd < 0)
        return err_set(e, ERR_INTERNAL, "key_file", "key_file", "无法读取密钥文件 %s：%s", path,
                       strerror(errno));
    ssize_t r = read(fd, k, sizeof k);
    close(fd);
    if (r != (ssize_t)sizeof k)
        return err_set(e, ERR_INTERNAL, "key_file", "key_file", "密钥文件 %s 长度不对（应为 64 字节）",
                       path);
    memcpy(data_key, k, 32);
    memcpy(hash_key, k + 32, 32);
    sodium_memzero(k, sizeof k);
    return 0;
}

int crypto_read_keys(const char *path, unsigned char data_key[32], unsigned char hash_key[32], gh_err *e)
{
    if (access(path, F_OK) != 0 && errno == ENOENT)
        return err_set(e, ERR_NOT_FOUND, "key_file_missing", "key_file", "密钥文件 %s 不存在", path);
    return crypto_load_keys(path, data_key, hash_key, e);
}

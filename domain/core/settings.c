/* settings.c — installation settings; see settings.h. */
#include "domain/core/settings.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "base/date.h"

/* A fingerprint that reveals nothing of the keys: a keyed hash of a fixed
 * text under each key, concatenated and hashed again. */
static void fingerprint(const gh_config *cfg, char out[65])
{
    char a[65], b[65], both[130];
    crypto_keyed_hex(cfg->data_key, "gonghui key fingerprint v1", a);
    crypto_keyed_hex(cfg->hash_key, "gonghui key fingerprint v1", b);
    memcpy(both, a, 64);
    memcpy(both + 64, b, 64);
    crypto_sha256_hex(both, 128, out);
}

int settings_check_keys(store_conn *db, const gh_config *cfg, gh_err *e)
{
    char fp[65], ts[32];
    fingerprint(cfg, fp);
    ts_now(ts);
    int rc = store_exec(db, "INSERT INTO settings (key, value, updated_at) VALUES ('key_fingerprint', $1, $2)"
                            " ON CONFLICT (key) DO NOTHING",
                        SV_ARGS(SV_T(fp), SV_T(ts)), NULL, e);
    if (rc) return rc;
    store_res r;
    rc = store_query(db, &r, "SELECT value FROM settings WHERE key = 'key_fingerprint'", SV_NONE, e);
    if (rc) return rc;
    int same = 0;
    if ((rc = store_next(&r, e)) > 0) same = strcmp(store_text(&r, 0), fp) == 0;
    store_done(&r);
    if (rc < 0) return rc;
    if (!same)
        return err_set(e, ERR_CONFLICT, "key_mismatch", "key_file",
                       "密钥文件与数据库不匹配：数据是用另一个密钥文件写入的。请使用原来的密钥文件（--key-file），"
                       "不要让程序新建密钥");
    return 0;
}

int settings_get(store_conn *db, const char *key, char **value, gh_err *e)
{
    *value = NULL;
    store_res r;
    int rc = store_query(db, &r, "SELECT value FROM settings WHERE key = $1", SV_ARGS(SV_T(key)), e);
    if (rc) return rc;
    if ((rc = store_next(&r, e)) > 0) {
        *value = strdup(store_text(&r, 0));
        rc = *value ? 0 : err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    }
    store_done(&r);
    return rc < 0 ? rc : 0;
}

int settings_put(store_conn *db, const char *key, const char *value, gh_err *e)
{
    char ts[32];
    ts_now(ts);
    return store_exec(db,
        "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)"
        " ON CONFLICT (key) DO UPDATE SET value = $2, updated_at = $3",
        SV_ARGS(SV_T(key), SV_T(value), SV_T(ts)), NULL, e);
}

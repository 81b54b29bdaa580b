/* chain.c — partitioned hash chains; see chain.h. */
#include "domain/core/chain.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/crypto.h"
#include "base/log.h"

/* The SQL of each kind is spelled out whole (not pasted together at run
 * time) so every statement stays one prepared statement per connection. */
typedef struct chain_sql {
    const char *next, *set_head, *lock, *heads, *any_mac, *unsealed, *seal, *tip;
} chain_sql;

static const chain_sql audit_sql = {
    "INSERT INTO audit_heads (part, seq, hash) VALUES ($1, 1, '" CHAIN_ZERO "')"
    " ON CONFLICT (part) DO UPDATE SET seq = audit_heads.seq + 1 RETURNING seq, hash, keyed_from",
    "UPDATE audit_heads SET hash = $2, keyed_from = $3, mac = $4 WHERE part = $1",
    "INSERT INTO audit_heads (part, seq, hash) VALUES ($1, 0, '" CHAIN_ZERO "')"
    " ON CONFLICT (part) DO UPDATE SET seq = audit_heads.seq",
    "SELECT part, seq, hash, keyed_from, mac FROM audit_heads ORDER BY part",
    "SELECT COUNT(*) FROM audit_heads WHERE mac IS NOT NULL",
    "SELECT part, seq, hash FROM audit_heads WHERE mac IS NULL AND part <> $1 ORDER BY part",
    "UPDATE audit_heads SET keyed_from = $2, mac = $3 WHERE part = $1 AND mac IS NULL AND seq = $4 AND hash = $5",
    "SELECT hash FROM audit_log WHERE part = $1 AND seq = $2",
};

static const chain_sql ledger_sql = {
    "INSERT INTO ledger_heads (part, seq, hash) VALUES ($1, 1, '" CHAIN_ZERO "')"
    " ON CONFLICT (part) DO UPDATE SET seq = ledger_heads.seq + 1 RETURNING seq, hash, keyed_from",
    "UPDATE ledger_heads SET hash = $2, keyed_from = $3, mac = $4 WHERE part = $1",
    "INSERT INTO ledger_heads (part, seq, hash) VALUES ($1, 0, '" CHAIN_ZERO "')"
    " ON CONFLICT (part) DO UPDATE SET seq = ledger_heads.seq",
    "SELECT part, seq, hash, keyed_from, mac FROM ledger_heads ORDER BY part",
    "SELECT COUNT(*) FROM ledger_heads WHERE mac IS NOT NULL",
    "SELECT part, seq, hash FROM ledger_heads WHERE mac IS NULL AND part <> $1 ORDER BY part",
    "UPDATE ledger_heads SET keyed_from = $2, mac = $3 WHERE part = $1 AND mac IS NULL AND seq = $4 AND hash = $5",
    "SELECT hash FROM ledger_transfers WHERE part = $1 AND seq = $2",
};

const chain_kind chain_audit = {"audit_heads", "审计日志", "条", "audit"};
const chain_kind chain_ledger = {"ledger_heads", "账簿", "笔", "ledger"};

static const chain_sql *sql_of(const chain_kind *k) { return k == &chain_ledger ? &ledger_sql : &audit_sql; }

int chain_partition(store_conn *db, int64_t org_id, int64_t *part, char *path, size_t pathlen, int *found,
                    gh_err *e)
{
    *part = 0;
    if (path && pathlen) path[0] = '\0';
    if (found) *found = 0;
    if (org_id <= 0) return 0;
    /* Up the parent links (a handful of primary-key lookups, in the same
     * round trip as the path): the topmost province-level org is the
     * province, also below a provincial industry union. */
    store_res r;
    int rc = store_query(db, &r,
        "WITH RECURSIVE up(id, parent_id, level, depth) AS ("
        " SELECT id, parent_id, level, depth FROM orgs WHERE id = $1"
        " UNION ALL SELECT o.id, o.parent_id, o.level, o.depth FROM orgs o JOIN up ON o.id = up.parent_id)"
        " SELECT o.path, COALESCE((SELECT id FROM up WHERE level = 'province' ORDER BY depth LIMIT 1), 0)"
        " FROM orgs o WHERE o.id = $1",
        SV_ARGS(SV_I(org_id)), e);
    if (rc) return rc;
    if ((rc = store_next(&r, e)) > 0) {
        if (path && pathlen) snprintf(path, pathlen, "%s", store_text(&r, 0));
        *part = store_int(&r, 1);
        if (found) *found = 1;
        rc = 0;
    }
    store_done(&r);
    return rc < 0 ? rc : 0;
}

void chain_derive_keys(gh_config *cfg)
{
    unsigned char seed[32];
    crypto_subkey(cfg->data_key, cfg->hash_key, "gonghui chain link v1", cfg->chain_key);
    crypto_subkey(cfg->data_key, cfg->hash_key, "gonghui checkpoint signing v1", seed);
    crypto_sign_keys(seed, cfg->sign_pk, cfg->sign_sk);
    crypto_random(seed, sizeof seed); /* the seed is not kept */
}

void chain_head_mac(const unsigned char key[32], const chain_kind *k, int64_t part, int64_t seq, const char *hash,
                    int64_t keyed_from, char out[65])
{
    char text[160];
    int n = snprintf(text, sizeof text, "head|%s|%lld|%lld|%s|%lld", k->code, (long long)part, (long long)seq,
                     hash ? hash : "", (long long)keyed_from);
    crypto_mac_hex(key, text, (size_t)n, out);
}

typedef struct unsealed {
    int64_t part, seq;
    char hash[65];
} unsealed;

/* Give every head without a MAC (but except) one, with keyed_from = seq + 1:
 * its rows so far stay plain. */
static int seal_heads(store_conn *db, const chain_kind *k, const unsigned char key[32], int64_t except, int *sealed,
                      gh_err *e)
{
    unsealed *v = NULL;
    int n = 0, cap = 0;
    store_res r;
    int rc = store_query(db, &r, sql_of(k)->unsealed, SV_ARGS(SV_I(except)), e);
    if (rc) return rc;
    while ((rc = store_next(&r, e)) > 0) {
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            unsealed *nv = realloc(v, (size_t)cap * sizeof *nv);
            if (!nv) {
                rc = err_set(e, ERR_NOMEM, NULL, NULL, NULL);
                break;
            }
            v = nv;
        }
        v[n].part = store_int(&r, 0);
        v[n].seq = store_int(&r, 1);
        snprintf(v[n].hash, sizeof v[n].hash, "%s", store_text(&r, 2) ? store_text(&r, 2) : "");
        n++;
    }
    store_done(&r);
    for (int i = 0; rc == 0 && i < n; i++) {
        char mac[65];
        int64_t kf = v[i].seq + 1, changed = 0;
        chain_head_mac(key, k, v[i].part, v[i].seq, v[i].hash, kf, mac);
        rc = store_exec(db, sql_of(k)->seal,
                        SV_ARGS(SV_I(v[i].part), SV_I(kf), SV_T(mac), SV_I(v[i].seq), SV_T(v[i].hash)), &changed, e);
        if (rc == 0 && sealed) *sealed += (int)changed;
    }
    free(v);
    return rc < 0 ? rc : 0;
}

typedef struct seal_ctx {
    const chain_kind *k;
    const unsigned char *key;
    int sealed;
} seal_ctx;

static int seal_tx(store_conn *db, void *p, gh_err *e)
{
    seal_ctx *s = p;
    s->sealed = 0;
    int64_t macs = 0;
    int rc = store_get_int(db, sql_of(s->k)->any_mac, SV_NONE, &macs, e);
    if (rc || macs > 0) return rc;
    return seal_heads(db, s->k, s->key, -1, &s->sealed, e);
}

int chain_seal(store_conn *db, const chain_kind *k, const unsigned char key[32], int *sealed, gh_err *e)
{
    seal_ctx s = {k, key, 0};
    int rc = store_tx(db, STORE_WRITE, seal_tx, &s, e);
    if (rc == 0 && s.sealed) log_info("%s: sealed %d chain heads (links keyed from here on)", k->heads, s.sealed);
    if (sealed) *sealed = rc == 0 ? s.sealed : 0;
    return rc;
}

int chain_next(store_conn *db, const chain_kind *k, const unsigned char key[32], int64_t part, chain_pos *pos,
               gh_err *e)
{
    store_res r;
    memset(pos, 0, sizeof *pos);
    pos->part = part;
    /* The upsert takes the head row's lock first, so writers of one
     * partition queue here (PostgreSQL re-reads the row once the lock is
     * granted); writers of other partitions do not. */
    int rc = store_query(db, &r, sql_of(k)->next, SV_ARGS(SV_I(part)), e);
    if (rc) return rc;
    if ((rc = store_next(&r, e)) > 0) {
        pos->seq = store_int(&r, 0);
        snprintf(pos->prev, sizeof pos->prev, "%s", store_text(&r, 1) ? store_text(&r, 1) : "");
        pos->keyed_from = store_int(&r, 2);
        rc = 0;
    } else if (rc == 0) {
        rc = err_set(e, ERR_INTERNAL, "chain_head_missing", NULL, "%s链头记录缺失", k->label);
    }
    store_done(&r);
    if (rc || pos->keyed_from > 0) return rc;
    if (pos->seq == 1) { /* a new partition: keyed from its first row */
        pos->keyed_from = 1;
        return 0;
    }
    /* A head without keyed_from and with rows below: either the chain was
     * never sealed (the first keyed write after the upgrade: seal the other
     * heads as they are, this one from here), or the head lost its record,
     * which only tampering does; re-sealing it would launder a downgrade. */
    int64_t macs = 0;
    rc = store_get_int(db, sql_of(k)->any_mac, SV_NONE, &macs, e);
    if (rc) return rc;
    if (macs == 0) {
        rc = seal_heads(db, k, key, part, NULL, e);
        if (rc == 0) pos->keyed_from = pos->seq;
        return rc;
    }
    log_error("%s: the head of partition %lld has no keyed_from: tampered with; left unsealed for verification to report",
              k->heads, (long long)part);
    return 0;
}

int chain_set_head(store_conn *db, const chain_kind *k, const unsigned char key[32], const chain_pos *pos,
                   const char hash[65], gh_err *e)
{
    char mac[65];
    if (pos->keyed_from > 0) chain_head_mac(key, k, pos->part, pos->seq, hash, pos->keyed_from, mac);
    return store_exec(db, sql_of(k)->set_head,
                      SV_ARGS(SV_I(pos->part), SV_T(hash), SV_IZ(pos->keyed_from),
                              pos->keyed_from > 0 ? SV_T(mac) : SV_NULLV),
                      NULL, e);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

int chain_lock(store_conn *db, const chain_kind *k, const int64_t *parts, int n, gh_err *e)
{
    if (n <= 1) return 0;
    int64_t *s = malloc((size_t)n * sizeof *s);
    if (!s) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    memcpy(s, parts, (size_t)n * sizeof *s);
    qsort(s, (size_t)n, sizeof *s, cmp_i64);
    int distinct = 1;
    for (int i = 1; i < n; i++) distinct += s[i] != s[i - 1];
    int rc = 0;
    /* One partition needs no ordering: chain_next takes it. */
    for (int i = 0; distinct > 1 && i < n && rc == 0; i++)
        if (i == 0 || s[i] != s[i - 1]) rc = store_exec(db, sql_of(k)->lock, SV_ARGS(SV_I(s[i])), NULL, e);
    free(s);
    return rc;
}

void chain_link(const unsigned char *key, int64_t part, const char *body, size_t len, char out[65])
{
    if (key) {
        buf b = {0};
        buf_printf(&b, "k|p%lld|", (long long)part);
        buf_append(&b, body, len);
        crypto_mac_hex(key, buf_str(&b), b.len, out);
        buf_free(&b);
        return;
    }
    if (part == 0) {
        /* Partition 0 holds the single chain of before partitioning; its
         * rows keep hashing exactly as they did. */
        crypto_sha256_hex(body, len, out);
        return;
    }
    buf b = {0};
    buf_printf(&b, "p%lld|", (long long)part);
    buf_append(&b, body, len);
    crypto_sha256_hex(buf_str(&b), b.len, out);
    buf_free(&b);
}

void chain_root(const chain_head *heads, int n, char out[65])
{
    buf b = {0};
    for (int i = 0; i < n; i++) buf_printf(&b, "%lld|%lld|%s\n", (long long)heads[i].part, (long long)heads[i].seq, heads[i].hash);
    crypto_sha256_hex(buf_str(&b), b.len, out);
    buf_free(&b);
}

/* ---- checkpoint targets ---- */

void chain_targets_free(chain_targets *t)
{
    if (!t) return;
    free(t->v);
    memset(t, 0, sizeof *t);
}

int chain_targets_add(chain_targets *t, const chain_target *x)
{
    if (t->n == t->cap) {
        int cap = t->cap ? t->cap * 2 : 64;
        chain_target *nv = realloc(t->v, (size_t)cap * sizeof *nv);
        if (!nv) return ERR_NOMEM;
        t->v = nv;
        t->cap = cap;
    }
    t->v[t->n++] = *x;
    return 0;
}

static int cmp_target(const void *a, const void *b)
{
    const chain_target *x = a, *y = b;
    if (x->part != y->part) return x->part < y->part ? -1 : 1;
    if (x->seq != y->seq) return x->seq < y->seq ? -1 : 1;
    return (x->line > y->line) - (x->line < y->line);
}

void chain_targets_sort(chain_targets *t)
{
    if (!t->n) return;
    qsort(t->v, (size_t)t->n, sizeof *t->v, cmp_target);
    int w = 0;
    for (int i = 0; i < t->n; i++) {
        /* the same entry signed again and again by idle checkpoints: keep
         * the first (the oldest line, which names when it was pinned) */
        if (w > 0 && t->v[w - 1].part == t->v[i].part && t->v[w - 1].seq == t->v[i].seq &&
            t->v[w - 1].keyed_from == t->v[i].keyed_from && strcmp(t->v[w - 1].hash, t->v[i].hash) == 0)
            continue;
        t->v[w++] = t->v[i];
    }
    t->n = w;
}

/* ---- verification ---- */

void chain_report_free(chain_report *r)
{
    if (!r) return;
    json_decref(r->parts);
    r->parts = NULL;
}

int chain_heads(store_conn *db, const chain_kind *k, chain_head **out, int *n, gh_err *e)
{
    *out = NULL;
    *n = 0;
    chain_head *v = NULL;
    int cap = 0, cnt = 0;
    store_res r;
    int rc = store_query(db, &r, sql_of(k)->heads, SV_NONE, e);
    if (rc) return rc;
    while ((rc = store_next(&r, e)) > 0) {
        if (cnt == cap) {
            cap = cap ? cap * 2 : 16;
            chain_head *nh = realloc(v, (size_t)cap * sizeof *nh);
            if (!nh) {
                rc = err_set(e, ERR_NOMEM, NULL, NULL, NULL);
                break;
            }
            v = nh;
        }
        chain_head *h = &v[cnt++];
        h->part = store_int(&r, 0);
        h->seq = store_int(&r, 1);
        snprintf(h->hash, sizeof h->hash, "%s", store_text(&r, 2) ? store_text(&r, 2) : "");
        h->keyed_from = store_int(&r, 3);
        snprintf(h->mac, sizeof h->mac, "%s", store_text(&r, 4) ? store_text(&r, 4) : "");
    }
    store_done(&r);
    if (rc < 0) {
        free(v);
        return rc;
    }
    *out = v;
    *n = cnt;
    return 0;
}

int chain_head_check(store_conn *db, const chain_kind *k, const unsigned char key[32], const chain_head *h,
                     char *why, size_t whylen, gh_err *e)
{
    why[0] = '\0';
    if (h->seq == 0 && !h->mac[0]) return 1; /* empty: nothing to vouch for */
    if (h->keyed_from <= 0 || !h->mac[0]) {
        snprintf(why, whylen, "没有密钥签记");
        return 0;
    }
    char mac[65];
    chain_head_mac(key, k, h->part, h->seq, h->hash, h->keyed_from, mac);
    if (strcmp(mac, h->mac) != 0) {
        snprintf(why, whylen, "密钥签记不符");
        return 0;
    }
    if (h->seq <= 0) return 1;
    store_res r;
    int rc = store_query(db, &r, sql_of(k)->tip, SV_ARGS(SV_I(h->part), SV_I(h->seq)), e);
    if (rc) return rc;
    int ok = 0;
    if ((rc = store_next(&r, e)) > 0) ok = store_text(&r, 0) && strcmp(store_text(&r, 0), h->hash) == 0;
    store_done(&r);
    if (rc < 0) return rc;
    if (!ok) snprintf(why, whylen, "第 %lld %s记录缺失或与链头摘要不符", (long long)h->seq, k->unit);
    return ok;
}

int chain_check_begin(store_conn *db, const chain_kind *k, const unsigned char *key, const chain_targets *targets,
                      chain_check *c, chain_report *rep, gh_err *e)
{
    memset(c, 0, sizeof *c);
    memset(rep, 0, sizeof *rep);
    c->k = k;
    c->key = key;
    c->targets = targets && targets->n ? targets : NULL;
    c->rep = rep;
    rep->parts = json_array();
    return chain_heads(db, k, &c->heads, &c->nheads, e);
}

/* Each distinct breach of the open partition is kept once (the first row it
 * was seen at) and counted. */
static void breach(chain_check *c, int64_t seq, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void breach(chain_check *c, int64_t seq, const char *code, const char *fmt, ...)
{
    c->bad_rows++;
    char full[48];
    snprintf(full, sizeof full, "%s_%s", c->k->code, code);
    for (int i = 0; i < c->nproblems; i++)
        if (strcmp(c->problems[i].code, full) == 0) {
            c->problems[i].count++;
            return;
        }
    if (c->nproblems == CHAIN_MAX_PROBLEMS) return;
    chain_problem *p = &c->problems[c->nproblems++];
    snprintf(p->code, sizeof p->code, "%s", full);
    p->seq = seq;
    p->count = 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->text, sizeof p->text, fmt, ap);
    va_end(ap);
}

static const chain_target *target_at(const chain_check *c, int i)
{
    return c->targets && i < c->targets->n ? &c->targets->v[i] : NULL;
}

/* The checkpoints' view of the partition being closed, whose rows end at
 * last: rows they pinned that are gone, a head below them, keyed_from
 * changed. Moves the target cursor past the partition. */
static void close_targets(chain_check *c, int64_t last)
{
    const char *u = c->k->unit;
    const chain_target *top = NULL, *kf = NULL;
    int i = c->tstart;
    for (const chain_target *t; (t = target_at(c, i)) && t->part == c->part; i++) {
        if (!top || t->seq > top->seq) top = t;
        if (!kf && c->has_head && t->keyed_from > 0 && c->head.keyed_from != t->keyed_from) kf = t;
    }
    c->ti = i;
    if (!top || top->seq <= 0) return;
    if (c->rows == 0 && !c->has_head) {
        breach(c, 1, "checkpoint_missing_rows", "整个分区不见了：检查点（%s，文件第 %d 行）时有 %lld %s记录，现在一%s也没有",
               top->ts, top->line, (long long)top->seq, u, u);
        return;
    }
    if (top->seq > last)
        breach(c, last + 1, "checkpoint_missing_rows",
               "比检查点短（缺少记录）：检查点（%s，文件第 %d 行）时已有第 %lld %s，现在只到第 %lld %s，缺少 %lld %s",
               top->ts, top->line, (long long)top->seq, u, (long long)last, u, (long long)(top->seq - last), u);
    if (c->has_head && c->head.seq < top->seq)
        breach(c, c->head.seq + 1, "checkpoint_rolled_back",
               "链头被回滚：检查点（%s，文件第 %d 行）时链头在第 %lld %s，现在在第 %lld %s",
               top->ts, top->line, (long long)top->seq, u, (long long)c->head.seq, u);
    if (kf)
        breach(c, kf->keyed_from, "checkpoint_keyed_from",
               "密钥起点被改动：检查点（%s，文件第 %d 行）记下从第 %lld %s起带密钥，现在链头写的是第 %lld %s",
               kf->ts, kf->line, (long long)kf->keyed_from, u, (long long)c->head.keyed_from, u);
}

static void close_part(chain_check *c)
{
    if (!c->open) return;
    int64_t last = c->expect - 1;
    const char *u = c->k->unit;
    if (!c->has_head) {
        if (c->rows > 0)
            breach(c, 1, "partition_unknown", "有 %lld %s记录但没有链头（记录被移入或插入）", (long long)c->rows, u);
    } else if (c->head.seq > last) {
        breach(c, last + 1, "chain_truncated", "末尾缺少 %lld %s记录", (long long)(c->head.seq - last), u);
    } else if (c->head.seq < last) {
        breach(c, c->head.seq + 1, "head_mismatch", "第 %lld %s起的记录在链头之后（链头被改动或记录被插入）",
               (long long)(c->head.seq + 1), u);
    } else if (strcmp(c->head.hash, c->prev) != 0) {
        breach(c, last, "head_mismatch", "链头摘要与第 %lld %s记录不符（链头被改动）", (long long)last, u);
    }
    /* (a head at 0 with no rows, as chain_lock leaves one, has nothing to seal) */
    if (c->has_head && c->key && !(c->head.seq == 0 && c->rows == 0 && !c->head.mac[0])) {
        if (c->head.keyed_from <= 0 || !c->head.mac[0]) {
            breach(c, c->head.seq, "unsealed",
                   "链头没有密钥签记（升级后尚未用密钥文件运行 gonghui migrate 或 serve，或有人删掉了签记，想把带密钥的记录降级）");
        } else {
            char mac[65];
            chain_head_mac(c->key, c->k, c->part, c->head.seq, c->head.hash, c->head.keyed_from, mac);
            if (strcmp(mac, c->head.mac) != 0)
                breach(c, c->head.seq, "head_forged",
                       "链头（第 %lld %s）的密钥签记不符：链头被改动或回滚，或密钥起点被改动（没有密钥文件算不出有效签记）",
                       (long long)c->head.seq, u);
        }
    }
    close_targets(c, last);
    json_t *o = json_pack("{s:I, s:I, s:s, s:I, s:I, s:b}", "partition", (json_int_t)c->part, "seq",
                          (json_int_t)(c->has_head ? c->head.seq : last), "head", c->has_head ? c->head.hash : "",
                          "rows", (json_int_t)c->rows, "keyed_from", (json_int_t)(c->has_head ? c->head.keyed_from : 0),
                          "ok", c->nproblems == 0);
    if (c->nproblems) {
        const chain_problem *first = &c->problems[0];
        json_object_set_new(o, "code", json_string(first->code));
        json_object_set_new(o, "bad_seq", json_integer(first->seq));
        json_object_set_new(o, "bad_rows", json_integer(c->bad_rows));
        json_object_set_new(o, "problem", json_string(first->text));
        json_t *all = json_array();
        for (int i = 0; i < c->nproblems; i++)
            json_array_append_new(all, json_pack("{s:s, s:I, s:I, s:s}", "code", c->problems[i].code, "seq",
                                                 (json_int_t)c->problems[i].seq, "count",
                                                 (json_int_t)c->problems[i].count, "problem", c->problems[i].text));
        json_object_set_new(o, "problems", all);
        c->rep->broken++;
    }
    json_array_append_new(c->rep->parts, o);
    c->rep->partitions++;
    c->open = 0;
}

static void open_part(chain_check *c, int64_t part, const chain_head *h)
{
    c->open = 1;
    c->part = part;
    c->has_head = h != NULL;
    if (h) c->head = *h;
    c->expect = 1;
    memcpy(c->prev, CHAIN_ZERO, sizeof c->prev);
    c->rows = c->bad_rows = 0;
    c->nproblems = 0;
    /* the targets of partitions before this one were consumed */
    while (target_at(c, c->ti) && target_at(c, c->ti)->part < part) c->ti++;
    c->tstart = c->tcur = c->ti;
}

/* Close the open partition and every partition below part (all when last)
 * that has a head or a checkpoint entry but no rows. */
static void advance_to(chain_check *c, int64_t part, int last)
{
    close_part(c);
    for (;;) {
        int have = 0;
        int64_t next = 0;
        if (c->hi < c->nheads && (last || c->heads[c->hi].part < part)) {
            next = c->heads[c->hi].part;
            have = 1;
        }
        const chain_target *t = target_at(c, c->ti);
        if (t && (last || t->part < part) && (!have || t->part < next)) {
            next = t->part;
            have = 1;
        }
        if (!have) break;
        const chain_head *h = c->hi < c->nheads && c->heads[c->hi].part == next ? &c->heads[c->hi++] : NULL;
        open_part(c, next, h);
        close_part(c);
    }
}

void chain_check_row(chain_check *c, int64_t part, int64_t seq, const char *prev_hash, const char *body, size_t len,
                     const char *stored)
{
    if (!c->open || part != c->part) {
        advance_to(c, part, 0);
        if (c->hi < c->nheads && c->heads[c->hi].part == part) open_part(c, part, &c->heads[c->hi++]);
        else open_part(c, part, NULL);
    }
    const char *u = c->k->unit;
    c->rows++;
    c->rep->rows++;
    if (seq > c->expect) {
        breach(c, c->expect, "chain_gap", "第 %lld %s缺失（链中断）", (long long)c->expect, u);
    } else if (seq < c->expect) {
        breach(c, seq, "chain_broken", "第 %lld %s重复或次序错乱", (long long)seq, u);
    } else if (!prev_hash || strcmp(prev_hash, c->prev) != 0) {
        breach(c, seq, "chain_broken", "第 %lld %s的前序摘要不符（之前的记录被改动、删除或调换）", (long long)seq, u);
    }
    /* Which link the row must have: plain below keyed_from, keyed from it
     * on; a head that lost keyed_from (reported as unsealed) takes either. */
    int64_t kf = c->has_head ? c->head.keyed_from : 0;
    char plain[65], keyed[65];
    chain_link(NULL, part, body, len, plain);
    int ok;
    if (kf > 0 && seq < kf) {
        ok = stored && strcmp(plain, stored) == 0;
    } else if (!c->key) {
        ok = 1; /* cannot tell without the key */
        if (!(kf <= 0 && stored && strcmp(plain, stored) == 0)) c->rep->unverified++;
    } else {
        chain_link(c->key, part, body, len, keyed);
        ok = stored && (strcmp(keyed, stored) == 0 || (kf <= 0 && strcmp(plain, stored) == 0));
        if (!ok && stored && strcmp(plain, stored) == 0) {
            breach(c, seq, "hash_forged",
                   "第 %lld %s的摘要是伪造的：应带密钥，却是不带密钥的 SHA-256（没有密钥文件的人改写了记录并重算了摘要）",
                   (long long)seq, u);
            ok = -1;
        }
    }
    if (!ok) breach(c, seq, "row_altered", "第 %lld %s的内容与摘要不符（记录被改动）", (long long)seq, u);
    /* checkpoint entries of this partition up to this row */
    for (const chain_target *t; (t = target_at(c, c->tcur)) && t->part == part && t->seq <= seq; c->tcur++) {
        if (t->seq <= 0) continue;
        if (t->seq < seq)
            breach(c, t->seq, "checkpoint_missing_rows", "检查点（%s，文件第 %d 行）记下的第 %lld %s已不存在",
                   t->ts, t->line, (long long)t->seq, u);
        else if (!stored || strcmp(t->hash, stored) != 0)
            breach(c, seq, "checkpoint_mismatch",
                   "第 %lld %s的摘要与检查点（%s，文件第 %d 行）不符：这条记录或它之前的历史被改写过", (long long)seq, u,
                   t->ts, t->line);
    }
    /* Carry on from what is stored: every later row is still checked, and
     * one altered row is reported once, not as a broken tail. */
    c->expect = seq + 1;
    snprintf(c->prev, sizeof c->prev, "%s", stored ? stored : plain);
}

/* "江苏省总工会" for a province partition, a fixed name for partition 0. */
static void part_name(store_conn *db, int64_t part, char *out, size_t n)
{
    if (part == 0) {
        snprintf(out, n, "全国及无所属组织");
        return;
    }
    out[0] = '\0';
    store_res r;
    if (store_query(db, &r, "SELECT name FROM orgs WHERE id = $1", SV_ARGS(SV_I(part)), NULL) == 0) {
        if (store_next(&r, NULL) > 0) snprintf(out, n, "%s", store_text(&r, 0));
        store_done(&r);
    }
    if (!out[0]) snprintf(out, n, "组织 %lld 已不存在", (long long)part);
}

int chain_check_end(store_conn *db, chain_check *c, gh_err *e)
{
    advance_to(c, 0, 1);
    c->rep->targets = c->targets ? c->targets->n : 0;
    chain_root(c->heads, c->nheads, c->rep->root);
    free(c->heads);
    c->heads = NULL;
    int rc = 0;
    size_t i;
    json_t *p;
    json_array_foreach(c->rep->parts, i, p) {
        int64_t part = json_integer_value(json_object_get(p, "partition"));
        char name[160];
        part_name(db, part, name, sizeof name);
        json_object_set_new(p, "name", json_string(name));
        const char *problem = json_string_value(json_object_get(p, "problem"));
        if (!problem) continue;
        char full[512];
        snprintf(full, sizeof full, "%s分区 %lld（%s）%s", c->k->label, (long long)part, name, problem);
        json_object_set_new(p, "problem", json_string(full));
        size_t j;
        json_t *q;
        json_array_foreach(json_object_get(p, "problems"), j, q) {
            snprintf(full, sizeof full, "%s分区 %lld（%s）%s", c->k->label, (long long)part, name,
                     json_string_value(json_object_get(q, "problem")));
            json_object_set_new(q, "problem", json_string(full));
        }
        problem = json_string_value(json_object_get(p, "problem"));
        if (rc == 0) {
            rc = err_set(e, ERR_CONFLICT, json_string_value(json_object_get(p, "code")), NULL, "%s%s", problem,
                         c->rep->broken > 1 ? "；另有分区也有问题" : "");
        }
    }
    return rc;
}

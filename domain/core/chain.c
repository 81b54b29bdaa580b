/* chain.c — partitioned hash chains; see chain.h. */
#include "domain/core/chain.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/crypto.h"

/* The SQL of each kind is spelled out whole (not pasted together at run
 * time) so every statement stays one prepared statement per connection. */
typedef struct chain_sql {
    const char *next, *set_head, *lock, *heads;
} chain_sql;

static const chain_sql audit_sql = {
    "INSERT INTO audit_heads (part, seq, hash) VALUES ($1, 1, '" CHAIN_ZERO "')"
    " ON CONFLICT (part) DO UPDATE SET seq = audit_heads.seq + 1 RETURNING seq, hash",
    "UPDATE audit_heads SET hash = $2 WHERE part = $1",
    "INSERT INTO audit_heads (part, seq, hash) VALUES ($1, 0, '" CHAIN_ZERO "')"
    " ON CONFLICT (part) DO UPDATE SET seq = audit_heads.seq",
    "SELECT part, seq, hash FROM audit_heads ORDER BY part",
};

static const chain_sql ledger_sql = {
    "INSERT INTO ledger_heads (part, seq, hash) VALUES ($1, 1, '" CHAIN_ZERO "')"
    " ON CONFLICT (part) DO UPDATE SET seq = ledger_heads.seq + 1 RETURNING seq, hash",
    "UPDATE ledger_heads SET hash = $2 WHERE part = $1",
    "INSERT INTO ledger_heads (part, seq, hash) VALUES ($1, 0, '" CHAIN_ZERO "')"
    " ON CONFLICT (part) DO UPDATE SET seq = ledger_heads.seq",
    "SELECT part, seq, hash FROM ledger_heads ORDER BY part",
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

int chain_next(store_conn *db, const chain_kind *k, int64_t part, int64_t *seq, char prev[65], gh_err *e)
{
    store_res r;
    /* The upsert takes the head row's lock first, so writers of one
     * partition queue here (PostgreSQL re-reads the row once the lock is
     * granted); writers of other partitions do not. */
    int rc = store_query(db, &r, sql_of(k)->next, SV_ARGS(SV_I(part)), e);
    if (rc) return rc;
    if ((rc = store_next(&r, e)) > 0) {
        *seq = store_int(&r, 0);
        snprintf(prev, 65, "%s", store_text(&r, 1) ? store_text(&r, 1) : "");
        rc = 0;
    } else if (rc == 0) {
        rc = err_set(e, ERR_INTERNAL, "chain_head_missing", NULL, "%s链头记录缺失", k->label);
    }
    store_done(&r);
    return rc;
}

int chain_set_head(store_conn *db, const chain_kind *k, int64_t part, const char hash[65], gh_err *e)
{
    return store_exec(db, sql_of(k)->set_head, SV_ARGS(SV_I(part), SV_T(hash)), NULL, e);
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

void chain_link(int64_t part, const char *body, size_t len, char out[65])
{
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

/* ---- verification ---- */

void chain_report_free(chain_report *r)
{
    if (!r) return;
    json_decref(r->parts);
    r->parts = NULL;
}

int chain_check_begin(store_conn *db, const chain_kind *k, chain_check *c, chain_report *rep, gh_err *e)
{
    memset(c, 0, sizeof *c);
    memset(rep, 0, sizeof *rep);
    c->k = k;
    c->rep = rep;
    rep->parts = json_array();
    store_res r;
    int rc = store_query(db, &r, sql_of(k)->heads, SV_NONE, e);
    if (rc) return rc;
    int cap = 0;
    while ((rc = store_next(&r, e)) > 0) {
        if (c->nheads == cap) {
            cap = cap ? cap * 2 : 16;
            chain_head *nh = realloc(c->heads, (size_t)cap * sizeof *nh);
            if (!nh) {
                rc = err_set(e, ERR_NOMEM, NULL, NULL, NULL);
                break;
            }
            c->heads = nh;
        }
        chain_head *h = &c->heads[c->nheads++];
        h->part = store_int(&r, 0);
        h->seq = store_int(&r, 1);
        snprintf(h->hash, sizeof h->hash, "%s", store_text(&r, 2) ? store_text(&r, 2) : "");
    }
    store_done(&r);
    if (rc < 0) {
        free(c->heads);
        c->heads = NULL;
        return rc;
    }
    return 0;
}

/* The first breach of the open partition is kept; later ones are counted. */
static void breach(chain_check *c, int64_t seq, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void breach(chain_check *c, int64_t seq, const char *code, const char *fmt, ...)
{
    c->bad_rows++;
    if (c->code[0]) return;
    snprintf(c->code, sizeof c->code, "%s_%s", c->k->code, code);
    c->first_bad = seq;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->problem, sizeof c->problem, fmt, ap);
    va_end(ap);
}

static void close_part(chain_check *c)
{
    if (!c->open) return;
    int64_t last = c->expect - 1;
    const char *u = c->k->unit;
    if (!c->has_head) {
        breach(c, 1, "partition_unknown", "有 %lld %s记录但没有链头（记录被移入或插入）", (long long)c->rows, u);
    } else if (c->head.seq > last) {
        breach(c, last + 1, "chain_truncated", "末尾缺少 %lld %s记录", (long long)(c->head.seq - last), u);
    } else if (c->head.seq < last) {
        breach(c, c->head.seq + 1, "head_mismatch", "第 %lld %s起的记录在链头之后（链头被改动或记录被插入）",
               (long long)(c->head.seq + 1), u);
    } else if (strcmp(c->head.hash, c->prev) != 0) {
        breach(c, last, "head_mismatch", "链头摘要与第 %lld %s记录不符（链头被改动）", (long long)last, u);
    }
    json_t *o = json_pack("{s:I, s:I, s:s, s:I, s:b}", "partition", (json_int_t)c->part, "seq",
                          (json_int_t)(c->has_head ? c->head.seq : last), "head", c->has_head ? c->head.hash : "",
                          "rows", (json_int_t)c->rows, "ok", !c->code[0]);
    if (c->code[0]) {
        json_object_set_new(o, "code", json_string(c->code));
        json_object_set_new(o, "bad_seq", json_integer(c->first_bad));
        json_object_set_new(o, "bad_rows", json_integer(c->bad_rows));
        json_object_set_new(o, "problem", json_string(c->problem));
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
    c->rows = c->bad_rows = c->first_bad = 0;
    c->code[0] = c->problem[0] = '\0';
}

/* Close the open partition and every head-only partition below part. */
static void advance_to(chain_check *c, int64_t part, int last)
{
    close_part(c);
    while (c->hi < c->nheads && (last || c->heads[c->hi].part < part)) {
        open_part(c, c->heads[c->hi].part, &c->heads[c->hi]);
        c->hi++;
        close_part(c);
    }
}

void chain_check_row(chain_check *c, int64_t part, int64_t seq, const char *prev_hash, const char *computed,
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
    if (!stored || strcmp(computed, stored) != 0)
        breach(c, seq, "row_altered", "第 %lld %s的内容与摘要不符（记录被改动）", (long long)seq, u);
    /* Carry on from what is stored: every later row is still checked, and
     * one altered row is reported once, not as a broken tail. */
    c->expect = seq + 1;
    snprintf(c->prev, sizeof c->prev, "%s", stored ? stored : computed);
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
        if (rc == 0) {
            rc = err_set(e, ERR_CONFLICT, json_string_value(json_object_get(p, "code")), NULL, "%s%s", full,
                         c->rep->broken > 1 ? "；另有分区也有问题" : "");
        }
    }
    return rc;
}

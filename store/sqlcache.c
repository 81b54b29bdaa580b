/* sqlcache.c — prepared-statement table; see sqlcache.h. */
#include "store/sqlcache.h"

#include <stdlib.h>
#include <string.h>

int sqlcache_init(sqlcache *c)
{
    c->cap = 64;
    c->count = 0;
    c->slots = calloc(c->cap, sizeof *c->slots);
    return c->slots ? 0 : -1;
}

uint64_t sqlcache_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

sqlcache_entry *sqlcache_find(const sqlcache *c, const char *sql, uint64_t h)
{
    size_t j = h & (c->cap - 1);
    while (c->slots[j]) {
        sqlcache_entry *en = c->slots[j];
        if (en->hash == h && strcmp(en->sql, sql) == 0) return en;
        j = (j + 1) & (c->cap - 1);
    }
    return NULL;
}

static int grow(sqlcache *c)
{
    size_t ncap = c->cap * 2;
    sqlcache_entry **ns = calloc(ncap, sizeof *ns);
    if (!ns) return -1;
    for (size_t i = 0; i < c->cap; i++) {
        sqlcache_entry *en = c->slots[i];
        if (!en) continue;
        size_t j = en->hash & (ncap - 1);
        while (ns[j]) j = (j + 1) & (ncap - 1);
        ns[j] = en;
    }
    free(c->slots);
    c->slots = ns;
    c->cap = ncap;
    return 0;
}

int sqlcache_put(sqlcache *c, sqlcache_entry *en)
{
    if ((c->count + 1) * 2 > c->cap && grow(c) != 0) return -1;
    size_t j = en->hash & (c->cap - 1);
    while (c->slots[j]) j = (j + 1) & (c->cap - 1);
    c->slots[j] = en;
    c->count++;
    return 0;
}

void sqlcache_clear(sqlcache *c, void (*free_entry)(sqlcache_entry *))
{
    for (size_t i = 0; i < c->cap; i++) {
        if (c->slots[i]) free_entry(c->slots[i]);
        c->slots[i] = NULL;
    }
    c->count = 0;
}

void sqlcache_free(sqlcache *c, void (*free_entry)(sqlcache_entry *))
{
    if (!c->slots) return;
    sqlcache_clear(c, free_entry);
    free(c->slots);
    c->slots = NULL;
    c->cap = 0;
}

/* sqlcache.h — the per-connection table of prepared statements both
 * backends keep, keyed by SQL text. A backend's entry struct starts with a
 * sqlcache_entry; the table only stores and finds them (open addressing on
 * an FNV-1a hash, grown to stay at most half full). */
#ifndef GH_SQLCACHE_H
#define GH_SQLCACHE_H

#include <stddef.h>
#include <stdint.h>

typedef struct sqlcache_entry {
    char *sql;
    uint64_t hash;
} sqlcache_entry;

typedef struct sqlcache {
    sqlcache_entry **slots;
    size_t cap, count;
} sqlcache;

int sqlcache_init(sqlcache *c);
uint64_t sqlcache_hash(const char *sql);
/* The entry for sql (hash from sqlcache_hash), or NULL. */
sqlcache_entry *sqlcache_find(const sqlcache *c, const char *sql, uint64_t hash);
/* Add an entry (not present yet). -1 when the table cannot grow: the caller
 * then keeps the entry outside the cache. */
int sqlcache_put(sqlcache *c, sqlcache_entry *en);
/* Hand every entry to free_entry and empty the table (capacity kept). */
void sqlcache_clear(sqlcache *c, void (*free_entry)(sqlcache_entry *));
void sqlcache_free(sqlcache *c, void (*free_entry)(sqlcache_entry *));

#endif

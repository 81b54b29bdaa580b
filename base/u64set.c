/* u64set.c — a set of 64-bit keys; see u64set.h. Key 0 is stored as 1 (the
 * empty slot marker): a collision that costs nothing for hashed keys. */
#include "base/u64set.h"

#include <stdlib.h>

int u64set_add(u64set *s, uint64_t k)
{
    if (k == 0) k = 1;
    if ((s->n + 1) * 2 > s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 1024;
        uint64_t *ns = calloc(ncap, sizeof *ns);
        if (!ns) return -1;
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->slot[i]) continue;
            size_t j = s->slot[i] & (ncap - 1);
            while (ns[j]) j = (j + 1) & (ncap - 1);
            ns[j] = s->slot[i];
        }
        free(s->slot);
        s->slot = ns;
        s->cap = ncap;
    }
    size_t j = k & (s->cap - 1);
    while (s->slot[j]) {
        if (s->slot[j] == k) return 1;
        j = (j + 1) & (s->cap - 1);
    }
    s->slot[j] = k;
    s->n++;
    return 0;
}

void u64set_free(u64set *s)
{
    free(s->slot);
    s->slot = NULL;
    s->cap = s->n = 0;
}

uint64_t u64set_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    /* mix the high bits down: the set indexes by the low ones */
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 32;
    return h;
}

/* u64set.h — a set of 64-bit keys (open addressing), for spotting repeats
 * in imports of millions of rows (e.g. the low 64 bits of a keyed hash).
 * A zero-initialised struct is an empty set; free with u64set_free. */
#ifndef GH_U64SET_H
#define GH_U64SET_H

#include <stddef.h>
#include <stdint.h>

typedef struct u64set {
    uint64_t *slot;
    size_t cap, n;
} u64set;

/* 0 when added, 1 when already present, -1 when out of memory. */
int u64set_add(u64set *s, uint64_t key);
void u64set_free(u64set *s);

/* FNV-1a of a string, for string keys. */
uint64_t u64set_hash(const char *s);

#endif

/* testdb.h — a throw-away SQLite database for unit tests that need the real
 * store: a file under /tmp named after the test and the process, migrated
 * with the real migrations when asked, removed with its WAL files after.
 * Header-only (static functions): each test program includes it once. */
#ifndef GH_TESTDB_H
#define GH_TESTDB_H

#include <stdio.h>
#include <unistd.h>

#include "store/store.h"

static char testdb_path[96];

/* Open (and migrate, when migrate is 1) a fresh database; NULL on failure. */
static store *testdb_open(const char *name, int migrate)
{
    snprintf(testdb_path, sizeof testdb_path, "/tmp/gh-test-%s-%d.db", name, (int)getpid());
    unlink(testdb_path);
    char url[128];
    snprintf(url, sizeof url, "sqlite:%s", testdb_path);
    store *db = NULL;
    gh_err e;
    if (store_open(url, &db, &e) != 0 || (migrate && store_migrate(db, NULL, &e) != 0)) {
        fprintf(stderr, "testdb: %s\n", e.message);
        store_close(db);
        return NULL;
    }
    return db;
}

static void testdb_close(store *db)
{
    store_close(db);
    static const char *const suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char p[112];
        snprintf(p, sizeof p, "%s%s", testdb_path, suffix[i]);
        unlink(p);
    }
}

#endif

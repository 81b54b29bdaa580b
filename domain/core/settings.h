/* settings.h — installation-wide settings kept in the database. */
#ifndef GH_SETTINGS_H
#define GH_SETTINGS_H

#include "domain/core/ctx.h"

/* Compare the key file's fingerprint with the one recorded by the first
 * process that wrote to this database (recording it when there is none).
 * ERR_CONFLICT "key_mismatch" when they differ: the data was sealed and
 * hashed with other keys. */
int settings_check_keys(store_conn *db, const gh_config *cfg, gh_err *e);

/* The text of setting key (malloc'd, the caller frees), or NULL in *value
 * when it was never set. */
int settings_get(store_conn *db, const char *key, char **value, gh_err *e);

/* Set key to value (insert or replace). Joins the caller's transaction. */
int settings_put(store_conn *db, const char *key, const char *value, gh_err *e);

#endif

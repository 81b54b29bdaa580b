/* settings.h — installation-wide settings kept in the database. */
#ifndef GH_SETTINGS_H
#define GH_SETTINGS_H

#include "domain/core/ctx.h"

/* Compare the key file's fingerprint with the one recorded by the first
 * process that wrote to this database (recording it when there is none).
 * ERR_CONFLICT "key_mismatch" when they differ: the data was sealed and
 * hashed with other keys. */
int settings_check_keys(store_conn *db, const gh_config *cfg, gh_err *e);

#endif

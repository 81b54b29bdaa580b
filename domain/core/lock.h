/* lock.h — named locks held in the database, for batch runs that must not
 * run twice at once anywhere (on any server process). A lock has an owner
 * (a random token of the holder) and an expiry, renewed while the holder
 * works, so a holder killed with SIGKILL frees it after the expiry. */
#ifndef GH_LOCK_H
#define GH_LOCK_H

#include "store/store.h"

/* Take name for owner for ttl_s seconds (or renew it if owner holds it).
 * ERR_LOCKED "run_in_progress" when someone else holds it; the message says
 * since when. Commits on its own outside a transaction. */
int lock_acquire(store_conn *db, const char *name, const char *owner, int ttl_s, gh_err *e);
/* Take name over whatever its state: for an operator who knows the holder
 * is dead (killed, crashed) and will not wait for the expiry. */
int lock_take_over(store_conn *db, const char *name, const char *owner, int ttl_s, gh_err *e);

/* Give it up (only its owner can). */
int lock_release(store_conn *db, const char *name, const char *owner, gh_err *e);

#endif

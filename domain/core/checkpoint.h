/* checkpoint.h — signed checkpoints of the audit and ledger chains.
 *
 * A checkpoint pins every partition of both chains at one moment: for each
 * partition its sequence number, head hash and keyed_from, and the root over
 * them, signed with Ed25519 (a key pair derived from the key file; the
 * auditor needs only the public key, `gonghui checkpoint --public-key`). It
 * is one JSON line appended to a file outside the database (default
 * checkpoints.jsonl beside the key file, i.e. var/checkpoints.jsonl),
 * opened O_APPEND, so copies kept by the auditor can be compared with the
 * database later: `audit verify --checkpoints FILE` and `ledger check
 * --checkpoints FILE` refuse a chain that is shorter than, rolled back
 * from, or differs from any checkpoint, and report a line whose signature
 * does not hold.
 *
 * The line:
 *   {"v":1,"ts":"…Z","key":"<public key, hex>",
 *    "audit":{"root":"…","parts":[[partition,seq,"hash",keyed_from],…]},
 *    "ledger":{…},"sig":"<Ed25519 signature, hex>"}
 * The signature covers the text checkpoint_signed_text builds from those
 * fields (one line per entry), not the JSON's spelling.
 *
 * The server writes one every --checkpoint-interval seconds when either
 * chain has moved (a background thread: idle periods add no lines, and no
 * request waits for the signature or the file), one at start and one at a
 * clean stop; `gonghui checkpoint` and POST /api/v1/audit/checkpoints
 * (admins, auditors) write one on demand. */
#ifndef GH_CHECKPOINT_H
#define GH_CHECKPOINT_H

#include <jansson.h>

#include "domain/core/chain.h"
#include "domain/core/ctx.h"

/* Take a checkpoint of both chains in one read snapshot and sign it. Each
 * head is checked first (its MAC, and its last row's hash): a head that
 * fails is not signed (ERR_CONFLICT "checkpoint_refused", naming it), so a
 * checkpoint never vouches for a forged head. *line: the JSON line without
 * the newline (malloc'd); *cp (may be NULL): the same as an object. */
int checkpoint_make(store_conn *db, const gh_config *cfg, char **line, json_t **cp, gh_err *e);

/* Append line and a newline to path in one write (O_APPEND, an exclusive
 * flock, fsync), creating it with mode 0640. */
int checkpoint_append(const char *path, const char *line, gh_err *e);

/* The public key as 64 hex digits. */
void checkpoint_public_hex(const gh_config *cfg, char out[65]);
/* Parse 64 hex digits. */
int checkpoint_parse_public(const char *hex, unsigned char pk[32], gh_err *e);

/* On demand through the API (admins and auditors): take one, append it to
 * the server's checkpoint file, record it in the audit log. *out =
 * {checkpoint, file, public_key}. */
int checkpoint_create(gh_ctx *x, json_t **out, gh_err *e);
/* {public_key, algorithm} for admins and auditors. */
int checkpoint_public_key(gh_ctx *x, json_t **out, gh_err *e);

/* Read a checkpoint file for verification: every line's signature is
 * checked with pk; the partitions of each valid line go to audit and
 * ledger (either may be NULL), sorted. *lines counts the lines, *valid the
 * valid ones; problems (an array) gets {line, code, problem} for each line
 * that is not a valid checkpoint (checkpoint_bad_signature,
 * checkpoint_malformed, checkpoint_other_key). ERR_NOT_FOUND when the file
 * cannot be read. */
int checkpoint_load(const char *path, const unsigned char pk[32], chain_targets *audit, chain_targets *ledger,
                    int *lines, int *valid, json_t *problems, gh_err *e);

/* The background writer of serve: a checkpoint at start, then every
 * interval_s seconds when a chain moved, and one at checkpoint_stop.
 * interval_s 0: only at start and stop. */
int checkpoint_start(store *s, const gh_config *cfg, int interval_s, gh_err *e);
void checkpoint_stop(void);

#endif

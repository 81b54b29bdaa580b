/* ledger.h — the double-entry ledger (复式记账) shared by every capability
 * that moves money: union fees and their split, refunds, recuperation
 * subsidies, vouchers, aid, mutual-aid claims, loans.
 *
 * Rules (see store/migrations/0005_ledger.sql for the tables):
 *   - money is int64 fen; a transfer moves amount_fen > 0 from its credit
 *     account to its debit account; balances are sums of transfers;
 *   - transfers are never changed or deleted; ledger_reverse posts the
 *     mirror image, at most once per transfer;
 *   - every transfer has a caller-chosen idempotency key: posting the same
 *     key with the same content again returns the first transfer, with
 *     different content it is refused (idempotency_mismatch);
 *   - several transfers posted together (one batch) go in all or none,
 *     inside the caller's transaction when there is one;
 *   - a pending transfer holds money until it is posted (up to the held
 *     amount) or voided, once;
 *   - each transfer's hash covers its content and the previous hash of its
 *     partition: the province of its debit account's org (chain.h), so
 *     postings in different provinces do not queue on one head row.
 * Posting is an internal service of the domain modules: they decide who may
 * cause a transfer; manual reversals need the finance duty. */
#ifndef GH_LEDGER_H
#define GH_LEDGER_H

#include <jansson.h>

#include "domain/core/chain.h"
#include "domain/core/ctx.h"

/* The chart of accounts: codes every org may have, created on first use.
 * code is the internal key (in the API and the data, never on screen);
 * chart_code and chart_name place the account in the 工会会计制度 chart of
 * accounts that union accountants use: the system's first-level subject
 * (102 银行存款, 402 拨缴经费收入, 50204 困难职工帮扶费 …), or a detail
 * subject under one (five digits), as provincial unions may add. */
typedef struct ledger_chart_entry {
    const char *code, *name, *kind, *normal_side;
    const char *chart_code, *chart_name;
} ledger_chart_entry;
/* The chart entry of an internal code, or NULL. */
const ledger_chart_entry *ledger_chart_find(const char *code);
extern const ledger_chart_entry ledger_chart[];

/* The account with code in org_id's books, created from the chart if it
 * does not exist yet. ERR_INVALID for a code outside the chart. */
int ledger_account(store_conn *db, int64_t org_id, const char *code, int64_t *account_id, gh_err *e);

typedef struct ledger_leg {
    int64_t debit_account, credit_account;
    int64_t amount_fen;
    const char *idem_key;  /* unique; required */
    const char *ref_type;  /* the business record: "fee_payment", "refund_line", … */
    int64_t ref_id;
    const char *memo;      /* may be NULL */
    int pending;           /* 1: hold the amount (two-phase) */
    const char *value_date; /* business date YYYY-MM-DD (China); NULL = today */
} ledger_leg;

/* Post legs as one batch. ids (may be NULL) receives each transfer's id; a
 * leg whose idempotency key was posted before with the same content yields
 * the earlier id. *replayed (may be NULL) counts such legs. */
int ledger_post(gh_ctx *x, const char *batch_key, const ledger_leg *legs, int n, int64_t *ids, int *replayed,
                gh_err *e);

/* Resolve a pending transfer: post amount_fen (0 < amount <= held) or void
 * it. Refused when it is not pending or already resolved. */
int ledger_post_pending(gh_ctx *x, int64_t pending_id, int64_t amount_fen, const char *idem_key, int64_t *id,
                        gh_err *e);
int ledger_void_pending(gh_ctx *x, int64_t pending_id, const char *idem_key, int64_t *id, gh_err *e);

/* Reverse a posted transfer: the same amount, debit and credit swapped,
 * naming the original. At most once per transfer. */
int ledger_reverse(gh_ctx *x, int64_t transfer_id, const char *idem_key, const char *memo, int64_t *id, gh_err *e);

/* A manual entry (手工记账) through the API: body {debit_account_id,
 * credit_account_id, amount_fen, memo, value_date?, client_key?} — finance
 * duty, both accounts' orgs in scope; ref_type "manual"; client_key makes a
 * retried request safe (same key, same entry). */
int ledger_manual_post(gh_ctx *x, const json_t *body, json_t **out, gh_err *e);

/* Manual reversal through the API (finance duty, transfer in scope; only
 * manual entries — business postings are corrected by their process). */
int ledger_reverse_api(gh_ctx *x, int64_t transfer_id, const char *reason, json_t **out, gh_err *e);

/* Balance of an account: posted debits and credits and pending holds. */
typedef struct ledger_balance {
    int64_t debit_fen, credit_fen, pending_debit_fen, pending_credit_fen;
} ledger_balance;
int ledger_get_balance(store_conn *db, int64_t account_id, ledger_balance *b, gh_err *e);

/* Every invariant: cached balances equal the transfers; total debits equal
 * total credits; reversals mirror what they reverse; pending resolutions
 * are valid; references point at existing records; the hash chain of
 * every partition is intact (hash_chain names each broken partition) and
 * the root over the partition heads (chain_root: root, partitions). All in
 * one read snapshot. key: the chain key (NULL: check the chain without it,
 * see chain_check); targets (may be NULL): the ledger entries of signed
 * checkpoints, which the chain must still hold. *report lists each check
 * with its result; returns ERR_CONFLICT "ledger_breach" when any fails. */
int ledger_check(store_conn *db, const unsigned char *key, const chain_targets *targets, json_t **report, gh_err *e);
/* ledger_check for an actor: admins and auditors only. *out is
 * {"ok": bool, "checks": report}; a failed check is not an error here. */
int ledger_check_run(gh_ctx *x, json_t **out, gh_err *e);

/* Lists and reports (staff with the finance duty, or auditors, in scope). */
typedef struct ledger_query {
    int64_t org_id;      /* subtree of (0: own scope) */
    int64_t account_id;
    const char *ref_type;
    int64_t ref_id;
    const char *from, *to; /* value dates */
    int page, per_page;
} ledger_query;
int ledger_accounts_list(gh_ctx *x, const ledger_query *q, json_t **out, gh_err *e);
int ledger_transfers_list(gh_ctx *x, const ledger_query *q, json_t **out, gh_err *e);
int ledger_transfer_get(gh_ctx *x, int64_t id, json_t **out, gh_err *e);

/* Trial balance (试算平衡表) of the accounts of org's subtree for the value
 * dates from..to: per account the opening balance, debits and credits in the
 * period and the closing balance, plus totals (debits = credits). */
int ledger_trial_balance(gh_ctx *x, int64_t org_id, const char *from, const char *to, json_t **out, gh_err *e);

/* The same as an .xlsx workbook; *data (malloc'd) and *len for download. */
int ledger_trial_balance_xlsx(gh_ctx *x, int64_t org_id, const char *from, const char *to, char **data,
                              size_t *len, gh_err *e);

#endif

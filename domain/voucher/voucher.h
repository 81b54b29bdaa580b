/* voucher.h — consumption vouchers (消费券) won in a lottery, and their
 * redemption at providers, exactly once.
 *
 * Codes: 23 symbols drawn uniformly from Crockford's base-32 alphabet
 * (0-9 A-Z without I L O U: 115 bits from crypto_random) and a check symbol
 * (Luhn mod 32, catching every single mistyped symbol and most swaps of
 * neighbours), shown as six groups of four ("7K3M-9QXR-…") and as a QR code.
 * Typed codes are forgiving: case, spaces, hyphens, O for 0 and I/L for 1.
 * The database keeps a code sealed (so the member can see it again) and as a
 * keyed hash (to find it at redemption); a copy of the database alone
 * redeems nothing.
 *
 * Redemption by a provider account (users.provider_id, provider admitted):
 * the voucher must exist, be usable at that provider, be inside its validity
 * period and still issued. One conditional UPDATE (… WHERE status =
 * 'issued') moves it to redeemed, so two tills scanning the same code at the
 * same moment redeem it once; the union's subsidy (the face value) is posted
 * to the ledger in the same transaction: debit 消费券补助支出, credit
 * 应付服务机构款 of the offering org, ref_type "voucher".
 *
 * Status: issued → redeemed; issued → forfeited (the winner declined, or an
 * officer withdrew it with a reason); issued → void (the draw was
 * corrected). An issued voucher past valid_to is reported as expired. */
#ifndef GH_VOUCHER_H
#define GH_VOUCHER_H

#include <jansson.h>
#include <stddef.h>

#include "base/jsonv.h"
#include "domain/core/ctx.h"

#define VOUCHER_CODE_LEN 24      /* symbols, check symbol included */
#define VOUCHER_CODE_SHOWN 30    /* with hyphens, NUL included */

/* A fresh random code (VOUCHER_CODE_LEN symbols + NUL). */
void voucher_code_new(char out[VOUCHER_CODE_LEN + 1]);
/* Normalise a typed or scanned code and check its check symbol.
 * ERR_INVALID "invalid_voucher_code". */
int voucher_code_parse(const char *typed, char out[VOUCHER_CODE_LEN + 1], gh_err *e);
/* "XXXX-XXXX-XXXX-XXXX-XXXX-XXXX". */
void voucher_code_format(const char *code, char out[VOUCHER_CODE_SHOWN]);

/* Issue a voucher for a pick (inside the caller's transaction; no checks). */
typedef struct voucher_new {
    int64_t campaign_id, org_id, member_id, entry_id, pick_id, face_value_fen;
    const char *valid_from, *valid_to;
} voucher_new;
int voucher_issue(gh_ctx *x, const voucher_new *v, int64_t *id, gh_err *e);

/* The logged-in member's vouchers, with their codes. */
int voucher_mine(gh_ctx *x, json_t **out, gh_err *e);
/* The QR code of one of the member's vouchers as an SVG image. */
int voucher_qr_svg(gh_ctx *x, int64_t id, char **svg, size_t *len, gh_err *e);
/* The member gives up an unused voucher (it may go to a second round). */
int voucher_decline(gh_ctx *x, int64_t id, json_t **out, gh_err *e);
/* An officer withdraws an unused voucher, with a reason. */
int voucher_forfeit(gh_ctx *x, int64_t id, const char *reason, json_t **out, gh_err *e);

/* A provider checks a code before redeeming: the voucher (face value,
 * validity, masked holder) when it can be redeemed here now; otherwise the
 * same error redemption would give. */
int voucher_lookup(gh_ctx *x, const char *code, json_t **out, gh_err *e);
/* A provider redeems a code. */
int voucher_redeem(gh_ctx *x, const char *code, json_t **out, gh_err *e);
/* The provider's own redemptions, newest first. */
int voucher_redemptions(gh_ctx *x, int page, int per_page, json_t **out, gh_err *e);

/* Vouchers of a campaign for officers (managers, finance, auditors in
 * scope); status: issued, redeemed, forfeited, void, expired (issued and
 * past valid_to), or NULL for all. Codes are never listed, only their last
 * four symbols. */
int voucher_list(gh_ctx *x, int64_t campaign_id, const char *status, int page, int per_page, json_t **out,
                 gh_err *e);

/* Status shown for a voucher row: expired for issued ones past valid_to. */
const char *voucher_shown_status(const char *status, const char *valid_to, const char *today);

/* The body of a look-up or a redemption: {code}. */
extern const jv_field voucher_code_fields[];

#endif

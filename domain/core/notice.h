/* notice.h — the message centre (消息中心): in-app notices for members and
 * for officers, with unread counts, and the hook for text messages.
 *
 * A notice goes to one member, or to the officers of one org who hold a
 * duty (0: any officer of that org). Each reader marks it read for
 * themself. Business code sends notices inside its own transaction, so a
 * decision and its notice are written together or not at all; the same
 * event (kind, ref_type, ref_id, recipient) is noticed once, however often
 * it is retried. A notice with sms set is also queued, sealed, in
 * sms_outbox for an SMS gateway to deliver (docs/operations.md). */
#ifndef GH_NOTICE_H
#define GH_NOTICE_H

#include <jansson.h>

#include "domain/core/ctx.h"

typedef struct notice_msg {
    int64_t member_id;    /* to a member, or */
    int64_t org_id;       /* to the officers of an org */
    unsigned duty;        /* who among them (0: any officer) */
    const char *kind;     /* "booking_confirmed", "voucher_won", "aid_decided" … */
    const char *title;    /* "疗休养预订已确认" */
    const char *body;     /* one or two sentences, no personal data beyond the recipient's own */
    const char *link;     /* where the page is: "/m/retreat.html", "#/refunds/12" */
    const char *ref_type; /* the business record */
    int64_t ref_id;
    int sms;              /* also send a text message (members with a mobile) */
} notice_msg;

/* Record a notice (in the caller's transaction when there is one). */
int notice_send(store_conn *db, const gh_config *cfg, const notice_msg *m, gh_err *e);

/* Queue a text message to a member without a notice in the message centre
 * (a one-time code must not stay readable there): sealed in sms_outbox like
 * the others. With GONGHUI_SMS_ECHO=1 in the server's environment, every
 * queued text is also written to the log (a development aid only; see
 * docs/operations.md). */
int notice_sms(store_conn *db, const gh_config *cfg, int64_t member_id, const char *text, gh_err *e);

/* The actor's notices, newest first: {"items": [...], "total", "unread"}. */
typedef struct notice_query {
    int unread; /* 1: unread only */
    int page, per_page;
} notice_query;
int notice_list(gh_ctx *x, const notice_query *q, json_t **out, gh_err *e);
/* {"unread": N} — cheap, for the badge on every page. */
int notice_unread(gh_ctx *x, json_t **out, gh_err *e);
/* Mark one notice read (404 when it is not the actor's), or all. */
int notice_read(gh_ctx *x, int64_t id, json_t **out, gh_err *e);
int notice_read_all(gh_ctx *x, json_t **out, gh_err *e);

#endif

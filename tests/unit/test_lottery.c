/* test_lottery.c — unit tests for who may enter a voucher lottery and when
 * (domain/lottery; lottery.c is included to reach its statics): an active
 * member of the eligible union or any union below it, frontline workers
 * only when the campaign says so, checked in that order; the phase a
 * campaign is in by the clock (upcoming, signup, closed, or its stored
 * status) and the refusal each phase gives an entry; and only members enter
 * (refused before the database is touched: no connection is given). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/lottery/lottery.c"

#define OPENS "2026-05-01T00:00:00.000Z"
#define CLOSES "2026-05-20T10:00:00.000Z"

static campaign a_campaign(const char *elig_path, int frontline_only)
{
    campaign c;
    memset(&c, 0, sizeof c);
    c.id = 7;
    snprintf(c.status, sizeof c.status, "open");
    snprintf(c.opens, sizeof c.opens, OPENS);
    snprintf(c.closes, sizeof c.closes, CLOSES);
    snprintf(c.elig_path, sizeof c.elig_path, "%s", elig_path);
    snprintf(c.elig_name, sizeof c.elig_name, "南京市总工会");
    c.frontline_only = frontline_only;
    return c;
}

static member_info a_member(const char *path, int active, int frontline)
{
    member_info m;
    memset(&m, 0, sizeof m);
    m.id = 42;
    m.active = active;
    m.frontline = frontline;
    snprintf(m.path, sizeof m.path, "%s", path);
    return m;
}

/* eligible() for one member: 0, or the code of the refusal. */
static const char *refusal(const campaign *c, member_info m)
{
    static gh_err e;
    err_clear(&e);
    int rc = eligible(c, &m, &e);
    if (rc == 0) return "";
    assert_int_equal(rc, ERR_FORBIDDEN);
    return e.code;
}

static void test_eligible(void **state)
{
    (void)state;
    campaign nj = a_campaign("/1/2/", 0);
    assert_string_equal(refusal(&nj, a_member("/1/2/", 1, 0)), "");        /* the union itself */
    assert_string_equal(refusal(&nj, a_member("/1/2/30/400/", 1, 0)), ""); /* any union below */
    assert_string_equal(refusal(&nj, a_member("/1/3/", 1, 1)), "not_eligible");
    assert_string_equal(refusal(&nj, a_member("/1/", 1, 1)), "not_eligible");      /* the level above */
    assert_string_equal(refusal(&nj, a_member("/1/23/", 1, 1)), "not_eligible");   /* /1/2 is no prefix of /1/23/ */
    gh_err e;
    member_info out = a_member("/1/3/", 1, 1);
    eligible(&nj, &out, &e);
    assert_non_null(strstr(e.message, "南京市总工会"));
    /* only members in good standing */
    assert_string_equal(refusal(&nj, a_member("/1/2/", 0, 1)), "member_not_active");
    assert_string_equal(refusal(&nj, a_member("/1/3/", 0, 1)), "member_not_active"); /* checked first */

    campaign front = a_campaign("/1/2/", 1);
    assert_string_equal(refusal(&front, a_member("/1/2/30/", 1, 1)), "");
    assert_string_equal(refusal(&front, a_member("/1/2/30/", 1, 0)), "frontline_only");
    assert_string_equal(refusal(&front, a_member("/1/3/", 1, 0)), "not_eligible"); /* scope before frontline */
    assert_string_equal(refusal(&front, a_member("/1/2/", 0, 0)), "member_not_active");
}

static void test_phases(void **state)
{
    (void)state;
    assert_string_equal(phase_of("open", OPENS, CLOSES, "2026-04-30T23:59:59.999Z"), "upcoming");
    assert_string_equal(phase_of("open", OPENS, CLOSES, OPENS), "signup"); /* opens at its first instant */
    assert_string_equal(phase_of("open", OPENS, CLOSES, "2026-05-20T09:59:59.999Z"), "signup");
    assert_string_equal(phase_of("open", OPENS, CLOSES, CLOSES), "closed"); /* closes at its last */
    /* once frozen, drawn or cancelled the stored status is the phase, whatever the clock */
    assert_string_equal(phase_of("frozen", OPENS, CLOSES, "2026-05-02T00:00:00.000Z"), "frozen");
    assert_string_equal(phase_of("drawn", OPENS, CLOSES, "2026-04-01T00:00:00.000Z"), "drawn");
    assert_string_equal(phase_of("cancelled", OPENS, CLOSES, "2026-05-02T00:00:00.000Z"), "cancelled");
}

static const char *signup_refusal(const char *status, const char *now, gh_err *e)
{
    campaign c = a_campaign("/1/", 0);
    snprintf(c.status, sizeof c.status, "%s", status);
    err_clear(e);
    int rc = signup_open(&c, now, e);
    if (rc == 0) return "";
    assert_int_equal(rc, ERR_CONFLICT);
    return e->code;
}

static void test_signup_window(void **state)
{
    (void)state;
    gh_err e;
    assert_string_equal(signup_refusal("open", "2026-05-10T08:00:00.000Z", &e), "");
    assert_string_equal(signup_refusal("open", "2026-04-10T08:00:00.000Z", &e), "signup_not_open");
    assert_non_null(strstr(e.message, "2026-05-01")); /* says when it opens */
    assert_string_equal(signup_refusal("open", "2026-05-21T08:00:00.000Z", &e), "signup_closed");
    assert_string_equal(signup_refusal("frozen", "2026-05-10T08:00:00.000Z", &e), "signup_closed");
    assert_string_equal(signup_refusal("drawn", "2026-05-10T08:00:00.000Z", &e), "signup_closed");
    assert_string_equal(signup_refusal("cancelled", "2026-05-10T08:00:00.000Z", &e), "campaign_cancelled");
}

static void test_only_members_enter(void **state)
{
    (void)state;
    gh_config cfg = {0};
    gh_actor officer = {.role = ROLE_OFFICER, .user_id = 5, .org_id = 1, .duties = DUTY_RETREAT};
    gh_actor unlinked = {.role = ROLE_MEMBER, .user_id = 6};
    gh_actor *who[] = {&officer, &unlinked};
    for (int i = 0; i < 2; i++) {
        gh_ctx x = {NULL, who[i], &cfg};
        json_t *out = NULL;
        gh_err e;
        err_clear(&e);
        assert_int_equal(lottery_enter(&x, 7, &out, &e), ERR_FORBIDDEN);
        assert_string_equal(e.code, "not_member");
        assert_null(out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eligible),
        cmocka_unit_test(test_phases),
        cmocka_unit_test(test_signup_window),
        cmocka_unit_test(test_only_members_enter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_module.c — the module descriptors and the list kit: no two modules
 * claim a duty bit, policy kind or reference type; the duties, kinds and
 * reference types the platform had before the descriptors are all still
 * declared; the console menu follows role and duty; a column table gives the
 * SELECT list and the JSON row; a filter table checks its choices before it
 * adds any condition. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/unit/testdb.h"

#include "base/buf.h"
#include "base/xlsxread.h"
#include "domain/core/list.h"
#include "domain/core/module.h"

static void test_descriptors_do_not_clash(void **s)
{
    (void)s;
    gh_err e;
    err_clear(&e);
    assert_int_equal(module_check(&e), 0);
    /* every module has a name that is its folder's word, once */
    for (const gh_module *const *m = gh_modules; *m; m++)
        for (const gh_module *const *o = m + 1; *o; o++) assert_string_not_equal((*m)->name, (*o)->name);
}

static void test_duties_keep_their_bits(void **s)
{
    (void)s;
    /* bits are stored in users.duties: they must never move */
    static const struct {
        const char *name;
        unsigned bit;
    } want[] = {{"membership", 1u << 0}, {"hardship", 1u << 1}, {"finance", 1u << 2}, {"retreat", 1u << 3},
                {"employment", 1u << 4}, {"rights", 1u << 5}, {"org", 1u << 6}};
    unsigned all = 0;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_int_equal(module_duty_bit(want[i].name), want[i].bit);
        all |= want[i].bit;
    }
    assert_int_equal(module_all_duties(), all);
    assert_int_equal(module_duty_bit("nonsense"), 0);
    const char *const *names = module_duty_names();
    assert_string_equal(names[0], "membership");
    assert_string_equal(names[6], "org");
    assert_null(names[7]);
}

static void test_kinds_and_references(void **s)
{
    (void)s;
    static const char *const kinds[] = {"fee_split", "refund", "retreat_booking", "hardship_standard", "aid_rules",
                                        "mutual_aid_benefit"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        const gh_policy_kind *k = module_policy_kind(kinds[i]);
        assert_non_null(k);
        assert_non_null(k->validate);
        assert_non_null(module_duty(k->duty));
    }
    assert_null(module_policy_kind("no_such_kind"));
    const gh_ref_type *t = module_ref_type("refund_line");
    assert_non_null(t);
    assert_string_equal(t->table, "refund_lines");
    assert_non_null(module_ref_type("manual"));
    assert_null(module_ref_type("manual")->table);
    assert_null(module_ref_type("nothing"));
}

static int menu_has(json_t *menu, const char *path)
{
    size_t i;
    json_t *it;
    json_array_foreach(menu, i, it) if (strcmp(json_string_value(json_object_get(it, "path")), path) == 0) return 1;
    return 0;
}

static void test_menu_follows_role_and_duty(void **s)
{
    (void)s;
    gh_actor hardship = {.role = ROLE_OFFICER, .duties = DUTY_HARDSHIP};
    json_t *m = module_menu(&hardship);
    assert_true(menu_has(m, "/hardship"));
    assert_true(menu_has(m, "/members")); /* any officer */
    assert_false(menu_has(m, "/ledger")); /* finance only */
    assert_false(menu_has(m, "/audit"));  /* auditors and admins */
    assert_false(menu_has(m, "/redeem")); /* providers */
    /* ordered as declared */
    int64_t last = -1;
    size_t i;
    json_t *it;
    json_array_foreach(m, i, it) {
        const char *p = json_string_value(json_object_get(it, "path"));
        int64_t pos = strcmp(p, "/home") == 0 ? 0 : strcmp(p, "/members") == 0 ? 1 : strcmp(p, "/hardship") == 0 ? 2 : -1;
        if (pos >= 0) {
            assert_true(pos > last);
            last = pos;
        }
    }
    json_decref(m);

    gh_actor auditor = {.role = ROLE_AUDITOR};
    m = module_menu(&auditor);
    assert_true(menu_has(m, "/audit"));
    assert_true(menu_has(m, "/ledger"));
    assert_false(menu_has(m, "/hardship"));
    json_decref(m);

    gh_actor provider = {.role = ROLE_PROVIDER};
    m = module_menu(&provider);
    assert_true(menu_has(m, "/redeem"));
    assert_true(menu_has(m, "/desk"));
    assert_false(menu_has(m, "/members"));
    json_decref(m);

    gh_actor member = {.role = ROLE_MEMBER};
    m = module_menu(&member);
    assert_int_equal(json_array_size(m), 0);
    json_decref(m);
}

/* The entries an officer's role has but their duty does not: locked, with
 * the duty in words, and never also in the menu. */
static void test_menu_locked_names_the_duty(void **s)
{
    (void)s;
    gh_actor hardship = {.role = ROLE_OFFICER, .duties = DUTY_HARDSHIP};
    json_t *menu = module_menu(&hardship), *locked = module_menu_locked(&hardship);
    assert_true(menu_has(locked, "/ledger"));
    assert_true(menu_has(locked, "/retreat/settings"));
    assert_false(menu_has(locked, "/hardship"));
    assert_false(menu_has(locked, "/audit")); /* not an officer's page at all */
    assert_false(menu_has(locked, "/redeem"));
    assert_false(menu_has(menu, "/retreat/settings")); /* the retreat duty's pages */
    assert_false(menu_has(menu, "/join-requests"));    /* the membership duty's */
    size_t i;
    json_t *it;
    json_array_foreach(locked, i, it) {
        const char *p = json_string_value(json_object_get(it, "path"));
        assert_false(menu_has(menu, p));
        if (strcmp(p, "/ledger") == 0) assert_string_equal(json_string_value(json_object_get(it, "duty_label")), "经费财务");
        if (strcmp(p, "/lottery") == 0)
            assert_string_equal(json_string_value(json_object_get(it, "duty_label")), "经费财务或疗休养");
    }
    json_decref(menu);
    json_decref(locked);

    gh_actor auditor = {.role = ROLE_AUDITOR};
    locked = module_menu_locked(&auditor);
    assert_int_equal(json_array_size(locked), 0);
    json_decref(locked);
}

static const list_col cols[] = {
    {"id", "t.id", COL_INT},
    {"name", "t.name", COL_STR},
    {"n", "t.n", COL_INT_NULL},
    {"flag", "t.n > 1", COL_BOOL},
    {0},
};

typedef struct tq {
    const char *name, *kind;
    int64_t id;
    int flag;
} tq;

static const char *const kinds[] = {"a", "b", NULL};
static const list_filter filters[] = {
    {FILTER_LIKE, offsetof(tq, name), "t.name LIKE ? ESCAPE '\\'", "q", "名称"},
    {FILTER_CHOICE, offsetof(tq, kind), "t.kind = ?", "kind", "类别", kinds},
    {FILTER_ID, offsetof(tq, id), "t.id = ?", "id", "编号"},
    {FILTER_FLAG, offsetof(tq, flag), "t.n > 1 = ?", "flag", "标记"},
    {0},
};

static int count_row(store_res *r, void *ctx, gh_err *e)
{
    (void)r;
    (void)e;
    (*(int *)ctx)++;
    return 0;
}

static void test_column_and_filter_tables(void **s)
{
    (void)s;
    store *db = testdb_open("module", 0);
    assert_non_null(db);
    gh_err e;
    store_conn *c = store_conn_get(db, &e);
    assert_int_equal(store_exec(c, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, kind TEXT, n INTEGER)", SV_NONE,
                                NULL, &e), 0);
    assert_int_equal(store_exec(c, "INSERT INTO t (name, kind, n) VALUES ('甲_1', 'a', 2), ('乙', 'b', NULL), ('甲x1', 'a', 1)",
                                SV_NONE, NULL, &e), 0);
    buf b = {0};
    list_select(&b, cols);
    assert_string_equal(buf_str(&b), "t.id, t.name, t.n, t.n > 1");
    assert_int_equal(list_ncols(cols), 4);
    buf_free(&b);

    /* a choice outside the list is refused before any condition is added */
    sqlw w;
    sqlw_init(&w, "t WHERE 1 = 1", SV_NONE);
    char *like = NULL;
    tq bad = {.name = "甲", .kind = "z", .flag = -1};
    assert_int_equal(list_filters(&w, filters, &bad, &like, &e), ERR_INVALID);
    assert_string_equal(e.code, "invalid_query");
    assert_string_equal(e.field, "kind");
    assert_null(like);
    assert_int_equal(w.n, 0);
    sqlw_free(&w);

    /* '_' in a name is literal, not a wildcard; flag -1 adds nothing */
    sqlw_init(&w, "t WHERE 1 = 1", SV_NONE);
    tq q = {.name = "甲_", .kind = "a", .flag = -1};
    assert_int_equal(list_filters(&w, filters, &q, &like, &e), 0);
    list_page pg;
    list_page_init(&pg, 1, 20);
    json_t *out = NULL;
    assert_int_equal(list_run_cols(c, cols, buf_str(&w.sql), "t.id", w.args, w.n, &pg, &out, &e), 0);
    sqlw_free(&w);
    free(like);
    json_t *items = json_object_get(out, "items");
    assert_int_equal(json_array_size(items), 1);
    json_t *row = json_array_get(items, 0);
    assert_int_equal(json_integer_value(json_object_get(row, "id")), 1);
    assert_string_equal(json_string_value(json_object_get(row, "name")), "甲_1");
    assert_int_equal(json_integer_value(json_object_get(row, "n")), 2);
    assert_true(json_is_true(json_object_get(row, "flag")));
    json_decref(out);

    /* null stays null for COL_INT_NULL and COL_BOOL */
    sqlw_init(&w, "t WHERE 1 = 1", SV_NONE);
    tq by_id = {.id = 2, .flag = -1};
    assert_int_equal(list_filters(&w, filters, &by_id, &like, &e), 0);
    assert_int_equal(list_run_cols(c, cols, buf_str(&w.sql), "t.id", w.args, w.n, &pg, &out, &e), 0);
    sqlw_free(&w);
    row = json_array_get(json_object_get(out, "items"), 0);
    assert_true(json_is_null(json_object_get(row, "n")));
    assert_true(json_is_null(json_object_get(row, "flag")));
    json_decref(out);

    /* store_one: a row, or ERR_NOT_FOUND; store_each: every row */
    int n = 0;
    assert_int_equal(store_one(c, "SELECT id FROM t WHERE id = $1", SV_ARGS(SV_I(3)), count_row, &n, &e), 0);
    assert_int_equal(n, 1);
    assert_int_equal(store_one(c, "SELECT id FROM t WHERE id = $1", SV_ARGS(SV_I(99)), count_row, &n, &e), ERR_NOT_FOUND);
    n = 0;
    assert_int_equal(store_each(c, "SELECT id FROM t ORDER BY id", SV_NONE, count_row, &n, &e), 0);
    assert_int_equal(n, 3);
    testdb_close(db);
}

static const list_col xcols[] = {
    {"id", "t.id", COL_INT, "编号"},
    {"name", "t.name", COL_STR, "名称"},
    {"n", "t.n", COL_INT_NULL},
    {"fen", "t.n * 150", COL_FEN_NULL, "金额（元）"},
    {"initial", NULL, COL_STR, "首字"},
    {"flag", "t.n > 1", COL_BOOL, "标记"},
    {0},
};

/* a derived column, and the name dropped as a masking hook would */
static void xpost(json_t *o, void *arg)
{
    char first[8] = "";
    const char *nm = json_string_value(json_object_get(o, "name"));
    snprintf(first, sizeof first, "%.3s", nm ? nm : "");
    json_object_set_new(o, "initial", json_string(first));
    if (arg) json_object_del(o, "name");
}

static void test_list_export(void **s)
{
    (void)s;
    store *db = testdb_open("export", 0);
    assert_non_null(db);
    gh_err e;
    store_conn *c = store_conn_get(db, &e);
    assert_int_equal(store_exec(c, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, kind TEXT, n INTEGER)", SV_NONE,
                                NULL, &e), 0);
    assert_int_equal(store_exec(c, "INSERT INTO t (name, kind, n) VALUES ('甲_1', 'a', 2), ('乙', 'b', NULL), ('丙', 'a', 1)",
                                SV_NONE, NULL, &e), 0);
    /* the SELECT list skips the derived column; the JSON row has it */
    buf b = {0};
    list_select(&b, xcols);
    assert_string_equal(buf_str(&b), "t.id, t.name, t.n, t.n * 150, t.n > 1");
    assert_int_equal(list_ncols(xcols), 5);
    buf_free(&b);
    static const list_spec spec = {xcols, NULL, xpost, "测试清单"};

    /* every row up to the cap, labelled columns only, money in yuan, a line when cut */
    char *data = NULL, *csv = NULL;
    size_t len = 0, clen = 0;
    int64_t rows = 0;
    int cut = 0;
    assert_int_equal(list_export_cols(c, &spec, NULL, "t WHERE t.kind = $1", "t.id", SV_ARGS(SV_T("a")), 10, &data, &len,
                                      &rows, &cut, &e), 0);
    assert_int_equal(rows, 2);
    assert_int_equal(cut, 0);
    assert_int_equal(xlsx_to_csv(data, len, &csv, &clen, &e), 0);
    assert_string_equal(csv, "编号,名称,金额（元）,首字,标记\r\n1,甲_1,3,甲,是\r\n3,丙,1.5,丙,否\r\n");
    free(data);
    free(csv);
    assert_int_equal(list_export_cols(c, &spec, "mask", "t WHERE 1 = 1", "t.id", SV_NONE, 2, &data, &len, &rows, &cut, &e),
                     0);
    assert_int_equal(rows, 2);
    assert_int_equal(cut, 1);
    assert_int_equal(xlsx_to_csv(data, len, &csv, &clen, &e), 0);
    assert_non_null(strstr(csv, "\r\n1,,3,甲,是\r\n2,,,乙\r\n仅导出了前 2 行"));
    assert_null(strstr(csv, "丙"));
    free(data);
    free(csv);

    /* list_query: a page normally, the workbook when the context asks */
    gh_actor actor;
    actor_system(&actor);
    list_export ex = {0};
    gh_ctx x = {c, &actor, NULL, NULL};
    list_page pg;
    list_page_init(&pg, 1, 2);
    json_t *out = NULL;
    sqlw w;
    sqlw_init(&w, "t WHERE t.id > ?", SV_ARGS(SV_I(0)));
    assert_int_equal(list_query(&x, &spec, NULL, &w, "t.id", &pg, NULL, &out, &e), 0);
    assert_int_equal(json_integer_value(json_object_get(out, "total")), 3);
    json_t *row = json_array_get(json_object_get(out, "items"), 0);
    assert_string_equal(json_string_value(json_object_get(row, "initial")), "甲");
    assert_int_equal(json_integer_value(json_object_get(row, "fen")), 300);
    json_decref(out);
    x.export = &ex;
    sqlw_init(&w, "t WHERE t.id > ?", SV_ARGS(SV_I(0)));
    assert_int_equal(list_query(&x, &spec, NULL, &w, "t.id", &pg, NULL, &out, &e), 0);
    assert_null(out);
    assert_int_equal(ex.rows, 3);
    assert_string_equal(ex.name, "测试清单.xlsx");
    assert_true(xlsx_is_workbook(ex.data, ex.len));
    free(ex.data);
    /* a list without a title is not exported */
    static const list_spec untitled = {xcols};
    sqlw_init(&w, "t WHERE t.id > ?", SV_ARGS(SV_I(0)));
    assert_int_equal(list_query(&x, &untitled, NULL, &w, "t.id", &pg, NULL, &out, &e), ERR_INVALID);
    assert_string_equal(e.code, "export_unsupported");
    testdb_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_descriptors_do_not_clash),
        cmocka_unit_test(test_duties_keep_their_bits),
        cmocka_unit_test(test_kinds_and_references),
        cmocka_unit_test(test_menu_follows_role_and_duty),
        cmocka_unit_test(test_menu_locked_names_the_duty),
        cmocka_unit_test(test_column_and_filter_tables),
        cmocka_unit_test(test_list_export),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

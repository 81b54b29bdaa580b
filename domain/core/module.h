/* module.h — the module descriptor: how a capability describes itself once.
 *
 * Every capability (org, member, retreat, refund, …) has one descriptor,
 * `<name>_module`, in its folder domain/<name>/, and one line in
 * domain/modules.def. The registries that used to be edited by hand for each
 * new capability read the descriptors instead:
 *   - the duties officers can hold (user accounts, admin's "every duty");
 *   - the policy kinds and their validators (policy.c);
 *   - the ledger reference types and the table behind each (ledger.c);
 *   - the demo-data loader, run in list order (demo.c);
 *   - the console menu, served to the browser (GET /api/v1/menu), each entry
 *     naming its page module, so the browser keeps no copy of the menu;
 *   - the reminders a module raises in the message centre (notice.h).
 * The other layers expand the same list for their own tables: http/ takes
 * `routes_<name>` from http/routes_<name>.c and cli/ takes `cli_<name>` from
 * cli/<name>.c. A capability without routes or verbs declares empty tables.
 *
 * Descriptors are constant data; module_check() (run at start-up and in the
 * unit tests) refuses clashing duty bits, policy kinds or reference types. */
#ifndef GH_MODULE_H
#define GH_MODULE_H

#include <jansson.h>
#include <stdio.h>

#include "domain/core/ctx.h"

/* A duty an officer can hold (职责). bit is one of the DUTY_* bits. */
typedef struct gh_duty {
    unsigned bit;
    const char *name;  /* "hardship": the word in the API and the CLI */
    const char *label; /* "困难帮扶" */
} gh_duty;

/* A kind of versioned policy (政策参数) and who may set it. items and
 * item_label: the one collection of independent items in its params
 * (dotted path; NULL for none) and what a message calls one item ("段"), so
 * errors can point into it. */
typedef struct gh_policy_kind {
    const char *kind, *label;
    unsigned duty;
    int (*validate)(const json_t *params, gh_err *e);
    const char *items, *item_label;
} gh_policy_kind;

/* A reference type of ledger transfers and the business table whose row it
 * names (NULL: no row, as for manual entries), for the orphan check. */
typedef struct gh_ref_type {
    const char *ref_type, *table;
} gh_ref_type;

/* What a demo loader is given: the ids of the demo orgs by key ("js", "nj",
 * "zijin" …), where its progress goes. */
typedef struct gh_demo_env {
    int64_t (*org)(const struct gh_demo_env *d, const char *key);
    const void *octx;
    FILE *out;
} gh_demo_env;
typedef int (*gh_demo_fn)(gh_ctx *x, const gh_demo_env *d, gh_err *e);

/* Who sees a menu entry. */
enum {
    MENU_OFFICER = 1 << 0, /* officers (with the duty, when one is named) */
    MENU_AUDITOR = 1 << 1,
    MENU_ADMIN = 1 << 2,
    MENU_PROVIDER = 1 << 3,
    MENU_STAFF = MENU_OFFICER | MENU_AUDITOR | MENU_ADMIN,
};

/* A page under a menu entry (a detail or import page) that highlights it;
 * title and page may be NULL (the entry's). */
typedef struct gh_menu_sub {
    const char *path, *title, *page;
} gh_menu_sub;

/* One entry of the officer console's side menu. */
typedef struct gh_menu_item {
    const char *group; /* the heading it sits under: "会员服务", "经费与账务" … */
    const char *label; /* "会员管理" */
    const char *path;  /* the console route: "/members" */
    const char *icon;  /* an icon name of ui/js/lib/icons */
    const char *page;  /* the page module under ui/js/pages, no ".js": "member/members" */
    const gh_menu_sub *also; /* {0}-ended, or NULL */
    int who;           /* MENU_* */
    unsigned duty;     /* officers need one of these duties (0: any officer) */
    int order;         /* position in the menu, small first */
} gh_menu_item;

typedef struct gh_module {
    const char *name;  /* "retreat": the word in every layer */
    const char *label; /* "职工疗休养" */
    const gh_duty *duties;              /* {0}-ended, or NULL */
    const gh_policy_kind *policy_kinds; /* {0}-ended, or NULL */
    const gh_ref_type *ref_types;       /* {0}-ended, or NULL */
    gh_demo_fn demo;                    /* or NULL */
    const gh_menu_item *menu;           /* {0}-ended, or NULL */
    /* Bring the actor's reminders up to date (notices of things that fall
     * due with time, such as yearly reviews) before their message centre
     * is read; or NULL. */
    int (*remind)(gh_ctx *x, gh_err *e);
} gh_module;

/* Every module, in the order of domain/modules.def; NULL-ended. */
extern const gh_module *const gh_modules[];

/* 0, or ERR_INTERNAL with e naming the clash: two modules with one duty bit,
 * policy kind or reference type. */
int module_check(gh_err *e);

/* Every duty bit any module declares. */
unsigned module_all_duties(void);
/* The duty named name, or 0. */
unsigned module_duty_bit(const char *name);
/* The duties' names, NULL-ended, in list order (for jv_field choices). */
const char *const *module_duty_names(void);
/* The duty of a bit, or NULL. */
const gh_duty *module_duty(unsigned bit);

/* The policy kind named kind, or NULL. */
const gh_policy_kind *module_policy_kind(const char *kind);
/* The ledger reference type named ref_type, or NULL. */
const gh_ref_type *module_ref_type(const char *ref_type);

/* The console menu entries the actor may see, ordered: a JSON array of
 * {group, label, path, icon, page, also: [{path, title?, page?}]}. NULL on
 * OOM. */
json_t *module_menu(const gh_actor *a);
/* The entries an officer's role would show but whose duty they lack, so the
 * console can say what is needed (a page opened by its address, a card on
 * the home page): [{group, label, path, icon, duty_label: "经费财务",
 * also: [{path}]}], ordered as the menu; empty for other roles. NULL on OOM. */
json_t *module_menu_locked(const gh_actor *a);

#endif

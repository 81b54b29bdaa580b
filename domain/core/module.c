/* module.c — the list of module descriptors (from domain/modules.def) and
 * the look-ups the shared services make in it: duties, policy kinds, ledger
 * reference types and the console menu. */
#include "domain/core/module.h"

#include <assert.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"

#define GH_MODULE(name) extern const gh_module name##_module;
#include "domain/modules.def"
#undef GH_MODULE

const gh_module *const gh_modules[] = {
#define GH_MODULE(name) &name##_module,
#include "domain/modules.def"
#undef GH_MODULE
    NULL,
};

#define EACH_MODULE(m) for (const gh_module *const *m##_it = gh_modules, *m; (m = *m##_it) != NULL; m##_it++)

int module_check(gh_err *e)
{
    unsigned seen = 0;
    EACH_MODULE(m) {
        if (!m->name || !m->label) return err_set(e, ERR_INTERNAL, "module_clash", NULL, "模块缺少名称");
        for (const gh_duty *d = m->duties; d && d->name; d++) {
            if (!d->bit || (d->bit & (d->bit - 1)) || (seen & d->bit))
                return err_set(e, ERR_INTERNAL, "module_clash", d->name, "职责“%s”的位与其他职责重复", d->label);
            seen |= d->bit;
        }
        for (const gh_policy_kind *k = m->policy_kinds; k && k->kind; k++)
            EACH_MODULE(o) for (const gh_policy_kind *q = o->policy_kinds; q && q->kind; q++)
                if (q != k && strcmp(q->kind, k->kind) == 0)
                    return err_set(e, ERR_INTERNAL, "module_clash", k->kind, "政策类型“%s”重复", k->kind);
        for (const gh_ref_type *t = m->ref_types; t && t->ref_type; t++)
            EACH_MODULE(o) for (const gh_ref_type *q = o->ref_types; q && q->ref_type; q++)
                if (q != t && strcmp(q->ref_type, t->ref_type) == 0)
                    return err_set(e, ERR_INTERNAL, "module_clash", t->ref_type, "记账业务类型“%s”重复", t->ref_type);
    }
    return 0;
}

unsigned module_all_duties(void)
{
    unsigned all = 0;
    EACH_MODULE(m) for (const gh_duty *d = m->duties; d && d->name; d++) all |= d->bit;
    return all;
}

const gh_duty *module_duty(unsigned bit)
{
    EACH_MODULE(m) for (const gh_duty *d = m->duties; d && d->name; d++) if (d->bit == bit) return d;
    return NULL;
}

unsigned module_duty_bit(const char *name)
{
    if (!name) return 0;
    EACH_MODULE(m) for (const gh_duty *d = m->duties; d && d->name; d++) if (strcmp(d->name, name) == 0) return d->bit;
    return 0;
}

/* Built once from constant data; the first caller may race another, and both
 * write the same pointers, so a plain once-guard is enough. */
#define MAX_DUTIES 32
static const char *duty_names[MAX_DUTIES + 1];
static pthread_once_t names_once = PTHREAD_ONCE_INIT;

static void names_build(void)
{
    size_t n = 0;
    /* in bit order, so the API lists duties as it always did */
    for (unsigned b = 0; b < MAX_DUTIES; b++) {
        const gh_duty *d = module_duty(1u << b);
        if (d) duty_names[n++] = d->name;
    }
    duty_names[n] = NULL;
}

const char *const *module_duty_names(void)
{
    pthread_once(&names_once, names_build);
    return duty_names;
}

const gh_policy_kind *module_policy_kind(const char *kind)
{
    if (!kind) return NULL;
    EACH_MODULE(m) for (const gh_policy_kind *k = m->policy_kinds; k && k->kind; k++) if (strcmp(k->kind, kind) == 0) return k;
    return NULL;
}

const gh_ref_type *module_ref_type(const char *ref_type)
{
    if (!ref_type) return NULL;
    EACH_MODULE(m) for (const gh_ref_type *t = m->ref_types; t && t->ref_type; t++) if (strcmp(t->ref_type, ref_type) == 0) return t;
    return NULL;
}

static int menu_visible(const gh_menu_item *it, const gh_actor *a)
{
    switch (a->role) {
    case ROLE_ADMIN: return (it->who & MENU_ADMIN) != 0;
    case ROLE_AUDITOR: return (it->who & MENU_AUDITOR) != 0;
    case ROLE_PROVIDER: return (it->who & MENU_PROVIDER) != 0;
    case ROLE_OFFICER: return (it->who & MENU_OFFICER) && (!it->duty || (a->duties & it->duty));
    default: return 0;
    }
}

static int menu_cmp(const void *pa, const void *pb)
{
    const gh_menu_item *a = *(const gh_menu_item *const *)pa, *b = *(const gh_menu_item *const *)pb;
    return a->order < b->order ? -1 : a->order > b->order;
}

json_t *module_menu(const gh_actor *a)
{
    const gh_menu_item *items[256];
    size_t n = 0;
    EACH_MODULE(m) for (const gh_menu_item *it = m->menu; it && it->label; it++) {
        assert(n < sizeof items / sizeof items[0]);
        if (n < sizeof items / sizeof items[0] && menu_visible(it, a)) items[n++] = it;
    }
    qsort(items, n, sizeof items[0], menu_cmp);
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        const gh_menu_item *it = items[i];
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "group", it->group, "label", it->label, "path", it->path,
                              "icon", it->icon, "page", it->page);
        json_t *also = json_array();
        for (const gh_menu_sub *s = it->also; o && also && s && s->path; s++) {
            json_t *so = json_pack("{s:s}", "path", s->path);
            if (so && s->title) json_object_set_new(so, "title", json_string(s->title));
            if (so && s->page) json_object_set_new(so, "page", json_string(s->page));
            json_array_append_new(also, so);
        }
        if (!o || !also) {
            json_decref(o);
            json_decref(also);
            json_decref(arr);
            return NULL;
        }
        json_object_set_new(o, "also", also);
        json_array_append_new(arr, o);
    }
    return arr;
}

/* The duties of a mask in words: "经费财务" or "疗休养或经费财务". */
static void duty_words(unsigned duty, char *out, size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    for (unsigned b = 0; b < MAX_DUTIES && len < n; b++) {
        const gh_duty *d = (duty & (1u << b)) ? module_duty(1u << b) : NULL;
        if (!d) continue;
        len += (size_t)snprintf(out + len, n - len, "%s%s", len ? "或" : "", d->label);
    }
}

json_t *module_menu_locked(const gh_actor *a)
{
    json_t *arr = json_array();
    if (!arr || a->role != ROLE_OFFICER) return arr;
    const gh_menu_item *items[256];
    size_t n = 0;
    EACH_MODULE(m) for (const gh_menu_item *it = m->menu; it && it->label; it++) {
        if (n < sizeof items / sizeof items[0] && (it->who & MENU_OFFICER) && it->duty && !(a->duties & it->duty))
            items[n++] = it;
    }
    qsort(items, n, sizeof items[0], menu_cmp);
    for (size_t i = 0; i < n; i++) {
        const gh_menu_item *it = items[i];
        char words[160];
        duty_words(it->duty, words, sizeof words);
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "group", it->group, "label", it->label, "path", it->path,
                              "icon", it->icon, "duty_label", words);
        json_t *also = json_array();
        for (const gh_menu_sub *s = it->also; o && also && s && s->path; s++)
            json_array_append_new(also, json_pack("{s:s}", "path", s->path));
        if (!o || !also) {
            json_decref(o);
            json_decref(also);
            json_decref(arr);
            return NULL;
        }
        json_object_set_new(o, "also", also);
        json_array_append_new(arr, o);
    }
    return arr;
}

/* ctx.h — who is acting, through which connection, under which settings.
 *
 * Every domain function takes a gh_ctx: the database connection of the
 * calling thread, the actor (a logged-in user, an anonymous visitor, or the
 * operator at the command line) and the process configuration. Authorisation
 * and data scope are decided in domain/ from the actor, never in http/. */
#ifndef GH_CTX_H
#define GH_CTX_H

#include <stdint.h>

#include "store/store.h"

enum {
    ROLE_ANON = 0,
    ROLE_MEMBER = 1,
    ROLE_OFFICER = 2,
    ROLE_PROVIDER = 3,
    ROLE_BANK = 4,
    ROLE_AUDITOR = 5,
    ROLE_ADMIN = 6,
    ROLE_ENTERPRISE = 7,
    ROLE_SYSTEM = 8, /* the operator at the command line */
};

/* Officer duties (bit set). The bits are stored in users.duties, so a bit
 * never changes meaning. Each module declares the duties it brings, with
 * their names and labels, in its descriptor (domain/core/module.h); a new
 * capability takes the next free bit in its own public header. */
enum {
    DUTY_MEMBERSHIP = 1 << 0,
    DUTY_HARDSHIP = 1 << 1,
    DUTY_FINANCE = 1 << 2,
    DUTY_RETREAT = 1 << 3,
    DUTY_EMPLOYMENT = 1 << 4,
    DUTY_RIGHTS = 1 << 5,
    DUTY_ORG = 1 << 6, /* maintain the organisation tree below one's own org */
};

#define GH_PATH_MAX 256

typedef struct gh_actor {
    int64_t user_id;  /* 0 for anonymous and the command line */
    int role;
    unsigned duties;
    int64_t org_id;                /* officer, auditor: their org */
    char scope[GH_PATH_MAX];       /* org path prefix of everything in scope; "" = nothing */
    int64_t member_id;             /* member: their member record */
    int64_t provider_id;           /* provider account */
    int64_t enterprise_id;         /* enterprise account */
    char login[64];
    char client[64];               /* remote address, for the audit log */
    int64_t session_id;
    int must_enrol;                /* the session may only enrol a second factor (auth.h) */
} gh_actor;

typedef struct gh_config {
    unsigned char data_key[32]; /* secret box key for sensitive fields */
    unsigned char hash_key[32]; /* keyed hash for lookups of sensitive fields */
    /* Derived from the key file (chain_derive_keys), never stored: */
    unsigned char chain_key[32]; /* keys every new link of the audit and ledger chains */
    unsigned char sign_pk[32];   /* checkpoint signing key pair (Ed25519) */
    unsigned char sign_sk[64];
    const char *checkpoint_file; /* where signed checkpoints are appended (NULL: none) */
    int secure_cookies;         /* behind TLS: add Secure to cookies */
    int session_idle_s;         /* idle timeout of sessions */
    int demo;                   /* demo deployment: show demo log-ins */
} gh_config;

typedef struct gh_ctx {
    store_conn *db;
    const gh_actor *actor;
    const gh_config *cfg;
    struct list_export *export; /* set: a list call writes every row as a workbook (list.h) */
} gh_ctx;

/* 1 when path (an org path) lies inside the actor's scope. */
int actor_in_scope(const gh_actor *a, const char *path);

/* Fill a with the operator at the command line: everything in scope. */
void actor_system(gh_actor *a);

/* 1 for officer-like roles that act on org data within their scope. */
int actor_is_staff(const gh_actor *a);

/* Officer with the duty (admins and the system have every duty). */
int actor_has_duty(const gh_actor *a, unsigned duty);

const char *role_name(int role);
int role_parse(const char *s);

#endif

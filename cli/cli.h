/* cli.h — what the operator commands share: parsed options, opening the
 * store with the configuration, and printing errors. Each command group has
 * a file in cli/ and an entry point called from main.c. */
#ifndef GH_CLI_H
#define GH_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "base/err.h"
#include "domain/core/chain.h"
#include "domain/core/ctx.h"
#include "store/store.h"

#define CLI_MAX_ARGS 8
#define CLI_MAX_EXTRA 16

typedef struct cli_opts {
    const char *db, *key_file, *listen, *ui_dir;
    int threads, session_idle, trust_proxy, secure_cookies, access_log, migrate, log_level;
    int dry_run, yes;
    size_t max_body, max_upload;
    const char *args[CLI_MAX_ARGS]; /* positional: the command and its words */
    int nargs;
    const char *extra_name[CLI_MAX_EXTRA], *extra_value[CLI_MAX_EXTRA];
    int nextra;
} cli_opts;

int cli_init(cli_opts *o, int argc, char **argv, gh_err *e);
/* A command-specific --name value ("" for a flag without value), or NULL. */
const char *cli_opt(const cli_opts *o, const char *name);
/* Load keys and open the database named by o->db. */
int cli_open(const cli_opts *o, store **db, gh_config *cfg, gh_err *e);
/* Open the database only, for commands that never touch sealed data
 * (migrate, audit verify, ledger check, backup). */
int cli_open_nokeys(const cli_opts *o, store **db, gh_err *e);

/* The checkpoint file of o: --checkpoints FILE, GONGHUI_CHECKPOINTS, or
 * checkpoints.jsonl beside the key file (var/checkpoints.jsonl). */
const char *cli_checkpoint_file(const cli_opts *o);

/* What audit verify, ledger check and migrate-data share: the key file
 * read without creating it (a new key would make every keyed link look
 * forged), the database migrated and the key checked against it, the
 * chains sealed on the first run after keying, and the checkpoint file
 * (--checkpoints) read and its signatures checked with --public-key HEX
 * or the key file's own public key. Without a key file, --public-key lets
 * an auditor check links, heads and checkpoints (have_key 0). */
typedef struct cli_verify {
    store *db;
    gh_config cfg;
    int have_key;
    const char *cp_file; /* NULL: no checkpoints given */
    chain_targets audit, ledger;
    int cp_lines, cp_valid;
    int cp_bad;          /* problems that fail the check (an incomplete last line does not) */
    json_t *cp_problems; /* [{line, code, problem}] */
} cli_verify;

int cli_verify_open(cli_opts *o, cli_verify *v, gh_err *e);
void cli_verify_close(cli_verify *v);
/* The checkpoint file's lines and each problem; 1 when it has problems. */
int cli_verify_print_checkpoints(const cli_verify *v, FILE *out);
/* The chain key, or NULL when checking without the key file. */
const unsigned char *cli_verify_key(const cli_verify *v);

/* Print e to standard error in Chinese with its code. */
void cli_fail(const gh_err *e);

/* A command of a module: `gonghui <word> [<sub>] …`. The help text lists
 * every usage line; main.c dispatches on word and, where set, sub (the next
 * word). Each module has a table cli_<module> in cli/<module>.c (empty when
 * it has no command), listed by domain/modules.def. */
typedef struct cli_verb {
    const char *word;  /* "import" */
    const char *sub;   /* "members", or NULL for any */
    int (*run)(cli_opts *o);
    const char *usage; /* one line (or more) of the help text */
} cli_verb;

#define GH_MODULE(name) extern const cli_verb cli_##name[];
#include "domain/modules.def"
#undef GH_MODULE

/* Print a chain verification: one line per partition (rows and head, or
 * each thing wrong with it), then the root. parts as in chain_report. */
void cli_chain_report(const json_t *parts, const char *root, const char *unit, FILE *out);

int cli_user(cli_opts *o);
int cli_import(cli_opts *o);
int cli_routes(cli_opts *o);
int cli_backup(cli_opts *o);
int cli_migrate_data(cli_opts *o);
int cli_ledger(cli_opts *o);
int cli_import_money(cli_opts *o, const char *what);
int cli_import_retreat(cli_opts *o, const char *what);
int cli_refund_cmd(cli_opts *o);
int cli_policy(cli_opts *o);
int cli_hardship_cmd(cli_opts *o);
int cli_lottery_cmd(cli_opts *o);

#endif

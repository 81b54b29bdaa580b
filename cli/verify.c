/* cli/verify.c — what the checking commands (audit verify, ledger check,
 * migrate-data) share: keys read without creating them, the chains sealed
 * on the first run after keying, the checkpoint file read and checked. */
#include <stdio.h>
#include <string.h>

#include "base/crypto.h"
#include "cli/cli.h"
#include "domain/core/checkpoint.h"
#include "domain/core/settings.h"

int cli_verify_open(cli_opts *o, cli_verify *v, gh_err *e)
{
    memset(v, 0, sizeof *v);
    v->cp_problems = json_array();
    const char *pub = cli_opt(o, "public-key");
    v->cp_file = cli_opt(o, "checkpoints");
    if (v->cp_file && !*v->cp_file)
        return err_set(e, ERR_INVALID, "missing_value", "checkpoints", "--checkpoints 需要检查点文件的路径");
    int rc = crypto_read_keys(o->key_file, v->cfg.data_key, v->cfg.hash_key, e);
    if (rc == 0) {
        v->have_key = 1;
        chain_derive_keys(&v->cfg);
    } else if (rc == ERR_NOT_FOUND && pub) {
        err_clear(e);
        rc = 0;
    } else if (rc == ERR_NOT_FOUND) {
        return err_set(e, ERR_NOT_FOUND, "key_file_missing", "key_file",
                       "密钥文件 %s 不存在：校验带密钥的哈希链需要原来的密钥文件（--key-file）；"
                       "只有公钥的审计人员请加 --public-key 与 --checkpoints",
                       o->key_file);
    }
    if (rc) return rc;
    if (pub && *pub) {
        rc = checkpoint_parse_public(pub, v->cfg.sign_pk, e);
        if (rc) return rc;
    } else if (pub) {
        return err_set(e, ERR_INVALID, "missing_value", "public-key", "--public-key 需要公钥（64 位十六进制）");
    }
    rc = store_open(o->db, &v->db, e);
    if (rc == 0) rc = store_migrate(v->db, NULL, e);
    if (rc == 0 && v->have_key) {
        store_conn *c = store_conn_get(v->db, e);
        rc = settings_check_keys(c, &v->cfg, e);
        /* a database upgraded but not started since: seal it now */
        if (rc == 0) rc = chain_seal(c, &chain_audit, v->cfg.chain_key, NULL, e);
        if (rc == 0) rc = chain_seal(c, &chain_ledger, v->cfg.chain_key, NULL, e);
    }
    if (rc == 0 && v->cp_file)
        rc = checkpoint_load(v->cp_file, v->cfg.sign_pk, &v->audit, &v->ledger, &v->cp_lines, &v->cp_valid,
                             v->cp_problems, e);
    size_t i;
    json_t *p;
    json_array_foreach(v->cp_problems, i, p)
        v->cp_bad += strcmp(json_string_value(json_object_get(p, "code")), "checkpoint_incomplete") != 0;
    return rc;
}

void cli_verify_close(cli_verify *v)
{
    chain_targets_free(&v->audit);
    chain_targets_free(&v->ledger);
    json_decref(v->cp_problems);
    v->cp_problems = NULL;
    store_close(v->db);
    v->db = NULL;
}

const unsigned char *cli_verify_key(const cli_verify *v) { return v->have_key ? v->cfg.chain_key : NULL; }

int cli_verify_print_checkpoints(const cli_verify *v, FILE *out)
{
    char pk[65];
    crypto_hex(v->cfg.sign_pk, 32, pk);
    if (!v->have_key)
        fprintf(out, "没有密钥文件：只核对了链接、序号、链头与检查点，带密钥的记录未重算摘要\n");
    if (!v->cp_file) {
        fprintf(out, "未核对检查点（加 --checkpoints 文件，才能发现整段删除末尾记录并回滚链头）\n");
        return 0;
    }
    size_t i;
    json_t *p;
    if (v->cp_bad == 0)
        fprintf(out, "检查点文件 %s：%d 个检查点，签名全部有效（公钥 %.16s…）\n", v->cp_file, v->cp_valid, pk);
    else
        fprintf(out, "检查点文件 %s：%d 个检查点，其中 %d 个有效，%d 行有问题（公钥 %.16s…）\n", v->cp_file, v->cp_lines,
                v->cp_valid, v->cp_bad, pk);
    json_array_foreach(v->cp_problems, i, p)
        fprintf(out, "%s [%s]\n", json_string_value(json_object_get(p, "problem")),
                json_string_value(json_object_get(p, "code")));
    return v->cp_bad > 0;
}

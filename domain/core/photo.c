/* photo.c — photos in the database; rules in photo.h. */
#include "domain/core/photo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "base/date.h"

static unsigned be16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }
static unsigned le16(const unsigned char *p) { return (unsigned)p[1] << 8 | p[0]; }
static unsigned le24(const unsigned char *p) { return (unsigned)p[2] << 16 | (unsigned)p[1] << 8 | p[0]; }
static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

/* The frame header (SOFn) of a JPEG: walk the marker segments from SOI. */
static int jpeg_size(const unsigned char *p, size_t n, int *w, int *h)
{
    size_t i = 2;
    while (i + 4 <= n) {
        if (p[i] != 0xFF) return -1;
        unsigned char m = p[i + 1];
        if (m == 0xFF) { /* fill byte */
            i++;
            continue;
        }
        if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) { /* no length */
            i += 2;
            continue;
        }
        if (m == 0xD9 || m == 0xDA) return -1; /* end, or scan data before any frame header */
        unsigned len = be16(p + i + 2);
        if (len < 2 || i + 2 + len > n) return -1;
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            if (len < 7) return -1;
            *h = (int)be16(p + i + 5);
            *w = (int)be16(p + i + 7);
            return 0;
        }
        i += 2 + len;
    }
    return -1;
}

static int webp_size(const unsigned char *p, size_t n, int *w, int *h)
{
    if (n < 25) return -1;
    if (memcmp(p + 12, "VP8L", 4) != 0 && n < 30) return -1;
    if (memcmp(p + 12, "VP8X", 4) == 0) {
        *w = (int)le24(p + 24) + 1;
        *h = (int)le24(p + 27) + 1;
        return 0;
    }
    if (memcmp(p + 12, "VP8 ", 4) == 0) {
        if (p[23] != 0x9D || p[24] != 0x01 || p[25] != 0x2A) return -1;
        *w = (int)(le16(p + 26) & 0x3FFF);
        *h = (int)(le16(p + 28) & 0x3FFF);
        return 0;
    }
    if (memcmp(p + 12, "VP8L", 4) == 0) {
        if (p[20] != 0x2F) return -1;
        unsigned long bits = (unsigned long)p[21] | (unsigned long)p[22] << 8 | (unsigned long)p[23] << 16 |
                             (unsigned long)p[24] << 24;
        *w = (int)(bits & 0x3FFF) + 1;
        *h = (int)((bits >> 14) & 0x3FFF) + 1;
        return 0;
    }
    return -1;
}

int photo_sniff(const void *data, size_t len, photo_info *pi, gh_err *e)
{
    const unsigned char *p = data;
    int w = 0, h = 0, rc = -1;
    pi->mime = NULL;
    if (len >= 4 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) {
        pi->mime = "image/jpeg";
        rc = jpeg_size(p, len, &w, &h);
    } else if (len >= 24 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0) {
        pi->mime = "image/png";
        if (memcmp(p + 12, "IHDR", 4) == 0 && be32(p + 16) <= 0x7FFFFFFFul && be32(p + 20) <= 0x7FFFFFFFul) {
            w = (int)be32(p + 16);
            h = (int)be32(p + 20);
            rc = 0;
        }
    } else if (len >= 16 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0) {
        pi->mime = "image/webp";
        rc = webp_size(p, len, &w, &h);
    }
    if (!pi->mime)
        return err_set(e, ERR_INVALID, "photo_type", "file", "只能上传 JPEG、PNG 或 WebP 格式的照片（按文件内容判断）");
    if (rc || w <= 0 || h <= 0)
        return err_set(e, ERR_INVALID, "photo_type", "file", "照片文件已损坏，无法读出尺寸");
    if (w > PHOTO_MAX_SIDE || h > PHOTO_MAX_SIDE)
        return err_set(e, ERR_INVALID, "photo_dimensions", "file", "照片尺寸过大（%d×%d），长宽都不能超过 %d 像素", w, h,
                       PHOTO_MAX_SIDE);
    pi->width = w;
    pi->height = h;
    return 0;
}

static json_t *photo_json(int64_t id, const char *mime, int64_t w, int64_t h, int64_t bytes, const char *url_base)
{
    char url[200];
    snprintf(url, sizeof url, "%s/%lld", url_base, (long long)id);
    return json_pack("{s:I, s:s, s:I, s:I, s:I, s:s}", "id", (json_int_t)id, "mime", mime, "width", (json_int_t)w,
                     "height", (json_int_t)h, "bytes", (json_int_t)bytes, "url", url);
}

int photo_add(gh_ctx *x, store_conn *db, const char *owner_type, int64_t owner_id, const char *url_base,
              const void *data, size_t len, json_t **out, gh_err *e)
{
    if (!len) return err_set(e, ERR_INVALID, "empty_file", "file", "上传的文件是空的");
    if (len > PHOTO_MAX_BYTES)
        return err_set(e, ERR_TOO_LARGE, "photo_too_large", "file", "照片不能超过 %d MB（这张 %.1f MB）",
                       PHOTO_MAX_BYTES >> 20, (double)len / (1 << 20));
    photo_info pi;
    int rc = photo_sniff(data, len, &pi, e);
    if (rc) return rc;
    int64_t n = 0, pos = 0;
    rc = store_get_int(db, "SELECT COUNT(*) FROM photos WHERE owner_type = $1 AND owner_id = $2",
                       SV_ARGS(SV_T(owner_type), SV_I(owner_id)), &n, e);
    if (rc == 0 && n >= PHOTO_MAX_PER_OWNER)
        rc = err_set(e, ERR_CONFLICT, "too_many_photos", "file", "最多上传 %d 张照片，请先删除不用的", PHOTO_MAX_PER_OWNER);
    if (rc == 0)
        rc = store_get_int(db, "SELECT COALESCE(MAX(position), -1) + 1 FROM photos WHERE owner_type = $1 AND owner_id = $2",
                           SV_ARGS(SV_T(owner_type), SV_I(owner_id)), &pos, e);
    if (rc) return rc;
    char sha[65], ts[32];
    crypto_sha256_hex(data, len, sha);
    ts_now(ts);
    char *b64 = NULL;
    rc = crypto_b64_encode(data, len, &b64, e);
    if (rc) return rc;
    store_res r;
    rc = store_query(db, &r,
        "INSERT INTO photos (owner_type, owner_id, mime, width, height, bytes, sha256, data, position, created_by,"
        " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        SV_ARGS(SV_T(owner_type), SV_I(owner_id), SV_T(pi.mime), SV_I(pi.width), SV_I(pi.height), SV_I(len),
                SV_T(sha), SV_T(b64), SV_I(pos), SV_IZ(x->actor->user_id), SV_T(ts)),
        e);
    free(b64);
    if (rc) return rc;
    int64_t id = 0;
    if ((rc = store_next(&r, e)) > 0) id = store_int(&r, 0);
    store_done(&r);
    if (rc < 0) return rc;
    *out = photo_json(id, pi.mime, pi.width, pi.height, (int64_t)len, url_base);
    return 0;
}

int photo_delete(store_conn *db, const char *owner_type, int64_t owner_id, int64_t photo_id, gh_err *e)
{
    int64_t n = 0;
    int rc = store_exec(db, "DELETE FROM photos WHERE id = $1 AND owner_type = $2 AND owner_id = $3",
                        SV_ARGS(SV_I(photo_id), SV_T(owner_type), SV_I(owner_id)), &n, e);
    if (rc == 0 && n != 1) rc = err_set(e, ERR_NOT_FOUND, "photo_not_found", "photo", "照片不存在");
    return rc;
}

int photo_list(store_conn *db, const char *owner_type, int64_t owner_id, const char *url_base, json_t **out,
               gh_err *e)
{
    store_res r;
    int rc = store_query(db, &r,
        "SELECT id, mime, width, height, bytes FROM photos WHERE owner_type = $1 AND owner_id = $2"
        " ORDER BY position, id",
        SV_ARGS(SV_T(owner_type), SV_I(owner_id)), e);
    if (rc) return rc;
    json_t *a = json_array();
    while ((rc = store_next(&r, e)) > 0)
        json_array_append_new(a, photo_json(store_int(&r, 0), store_text(&r, 1), store_int(&r, 2), store_int(&r, 3),
                                            store_int(&r, 4), url_base));
    store_done(&r);
    if (rc < 0) {
        json_decref(a);
        return rc;
    }
    *out = a;
    return 0;
}

int photo_fetch(store_conn *db, const char *owner_type, int64_t owner_id, int64_t photo_id, photo_blob *b,
                gh_err *e)
{
    memset(b, 0, sizeof *b);
    store_res r;
    int rc = store_query(db, &r,
        "SELECT mime, sha256, data FROM photos WHERE id = $1 AND owner_type = $2 AND owner_id = $3",
        SV_ARGS(SV_I(photo_id), SV_T(owner_type), SV_I(owner_id)), e);
    if (rc) return rc;
    if ((rc = store_next(&r, e)) > 0) {
        snprintf(b->mime, sizeof b->mime, "%s", store_text(&r, 0));
        snprintf(b->etag, sizeof b->etag, "\"%.32s\"", store_text(&r, 1));
        rc = crypto_b64_decode(store_text(&r, 2), &b->data, &b->len, e);
    } else if (rc == 0) {
        rc = err_set(e, ERR_NOT_FOUND, "photo_not_found", "photo", "照片不存在");
    }
    store_done(&r);
    return rc < 0 ? rc : 0;
}

void photo_blob_free(photo_blob *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
}

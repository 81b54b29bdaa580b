/* qr.c — QR codes as SVG; see qr.h. */
#include "base/qr.h"

#include <errno.h>
#include <qrencode.h>
#include <stdlib.h>

#include "base/buf.h"

#define QUIET 4

int qr_svg(const char *text, int px, char **svg, size_t *len, gh_err *e)
{
    *svg = NULL;
    *len = 0;
    if (!text || !*text) return err_set(e, ERR_INVALID, "qr_empty", NULL, "二维码内容为空");
    /* casesensitive = 1 keeps the text as it is; hint 8-bit lets the
     * library choose the alphanumeric mode for the parts that allow it. */
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q) {
        if (errno == ENOMEM) return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
        return err_set(e, ERR_INVALID, "qr_too_long", NULL, "内容过长，无法生成二维码");
    }
    int w = q->width, size = w + 2 * QUIET;
    if (px < 1) px = 1;
    buf b = {0};
    buf_printf(&b,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\""
               " shape-rendering=\"crispEdges\" role=\"img\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
               "<path fill=\"#000\" d=\"",
               size, size, size * px, size * px, size, size);
    for (int y = 0; y < w; y++) {
        const unsigned char *row = q->data + (size_t)y * (size_t)w;
        for (int x = 0; x < w;) {
            /* bit 0 of each byte is the module's colour (1 = dark) */
            if (!(row[x] & 1)) {
                x++;
                continue;
            }
            int run = 1;
            while (x + run < w && (row[x + run] & 1)) run++;
            buf_printf(&b, "M%d %dh%dv1h-%dz", x + QUIET, y + QUIET, run, run);
            x += run;
        }
    }
    buf_puts(&b, "\"/></svg>\n");
    QRcode_free(q);
    if (b.oom) {
        buf_free(&b);
        return err_set(e, ERR_NOMEM, NULL, NULL, NULL);
    }
    *len = b.len;
    *svg = buf_take(&b);
    return 0;
}

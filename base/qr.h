/* qr.h — QR codes as SVG images, for voucher codes shown on a member's
 * phone. libqrencode computes the symbol; this module draws it as one SVG
 * path (a run of dark modules per row), so the image is a few hundred bytes
 * and scales crisply to any screen. No project knowledge here. */
#ifndef GH_QR_H
#define GH_QR_H

#include <stddef.h>

#include "base/err.h"

/* Encode text (error correction level M, upper-case alphanumerics use the
 * compact alphanumeric mode) with a four-module quiet zone; px is the
 * suggested size of a module in pixels. *svg is malloc'd, the caller frees.
 * ERR_INVALID when the text does not fit in a QR code. */
int qr_svg(const char *text, int px, char **svg, size_t *len, gh_err *e);

#endif

/* static.c — the web UI's files from ui/: content types, revalidation with
 * ETags (the files carry no content hash in their names, so browsers check
 * back with If-None-Match and get 304 when nothing changed), and refusal of
 * anything outside ui/ (.., hidden files, links to elsewhere). Browser
 * libraries from npm are not copied into ui/: each /vendor/ URL below names
 * one file of a package in node_modules beside ui/ (package-lock.json pins
 * the version, npm ci installs it). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/internal.h"

int static_wants(const char *path)
{
    return strncmp(path, "/api/", 5) != 0 && strcmp(path, "/api") != 0 && strcmp(path, "/healthz") != 0;
}

static const struct {
    const char *ext, *type;
    int long_cache;
} types[] = {
    {".html", "text/html; charset=utf-8", 0},
    {".js", "text/javascript; charset=utf-8", 0},
    {".mjs", "text/javascript; charset=utf-8", 0},
    {".css", "text/css; charset=utf-8", 0},
    {".json", "application/json; charset=utf-8", 0},
    {".txt", "text/plain; charset=utf-8", 0},
    {".csv", "text/csv; charset=utf-8", 0},
    {".svg", "image/svg+xml", 1},
    {".png", "image/png", 1},
    {".jpg", "image/jpeg", 1},
    {".ico", "image/x-icon", 1},
    {".woff2", "font/woff2", 1},
    {".webmanifest", "application/manifest+json", 0},
};

/* The only files served from node_modules; relative to ui/.. (the checkout,
 * or the install directory that holds ui/ and node_modules/). */
static const struct {
    const char *url, *file;
} vendor[] = {
    {"/vendor/echarts.esm.min.js", "/../node_modules/echarts/dist/echarts.esm.min.js"},
};

static int safe_path(const char *path)
{
    /* Every segment must be a plain name: no "..", no hidden files. */
    for (const char *p = path; *p; p++) {
        if (*p == '\\') return 0;
        if (*p == '/' && p[1] == '.') return 0;
    }
    return path[0] == '/';
}

int static_serve(const char *ui_dir, const char *path, struct MHD_Connection *mc,
                 struct MHD_Response **resp)
{
    *resp = NULL;
    if (!safe_path(path)) return 404;
    const char *rel = path;
    for (size_t i = 0; i < sizeof vendor / sizeof vendor[0]; i++)
        if (strcmp(path, vendor[i].url) == 0) rel = vendor[i].file;
    char full[1024];
    int n = snprintf(full, sizeof full, "%s%s%s", ui_dir, rel,
                     rel[strlen(rel) - 1] == '/' ? "index.html" : "");
    if (n < 0 || (size_t)n >= sizeof full) return 404;
    int fd = open(full, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        /* "/console" → "/console/": relative links inside need the slash. */
        close(fd);
        char loc[1024];
        snprintf(loc, sizeof loc, "%s/", path);
        *resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        if (*resp) MHD_add_response_header(*resp, "Location", loc);
        return 301;
    }
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0) close(fd);
        return 404;
    }
    const char *type = "application/octet-stream";
    int long_cache = 0;
    const char *dot = strrchr(full, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++) {
        if (strcmp(dot, types[i].ext) == 0) {
            type = types[i].type;
            long_cache = types[i].long_cache;
        }
    }
    char etag[80];
    snprintf(etag, sizeof etag, "\"%llx-%llx\"", (unsigned long long)st.st_size,
             (unsigned long long)st.st_mtim.tv_sec * 1000000000ULL + (unsigned long long)st.st_mtim.tv_nsec);
    const char *inm = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, "If-None-Match");
    int status = 200;
    if (inm && strcmp(inm, etag) == 0) {
        close(fd);
        *resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        status = 304;
    } else {
        *resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
        if (!*resp) close(fd);
    }
    if (!*resp) return 500;
    MHD_add_response_header(*resp, "ETag", etag);
    MHD_add_response_header(*resp, "Cache-Control", long_cache ? "public, max-age=86400" : "no-cache");
    if (status == 200) MHD_add_response_header(*resp, "Content-Type", type);
    if (strncmp(type, "text/html", 9) == 0)
        MHD_add_response_header(*resp, "Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                                "object-src 'none'; base-uri 'self'; frame-ancestors 'none'");
    return status;
}

/* The web app's file serving: which file a request path gets (exact files,
 * the app's own routes to index.html, nothing outside the folder), gzip that
 * decompresses to the original, ETags, the CSP naming the media origin, and
 * the limits on what is read at start. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "gw_web.h"
#include "test_support.h"

static char dir[256];
static gw_web web;

static void write_file(const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    fclose(f);
}

static void site_new(void)
{
    char err[256];
    ts_dir_new("gwweb", dir, sizeof(dir));
    ts_sh("mkdir -p '%s/assets' '%s/.hidden'", dir, dir);
    write_file("index.html", "<!doctype html><title>app</title><script type=module src=/assets/app-1a2b.js></script>");
    char big[4096];
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    write_file("assets/app-1a2b.js", big);
    write_file("assets/logo.png", "\x89PNG not really");
    write_file(".hidden/secret.txt", "no");
    ts_sh("ln -s /etc/passwd '%s/passwd'", dir);
    cr_assert_eq(gw_web_load(&web, dir, "http://127.0.0.1:59000", err, sizeof(err)), 0, "%s", err);
}

static void site_free(void)
{
    gw_web_release(&web);
    ts_dir_free(dir);
}

TestSuite(web, .init = site_new, .fini = site_free);

Test(web, exact_files_and_app_routes)
{
    cr_assert_eq(web.n, 3, "index, script and image; no dot-files, no links (got %zu)", web.n);
    cr_assert_str_eq(gw_web_find(&web, "/")->path, "/index.html");
    cr_assert_str_eq(gw_web_find(&web, "/assets/app-1a2b.js")->path, "/assets/app-1a2b.js");
    cr_assert_str_eq(gw_web_find(&web, "/assets/app-1a2b.js")->type, "text/javascript; charset=utf-8");
    cr_assert_str_eq(gw_web_find(&web, "/assets/logo.png")->type, "image/png");
    /* The app's routes are index.html... */
    cr_assert_str_eq(gw_web_find(&web, "/interviews/3f1e")->path, "/index.html");
    cr_assert_str_eq(gw_web_find(&web, "/invite/abc")->path, "/index.html");
    cr_assert_str_eq(gw_web_find(&web, "/history")->path, "/index.html");
    cr_assert_str_eq(gw_web_find(&web, "/signin")->path, "/index.html");
    /* ...but another path, a missing file or asset is a 404, not the page. */
    cr_assert_null(gw_web_find(&web, "/wp-admin"));
    cr_assert_null(gw_web_find(&web, "/interviews.php"));
    cr_assert_null(gw_web_find(&web, "/interviews/x/evil.js"));
    cr_assert_null(gw_web_find(&web, "/assets/app-old.js"));
    cr_assert_null(gw_web_find(&web, "/assets/chunk"));
    cr_assert_null(gw_web_find(&web, "/favicon.ico"));
}

Test(web, nothing_outside_the_folder)
{
    /* Only the files read at start exist: a link is never followed, a dot-file
     * never read. */
    cr_assert_null(gw_web_find(&web, "/passwd"), "a link is never followed");
    cr_assert_null(gw_web_find(&web, "/.hidden/secret.txt"));
    cr_assert_null(gw_web_find(&web, "/../../etc/passwd"));
    cr_assert_null(gw_web_find(&web, "/etc/passwd"));
    cr_assert_null(gw_web_find(&web, "/assets/../../etc/hosts"));
    cr_assert_null(gw_web_find(&web, "/../index.html"));
}

Test(web, gzip_is_the_same_bytes)
{
    const gw_web_file *f = gw_web_find(&web, "/assets/app-1a2b.js");
    cr_assert_not_null(f->gz, "4 KB of text compresses");
    cr_assert_lt(f->gz_len, f->len / 10);
    unsigned char out[8192];
    z_stream z;
    memset(&z, 0, sizeof(z));
    cr_assert_eq(inflateInit2(&z, 15 + 16), Z_OK); /* gzip wrapper only */
    z.next_in = (Bytef *)f->gz;
    z.avail_in = (uInt)f->gz_len;
    z.next_out = out;
    z.avail_out = sizeof(out);
    cr_assert_eq(inflate(&z, Z_FINISH), Z_STREAM_END);
    cr_assert_eq(z.total_out, f->len);
    cr_assert_eq(memcmp(out, f->body, f->len), 0);
    inflateEnd(&z);
    cr_assert_null(gw_web_find(&web, "/assets/logo.png")->gz, "images are not recompressed");
}

Test(web, etag_follows_content)
{
    const gw_web_file *a = gw_web_find(&web, "/index.html"), *b = gw_web_find(&web, "/assets/app-1a2b.js");
    cr_assert_eq(a->etag[0], '"');
    cr_assert_eq(strlen(a->etag), 22);
    cr_assert_str_neq(a->etag, b->etag);
}

Test(web, csp_allows_only_this_origin_and_the_media_store)
{
    cr_assert_not_null(strstr(web.headers, "script-src 'self';"));
    cr_assert_null(strstr(web.headers, "unsafe-inline"));
    cr_assert_not_null(strstr(web.headers, "media-src 'self' blob: http://127.0.0.1:59000;"));
    cr_assert_not_null(strstr(web.headers, "connect-src 'self';"));
    cr_assert_not_null(strstr(web.headers, "Referrer-Policy: no-referrer"), "invitation tokens stay in the address bar");
}

Test(web_origin, scheme_host_port_only)
{
    char o[128];
    gw_web_origin("https://media.example.org:9000/bucket/key?x=1", o, sizeof(o));
    cr_assert_str_eq(o, "https://media.example.org:9000");
    gw_web_origin("http://127.0.0.1:59000", o, sizeof(o));
    cr_assert_str_eq(o, "http://127.0.0.1:59000");
    gw_web_origin("no scheme here", o, sizeof(o));
    cr_assert_str_eq(o, "");
    gw_web_origin("https://evil.example; script-src *", o, sizeof(o));
    cr_assert_str_eq(o, "https://evil.example", "nothing that would add a directive");
}

Test(web_load, missing_folder_serves_nothing)
{
    gw_web w;
    char err[256];
    cr_assert_eq(gw_web_load(&w, "/nonexistent/isim-web", "", err, sizeof(err)), 0);
    cr_assert_eq(w.n, 0);
    cr_assert_null(gw_web_find(&w, "/"));
    gw_web_release(&w);
}

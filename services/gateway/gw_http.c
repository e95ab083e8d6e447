#include "gw_http.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "health_http.h"
#include "isim_util.h"

static _Thread_local char gw_req_id[GW_REQUEST_ID_MAX + 1];
static _Thread_local char gw_req_headers[1024];
static _Thread_local int gw_req_cors;
static _Thread_local int gw_req_status;
static _Thread_local int gw_req_body_pending; /* body bytes may remain unread */

static int gw_request_id_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > GW_REQUEST_ID_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!(s[i] >= 'a' && s[i] <= 'z') && !(s[i] >= 'A' && s[i] <= 'Z') && !(s[i] >= '0' && s[i] <= '9') &&
            s[i] != '.' && s[i] != '_' && s[i] != '-')
            return 0;
    return 1;
}

/* The Origin is echoed only when it is in the list, so it is safe in a header. */
int gw_origin_allowed(const char *origin, const char *list)
{
    if (!origin || !*origin || !list || !*list || strpbrk(origin, "\r\n"))
        return 0;
    size_t olen = strlen(origin);
    for (const char *p = list; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *end = p;
        while (*end && *end != ',')
            end++;
        const char *last = end;
        while (last > p && last[-1] == ' ')
            last--;
        size_t len = (size_t)(last - p);
        if ((len == 1 && *p == '*') || (len == olen && strncmp(p, origin, len) == 0))
            return 1;
        p = end;
    }
    return 0;
}

void gw_request_begin(struct mg_connection *conn, const char *cors_origins)
{
    const char *given = mg_get_header(conn, "X-Request-Id");
    if (gw_request_id_ok(given)) {
        snprintf(gw_req_id, sizeof(gw_req_id), "%s", given);
    } else if (util_uuid_v4(gw_req_id) != 0) {
        snprintf(gw_req_id, sizeof(gw_req_id), "unknown");
    }
    gw_req_status = 0;
    const struct mg_request_info *ri = mg_get_request_info(conn);
    gw_req_body_pending = ri->content_length > 0 || mg_get_header(conn, "Transfer-Encoding") != NULL;
    const char *origin = mg_get_header(conn, "Origin");
    gw_req_cors = gw_origin_allowed(origin, cors_origins) && strlen(origin) < 512;
    /* nosniff: a browser never reads an API answer as another type than it says. */
    int n = snprintf(gw_req_headers, sizeof(gw_req_headers), "X-Request-Id: %s\r\nX-Content-Type-Options: nosniff\r\n",
                     gw_req_id);
    if (gw_req_cors)
        snprintf(gw_req_headers + n, sizeof(gw_req_headers) - (size_t)n,
                 "Access-Control-Allow-Origin: %s\r\nVary: Origin\r\n"
                 "Access-Control-Expose-Headers: X-Request-Id, Retry-After\r\n", origin);
}

const char *gw_request_id(void) { return gw_req_id; }
const char *gw_request_headers(void) { return gw_req_headers; }
int gw_request_cors_allowed(void) { return gw_req_cors; }
int gw_request_status(void) { return gw_req_status; }
void gw_request_set_status(int status) { gw_req_status = status; }

int gw_read_body(struct mg_connection *conn, void *buf, size_t len)
{
    int n = mg_read(conn, buf, len);
    if (n == 0)
        gw_req_body_pending = 0;
    return n;
}

void gw_request_close_after(struct mg_connection *conn)
{
    mg_disable_connection_keep_alive(conn);
}

void gw_send_bytes(struct mg_connection *conn, int status, const char *content_type,
                   const char *body, size_t len, const char *headers)
{
    char all[2048];
    const char *closing = "";
    if (gw_req_body_pending) {
        gw_request_close_after(conn);
        closing = "Connection: close\r\n";
    }
    snprintf(all, sizeof(all), "%s%s%s", gw_req_headers, closing, headers ? headers : "");
    gw_req_status = status;
    http_send(conn, status, content_type, body, len, all);
}

void gw_send_json_h(struct mg_connection *conn, int status, json_t *body, const char *headers)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (!text) {
        static const char oom[] = "{\"error\":{\"code\":\"internal\",\"message\":\"response encoding failed\"}}";
        gw_send_bytes(conn, 500, "application/json", oom, sizeof(oom) - 1, NULL);
        return;
    }
    gw_send_bytes(conn, status, "application/json", text, strlen(text), headers);
    free(text);
}

void gw_send_json(struct mg_connection *conn, int status, json_t *body)
{
    gw_send_json_h(conn, status, body, NULL);
}

static void gw_send_error_v(struct mg_connection *conn, int status, const char *headers, const char *code,
                            const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    gw_send_json_h(conn, status, json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", msg), headers);
}

void gw_send_error(struct mg_connection *conn, int status, const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gw_send_error_v(conn, status, NULL, code, fmt, ap);
    va_end(ap);
}

void gw_send_error_h(struct mg_connection *conn, int status, const char *headers, const char *code,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gw_send_error_v(conn, status, headers, code, fmt, ap);
    va_end(ap);
}

char *gw_read_body_all(struct mg_connection *conn, size_t max, size_t *len)
{
    const struct mg_request_info *ri = mg_get_request_info(conn);
    /* civetweb's max_request_size bounds headers only: the body is ours to bound. */
    if (ri->content_length > (long long)max) {
        gw_send_error(conn, 413, "body_too_large", "The request body is larger than %zu bytes.", max);
        return NULL;
    }
    char *buf = malloc(max + 1);
    if (!buf) {
        gw_send_error(conn, 500, "internal", "out of memory");
        return NULL;
    }
    size_t n = 0;
    int got;
    while (n <= max && (got = gw_read_body(conn, buf + n, max + 1 - n)) > 0)
        n += (size_t)got;
    if (n > max) {
        free(buf);
        gw_send_error(conn, 413, "body_too_large", "The request body is larger than %zu bytes.", max);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

json_t *gw_read_json(struct mg_connection *conn)
{
    size_t len = 0;
    char *buf = gw_read_body_all(conn, GW_MAX_BODY, &len);
    if (!buf)
        return NULL;
    json_error_t jerr;
    json_t *j = json_loadb(buf, len, 0, &jerr);
    free(buf);
    if (!j || !json_is_object(j)) {
        json_decref(j);
        gw_send_error(conn, 400, "invalid_json", "The request body must be a JSON object%s%s.",
                      j ? "" : ": ", j ? "" : jerr.text);
        return NULL;
    }
    return j;
}

int gw_json_only(struct mg_connection *conn, json_t *body, const char *const *allowed)
{
    const char *name;
    json_t *v;
    json_object_foreach(body, name, v) {
        int ok = 0;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = strcmp(*a, name) == 0;
        if (!ok) {
            gw_send_error(conn, 422, "unknown_field", "The field \"%.64s\" is not allowed here.", name);
            return -1;
        }
    }
    return 0;
}

int gw_query_only(struct mg_connection *conn, const char *const *allowed)
{
    const char *qs = mg_get_request_info(conn)->query_string;
    for (const char *p = qs; p && *p;) {
        size_t seg = strcspn(p, "&"), name = strcspn(p, "=&");
        int ok = seg == 0; /* "a=1&&b=2": an empty segment names nothing */
        for (const char *const *a = allowed; a && *a && !ok; a++)
            ok = strlen(*a) == name && strncmp(*a, p, name) == 0;
        if (!ok) {
            gw_send_error(conn, 422, "unknown_parameter", "The query parameter \"%.*s\" is not allowed here.",
                          (int)(name < 64 ? name : 64), p);
            return -1;
        }
        p += seg + (p[seg] == '&');
    }
    return 0;
}

size_t gw_utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

int gw_query_param(struct mg_connection *conn, const char *name, char *out, size_t outlen)
{
    const char *qs = mg_get_request_info(conn)->query_string;
    if (!qs)
        return 0;
    int n = mg_get_var(qs, strlen(qs), name, out, outlen);
    if (n == -1)
        return 0;
    return n < 0 ? -1 : 1;
}

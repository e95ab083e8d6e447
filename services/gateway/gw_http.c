#include "gw_http.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "health_http.h"

void gw_send_json(struct mg_connection *conn, int status, json_t *body)
{
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    if (!text) {
        http_send(conn, 500, "application/json", "{\"error\":{\"code\":\"internal\",\"message\":\"response encoding failed\"}}", 68, NULL);
        return;
    }
    http_send(conn, status, "application/json", text, strlen(text), NULL);
    free(text);
}

void gw_send_error(struct mg_connection *conn, int status, const char *code, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    gw_send_json(conn, status, json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", msg));
}

json_t *gw_read_json(struct mg_connection *conn)
{
    const struct mg_request_info *ri = mg_get_request_info(conn);
    /* civetweb's max_request_size bounds headers only: the body is ours to bound. */
    if (ri->content_length > GW_MAX_BODY) {
        gw_send_error(conn, 413, "body_too_large", "The request body is larger than %d bytes.", GW_MAX_BODY);
        return NULL;
    }
    char *buf = malloc(GW_MAX_BODY + 1);
    if (!buf) {
        gw_send_error(conn, 500, "internal", "out of memory");
        return NULL;
    }
    size_t len = 0;
    int n;
    while (len <= GW_MAX_BODY && (n = mg_read(conn, buf + len, GW_MAX_BODY + 1 - len)) > 0)
        len += (size_t)n;
    if (len > GW_MAX_BODY) {
        free(buf);
        gw_send_error(conn, 413, "body_too_large", "The request body is larger than %d bytes.", GW_MAX_BODY);
        return NULL;
    }
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

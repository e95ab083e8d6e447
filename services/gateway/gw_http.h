/* Request/response helpers of the gateway: bounded bodies, JSON replies and
 * the one error shape {"error": {"code", "message"}}. */
#ifndef ISIM_GW_HTTP_H
#define ISIM_GW_HTTP_H

#include <civetweb.h>
#include <jansson.h>
#include <stddef.h>

#define GW_MAX_BODY 65536

void gw_send_json(struct mg_connection *conn, int status, json_t *body); /* steals body */
void gw_send_error(struct mg_connection *conn, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Reads and parses a JSON object body of at most GW_MAX_BODY bytes; on failure
 * the error response has been sent and NULL is returned. */
json_t *gw_read_json(struct mg_connection *conn);

#endif

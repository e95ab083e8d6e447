/* Request/response helpers of the gateway: bounded bodies, JSON replies, the
 * one error shape {"error": {"code", "message"}}, and the per-request context
 * (request id, CORS headers) every response carries. */
#ifndef ISIM_GW_HTTP_H
#define ISIM_GW_HTTP_H

#include <civetweb.h>
#include <jansson.h>
#include <stddef.h>

#include "isim_log.h"

#define GW_MAX_BODY 65536
#define GW_REQUEST_ID_MAX 64

/* Starts a request on this thread: accepts a client's X-Request-Id made of
 * [A-Za-z0-9._-]{1,64}, else generates one; computes the CORS headers for
 * the Origin header against cors_origins (comma list, "*"; may be NULL). */
void gw_request_begin(struct mg_connection *conn, const char *cors_origins);
const char *gw_request_id(void);
/* 1 when origin is in list (comma-separated, "*" for any) and has no CR/LF. */
int gw_origin_allowed(const char *origin, const char *list);
/* Headers every response of this request carries ("Name: value\r\n"...). */
const char *gw_request_headers(void);
/* 1 when the request had an Origin the configuration allows. */
int gw_request_cors_allowed(void);
int gw_request_status(void); /* status of the response sent, 0 before */
void gw_request_set_status(int status); /* for responses written without gw_send_* (streams) */

/* Log lines naming the request. */
#define gw_log(level, fmt, ...) log_write(level, fmt " (request %s)", ##__VA_ARGS__, gw_request_id())

void gw_send_json(struct mg_connection *conn, int status, json_t *body); /* steals body */
/* Same, with more headers ("Name: value\r\n"...). */
void gw_send_json_h(struct mg_connection *conn, int status, json_t *body, const char *headers);
void gw_send_bytes(struct mg_connection *conn, int status, const char *content_type,
                   const char *body, size_t len, const char *headers);
void gw_send_error(struct mg_connection *conn, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void gw_send_error_h(struct mg_connection *conn, int status, const char *headers, const char *code,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* mg_read that notes when the request body has been read to its end. A
 * response to a request whose body was not read to its end closes the
 * connection: on a kept-alive connection civetweb would otherwise read and
 * throw away the rest (a refused 1 GB upload) before the next request. */
int gw_read_body(struct mg_connection *conn, void *buf, size_t len);
/* Tells the client the connection closes after this response (streams). */
void gw_request_close_after(struct mg_connection *conn);
/* Reads the whole body (at most max bytes; NUL-terminated, *len without the
 * NUL) into a string to free; on failure the error response (413, 500) has
 * been sent and NULL is returned. */
char *gw_read_body_all(struct mg_connection *conn, size_t max, size_t *len);
/* Reads and parses a JSON object body of at most GW_MAX_BODY bytes; on failure
 * the error response has been sent and NULL is returned. */
json_t *gw_read_json(struct mg_connection *conn);
/* Answers 422 and returns -1 when body has a member not in allowed (NULL-terminated). */
int gw_json_only(struct mg_connection *conn, json_t *body, const char *const *allowed);

/* Answers 422 and returns -1 when the query string names a parameter not in
 * allowed (NULL-terminated; NULL: none allowed). */
int gw_query_only(struct mg_connection *conn, const char *const *allowed);
/* Number of UTF-8 code points of s (jansson has validated it). */
size_t gw_utf8_len(const char *s);
/* Value of query parameter name, URL-decoded, into out; 1 found, 0 absent, -1 too long. */
int gw_query_param(struct mg_connection *conn, const char *name, char *out, size_t outlen);

#endif

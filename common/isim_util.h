/* Small helpers shared by every service: ids, trace context, temp dirs. */
#ifndef ISIM_UTIL_H
#define ISIM_UTIL_H

#include <stddef.h>

#define ISIM_UUID_LEN 36

/* Random version-4 UUID, lowercase, into out[37]. Returns 0 or -1. */
int util_uuid_v4(char out[ISIM_UUID_LEN + 1]);
/* 1 when s is a UUID in either case (callers lower-case it with
 * util_ascii_lower before using it: keys are built from lower-case ids). */
int util_uuid_valid(const char *s);
/* Copies s into out[outlen] with every byte that is not part of a valid UTF-8
 * sequence written as the four characters \xNN, so that text from outside
 * (a request path) can be put in JSON; stops at a whole character or escape
 * that would not fit. */
void util_utf8_escape(const char *s, char *out, size_t outlen);
/* Lower-cases the ASCII letters of s in place. */
void util_ascii_lower(char *s);

/* W3C traceparent "00-<32 hex trace id>-<16 hex span id>-01" into out[56]. */
int util_traceparent_new(char out[56]);
/* Extracts the 32-hex trace id from a traceparent; 0 or -1 when malformed. */
int util_traceparent_trace_id(const char *traceparent, char trace_id[33]);
/* Same trace id, new span id: the traceparent a stage puts on its output. */
int util_traceparent_child(const char *parent, char out[56]);

/* mkdtemp under base ("<base>/isim-XXXXXX"); path_out gets the folder. */
int util_tempdir_new(const char *base, char *path_out, size_t len, char *err, size_t errlen);
/* Removes a folder made by util_tempdir_new and everything in it (one level of files). */
void util_tempdir_free(const char *path);

double util_now_s(void); /* monotonic seconds */
struct timespec;
/* The CLOCK_REALTIME instant ms milliseconds from now, as
 * pthread_cond_timedwait wants its deadline. */
void util_deadline_ms(struct timespec *ts, int ms);

/* Lowercase hex of n bytes into out[2n+1]. */
void util_hex(const unsigned char *in, size_t n, char *out);
/* snprintf into an error buffer that may be NULL or empty. */
void util_errf(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif

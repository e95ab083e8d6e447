/* JSON-lines logging on stdout, one object per line, with a per-thread
 * trace id and interview id so every line of one interview can be found. */
#ifndef ISIM_LOG_H
#define ISIM_LOG_H

typedef enum { ISIM_LOG_DEBUG = 0, ISIM_LOG_INFO, ISIM_LOG_WARN, ISIM_LOG_ERROR } log_level;

#include <stdio.h>

void log_init(const char *service, const char *level_name);
/* Services log to stdout; the CLI, whose stdout is the report, to stderr. */
void log_set_output(FILE *out);
/* Thread-local context; either may be NULL. Copied. */
void log_set_context(const char *trace_id, const char *interview_id);
/* The same with the trace id of a W3C traceparent (none if it is not one). */
void log_set_trace_context(const char *traceparent, const char *interview_id);
void log_clear_context(void);
void log_write(log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_write(ISIM_LOG_DEBUG, __VA_ARGS__)
#define log_info(...)  log_write(ISIM_LOG_INFO, __VA_ARGS__)
#define log_warn(...)  log_write(ISIM_LOG_WARN, __VA_ARGS__)
#define log_error(...) log_write(ISIM_LOG_ERROR, __VA_ARGS__)

#endif

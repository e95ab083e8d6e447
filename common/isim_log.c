#include "isim_log.h"

#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>

#include "isim_util.h"

static const char *log_level_names[] = {"debug", "info", "warn", "error"};
static char log_service[64] = "isim";
static log_level log_min_level = ISIM_LOG_INFO;
static FILE *log_out;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local char log_ctx_trace[64];
static _Thread_local char log_ctx_interview[64];

void log_init(const char *service, const char *level_name)
{
    snprintf(log_service, sizeof(log_service), "%s", service ? service : "isim");
    log_min_level = ISIM_LOG_INFO;
    for (int i = 0; level_name && i < 4; i++)
        if (strcasecmp(level_name, log_level_names[i]) == 0)
            log_min_level = (log_level)i;
}

void log_set_output(FILE *out)
{
    log_out = out;
}

void log_set_context(const char *trace_id, const char *interview_id)
{
    snprintf(log_ctx_trace, sizeof(log_ctx_trace), "%s", trace_id ? trace_id : "");
    snprintf(log_ctx_interview, sizeof(log_ctx_interview), "%s", interview_id ? interview_id : "");
}

void log_set_trace_context(const char *traceparent, const char *interview_id)
{
    char trace_id[33] = "";
    if (!traceparent || util_traceparent_trace_id(traceparent, trace_id) != 0)
        trace_id[0] = '\0';
    log_set_context(trace_id, interview_id);
}

void log_clear_context(void)
{
    log_ctx_trace[0] = '\0';
    log_ctx_interview[0] = '\0';
}

void log_write(log_level level, const char *fmt, ...)
{
    if (level < log_min_level)
        return;
    char raw[2048], msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof(raw), fmt, ap);
    va_end(ap);
    /* jansson refuses invalid UTF-8 (a request path from outside, a message
     * cut inside a character): escaped, the line is written all the same. */
    util_utf8_escape(raw, msg, sizeof(msg));

    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    char ts[40];
    size_t n = strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(ts + n, sizeof(ts) - n, ".%03ldZ", (long)(tv.tv_usec / 1000));

    json_t *line = json_pack("{s:s, s:s, s:s, s:s}", "ts", ts, "level", log_level_names[level],
                             "service", log_service, "msg", msg);
    if (!line)
        return;
    if (log_ctx_trace[0])
        json_object_set_new(line, "trace_id", json_string(log_ctx_trace));
    if (log_ctx_interview[0])
        json_object_set_new(line, "interview_id", json_string(log_ctx_interview));
    char *text = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(line);
    if (!text)
        return;
    pthread_mutex_lock(&log_lock);
    FILE *out = log_out ? log_out : stdout;
    fputs(text, out);
    fputc('\n', out);
    fflush(out);
    pthread_mutex_unlock(&log_lock);
    free(text);
}

#include "dlq_print.h"

#include <string.h>
#include <time.h>

void dlq_time_iso(int64_t ms, char out[32])
{
    struct tm tm;
    time_t t = (time_t)(ms / 1000);
    if (ms < 0 || !gmtime_r(&t, &tm) || !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
        strcpy(out, "-");
}

const char *dlq_print_flat(const char *s, char *buf, size_t len)
{
    if (!s || !s[0])
        return "-";
    snprintf(buf, len, "%s", s);
    for (char *p = buf; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = ' ';
    return buf;
}

#define DLQ_LINE_FORMAT "%-10s %-20s %-36s %-13s %-34s %-8s %-8s %s\n"

void dlq_print_header(FILE *out)
{
    fprintf(out, DLQ_LINE_FORMAT, "DLQ", "TIME", "INTERVIEW", "STAGE", "SOURCE", "ATTEMPTS", "REPLAYED", "REASON");
}

int dlq_print_line(FILE *out, const dlq_entry *e)
{
    char ref[48], at[32], source[512], part[16] = "?", off[24] = "?", attempts[16] = "-";
    char stage[128], topic[256], reason[2048];
    snprintf(ref, sizeof(ref), "%d:%lld", (int)e->partition, (long long)e->offset);
    dlq_time_iso(e->time_ms, at);
    if (e->source_partition >= 0)
        snprintf(part, sizeof(part), "%d", (int)e->source_partition);
    if (e->source_offset >= 0)
        snprintf(off, sizeof(off), "%lld", (long long)e->source_offset);
    snprintf(source, sizeof(source), "%s:%s:%s", dlq_print_flat(e->source_topic, topic, sizeof(topic)), part, off);
    if (e->attempts > 0)
        snprintf(attempts, sizeof(attempts), "%d", e->attempts);
    int n = fprintf(out, DLQ_LINE_FORMAT, ref, at, e->interview_id[0] ? e->interview_id : "-",
                    dlq_print_flat(e->stage, stage, sizeof(stage)), source, attempts, e->replayed ? "yes" : "no",
                    dlq_print_flat(e->reason, reason, sizeof(reason)));
    return n < 0 ? -1 : 0;
}

static json_t *dlq_json_text(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *dlq_json_count(long long v)
{
    return v >= 0 ? json_integer(v) : json_null();
}

json_t *dlq_entry_json_new(const dlq_entry *e)
{
    char at[32], replayed_at[32];
    dlq_time_iso(e->time_ms, at);
    dlq_time_iso(e->replayed_ms, replayed_at);
    json_t *j = json_object();
    if (!j)
        return NULL;
    int bad = json_object_set_new(j, "dlq_partition", json_integer(e->partition)) ||
              json_object_set_new(j, "dlq_offset", json_integer(e->offset)) ||
              json_object_set_new(j, "time", dlq_json_text(e->time_ms >= 0 ? at : NULL)) ||
              json_object_set_new(j, "interview_id", dlq_json_text(e->interview_id[0] ? e->interview_id : NULL)) ||
              json_object_set_new(j, "stage", dlq_json_text(e->stage)) ||
              json_object_set_new(j, "source_topic", dlq_json_text(e->source_topic)) ||
              json_object_set_new(j, "source_partition", dlq_json_count(e->source_partition)) ||
              json_object_set_new(j, "source_offset", dlq_json_count(e->source_offset)) ||
              json_object_set_new(j, "attempts", dlq_json_count(e->attempts > 0 ? e->attempts : -1)) ||
              json_object_set_new(j, "reason", dlq_json_text(e->reason)) ||
              json_object_set_new(j, "replayed", json_boolean(e->replayed)) ||
              json_object_set_new(j, "replayed_at", dlq_json_text(e->replayed && e->replayed_ms >= 0 ? replayed_at : NULL));
    if (bad) {
        json_decref(j);
        return NULL;
    }
    return j;
}

int dlq_print_json(FILE *out, const dlq_entry *e)
{
    json_t *j = dlq_entry_json_new(e);
    int rc = j && json_dumpf(j, out, JSON_COMPACT) == 0 && fputc('\n', out) != EOF ? 0 : -1;
    json_decref(j);
    return rc;
}

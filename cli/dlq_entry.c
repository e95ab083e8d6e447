#include "dlq_entry.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "isim_log.h"
#include "kafka_topics.h"
#include "kafka_worker.h"

dlq_list *dlq_list_new(void)
{
    return calloc(1, sizeof(dlq_list));
}

static void dlq_entry_release(dlq_entry *e)
{
    free(e->stage);
    free(e->source_topic);
    free(e->reason);
    free(e->traceparent);
    free(e->value);
}

void dlq_list_free(dlq_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        dlq_entry_release(&l->entries[i]);
    free(l->entries);
    free(l->marks);
    free(l);
}

/* A whole decimal number in [min, max] from len bytes; 0 or -1. */
static int dlq_number(const char *s, size_t len, long long min, long long max, long long *out)
{
    char buf[24], *end;
    if (len == 0 || len >= sizeof(buf))
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (buf[0] != '-' && (buf[0] < '0' || buf[0] > '9'))
        return -1;
    errno = 0;
    long long v = strtoll(buf, &end, 10);
    if (errno || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

int dlq_ref_parse(const char *s, size_t len, int32_t *partition, int64_t *offset)
{
    const char *colon = s ? memchr(s, ':', len) : NULL;
    long long p, o;
    if (!colon || dlq_number(s, (size_t)(colon - s), 0, INT32_MAX, &p) != 0 ||
        dlq_number(colon + 1, len - (size_t)(colon - s) - 1, 0, INT64_MAX, &o) != 0)
        return -1;
    *partition = (int32_t)p;
    *offset = o;
    return 0;
}

/* The last header name as bytes; 0 or -1 when missing. */
static int dlq_header(const rd_kafka_headers_t *h, const char *name, const char **v, size_t *len)
{
    const void *value = NULL;
    if (!h || rd_kafka_header_get_last(h, name, &value, len) != RD_KAFKA_RESP_ERR_NO_ERROR || !value)
        return -1;
    *v = value;
    return 0;
}

/* The header as a string of valid UTF-8 (bytes that are not, written
 * \xNN); *out stays NULL when the header is missing. 0, or -1 out of memory. */
static int dlq_header_text(const rd_kafka_headers_t *h, const char *name, char **out)
{
    const char *v;
    size_t len;
    char *raw = NULL;
    *out = NULL;
    if (dlq_header(h, name, &v, &len) != 0)
        return 0;
    raw = strndup(v, len);
    *out = raw ? malloc(4 * len + 1) : NULL;
    if (*out)
        util_utf8_escape(raw, *out, 4 * len + 1);
    free(raw);
    return *out ? 0 : -1;
}

static long long dlq_header_number(const rd_kafka_headers_t *h, const char *name, long long min,
                                   long long max, long long unknown)
{
    const char *v;
    size_t len;
    long long n;
    if (dlq_header(h, name, &v, &len) != 0 || dlq_number(v, len, min, max, &n) != 0)
        return unknown;
    return n;
}

static int dlq_list_add_mark(dlq_list *l, const dlq_raw *m, const char *ref, size_t len, char *err,
                             size_t errlen)
{
    dlq_mark mark = {.time_ms = m->time_ms};
    if (dlq_ref_parse(ref, len, &mark.partition, &mark.offset) != 0) {
        log_warn("interview.dlq %d:%lld: %s is not <partition>:<offset>; ignored", (int)m->partition,
                 (long long)m->offset, DLQ_HEADER_REPLAY_OF);
        return 0;
    }
    if (l->n_marks == l->cap_marks) {
        size_t cap = l->cap_marks ? 2 * l->cap_marks : 16;
        dlq_mark *grown = realloc(l->marks, cap * sizeof(*grown));
        if (!grown) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        l->marks = grown;
        l->cap_marks = cap;
    }
    l->marks[l->n_marks++] = mark;
    return 0;
}

static int dlq_entry_fill(dlq_entry *e, const dlq_raw *m)
{
    const rd_kafka_headers_t *h = m->headers;
    memset(e, 0, sizeof(*e));
    e->partition = m->partition;
    e->offset = m->offset;
    e->time_ms = m->time_ms;
    e->replayed_ms = -1;
    e->duplicate_of = -1;
    if (m->key && m->key_len == ISIM_UUID_LEN) {
        memcpy(e->interview_id, m->key, ISIM_UUID_LEN);
        e->interview_id[ISIM_UUID_LEN] = '\0';
        if (util_uuid_valid(e->interview_id))
            util_ascii_lower(e->interview_id);
        else
            e->interview_id[0] = '\0';
    }
    e->source_partition = (int32_t)dlq_header_number(h, "x-isim-source-partition", 0, INT32_MAX, -1);
    e->source_offset = dlq_header_number(h, "x-isim-source-offset", 0, INT64_MAX, -1);
    e->attempts = (int)dlq_header_number(h, "x-isim-attempts", 1, 1000000, 0);
    if (dlq_header_text(h, "x-isim-stage", &e->stage) != 0 ||
        dlq_header_text(h, "x-isim-source-topic", &e->source_topic) != 0 ||
        dlq_header_text(h, "x-isim-reason", &e->reason) != 0 ||
        dlq_header_text(h, "traceparent", &e->traceparent) != 0)
        return -1;
    e->len = m->len;
    e->value = malloc(m->len ? m->len : 1);
    if (!e->value)
        return -1;
    if (m->len)
        memcpy(e->value, m->value, m->len);
    return 0;
}

int dlq_list_add(dlq_list *l, const dlq_raw *m, char *err, size_t errlen)
{
    const char *ref;
    size_t len;
    if (dlq_header(m->headers, DLQ_HEADER_REPLAY_OF, &ref, &len) == 0)
        return dlq_list_add_mark(l, m, ref, len, err, errlen);
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        dlq_entry *grown = realloc(l->entries, cap * sizeof(*grown));
        if (!grown)
            goto oom;
        l->entries = grown;
        l->cap = cap;
    }
    if (dlq_entry_fill(&l->entries[l->n], m) != 0) {
        dlq_entry_release(&l->entries[l->n]);
        goto oom;
    }
    l->n++;
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
    return -1;
}

static int dlq_cmp_i64(int64_t a, int64_t b)
{
    return a < b ? -1 : a > b;
}

static int dlq_entry_cmp(const void *pa, const void *pb)
{
    const dlq_entry *a = pa, *b = pb;
    int c = dlq_cmp_i64(a->time_ms, b->time_ms);
    if (!c)
        c = dlq_cmp_i64(a->partition, b->partition);
    return c ? c : dlq_cmp_i64(a->offset, b->offset);
}

static int dlq_mark_cmp(const void *pa, const void *pb)
{
    const dlq_mark *a = pa, *b = pb;
    int c = dlq_cmp_i64(a->partition, b->partition);
    return c ? c : dlq_cmp_i64(a->offset, b->offset);
}

/* Two dead letters of one source message. */
static int dlq_same_source(const dlq_entry *a, const dlq_entry *b)
{
    return a->source_topic && b->source_topic && a->source_offset >= 0 && a->source_partition >= 0 &&
           !strcmp(a->source_topic, b->source_topic) && a->source_partition == b->source_partition &&
           a->source_offset == b->source_offset && a->len == b->len && !memcmp(a->value, b->value, a->len);
}

void dlq_list_fold(dlq_list *l)
{
    if (l->n > 1)
        qsort(l->entries, l->n, sizeof(dlq_entry), dlq_entry_cmp);
    if (l->n_marks > 1)
        qsort(l->marks, l->n_marks, sizeof(dlq_mark), dlq_mark_cmp);
    for (size_t i = 0; i < l->n; i++) {
        dlq_entry *e = &l->entries[i];
        dlq_mark key = {.partition = e->partition, .offset = e->offset};
        const dlq_mark *m = l->n_marks ? bsearch(&key, l->marks, l->n_marks, sizeof(dlq_mark), dlq_mark_cmp) : NULL;
        if (m) {
            e->replayed = 1;
            e->replayed_ms = m->time_ms;
        }
    }
    /* Each group of dead letters of one source message hangs on its first. */
    for (size_t j = 1; j < l->n; j++)
        for (size_t i = 0; i < j && l->entries[j].duplicate_of < 0; i++)
            if (l->entries[i].duplicate_of < 0 && dlq_same_source(&l->entries[i], &l->entries[j]))
                l->entries[j].duplicate_of = (long)i;
    /* One replay put back the message of the whole group. */
    for (size_t j = 0; j < l->n; j++) {
        dlq_entry *e = &l->entries[j], *first = e->duplicate_of >= 0 ? &l->entries[e->duplicate_of] : NULL;
        if (first && e->replayed && !first->replayed) {
            first->replayed = 1;
            first->replayed_ms = e->replayed_ms;
        }
    }
    for (size_t j = 0; j < l->n; j++) {
        dlq_entry *e = &l->entries[j], *first = e->duplicate_of >= 0 ? &l->entries[e->duplicate_of] : NULL;
        if (first && first->replayed && !e->replayed) {
            e->replayed = 1;
            e->replayed_ms = first->replayed_ms;
        }
    }
}

int dlq_entry_matches(const dlq_entry *e, const dlq_filter *f)
{
    if (f->interview_id && strcasecmp(e->interview_id, f->interview_id) != 0)
        return 0;
    if (f->reason && !(e->reason && strcasestr(e->reason, f->reason)))
        return 0;
    return 1;
}

dlq_plan dlq_entry_plan(const dlq_entry *e)
{
    if (e->replayed)
        return DLQ_PLAN_ALREADY;
    if (!e->interview_id[0])
        return DLQ_PLAN_NO_INTERVIEW;
    if (!e->source_topic || !kafka_topic_known(e->source_topic) || !strcmp(e->source_topic, KW_TOPIC_DLQ))
        return DLQ_PLAN_NO_SOURCE;
    return DLQ_PLAN_REPLAY;
}

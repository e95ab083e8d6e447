/* isim dlq's reading of dead letters: headers parsed (any may be missing),
 * replay markers folded in, duplicates of one source message found, the
 * filters, the replay plan and the printed forms. */
#include <criterion/criterion.h>
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlq_entry.h"
#include "dlq_print.h"

#define IID "0B6F3B0E-8C1E-4C5E-9A55-3E1C0D5E2F10"
#define IID_LOWER "0b6f3b0e-8c1e-4c5e-9a55-3e1c0d5e2f10"
#define BODY "{\"version\":1,\"interview_id\":\"" IID_LOWER "\"}"

static dlq_list *list;

static void setup(void)
{
    list = dlq_list_new();
    cr_assert_not_null(list);
}

static void teardown(void)
{
    dlq_list_free(list);
}

TestSuite(dlq_entry, .init = setup, .fini = teardown);

/* Adds a message at partition:offset, time ms; headers as NULL-terminated pairs. */
static void add(int32_t partition, int64_t offset, int64_t ms, const char *key, const char *value,
                const char *const *headers)
{
    char err[256] = "";
    rd_kafka_headers_t *h = headers ? rd_kafka_headers_new(8) : NULL;
    for (int i = 0; headers && headers[i]; i += 2)
        cr_assert_eq(rd_kafka_header_add(h, headers[i], -1, headers[i + 1], -1), RD_KAFKA_RESP_ERR_NO_ERROR);
    dlq_raw raw = {.partition = partition, .offset = offset, .time_ms = ms, .key = key,
                   .key_len = key ? strlen(key) : 0, .value = value, .len = value ? strlen(value) : 0,
                   .headers = h};
    cr_assert_eq(dlq_list_add(list, &raw, err, sizeof(err)), 0, "%s", err);
    if (h)
        rd_kafka_headers_destroy(h);
}

static const char *const full_headers[] = {
    "x-isim-reason", "The recording could not be found in storage; please upload it again.",
    "x-isim-stage", "converter",
    "x-isim-source-topic", "interview.uploaded",
    "x-isim-source-partition", "2",
    "x-isim-source-offset", "41",
    "x-isim-attempts", "5",
    "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    NULL};

Test(dlq_entry, every_header_is_read)
{
    add(1, 7, 1714564800123, IID, BODY, full_headers);
    dlq_list_fold(list);
    cr_assert_eq(list->n, 1);
    const dlq_entry *e = &list->entries[0];
    cr_assert_eq(e->partition, 1);
    cr_assert_eq(e->offset, 7);
    cr_assert_str_eq(e->interview_id, IID_LOWER, "keys are compared in lower case");
    cr_assert_str_eq(e->stage, "converter");
    cr_assert_str_eq(e->source_topic, "interview.uploaded");
    cr_assert_eq(e->source_partition, 2);
    cr_assert_eq(e->source_offset, 41);
    cr_assert_eq(e->attempts, 5);
    cr_assert_str_eq(e->traceparent, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    cr_assert_eq(e->len, strlen(BODY));
    cr_assert_eq(memcmp(e->value, BODY, e->len), 0, "the original bytes are kept");
    cr_assert_not(e->replayed);
    cr_assert_eq(e->duplicate_of, -1);
    cr_assert_eq(dlq_entry_plan(e), DLQ_PLAN_REPLAY);
}

Test(dlq_entry, missing_or_bad_headers_are_unknown)
{
    const char *const bad[] = {"x-isim-source-partition", "-3", "x-isim-source-offset", "12x",
                               "x-isim-attempts", "0", "x-isim-reason", "bad \xff byte", NULL};
    add(0, 0, -1, "not-a-uuid", "{not json", bad);
    add(0, 1, -1, NULL, NULL, NULL);
    dlq_list_fold(list);
    cr_assert_eq(list->n, 2);
    const dlq_entry *e = &list->entries[0];
    cr_assert_str_eq(e->interview_id, "");
    cr_assert_eq(e->source_partition, -1);
    cr_assert_eq(e->source_offset, -1);
    cr_assert_eq(e->attempts, 0);
    cr_assert_str_eq(e->reason, "bad \\xff byte", "invalid UTF-8 is escaped");
    cr_assert_null(e->stage);
    cr_assert_null(e->source_topic);
    cr_assert_eq(dlq_entry_plan(e), DLQ_PLAN_NO_INTERVIEW);
    cr_assert_eq(list->entries[1].len, 0);
    cr_assert_null(list->entries[1].reason);
}

Test(dlq_entry, replay_needs_a_pipeline_topic)
{
    const char *const dlq_source[] = {"x-isim-source-topic", "interview.dlq", NULL};
    const char *const other[] = {"x-isim-source-topic", "someone.elses", NULL};
    add(0, 0, 1, IID, BODY, NULL);
    add(0, 1, 2, IID, BODY, dlq_source);
    add(0, 2, 3, IID, BODY, other);
    dlq_list_fold(list);
    for (size_t i = 0; i < 3; i++)
        cr_assert_eq(dlq_entry_plan(&list->entries[i]), DLQ_PLAN_NO_SOURCE, "entry %zu", i);
}

Test(dlq_entry, markers_fold_in_and_are_not_listed)
{
    const char *const mark[] = {DLQ_HEADER_REPLAY_OF, "1:7", "x-isim-replayed-to", "interview.uploaded", NULL};
    const char *const bad_mark[] = {DLQ_HEADER_REPLAY_OF, "seven", NULL};
    add(1, 7, 1000, IID, BODY, full_headers);
    add(1, 8, 2000, IID, BODY, NULL);
    add(0, 3, 5000, IID, "", mark); /* on another partition, after it */
    add(0, 4, 6000, IID, "", bad_mark);
    dlq_list_fold(list);
    cr_assert_eq(list->n, 2, "markers are not dead letters");
    cr_assert_eq(list->n_marks, 1, "a marker that names nothing is ignored");
    cr_assert(list->entries[0].replayed);
    cr_assert_eq(list->entries[0].replayed_ms, 5000);
    cr_assert_eq(dlq_entry_plan(&list->entries[0]), DLQ_PLAN_ALREADY);
    cr_assert_not(list->entries[1].replayed);
}

Test(dlq_entry, entries_are_ordered_by_time)
{
    add(2, 0, 3000, IID, BODY, NULL);
    add(0, 5, 1000, IID, BODY, NULL);
    add(1, 9, 2000, IID, BODY, NULL);
    add(0, 6, 2000, IID, BODY, NULL);
    dlq_list_fold(list);
    const int64_t want[][2] = {{0, 5}, {0, 6}, {1, 9}, {2, 0}};
    for (size_t i = 0; i < 4; i++) {
        cr_assert_eq(list->entries[i].partition, want[i][0], "entry %zu", i);
        cr_assert_eq(list->entries[i].offset, want[i][1], "entry %zu", i);
    }
}

/* A worker that dead-lettered one message, then could not send the failed
 * status, is given the message again and dead-letters it again: one replay
 * puts back both. */
Test(dlq_entry, dead_letters_of_one_message_are_one)
{
    const char *const elsewhere[] = {"x-isim-source-topic", "interview.uploaded", "x-isim-source-partition", "2",
                                     "x-isim-source-offset", "42", NULL};
    const char *const mark[] = {DLQ_HEADER_REPLAY_OF, "1:9", NULL};
    add(1, 7, 1000, IID, BODY, full_headers);
    add(1, 8, 2000, IID, BODY, full_headers);
    add(1, 9, 3000, IID, BODY, full_headers);
    add(1, 10, 4000, IID, BODY, elsewhere);              /* another source offset */
    add(1, 11, 5000, IID, "{\"other\":1}", full_headers); /* other bytes */
    add(0, 0, 6000, IID, "", mark);                       /* the last of the three was replayed */
    dlq_list_fold(list);
    cr_assert_eq(list->n, 5);
    cr_assert_eq(list->entries[0].duplicate_of, -1);
    cr_assert_eq(list->entries[1].duplicate_of, 0);
    cr_assert_eq(list->entries[2].duplicate_of, 0);
    cr_assert_eq(list->entries[3].duplicate_of, -1);
    cr_assert_eq(list->entries[4].duplicate_of, -1);
    for (size_t i = 0; i < 3; i++) {
        cr_assert(list->entries[i].replayed, "entry %zu", i);
        cr_assert_eq(list->entries[i].replayed_ms, 6000, "entry %zu", i);
    }
    cr_assert_not(list->entries[3].replayed);
    cr_assert_not(list->entries[4].replayed);
}

Test(dlq_entry, filters)
{
    add(0, 0, 1, IID, BODY, full_headers);
    add(0, 1, 2, NULL, BODY, NULL);
    dlq_list_fold(list);
    const dlq_entry *e = &list->entries[0], *bare = &list->entries[1];
    cr_assert(dlq_entry_matches(e, &(dlq_filter){0}));
    cr_assert(dlq_entry_matches(bare, &(dlq_filter){0}));
    cr_assert(dlq_entry_matches(e, &(dlq_filter){.interview_id = IID}), "any case");
    cr_assert(dlq_entry_matches(e, &(dlq_filter){.interview_id = IID_LOWER}));
    cr_assert_not(dlq_entry_matches(e, &(dlq_filter){.interview_id = "0b6f3b0e-8c1e-4c5e-9a55-3e1c0d5e2f11"}));
    cr_assert(dlq_entry_matches(e, &(dlq_filter){.reason = "NOT BE FOUND"}));
    cr_assert_not(dlq_entry_matches(e, &(dlq_filter){.reason = "not a video"}));
    cr_assert_not(dlq_entry_matches(bare, &(dlq_filter){.reason = "found"}), "no reason matches no text");
    cr_assert(dlq_entry_matches(e, &(dlq_filter){.interview_id = IID, .reason = "storage"}));
    cr_assert_not(dlq_entry_matches(e, &(dlq_filter){.interview_id = IID, .reason = "video"}), "both must match");
}

Test(dlq_entry, references_parse_strictly)
{
    int32_t p;
    int64_t o;
    cr_assert_eq(dlq_ref_parse("3:1234", 6, &p, &o), 0);
    cr_assert_eq(p, 3);
    cr_assert_eq(o, 1234);
    cr_assert_eq(dlq_ref_parse("3:12345", 4, &p, &o), 0, "only len bytes count");
    cr_assert_eq(o, 12);
    const char *bad[] = {"", ":", "3:", ":4", "-1:4", "3:-4", "3:4x", "x3:4", "3 :4", "99999999999:1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_neq(dlq_ref_parse(bad[i], strlen(bad[i]), &p, &o), 0, "%s", bad[i]);
}

/* Prints e with f into a string (to free). */
static char *printed(int (*f)(FILE *, const dlq_entry *), const dlq_entry *e)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    cr_assert_not_null(out);
    cr_assert_eq(f(out, e), 0);
    fclose(out);
    return text;
}

Test(dlq_entry, one_line_each)
{
    const char *const multiline[] = {"x-isim-reason", "first\nsecond\tthird", NULL};
    const char *const mark[] = {DLQ_HEADER_REPLAY_OF, "1:7", NULL};
    add(1, 7, 1714564800123, IID, BODY, full_headers);
    add(1, 8, 1714564801000, NULL, BODY, multiline);
    add(1, 9, 1714564802000, IID, "", mark);
    dlq_list_fold(list);
    char *line = printed(dlq_print_line, &list->entries[0]);
    cr_assert(strstr(line, "1:7 "), "%s", line);
    cr_assert(strstr(line, " 2024-05-01T12:00:00Z "), "%s", line);
    cr_assert(strstr(line, " " IID_LOWER " "), "%s", line);
    cr_assert(strstr(line, " converter "), "%s", line);
    cr_assert(strstr(line, " interview.uploaded:2:41 "), "%s", line);
    cr_assert(strstr(line, " 5 "), "%s", line);
    cr_assert(strstr(line, " yes "), "%s", line);
    cr_assert(strstr(line, "could not be found in storage; please upload it again.\n"), "%s", line);
    free(line);
    line = printed(dlq_print_line, &list->entries[1]);
    cr_assert(strstr(line, "first second third\n"), "control characters do not break the line: %s", line);
    cr_assert(strstr(line, " -:?:? "), "unknown source: %s", line);
    cr_assert_eq(strchr(line, '\n'), line + strlen(line) - 1, "%s", line);
    free(line);
}

Test(dlq_entry, json_each)
{
    const char *const mark[] = {DLQ_HEADER_REPLAY_OF, "1:7", NULL};
    add(1, 7, 1714564800123, IID, BODY, full_headers);
    add(1, 8, -1, NULL, BODY, NULL);
    add(1, 9, 1714564802000, IID, "", mark);
    dlq_list_fold(list);
    char *text = printed(dlq_print_json, &list->entries[0]); /* ordered by time: the unknown time first */
    json_error_t jerr;
    json_t *j = json_loads(text, 0, &jerr);
    cr_assert_not_null(j, "%s: %s", text, jerr.text);
    cr_assert(json_is_null(json_object_get(j, "time")));
    cr_assert(json_is_null(json_object_get(j, "interview_id")));
    cr_assert(json_is_null(json_object_get(j, "source_topic")));
    cr_assert(json_is_null(json_object_get(j, "attempts")));
    cr_assert(json_is_null(json_object_get(j, "reason")));
    cr_assert(json_is_false(json_object_get(j, "replayed")));
    json_decref(j);
    free(text);
    text = printed(dlq_print_json, &list->entries[1]);
    cr_assert_eq(strchr(text, '\n'), text + strlen(text) - 1, "one line: %s", text);
    j = json_loads(text, 0, &jerr);
    cr_assert_not_null(j, "%s", jerr.text);
    cr_assert_eq(json_integer_value(json_object_get(j, "dlq_partition")), 1);
    cr_assert_eq(json_integer_value(json_object_get(j, "dlq_offset")), 7);
    cr_assert_str_eq(json_string_value(json_object_get(j, "time")), "2024-05-01T12:00:00Z");
    cr_assert_str_eq(json_string_value(json_object_get(j, "interview_id")), IID_LOWER);
    cr_assert_str_eq(json_string_value(json_object_get(j, "stage")), "converter");
    cr_assert_str_eq(json_string_value(json_object_get(j, "source_topic")), "interview.uploaded");
    cr_assert_eq(json_integer_value(json_object_get(j, "source_partition")), 2);
    cr_assert_eq(json_integer_value(json_object_get(j, "source_offset")), 41);
    cr_assert_eq(json_integer_value(json_object_get(j, "attempts")), 5);
    cr_assert(json_is_true(json_object_get(j, "replayed")));
    cr_assert_str_eq(json_string_value(json_object_get(j, "replayed_at")), "2024-05-01T12:00:02Z");
    json_decref(j);
    free(text);
}

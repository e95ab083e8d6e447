/* A log line is written whatever the message holds: bytes that are not UTF-8
 * (a request path from outside) are escaped as \xNN, and a message cut at the
 * buffer's end inside a character still makes valid JSON. Without this,
 * jansson refuses the line and the request escapes the access log. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isim_log.h"
#include "isim_util.h"

/* Logs one message into memory and returns its parsed "msg". */
static char *logged(const char *fmt, const char *arg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert(f);
    log_init("test", "debug");
    log_set_output(f);
    log_info(fmt, arg);
    log_set_output(NULL);
    fclose(f);
    json_error_t e;
    json_t *line = json_loads(buf, 0, &e);
    cr_assert(line, "not JSON (%s): %s", e.text, buf);
    char *msg = strdup(json_string_value(json_object_get(line, "msg")));
    json_decref(line);
    free(buf);
    return msg;
}

Test(log, bytes_that_are_not_utf8_are_escaped)
{
    char *m = logged("GET %s -> 404", "/v1/interviews/\xff\xfe\xc3(/x");
    cr_assert_str_eq(m, "GET /v1/interviews/\\xff\\xfe\\xc3(/x -> 404");
    free(m);
}

Test(log, valid_utf8_is_kept)
{
    char *m = logged("question: %s", "Qual foi o seu maior desafio? \xe2\x80\x94 \xf0\x9f\x99\x82");
    cr_assert_str_eq(m, "question: Qual foi o seu maior desafio? \xe2\x80\x94 \xf0\x9f\x99\x82");
    free(m);
}

Test(log, overlong_forms_and_surrogates_are_escaped)
{
    char *m = logged("%s", "\xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80");
    cr_assert_str_eq(m, "\\xc0\\xaf \\xed\\xa0\\x80 \\xf4\\x90\\x80\\x80");
    free(m);
}

Test(log, a_message_cut_inside_a_character_is_still_written)
{
    char big[4096];
    memset(big, 'a', sizeof(big));
    /* Two-byte characters from an odd offset: the 2047-byte cut falls inside one. */
    for (size_t i = 1; i + 1 < sizeof(big) - 1; i += 2) {
        big[i] = '\xc3';
        big[i + 1] = '\xa9';
    }
    big[sizeof(big) - 1] = '\0';
    char *m = logged("%s", big);
    cr_assert(strlen(m) > 2000, "%zu", strlen(m));
    free(m);
}

Test(log, escape_stops_at_a_whole_character)
{
    char out[8];
    util_utf8_escape("ab\xff\xe2\x80\x94", out, sizeof(out));
    cr_assert_str_eq(out, "ab\\xff"); /* the dash (3 bytes) does not fit after it */
}

/* The trace id of a traceparent is the line's trace_id; a malformed one gives none. */
static json_t *logged_line_with_trace(const char *traceparent)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert(f);
    log_init("test", "debug");
    log_set_output(f);
    log_set_trace_context(traceparent, "0b6f3b0e-8c1e-4c5e-9a55-3e1c0d5e2f10");
    log_info("hello");
    log_clear_context();
    log_set_output(NULL);
    fclose(f);
    json_t *line = json_loads(buf, 0, NULL);
    cr_assert(line, "not JSON: %s", buf);
    free(buf);
    return line;
}

Test(log, the_trace_context_comes_from_a_traceparent)
{
    json_t *line = logged_line_with_trace("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    cr_assert_str_eq(json_string_value(json_object_get(line, "trace_id")), "0af7651916cd43dd8448eb211c80319c");
    cr_assert_str_eq(json_string_value(json_object_get(line, "interview_id")), "0b6f3b0e-8c1e-4c5e-9a55-3e1c0d5e2f10");
    json_decref(line);
    line = logged_line_with_trace("not a traceparent");
    cr_assert_null(json_object_get(line, "trace_id"));
    cr_assert_not_null(json_object_get(line, "interview_id"));
    json_decref(line);
}

#include <criterion/criterion.h>
#include <string.h>

#include "report.h"

Test(report, assembles_all_parts)
{
    json_t *probe = json_pack("{s:f, s:b, s:b}", "duration_s", 12.5, "has_video", 1, "has_audio", 1);
    json_t *tr = json_pack("{s:s, s:s, s:[{s:s, s:f, s:f}]}", "engine", "pocketsphinx", "text", "hello",
                           "words", "word", "hello", "start", 0.5, "end", 0.9);
    json_t *tm = json_pack("{s:i, s:f}", "word_count", 1, "wpm", 150.0);
    json_t *vm = json_pack("{s:b, s:[]}", "has_video", 1, "seconds");
    json_t *r = report_build("Why us?", probe, tr, tm, vm);
    cr_assert_not_null(r);
    cr_assert_eq(json_integer_value(json_object_get(r, "version")), REPORT_VERSION);
    cr_assert_str_eq(json_string_value(json_object_get(r, "question")), "Why us?");
    cr_assert_float_eq(json_number_value(json_object_get(r, "duration_s")), 12.5, 1e-9);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r, "transcript"), "text")), "hello");
    cr_assert_eq(json_array_size(json_object_get(json_object_get(r, "transcript"), "words")), 1);
    cr_assert(json_equal(json_object_get(r, "delivery"), tm));
    cr_assert_eq(json_array_size(json_object_get(r, "notes")), 0);
    json_decref(r);
    json_decref(probe);
    json_decref(tr);
    json_decref(tm);
    json_decref(vm);
}

Test(report, says_when_there_is_no_speech_or_picture)
{
    json_t *probe = json_pack("{s:f, s:b, s:b}", "duration_s", 3.0, "has_video", 0, "has_audio", 1);
    json_t *tr = json_pack("{s:s, s:s, s:[]}", "engine", "pocketsphinx", "text", "", "words");
    json_t *r = report_build("Q", probe, tr, NULL, NULL);
    char *notes = json_dumps(json_object_get(r, "notes"), 0);
    cr_assert(strstr(notes, "No speech was found"), "%s", notes);
    cr_assert(strstr(notes, "no picture"), "%s", notes);
    cr_assert(json_is_null(json_object_get(r, "on_camera")));
    free(notes);
    json_decref(r);
    json_decref(probe);
    json_decref(tr);
}

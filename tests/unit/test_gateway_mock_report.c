/* The combined report of a mock interview: means over the complete answers
 * only, the change from the first complete answer to the last, and the tips
 * that cost the most points across answers, on answers whose figures are
 * known. */
#include <criterion/criterion.h>
#include <string.h>

#include "gw_mock_report.h"

static json_t *answer(int pos, const char *status, const char *iid, double overall, double delivery,
                      double content, double pace_score, double fillers_score, json_t *tips)
{
    json_t *score = json_pack(
        "{s:f, s:{s:{s:f, s:[{s:s, s:f, s:f}, {s:s, s:f, s:f}]}, s:{s:f, s:[]}}}", "overall", overall, "parts",
        "delivery", "score", delivery, "criteria", "metric", "pace_wpm", "value", pace_score > 50 ? 150.0 : 200.0,
        "score", pace_score, "metric", "fillers_per_100_words", "value", 3.0, "score", fillers_score, "content",
        "score", content, "criteria");
    return json_pack("{s:i, s:s, s:s, s:s?, s:s, s:o, s:o}", "position", pos, "question_id", "q", "question", "Q?",
                     "interview_id", iid, "status", status, "score", score, "tips", tips ? tips : json_array());
}

static json_t *tip(const char *metric, double lost, double start, const char *message)
{
    return json_pack("{s:s, s:s, s:f, s:s, s:[{s:f, s:f}]}", "part", "delivery", "metric", metric, "points_lost",
                     lost, "message", message, "evidence", "start", start, "end", start + 2);
}

static json_t *build(void)
{
    json_t *answers = json_array();
    json_array_append_new(answers, answer(1, "complete", "11111111-1111-4111-8111-111111111111", 50, 40, 60, 40, 80,
                                          json_pack("[o, o]", tip("pace_wpm", 5, 3, "slow down (1)"),
                                                    tip("fillers_per_100_words", 1, 7, "fewer fillers (1)"))));
    json_array_append_new(answers, answer(2, "failed", "22222222-2222-4222-8222-222222222222", 0, 0, 0, 0, 0, NULL));
    json_array_append_new(answers, answer(3, "complete", "33333333-3333-4333-8333-333333333333", 70, 80, 60, 90, 60,
                                          json_pack("[o, o]", tip("fillers_per_100_words", 4.5, 12, "fewer fillers (3)"),
                                                    tip("star_parts", 3, 0, "use STAR"))));
    json_t *open = answer(4, "complete", NULL, 0, 0, 0, 0, 0, NULL);
    json_object_set_new(open, "status", json_null()); /* not answered yet */
    json_object_set_new(open, "score", json_null());
    json_array_append_new(answers, open);
    json_t *r = mock_report_build(answers);
    json_decref(answers);
    cr_assert_not_null(r);
    return r;
}

static double num(const json_t *v)
{
    cr_assert(json_is_number(v), "not a number");
    return json_number_value(v);
}

Test(mock_report, counts_and_means_over_complete_answers_only)
{
    json_t *r = build();
    cr_assert_eq(json_integer_value(json_object_get(r, "questions")), 4);
    cr_assert_eq(json_integer_value(json_object_get(r, "answered")), 3);
    cr_assert_eq(json_integer_value(json_object_get(r, "complete")), 2);
    cr_assert_eq(json_integer_value(json_object_get(r, "failed")), 1);
    cr_assert_eq(json_integer_value(json_object_get(r, "processing")), 0);
    cr_assert_float_eq(num(json_object_get(r, "overall")), 60, 1e-9, "mean of 50 and 70; the failed one is left out");
    cr_assert_float_eq(num(json_object_get(json_object_get(r, "parts"), "delivery")), 60, 1e-9);
    cr_assert_float_eq(num(json_object_get(json_object_get(r, "parts"), "content")), 60, 1e-9);
    json_t *rows = json_object_get(r, "answers");
    cr_assert_eq(json_array_size(rows), 4);
    cr_assert(json_is_null(json_object_get(json_array_get(rows, 1), "overall")), "a failed answer has no score");
    cr_assert_float_eq(num(json_object_get(json_array_get(rows, 2), "overall")), 70, 1e-9);
    json_decref(r);
}

Test(mock_report, change_from_the_first_complete_answer_to_the_last)
{
    json_t *r = build(), *c = json_object_get(r, "change");
    cr_assert_eq(json_integer_value(json_object_get(c, "from_position")), 1);
    cr_assert_eq(json_integer_value(json_object_get(c, "to_position")), 3);
    cr_assert_float_eq(num(json_object_get(json_object_get(c, "overall"), "delta")), 20, 1e-9);
    cr_assert_float_eq(num(json_object_get(json_object_get(json_object_get(c, "parts"), "delivery"), "delta")), 40,
                       1e-9);
    json_t *up = json_object_get(c, "improved"), *down = json_object_get(c, "dropped");
    cr_assert_eq(json_array_size(up), 1);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(up, 0), "metric")), "pace_wpm");
    cr_assert_float_eq(num(json_object_get(json_array_get(up, 0), "delta_score")), 50, 1e-9);
    cr_assert_float_eq(num(json_object_get(json_array_get(up, 0), "last_value")), 150, 1e-9);
    cr_assert_eq(json_array_size(down), 1);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(down, 0), "metric")), "fillers_per_100_words");
    cr_assert_float_eq(num(json_object_get(json_array_get(down, 0), "delta_score")), -20, 1e-9);
    json_decref(r);
}

Test(mock_report, top_tips_rank_by_points_lost_across_answers)
{
    json_t *r = build(), *top = json_object_get(r, "top_tips");
    cr_assert_eq(json_array_size(top), 3);
    const char *order[] = {"fillers_per_100_words", "pace_wpm", "star_parts"};
    const double lost[] = {5.5, 5, 3};
    for (size_t i = 0; i < 3; i++) {
        json_t *t = json_array_get(top, i);
        cr_assert_str_eq(json_string_value(json_object_get(t, "metric")), order[i]);
        cr_assert_float_eq(num(json_object_get(t, "points_lost")), lost[i], 1e-9);
    }
    json_t *f = json_array_get(top, 0);
    cr_assert_eq(json_integer_value(json_object_get(f, "answers")), 2);
    cr_assert_str_eq(json_string_value(json_object_get(f, "message")), "fewer fillers (3)", "the latest wording");
    json_t *m = json_object_get(f, "moments");
    cr_assert_eq(json_array_size(m), 2);
    cr_assert_float_eq(num(json_object_get(json_array_get(m, 1), "start")), 12, 1e-9);
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(m, 1), "position")), 3);
    json_decref(r);
}

Test(mock_report, one_complete_answer_has_no_change_and_none_has_no_mean)
{
    json_t *one = json_array();
    json_array_append_new(one, answer(1, "complete", "11111111-1111-4111-8111-111111111111", 50, 40, 60, 40, 80, NULL));
    json_t *r = mock_report_build(one);
    cr_assert(json_is_null(json_object_get(r, "change")));
    cr_assert_float_eq(num(json_object_get(r, "overall")), 50, 1e-9);
    json_decref(r);
    json_decref(one);
    json_t *none = json_array();
    r = mock_report_build(none);
    cr_assert(json_is_null(json_object_get(r, "overall")));
    cr_assert_eq(json_array_size(json_object_get(r, "top_tips")), 0);
    json_decref(r);
    json_decref(none);
}

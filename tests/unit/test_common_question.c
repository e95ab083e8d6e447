/* The question bank's checks, its CSV form both ways, and the shipped bank
 * file: every question a reader can be given is refused for the right reason,
 * and an export read back is the same bank. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "isim_lang.h"
#include "question.h"
#include "question_csv.h"

static lang_table langs;
static char bad[512];

static void setup(void)
{
    cr_assert_eq(lang_table_load(ISIM_SOURCE_DIR "/data", &langs, bad, sizeof bad), 0, "%s", bad);
}

static void teardown(void)
{
    lang_table_release(&langs);
}

TestSuite(question, .init = setup, .fini = teardown);

static int check(const char *json, int update)
{
    json_error_t je;
    json_t *q = json_loads(json, 0, &je);
    cr_assert_not_null(q, "%s: %s", json, je.text);
    int rc = question_check(q, update, &langs, bad, sizeof bad);
    json_decref(q);
    return rc;
}

Test(question, accepts_a_full_question_and_a_minimal_one)
{
    cr_assert_eq(check("{\"id\":\"q1\",\"category\":\"behavioural\",\"role\":\"nurse\",\"level\":\"senior\","
                       "\"language\":\"pt-br\",\"text\":\"Conte sobre um plantão difícil.\","
                       "\"talking_points\":[\"a situação\",\"o resultado\"],\"star\":true,\"retired\":false}", 0),
                 0, "%s", bad);
    cr_assert_eq(check("{\"id\":\"q2\",\"category\":\"general\",\"text\":\"Why us?\"}", 0), 0, "%s", bad);
    cr_assert_eq(check("{\"level\":\"entry\"}", 1), 0, "an update names only what changes: %s", bad);
}

Test(question, refuses_each_wrong_field_with_its_name)
{
    static const struct { const char *json; int update; const char *names; } cases[] = {
        {"{\"category\":\"general\",\"text\":\"x\"}", 0, "\"id\""},
        {"{\"id\":\"-a\",\"category\":\"general\",\"text\":\"x\"}", 0, "\"id\""},
        {"{\"id\":\"A\",\"category\":\"general\",\"text\":\"x\"}", 0, "\"id\""},
        {"{\"id\":\"a\",\"category\":\"chat\",\"text\":\"x\"}", 0, "\"category\""},
        {"{\"id\":\"a\",\"category\":\"general\"}", 0, "\"text\""},
        {"{\"id\":\"a\",\"category\":\"general\",\"text\":\"\"}", 0, "\"text\""},
        {"{\"id\":\"a\",\"category\":\"general\",\"text\":\"x\",\"level\":\"expert\"}", 0, "\"level\""},
        {"{\"id\":\"a\",\"category\":\"general\",\"text\":\"x\",\"role\":\"Nurse\"}", 0, "\"role\""},
        {"{\"id\":\"a\",\"category\":\"general\",\"text\":\"x\",\"language\":\"de\"}", 0, "\"language\""},
        {"{\"id\":\"a\",\"category\":\"general\",\"text\":\"x\",\"star\":\"yes\"}", 0, "\"star\""},
        {"{\"id\":\"a\",\"category\":\"general\",\"text\":\"x\",\"retired\":1}", 0, "\"retired\""},
        {"{\"id\":\"a\",\"category\":\"general\",\"text\":\"x\",\"talking_points\":\"one\"}", 0, "talking_points"},
        {"{\"id\":\"a\",\"category\":\"general\",\"text\":\"x\",\"talking_points\":[\"\"]}", 0, "talking point"},
        {"{\"id\":\"a\",\"category\":\"general\",\"text\":\"x\",\"talking_points\":[\"a|b\"]}", 0, "\"|\""},
        {"{\"id\":\"a\",\"category\":\"general\",\"text\":\"x\",\"colour\":\"red\"}", 0, "\"colour\""},
        {"{\"id\":\"a\"}", 1, "\"id\""},
        {"{\"id\":\"a\",\"category\":\"general\",\"text\":\"x\",\"organisation_id\":\"acme\"}", 0, "organisation_id"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cr_assert_eq(check(cases[i].json, cases[i].update), -1, "accepted %s", cases[i].json);
        cr_assert(strstr(bad, cases[i].names), "%s: the message \"%s\" should name %s", cases[i].json, bad,
                  cases[i].names);
    }
}

Test(question, a_list_names_the_wrong_question_by_place_and_id)
{
    char err[512];
    json_t *doc = json_loads("{\"format\":\"isim-questions/1\",\"questions\":["
                             "{\"id\":\"a\",\"category\":\"general\",\"text\":\"x\"},"
                             "{\"id\":\"b\",\"category\":\"oops\",\"text\":\"y\"}]}", 0, NULL);
    cr_assert_null(question_list_from_json(doc, &langs, err, sizeof err));
    cr_assert(strstr(err, "Question 2 (b)") && strstr(err, "category"), "%s", err);
    json_decref(doc);
    doc = json_loads("[{\"id\":\"a\",\"category\":\"general\",\"text\":\"x\"},"
                     "{\"id\":\"a\",\"category\":\"general\",\"text\":\"y\"}]", 0, NULL);
    cr_assert_null(question_list_from_json(doc, &langs, err, sizeof err));
    cr_assert(strstr(err, "twice"), "%s", err);
    json_decref(doc);
    doc = json_loads("{\"format\":\"other/2\",\"questions\":[]}", 0, NULL);
    cr_assert_null(question_list_from_json(doc, &langs, err, sizeof err));
    cr_assert(strstr(err, "isim-questions/1"), "%s", err);
    json_decref(doc);
}

Test(question, csv_reads_quotes_commas_newlines_and_a_byte_order_mark)
{
    char err[512];
    const char csv[] = "\xEF\xBB\xBFid,category,text,talking_points,star\r\n"
                       "q-a,behavioural,\"Tell me, \"\"briefly\"\", about a time\nyou led.\","
                       "the team | the goal|  the result ,yes\r\n"
                       "q-b,general,Why nursing?,,\n";
    json_t *list = question_list_from_csv(csv, strlen(csv), err, sizeof err);
    cr_assert_not_null(list, "%s", err);
    cr_assert_eq(json_array_size(list), 2);
    json_t *a = json_array_get(list, 0), *b = json_array_get(list, 1);
    cr_assert_str_eq(json_string_value(json_object_get(a, "id")), "q-a");
    cr_assert_str_eq(json_string_value(json_object_get(a, "text")), "Tell me, \"briefly\", about a time\nyou led.");
    json_t *pts = json_object_get(a, "talking_points");
    cr_assert_eq(json_array_size(pts), 3);
    cr_assert_str_eq(json_string_value(json_array_get(pts, 2)), "the result");
    cr_assert(json_is_true(json_object_get(a, "star")));
    cr_assert_null(json_object_get(b, "talking_points"), "an empty cell is a missing field");
    cr_assert_null(json_object_get(b, "star"));
    json_t *checked = question_list_from_json(list, &langs, err, sizeof err);
    cr_assert_not_null(checked, "%s", err);
    json_decref(checked);
    json_decref(list);
}

Test(question, csv_refuses_unknown_columns_bad_booleans_ragged_rows_and_open_quotes)
{
    static const struct { const char *csv; const char *says; } cases[] = {
        {"id,category,colour\na,general,red\n", "\"colour\""},
        {"id,category,text,star\na,general,x,perhaps\n", "Row 2: \"star\""},
        {"id,category,text\na,general,x\nb,general,y,extra\n", "Row 3"},
        {"id,category,text\na,general,\"open\n", "quote"},
        {"", "empty"},
    };
    char err[512];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *list = question_list_from_csv(cases[i].csv, strlen(cases[i].csv), err, sizeof err);
        cr_assert_null(list, "accepted %s", cases[i].csv);
        cr_assert(strstr(err, cases[i].says), "%s: \"%s\" should say %s", cases[i].csv, err, cases[i].says);
    }
}

Test(question, csv_export_reads_back_as_the_same_list)
{
    char err[512];
    json_t *list = json_loads("[{\"id\":\"x1\",\"category\":\"technical\",\"role\":\"finance\",\"level\":\"mid\","
                              "\"language\":\"en\",\"text\":\"Walk me through a \\\"three-statement\\\" model, "
                              "line by line.\",\"talking_points\":[\"income statement\",\"cash flow, balance\"],"
                              "\"star\":false,\"retired\":true},"
                              "{\"id\":\"x2\",\"category\":\"general\",\"role\":\"any\",\"level\":\"any\","
                              "\"language\":\"pt-BR\",\"text\":\"Fale sobre você.\",\"talking_points\":[],"
                              "\"star\":false,\"retired\":false}]", 0, NULL);
    char *csv = question_list_to_csv(list);
    cr_assert_not_null(csv);
    const char header[] = "id,category,role,level,language,text,talking_points,star,retired,organisation_id\r\n";
    cr_assert(strncmp(csv, header, strlen(header)) == 0, "%s", csv);
    json_t *back = question_list_from_csv(csv, strlen(csv), err, sizeof err);
    cr_assert_not_null(back, "%s", err);
    /* An empty list of talking points is an empty cell: read back as missing. */
    json_object_del(json_array_get(list, 1), "talking_points");
    cr_assert(json_equal(list, back), "round trip differs:\n%s\n%s", json_dumps(list, 0), json_dumps(back, 0));
    free(csv);
    json_decref(back);
    json_decref(list);
}

/* The bank shipped in data/: every file of a listed language passes the same
 * checks as an import, and the English bank covers every role it promises. */
Test(question, the_shipped_bank_passes_the_import_checks)
{
    char err[512];
    json_error_t je;
    json_t *doc = json_load_file(ISIM_SOURCE_DIR "/data/en/questions.json", JSON_REJECT_DUPLICATES, &je);
    cr_assert_not_null(doc, "line %d: %s", je.line, je.text);
    json_t *list = question_list_from_json(doc, &langs, err, sizeof err);
    cr_assert_not_null(list, "%s", err);
    cr_assert_geq(json_array_size(list), 150);
    static const char *const roles[] = {"any", "software-engineer", "data-analyst", "data-scientist",
                                        "product-manager", "designer", "sales", "customer-support", "nurse",
                                        "teacher", "finance", "graduate"};
    for (size_t r = 0; r < sizeof roles / sizeof roles[0]; r++) {
        size_t n = 0, i;
        json_t *q;
        json_array_foreach(list, i, q) n += strcmp(json_string_value(json_object_get(q, "role")), roles[r]) == 0;
        cr_assert_geq(n, 10, "%s has %zu questions", roles[r], n);
    }
    json_decref(list);
    json_decref(doc);
}

/* The report's texts: every shipped language has every key, fields are
 * filled by name in any order, numbers follow the language's separator, and
 * a catalog missing a key is refused at start. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "report_msgs.h"

static char err[512];

Test(msgs, shipped_languages_are_complete)
{
    static const char *const langs[] = {"en", "pt-BR"};
    for (size_t i = 0; i < 2; i++) {
        char path[512];
        json_t *cat = NULL;
        snprintf(path, sizeof path, ISIM_SOURCE_DIR "/data/%s/report.json", langs[i]);
        cr_assert_eq(report_msgs_load(path, &cat, err, sizeof err), 0, "%s", err);
        json_decref(cat);
    }
}

Test(msgs, fields_by_name_and_numbers_by_language)
{
    json_t *pt = NULL;
    char out[256], n[32];
    cr_assert_eq(report_msgs_load(ISIM_SOURCE_DIR "/data/pt-BR/report.json", &pt, err, sizeof err), 0, "%s", err);
    report_num(pt, 0.756, 2, n, sizeof n);
    cr_assert_str_eq(n, "0,76");
    report_msg(pt, "evidence.repeated", out, sizeof out, "count", "4", "word", "projeto", NULL);
    cr_assert(strstr(out, "projeto") && strstr(out, "4"), "%s", out);
    report_msg(pt, "evidence.filler", out, sizeof out, "word", "tipo", NULL);
    cr_assert_str_eq(out, "vício de linguagem \"tipo\"");
    /* A field the caller lacks stays as written; an unknown key is itself. */
    report_msg(pt, "evidence.pause", out, sizeof out, NULL);
    cr_assert_str_eq(out, "pausa de {seconds} s");
    report_msg(pt, "no.such.key", out, sizeof out, NULL);
    cr_assert_str_eq(out, "no.such.key");
    /* Cut at the buffer, never past it. */
    char small[8];
    report_msg(pt, "tip.no_answer", small, sizeof small, NULL);
    cr_assert_eq(strlen(small), 7);
    json_decref(pt);
}

Test(msgs, a_catalog_missing_a_key_is_refused)
{
    char path[] = "/tmp/isim-msgs-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs("{\"decimal_separator\": \".\", \"advice.pace_wpm.low\": \"Speak up.\"}", f);
    fclose(f);
    json_t *cat = NULL;
    cr_assert_eq(report_msgs_load(path, &cat, err, sizeof err), -1);
    cr_assert(strstr(err, "lacks the text") != NULL, "%s", err);
    cr_assert_null(cat);
    remove(path);
}

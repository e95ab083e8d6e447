/* The language table: the shipped one, lookups, and malformed files refused
 * with the file and line. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "isim_lang.h"

static char err[512];

Test(lang, shipped_table)
{
    lang_table t;
    cr_assert_eq(lang_table_load(ISIM_SOURCE_DIR "/data", &t, err, sizeof err), 0, "%s", err);
    cr_assert_str_eq(t.v[0].code, "en", "English is the default");
    const lang_entry *pt = lang_find(&t, "PT-br");
    cr_assert_not_null(pt);
    cr_assert_str_eq(pt->code, "pt-BR");
    cr_assert_str_eq(pt->stt_code, "pt");
    cr_assert_eq(lang_find_stt(&t, "pt"), pt);
    cr_assert_null(lang_find(&t, "auto"));
    cr_assert_null(lang_find(&t, NULL));
    char codes[64];
    lang_list_codes(&t, codes, sizeof codes);
    cr_assert_str_eq(codes, "en, pt-BR");
    lang_table_release(&t);
}

static int load_text(const char *text, lang_table *t)
{
    char dir[] = "/tmp/isim-lang-XXXXXX", path[64];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/languages.txt", dir);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    int rc = lang_table_load(dir, t, err, sizeof err);
    unlink(path);
    rmdir(dir);
    return rc;
}

Test(lang, malformed_tables_are_refused)
{
    static const char *const bad[][2] = {
        {"# only a comment\n", "lists no language"},
        {"en | en\n", ":1: expected"},
        {"en | en | English\n../x | en | Up\n", ":2: expected"},
        {"en | en | English | more\n", ":1: expected"},
        {"en | en | English\nEN | en | Again\n", "listed twice"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lang_table t;
        cr_assert_eq(load_text(bad[i][0], &t), -1, "%s", bad[i][0]);
        cr_assert(strstr(err, bad[i][1]) != NULL, "%s: %s", bad[i][0], err);
        cr_assert_null(t.v);
    }
    lang_table t;
    cr_assert_eq(lang_table_load("/nonexistent", &t, err, sizeof err), -1);
    cr_assert(strstr(err, "/nonexistent/languages.txt") != NULL, "%s", err);
}

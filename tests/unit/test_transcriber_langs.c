/* The transcriber's side of an interview's language, on the shipped
 * data/languages.txt: what the engine is asked, and what the transcript
 * records. */
#include <criterion/criterion.h>
#include <string.h>

#include "transcribe_langs.h"

static char err[512];
static transcribe_langs *langs;

static void setup(void)
{
    cr_assert_eq(transcribe_langs_load(ISIM_SOURCE_DIR "/data", NULL, &langs, err, sizeof err), 0, "%s", err);
}

static void teardown(void)
{
    transcribe_langs_free(langs);
}

TestSuite(langs, .init = setup, .fini = teardown);

Test(langs, a_code_asks_its_speech_code_with_its_prompt)
{
    transcribe_call c;
    cr_assert_eq(transcribe_langs_call(langs, "pt-br", &c, err, sizeof err), 0, "%s", err);
    cr_assert_str_eq(c.language, "pt");
    cr_assert(strstr(c.prompt, "né") != NULL, "the Portuguese prompt: %s", c.prompt);
    cr_assert_eq(transcribe_langs_call(langs, NULL, &c, err, sizeof err), 0, "%s", err);
    cr_assert_str_eq(c.language, "en", "no language: the table's first");
    cr_assert(strncmp(c.prompt, "Um, uh", 6) == 0, "%s", c.prompt);
    cr_assert_eq(transcribe_langs_call(langs, "auto", &c, err, sizeof err), 0, "%s", err);
    cr_assert_str_eq(c.language, "auto");
    cr_assert_str_eq(c.prompt, "", "detection without a prompt");
    cr_assert_eq(transcribe_langs_call(langs, "fr", &c, err, sizeof err), -1);
    cr_assert(strstr(err, "(fr)") && strstr(err, "pt-BR"), "%s", err);
}

Test(langs, the_transcript_records_the_table_code)
{
    json_t *t = json_pack("{s:s}", "language", "pt");
    cr_assert_eq(transcribe_langs_finish(langs, "pt-BR", t), 0);
    cr_assert_str_eq(json_string_value(json_object_get(t, "language")), "pt-BR");
    cr_assert_float_eq(json_number_value(json_object_get(t, "language_probability")), 1.0, 1e-9);
    json_decref(t);
    /* Detected: mapped when listed, left as heard when not, probability kept. */
    t = json_pack("{s:s, s:f}", "language", "pt", "language_probability", 0.91);
    cr_assert_eq(transcribe_langs_finish(langs, "auto", t), 0);
    cr_assert_str_eq(json_string_value(json_object_get(t, "language")), "pt-BR");
    cr_assert_float_eq(json_number_value(json_object_get(t, "language_probability")), 0.91, 1e-9);
    json_decref(t);
    t = json_pack("{s:s, s:f, s:[{s:s}]}", "language", "fr", "language_probability", 0.8, "words", "word", "bonjour");
    cr_assert_eq(transcribe_langs_finish(langs, "auto", t), 0);
    cr_assert_str_eq(json_string_value(json_object_get(t, "language")), "fr");
    json_decref(t);
    /* Silence: the server detects nothing (language null); no words in any language. */
    t = json_pack("{s:s, s:[]}", "language", "unknown", "words");
    cr_assert_eq(transcribe_langs_finish(langs, "auto", t), 0);
    cr_assert_str_eq(json_string_value(json_object_get(t, "language")), "en");
    json_decref(t);
}

Test(langs, another_prompt_setting_applies_to_every_language)
{
    transcribe_langs *l = NULL;
    transcribe_call c;
    cr_assert_eq(transcribe_langs_load(ISIM_SOURCE_DIR "/data", "", &l, err, sizeof err), 0, "%s", err);
    cr_assert_eq(transcribe_langs_call(l, "pt-BR", &c, err, sizeof err), 0, "%s", err);
    cr_assert_str_eq(c.prompt, "", "ISIM_TRANSCRIBE_PROMPT empty: no prompt");
    transcribe_langs_free(l);
    cr_assert_eq(transcribe_langs_load(ISIM_SOURCE_DIR "/data", TRANSCRIBE_DEFAULT_PROMPT, &l, err, sizeof err), 0);
    cr_assert_eq(transcribe_langs_call(l, "pt-BR", &c, err, sizeof err), 0, "%s", err);
    cr_assert(strstr(c.prompt, "né") != NULL, "the default: each language's own");
    transcribe_langs_free(l);
    cr_assert_eq(transcribe_langs_load("/nonexistent", NULL, &l, err, sizeof err), -1);
    cr_assert(strstr(err, "languages.txt") != NULL, "%s", err);
}

Test(langs, codes_of_the_cli_setting)
{
    cr_assert_str_eq(transcribe_langs_code_of(langs, "pt"), "pt-BR");
    cr_assert_str_eq(transcribe_langs_code_of(langs, "en"), "en");
    cr_assert_str_eq(transcribe_langs_code_of(langs, "PT-BR"), "pt-BR");
    cr_assert_str_eq(transcribe_langs_code_of(langs, "auto"), "auto");
    cr_assert_null(transcribe_langs_code_of(langs, "xx"));
}

/* The transcriber's side of an interview's language: from the language asked
 * for (a code of data/languages.txt, or auto) to what the engine is asked
 * (speech-to-text code and that language's prompt), and from what it heard
 * back to the table's code in the transcript. */
#ifndef ISIM_TRANSCRIBE_LANGS_H
#define ISIM_TRANSCRIBE_LANGS_H

#include <jansson.h>
#include <stddef.h>

#include "isim_lang.h"
#include "transcribe.h"

typedef struct transcribe_langs {
    lang_table table;
    char **prompts; /* per table entry: data/<code>/transcribe_prompt.txt */
} transcribe_langs;

/* prompt: ISIM_TRANSCRIBE_PROMPT. Left at its default (or NULL), each
 * language gets its own, data/<code>/transcribe_prompt.txt (a listed language
 * without one is an error); set to another text, every language gets that
 * text ("": no prompt). */
int transcribe_langs_load(const char *data_dir, const char *prompt, transcribe_langs **out, char *err,
                          size_t errlen);
/* The table's code for a speech-to-text code or a table code ("pt" ->
 * "pt-BR"), "auto" for auto, NULL when unknown: how the CLI reads
 * ISIM_TRANSCRIBE_LANGUAGE. */
const char *transcribe_langs_code_of(const transcribe_langs *l, const char *stt_code);
void transcribe_langs_free(transcribe_langs *l);
/* The call for asked (NULL: the table's first language). An unknown code is
 * an error for the candidate. call's strings point into l. */
int transcribe_langs_call(const transcribe_langs *l, const char *asked, transcribe_call *call,
                          char *err, size_t errlen);
/* transcript.language from the engine's code to the table's ("pt" ->
 * "pt-BR"); a detected language the table does not list stays as heard
 * (with no words at all: the first language, as nothing was detected);
 * language_probability is 1 when the language was given. */
int transcribe_langs_finish(const transcribe_langs *l, const char *asked, json_t *transcript);

#endif

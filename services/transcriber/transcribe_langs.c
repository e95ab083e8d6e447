#include "transcribe_langs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PROMPT_MAX 2048

static int langs_prompt_read(const char *data_dir, const char *code, char **out, char *err, size_t errlen)
{
    char path[4096], buf[PROMPT_MAX];
    snprintf(path, sizeof(path), "%s/%s/transcribe_prompt.txt", data_dir, code);
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "cannot read the transcription prompt %s: %s", path, strerror(errno));
        return -1;
    }
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* One line of text; comments above it start with #. */
    char *line = buf, *text = NULL;
    while (line && *line) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (*line && *line != '#') {
            text = line;
            break;
        }
        line = next;
    }
    if (!text) {
        snprintf(err, errlen, "%s has no prompt line", path);
        return -1;
    }
    size_t len = strlen(text);
    while (len && (text[len - 1] == '\r' || text[len - 1] == ' '))
        text[--len] = '\0';
    *out = strdup(text);
    if (!*out) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

int transcribe_langs_load(const char *data_dir, const char *prompt, transcribe_langs **out, char *err,
                          size_t errlen)
{
    int own = !prompt || strcmp(prompt, TRANSCRIBE_DEFAULT_PROMPT) == 0;
    transcribe_langs *l = calloc(1, sizeof(*l));
    *out = NULL;
    if (!l) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (lang_table_load(data_dir, &l->table, err, errlen) != 0)
        goto fail;
    if (!(l->prompts = calloc(l->table.n, sizeof(*l->prompts)))) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < l->table.n; i++) {
        if (!own) {
            if (!(l->prompts[i] = strdup(prompt))) {
                snprintf(err, errlen, "out of memory");
                goto fail;
            }
        } else if (langs_prompt_read(data_dir, l->table.v[i].code, &l->prompts[i], err, errlen) != 0) {
            goto fail;
        }
    }
    *out = l;
    return 0;
fail:
    transcribe_langs_free(l);
    return -1;
}

void transcribe_langs_free(transcribe_langs *l)
{
    if (!l)
        return;
    for (size_t i = 0; l->prompts && i < l->table.n; i++)
        free(l->prompts[i]);
    free(l->prompts);
    lang_table_release(&l->table);
    free(l);
}

int transcribe_langs_call(const transcribe_langs *l, const char *asked, transcribe_call *call,
                          char *err, size_t errlen)
{
    /* Detection gets no prompt: one in any language would pull it there. */
    if (asked && strcasecmp(asked, LANG_AUTO) == 0) {
        *call = (transcribe_call){.language = LANG_AUTO, .prompt = ""};
        return 0;
    }
    const lang_entry *e = asked ? lang_find(&l->table, asked) : &l->table.v[0];
    if (!e) {
        char codes[256];
        lang_list_codes(&l->table, codes, sizeof(codes));
        snprintf(err, errlen, "The interview's language (%s) is not one this system can transcribe: %s.", asked,
                 codes);
        return -1;
    }
    *call = (transcribe_call){.language = e->stt_code, .prompt = l->prompts[e - l->table.v]};
    return 0;
}

const char *transcribe_langs_code_of(const transcribe_langs *l, const char *stt_code)
{
    if (stt_code && strcasecmp(stt_code, LANG_AUTO) == 0)
        return LANG_AUTO;
    const lang_entry *e = lang_find_stt(&l->table, stt_code);
    if (!e)
        e = lang_find(&l->table, stt_code);
    return e ? e->code : NULL;
}

int transcribe_langs_finish(const transcribe_langs *l, const char *asked, json_t *transcript)
{
    const char *heard = json_string_value(json_object_get(transcript, "language"));
    const lang_entry *e = NULL;
    int detected = asked && strcasecmp(asked, LANG_AUTO) == 0;
    if (!detected)
        e = asked ? lang_find(&l->table, asked) : &l->table.v[0];
    else if (heard)
        e = lang_find_stt(&l->table, heard);
    /* Nothing said, nothing detected: the words are none in any language. */
    if (!e && json_array_size(json_object_get(transcript, "words")) == 0)
        e = &l->table.v[0];
    if (e && json_object_set_new(transcript, "language", json_string(e->code)) < 0)
        return -1;
    if (!detected)
        return json_object_set_new(transcript, "language_probability", json_real(1.0));
    return 0;
}

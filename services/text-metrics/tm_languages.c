#include "tm_languages.h"

#include <stdio.h>
#include <stdlib.h>

int tm_languages_load(const char *data_dir, tm_languages **out, char *err, size_t errlen)
{
    *out = NULL;
    tm_languages *l = calloc(1, sizeof(*l));
    if (!l) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (lang_table_load(data_dir, &l->table, err, errlen) != 0)
        goto fail;
    l->lex = calloc(l->table.n, sizeof(*l->lex));
    if (!l->lex) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < l->table.n; i++)
        if (tm_lexicon_load(data_dir, l->table.v[i].code, &l->lex[i], err, errlen) != 0)
            goto fail;
    *out = l;
    return 0;
fail:
    tm_languages_free(l);
    return -1;
}

void tm_languages_free(tm_languages *l)
{
    if (!l)
        return;
    for (size_t i = 0; l->lex && i < l->table.n; i++)
        tm_lexicon_free(l->lex[i]);
    free(l->lex);
    lang_table_release(&l->table);
    free(l);
}

const tm_lexicon *tm_languages_pick(const tm_languages *l, const json_t *transcript, char *err,
                                    size_t errlen)
{
    const json_t *jl = json_object_get(transcript, "language");
    if (!jl)
        return l->lex[0];
    const lang_entry *e = lang_find(&l->table, json_string_value(jl));
    if (!e) {
        char codes[256];
        lang_list_codes(&l->table, codes, sizeof(codes));
        snprintf(err, errlen,
                 "Your answer seems to be in a language this system cannot analyse yet (%s). "
                 "Record it again in one of these: %s.",
                 json_is_string(jl) ? json_string_value(jl) : "unknown", codes);
        return NULL;
    }
    return l->lex[e - l->table.v];
}

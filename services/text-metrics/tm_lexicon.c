#include "tm_lexicon.h"

#include "isim_datafile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const LIST_NAMES[TM_LIST_COUNT] = {
    "fillers",       "hedges",  "action_verbs",   "stopwords",  "noninclusive",
    "numbers",       "star_situation", "star_task", "star_action", "star_result",
    "star_words"};

const char *tm_list_name(tm_list_id id)
{
    return id < TM_LIST_COUNT ? LIST_NAMES[id] : "?";
}

static void tm_entry_release(tm_entry *e)
{
    for (size_t i = 0; i < e->nwords; i++)
        free(e->words[i]);
    free(e->words);
    free(e->text);
    free(e->extra);
}

/* Splits "text | extra" into an entry; words separated by spaces. */
static int tm_entry_parse(char *line, tm_entry *e)
{
    memset(e, 0, sizeof(*e));
    char *bar = strstr(line, "|");
    if (bar) {
        *bar = '\0';
        e->extra = strdup(datafile_trim(bar + 1));
        if (!e->extra)
            return -1;
    }
    e->text = strdup(datafile_trim(line));
    if (!e->text)
        return -1;
    char *copy = strdup(e->text), *save = NULL;
    if (!copy)
        return -1;
    int rc = 0;
    for (char *t = strtok_r(copy, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
        char **grown = realloc(e->words, (e->nwords + 1) * sizeof(*grown));
        if (!grown || !(grown[e->nwords] = strdup(t))) {
            if (grown)
                e->words = grown;
            rc = -1;
            break;
        }
        e->words = grown;
        e->nwords++;
    }
    free(copy);
    return rc;
}

static int tm_list_add_line(char *line, void *user, char *err, size_t errlen)
{
    tm_list *l = user;
    tm_entry *grown = realloc(l->entries, (l->n + 1) * sizeof(*grown));
    if (!grown)
        return (snprintf(err, errlen, "out of memory reading a word list"), -2);
    l->entries = grown;
    if (tm_entry_parse(line, &l->entries[l->n]) != 0) {
        tm_entry_release(&l->entries[l->n]);
        return (snprintf(err, errlen, "out of memory reading a word list"), -2);
    }
    if (l->entries[l->n].nwords == 0)
        tm_entry_release(&l->entries[l->n]);
    else
        l->n++;
    return 0;
}

static int tm_list_read(const char *path, tm_list *l, char *err, size_t errlen)
{
    return datafile_each_line(path, "word list", tm_list_add_line, l, err, errlen);
}

int tm_lexicon_load(const char *data_dir, const char *lang, tm_lexicon **out, char *err,
                    size_t errlen)
{
    char path[4096];
    tm_lexicon *lex = calloc(1, sizeof(*lex));
    *out = NULL;
    if (!lex) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    snprintf(lex->lang, sizeof(lex->lang), "%s", lang);
    for (int i = 0; i < TM_LIST_COUNT; i++) {
        snprintf(path, sizeof(path), "%s/%s/%s.txt", data_dir, lang, LIST_NAMES[i]);
        if (tm_list_read(path, &lex->lists[i], err, errlen) != 0) {
            tm_lexicon_free(lex);
            return -1;
        }
    }
    snprintf(path, sizeof(path), "%s/%s/filler_rules.txt", data_dir, lang);
    if (tm_filler_rules_load(path, &lex->filler_rules, err, errlen) != 0) {
        tm_lexicon_free(lex);
        return -1;
    }
    *out = lex;
    return 0;
}

void tm_lexicon_free(tm_lexicon *lex)
{
    if (!lex)
        return;
    for (int i = 0; i < TM_LIST_COUNT; i++) {
        for (size_t j = 0; j < lex->lists[i].n; j++)
            tm_entry_release(&lex->lists[i].entries[j]);
        free(lex->lists[i].entries);
    }
    tm_filler_rules_release(&lex->filler_rules);
    free(lex);
}

int tm_list_has(const tm_list *l, const char *word)
{
    for (size_t i = 0; l && i < l->n; i++)
        if (l->entries[i].nwords == 1 && strcmp(l->entries[i].words[0], word) == 0)
            return 1;
    return 0;
}

size_t tm_list_match(const tm_list *l, const tm_word *w, size_t n, size_t i, size_t *entry)
{
    size_t best = 0;
    for (size_t k = 0; l && k < l->n; k++) {
        const tm_entry *e = &l->entries[k];
        if (e->nwords <= best || i + e->nwords > n)
            continue;
        size_t j = 0;
        while (j < e->nwords && strcmp(w[i + j].word, e->words[j]) == 0)
            j++;
        if (j == e->nwords) {
            best = e->nwords;
            if (entry)
                *entry = k;
        }
    }
    return best;
}

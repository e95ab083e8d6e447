/* relevance_scores [--as-transcript] DATA_DIR ITEMS.json: each item's relevance as the report
 * computes it, one JSON line per item: the lexical measure
 * (relevance_compute) and, with ISIM_EMBED_URL set, the semantic one
 * (semantic_relevance_new). ITEMS.json: [{"id","question_id","answer"}];
 * the question's text and talking points come from DATA_DIR/en/questions.json.
 * The answer becomes transcript words 0.3 s long, 0.05 s apart (the
 * sentence split then follows its punctuation); --as-transcript writes each
 * word as the transcriber stores it (lower case, no punctuation:
 * words_normalise), so only the 40-word cap splits sentences. See README.md. */
#include "relevance_semantic.h"
#include "report_langs.h"
#include "report_relevance.h"

#include "isim_words.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *rs_words_new(const char *text, int as_transcript)
{
    json_t *words = json_array();
    char *copy = strdup(text ? text : ""), *save = NULL;
    double t = 0;
    for (char *w = copy ? strtok_r(copy, " \t\n", &save) : NULL; w; w = strtok_r(NULL, " \t\n", &save)) {
        char *norm = as_transcript ? words_normalise(w, NULL) : NULL;
        const char *word = as_transcript ? norm : w;
        if (word && *word) {
            json_array_append_new(words, json_pack("{s:s, s:f, s:f}", "word", word, "start", t, "end", t + 0.3));
            t += 0.35;
        }
        free(norm);
    }
    free(copy);
    return words;
}

static const json_t *rs_question(const json_t *bank, const char *id)
{
    size_t i;
    const json_t *q;
    json_array_foreach(json_object_get(bank, "questions"), i, q) {
        const char *qid = json_string_value(json_object_get(q, "id"));
        if (qid && id && strcmp(qid, id) == 0)
            return q;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int rc = 1;
    char err[5000] = "", path[4096];
    report_langs *rl = NULL;
    json_t *bank = NULL, *items = NULL;
    json_error_t je;
    int as_transcript = argc == 4 && strcmp(argv[1], "--as-transcript") == 0;
    if (argc != 3 + as_transcript) {
        fprintf(stderr, "usage: relevance_scores [--as-transcript] DATA_DIR ITEMS.json "
                        "(ISIM_EMBED_URL for the semantic measure)\n");
        return 2;
    }
    const char *data_dir = argv[1 + as_transcript], *items_path = argv[2 + as_transcript];
    snprintf(path, sizeof(path), "%s/en/questions.json", data_dir);
    if (report_langs_load(data_dir, &rl, err, sizeof(err)) != 0)
        goto out;
    if (!(bank = json_load_file(path, 0, &je)) || !(items = json_load_file(items_path, 0, &je))) {
        snprintf(err, sizeof(err), "%s: %s", je.source, je.text);
        goto out;
    }
    const char *url = getenv("ISIM_EMBED_URL");
    embed_opts eo = {.url = url ? url : "", .model = "", .timeout_s = 60};
    size_t li = report_langs_pick(rl, "en"), i;
    relevance_lang lang = {.stopwords = rl->stopwords[li], .suffixes = rl->suffixes[li]};
    const json_t *item;
    json_array_foreach(items, i, item) {
        const char *qid = json_string_value(json_object_get(item, "question_id"));
        const json_t *q = rs_question(bank, qid);
        if (!q) {
            snprintf(err, sizeof(err), "item %zu: no question %.200s in the bank", i, qid ? qid : "(none)");
            goto out;
        }
        const char *text = json_string_value(json_object_get(q, "text"));
        const json_t *points = json_object_get(q, "talking_points");
        json_t *words = rs_words_new(json_string_value(json_object_get(item, "answer")), as_transcript);
        json_t *lex = relevance_compute(text, points, words, &lang);
        json_t *sem = semantic_relevance_new(&eo, text, points, words);
        json_t *line = json_pack("{s:O, s:O, s:O, s:O}", "id", json_object_get(item, "id"), "lexical",
                                 json_object_get(lex, "similarity"), "covered_share",
                                 json_object_get(lex, "covered_share"), "semantic", sem);
        char *s = line ? json_dumps(line, JSON_COMPACT) : NULL;
        if (s)
            puts(s);
        free(s);
        json_decref(line);
        json_decref(sem);
        json_decref(lex);
        json_decref(words);
    }
    rc = 0;
out:
    if (rc != 0)
        fprintf(stderr, "relevance_scores: %s\n", err);
    json_decref(items);
    json_decref(bank);
    report_langs_free(rl);
    return rc;
}

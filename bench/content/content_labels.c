#include "content_labels.h"

#include "isim_datafile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tmetrics.h"

#define CL_MAX_WORDS 512
#define CL_WORD_S 0.3
#define CL_GAP_S 0.05

static const char *const KIND_NAMES[CL_KINDS] = {"hedges", "quantified", "action_verbs", "noninclusive"};
static const char KIND_LETTERS[] = "hqvn";
/* the key of an item's text in each kind's items */
static const char *const KIND_ITEM_KEYS[CL_KINDS] = {"phrase", "word", "word", "term"};
static const char *const VARIANT_NAMES[CL_VARIANTS] = {"punctuated", "unpunctuated"};

/* One labelled answer. */
typedef struct cl_answer {
    char id[64];
    size_t n;
    char *word[CL_MAX_WORDS];          /* as written, punctuation on */
    int span[CL_MAX_WORDS];            /* index of the labelled span the word is in, -1 if none */
    unsigned char ends[CL_MAX_WORDS];  /* a sentence ends after the word */
    unsigned char pause[CL_MAX_WORDS]; /* the speaker pauses after the word */
    int span_kind[CL_MAX_WORDS];
    size_t span_first[CL_MAX_WORDS];
    size_t nspans;
} cl_answer;

const char *cl_kind_name(int kind)
{
    return kind >= 0 && kind < CL_KINDS ? KIND_NAMES[kind] : "?";
}

const char *cl_variant_name(int variant)
{
    return variant >= 0 && variant < CL_VARIANTS ? VARIANT_NAMES[variant] : "?";
}

double cl_ratio(size_t num, size_t den)
{
    return den ? (double)num / (double)den : 1.0;
}

static void cl_answer_release(cl_answer *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->word[i]);
    a->n = 0;
}

/* "{h" -> 0 .. CL_KINDS-1; -1 if tok is no span opener. */
static int opener_kind(const char *tok)
{
    if (tok[0] != '{' || !tok[1] || tok[2])
        return -1;
    const char *at = strchr(KIND_LETTERS, tok[1]);
    return at ? (int)(at - KIND_LETTERS) : -1;
}

static int cl_parse(const char *line, cl_answer *a, char *err, size_t errlen)
{
    char buf[8192], *save = NULL;
    int open = -1, rc = -1;
    const char *colon = strchr(line, ':');
    memset(a, 0, sizeof(*a));
    if (!colon || colon == line || (size_t)(colon - line) >= sizeof a->id) {
        snprintf(err, errlen, "no \"<id>:\" at the start of \"%.60s\"", line);
        goto out;
    }
    snprintf(a->id, sizeof a->id, "%.*s", (int)(colon - line), line);
    snprintf(buf, sizeof buf, "%s", colon + 1);
    for (char *p = strtok_r(buf, " \t\r\n", &save); p; p = strtok_r(NULL, " \t\r\n", &save)) {
        int k = opener_kind(p);
        if (k >= 0) {
            if (open >= 0) {
                snprintf(err, errlen, "%s: a span opens inside another", a->id);
                goto out;
            }
            a->span_kind[a->nspans] = k;
            a->span_first[a->nspans] = a->n;
            open = (int)a->nspans++;
            continue;
        }
        if (strcmp(p, "|") == 0 || strcmp(p, "/") == 0) {
            if (a->n == 0) {
                snprintf(err, errlen, "%s: \"%s\" before the first word", a->id, p);
                goto out;
            }
            (p[0] == '|' ? a->ends : a->pause)[a->n - 1] = 1;
            continue;
        }
        if (a->n == CL_MAX_WORDS) {
            snprintf(err, errlen, "%s: more than %d words", a->id, CL_MAX_WORDS);
            goto out;
        }
        char *close = strchr(p, '}');
        if (close)
            memmove(close, close + 1, strlen(close));
        if (close && open < 0) {
            snprintf(err, errlen, "%s: \"}\" without a span open", a->id);
            goto out;
        }
        a->span[a->n] = open;
        if (!(a->word[a->n] = strdup(p))) {
            snprintf(err, errlen, "out of memory");
            goto out;
        }
        a->n++;
        if (close)
            open = -1;
    }
    if (open >= 0 || a->n == 0) {
        snprintf(err, errlen, "%s: %s", a->id, a->n ? "a span is not closed" : "no words");
        goto out;
    }
    a->ends[a->n - 1] = 1;
    rc = 0;
out:
    if (rc)
        cl_answer_release(a);
    return rc;
}

/* The word as pocketsphinx would give it: no sentence punctuation after it. */
static void strip_end_punctuation(char *w)
{
    size_t len = strlen(w);
    for (;;) {
        if (len > 1 && strchr(".?!,;:", w[len - 1]))
            w[--len] = '\0';
        else if (len > 3 && strcmp(w + len - 3, "\xE2\x80\xA6") == 0)
            w[len -= 3] = '\0';
        else
            break;
    }
}

static json_t *cl_transcript_new(const cl_answer *a, int variant)
{
    json_t *words = json_array();
    double t = 0.0;
    char w[256];
    for (size_t i = 0; words && i < a->n; i++) {
        snprintf(w, sizeof w, "%s", a->word[i]);
        if (variant == CL_UNPUNCTUATED)
            strip_end_punctuation(w);
        if (json_array_append_new(words, json_pack("{s:s, s:f, s:f}", "word", w, "start", t, "end",
                                                   t + CL_WORD_S)) != 0) {
            json_decref(words);
            return NULL;
        }
        t += CL_WORD_S + CL_GAP_S + (a->pause[i] ? CL_PAUSE_S : 0.0);
    }
    return words ? json_pack("{s:o}", "words", words) : NULL;
}

static int cl_metrics_new(const tm_lexicon *lex, const cl_answer *a, int variant, json_t **m, char *err,
                          size_t errlen)
{
    json_t *tr = cl_transcript_new(a, variant);
    *m = NULL;
    if (!tr) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = tmetrics_compute(lex, tr, m, err, errlen);
    json_decref(tr);
    return rc;
}

static size_t words_in(const char *s)
{
    size_t n = s && *s ? 1 : 0;
    for (; s && *s; s++)
        n += *s == ' ';
    return n;
}

static void score_kind(const cl_answer *a, int k, const json_t *items, cl_kind_counts *kc, FILE *log)
{
    unsigned char found[CL_MAX_WORDS] = {0}; /* per span */
    size_t i, nlabelled = 0, nitems = json_array_size(items);
    const json_t *it;
    json_array_foreach(items, i, it) {
        const char *text = json_string_value(json_object_get(it, KIND_ITEM_KEYS[k]));
        json_int_t at = json_integer_value(json_object_get(it, "index"));
        size_t len = words_in(text);
        int right = 0;
        for (size_t j = (size_t)at; at >= 0 && j < (size_t)at + len && j < a->n; j++) {
            int s = a->span[j];
            if (s >= 0 && a->span_kind[s] == k) {
                right = 1;
                found[s] = 1;
            }
        }
        kc->items++;
        kc->items_right += (size_t)right;
        if (!right && log)
            fprintf(log, "%s: %s FALSE \"%s\" at word %lld\n", a->id, KIND_NAMES[k], text ? text : "?",
                    (long long)at);
    }
    for (size_t s = 0; s < a->nspans; s++) {
        if (a->span_kind[s] != k)
            continue;
        nlabelled++;
        kc->spans++;
        kc->spans_found += found[s];
        if (!found[s] && log)
            fprintf(log, "%s: %s MISSED \"%s...\" at word %zu\n", a->id, KIND_NAMES[k], a->word[a->span_first[s]],
                    a->span_first[s]);
    }
    long d = (long)nitems - (long)nlabelled;
    kc->count_err += d;
    kc->count_abs_err += (size_t)(d < 0 ? -d : d);
}

static void score_sentences(const cl_answer *a, int variant, const json_t *sentences, cl_sentence_counts *sc,
                            FILE *log)
{
    unsigned char cut[CL_MAX_WORDS] = {0};
    size_t i, at = 0, labelled_max = 0, run = 0;
    const json_t *s;
    json_array_foreach(json_object_get(sentences, "items"), i, s) {
        at += (size_t)json_integer_value(json_object_get(s, "words"));
        if (at >= 1 && at <= a->n)
            cut[at - 1] = 1;
    }
    for (size_t k = 0; k < a->n; k++) {
        run++;
        if (a->ends[k]) {
            labelled_max = run > labelled_max ? run : labelled_max;
            run = 0;
        }
        if (k + 1 == a->n)
            break; /* the answer's end is no decision */
        if (cut[k] && a->ends[k])
            sc->tp++;
        else if (cut[k] || a->ends[k]) {
            if (cut[k])
                sc->fp++;
            else
                sc->fn++;
            if (log)
                fprintf(log, "%s %s: %s boundary after word %zu \"%s\"\n", a->id, VARIANT_NAMES[variant],
                        cut[k] ? "FALSE" : "MISSED", k, a->word[k]);
        }
    }
    size_t found_max = (size_t)json_integer_value(json_object_get(sentences, "max_words"));
    size_t d = found_max > labelled_max ? found_max - labelled_max : labelled_max - found_max;
    sc->max_abs_err += d;
    sc->max_exact += d == 0;
    if (d && log)
        fprintf(log, "%s %s: longest sentence %zu words, labelled %zu\n", a->id, VARIANT_NAMES[variant], found_max,
                labelled_max);
}

int cl_score(const tm_lexicon *lex, const char *line, cl_counts *c, FILE *log, char *err, size_t errlen)
{
    cl_answer a;
    json_t *m[CL_VARIANTS] = {NULL, NULL};
    int rc = -1;
    if (cl_parse(line, &a, err, errlen) != 0)
        return -1;
    for (int v = 0; v < CL_VARIANTS; v++)
        if (cl_metrics_new(lex, &a, v, &m[v], err, errlen) != 0)
            goto out;
    for (int k = 0; k < CL_KINDS; k++)
        score_kind(&a, k, json_object_get(json_object_get(m[CL_PUNCTUATED], KIND_NAMES[k]), "items"), &c->kind[k],
                   log);
    for (int v = 0; v < CL_VARIANTS; v++)
        score_sentences(&a, v, json_object_get(m[v], "sentences"), &c->sentences[v], log);
    c->answers++;
    c->words += a.n;
    rc = 0;
out:
    for (int v = 0; v < CL_VARIANTS; v++)
        json_decref(m[v]);
    cl_answer_release(&a);
    return rc;
}

typedef struct cl_file {
    const tm_lexicon *lex;
    cl_counts *c;
    FILE *log;
} cl_file;

static int cl_line(char *line, void *user, char *err, size_t errlen)
{
    cl_file *x = user;
    return cl_score(x->lex, line, x->c, x->log, err, errlen) != 0 ? -1 : 0;
}

int cl_score_file(const tm_lexicon *lex, const char *path, cl_counts *c, FILE *log, char *err, size_t errlen)
{
    cl_file x = {lex, c, log};
    return datafile_each_line(path, "the labelled answers", cl_line, &x, err, errlen);
}

int cl_plain(const char *line, char *id, size_t idlen, char *out, size_t outlen, char *err, size_t errlen)
{
    cl_answer a;
    size_t o = 0;
    out[0] = '\0';
    const char *p = line + strspn(line, " \t");
    if (*p == '#' || *p == '\n' || *p == '\0') {
        snprintf(id, idlen, "%s", "");
        return 0;
    }
    if (cl_parse(p, &a, err, errlen) != 0)
        return -1;
    snprintf(id, idlen, "%s", a.id);
    for (size_t i = 0; i < a.n && o < outlen; i++)
        o += (size_t)snprintf(out + o, outlen - o, "%s%s", i ? " " : "", a.word[i]);
    cl_answer_release(&a);
    return 0;
}

int cl_metrics_of(const tm_lexicon *lex, const char *line, json_t **m, char *id, size_t idlen, char *err,
                  size_t errlen)
{
    cl_answer a;
    *m = NULL;
    if (cl_parse(line, &a, err, errlen) != 0)
        return -1;
    snprintf(id, idlen, "%s", a.id);
    int rc = cl_metrics_new(lex, &a, CL_PUNCTUATED, m, err, errlen);
    cl_answer_release(&a);
    return rc;
}

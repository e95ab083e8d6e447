#include "tm_filler_rules.h"

#include "isim_datafile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    tm_rule_when when;
} WHENS[] = {
    {"set-off", TM_WHEN_SET_OFF},
    {"set-off-after", TM_WHEN_SET_OFF_AFTER},
    {"unless", TM_WHEN_UNLESS},
};

static void fr_words_free(char **v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

/* Splits s on blanks into a NULL-terminated array; *n gets the count. */
static char **fr_split(char *s, size_t *n)
{
    char *save = NULL, **v = calloc(1, sizeof(*v));
    *n = 0;
    for (char *t = strtok_r(s, " \t", &save); v && t; t = strtok_r(NULL, " \t", &save)) {
        char **grown = realloc(v, (*n + 2) * sizeof(*grown));
        if (!grown) {
            fr_words_free(v);
            return NULL;
        }
        v = grown;
        if (!(v[*n] = strdup(t))) {
            fr_words_free(v);
            return NULL;
        }
        v[++*n] = NULL;
    }
    return v;
}

static void fr_rule_release(tm_filler_rule *r)
{
    for (size_t i = 0; i < r->nwords; i++)
        free(r->words[i]);
    fr_words_free(r->before);
    fr_words_free(r->after);
    memset(r, 0, sizeof(*r));
}

/* Parses one line into r; returns 0, -1 with why set, or -2 out of memory. */
static int fr_rule_parse(char *line, tm_filler_rule *r, const char **why)
{
    char *field[4] = {0};
    size_t nf = 0, nw = 0;
    memset(r, 0, sizeof(*r));
    for (char *s = line; s && nf < 4; nf++) {
        char *bar = strchr(s, '|');
        if (bar)
            *bar = '\0';
        field[nf] = datafile_trim(s);
        s = bar ? bar + 1 : NULL;
        if (s && nf == 3)
            return (*why = "more than four fields"), -1;
    }
    if (nf < 2)
        return (*why = "expected \"phrase | when\""), -1;
    char **words = fr_split(field[0], &nw);
    if (!words)
        return -2;
    if (nw == 0 || nw > TM_RULE_MAX_WORDS) {
        fr_words_free(words);
        return (*why = "the phrase must have 1 to 3 words"), -1;
    }
    for (size_t i = 0; i < nw; i++)
        r->words[i] = words[i];
    free(words);
    r->nwords = nw;
    size_t k = 0;
    while (k < sizeof(WHENS) / sizeof(WHENS[0]) && strcmp(WHENS[k].name, field[1]) != 0)
        k++;
    if (k == sizeof(WHENS) / sizeof(WHENS[0]))
        return (*why = "when must be set-off, set-off-after or unless"), -1;
    r->when = WHENS[k].when;
    for (size_t f = 2; f < nf; f++) {
        int is_before = strncmp(field[f], "before:", 7) == 0;
        if (!is_before && strncmp(field[f], "after:", 6) != 0)
            return (*why = "a context field starts with before: or after:"), -1;
        char ***dst = is_before ? &r->before : &r->after;
        if (*dst)
            return (*why = is_before ? "before: given twice" : "after: given twice"), -1;
        if (!(*dst = fr_split(field[f] + (is_before ? 7 : 6), &nw)))
            return -2;
    }
    if (!r->before && !(r->before = calloc(1, sizeof(char *))))
        return -2;
    if (!r->after && !(r->after = calloc(1, sizeof(char *))))
        return -2;
    return 0;
}

static int fr_add_line(char *line, void *user, char *err, size_t errlen)
{
    tm_filler_rules *rules = user;
    tm_filler_rule *grown = realloc(rules->v, (rules->n + 1) * sizeof(*grown));
    if (!grown)
        return (snprintf(err, errlen, "out of memory reading filler rules"), -2);
    rules->v = grown;
    const char *why = NULL;
    int rc = fr_rule_parse(line, &rules->v[rules->n], &why);
    if (rc != 0) {
        fr_rule_release(&rules->v[rules->n]);
        snprintf(err, errlen, "%s", rc == -2 ? "out of memory reading filler rules" : why);
        return rc;
    }
    rules->n++;
    return 0;
}

int tm_filler_rules_load(const char *path, tm_filler_rules *rules, char *err, size_t errlen)
{
    memset(rules, 0, sizeof(*rules));
    if (datafile_each_line(path, "filler rules", fr_add_line, rules, err, errlen) != 0) {
        tm_filler_rules_release(rules);
        return -1;
    }
    return 0;
}

void tm_filler_rules_release(tm_filler_rules *r)
{
    for (size_t i = 0; i < r->n; i++)
        fr_rule_release(&r->v[i]);
    free(r->v);
    r->v = NULL;
    r->n = 0;
}

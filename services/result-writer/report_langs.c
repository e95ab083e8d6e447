#include "report_langs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isim_datafile.h"
#include "report.h"
#include "report_msgs.h"
#include "report_score.h"

/* One line of stem_suffixes.txt: "suffix" or "suffix > replacement". */
static int report_suffix_line(char *line, void *user, char *err, size_t errlen)
{
    char suf[64] = "", rep[64] = "", extra[8];
    int n = sscanf(line, "%63s > %63s %7s", suf, rep, extra);
    if (n == 3 || (n == 1 && strchr(line, '>')) || n < 1)
        return (snprintf(err, errlen, "expected \"suffix\" or \"suffix > replacement\""), -1);
    if (json_array_append_new(user, json_pack("[s, s]", suf, rep)) != 0)
        return (snprintf(err, errlen, "out of memory"), -2);
    return 0;
}

static int report_line_add(char *line, void *user, char *err, size_t errlen)
{
    if (json_array_append_new(user, json_string(line)) != 0)
        return (snprintf(err, errlen, "out of memory"), -2);
    return 0;
}

/* The lines of a data file as an array of strings. */
static int report_lines_load(const char *path, json_t **out, char *err, size_t errlen)
{
    *out = json_array();
    if (!*out || datafile_each_line(path, "the phrase list", report_line_add, *out, err, errlen) != 0) {
        json_decref(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

static int report_suffixes_load(const char *path, json_t **out, char *err, size_t errlen)
{
    *out = json_array();
    if (!*out || datafile_each_line(path, "the stemming rules", report_suffix_line, *out, err, errlen) != 0) {
        json_decref(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

int report_langs_load(const char *data_dir, report_langs **out, char *err, size_t errlen)
{
    char path[4096];
    report_langs *l = calloc(1, sizeof(*l));
    *out = NULL;
    if (!l) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (lang_table_load(data_dir, &l->table, err, errlen) != 0)
        goto fail;
    l->msgs = calloc(l->table.n, sizeof(*l->msgs));
    l->stopwords = calloc(l->table.n, sizeof(*l->stopwords));
    l->suffixes = calloc(l->table.n, sizeof(*l->suffixes));
    l->cues = calloc(l->table.n, sizeof(*l->cues));
    if (!l->msgs || !l->stopwords || !l->suffixes || !l->cues) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < l->table.n; i++) {
        snprintf(path, sizeof(path), "%s/%s/report.json", data_dir, l->table.v[i].code);
        if (report_msgs_load(path, &l->msgs[i], err, errlen) != 0)
            goto fail;
        snprintf(path, sizeof(path), "%s/%s/stopwords.txt", data_dir, l->table.v[i].code);
        if (report_wordset_load(path, &l->stopwords[i], err, errlen) != 0)
            goto fail;
        snprintf(path, sizeof(path), "%s/%s/stem_suffixes.txt", data_dir, l->table.v[i].code);
        if (report_suffixes_load(path, &l->suffixes[i], err, errlen) != 0)
            goto fail;
        snprintf(path, sizeof(path), "%s/%s/behavioural_cues.txt", data_dir, l->table.v[i].code);
        if (report_lines_load(path, &l->cues[i], err, errlen) != 0)
            goto fail;
    }
    *out = l;
    return 0;
fail:
    report_langs_free(l);
    return -1;
}

void report_langs_free(report_langs *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->table.n; i++) {
        json_decref(l->msgs ? l->msgs[i] : NULL);
        json_decref(l->stopwords ? l->stopwords[i] : NULL);
        json_decref(l->suffixes ? l->suffixes[i] : NULL);
        json_decref(l->cues ? l->cues[i] : NULL);
    }
    free(l->msgs);
    free(l->stopwords);
    free(l->suffixes);
    free(l->cues);
    lang_table_release(&l->table);
    free(l);
}

size_t report_langs_pick(const report_langs *l, const char *code)
{
    const lang_entry *e = lang_find(&l->table, code);
    return e ? (size_t)(e - l->table.v) : 0;
}

int report_langs_check_rubric(const report_langs *l, const json_t *rubric, char *err, size_t errlen)
{
    char name[64];
    for (size_t i = 0; i < l->table.n; i++) {
        snprintf(name, sizeof(name), "data/%s/report.json", l->table.v[i].code);
        if (score_rubric_check_msgs(rubric, l->msgs[i], name, err, errlen) != 0)
            return -1;
    }
    return 0;
}

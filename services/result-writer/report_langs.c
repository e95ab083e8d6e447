#include "report_langs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_msgs.h"

/* stem_suffixes.txt as [[suffix, replacement], ...]. */
static int report_suffixes_load(const char *path, json_t **out, char *err, size_t errlen)
{
    char line[256];
    int lineno = 0;
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "cannot read the stemming rules %s: %s", path, strerror(errno));
        return -1;
    }
    *out = json_array();
    while (*out && fgets(line, sizeof(line), f)) {
        char suf[64] = "", rep[64] = "", extra[8];
        lineno++;
        line[strcspn(line, "\r\n#")] = '\0';
        int n = sscanf(line, " %63s > %63s %7s", suf, rep, extra);
        if (n <= 0)
            continue;
        if (n == 3 || (n == 1 && strchr(line, '>'))) {
            snprintf(err, errlen, "%s:%d: expected \"suffix\" or \"suffix > replacement\"", path, lineno);
            json_decref(*out);
            *out = NULL;
            fclose(f);
            return -1;
        }
        json_array_append_new(*out, json_pack("[s, s]", suf, rep));
    }
    fclose(f);
    if (!*out) {
        snprintf(err, errlen, "out of memory reading %s", path);
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
    if (!l->msgs || !l->stopwords || !l->suffixes) {
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
    }
    free(l->msgs);
    free(l->stopwords);
    free(l->suffixes);
    lang_table_release(&l->table);
    free(l);
}

size_t report_langs_pick(const report_langs *l, const char *code)
{
    const lang_entry *e = lang_find(&l->table, code);
    return e ? (size_t)(e - l->table.v) : 0;
}

#include "report_langs.h"

#include <stdio.h>
#include <stdlib.h>

#include "report.h"
#include "report_msgs.h"

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
    if (!l->msgs || !l->stopwords) {
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
    }
    free(l->msgs);
    free(l->stopwords);
    lang_table_release(&l->table);
    free(l);
}

size_t report_langs_pick(const report_langs *l, const char *code)
{
    const lang_entry *e = lang_find(&l->table, code);
    return e ? (size_t)(e - l->table.v) : 0;
}

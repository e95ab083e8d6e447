#include "isim_lang.h"

#include "isim_datafile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Letters, digits and dashes only: the code names a folder. */
static int lang_code_valid(const char *c)
{
    if (!*c || *c == '-')
        return 0;
    for (; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '-'))
            return 0;
    return 1;
}

static int lang_line_parse(char *line, lang_entry *e)
{
    char *f[3] = {line, NULL, NULL};
    for (int i = 1; i < 3; i++) {
        char *bar = strchr(f[i - 1], '|');
        if (!bar)
            return -1;
        *bar = '\0';
        f[i] = bar + 1;
    }
    if (strchr(f[2], '|'))
        return -1;
    for (int i = 0; i < 3; i++)
        f[i] = datafile_trim(f[i]);
    if (!lang_code_valid(f[0]) || !lang_code_valid(f[1]) || !*f[2] || strlen(f[0]) >= sizeof(e->code) ||
        strlen(f[1]) >= sizeof(e->stt_code) || strlen(f[2]) >= sizeof(e->name))
        return -1;
    snprintf(e->code, sizeof(e->code), "%s", f[0]);
    snprintf(e->stt_code, sizeof(e->stt_code), "%s", f[1]);
    snprintf(e->name, sizeof(e->name), "%s", f[2]);
    return 0;
}

static int lang_add_line(char *line, void *user, char *err, size_t errlen)
{
    lang_table *t = user;
    lang_entry e;
    if (lang_line_parse(line, &e) != 0)
        return (snprintf(err, errlen, "expected \"code | speech-to-text code | name\""), -1);
    if (lang_find(t, e.code))
        return (snprintf(err, errlen, "%s is listed twice", e.code), -1);
    lang_entry *grown = realloc(t->v, (t->n + 1) * sizeof(*grown));
    if (!grown)
        return (snprintf(err, errlen, "out of memory reading the language table"), -2);
    t->v = grown;
    t->v[t->n++] = e;
    return 0;
}

int lang_table_load(const char *data_dir, lang_table *t, char *err, size_t errlen)
{
    char path[4096];
    memset(t, 0, sizeof(*t));
    snprintf(path, sizeof(path), "%s/languages.txt", data_dir);
    if (datafile_each_line(path, "the language table", lang_add_line, t, err, errlen) != 0)
        goto fail;
    if (t->n == 0) {
        snprintf(err, errlen, "%s lists no language", path);
        goto fail;
    }
    return 0;
fail:
    lang_table_release(t);
    return -1;
}

void lang_table_release(lang_table *t)
{
    free(t->v);
    t->v = NULL;
    t->n = 0;
}

const lang_entry *lang_find(const lang_table *t, const char *code)
{
    for (size_t i = 0; code && i < t->n; i++)
        if (strcasecmp(t->v[i].code, code) == 0)
            return &t->v[i];
    return NULL;
}

const lang_entry *lang_find_stt(const lang_table *t, const char *stt_code)
{
    for (size_t i = 0; stt_code && i < t->n; i++)
        if (strcasecmp(t->v[i].stt_code, stt_code) == 0)
            return &t->v[i];
    return NULL;
}

void lang_list_codes(const lang_table *t, char *out, size_t outlen)
{
    size_t used = 0;
    if (outlen)
        out[0] = '\0';
    for (size_t i = 0; i < t->n && used < outlen; i++)
        used += (size_t)snprintf(out + used, outlen - used, "%s%s", i ? ", " : "", t->v[i].code);
}

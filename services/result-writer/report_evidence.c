#include "report_criteria.h"

#include "report_msgs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EV_MAX 5 /* moments per criterion */

int crit_num(const json_t *o, const char *k, double *v)
{
    const json_t *x = json_object_get(o, k);
    if (!json_is_number(x))
        return 0;
    *v = json_number_value(x);
    return 1;
}

double crit_bound(const json_t *c, const char *k, double def)
{
    double v = def;
    crit_num(c, k, &v);
    return v;
}

/* The transcript's words said within [a, b], at most 12 of them. */
static char *words_between(const json_t *words, double a, double b)
{
    char buf[512] = "";
    size_t i, used = 0, count = 0;
    const json_t *w;
    json_array_foreach(words, i, w) {
        double s = json_number_value(json_object_get(w, "start"));
        const char *t = json_string_value(json_object_get(w, "word"));
        /* words that start within [a, b); a point in time takes the word starting there */
        if (!t || s < a - 1e-6 || (b > a ? s >= b - 1e-6 : s > a + 1e-6))
            continue;
        if (count++ == 12) {
            snprintf(buf + used, sizeof(buf) - used, " ...");
            break;
        }
        used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%s", used ? " " : "", t);
        if (used >= sizeof(buf))
            break;
    }
    return strdup(buf);
}

void ev_add(json_t *ev, const json_t *words, double a, double b, const char *detail)
{
    if (json_array_size(ev) >= EV_MAX)
        return;
    json_t *e = json_pack("{s:f, s:f, s:s}", "start", a, "end", b, "detail", detail);
    char *said = words ? words_between(words, a, b) : NULL;
    if (e && said)
        json_object_set_new(e, "words", json_string(said));
    free(said);
    json_array_append_new(ev, e);
}

void ev_items(const json_t *cat, json_t *ev, const json_t *words, const json_t *items, const char *key,
              const char *msg)
{
    size_t i;
    const json_t *it;
    char d[256];
    json_array_foreach(items, i, it) {
        const char *a = json_string_value(json_object_get(it, key));
        const char *b = json_string_value(json_object_get(it, "suggestion"));
        report_msg(cat, msg, d, sizeof(d), "word", a, "phrase", a, "term", a, "suggestion", b, NULL);
        ev_add(ev, words, json_number_value(json_object_get(it, "start")),
               json_number_value(json_object_get(it, "end")), d);
    }
}

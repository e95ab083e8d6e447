#include "question_csv.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "question.h"

#define QCSV_COLS_MAX 16

typedef struct qcsv_reader {
    json_t *list;
    json_t *row;                        /* the row being read */
    const char *cols[QCSV_COLS_MAX];    /* the header's columns; NULL: not read yet */
    size_t ncols, col, line;
    int header_done;
    char err[256];                      /* the first error; later cells are ignored */
} qcsv_reader;

static int qcsv_bool(const char *s, int *out)
{
    static const struct { const char *word; int value; } words[] = {
        {"true", 1}, {"yes", 1}, {"1", 1}, {"false", 0}, {"no", 0}, {"0", 0}};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strcasecmp(s, words[i].word) == 0) {
            *out = words[i].value;
            return 0;
        }
    return -1;
}

/* "a | b|c" -> ["a", "b", "c"] (blank pieces dropped). */
static json_t *qcsv_points(const char *s)
{
    json_t *a = json_array();
    while (*s) {
        const char *bar = strchr(s, '|'), *end = bar ? bar : s + strlen(s);
        while (s < end && (*s == ' ' || *s == '\t'))
            s++;
        const char *e = end;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if (e > s)
            json_array_append_new(a, json_stringn(s, (size_t)(e - s)));
        s = bar ? bar + 1 : end;
    }
    return a;
}

static void qcsv_header_cell(qcsv_reader *r, const char *s)
{
    size_t i;
    for (i = 0; question_fields[i] && strcmp(question_fields[i], s) != 0; i++)
        ;
    if (!question_fields[i])
        snprintf(r->err, sizeof(r->err), "Row 1: \"%.40s\" is not a column; the columns are id, category, role, "
                 "level, language, text, talking_points, star, retired.", s);
    else if (r->ncols == QCSV_COLS_MAX)
        snprintf(r->err, sizeof(r->err), "Row 1: too many columns.");
    else
        r->cols[r->ncols++] = question_fields[i];
}

static void qcsv_cell(void *data, size_t len, void *user)
{
    qcsv_reader *r = user;
    const char *s = data ? data : "";
    (void)len;
    if (r->err[0])
        return;
    if (!r->header_done) {
        qcsv_header_cell(r, s);
        return;
    }
    size_t col = r->col++;
    if (!r->row)
        r->row = json_object();
    if (col >= r->ncols) {
        if (*s)
            snprintf(r->err, sizeof(r->err), "Row %zu: more cells than the header has columns.", r->line);
        return;
    }
    if (!*s)
        return;
    const char *name = r->cols[col];
    int b;
    if (strcmp(name, "talking_points") == 0) {
        json_object_set_new(r->row, name, qcsv_points(s));
    } else if (strcmp(name, "star") == 0 || strcmp(name, "retired") == 0) {
        if (qcsv_bool(s, &b) != 0)
            snprintf(r->err, sizeof(r->err), "Row %zu: \"%s\" must be true or false.", r->line, name);
        else
            json_object_set_new(r->row, name, json_boolean(b));
    } else {
        json_object_set_new(r->row, name, json_string(s));
    }
}

static void qcsv_row_end(int c, void *user)
{
    qcsv_reader *r = user;
    (void)c;
    r->line++;
    if (r->err[0])
        return;
    if (!r->header_done) {
        r->header_done = 1;
        return;
    }
    if (r->row && json_object_size(r->row))
        json_array_append(r->list, r->row);
    json_decref(r->row);
    r->row = NULL;
    r->col = 0;
}

json_t *question_list_from_csv(const char *buf, size_t len, char *err, size_t errlen)
{
    struct csv_parser p;
    qcsv_reader r = {.list = json_array(), .line = 1};
    json_t *out = NULL;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    /* A spreadsheet's UTF-8 byte order mark is not part of the first column's name. */
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
        buf += 3;
        len -= 3;
    }
    if (csv_parse(&p, buf, len, qcsv_cell, qcsv_row_end, &r) != len || csv_fini(&p, qcsv_cell, qcsv_row_end, &r) != 0) {
        snprintf(err, errlen, "Row %zu: %s (a quote inside a cell must be doubled).", r.line,
                 csv_strerror(csv_error(&p)));
        goto free_parser;
    }
    if (r.err[0]) {
        snprintf(err, errlen, "%s", r.err);
        goto free_parser;
    }
    if (!r.header_done) {
        snprintf(err, errlen, "The file is empty; its first row names the columns (id, category, text, ...).");
        goto free_parser;
    }
    out = json_incref(r.list);
free_parser:
    csv_free(&p);
out:
    json_decref(r.row);
    json_decref(r.list);
    return out;
}

/* A cell from a question's field: text as it is, booleans as words, the
 * talking points joined. Returns a string to free (empty for a missing field). */
static char *qcsv_cell_text(const json_t *v)
{
    if (json_is_string(v))
        return strdup(json_string_value(v));
    if (json_is_boolean(v))
        return strdup(json_is_true(v) ? "true" : "false");
    if (!json_is_array(v))
        return strdup("");
    size_t n = 1, i;
    const json_t *pt;
    json_array_foreach(v, i, pt) n += strlen(json_string_value(pt) ? json_string_value(pt) : "") + 3;
    char *s = malloc(n);
    if (!s)
        return NULL;
    s[0] = '\0';
    json_array_foreach(v, i, pt) {
        if (i)
            strcat(s, QUESTION_POINT_SEP);
        strcat(s, json_string_value(pt) ? json_string_value(pt) : "");
    }
    return s;
}

char *question_list_to_csv(const json_t *list)
{
    char *buf = NULL;
    size_t len = 0, i;
    int failed = 0;
    const json_t *q;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    for (size_t c = 0; question_fields[c]; c++)
        failed |= fprintf(f, "%s%s", c ? "," : "", question_fields[c]) < 0;
    failed |= fputs("\r\n", f) < 0;
    json_array_foreach(list, i, q) {
        for (size_t c = 0; question_fields[c] && !failed; c++) {
            char *cell = qcsv_cell_text(json_object_get(q, question_fields[c]));
            failed |= !cell || (c && fputc(',', f) == EOF) || csv_fwrite(f, cell, strlen(cell)) != 0;
            free(cell);
        }
        failed |= fputs("\r\n", f) < 0;
    }
    failed |= fclose(f) != 0;
    if (failed) {
        free(buf);
        return NULL;
    }
    return buf;
}

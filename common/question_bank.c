#include "question_bank.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg_db.h"
#include "question.h"

/* One statement over the whole list: jsonb_to_recordset gives it rows;
 * xmax = 0 tells an inserted row from an updated one. %s is the conflict
 * action of the mode. */
static const char question_store_sql[] =
    "WITH input AS ("
    "  SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id text, category text, role text, level text, "
    "    language text, text text, talking_points jsonb, star boolean, retired boolean, organisation_id uuid)), "
    "stored AS ("
    "  INSERT INTO questions AS q (id, category, role, level, language, text, talking_points, star, retired_at, "
    "    source, organisation_id) "
    "  SELECT id, category, COALESCE(role, 'any'), COALESCE(level, 'any'), COALESCE(language, $2), text, "
    "    COALESCE(talking_points, '[]'::jsonb), COALESCE(star, category = 'behavioural'), "
    "    CASE WHEN retired THEN now() END, $3, organisation_id FROM input "
    "  %s RETURNING (xmax = 0) AS created) "
    "SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created) FROM stored";

static const char question_store_missing[] = "ON CONFLICT (id) DO NOTHING";

/* Only rows that differ are touched, so updated_at says when a question
 * really changed; source says who wrote it last. A retired question stays
 * retired since its first date. */
static const char question_store_replace[] =
    "ON CONFLICT (id) DO UPDATE SET category = EXCLUDED.category, role = EXCLUDED.role, level = EXCLUDED.level, "
    "  language = EXCLUDED.language, text = EXCLUDED.text, talking_points = EXCLUDED.talking_points, "
    "  star = EXCLUDED.star, source = EXCLUDED.source, retired_at = CASE WHEN EXCLUDED.retired_at IS NULL "
    "    THEN NULL ELSE COALESCE(q.retired_at, EXCLUDED.retired_at) END, organisation_id = EXCLUDED.organisation_id, "
    "  updated_at = now() "
    "  WHERE (q.category, q.role, q.level, q.language, q.text, q.talking_points, q.star, q.retired_at IS NULL, "
    "    q.organisation_id) IS DISTINCT FROM (EXCLUDED.category, EXCLUDED.role, EXCLUDED.level, EXCLUDED.language, "
    "    EXCLUDED.text, EXCLUDED.talking_points, EXCLUDED.star, EXCLUDED.retired_at IS NULL, EXCLUDED.organisation_id)";

/* The shipped bank updates only what it wrote last (source 'bank'): a
 * question an administrator edited or imported stays theirs, and whether a
 * question is retired is always theirs to say. */
static const char question_store_bank[] =
    "ON CONFLICT (id) DO UPDATE SET category = EXCLUDED.category, role = EXCLUDED.role, level = EXCLUDED.level, "
    "  language = EXCLUDED.language, text = EXCLUDED.text, talking_points = EXCLUDED.talking_points, "
    "  star = EXCLUDED.star, updated_at = now() "
    "  WHERE q.source = 'bank' AND (q.category, q.role, q.level, q.language, q.text, q.talking_points, q.star) "
    "    IS DISTINCT FROM (EXCLUDED.category, EXCLUDED.role, EXCLUDED.level, EXCLUDED.language, EXCLUDED.text, "
    "    EXCLUDED.talking_points, EXCLUDED.star)";

static const char *const question_store_actions[] = {
    [QUESTION_STORE_MISSING] = question_store_missing,
    [QUESTION_STORE_REPLACE] = question_store_replace,
    [QUESTION_STORE_BANK] = question_store_bank,
};

int question_bank_store(PGconn *c, const json_t *list, question_store_mode mode, const char *default_language,
                        const char *source, int *created, int *updated, char *err, size_t errlen)
{
    int rc = -1;
    char sql[sizeof(question_store_sql) + sizeof(question_store_replace) + sizeof(question_store_bank)];
    PGresult *r = NULL;
    char *doc = json_dumps(list, JSON_COMPACT);
    if (!doc) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    snprintf(sql, sizeof(sql), question_store_sql, question_store_actions[mode]);
    const char *p[] = {doc, default_language, source};
    if (pg_exec(c, sql, 3, p, &r, err, errlen) != 0)
        goto out;
    if (created)
        *created = atoi(PQgetvalue(r, 0, 0));
    if (updated)
        *updated = atoi(PQgetvalue(r, 0, 1));
    rc = 0;
out:
    PQclear(r);
    free(doc);
    return rc;
}

/* Loads one language's file into *list; a missing file leaves *list NULL. */
static int question_bank_read(const char *path, const lang_table *langs, json_t **list, char *err, size_t errlen)
{
    json_error_t je;
    char why[512];
    *list = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, errlen, "cannot read the question bank %s: %s", path, strerror(errno));
        return -1;
    }
    json_t *doc = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
    fclose(f);
    if (!doc) {
        snprintf(err, errlen, "question bank %s:%d: %s", path, je.line, je.text);
        return -1;
    }
    *list = question_list_from_json(doc, langs, why, sizeof(why));
    json_decref(doc);
    if (!*list) {
        snprintf(err, errlen, "question bank %s: %s", path, why);
        return -1;
    }
    return 0;
}

int question_bank_sync(PGconn *c, const char *data_dir, const lang_table *langs, int *added, int *updated,
                       char *err, size_t errlen)
{
    char path[1024];
    *added = *updated = 0;
    for (size_t i = 0; i < langs->n; i++) {
        json_t *list = NULL;
        int created = 0, changed = 0;
        snprintf(path, sizeof(path), "%s/%s/questions.json", data_dir, langs->v[i].code);
        if (question_bank_read(path, langs, &list, err, errlen) != 0)
            return -1;
        if (!list)
            continue;
        int rc = question_bank_store(c, list, QUESTION_STORE_BANK, langs->v[i].code, "bank", &created, &changed,
                                     err, errlen);
        json_decref(list);
        if (rc != 0)
            return -1;
        *added += created;
        *updated += changed;
    }
    return 0;
}

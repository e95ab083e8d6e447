#include "rw_store.h"

#include "report_langs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg_db.h"
#include "llm_review.h"
#include "relevance_semantic.h"
#include "report.h"

/* Runs a statement whose one row is the count of interviews it found (a CTE
 * "i"), so that a gone interview is told from a row left unchanged. */
static int rw_exec_found(PGconn *c, const char *sql, int n, const char *const *p, char *err, size_t errlen)
{
    PGresult *r = NULL;
    if (pg_exec(c, sql, n, p, &r, err, errlen) != 0)
        return RW_ERR;
    int rc = PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "0") != 0 ? RW_OK : RW_GONE;
    PQclear(r);
    return rc;
}

/* Once the report is stored, the parts it was built from are final: a
 * redelivered result that comes out otherwise the second time (the
 * transcriber's fallback engine standing in, say) must not leave rows that
 * contradict the report. */
#define RW_NOT_REPORTED(table) "NOT EXISTS (SELECT 1 FROM reports WHERE reports.interview_id = " table ".interview_id)"

/* A status event already stored (a redelivery, or a "started" after the
 * stage finished) changes no row, not even updated_at: the gateway records a
 * webhook delivery for every ended interview updated after the webhook was
 * registered, and shows updated_at. Once the report is stored a stage can
 * only finish (its "finished" may come after the last result): a run again
 * that fails does not make a complete interview's stage look failed. */
int rw_store_status(PGconn *c, const char *id, const char *stage, const char *state,
                    const char *reason, int *failed_now, char *err, size_t errlen)
{
    const char *p[] = {id, stage, state, reason};
    *failed_now = 0;
    int rc = rw_exec_found(c,
                           "WITH i AS (SELECT id FROM interviews WHERE id = $1::uuid), "
                           "up AS (INSERT INTO stage_events AS e (interview_id, stage, state, reason, started_at, finished_at) "
                           "  SELECT id, $2, $3, $4, now(), CASE WHEN $3 = 'started' THEN NULL ELSE now() END FROM i "
                           "  ON CONFLICT (interview_id, stage) DO UPDATE SET "
                           "    state = CASE WHEN e.state = 'started' OR EXCLUDED.state <> 'started' "
                           "                 THEN EXCLUDED.state ELSE e.state END, "
                           "    reason = COALESCE(EXCLUDED.reason, e.reason), "
                           "    finished_at = COALESCE(e.finished_at, EXCLUDED.finished_at), "
                           "    updated_at = now() "
                           "  WHERE (e.state, e.reason, e.finished_at) IS DISTINCT FROM "
                           "        (CASE WHEN e.state = 'started' OR EXCLUDED.state <> 'started' "
                           "              THEN EXCLUDED.state ELSE e.state END, "
                           "         COALESCE(EXCLUDED.reason, e.reason), COALESCE(e.finished_at, EXCLUDED.finished_at)) "
                           "    AND ((e.state = 'started' AND EXCLUDED.state = 'finished') OR " RW_NOT_REPORTED("e") ")) "
                           "SELECT count(*) FROM i",
                           4, p, err, errlen);
    if (rc != RW_OK)
        return rc;
    if (strcmp(state, "failed") == 0) {
        const char *q[] = {id, reason ? reason : "Processing failed."};
        PGresult *r = NULL;
        if (pg_exec(c,
                    "UPDATE interviews i SET status = 'failed', failure_reason = $2, updated_at = now() "
                    "FROM (SELECT status FROM interviews WHERE id = $1::uuid) was "
                    "WHERE i.id = $1::uuid AND i.status <> 'complete' "
                    "  AND (i.status, i.failure_reason) IS DISTINCT FROM ('failed', $2::text) "
                    "RETURNING was.status",
                    2, q, &r, err, errlen) != 0)
            return RW_ERR;
        *failed_now = PQntuples(r) > 0 && strcmp(PQgetvalue(r, 0, 0), "failed") != 0;
        PQclear(r);
    } else if (strcmp(state, "started") == 0) {
        const char *q[] = {id};
        if (pg_exec(c,
                    "UPDATE interviews SET status = 'processing', updated_at = now() "
                    "WHERE id = $1::uuid AND status IN ('created', 'uploaded')",
                    1, q, NULL, err, errlen) != 0)
            return RW_ERR;
    }
    return RW_OK;
}

/* updated_at moves only when the conversion changed something: a redelivered
 * interview.converted leaves the row as it was (see rw_store_status); and
 * nothing changes once the report is stored. */
int rw_store_converted(PGconn *c, const char *id, const json_t *msg, char *err, size_t errlen)
{
    const char *video = json_string_value(json_object_get(msg, "video_key"));
    const char *audio = json_string_value(json_object_get(msg, "audio_key"));
    const char *poster = json_string_value(json_object_get(msg, "poster_key"));
    char *probe = json_dumps(json_object_get(msg, "probe"), JSON_COMPACT | JSON_ENCODE_ANY);
    const char *p[] = {id, probe, video, audio, poster};
    int rc = rw_exec_found(c,
                           "WITH i AS (SELECT id FROM interviews WHERE id = $1::uuid), "
                           "up AS (UPDATE interviews SET probe = $2::jsonb, video_key = $3, audio_key = $4, "
                           "  poster_key = $5, "
                           "  updated_at = CASE WHEN (probe, video_key, audio_key, poster_key) IS DISTINCT FROM "
                           "                         ($2::jsonb, $3, $4, $5) THEN now() ELSE updated_at END "
                           "  WHERE id = $1::uuid AND NOT EXISTS (SELECT 1 FROM reports WHERE interview_id = $1::uuid)) "
                           "SELECT count(*) FROM i",
                           5, p, err, errlen);
    free(probe);
    return rc;
}

int rw_store_transcript(PGconn *c, const char *id, const json_t *transcript, char *err, size_t errlen)
{
    const char *engine = json_string_value(json_object_get(transcript, "engine"));
    const char *text = json_string_value(json_object_get(transcript, "text"));
    char *words = json_dumps(json_object_get(transcript, "words"), JSON_COMPACT | JSON_ENCODE_ANY);
    const char *model = json_string_value(json_object_get(transcript, "model"));
    const char *note = json_string_value(json_object_get(transcript, "note"));
    const char *lang = json_string_value(json_object_get(transcript, "language"));
    const json_t *jprob = json_object_get(transcript, "language_probability");
    char prob[32] = "";
    if (json_is_number(jprob))
        snprintf(prob, sizeof(prob), "%.4f", json_number_value(jprob));
    const char *p[] = {id, engine ? engine : "unknown", text ? text : "", words ? words : "[]", model, note,
                       lang, prob[0] ? prob : NULL};
    int rc = rw_exec_found(c,
                           "WITH i AS (SELECT id FROM interviews WHERE id = $1::uuid), "
                           "up AS (INSERT INTO transcripts AS t (interview_id, engine, text, words, model, note, "
                           "         language, language_probability) "
                           "  SELECT id, $2, $3, $4::jsonb, $5, $6, $7, $8::float8 FROM i "
                           "  ON CONFLICT (interview_id) DO UPDATE SET engine = EXCLUDED.engine, "
                           "    text = EXCLUDED.text, words = EXCLUDED.words, model = EXCLUDED.model, "
                           "    note = EXCLUDED.note, language = EXCLUDED.language, "
                           "    language_probability = EXCLUDED.language_probability "
                           "  WHERE " RW_NOT_REPORTED("t") ") "
                           "SELECT count(*) FROM i",
                           8, p, err, errlen);
    free(words);
    return rc;
}

int rw_store_metrics(PGconn *c, const char *id, const char *kind, const json_t *data, char *err,
                     size_t errlen)
{
    char *text = json_dumps(data, JSON_COMPACT);
    if (!text) {
        snprintf(err, errlen, "cannot serialise JSON");
        return RW_ERR;
    }
    const char *p[] = {id, kind, text};
    int rc = rw_exec_found(c,
                           "WITH i AS (SELECT id FROM interviews WHERE id = $1::uuid), "
                           "up AS (INSERT INTO metrics AS m (interview_id, kind, data) "
                           "  SELECT id, $2, $3::jsonb FROM i "
                           "  ON CONFLICT (interview_id, kind) DO UPDATE SET data = EXCLUDED.data "
                           "  WHERE " RW_NOT_REPORTED("m") ") "
                           "SELECT count(*) FROM i",
                           3, p, err, errlen);
    free(text);
    return rc;
}

static json_t *rw_json_col(PGresult *r, int col)
{
    if (PQgetisnull(r, 0, col))
        return NULL;
    return json_loads(PQgetvalue(r, 0, col), JSON_DECODE_ANY, NULL);
}

static const char *rw_col(PGresult *r, int col)
{
    return PQgetisnull(r, 0, col) ? NULL : PQgetvalue(r, 0, col);
}

int rw_store_try_complete(PGconn *c, const char *id, const rw_report_cfg *cfg, int *completed,
                          char *err, size_t errlen)
{
    int rc = RW_ERR, in_tx = 0;
    PGresult *r = NULL;
    json_t *probe = NULL, *words = NULL, *vm = NULL, *tm = NULL, *transcript = NULL, *report = NULL;
    json_t *points = NULL, *semantic = NULL;
    char *report_text = NULL;
    *completed = 0;
    if (pg_exec(c, "BEGIN", 0, NULL, NULL, err, errlen) != 0)
        goto out;
    in_tx = 1;
    const char *p[] = {id};
    /* Row lock: two replicas finishing the last parts at once build one report. */
    if (pg_exec(c,
                "SELECT i.status, i.question, i.probe, t.engine, t.text, t.words, "
                "  (SELECT data FROM metrics WHERE interview_id = i.id AND kind = 'video'), "
                "  (SELECT data FROM metrics WHERE interview_id = i.id AND kind = 'text'), "
                "  q.id, q.star, q.talking_points, q.text, t.model, t.note "
                "FROM interviews i LEFT JOIN transcripts t ON t.interview_id = i.id "
                "LEFT JOIN questions q ON q.id = i.question_id "
                "WHERE i.id = $1::uuid FOR UPDATE OF i",
                1, p, &r, err, errlen) != 0)
        goto out;
    if (PQntuples(r) == 0) {
        rc = RW_GONE;
        goto out;
    }
    const char *status = PQgetvalue(r, 0, 0);
    if (strcmp(status, "complete") == 0 || strcmp(status, "failed") == 0 || PQgetisnull(r, 0, 2) ||
        PQgetisnull(r, 0, 3) || PQgetisnull(r, 0, 6) || PQgetisnull(r, 0, 7)) {
        rc = RW_OK; /* not all parts in yet, or already decided */
        goto out;
    }
    probe = rw_json_col(r, 2);
    words = rw_json_col(r, 5);
    vm = rw_json_col(r, 6);
    tm = rw_json_col(r, 7);
    transcript = json_pack("{s:s, s:s, s:O}", "engine", PQgetvalue(r, 0, 3), "text",
                           PQgetvalue(r, 0, 4), "words", words ? words : json_array());
    if (transcript && rw_col(r, 12))
        json_object_set_new(transcript, "model", json_string(rw_col(r, 12)));
    if (transcript && rw_col(r, 13))
        json_object_set_new(transcript, "note", json_string(rw_col(r, 13)));
    points = rw_json_col(r, 10);
    const char *question = rw_col(r, 1);
    if ((!question || !*question) && rw_col(r, 11))
        question = rw_col(r, 11);
    /* The answer's language: the word lists text-metrics used. */
    size_t li = cfg && cfg->langs ? report_langs_pick(cfg->langs, json_string_value(json_object_get(tm, "language"))) : 0;
    report_input in = {.question = question, .question_id = rw_col(r, 8),
                       .star = rw_col(r, 9), .talking_points = points, .probe = probe,
                       .transcript = transcript, .text_metrics = tm, .video_metrics = vm,
                       .rubric = cfg ? cfg->rubric : NULL,
                       .stopwords = cfg && cfg->langs ? cfg->langs->stopwords[li] : NULL,
                       .suffixes = cfg && cfg->langs ? cfg->langs->suffixes[li] : NULL,
                       .behavioural_cues = cfg && cfg->langs ? cfg->langs->cues[li] : NULL,
                       .msgs = cfg && cfg->langs ? cfg->langs->msgs[li] : NULL,
                       .language = cfg && cfg->langs ? cfg->langs->table.v[li].code : NULL};
    /* Like the AI review, inside the transaction, bounded by its own timeout. */
    semantic = semantic_relevance_new(cfg ? cfg->embed : NULL, question, points, words);
    in.semantic = semantic;
    report = report_build(&in);
    if (report && cfg && cfg->llm)
        llm_review_attach(cfg->llm, report);
    report_text = json_dumps(report, JSON_COMPACT);
    if (!report_text) {
        snprintf(err, errlen, "cannot serialise report");
        goto out;
    }
    const char *q[] = {id, report_text};
    if (pg_exec(c,
                "INSERT INTO reports (interview_id, report) VALUES ($1::uuid, $2::jsonb) "
                "ON CONFLICT (interview_id) DO NOTHING",
                2, q, NULL, err, errlen) != 0)
        goto out;
    if (pg_exec(c,
                "UPDATE interviews SET status = 'complete', completed_at = now(), updated_at = now() "
                "WHERE id = $1::uuid",
                1, p, NULL, err, errlen) != 0)
        goto out;
    *completed = 1;
    rc = RW_OK;
out:
    if (in_tx) {
        char ignored[256];
        if (pg_exec(c, rc == RW_OK ? "COMMIT" : "ROLLBACK", 0, NULL, NULL,
                    rc == RW_OK ? err : ignored, rc == RW_OK ? errlen : sizeof(ignored)) != 0)
            rc = RW_ERR;
    }
    PQclear(r);
    json_decref(probe);
    json_decref(words);
    json_decref(vm);
    json_decref(tm);
    json_decref(transcript);
    json_decref(report);
    json_decref(points);
    json_decref(semantic);
    free(report_text);
    return rc;
}

int rw_store_status_of(PGconn *c, const char *id, char *status, size_t slen, char *reason,
                       size_t rlen, char *err, size_t errlen)
{
    const char *p[] = {id};
    PGresult *r = NULL;
    if (pg_exec(c, "SELECT status, COALESCE(failure_reason, '') FROM interviews WHERE id = $1::uuid",
                1, p, &r, err, errlen) != 0)
        return RW_ERR;
    int rc = RW_GONE;
    if (PQntuples(r) > 0) {
        snprintf(status, slen, "%s", PQgetvalue(r, 0, 0));
        snprintf(reason, rlen, "%s", PQgetvalue(r, 0, 1));
        rc = RW_OK;
    }
    PQclear(r);
    return rc;
}

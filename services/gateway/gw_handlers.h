/* The gateway's endpoint handlers; the router (gw_api.c) has authenticated
 * the user and validated every id in the path. */
#ifndef ISIM_GW_HANDLERS_H
#define ISIM_GW_HANDLERS_H

#include "gw_api.h"
#include "gw_auth.h"

#define GW_EMAIL_MAX 254

/* Statements prepared per pooled connection (gw_db_pool_exec_prepared). */
enum { GW_STMT_INTERVIEW_GET = 0 };


/* gw_interviews.c */
void gw_interview_create(struct mg_connection *conn, gw_app *app, const gw_user *u);
/* GET /v1/languages: the languages an interview may be in (no key needed). */
void gw_languages_list(struct mg_connection *conn, gw_app *app);
void gw_interview_list(struct mg_connection *conn, gw_app *app, const gw_user *u);
void gw_interview_get(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id);
/* gw_erase.c: DELETE /v1/interviews/{id} */
void gw_interview_delete(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id);
void gw_interview_uploaded(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id);
void gw_interview_retry(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id);
/* Why a recording was not submitted: the error to answer with. The caller
 * answers it only after putting the interview's state right, so that a
 * client reading the interview after the answer sees that state. */
typedef struct {
    int status;
    const char *code;
    char message[384];
} gw_refusal;
/* Checks the stored recording (size, ETag) and sends interview.uploaded for
 * it; 0 when sent, else -1 with *why filled (missing: the words for a
 * recording not in storage). */
int gw_recording_submit(gw_app *app, const char *id, const char *raw_key, const char *question,
                        const char *language, const char *trace, const char *missing, gw_refusal *why);
/* Answers the refusal gw_recording_submit filled. */
void gw_refusal_send(struct mg_connection *conn, const gw_refusal *why);
/* gw_history.c: GET /v1/history, and the query parameters it takes (for the router). */
void gw_history(struct mg_connection *conn, gw_app *app, const gw_user *u);
extern const char *const gw_history_params[];
/* gw_upload.c: PUT /v1/interviews/{id}/recording */
void gw_interview_upload(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id);
/* gw_sse.c: GET /v1/interviews/{id}/events */
void gw_interview_events(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id);
/* gw_questions.c */
void gw_question_list(struct mg_connection *conn, gw_app *app, const gw_user *u);
void gw_question_get(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *qid);
/* Administrators any question; a coach their organisation's own (gw_question_editor). */
void gw_question_put(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *qid_or_null);
/* DELETE /v1/questions/{id}: retires it (interviews keep naming it). */
void gw_question_retire(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *qid);
/* A question as the API shows it: a SQL json_build_object over the questions table. */
extern const char gw_question_json[];
/* gw_mock.c: mock interviews, /v1/mock-interviews */
void gw_mock_create(struct mg_connection *conn, gw_app *app, const gw_user *u);
void gw_mock_list(struct mg_connection *conn, gw_app *app, const gw_user *u);
void gw_mock_get(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id);
void gw_mock_next(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id);
void gw_mock_answer(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id);
void gw_mock_finish(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id);
void gw_mock_delete(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id);
void gw_mock_report(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id);
/* gw_cohorts.c: organisations, cohorts, their people and a coach's overview */
void gw_org_list(struct mg_connection *conn, gw_app *app);
void gw_org_put(struct mg_connection *conn, gw_app *app, const char *id_or_null);
void gw_org_delete(struct mg_connection *conn, gw_app *app, const char *id);
void gw_cohort_list(struct mg_connection *conn, gw_app *app, const gw_user *u);
void gw_cohort_create(struct mg_connection *conn, gw_app *app, const gw_user *u);
void gw_cohort_get(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id);
void gw_cohort_delete(struct mg_connection *conn, gw_app *app, const char *id);
void gw_cohort_member_put(struct mg_connection *conn, gw_app *app, const char *id, const char *user_id);
void gw_cohort_member_delete(struct mg_connection *conn, gw_app *app, const char *id, const char *user_id);
void gw_cohort_overview(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id);
/* 1 when no organisation has this id (422 unknown_organisation sent) or the
 * database failed (503 sent); 0 when it exists. */
int gw_org_missing(struct mg_connection *conn, gw_app *app, const char *id);
/* gw_comments.c: comments on a report */
void gw_comment_list(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *iid);
void gw_comment_create(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *iid);
void gw_comment_delete(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *iid, const char *cid);
/* gw_question_bank.c: GET and POST /v1/question-bank (administrators) */
void gw_question_bank_export(struct mg_connection *conn, gw_app *app);
void gw_question_bank_import(struct mg_connection *conn, gw_app *app);
/* gw_accounts.c */
void gw_user_create(struct mg_connection *conn, gw_app *app);
/* 0 when name (1-100 characters) and role (user, admin) are valid, else -1 with 422 sent. */
int gw_user_name_role_valid(struct mg_connection *conn, const char *name, const char *role);
/* *out: the user as /v1/me describes it, NULL when there is none; 0 or -1 (database). */
int gw_user_json(gw_app *app, const char *user_id, json_t **out, char *err, size_t errlen);
void gw_me(struct mg_connection *conn, gw_app *app, const gw_user *u);
/* {"max_duration_s", "max_upload_bytes"}: what a recording may be, for the web app. */
json_t *gw_limits_json(const gw_app *app);
void gw_user_list(struct mg_connection *conn, gw_app *app);
void gw_user_patch(struct mg_connection *conn, gw_app *app, const gw_user *admin, const char *id);
void gw_user_delete(struct mg_connection *conn, gw_app *app, const gw_user *admin, const char *id);
void gw_me_delete(struct mg_connection *conn, gw_app *app, const gw_user *u);
/* Erases every interview of user_id (objects, then rows), then the user with
 * its keys, sessions and webhooks. 0 (*erased counts the interviews), -1
 * database failure, -2 storage failure (the account stays); err filled. */
int gw_erase_user(gw_app *app, const char *user_id, int *erased, char *err, size_t errlen);
/* Erases every interview created more than days days ago (at most limit per
 * call): 0 with *erased, or -1 with err (what was erased before stays erased). */
int gw_erase_older_than(gw_app *app, int days, int limit, int *erased, char *err, size_t errlen);
/* gw_signin.c: people's sessions */
/* Lower-cases a plausible address into out (0), or -1 when it is not one. */
int gw_email_normalise(const char *in, char out[GW_EMAIL_MAX + 1]);
void gw_signin(struct mg_connection *conn, gw_app *app);
void gw_signout(struct mg_connection *conn, gw_app *app, const gw_user *u);
void gw_password_change(struct mg_connection *conn, gw_app *app, const gw_user *u);
/* Starts a session for user_id and answers {"user", "csrf_token"} with its cookie. */
void gw_signed_in_send(struct mg_connection *conn, gw_app *app, const char *user_id, int status);
/* gw_invitations.c */
void gw_invitation_create(struct mg_connection *conn, gw_app *app, const gw_user *admin);
void gw_invitation_get(struct mg_connection *conn, gw_app *app, const char *token);
void gw_invitation_accept(struct mg_connection *conn, gw_app *app, const char *token);
/* gw_keys.c: a user's own API keys */
void gw_key_list(struct mg_connection *conn, gw_app *app, const gw_user *u);
void gw_key_create(struct mg_connection *conn, gw_app *app, const gw_user *u);
void gw_key_delete(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id);
void gw_webhook_create(struct mg_connection *conn, gw_app *app, const gw_user *u);
void gw_webhook_list(struct mg_connection *conn, gw_app *app, const gw_user *u);
void gw_webhook_delete(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id);

#endif

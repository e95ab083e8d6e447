/* The gateway's endpoint handlers; the router (gw_api.c) has authenticated
 * the user and validated every id in the path. */
#ifndef ISIM_GW_HANDLERS_H
#define ISIM_GW_HANDLERS_H

#include "gw_api.h"
#include "gw_auth.h"

#define GW_QUESTION_ID_MAX 64

/* Statements prepared per pooled connection (gw_db_pool_exec_prepared). */
enum { GW_STMT_INTERVIEW_GET = 0 };

/* 1 when s is a question id: ^[a-z0-9][a-z0-9-]{0,63}$ (as the table's CHECK). */
int gw_question_id_valid(const char *s);

/* gw_interviews.c */
void gw_interview_create(struct mg_connection *conn, gw_app *app, const gw_user *u);
void gw_interview_list(struct mg_connection *conn, gw_app *app, const gw_user *u);
void gw_interview_get(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id);
/* gw_erase.c: DELETE /v1/interviews/{id} */
void gw_interview_delete(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id);
void gw_interview_uploaded(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id);
void gw_history(struct mg_connection *conn, gw_app *app, const gw_user *u);
/* gw_upload.c: PUT /v1/interviews/{id}/recording */
void gw_interview_upload(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id);
/* gw_sse.c: GET /v1/interviews/{id}/events */
void gw_interview_events(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id);
/* gw_questions.c */
void gw_question_list(struct mg_connection *conn, gw_app *app);
void gw_question_get(struct mg_connection *conn, gw_app *app, const char *qid);
void gw_question_put(struct mg_connection *conn, gw_app *app, const char *qid_or_null);
/* gw_accounts.c */
void gw_user_create(struct mg_connection *conn, gw_app *app);
void gw_me(struct mg_connection *conn, gw_app *app, const gw_user *u);
void gw_webhook_create(struct mg_connection *conn, gw_app *app, const gw_user *u);
void gw_webhook_list(struct mg_connection *conn, gw_app *app, const gw_user *u);
void gw_webhook_delete(struct mg_connection *conn, gw_app *app, const gw_user *u, const char *id);

#endif

/* A question of the bank as JSON, checked in one place for every way one
 * arrives: the API (create, update), an import (JSON or CSV) and the bank
 * shipped in data/<language>/questions.json. */
#ifndef ISIM_QUESTION_H
#define ISIM_QUESTION_H

#include <jansson.h>
#include <stddef.h>

#include "isim_lang.h"

#define QUESTION_ID_MAX 64
#define QUESTION_TEXT_MAX 2000
#define QUESTION_ROLE_MAX 64
#define QUESTION_POINTS_MAX 20
#define QUESTION_POINT_MAX 300
/* Talking points are joined with " | " in a CSV cell, so a point holds no '|'. */
#define QUESTION_POINT_SEP " | "
/* The format a bank file and an export name themselves with. */
#define QUESTION_FORMAT "isim-questions/1"

/* The fields a question has, in the order of an export. */
extern const char *const question_fields[];

/* 1 when s is a question id: ^[a-z0-9][a-z0-9-]{0,63}$ (as the table's CHECK). */
int question_id_valid(const char *s);
/* 1 when s names a category (behavioural, technical, situational, general). */
int question_category_valid(const char *s);
/* 1 when s names a level (any, entry, mid, senior). */
int question_level_valid(const char *s);
/* 1 when s is a role: an id such as software-engineer, or any. */
int question_role_valid(const char *s);

/* Checks q's fields. update: only the fields present are checked (id comes
 * from the path); else id, category and text are required. Unknown keys are
 * refused. Returns 0, or -1 with bad saying what is wrong in words for the
 * person who sent it. */
int question_check(const json_t *q, int update, const lang_table *langs, char *bad, size_t badlen);

/* A JSON list of questions from a document: {"questions": [...]} (an export
 * or a bank file; "format", when present, must be QUESTION_FORMAT) or a bare
 * list. Each is checked as new; the first wrong one is named by its place
 * and id. Returns the list (a new reference) or NULL with err. */
json_t *question_list_from_json(const json_t *doc, const lang_table *langs, char *err, size_t errlen);

#endif

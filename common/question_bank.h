/* Storing lists of questions (checked by question.h) in PostgreSQL, and the
 * bank shipped with the project: data/<language>/questions.json for every
 * language of data/languages.txt that has one. */
#ifndef ISIM_QUESTION_BANK_H
#define ISIM_QUESTION_BANK_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stddef.h>

#include "isim_lang.h"

typedef enum {
    QUESTION_STORE_MISSING, /* adds the questions whose id is new; keeps every existing one as it is */
    QUESTION_STORE_REPLACE, /* adds new ones and overwrites existing ones that differ */
    QUESTION_STORE_BANK     /* adds new ones and updates those the bank wrote last (source bank) */
} question_store_mode;

/* Stores a checked list (question_list_from_json) in one statement, so all
 * or none; a missing role/level/language/talking_points/star takes its
 * default (any, any, default_language, none, category is behavioural; no
 * organisation: offered to everyone). An organisation_id must exist (the
 * caller checks: a missing one fails the statement). source: bank, admin or import. Counts what was created and updated
 * (either may be NULL). Returns 0 or -1 with err. */
int question_bank_store(PGconn *c, const json_t *list, question_store_mode mode, const char *default_language,
                        const char *source, int *created, int *updated, char *err, size_t errlen);

/* Adds the shipped bank's new questions and updates the ones it shipped
 * before (QUESTION_STORE_BANK: what an administrator edited or imported
 * stays as they left it, and so does retiring). *added and *updated count
 * them. A language without a questions.json is skipped; an unreadable or
 * wrong file is an error naming it and the question. */
int question_bank_sync(PGconn *c, const char *data_dir, const lang_table *langs, int *added, int *updated,
                       char *err, size_t errlen);

#endif

/* The question bank as CSV, for spreadsheets: a header row naming the columns
 * (question_fields), one question per row, talking points joined with " | "
 * in one cell, star and retired as true or false. */
#ifndef ISIM_QUESTION_CSV_H
#define ISIM_QUESTION_CSV_H

#include <jansson.h>
#include <stddef.h>

/* The rows of buf as a JSON list of questions (not yet checked: pass it to
 * question_list_from_json). An empty cell is a missing field. Returns the
 * list or NULL with err naming the row. */
json_t *question_list_from_csv(const char *buf, size_t len, char *err, size_t errlen);

/* list as CSV (every column of question_fields), a string to free; NULL when
 * out of memory. */
char *question_list_to_csv(const json_t *list);

#endif

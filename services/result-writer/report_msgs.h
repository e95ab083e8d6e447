/* The report's texts in one language (data/<lang>/report.json): tips,
 * evidence, notes, as templates with named fields ("{word}"), so that a
 * translation can order its words freely and a mistake in one cannot crash
 * the service (no printf formats from data). */
#ifndef ISIM_REPORT_MSGS_H
#define ISIM_REPORT_MSGS_H

#include <jansson.h>
#include <stddef.h>

/* Reads and checks a catalog: every key the code uses must be there as a
 * string (a missing one is an error naming it). */
int report_msgs_load(const char *path, json_t **out, char *err, size_t errlen);
/* The template of key in cat filled with the (name, value) pairs that
 * follow, ending with NULL. A field the pairs lack is left as written; a
 * key cat lacks gives the key itself. */
void report_msg(const json_t *cat, const char *key, char *out, size_t outlen, ...);
/* v with the given decimals (-1: as %g) and cat's decimal separator ("0,75"). */
void report_num(const json_t *cat, double v, int decimals, char *out, size_t outlen);
/* The template itself (the key when missing). */
const char *report_msg_raw(const json_t *cat, const char *key);

#endif

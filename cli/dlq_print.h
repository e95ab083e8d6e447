/* How isim dlq list shows dead letters: aligned text lines under a header,
 * or one JSON object per line. */
#ifndef ISIM_DLQ_PRINT_H
#define ISIM_DLQ_PRINT_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "dlq_entry.h"

/* "2024-05-01T12:00:00Z" for a time in milliseconds; "-" when negative. */
void dlq_time_iso(int64_t ms, char out[32]);

/* s with control characters as spaces, so that one entry stays one line;
 * "-" when NULL or empty. Copied into buf[len] (cut to fit). */
const char *dlq_print_flat(const char *s, char *buf, size_t len);

void dlq_print_header(FILE *out);
/* One line. 0, or -1 when out refused it. */
int dlq_print_line(FILE *out, const dlq_entry *e);
/* The entry as JSON (NULL: out of memory). */
json_t *dlq_entry_json_new(const dlq_entry *e);
/* The JSON object on one line. 0, or -1. */
int dlq_print_json(FILE *out, const dlq_entry *e);

#endif

/* isim dlq: the dead letters of interview.dlq for operators. `list` shows
 * them; `replay` puts the chosen ones back on the topic they came from,
 * once what made them fail is repaired, and records each replay with a
 * marker on interview.dlq so that no later replay sends it again. */
#ifndef ISIM_DLQ_H
#define ISIM_DLQ_H

#include <stdio.h>

/* argv[0] is "dlq". Returns the process exit code: 0, 1 (a failure on the
 * way: Kafka, PostgreSQL), 2 (bad arguments or settings). */
int isim_dlq_main(int argc, char **argv);
void isim_dlq_usage(FILE *out);

#endif

/* Process-wide Prometheus counters, rendered by the health listener. */
#ifndef ISIM_METRICS_H
#define ISIM_METRICS_H

/* Adds v to the counter name (created on first use with its help text). */
void metrics_counter_add(const char *name, const char *help, double v);
/* Prometheus text exposition; malloc'd. */
char *metrics_render(void);

#endif

#include "isim_metrics.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define METRICS_MAX 64

typedef struct metric {
    char name[96];
    char help[160];
    double value;
} metric;

static metric metrics_table[METRICS_MAX];
static int metrics_count;
static pthread_mutex_t metrics_lock = PTHREAD_MUTEX_INITIALIZER;

void metrics_counter_add(const char *name, const char *help, double v)
{
    pthread_mutex_lock(&metrics_lock);
    int i;
    for (i = 0; i < metrics_count; i++)
        if (strcmp(metrics_table[i].name, name) == 0)
            break;
    if (i == metrics_count && metrics_count < METRICS_MAX) {
        snprintf(metrics_table[i].name, sizeof(metrics_table[i].name), "%s", name);
        snprintf(metrics_table[i].help, sizeof(metrics_table[i].help), "%s", help ? help : name);
        metrics_table[i].value = 0;
        metrics_count++;
    }
    if (i < METRICS_MAX)
        metrics_table[i].value += v;
    pthread_mutex_unlock(&metrics_lock);
}

char *metrics_render(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    pthread_mutex_lock(&metrics_lock);
    for (int i = 0; i < metrics_count; i++)
        fprintf(f, "# HELP %s %s\n# TYPE %s counter\n%s %.6g\n", metrics_table[i].name,
                metrics_table[i].help, metrics_table[i].name, metrics_table[i].name,
                metrics_table[i].value);
    pthread_mutex_unlock(&metrics_lock);
    fclose(f);
    return buf;
}


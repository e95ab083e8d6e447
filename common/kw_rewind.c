#include "kw_rewind.h"

#include <stdlib.h>
#include <string.h>

static int kw_rewinds_index(const kw_rewinds *r, const char *topic, int32_t partition)
{
    for (int i = 0; i < r->n; i++)
        if (r->e[i].partition == partition && strcmp(r->e[i].topic, topic) == 0)
            return i;
    return -1;
}

int kw_rewinds_add(kw_rewinds *r, const char *topic, int32_t partition, int64_t offset)
{
    int i = kw_rewinds_index(r, topic, partition);
    if (i >= 0) {
        r->e[i].offset = offset;
        return 0;
    }
    if (r->n >= KW_REWINDS_MAX)
        return -1;
    char *copy = strdup(topic);
    if (!copy)
        return -1;
    r->e[r->n++] = (kw_rewind_entry){.topic = copy, .partition = partition, .offset = offset};
    return 0;
}

int64_t kw_rewinds_find(const kw_rewinds *r, const char *topic, int32_t partition)
{
    int i = kw_rewinds_index(r, topic, partition);
    return i < 0 ? -1 : r->e[i].offset;
}

void kw_rewinds_remove(kw_rewinds *r, const char *topic, int32_t partition)
{
    int i = kw_rewinds_index(r, topic, partition);
    if (i < 0)
        return;
    free(r->e[i].topic);
    r->e[i] = r->e[--r->n];
}

void kw_rewinds_clear(kw_rewinds *r)
{
    for (int i = 0; i < r->n; i++)
        free(r->e[i].topic);
    r->n = 0;
}

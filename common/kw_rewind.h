/* Partitions the Kafka worker must rewind but could not yet (the seek
 * failed): until the seek takes, later messages of such a partition are
 * dropped unprocessed so that their offsets never pass the failed one. */
#ifndef ISIM_KW_REWIND_H
#define ISIM_KW_REWIND_H

#include <stdint.h>

#define KW_REWINDS_MAX 64

typedef struct kw_rewind_entry {
    char *topic; /* owned */
    int32_t partition;
    int64_t offset;
} kw_rewind_entry;

typedef struct kw_rewinds {
    kw_rewind_entry e[KW_REWINDS_MAX];
    int n;
} kw_rewinds;

/* Records (or moves) the rewind of topic/partition to offset; -1 when full
 * or out of memory. */
int kw_rewinds_add(kw_rewinds *r, const char *topic, int32_t partition, int64_t offset);
/* The offset to rewind topic/partition to, or -1 if none is pending. */
int64_t kw_rewinds_find(const kw_rewinds *r, const char *topic, int32_t partition);
void kw_rewinds_remove(kw_rewinds *r, const char *topic, int32_t partition);
void kw_rewinds_clear(kw_rewinds *r);

#endif

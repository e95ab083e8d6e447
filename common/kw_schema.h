/* The message contracts (proto/<topic>.schema.json), built into every
 * binary, checked on every message a worker consumes. */
#ifndef ISIM_KW_SCHEMA_H
#define ISIM_KW_SCHEMA_H

#include <stddef.h>
#include <jansson.h>

typedef struct kw_schema_source {
    const char *topic;
    const unsigned char *text; /* the schema file's bytes */
    size_t len;
} kw_schema_source;

/* Generated at build time from proto/ (cmake/embed_proto.cmake); ends with a NULL topic. */
extern const kw_schema_source kw_schema_sources[];

/* 0 when body matches its topic's schema, or the topic has none; otherwise
 * -1 with the first violation in err. */
int kw_schema_check(const char *topic, const json_t *body, char *err, size_t errlen);

#endif

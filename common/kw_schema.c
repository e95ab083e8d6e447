#include "kw_schema.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "json_schema.h"

#define KW_SCHEMAS_MAX 16

/* Parsed once, read-only after: shared by all threads. */
static struct {
    const char *topic;
    json_t *schema;
} kw_schemas[KW_SCHEMAS_MAX];
static char kw_schemas_error[256];
static pthread_once_t kw_schemas_once = PTHREAD_ONCE_INIT;

static void kw_schemas_load(void)
{
    int n = 0;
    for (const kw_schema_source *s = kw_schema_sources; s->topic; s++) {
        json_error_t jerr;
        json_t *schema = json_loadb((const char *)s->text, s->len, 0, &jerr);
        char why[200] = "";
        if (!schema)
            snprintf(why, sizeof(why), "%s", jerr.text);
        else if (n >= KW_SCHEMAS_MAX)
            snprintf(why, sizeof(why), "more than %d schemas", KW_SCHEMAS_MAX);
        else
            json_schema_supported(schema, why, sizeof(why));
        if (why[0]) {
            /* Every check fails then: a schema this validator cannot read
             * must be noticed at once, not pass messages unchecked. */
            snprintf(kw_schemas_error, sizeof(kw_schemas_error), "schema of %s unusable: %s", s->topic, why);
            json_decref(schema);
            continue;
        }
        kw_schemas[n].topic = s->topic;
        kw_schemas[n].schema = schema;
        n++;
    }
}

int kw_schema_check(const char *topic, const json_t *body, char *err, size_t errlen)
{
    pthread_once(&kw_schemas_once, kw_schemas_load);
    if (kw_schemas_error[0]) {
        snprintf(err, errlen, "%s", kw_schemas_error);
        return -1;
    }
    for (int i = 0; i < KW_SCHEMAS_MAX && kw_schemas[i].topic; i++)
        if (strcmp(kw_schemas[i].topic, topic) == 0)
            return json_schema_validate(kw_schemas[i].schema, body, err, errlen);
    return 0;
}

/* A JSON Schema (draft 2020-12) validator for the subset the message
 * contracts in proto/ use: type, const, enum, required, properties,
 * additionalProperties, items, minimum, maximum, minLength, maxLength,
 * pattern (POSIX extended),
 * oneOf and local "$ref": "#/$defs/<name>". Annotations (title,
 * description, format, $id, $schema) are ignored; any other keyword is an
 * error, so a schema using more than this subset is noticed at once. */
#ifndef ISIM_JSON_SCHEMA_H
#define ISIM_JSON_SCHEMA_H

#include <stddef.h>
#include <jansson.h>

/* 0 when value satisfies schema; otherwise -1 and err names the first
 * violation with its JSON path, e.g. "$.probe.duration_s: expected number". */
int json_schema_validate(const json_t *schema, const json_t *value, char *err, size_t errlen);
/* 0 when schema uses only the keywords above (and its patterns compile). */
int json_schema_supported(const json_t *schema, char *err, size_t errlen);

#endif

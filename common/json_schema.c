#include "json_schema.h"

#include <regex.h>
#include <stdio.h>
#include <string.h>

typedef struct js_ctx {
    const json_t *root; /* for $ref */
    char *err;
    size_t errlen;
} js_ctx;

static int js_validate(js_ctx *c, const json_t *schema, const json_t *v, const char *path);

static int js_fail(js_ctx *c, const char *path, const char *what, const char *detail)
{
    snprintf(c->err, c->errlen, "%s: %s%s", path, what, detail ? detail : "");
    return -1;
}

static int js_object(const json_t *v) { return json_is_object(v); }
static int js_array(const json_t *v) { return json_is_array(v); }
static int js_string(const json_t *v) { return json_is_string(v); }
static int js_number(const json_t *v) { return json_is_number(v); }
static int js_boolean(const json_t *v) { return json_is_boolean(v); }
static int js_null(const json_t *v) { return json_is_null(v); }
/* JSON Schema counts 2.0 as an integer. */
static int js_integer(const json_t *v)
{
    return json_is_integer(v) ||
           (json_is_real(v) && json_real_value(v) == (double)(long long)json_real_value(v));
}

static const struct {
    const char *name;
    int (*is)(const json_t *v);
} js_types[] = {
    {"object", js_object}, {"array", js_array},     {"string", js_string}, {"number", js_number},
    {"integer", js_integer}, {"boolean", js_boolean}, {"null", js_null},
};

static int js_is_type(const json_t *v, const char *type)
{
    for (size_t i = 0; i < sizeof(js_types) / sizeof(js_types[0]); i++)
        if (strcmp(js_types[i].name, type) == 0)
            return js_types[i].is(v);
    return 0;
}

static int js_check_type(js_ctx *c, const json_t *type, const json_t *v, const char *path)
{
    char want[128] = "";
    if (json_is_string(type)) {
        if (js_is_type(v, json_string_value(type)))
            return 0;
        snprintf(want, sizeof(want), "%s", json_string_value(type));
    } else {
        size_t i;
        const json_t *t;
        json_array_foreach(type, i, t) {
            if (js_is_type(v, json_string_value(t)))
                return 0;
            size_t used = strlen(want);
            snprintf(want + used, sizeof(want) - used, "%s%s", i ? " or " : "", json_string_value(t));
        }
    }
    return js_fail(c, path, "expected ", want);
}

static int js_check_pattern(js_ctx *c, const json_t *kv, const json_t *v, const char *path)
{
    const char *pattern = json_string_value(kv);
    if (!json_is_string(v))
        return 0;
    regex_t re;
    if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
        return js_fail(c, path, "schema pattern does not compile: ", pattern);
    int rc = regexec(&re, json_string_value(v), 0, NULL, 0) == 0 ? 0 : -1;
    regfree(&re);
    return rc == 0 ? 0 : js_fail(c, path, "does not match ", pattern);
}

static int js_check_bound(js_ctx *c, const json_t *bound, const json_t *v, const char *path, int is_min)
{
    if (!json_is_number(v))
        return 0;
    double x = json_number_value(v), b = json_number_value(bound);
    if (is_min ? x >= b : x <= b)
        return 0;
    char detail[64];
    snprintf(detail, sizeof(detail), "%g", b);
    return js_fail(c, path, is_min ? "below the minimum " : "above the maximum ", detail);
}

/* Length in characters (code points), as JSON Schema counts it. */
static int js_check_length(js_ctx *c, const json_t *bound, const json_t *v, const char *path, int is_min)
{
    if (!json_is_string(v))
        return 0;
    long long n = 0;
    for (const unsigned char *p = (const unsigned char *)json_string_value(v); *p; p++)
        n += (*p & 0xC0) != 0x80;
    long long b = json_integer_value(bound);
    if (is_min ? n >= b : n <= b)
        return 0;
    char detail[64];
    snprintf(detail, sizeof(detail), "%lld characters", b);
    return js_fail(c, path, is_min ? "shorter than " : "longer than ", detail);
}

static int js_check_object(js_ctx *c, const json_t *schema, const json_t *v, const char *path)
{
    if (!json_is_object(v))
        return 0;
    char sub[512];
    size_t i;
    const json_t *name;
    json_array_foreach(json_object_get(schema, "required"), i, name) {
        if (!json_object_get(v, json_string_value(name))) {
            snprintf(sub, sizeof(sub), "%s.%s", path, json_string_value(name));
            return js_fail(c, sub, "required but missing", NULL);
        }
    }
    const json_t *props = json_object_get(schema, "properties");
    const json_t *extra = json_object_get(schema, "additionalProperties");
    const char *key;
    const json_t *item;
    json_object_foreach((json_t *)v, key, item) {
        snprintf(sub, sizeof(sub), "%s.%s", path, key);
        const json_t *ps = json_object_get(props, key);
        if (ps) {
            if (js_validate(c, ps, item, sub) != 0)
                return -1;
        } else if (json_is_false(extra)) {
            return js_fail(c, sub, "not allowed here", NULL);
        } else if (json_is_object(extra) && js_validate(c, extra, item, sub) != 0) {
            return -1;
        }
    }
    return 0;
}

static int js_check_items(js_ctx *c, const json_t *items, const json_t *v, const char *path)
{
    if (!json_is_array(v))
        return 0;
    char sub[512];
    size_t i;
    const json_t *item;
    json_array_foreach(v, i, item) {
        snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
        if (js_validate(c, items, item, sub) != 0)
            return -1;
    }
    return 0;
}

static int js_check_enum(js_ctx *c, const json_t *options, const json_t *v, const char *path)
{
    size_t i;
    const json_t *o;
    json_array_foreach(options, i, o) {
        if (json_equal((json_t *)o, (json_t *)v))
            return 0;
    }
    return js_fail(c, path, "not one of the allowed values", NULL);
}

static int js_check_one_of(js_ctx *c, const json_t *options, const json_t *v, const char *path)
{
    size_t i, matched = 0;
    const json_t *o;
    char first[256] = "";
    json_array_foreach(options, i, o) {
        if (js_validate(c, o, v, path) == 0)
            matched++;
        else if (!first[0])
            snprintf(first, sizeof(first), "%s", c->err);
    }
    if (matched == 1)
        return 0;
    return matched ? js_fail(c, path, "matches more than one alternative", NULL)
                   : js_fail(c, path, "matches no alternative, e.g. ", first);
}

static int js_check_ref(js_ctx *c, const json_t *kv, const json_t *v, const char *path)
{
    const char *ref = json_string_value(kv), *prefix = "#/$defs/";
    const json_t *target = NULL;
    if (strncmp(ref, prefix, strlen(prefix)) == 0)
        target = json_object_get(json_object_get(c->root, "$defs"), ref + strlen(prefix));
    if (!target)
        return js_fail(c, path, "schema reference not found: ", ref);
    return js_validate(c, target, v, path);
}

static int js_check_const(js_ctx *c, const json_t *kv, const json_t *v, const char *path)
{
    return json_equal((json_t *)kv, (json_t *)v) ? 0 : js_fail(c, path, "not the required value", NULL);
}
static int js_minimum(js_ctx *c, const json_t *kv, const json_t *v, const char *p) { return js_check_bound(c, kv, v, p, 1); }
static int js_maximum(js_ctx *c, const json_t *kv, const json_t *v, const char *p) { return js_check_bound(c, kv, v, p, 0); }
static int js_min_length(js_ctx *c, const json_t *kv, const json_t *v, const char *p) { return js_check_length(c, kv, v, p, 1); }
static int js_max_length(js_ctx *c, const json_t *kv, const json_t *v, const char *p) { return js_check_length(c, kv, v, p, 0); }

typedef int (*js_check_fn)(js_ctx *c, const json_t *kv, const json_t *v, const char *path);

/* Every keyword this validator reads: with its check; the object keywords
 * (checked together by js_check_object) and annotations (which say nothing
 * about validity) without. A keyword not here is refused. */
static const struct {
    const char *name;
    js_check_fn check;
} js_keywords[] = {
    {"type", js_check_type},         {"const", js_check_const},       {"enum", js_check_enum},
    {"pattern", js_check_pattern},   {"minimum", js_minimum},         {"maximum", js_maximum},
    {"minLength", js_min_length},    {"maxLength", js_max_length},    {"items", js_check_items},
    {"oneOf", js_check_one_of},      {"$ref", js_check_ref},          {"required", NULL},
    {"properties", NULL},            {"additionalProperties", NULL},  {"$schema", NULL},
    {"$id", NULL},                   {"$defs", NULL},                 {"title", NULL},
    {"description", NULL},           {"format", NULL},                {"examples", NULL},
    {"default", NULL},
};

/* The keyword's entry, or -1 when it is not supported. */
static int js_keyword(const char *k)
{
    for (size_t i = 0; i < sizeof(js_keywords) / sizeof(js_keywords[0]); i++)
        if (strcmp(js_keywords[i].name, k) == 0)
            return (int)i;
    return -1;
}

static int js_validate(js_ctx *c, const json_t *schema, const json_t *v, const char *path)
{
    const char *k;
    const json_t *kv;
    if (!json_is_object(schema))
        return js_fail(c, path, "schema is not an object", NULL);
    json_object_foreach((json_t *)schema, k, kv) {
        int i = js_keyword(k);
        if (i < 0)
            return js_fail(c, path, "schema keyword not supported: ", k);
        if (js_keywords[i].check && js_keywords[i].check(c, kv, v, path) != 0)
            return -1;
    }
    return js_check_object(c, schema, v, path);
}

int json_schema_validate(const json_t *schema, const json_t *value, char *err, size_t errlen)
{
    js_ctx c = {.root = schema, .err = err, .errlen = errlen};
    return js_validate(&c, schema, value, "$");
}

static int js_supported(const json_t *schema, const char *path, char *err, size_t errlen);

static int js_supported_each(const json_t *map_or_list, const char *path, char *err, size_t errlen)
{
    char sub[512];
    if (json_is_array(map_or_list)) {
        size_t i;
        const json_t *x;
        json_array_foreach(map_or_list, i, x) {
            snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
            if (js_supported(x, sub, err, errlen) != 0)
                return -1;
        }
        return 0;
    }
    const char *k;
    const json_t *x;
    json_object_foreach((json_t *)map_or_list, k, x) {
        snprintf(sub, sizeof(sub), "%s.%s", path, k);
        if (js_supported(x, sub, err, errlen) != 0)
            return -1;
    }
    return 0;
}

static int js_supported(const json_t *schema, const char *path, char *err, size_t errlen)
{
    const char *k;
    const json_t *kv;
    if (!json_is_object(schema)) {
        snprintf(err, errlen, "%s: a schema must be an object", path);
        return -1;
    }
    json_object_foreach((json_t *)schema, k, kv) {
        if (js_keyword(k) < 0) {
            snprintf(err, errlen, "%s: schema keyword not supported: %s", path, k);
            return -1;
        }
        int rc = 0;
        if (strcmp(k, "properties") == 0 || strcmp(k, "$defs") == 0 || strcmp(k, "oneOf") == 0)
            rc = js_supported_each(kv, path, err, errlen);
        else if (strcmp(k, "items") == 0 || (strcmp(k, "additionalProperties") == 0 && json_is_object(kv)))
            rc = js_supported(kv, path, err, errlen);
        else if (strcmp(k, "pattern") == 0) {
            regex_t re;
            rc = regcomp(&re, json_string_value(kv), REG_EXTENDED | REG_NOSUB) == 0 ? 0 : -1;
            if (rc == 0)
                regfree(&re);
            else
                snprintf(err, errlen, "%s: pattern does not compile: %s", path, json_string_value(kv));
        }
        if (rc != 0)
            return -1;
    }
    return 0;
}

int json_schema_supported(const json_t *schema, char *err, size_t errlen)
{
    return js_supported(schema, "$", err, errlen);
}

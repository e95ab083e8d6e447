/* The message contracts of proto/, as the workers check them: every schema
 * is readable by the validator, real-shaped messages pass, and each kind of
 * violation is found with its path. */
#include <criterion/criterion.h>
#include <string.h>

#include "json_schema.h"
#include "kw_schema.h"

#define IID "0b6f3b0e-8c1e-4c5e-9a55-3e1c0d5e2f10"

static int check(const char *topic, const char *text, char *err, size_t errlen)
{
    json_error_t jerr;
    json_t *body = json_loads(text, 0, &jerr);
    cr_assert_not_null(body, "%s", jerr.text);
    err[0] = '\0';
    int rc = kw_schema_check(topic, body, err, errlen);
    json_decref(body);
    return rc;
}

static int validate(const char *schema_text, const char *text, char *err, size_t errlen)
{
    json_t *schema = json_loads(schema_text, 0, NULL), *v = json_loads(text, JSON_DECODE_ANY, NULL);
    cr_assert_not_null(schema);
    cr_assert_not_null(v);
    int rc = json_schema_validate(schema, v, err, errlen);
    json_decref(schema);
    json_decref(v);
    return rc;
}

Test(json_schema, every_proto_schema_is_built_in_and_readable)
{
    char err[512];
    int n = 0;
    for (const kw_schema_source *s = kw_schema_sources; s->topic; s++, n++) {
        json_t *schema = json_loadb((const char *)s->text, s->len, 0, NULL);
        cr_assert_not_null(schema, "%s", s->topic);
        cr_assert_eq(json_schema_supported(schema, err, sizeof(err)), 0, "%s: %s", s->topic, err);
        json_decref(schema);
    }
    cr_assert_geq(n, 7, "one schema per topic, found %d", n);
}

Test(json_schema, uploaded_messages)
{
    char err[512];
    cr_assert_eq(check("interview.uploaded", "{\"version\":1,\"interview_id\":\"" IID "\",\"raw_key\":\"raw/" IID "\",\"question\":\"Why?\",\"size_bytes\":10}", err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(check("interview.uploaded", "{\"version\":1,\"interview_id\":\"" IID "\",\"question\":\"Why?\"}", err, sizeof(err)), -1);
    cr_assert_str_eq(err, "$.raw_key: required but missing");
    cr_assert_eq(check("interview.uploaded", "{\"version\":1,\"interview_id\":\"" IID "\",\"raw_key\":\"media/x\",\"question\":\"Why?\"}", err, sizeof(err)), -1);
    cr_assert(strstr(err, "$.raw_key: does not match ^raw/"), "%s", err);
    cr_assert_eq(check("interview.uploaded", "{\"version\":1,\"interview_id\":\"" IID "\",\"raw_key\":\"raw/x\",\"question\":7}", err, sizeof(err)), -1);
    cr_assert_str_eq(err, "$.question: expected string");
    cr_assert_eq(check("interview.uploaded", "{\"version\":1,\"interview_id\":\"" IID "\",\"raw_key\":\"raw/x\",\"question\":\"q\",\"size_bytes\":0}", err, sizeof(err)), -1);
    cr_assert(strstr(err, "$.size_bytes: below the minimum 1"), "%s", err);
    cr_assert_eq(check("interview.uploaded", "{\"version\":1,\"interview_id\":\"NOT-AN-ID\",\"raw_key\":\"raw/x\",\"question\":\"q\"}", err, sizeof(err)), -1);
    cr_assert(strstr(err, "$.interview_id: does not match"), "%s", err);
}

Test(json_schema, status_messages)
{
    char err[512];
    cr_assert_eq(check("interview.status", "{\"version\":1,\"interview_id\":\"" IID "\",\"stage\":\"converter\",\"state\":\"failed\",\"at\":\"2026-12-01T10:00:00Z\",\"attempt\":2,\"reason\":\"r\"}", err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(check("interview.status", "{\"version\":1,\"interview_id\":\"" IID "\",\"stage\":\"converter\",\"state\":\"exploded\",\"at\":\"2026-12-01T10:00:00Z\"}", err, sizeof(err)), -1);
    cr_assert_str_eq(err, "$.state: not one of the allowed values");
}

Test(json_schema, a_topic_without_schema_is_not_checked)
{
    char err[512];
    cr_assert_eq(check("some.other.topic", "{\"anything\":true}", err, sizeof(err)), 0);
}

Test(json_schema, keywords)
{
    char err[512];
    const char *schema =
        "{\"$defs\":{\"m\":{\"type\":\"object\",\"required\":[\"value\"],\"additionalProperties\":false,"
        "\"properties\":{\"value\":{\"type\":[\"number\",\"null\"]},\"name\":{\"type\":\"string\",\"minLength\":2,\"maxLength\":3}}}},"
        "\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#/$defs/m\"},"
        "\"t\":{\"oneOf\":[{\"type\":\"number\"},{\"type\":\"object\",\"required\":[\"min\"]}]},"
        "\"n\":{\"type\":\"integer\",\"maximum\":5},\"l\":{\"type\":\"array\",\"items\":{\"const\":1}}}}";
    cr_assert_eq(validate(schema, "{\"a\":{\"value\":null,\"name\":\"\xc3\xa9t\xc3\xa9\"},\"t\":{\"min\":1},\"n\":5.0,\"l\":[1,1]}", err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(validate(schema, "{\"a\":{\"value\":\"x\"}}", err, sizeof(err)), -1);
    cr_assert_str_eq(err, "$.a.value: expected number or null");
    cr_assert_eq(validate(schema, "{\"a\":{\"value\":1,\"extra\":1}}", err, sizeof(err)), -1);
    cr_assert_str_eq(err, "$.a.extra: not allowed here");
    cr_assert_eq(validate(schema, "{\"a\":{\"value\":1,\"name\":\"abcd\"}}", err, sizeof(err)), -1);
    cr_assert_str_eq(err, "$.a.name: longer than 3 characters");
    cr_assert_eq(validate(schema, "{\"t\":\"x\"}", err, sizeof(err)), -1);
    cr_assert(strstr(err, "$.t: matches no alternative"), "%s", err);
    cr_assert_eq(validate(schema, "{\"n\":6}", err, sizeof(err)), -1);
    cr_assert_str_eq(err, "$.n: above the maximum 5");
    cr_assert_eq(validate(schema, "{\"n\":1.5}", err, sizeof(err)), -1);
    cr_assert_str_eq(err, "$.n: expected integer");
    cr_assert_eq(validate(schema, "{\"l\":[1,2]}", err, sizeof(err)), -1);
    cr_assert_str_eq(err, "$.l[1]: not the required value");
}

Test(json_schema, unsupported_keywords_are_refused)
{
    char err[512];
    json_t *schema = json_loads("{\"type\":\"object\",\"properties\":{\"a\":{\"anyOf\":[]}}}", 0, NULL);
    cr_assert_eq(json_schema_supported(schema, err, sizeof(err)), -1);
    cr_assert_str_eq(err, "$.a: schema keyword not supported: anyOf");
    json_decref(schema);
}

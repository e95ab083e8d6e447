#include "question.h"

#include <stdio.h>
#include <string.h>

#include "isim_util.h"

const char *const question_fields[] = {"id", "category", "role", "level", "language", "text",
                                       "talking_points", "star", "retired", "organisation_id", NULL};

static const char *const question_categories[] = {"behavioural", "technical", "situational", "general", NULL};
static const char *const question_levels[] = {"any", "entry", "mid", "senior", NULL};

static int question_in(const char *s, const char *const *set)
{
    for (; s && *set; set++)
        if (strcmp(s, *set) == 0)
            return 1;
    return 0;
}

static size_t question_utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

int question_id_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > QUESTION_ID_MAX || *s == '-')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!(s[i] >= 'a' && s[i] <= 'z') && !(s[i] >= '0' && s[i] <= '9') && s[i] != '-')
            return 0;
    return 1;
}

int question_category_valid(const char *s)
{
    return question_in(s, question_categories);
}

int question_level_valid(const char *s)
{
    return question_in(s, question_levels);
}

int question_role_valid(const char *s)
{
    /* Roles share the id alphabet: lowercase, digits, dashes. */
    return question_id_valid(s);
}

static const char *question_points_bad(const json_t *points)
{
    size_t i;
    const json_t *pt;
    if (!json_is_array(points) || json_array_size(points) > QUESTION_POINTS_MAX)
        return "\"talking_points\" must be a list of at most 20 texts.";
    json_array_foreach(points, i, pt) {
        const char *s = json_string_value(pt);
        if (!s || !*s || question_utf8_len(s) > QUESTION_POINT_MAX)
            return "Each talking point must be a text of 1 to 300 characters.";
        if (strchr(s, '|'))
            return "A talking point may not hold \"|\" (it separates the points in a CSV file).";
    }
    return NULL;
}

int question_check(const json_t *q, int update, const lang_table *langs, char *bad, size_t badlen)
{
    const char *key, *why = NULL;
    const json_t *v;
    if (!json_is_object(q)) {
        snprintf(bad, badlen, "A question must be a JSON object.");
        return -1;
    }
    json_object_foreach((json_t *)q, key, v) {
        if (!question_in(key, question_fields) || (update && strcmp(key, "id") == 0)) {
            snprintf(bad, badlen, "\"%.64s\" is not a field of a question; the fields are id, category, role, "
                     "level, language, text, talking_points, star, retired, organisation_id.", key);
            return -1;
        }
    }
    const json_t *jid = json_object_get(q, "id"), *jcat = json_object_get(q, "category");
    const json_t *jrole = json_object_get(q, "role"), *jlevel = json_object_get(q, "level");
    const json_t *jlang = json_object_get(q, "language"), *jtext = json_object_get(q, "text");
    const json_t *jpoints = json_object_get(q, "talking_points");
    const json_t *jstar = json_object_get(q, "star"), *jretired = json_object_get(q, "retired");
    const json_t *jorg = json_object_get(q, "organisation_id");
    if (!update && !question_id_valid(json_string_value(jid)))
        why = "\"id\" must be 1 to 64 lowercase letters, digits or dashes, not starting with a dash.";
    else if ((jcat || !update) && !question_category_valid(json_string_value(jcat)))
        why = "\"category\" must be one of behavioural, technical, situational, general.";
    else if (jrole && !question_role_valid(json_string_value(jrole)))
        why = "\"role\" must be lowercase letters, digits or dashes, such as software-engineer or any.";
    else if (jlevel && !question_level_valid(json_string_value(jlevel)))
        why = "\"level\" must be one of any, entry, mid, senior.";
    else if (jlang && !(json_is_string(jlang) && langs && lang_find(langs, json_string_value(jlang))))
        why = "\"language\" must be a language of GET /v1/languages, such as en or pt-BR.";
    else if ((jtext || !update) && (!json_is_string(jtext) || !*json_string_value(jtext) ||
                                    question_utf8_len(json_string_value(jtext)) > QUESTION_TEXT_MAX))
        why = "\"text\" must be the question, 1 to 2000 characters.";
    else if (jstar && !json_is_boolean(jstar))
        why = "\"star\" must be true or false (true: a STAR answer is expected).";
    else if (jretired && !json_is_boolean(jretired))
        why = "\"retired\" must be true or false.";
    else if (jorg && !json_is_null(jorg) && !util_uuid_valid(json_string_value(jorg)))
        why = "\"organisation_id\" must be an organisation's id, or null for every organisation.";
    else if (jpoints)
        why = question_points_bad(jpoints);
    if (why) {
        snprintf(bad, badlen, "%s", why);
        return -1;
    }
    return 0;
}

json_t *question_list_from_json(const json_t *doc, const lang_table *langs, char *err, size_t errlen)
{
    char bad[256];
    size_t i;
    const json_t *q, *list = doc;
    if (json_is_object(doc)) {
        const json_t *fmt = json_object_get(doc, "format");
        if (fmt && (!json_is_string(fmt) || strcmp(json_string_value(fmt), QUESTION_FORMAT) != 0)) {
            snprintf(err, errlen, "\"format\" must be \"%s\".", QUESTION_FORMAT);
            return NULL;
        }
        list = json_object_get(doc, "questions");
    }
    if (!json_is_array(list)) {
        snprintf(err, errlen, "Expected {\"questions\": [...]} or a list of questions.");
        return NULL;
    }
    json_t *seen = json_object();
    json_array_foreach(list, i, q) {
        const char *id = json_string_value(json_object_get(q, "id"));
        if (question_check(q, 0, langs, bad, sizeof(bad)) != 0) {
            snprintf(err, errlen, "Question %zu%s%.64s%s: %s", i + 1, id ? " (" : "", id ? id : "", id ? ")" : "",
                     bad);
            json_decref(seen);
            return NULL;
        }
        if (json_object_get(seen, id)) {
            snprintf(err, errlen, "Question %zu (%s): the id appears twice.", i + 1, id);
            json_decref(seen);
            return NULL;
        }
        json_object_set_new(seen, id, json_true());
    }
    json_decref(seen);
    return json_incref((json_t *)list);
}

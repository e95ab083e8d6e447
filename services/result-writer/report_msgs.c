#include "report_msgs.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Every key the code asks for; a catalog without one of them is refused. */
/* Every key the code asks for; a catalog without one of them is refused.
 * The advice and measure texts of the criteria are checked against the
 * rubric instead (score_rubric_check_msgs): only those it uses are needed. */
static const char *const REQUIRED[] = {
    "decimal_separator", "evidence.pace", "evidence.filler", "evidence.pause", "evidence.hedge",
    "evidence.not_covered", "evidence.similarity", "evidence.star_cue", "evidence.star_missing",
    "star.situation", "star.task", "star.action", "star.result", "evidence.quoted", "evidence.no_numbers",
    "evidence.no_action_verbs", "evidence.repeated", "evidence.long_sentence", "evidence.noninclusive",
    "evidence.no_words", "why.no_pace", "why.no_fillers", "why.no_pauses", "why.no_hedges",
    "why.no_talking_points", "why.no_question", "why.not_behavioural", "why.no_structure", "why.not_measured",
    "why.few_words", "why.no_sentences", "why.no_video_metric", "why.no_voice_metric", "why.too_dark",
    "why.overexposed", "why.blurred", "why.no_face", "why.face_once", "why.silent", "why.little_voice",
    "why.short_recording", "why.no_meaning", "why.measured_by_meaning", "why.unknown", "blocked.no_picture", "blocked.no_sound", "blocked.no_speech",
    "part.unmeasured", "note.short_answer", "note.no_sound", "note.no_speech", "note.no_picture",
    "tip.no_answer", NULL};

int report_msgs_load(const char *path, json_t **out, char *err, size_t errlen)
{
    json_error_t je;
    *out = json_load_file(path, 0, &je);
    if (!*out) {
        snprintf(err, errlen, "cannot read the report texts %s: %s (line %d)", path, je.text, je.line);
        return -1;
    }
    for (int i = 0; REQUIRED[i]; i++)
        if (!json_is_string(json_object_get(*out, REQUIRED[i]))) {
            snprintf(err, errlen, "%s lacks the text \"%s\" (see data/en/report.json)", path, REQUIRED[i]);
            json_decref(*out);
            *out = NULL;
            return -1;
        }
    return 0;
}

const char *report_msg_raw(const json_t *cat, const char *key)
{
    const char *t = json_string_value(json_object_get(cat, key));
    return t ? t : key;
}

/* The value of field name[0..len) among the pairs, else NULL. */
static const char *msg_field(const char *name, size_t len, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    const char *k, *v = NULL, *found = NULL;
    while ((k = va_arg(aq, const char *)) != NULL) {
        v = va_arg(aq, const char *);
        if (strlen(k) == len && strncmp(k, name, len) == 0) {
            found = v ? v : "";
            break;
        }
    }
    va_end(aq);
    return found;
}

void report_msg(const json_t *cat, const char *key, char *out, size_t outlen, ...)
{
    const char *t = report_msg_raw(cat, key);
    size_t o = 0;
    va_list ap;
    va_start(ap, outlen);
    if (!outlen)
        goto out;
    while (*t && o + 1 < outlen) {
        const char *close = *t == '{' ? strchr(t, '}') : NULL;
        const char *v = close ? msg_field(t + 1, (size_t)(close - t - 1), ap) : NULL;
        if (v) {
            size_t n = strlen(v);
            if (n > outlen - 1 - o)
                n = outlen - 1 - o;
            memcpy(out + o, v, n);
            o += n;
            t = close + 1;
        } else {
            out[o++] = *t++;
        }
    }
    out[o] = '\0';
out:
    va_end(ap);
}

void report_num(const json_t *cat, double v, int decimals, char *out, size_t outlen)
{
    if (decimals < 0)
        snprintf(out, outlen, "%g", v);
    else
        snprintf(out, outlen, "%.*f", decimals, v);
    const char *sep = json_string_value(json_object_get(cat, "decimal_separator"));
    char *dot = strchr(out, '.');
    if (dot && sep && strlen(sep) == 1)
        *dot = sep[0];
}

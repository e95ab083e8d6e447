#include "report.h"
#include "report_msgs.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "report_relevance.h"
#include "report_score.h"

static json_t *report_copy_or_null(const json_t *v)
{
    return v ? json_deep_copy(v) : json_null();
}

int report_is_behavioural(const char *category, const char *question)
{
    static const char *const CUES[] = {"tell me about a time", "describe a time", "give an example",
                                       "a time when", "a time you", "an example of a time", NULL};
    char low[512];
    size_t n = 0;
    if (category)
        return strcmp(category, "behavioural") == 0;
    for (const char *p = question ? question : ""; *p && n + 1 < sizeof(low); p++)
        low[n++] = (char)tolower((unsigned char)*p);
    low[n] = '\0';
    for (int i = 0; CUES[i]; i++)
        if (strstr(low, CUES[i]))
            return 1;
    return 0;
}

int report_wordset_load(const char *path, json_t **out, char *err, size_t errlen)
{
    char line[256];
    FILE *f = fopen(path, "r");
    *out = NULL;
    if (!f) {
        snprintf(err, errlen, "cannot read word list %s: %s", path, strerror(errno));
        return -1;
    }
    json_t *set = json_object();
    while (set && fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] && line[0] != '#')
            json_object_set_new(set, line, json_true());
    }
    fclose(f);
    if (!set) {
        snprintf(err, errlen, "out of memory reading %s", path);
        return -1;
    }
    *out = set;
    return 0;
}

static json_t *report_notes(const report_input *in)
{
    json_t *notes = json_array();
    json_t *words = json_object_get(in->transcript, "words");
    if (in->probe && !json_is_true(json_object_get(in->probe, "has_audio")))
        json_array_append_new(notes, json_string(report_msg_raw(in->msgs, "note.no_sound")));
    else if (in->transcript && json_array_size(words) == 0)
        json_array_append_new(notes, json_string(report_msg_raw(in->msgs, "note.no_speech")));
    if (in->probe && !json_is_true(json_object_get(in->probe, "has_video")))
        json_array_append_new(notes, json_string(report_msg_raw(in->msgs, "note.no_picture")));
    return notes;
}

json_t *report_build(const report_input *in)
{
    double duration = json_number_value(json_object_get(in->probe, "duration_s"));
    json_t *words = json_object_get(in->transcript, "words");
    json_t *t = json_object(), *score = NULL, *tips = NULL, *rel = NULL;
    const char *engine = json_string_value(json_object_get(in->transcript, "engine"));
    const char *text = json_string_value(json_object_get(in->transcript, "text"));
    json_object_set_new(t, "engine", json_string(engine ? engine : "none"));
    /* Which model, and how the transcript was made (a fallback's reason). */
    static const char *const about[] = {"model", "note"};
    for (size_t i = 0; i < sizeof(about) / sizeof(about[0]); i++) {
        const char *v = json_string_value(json_object_get(in->transcript, about[i]));
        if (v)
            json_object_set_new(t, about[i], json_string(v));
    }
    json_object_set_new(t, "text", json_string(text ? text : ""));
    json_object_set_new(t, "words", words ? json_deep_copy(words) : json_array());

    relevance_lang rl = {.stopwords = in->stopwords, .suffixes = in->suffixes};
    rel = relevance_compute(in->question, in->talking_points, words, &rl);
    if (rel)
        json_object_set_new(rel, "source", json_string(in->talking_points ? "question bank" : "question text"));
    if (in->rubric) {
        score_input si = {.rubric = in->rubric, .probe = in->probe, .words = words,
                          .text_metrics = in->text_metrics, .video_metrics = in->video_metrics,
                          .relevance = rel, .behavioural = report_is_behavioural(in->category, in->question),
                          .duration_s = duration, .msgs = in->msgs, .language = in->language};
        if (score_compute(&si, &score, &tips) != 0) {
            json_decref(score);
            json_decref(tips);
            score = tips = NULL;
        }
    }
    /* The voice measurements come with the video metrics (one stage reads
     * both media); the candidate reads them as delivery, beside the camera. */
    json_t *on_camera = report_copy_or_null(in->video_metrics);
    json_t *voice = json_incref(json_object_get(on_camera, "voice"));
    if (voice)
        json_object_del(on_camera, "voice");
    json_t *r = json_pack("{s:i, s:s, s:o, s:f, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:n, s:o}",
                          "version", REPORT_VERSION, "question", in->question ? in->question : "",
                          "question_id", in->question_id ? json_string(in->question_id) : json_null(),
                          "duration_s", duration, "media", report_copy_or_null(in->probe),
                          "transcript", t, "delivery", report_copy_or_null(in->text_metrics),
                          "on_camera", on_camera, "voice", voice ? voice : json_null(),
                          "relevance", rel ? rel : json_null(), "score", score ? score : json_null(),
                          "tips", tips ? tips : json_array(), "ai_review", "notes", report_notes(in));
    if (r)
        json_object_set_new(r, "language", json_string(in->language ? in->language : "en"));
    return r;
}

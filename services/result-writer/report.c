#include "report.h"
#include "report_msgs.h"

#include "isim_datafile.h"
#include "isim_words.h"

#include <stdio.h>
#include <string.h>

#include "report_relevance.h"
#include "report_score.h"

static json_t *report_copy_or_null(const json_t *v)
{
    return v ? json_deep_copy(v) : json_null();
}

int report_is_behavioural(const char *star, const char *question, const json_t *cues)
{
    char low[1024], word[256];
    size_t n = 0, i;
    const json_t *cue;
    if (star)
        return star[0] == 't';
    /* The question's words, lower-cased, one space apart: "Conte-me, sobre" -> "conte-me sobre". */
    const char *p = question ? question : "";
    low[0] = '\0';
    while (words_next(&p, 0, word, sizeof(word)) && n + strlen(word) + 2 < sizeof(low))
        n += (size_t)snprintf(low + n, sizeof(low) - n, "%s%s", n ? " " : "", word);
    json_array_foreach(cues, i, cue)
        if (json_string_value(cue) && strstr(low, json_string_value(cue)))
            return 1;
    return 0;
}

static int report_wordset_line(char *line, void *user, char *err, size_t errlen)
{
    if (json_object_set_new(user, line, json_true()) != 0)
        return (snprintf(err, errlen, "out of memory reading a word list"), -2);
    return 0;
}

int report_wordset_load(const char *path, json_t **out, char *err, size_t errlen)
{
    *out = json_object();
    if (!*out || datafile_each_line(path, "word list", report_wordset_line, *out, err, errlen) != 0) {
        json_decref(*out);
        *out = NULL;
        return -1;
    }
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
    if (rel) {
        json_object_set_new(rel, "source", json_string(in->talking_points ? "question bank" : "question text"));
        json_object_set_new(rel, "semantic", in->semantic ? json_deep_copy(in->semantic)
                                                          : json_pack("{s:n, s:s}", "similarity", "reason",
                                                                      "not measured"));
    }
    if (in->rubric) {
        score_input si = {.rubric = in->rubric, .probe = in->probe, .words = words,
                          .text_metrics = in->text_metrics, .video_metrics = in->video_metrics,
                          .relevance = rel, .behavioural = report_is_behavioural(in->star, in->question, in->behavioural_cues),
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

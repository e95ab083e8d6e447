#include "report.h"

static json_t *report_copy_or_null(const json_t *v)
{
    return v ? json_deep_copy(v) : json_null();
}

json_t *report_build(const char *question, const json_t *probe, const json_t *transcript,
                     const json_t *text_metrics, const json_t *video_metrics)
{
    json_t *notes = json_array();
    double duration = json_number_value(json_object_get(probe, "duration_s"));
    json_t *words = json_object_get(transcript, "words");

    if (probe && !json_is_true(json_object_get(probe, "has_audio")))
        json_array_append_new(notes, json_string("The recording has no sound, so no speech was analysed."));
    else if (transcript && json_array_size(words) == 0)
        json_array_append_new(notes, json_string("No speech was found in the recording."));
    if (probe && !json_is_true(json_object_get(probe, "has_video")))
        json_array_append_new(notes, json_string("The recording has no picture, so no video was analysed."));

    json_t *t = json_object();
    const char *engine = json_string_value(json_object_get(transcript, "engine"));
    const char *text = json_string_value(json_object_get(transcript, "text"));
    json_object_set_new(t, "engine", json_string(engine ? engine : "none"));
    json_object_set_new(t, "text", json_string(text ? text : ""));
    json_object_set_new(t, "words", words ? json_deep_copy(words) : json_array());

    return json_pack("{s:i, s:s, s:f, s:o, s:o, s:o, s:o, s:o}",
                     "version", REPORT_VERSION,
                     "question", question ? question : "",
                     "duration_s", duration,
                     "media", report_copy_or_null(probe),
                     "transcript", t,
                     "delivery", report_copy_or_null(text_metrics),
                     "on_camera", report_copy_or_null(video_metrics),
                     "notes", notes);
}

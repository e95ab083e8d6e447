/* Converter stage: probe an upload, extract 16 kHz mono WAV, make a
 * browser-playable video (remux when it already plays, else H.264/AAC MP4)
 * and a poster JPEG. Files in, files and structs out: no Kafka, S3 or DB. */
#ifndef ISIM_CONVERT_H
#define ISIM_CONVERT_H

#include <stddef.h>
#include <limits.h>
#include <jansson.h>

typedef struct convert_limits {
    long long max_bytes;   /* 0 = unlimited */
    double max_duration_s; /* 0 = unlimited */
    int max_height;        /* transcode scales down to this; 0 = 720 */
} convert_limits;

typedef struct convert_probe {
    double duration_s;
    int has_video, has_audio;
    int width, height;     /* as stored, before rotation */
    double fps;
    int rotation;          /* degrees clockwise to display upright: 0, 90, 180, 270 */
    long long bit_rate;
    long long size_bytes;
    char container[64];
    char video_codec[32];
    char audio_codec[32];
} convert_probe;

typedef struct convert_result {
    convert_probe probe;
    int remuxed;                 /* video copied without re-encoding */
    char audio_path[PATH_MAX];   /* out_dir/audio.wav; "" when no audio track */
    char video_path[PATH_MAX];   /* out_dir/video.webm or video.mp4; "" when no video */
    char video_name[32];         /* "video.webm" / "video.mp4" / "" */
    char poster_path[PATH_MAX];  /* out_dir/poster.jpg; "" when no video */
} convert_result;

/* Errors fill err with a sentence a candidate understands, e.g. "The uploaded
 * file is not a video or audio recording we can read." Return 0 or -1, or
 * for convert_run and convert_run_notify CONVERT_E_NO_SPACE. */
/* Writing an output failed for lack of space (ENOSPC, EDQUOT): the work
 * disk is full, which is not the recording's fault and may pass; err still
 * says which output. */
#define CONVERT_E_NO_SPACE (-2)
int convert_probe_file(const char *in_path, convert_probe *p, char *err, size_t errlen);
int convert_run(const char *in_path, const char *out_dir, const convert_limits *lim,
                convert_result *res, char *err, size_t errlen);
/* As convert_run, announcing each output as soon as it is complete, so the
 * service can hand audio.wav to transcription before a video transcode ends.
 * on_output(kind, path, ud) runs synchronously with kind "audio", "video" or
 * "poster"; on_output may be NULL. If a later step fails, the outputs already
 * announced are removed too, like every output of a failed run. */
typedef void (*convert_output_fn)(const char *kind, const char *path, void *ud);
int convert_run_notify(const char *in_path, const char *out_dir, const convert_limits *lim,
                       convert_result *res, convert_output_fn on_output, void *ud,
                       char *err, size_t errlen);
/* {"duration_s","has_video","has_audio","width","height","fps","rotation",
 *  "bit_rate","size_bytes","container","video_codec","audio_codec"} */
json_t *convert_probe_to_json(const convert_probe *p);

#endif

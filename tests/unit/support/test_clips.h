/* Clips with a real face at a known place, size and path, for tests that
 * check on-camera measurements against ground truth. The face is
 * scikit-image's astronaut.png (a NASA portrait in the public domain, shipped
 * by Debian's python3-skimage), composited over a noisy grey background by
 * the ffmpeg program (allowed in tests only). */
#ifndef ISIM_TEST_CLIPS_H
#define ISIM_TEST_CLIPS_H

#include <stdbool.h>
#include <stddef.h>

#define TS_ASTRONAUT "/usr/lib/python3/dist-packages/skimage/data/astronaut.png"
/* Hand-labelled in the 512x512 photo: face centre and height (brow to chin). */
#define TS_FACE_CX 224.0
#define TS_FACE_CY 112.0
#define TS_FACE_H 95.0

/* One appearance of the face. */
typedef struct ts_face_at {
    double from, to; /* shown while from <= t < to, seconds; to 0 = to the end */
    double cx, cy;   /* face centre, fractions of the picture's width and height */
    double height;   /* face height (brow to chin), fraction of the picture's height */
    /* Or the centre in pixels as ffmpeg expressions of t (commas written
     * "\\,"), e.g. "320+40*t"; NULL = cx, cy. */
    const char *x, *y;
} ts_face_at;

typedef struct ts_clip {
    int w, h;        /* picture; 0 = 640x360 */
    int fps;         /* 0 = 10 */
    double seconds;  /* length */
    /* true: one noisy background picture held for the whole clip, so only
     * the face changes; false: fresh noise every frame, as a camera's. */
    bool still_background;
    const char *post;   /* filters on the finished picture ("gblur=sigma=2"), or NULL */
    const char *encode; /* extra libx264 options ("-qp 0"), or NULL */
} ts_clip;

/* Writes an H.264 MP4 of clip with the n appearances of faces; fails the
 * running test when ffmpeg fails. */
void ts_face_clip_make(const char *path, const ts_clip *clip, const ts_face_at *faces, size_t n);

#endif

#include "test_clips.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include "test_support.h"

/* The photo's 300x300 square from (74,0) holds the face, centred across. */
#define TSC_CROP_X 74
#define TSC_CROP 300.0

typedef struct tsc_buf {
    char s[8192];
    size_t len;
} tsc_buf;

static void put(tsc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(tsc_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->s + b->len, sizeof(b->s) - b->len, fmt, ap);
    va_end(ap);
    cr_assert(n >= 0 && (size_t)n < sizeof(b->s) - b->len, "clip command too long");
    b->len += (size_t)n;
}

/* The overlay's top-left corner for a face centre given as a number or an
 * expression: the crop is scaled to side px, the face sits at its middle
 * across and TS_FACE_CY/300 of the way down. */
static void corner(tsc_buf *b, const char *expr, double centre, double face_from_edge)
{
    if (expr)
        put(b, "(%s)-%.2f", expr, face_from_edge);
    else
        put(b, "%.2f", centre - face_from_edge);
}

void ts_face_clip_make(const char *path, const ts_clip *clip, const ts_face_at *faces, size_t n)
{
    int w = clip->w ? clip->w : 640, h = clip->h ? clip->h : 360, fps = clip->fps ? clip->fps : 10;
    tsc_buf g = {.len = 0};
    cr_assert(n > 0, "a face clip needs a face");
    /* Input 0 is the background, input 1 the photo; one scaled crop per face. */
    put(&g, "[1]crop=300:300:%d:0,split=%zu", TSC_CROP_X, n);
    for (size_t i = 0; i < n; i++)
        put(&g, "[p%zu]", i);
    for (size_t i = 0; i < n; i++) {
        int side = 2 * (int)lround(faces[i].height * h * TSC_CROP / TS_FACE_H / 2);
        if (i == 0)
            put(&g, ";[p0]scale=%d:%d[f0];[0][f0]overlay=x=", side, side);
        else
            put(&g, ";[p%zu]scale=%d:%d[f%zu];[v%zu][f%zu]overlay=x=", i, side, side, i, i - 1, i);
        corner(&g, faces[i].x, faces[i].cx * w, side / 2.0);
        put(&g, ":y=");
        corner(&g, faces[i].y, faces[i].cy * h, TS_FACE_CY * side / TSC_CROP);
        if (faces[i].to > 0)
            put(&g, ":enable=between(t\\,%.3f\\,%.3f)", faces[i].from, faces[i].to - 0.001);
        else if (faces[i].from > 0)
            put(&g, ":enable=gte(t\\,%.3f)", faces[i].from);
        if (i + 1 < n)
            put(&g, "[v%zu]", i);
    }
    if (clip->post)
        put(&g, ",%s", clip->post);
    /* The background's noise is drawn anew for each frame unless held. */
    ts_sh(TS_FFMPEG "-f lavfi -i 'color=c=0x6a7480:s=%dx%d:r=%d,noise=alls=6:allf=t%s' "
                    "-loop 1 -framerate %d -i '" TS_ASTRONAUT "' -filter_complex \"%s\" -t %.3f "
                    "-c:v libx264 -preset ultrafast %s -pix_fmt yuv420p '%s'",
          w, h, fps, clip->still_background ? ",loop=loop=-1:size=1" : "", fps, g.s, clip->seconds,
          clip->encode ? clip->encode : "", path);
}

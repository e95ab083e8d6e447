#include "vm_gray.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <libavutil/mem.h>
#include <libswscale/swscale.h>

struct vm_gray {
    struct SwsContext *sws;
    int sws_src_range; /* source range the context was set up for, -1 = none */
    int want_w;
    int w, h;
    uint8_t *cur, *prev; /* w*h each, rows packed */
    bool have_prev;
};

static void set_err(char *err, size_t errlen, const char *msg)
{
    if (err && errlen)
        snprintf(err, errlen, "%s", msg);
}

int vm_gray_new_width(vm_gray **out, int width, char *err, size_t errlen)
{
    *out = calloc(1, sizeof(**out));
    if (!*out) {
        set_err(err, errlen, "The video could not be analysed (out of memory).");
        return -1;
    }
    (*out)->sws_src_range = -1;
    (*out)->want_w = width;
    return 0;
}

int vm_gray_new(vm_gray **out, char *err, size_t errlen)
{
    int rc = vm_gray_new_width(out, VM_GRAY_WIDTH, err, errlen);
    if (rc == 0)
        (*out)->want_w = -VM_GRAY_WIDTH; /* fixed, even above the source's width */
    return rc;
}

const uint8_t *vm_gray_last(const vm_gray *g, int *w, int *h)
{
    *w = g->w;
    *h = g->h;
    return g->have_prev ? g->prev : NULL;
}

void vm_gray_free(vm_gray *g)
{
    if (!g)
        return;
    sws_freeContext(g->sws);
    av_free(g->cur);
    av_free(g->prev);
    free(g);
}

static int alloc_images(vm_gray *g, const AVFrame *frame)
{
    g->w = g->want_w < 0 ? -g->want_w : g->want_w;
    if (g->want_w > 0 && g->w > frame->width)
        g->w = frame->width;
    g->w &= ~1;
    if (g->w < 2)
        g->w = 2;
    g->h = (int)((int64_t)frame->height * g->w / frame->width);
    if (frame->sample_aspect_ratio.num > 0 && frame->sample_aspect_ratio.den > 0)
        g->h = (int)((int64_t)g->h * frame->sample_aspect_ratio.den /
                     frame->sample_aspect_ratio.num);
    if (g->h < 1)
        g->h = 1;
    if (g->h > 4 * g->w)
        g->h = 4 * g->w;
    g->cur = av_malloc((size_t)g->w * g->h);
    g->prev = av_malloc((size_t)g->w * g->h);
    return g->cur && g->prev ? 0 : -1;
}

/* swscale wants the range set explicitly, not through the deprecated "J"
 * formats: maps those to their plain twins and reports the range. */
static enum AVPixelFormat plain_format(const AVFrame *frame, int *full_range)
{
    *full_range = frame->color_range == AVCOL_RANGE_JPEG;
    switch (frame->format) {
    case AV_PIX_FMT_YUVJ420P: *full_range = 1; return AV_PIX_FMT_YUV420P;
    case AV_PIX_FMT_YUVJ422P: *full_range = 1; return AV_PIX_FMT_YUV422P;
    case AV_PIX_FMT_YUVJ444P: *full_range = 1; return AV_PIX_FMT_YUV444P;
    case AV_PIX_FMT_YUVJ440P: *full_range = 1; return AV_PIX_FMT_YUV440P;
    case AV_PIX_FMT_YUVJ411P: *full_range = 1; return AV_PIX_FMT_YUV411P;
    default: return frame->format;
    }
}

/* Brightness is full-range luma (black 0, white 255) whatever the source's
 * range, so thresholds mean the same for every camera. The context is cached:
 * rebuilt only when the input size, pixel format or range changes. */
static int setup_scaler(vm_gray *g, const AVFrame *frame)
{
    struct SwsContext *prev = g->sws;
    int src_range;
    enum AVPixelFormat fmt = plain_format(frame, &src_range);
    g->sws = sws_getCachedContext(g->sws, frame->width, frame->height, fmt, g->w, g->h,
                                  AV_PIX_FMT_GRAY8, SWS_AREA, NULL, NULL, NULL);
    if (!g->sws)
        return -1;
    if (g->sws == prev && src_range == g->sws_src_range)
        return 0;
    int *inv_table, *table, cur_src_range, cur_dst_range, brightness, contrast, saturation;
    if (sws_getColorspaceDetails(g->sws, &inv_table, &cur_src_range, &table, &cur_dst_range,
                                 &brightness, &contrast, &saturation) < 0 ||
        sws_setColorspaceDetails(g->sws, inv_table, src_range, table, 1, brightness, contrast,
                                 saturation) < 0)
        return -1;
    g->sws_src_range = src_range;
    return 0;
}

static void measure(const vm_gray *g, double *brightness, double *motion)
{
    size_t n = (size_t)g->w * g->h;
    uint64_t sum = 0, diff = 0;
    for (size_t i = 0; i < n; i++) {
        sum += g->cur[i];
        diff += (uint64_t)abs((int)g->cur[i] - (int)g->prev[i]);
    }
    *brightness = (double)sum / n;
    *motion = g->have_prev ? (double)diff / n : 0;
}

int vm_gray_measure(vm_gray *g, const AVFrame *frame, double *brightness, double *motion,
                    char *err, size_t errlen)
{
    int rc = -1;
    if (frame->width <= 0 || frame->height <= 0) {
        set_err(err, errlen, "The video has a picture with no size.");
        goto out;
    }
    if (!g->cur && alloc_images(g, frame) < 0) {
        set_err(err, errlen, "The video could not be analysed (out of memory).");
        goto out;
    }
    if (setup_scaler(g, frame) < 0) {
        set_err(err, errlen, "The video's picture format cannot be analysed.");
        goto out;
    }
    uint8_t *dst[4] = {g->cur, NULL, NULL, NULL};
    int dst_stride[4] = {g->w, 0, 0, 0};
    if (sws_scale(g->sws, (const uint8_t *const *)frame->data, frame->linesize, 0,
                  frame->height, dst, dst_stride) != g->h) {
        set_err(err, errlen, "A picture of the video could not be converted for analysis.");
        goto out;
    }
    measure(g, brightness, motion);
    uint8_t *tmp = g->prev;
    g->prev = g->cur;
    g->cur = tmp;
    g->have_prev = true;
    rc = 0;
out:
    return rc;
}

/* Multi-scale evaluation of a Haar cascade: an image pyramid (the window
 * keeps the cascade's size, the picture shrinks), integral and squared
 * integral images, variance normalisation as OpenCV does it. */
#include "vm_cascade_priv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VMD_MAX_HITS 2000

/* A feature with its rectangles' corner offsets for one integral-image
 * stride: one cache-friendly record per feature. */
typedef struct lfeature {
    int o[12];
    float w[3];
} lfeature;

typedef struct level {
    uint8_t *img;     /* scaled picture, w*h */
    uint32_t *sum;    /* (w+1)*(h+1); wraps, but window sums stay exact */
    uint32_t *sqsum;
    int w, h;
    lfeature *feat;   /* the cascade's features placed in this level's integral */
} level;

struct vm_scratch {
    uint8_t *img;
    uint32_t *sum, *sqsum;
    size_t pixels;
    lfeature *feat;
    int n_feat;
};

vm_scratch *vm_scratch_new(void)
{
    return calloc(1, sizeof(vm_scratch));
}

void vm_scratch_free(vm_scratch *ws)
{
    if (!ws)
        return;
    free(ws->img);
    free(ws->sum);
    free(ws->sqsum);
    free(ws->feat);
    free(ws);
}

/* Makes ws hold buffers for a w x h picture and n features. */
static int scratch_fit(vm_scratch *ws, int w, int h, int n)
{
    size_t px = (size_t)(w + 1) * (h + 1);
    if (px > ws->pixels) {
        free(ws->img);
        free(ws->sum);
        free(ws->sqsum);
        ws->img = malloc(px);
        ws->sum = malloc(sizeof(uint32_t) * px);
        ws->sqsum = malloc(sizeof(uint32_t) * px);
        ws->pixels = ws->img && ws->sum && ws->sqsum ? px : 0;
        if (!ws->pixels)
            return -1;
    }
    if (n > ws->n_feat) {
        free(ws->feat);
        ws->feat = malloc(sizeof(lfeature) * n);
        ws->n_feat = ws->feat ? n : 0;
        if (!ws->feat)
            return -1;
    }
    return 0;
}

typedef struct hits {
    vm_rect *r;
    int n, cap;
} hits;

/* Bilinear resampling; the pyramid's steps are small, so no pre-filter. */
static void resize(const uint8_t *src, int sw, int sh, int stride, uint8_t *dst, int dw, int dh)
{
    double fx = (double)sw / dw, fy = (double)sh / dh;
    for (int y = 0; y < dh; y++) {
        double sy = (y + 0.5) * fy - 0.5;
        int y0 = sy < 0 ? 0 : (int)sy;
        int y1 = y0 + 1 < sh ? y0 + 1 : sh - 1;
        double ay = sy - y0;
        if (ay < 0)
            ay = 0;
        const uint8_t *r0 = src + (size_t)y0 * stride, *r1 = src + (size_t)y1 * stride;
        for (int x = 0; x < dw; x++) {
            double sx = (x + 0.5) * fx - 0.5;
            int x0 = sx < 0 ? 0 : (int)sx;
            int x1 = x0 + 1 < sw ? x0 + 1 : sw - 1;
            double ax = sx - x0;
            if (ax < 0)
                ax = 0;
            double top = r0[x0] + (r0[x1] - r0[x0]) * ax;
            double bot = r1[x0] + (r1[x1] - r1[x0]) * ax;
            dst[(size_t)y * dw + x] = (uint8_t)(top + (bot - top) * ay + 0.5);
        }
    }
}

static void integrate(level *lv)
{
    int W = lv->w + 1;
    memset(lv->sum, 0, sizeof(uint32_t) * W);
    memset(lv->sqsum, 0, sizeof(uint32_t) * W);
    for (int y = 0; y < lv->h; y++) {
        uint32_t rs = 0, rq = 0;
        const uint8_t *row = lv->img + (size_t)y * lv->w;
        uint32_t *s = lv->sum + (size_t)(y + 1) * W, *sp = s - W;
        uint32_t *q = lv->sqsum + (size_t)(y + 1) * W, *qp = q - W;
        s[0] = q[0] = 0;
        for (int x = 0; x < lv->w; x++) {
            rs += row[x];
            rq += (uint32_t)row[x] * row[x];
            s[x + 1] = sp[x + 1] + rs;
            q[x + 1] = qp[x + 1] + rq;
        }
    }
}

static void feature_offsets(const vm_cascade *c, level *lv)
{
    int W = lv->w + 1;
    for (int f = 0; f < c->n_features; f++) {
        lfeature *lf = &lv->feat[f];
        for (int i = 0; i < 3; i++) {
            const vmc_rect *r = &c->features[f].r[i];
            int *o = &lf->o[i * 4];
            if (i >= c->features[f].n) {
                o[0] = o[1] = o[2] = o[3] = 0; /* empty box: adds 0 */
                lf->w[i] = 0;
                continue;
            }
            lf->w[i] = r->weight;
            o[0] = r->y * W + r->x;
            o[1] = r->y * W + r->x + r->w;
            o[2] = (r->y + r->h) * W + r->x;
            o[3] = (r->y + r->h) * W + r->x + r->w;
        }
    }
}

static inline uint32_t box(const uint32_t *p, const int *o)
{
    return p[o[0]] - p[o[1]] - p[o[2]] + p[o[3]];
}

/* 1 if the window at p (top-left in the integral image) passes every stage. */
static int evaluate(const vm_cascade *c, const level *lv, const uint32_t *p, float norm)
{
    for (int s = 0; s < c->n_stages; s++) {
        const vmc_stage *st = &c->stages[s];
        float acc = 0;
        for (int k = 0; k < st->n_weak; k++) {
            const vmc_weak *wk = &c->weaks[st->first_weak + k];
            int idx = 0;
            do {
                const vmc_node *nd = &c->nodes[wk->first_node + idx];
                const lfeature *f = &lv->feat[nd->feature];
                float v = f->w[0] * (float)box(p, f->o) + f->w[1] * (float)box(p, f->o + 4);
                if (f->w[2] != 0)
                    v += f->w[2] * (float)box(p, f->o + 8);
                idx = v * norm < nd->threshold ? nd->left : nd->right;
            } while (idx > 0);
            acc += c->leaves[wk->first_leaf - idx];
        }
        if (acc < st->threshold)
            return 0;
    }
    return 1;
}

static int add_hit(hits *h, vm_rect r)
{
    if (h->n == h->cap) {
        if (h->cap >= VMD_MAX_HITS)
            return 0; /* enough evidence; more would only cost time */
        int cap = h->cap ? h->cap * 2 : 256;
        vm_rect *a = realloc(h->r, (size_t)cap * sizeof(*a));
        if (!a)
            return -1;
        h->r = a;
        h->cap = cap;
    }
    h->r[h->n++] = r;
    return 0;
}

/* Slides the window over one level. The normalisation window leaves a
 * one-pixel border, and windows flatter than a standard deviation of 10 are
 * skipped, like OpenCV. */
static int scan_level(const vm_cascade *c, const level *lv, double scale, hits *h)
{
    int W = lv->w + 1, step = scale > 2 ? 1 : 2;
    double area = (double)(c->width - 2) * (c->height - 2);
    int n0 = W + 1, n1 = W + c->width - 1, n2 = (c->height - 1) * W + 1,
        n3 = (c->height - 1) * W + c->width - 1;
    int nofs[4] = {n0, n1, n2, n3};
    for (int y = 0; y + c->height <= lv->h; y += step)
        for (int x = 0; x + c->width <= lv->w; x += step) {
            const uint32_t *p = lv->sum + (size_t)y * W + x;
            const uint32_t *q = lv->sqsum + (size_t)y * W + x;
            double s = box(p, nofs), sq = box(q, nofs);
            double nf = area * sq - s * s;
            if (nf <= 0)
                continue;
            nf = sqrt(nf);
            if (area / nf >= 0.1)
                continue;
            if (!evaluate(c, lv, p, (float)(1.0 / nf)))
                continue;
            vm_rect r = {(int)lround(x * scale), (int)lround(y * scale),
                         (int)lround(c->width * scale), (int)lround(c->height * scale), 1};
            if (add_hit(h, r) < 0)
                return -1;
        }
    return 0;
}

int vm_cascade_detect(const vm_cascade *c, vm_scratch *ws, const uint8_t *img, int w, int h,
                      int stride, const vm_detect_opts *o, vm_rect *out, int max_out, int *n,
                      char *err, size_t errlen)
{
    int rc = -1;
    hits hs = {0};
    level lv = {0};
    vm_scratch *own = ws ? NULL : vm_scratch_new();
    double factor = o->scale_factor > 1.01 ? o->scale_factor : 1.1;
    int max_size = o->max_size > 0 ? o->max_size : (w < h ? w : h);
    *n = 0;
    if (!ws)
        ws = own;
    if (!ws || scratch_fit(ws, w, h, c->n_features ? c->n_features : 1) < 0)
        goto oom;
    lv.img = ws->img;
    lv.sum = ws->sum;
    lv.sqsum = ws->sqsum;
    lv.feat = ws->feat;
    for (double scale = 1;; scale *= factor) {
        int win_w = (int)lround(c->width * scale), win_h = (int)lround(c->height * scale);
        lv.w = (int)(w / scale);
        lv.h = (int)(h / scale);
        if (lv.w < c->width || lv.h < c->height || win_w > max_size || win_h > max_size)
            break;
        if (win_w < o->min_size || win_h < o->min_size)
            continue;
        resize(img, w, h, stride, lv.img, lv.w, lv.h);
        integrate(&lv);
        feature_offsets(c, &lv);
        if (scan_level(c, &lv, scale, &hs) < 0)
            goto oom;
    }
    int got = vmc_group(hs.r, hs.n, o->min_neighbours, out, max_out, n);
    if (got < 0)
        goto oom;
    rc = 0;
    goto out;
oom:
    snprintf(err, errlen, "The video could not be analysed (out of memory).");
out:
    free(hs.r);
    vm_scratch_free(own);
    return rc;
}

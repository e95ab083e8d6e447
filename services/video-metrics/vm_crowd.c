#include "vm_crowd.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VMC_MAX 32
#define VMC_PI 3.14159265358979323846
#define VMC_SCALE 1.1
/* A candidate needs more raw hits than this on the picture it came from... */
#define VMC_NEIGHBOURS 3
/* ...and more than this on its mirror image around it, or as a profile
 * (confirm() below). */
#define VMC_MIRROR_NEIGHBOURS 4
/* Candidates narrower than this are confirmed on a twice enlarged copy. */
#define VMC_ENLARGE_BELOW 32

struct vm_crowd {
    const vm_cascade *face, *profile;
    vm_scratch *ws;
    uint8_t *rot, *mirror;
    size_t cap, mcap;
};

static int oom(char *err, size_t errlen)
{
    snprintf(err, errlen, "The video could not be analysed (out of memory).");
    return -1;
}

int vm_crowd_new(vm_crowd **out, const vm_cascade *face, const vm_cascade *profile, char *err,
                 size_t errlen)
{
    vm_crowd *c = calloc(1, sizeof(*c));
    *out = NULL;
    if (!c || !(c->ws = vm_scratch_new())) {
        free(c);
        return oom(err, errlen);
    }
    c->face = face;
    c->profile = profile;
    *out = c;
    return 0;
}

void vm_crowd_free(vm_crowd *c)
{
    if (!c)
        return;
    vm_scratch_free(c->ws);
    free(c->rot);
    free(c->mirror);
    free(c);
}

static int fit(uint8_t **buf, size_t *cap, size_t n)
{
    if (n <= *cap)
        return 0;
    uint8_t *b = realloc(*buf, n);
    if (!b)
        return -1;
    *buf = b;
    *cap = n;
    return 0;
}

/* dst(p) = src(centre + R(deg) (p - centre)), bilinear; outside is mid grey,
 * which the cascade skips as flat. */
static void rotate(const uint8_t *src, int w, int h, double deg, uint8_t *dst)
{
    double a = deg * VMC_PI / 180, cs = cos(a), sn = sin(a), cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            double dx = x - cx, dy = y - cy;
            double sx = cx + cs * dx - sn * dy, sy = cy + sn * dx + cs * dy;
            int x0 = (int)floor(sx), y0 = (int)floor(sy);
            uint8_t *d = &dst[(size_t)y * w + x];
            if (x0 < 0 || y0 < 0 || x0 + 1 >= w || y0 + 1 >= h) {
                *d = 128;
                continue;
            }
            double ax = sx - x0, ay = sy - y0;
            const uint8_t *p = &src[(size_t)y0 * w + x0];
            double top = p[0] + (p[1] - p[0]) * ax, bot = p[w] + (p[w + 1] - p[w]) * ax;
            *d = (uint8_t)(top + (bot - top) * ay + 0.5);
        }
}

/* Raw hits of the best group cascade k finds in the region around r (or on
 * its mirror image), at sizes close to r's. A small region is first
 * enlarged twice (bilinear): at the cascade's own size a face has too few
 * positions and scales to gather hits on. */
static int support_of(vm_crowd *c, const vm_cascade *k, bool mirrored, const uint8_t *img, int w, int h,
                      vm_rect r, int *support, char *err, size_t errlen)
{
    int m = r.w / 4, x0 = r.x - m, y0 = r.y - m, x1 = r.x + r.w + m, y1 = r.y + r.h + m;
    vm_rect g[4];
    int n = 0;
    *support = 0;
    x0 = x0 < 0 ? 0 : x0;
    y0 = y0 < 0 ? 0 : y0;
    x1 = x1 > w ? w : x1;
    y1 = y1 > h ? h : y1;
    int rw = x1 - x0, rh = y1 - y0;
    int up = r.w < VMC_ENLARGE_BELOW ? 2 : 1, uw = rw * up, uh = rh * up;
    if (rw < vm_cascade_width(k) || rh < vm_cascade_height(k))
        return 0;
    if (fit(&c->mirror, &c->mcap, (size_t)uw * uh) < 0)
        return oom(err, errlen);
    for (int y = 0; y < uh; y++) {
        /* Source position of the pixel centre, clamped to the region. */
        double sy = (y + 0.5) / up - 0.5;
        int ya = sy < 0 ? 0 : (int)sy, yb = ya + 1 < rh ? ya + 1 : rh - 1;
        double ay = sy < 0 ? 0 : sy - ya;
        for (int x = 0; x < uw; x++) {
            double sx = (x + 0.5) / up - 0.5;
            int xa = sx < 0 ? 0 : (int)sx, xb = xa + 1 < rw ? xa + 1 : rw - 1;
            double ax = sx < 0 ? 0 : sx - xa;
            int ca = mirrored ? x1 - 1 - xa : x0 + xa, cb = mirrored ? x1 - 1 - xb : x0 + xb;
            const uint8_t *ra = img + (size_t)(y0 + ya) * w, *rb = img + (size_t)(y0 + yb) * w;
            double top = ra[ca] + (ra[cb] - ra[ca]) * ax, bot = rb[ca] + (rb[cb] - rb[ca]) * ax;
            c->mirror[(size_t)y * uw + x] = (uint8_t)(top + (bot - top) * ay + 0.5);
        }
    }
    vm_detect_opts o = {VMC_SCALE, r.w * up * 4 / 5, r.w * up * 5 / 4, 0};
    if (vm_cascade_detect(k, c->ws, c->mirror, uw, uh, uw, &o, g, 4, &n, err, errlen) < 0)
        return -1;
    *support = n > 0 ? g[0].neighbours : 0;
    return 0;
}

/* A face looks like a face in its mirror image too, or, turned, like a
 * profile one way or the other; the things that fool the frontal cascade
 * (a hand holding a card) mostly do neither. */
static int confirm(vm_crowd *c, const uint8_t *img, int w, int h, vm_rect r, int *support, char *err,
                   size_t errlen)
{
    int mirror, left = 0, right = 0;
    if (support_of(c, c->face, true, img, w, h, r, &mirror, err, errlen) < 0 ||
        (c->profile && (support_of(c, c->profile, false, img, w, h, r, &left, err, errlen) < 0 ||
                        support_of(c, c->profile, true, img, w, h, r, &right, err, errlen) < 0)))
        return -1;
    *support = mirror;
    if (left > *support)
        *support = left;
    if (right > *support)
        *support = right;
    return 0;
}

bool vm_crowd_same_face(const vm_rect *a, const vm_rect *b)
{
    int ax = a->x + a->w / 2, ay = a->y + a->h / 2, bx = b->x + b->w / 2, by = b->y + b->h / 2;
    return (ax >= b->x && ax < b->x + b->w && ay >= b->y && ay < b->y + b->h) ||
           (bx >= a->x && bx < a->x + a->w && by >= a->y && by < a->y + a->h);
}

/* Adds r unless a better supported box already holds that face. */
static void merge(vm_rect *all, int *n, vm_rect r)
{
    for (int i = 0; i < *n; i++)
        if (vm_crowd_same_face(&all[i], &r)) {
            if (r.neighbours > all[i].neighbours)
                all[i] = r;
            return;
        }
    if (*n < VMC_MAX)
        all[(*n)++] = r;
}

static int by_support_desc(const void *a, const void *b)
{
    const vm_rect *x = a, *y = b;
    return x->neighbours < y->neighbours ? 1 : x->neighbours > y->neighbours ? -1 : 0;
}

/* One search: a picture (the analysis picture or its half-size copy, mul
 * 1 or 2), a roll and a range of sizes in that picture's pixels. */
typedef struct vmc_pass {
    bool half;
    double roll, scale_factor;
    int min_size, max_size; /* max 0 = any */
} vmc_pass;

/* Upright faces of 20 to 80 px on the full picture (the half-size main scan
 * takes larger ones; a face turned 45 degrees was found only here, not on
 * the half-size copy); rolled heads of 40 px and more on the half-size copy,
 * where a roll costs a quarter of what it would on the full picture. */
static const vmc_pass vmc_passes[] = {
    {false, 0, 1.1, VM_CROWD_MIN_FACE, 4 * VM_CROWD_MIN_FACE},
    {true, 20, 1.1, VM_CROWD_MIN_FACE, 0},
    {true, -20, 1.1, VM_CROWD_MIN_FACE, 0},
};

/* Runs one pass and merges its confirmed faces into all, in the upright
 * analysis picture's pixels. */
static int scan(vm_crowd *c, const uint8_t *img, int w, int h, const vmc_pass *p, vm_rect *all,
                int *n_all, char *err, size_t errlen)
{
    const uint8_t *pic = img;
    int mul = p->half ? 2 : 1;
    vm_rect r[VMC_MAX];
    int n = 0;
    if (p->roll != 0) {
        if (fit(&c->rot, &c->cap, (size_t)w * h) < 0)
            return oom(err, errlen);
        rotate(img, w, h, p->roll, c->rot);
        pic = c->rot;
    }
    vm_detect_opts o = {p->scale_factor, p->min_size, p->max_size, VMC_NEIGHBOURS};
    if (vm_cascade_detect(c->face, c->ws, pic, w, h, w, &o, r, VMC_MAX, &n, err, errlen) < 0)
        return -1;
    double a = p->roll * VMC_PI / 180, cs = cos(a), sn = sin(a), cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;
    for (int i = 0; i < n && i < VMC_MAX; i++) {
        int support;
        if (confirm(c, pic, w, h, r[i], &support, err, errlen) < 0)
            return -1;
        if (support <= VMC_MIRROR_NEIGHBOURS)
            continue;
        /* The box's centre back in the upright picture; its size is kept. */
        double dx = r[i].x + r[i].w / 2.0 - cx, dy = r[i].y + r[i].h / 2.0 - cy;
        double ux = cx + cs * dx - sn * dy, uy = cy + sn * dx + cs * dy;
        vm_rect u = {(int)lround(mul * (ux - r[i].w / 2.0)), (int)lround(mul * (uy - r[i].h / 2.0)),
                     mul * r[i].w, mul * r[i].h, r[i].neighbours < support ? r[i].neighbours : support};
        merge(all, n_all, u);
    }
    return 0;
}

int vm_crowd_find(vm_crowd *c, const uint8_t *img, int w, int h, const uint8_t *half, vm_rect *out,
                  int max_out, int *n, char *err, size_t errlen)
{
    vm_rect all[VMC_MAX];
    int n_all = 0;
    *n = 0;
    for (size_t i = 0; i < sizeof(vmc_passes) / sizeof(vmc_passes[0]); i++) {
        const vmc_pass *p = &vmc_passes[i];
        if (scan(c, p->half ? half : img, p->half ? w / 2 : w, p->half ? h / 2 : h, p, all, &n_all, err,
                 errlen) < 0)
            return -1;
    }
    qsort(all, (size_t)n_all, sizeof(*all), by_support_desc);
    for (int i = 0; i < n_all && i < max_out; i++)
        out[i] = all[i];
    *n = n_all;
    return 0;
}

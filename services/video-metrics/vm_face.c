#include "vm_face.h"

#include "vm_crowd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VMF_MAX 8
#define VMF_MIN_FACE 20 /* detection-picture pixels */
#define VMF_SCALE 1.15
/* Profiles are searched on every sample for a while after a frontal face
 * was lost (someone turning away), otherwise on one sample in this many:
 * the profile model is the costliest on busy backgrounds without anyone. */
#define VMF_PROFILE_RECENT 10
#define VMF_PROFILE_EVERY 5
/* Raw hits a face needs: fewer lets parts of a body count as faces. */
#define VMF_NEIGHBOURS 6
/* Samples between searches for every face (small, tilted: vm_crowd.c),
 * whose count holds in between: 5 s at 5 samples a second. One search costs
 * about six full scans (the stage's CPU time on 720p rises by ~40 %,
 * bench/video-metrics/README.md); people come and go slower than that. */
#define VMF_CROWD_EVERY 25
#define VMF_CROWD_MAX 16

struct vm_faces {
    vm_cascade *face, *profile, *eye;
    int full_every, since_full, last_n;
    int since_face; /* samples since the last frontal face */
    int eyes, eye_age; /* last eye count, and samples since it was measured */
    vm_crowd *crowd;
    int since_crowd, crowd_n; /* crowd_n: faces at the last crowd search */
    bool tracking;
    vm_rect last; /* detection-picture pixels */
    uint8_t *half, *mirror;
    vm_scratch *ws;
    size_t cap;
};

static int load(vm_cascade **c, const char *dir, const char *name, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/haarcascade_%s.xml", dir, name);
    return vm_cascade_load(c, path, err, errlen);
}

int vm_faces_new(vm_faces **out, const char *dir, int full_scan_every, char *err, size_t errlen)
{
    int rc = -1;
    vm_faces *f = calloc(1, sizeof(*f));
    *out = NULL;
    if (!f) {
        snprintf(err, errlen, "The video could not be analysed (out of memory).");
        goto out;
    }
    f->full_every = full_scan_every > 0 ? full_scan_every : 1;
    f->since_face = VMF_PROFILE_RECENT + 1;
    f->since_crowd = VMF_CROWD_EVERY; /* the first sample searches */
    f->ws = vm_scratch_new();
    if (!f->ws) {
        snprintf(err, errlen, "The video could not be analysed (out of memory).");
        goto out;
    }
    if (load(&f->face, dir, "frontalface_alt2", err, errlen) < 0 ||
        load(&f->profile, dir, "profileface", err, errlen) < 0 ||
        load(&f->eye, dir, "eye", err, errlen) < 0 ||
        vm_crowd_new(&f->crowd, f->face, f->profile, err, errlen) < 0)
        goto out;
    *out = f;
    f = NULL;
    rc = 0;
out:
    vm_faces_free(f);
    return rc;
}

void vm_faces_free(vm_faces *f)
{
    if (!f)
        return;
    vm_crowd_free(f->crowd); /* borrows the cascades */
    vm_cascade_free(f->face);
    vm_cascade_free(f->profile);
    vm_cascade_free(f->eye);
    free(f->half);
    free(f->mirror);
    vm_scratch_free(f->ws);
    free(f);
}

static void halve(const uint8_t *src, int w, int h, uint8_t *dst)
{
    int hw = w / 2, hh = h / 2;
    for (int y = 0; y < hh; y++) {
        const uint8_t *a = src + (size_t)(2 * y) * w, *b = a + w;
        for (int x = 0; x < hw; x++)
            dst[(size_t)y * hw + x] =
                (uint8_t)((a[2 * x] + a[2 * x + 1] + b[2 * x] + b[2 * x + 1] + 2) >> 2);
    }
}

static vm_rect clip(vm_rect r, int w, int h)
{
    if (r.x < 0) { r.w += r.x; r.x = 0; }
    if (r.y < 0) { r.h += r.y; r.y = 0; }
    if (r.x + r.w > w) r.w = w - r.x;
    if (r.y + r.h > h) r.h = h - r.y;
    return r;
}

/* Searches the full-size picture around the last face, at sizes close to
 * it: finer than the half-size scan, so sizes and positions are sharper. */
static int track(vm_faces *f, const uint8_t *img, int w, int h, vm_rect *found, int *n, char *err,
                 size_t errlen)
{
    const vm_rect *l = &f->last;
    /* A head moves well under a third of its width in 200 ms. */
    vm_rect roi = clip((vm_rect){l->x - l->w * 3 / 10, l->y - l->h * 3 / 10, l->w * 16 / 10,
                                 l->h * 16 / 10, 0}, w, h);
    vm_detect_opts o = {1.12, (int)(l->w * 0.8), (int)(l->w * 1.3), 2};
    *n = 0;
    if (roi.w < vm_cascade_width(f->face) || roi.h < vm_cascade_height(f->face))
        return 0;
    if (vm_cascade_detect(f->face, f->ws, img + (size_t)roi.y * w + roi.x, roi.w, roi.h, w, &o, found,
                          VMF_MAX, n, err, errlen) < 0)
        return -1;
    for (int i = 0; i < *n && i < VMF_MAX; i++) {
        found[i].x += roi.x;
        found[i].y += roi.y;
    }
    return 0;
}

static vm_rect twice(vm_rect r)
{
    return (vm_rect){2 * r.x, 2 * r.y, 2 * r.w, 2 * r.h, r.neighbours};
}

static int count_eyes(vm_faces *f, const uint8_t *img, int w, int h, vm_rect face, int *eyes,
                      char *err, size_t errlen)
{
    /* Eyes lie in the upper part of the face box. */
    vm_rect r = clip((vm_rect){face.x, face.y + face.h / 8, face.w, face.h / 2, 0}, w, h);
    vm_detect_opts o = {1.15, face.w / 8, face.w / 2, 1};
    vm_rect e[4];
    *eyes = 0;
    if (r.w < vm_cascade_width(f->eye) || r.h < vm_cascade_height(f->eye))
        return 0;
    return vm_cascade_detect(f->eye, f->ws, img + (size_t)r.y * w + r.x, r.w, r.h, w, &o, e, 4, eyes, err,
                             errlen);
}

static int find_profile(vm_faces *f, int w, int h, vm_face_obs *obs, char *err, size_t errlen)
{
    vm_detect_opts o = {1.15, VMF_MIN_FACE, 0, 3};
    vm_rect r[VMF_MAX];
    int n;
    if (vm_cascade_detect(f->profile, f->ws, f->half, w, h, w, &o, r, VMF_MAX, &n, err, errlen) < 0)
        return -1;
    if (n == 0) {
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                f->mirror[(size_t)y * w + x] = f->half[(size_t)y * w + (w - 1 - x)];
        if (vm_cascade_detect(f->profile, f->ws, f->mirror, w, h, w, &o, r, VMF_MAX, &n, err, errlen) < 0)
            return -1;
        if (n > 0)
            r[0].x = w - r[0].x - r[0].w;
    }
    if (n > 0) {
        obs->found = obs->profile = true;
        obs->box = twice(r[0]);
    }
    return 0;
}

/* Every face in the picture, merged with the *n main-scan faces in found
 * (a large face near the camera is the main scan's, the crowd search looks
 * for small and tilted ones): sets f->crowd_n. When the main scan found
 * none, the crowd's best face becomes found[0] (*n 1). f->half must be
 * current. */
static int crowd(vm_faces *f, const uint8_t *img, int w, int h, vm_rect *found, int *n, char *err,
                 size_t errlen)
{
    vm_rect all[VMF_CROWD_MAX + VMF_MAX];
    int m = 0;
    if (vm_crowd_find(f->crowd, img, w, h, f->half, all, VMF_CROWD_MAX, &m, err, errlen) < 0)
        return -1;
    int total = m < VMF_CROWD_MAX ? m : VMF_CROWD_MAX;
    if (*n == 0 && total > 0) {
        found[0] = all[0];
        *n = 1;
    }
    for (int i = 0; i < *n && i < VMF_MAX; i++) {
        bool known = false;
        for (int j = 0; j < total && !known; j++)
            known = vm_crowd_same_face(&found[i], &all[j]);
        if (!known)
            all[total++] = found[i];
    }
    f->crowd_n = total + (m > VMF_CROWD_MAX ? m - VMF_CROWD_MAX : 0);
    f->since_crowd = 0;
    return 0;
}

int vm_faces_find(vm_faces *f, const uint8_t *img, int w, int h, vm_face_obs *obs, char *err,
                  size_t errlen)
{
    int hw = w / 2, hh = h / 2, n = 0;
    vm_rect found[VMF_MAX];
    memset(obs, 0, sizeof(*obs));
    if ((size_t)hw * hh > f->cap) {
        uint8_t *a = realloc(f->half, (size_t)hw * hh), *b = a ? realloc(f->mirror, (size_t)hw * hh) : NULL;
        if (a)
            f->half = a;
        if (b)
            f->mirror = b;
        if (!a || !b) {
            snprintf(err, errlen, "The video could not be analysed (out of memory).");
            return -1;
        }
        f->cap = (size_t)hw * hh;
        f->tracking = false;
    }
    bool crowd_due = ++f->since_crowd >= VMF_CROWD_EVERY;
    bool full = crowd_due || !f->tracking || ++f->since_full >= f->full_every;
    if (!full && track(f, img, w, h, found, &n, err, errlen) < 0)
        return -1;
    if (!full && n == 0)
        full = true; /* lost it: look everywhere */
    if (full) {
        vm_detect_opts o = {VMF_SCALE, VMF_MIN_FACE, 0, VMF_NEIGHBOURS};
        halve(img, w, h, f->half);
        if (vm_cascade_detect(f->face, f->ws, f->half, hw, hh, hw, &o, found, VMF_MAX, &n, err, errlen) < 0)
            return -1;
        f->since_full = 0;
        for (int i = 0; i < n && i < VMF_MAX; i++)
            found[i] = twice(found[i]);
        if (n > 0 || f->tracking) {
            /* Sharpen the face found; or follow one too small for the
             * half-size scan (found by the crowd search). */
            vm_rect fine[VMF_MAX];
            int m;
            if (n > 0)
                f->last = found[0];
            if (track(f, img, w, h, fine, &m, err, errlen) < 0)
                return -1;
            if (m > 0) {
                found[0] = fine[0];
                n = n > 0 ? n : 1;
            }
        }
        if (crowd_due && crowd(f, img, w, h, found, &n, err, errlen) < 0)
            return -1;
        f->last_n = n;
    }
    f->tracking = n > 0;
    if (n > 0) {
        f->last = found[0];
        obs->found = obs->frontal = true;
        obs->n_faces = full ? n : (f->last_n > n ? f->last_n : n);
        if (f->crowd_n > obs->n_faces)
            obs->n_faces = f->crowd_n;
        obs->box = found[0];
        /* Eyes every other sample of a tracked face: they change slower. */
        if (full || f->since_face > 0 || ++f->eye_age >= 2) {
            if (count_eyes(f, img, w, h, found[0], &f->eyes, err, errlen) < 0)
                return -1;
            f->eye_age = 0;
        }
        obs->eyes = f->eyes;
        f->since_face = 0;
    } else {
        int since = ++f->since_face;
        obs->n_faces = f->crowd_n; /* faces too small or tilted to follow */
        bool look = since <= VMF_PROFILE_RECENT || since % VMF_PROFILE_EVERY == 0;
        /* After a full scan: half is set. */
        if (look && find_profile(f, hw, hh, obs, err, errlen) < 0)
            return -1;
    }
    return 0;
}

#include "vm_look.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Every other pixel of every other row: plenty for means and variances. */
#define VML_STEP 2

static bool inside(const vm_rect *r, int x, int y)
{
    return x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h;
}

static void lighting(const uint8_t *img, int w, int h, const vm_face_obs *obs, vm_sample *s)
{
    double sum = 0, sq = 0, fsum = 0, bsum = 0;
    long n = 0, fn = 0, bn = 0, clip = 0;
    /* The inner part of the box is skin; its corners are background. */
    vm_rect core = {obs->box.x + obs->box.w / 5, obs->box.y + obs->box.h / 5, obs->box.w * 3 / 5,
                    obs->box.h * 3 / 5, 0};
    for (int y = 0; y < h; y += VML_STEP)
        for (int x = 0; x < w; x += VML_STEP) {
            int v = img[(size_t)y * w + x];
            sum += v;
            sq += (double)v * v;
            n++;
            clip += v <= 4 || v >= 251;
            if (obs->found && inside(&core, x, y)) {
                fsum += v;
                fn++;
            } else if (!obs->found || !inside(&obs->box, x, y)) {
                bsum += v;
                bn++;
            }
        }
    s->brightness = sum / n;
    s->contrast = sqrt(fmax(0, sq / n - s->brightness * s->brightness));
    s->clipped = (double)clip / n;
    s->face_brightness = fn ? fsum / fn : -1;
    s->background_brightness = bn ? bsum / bn : s->brightness;
}

static double laplacian_var(const uint8_t *img, int w, vm_rect r)
{
    double sum = 0, sq = 0;
    long n = 0;
    for (int y = r.y + 1; y < r.y + r.h - 1; y++)
        for (int x = r.x + 1; x < r.x + r.w - 1; x++) {
            const uint8_t *p = img + (size_t)y * w + x;
            int l = p[-1] + p[1] + p[-w] + p[w] - 4 * p[0];
            sum += l;
            sq += (double)l * l;
            n++;
        }
    if (!n)
        return 0;
    double m = sum / n;
    return sq / n - m * m;
}

static void motion(vm_look *l, const uint8_t *img, const vm_face_obs *obs, vm_sample *s)
{
    double all = 0, body = 0;
    long n = 0, bn = 0;
    /* The head's own movement is measured by its box: leave a margin around it. */
    vm_rect head = {obs->box.x - obs->box.w / 2, obs->box.y - obs->box.h / 2, obs->box.w * 2,
                    obs->box.h * 2, 0};
    for (int y = 0; y < l->h; y += VML_STEP)
        for (int x = 0; x < l->w; x += VML_STEP) {
            size_t i = (size_t)y * l->w + x;
            int d = abs((int)img[i] - (int)l->prev[i]);
            all += d;
            n++;
            if (!obs->found || !inside(&head, x, y)) {
                body += d;
                bn++;
            }
        }
    s->frame_diff = all / n;
    s->body_motion = bn ? body / bn : 0;
}

int vm_look_measure(vm_look *l, const uint8_t *img, int w, int h, const vm_face_obs *obs,
                    vm_sample *s)
{
    s->face = obs->found;
    s->frontal = obs->frontal;
    s->profile = obs->profile;
    s->faces = obs->n_faces;
    s->eyes = obs->eyes;
    s->head_move = -1;
    s->offset = s->size = 0;
    lighting(img, w, h, obs, s);
    vm_rect whole = {0, 0, w, h, 0};
    s->sharpness = laplacian_var(img, w, obs->found ? obs->box : whole);
    if (obs->found) {
        double cx = obs->box.x + obs->box.w / 2.0, cy = obs->box.y + obs->box.h / 2.0;
        double ox = cx / w - 0.5, oy = cy / h - 0.5;
        s->offset = sqrt(ox * ox + oy * oy);
        s->size = (double)obs->box.h / h;
        if (l->had_face)
            s->head_move = hypot(cx - l->last_cx, cy - l->last_cy) / obs->box.w;
        l->last_cx = cx;
        l->last_cy = cy;
    }
    l->had_face = obs->found;
    if (l->prev && (l->w != w || l->h != h)) {
        free(l->prev);
        l->prev = NULL;
        l->have_prev = false;
    }
    if (!l->prev && !(l->prev = malloc((size_t)w * h)))
        return -1;
    s->frame_diff = s->body_motion = 0;
    if (l->have_prev)
        motion(l, img, obs, s);
    l->w = w;
    l->h = h;
    memcpy(l->prev, img, (size_t)w * h);
    l->have_prev = true;
    return 0;
}

void vm_look_free(vm_look *l)
{
    free(l->prev);
    memset(l, 0, sizeof(*l));
}

/* Held-out recall of the search for every face (vm_crowd.c) on scikit-image's
 * lfw_subset.npy: 100 face crops and 100 non-face crops of Labeled Faces in
 * the Wild, 25x25 grey in [0,1]. Each crop is scaled to S px and laid on a
 * grid of mid-grey 640x360 pictures, 2S apart.
 * Usage: vm_lfw_recall LFW_NPY S...  Prints, per S, the crops that got a box
 * centred on them and the boxes that fell elsewhere. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm_crowd.h"

#define N 200
#define SIDE 25
#define W 640
#define H 360
#define NPY_HEADER 80 /* the file's .npy header: '<f8', shape (200, 25, 25) */
#define CASCADES "/usr/share/opencv4/haarcascades"

static double crops[N][SIDE][SIDE];

/* Bilinear sample of crop k at (sx, sy) in its own pixels. */
static double sample(int k, double sx, double sy)
{
    int x0 = sx < 0 ? 0 : (int)sx, y0 = sy < 0 ? 0 : (int)sy;
    x0 = x0 > SIDE - 2 ? SIDE - 2 : x0;
    y0 = y0 > SIDE - 2 ? SIDE - 2 : y0;
    double ax = sx - x0, ay = sy - y0;
    ax = ax < 0 ? 0 : ax > 1 ? 1 : ax;
    ay = ay < 0 ? 0 : ay > 1 ? 1 : ay;
    const double *r0 = crops[k][y0], *r1 = crops[k][y0 + 1];
    return (r0[x0] * (1 - ax) + r0[x0 + 1] * ax) * (1 - ay) + (r1[x0] * (1 - ax) + r1[x0 + 1] * ax) * ay;
}

static void place(uint8_t *img, int k, int ox, int oy, int s)
{
    for (int y = 0; y < s; y++)
        for (int x = 0; x < s; x++) {
            double v = sample(k, (x + 0.5) * SIDE / s - 0.5, (y + 0.5) * SIDE / s - 0.5);
            img[(size_t)(oy + y) * W + ox + x] = (uint8_t)(v * 255 + 0.5);
        }
}

static void halve(const uint8_t *img, uint8_t *half)
{
    for (int y = 0; y < H / 2; y++)
        for (int x = 0; x < W / 2; x++) {
            const uint8_t *a = img + (size_t)(2 * y) * W + 2 * x, *b = a + W;
            half[(size_t)y * (W / 2) + x] = (uint8_t)((a[0] + a[1] + b[0] + b[1] + 2) >> 2);
        }
}

/* Crops first..first+100 at size s: *found crops with a box centred on them,
 * *extra boxes on none. */
static int measure(vm_crowd *cr, int first, int s, int *found, int *extra, char *err, size_t errlen)
{
    static uint8_t img[W * H], half[W * H / 4];
    int step = 2 * s, cols = (W - s) / step + 1, rows = (H - s) / step + 1, per = cols * rows;
    *found = *extra = 0;
    for (int base = 0; base < 100; base += per) {
        int cx[256], cy[256], n_here = 0, n = 0;
        vm_rect r[32];
        bool used[32] = {false};
        memset(img, 128, sizeof(img));
        for (; n_here < per && n_here < 256 && base + n_here < 100; n_here++) {
            int ox = (n_here % cols) * step + s / 2, oy = (n_here / cols) * step + s / 2;
            place(img, first + base + n_here, ox, oy, s);
            cx[n_here] = ox + s / 2;
            cy[n_here] = oy + s / 2;
        }
        halve(img, half);
        if (vm_crowd_find(cr, img, W, H, half, r, 32, &n, err, errlen) < 0)
            return -1;
        n = n < 32 ? n : 32;
        for (int k = 0; k < n_here; k++)
            for (int j = 0; j < n; j++) {
                int bx = r[j].x + r[j].w / 2, by = r[j].y + r[j].h / 2;
                if (!used[j] && abs(bx - cx[k]) < s / 2 && abs(by - cy[k]) < s / 2) {
                    used[j] = true;
                    (*found)++;
                    break;
                }
            }
        for (int j = 0; j < n; j++)
            *extra += !used[j];
    }
    return 0;
}

int main(int argc, char **argv)
{
    char err[512];
    int rc = 1;
    vm_cascade *face = NULL, *profile = NULL;
    vm_crowd *cr = NULL;
    FILE *f = NULL;
    if (argc < 3) {
        fprintf(stderr, "usage: vm_lfw_recall LFW_NPY S...\n");
        return 2;
    }
    f = fopen(argv[1], "rb");
    if (!f || fseek(f, NPY_HEADER, SEEK_SET) != 0 || fread(crops, sizeof(double), N * SIDE * SIDE, f) != N * SIDE * SIDE) {
        fprintf(stderr, "vm_lfw_recall: cannot read %s\n", argv[1]);
        goto out;
    }
    if (vm_cascade_load(&face, CASCADES "/haarcascade_frontalface_alt2.xml", err, sizeof(err)) < 0 ||
        vm_cascade_load(&profile, CASCADES "/haarcascade_profileface.xml", err, sizeof(err)) < 0 ||
        vm_crowd_new(&cr, face, profile, err, sizeof(err)) < 0) {
        fprintf(stderr, "vm_lfw_recall: %s\n", err);
        goto out;
    }
    for (int a = 2; a < argc; a++) {
        int s = atoi(argv[a]), faces, extra, none, extra_none;
        if (s < 20 || s > 120) {
            fprintf(stderr, "vm_lfw_recall: size %s out of 20..120\n", argv[a]);
            goto out;
        }
        if (measure(cr, 0, s, &faces, &extra, err, sizeof(err)) < 0 ||
            measure(cr, 100, s, &none, &extra_none, err, sizeof(err)) < 0) {
            fprintf(stderr, "vm_lfw_recall: %s\n", err);
            goto out;
        }
        printf("  %3d px (%3d in 720p): %3d of 100 faces found, %d boxes elsewhere; non-face crops: %d found, %d elsewhere\n",
               s, 2 * s, faces, extra, none, extra_none);
    }
    rc = 0;
out:
    if (f)
        fclose(f);
    vm_crowd_free(cr);
    vm_cascade_free(face);
    vm_cascade_free(profile);
    return rc;
}

/* Picture measurements of one sample around the face: lighting, sharpness,
 * head and body motion since the previous sample. */
#ifndef ISIM_VM_LOOK_H
#define ISIM_VM_LOOK_H

#include <stdbool.h>
#include <stdint.h>

#include "vm_face.h"

typedef struct vm_sample {
    double t;
    bool face, frontal, profile;
    int faces, eyes;
    double offset;      /* face centre from picture centre, fraction of the picture (0..0.71) */
    double size;        /* face height / picture height */
    double head_move;   /* face centre shift since the previous sample / face width; -1 none */
    double body_motion; /* mean |luma change| outside the face, 0..255 */
    double frame_diff;  /* mean |luma change| of the whole picture, 0..255 */
    double brightness, contrast;  /* mean and standard deviation of luma */
    double face_brightness;       /* -1 without a face */
    double background_brightness; /* outside the face (whole picture without one) */
    double clipped;     /* fraction of pixels at black or white */
    double sharpness;   /* variance of the Laplacian, on the face if there is one */
} vm_sample;

typedef struct vm_look {
    uint8_t *prev;
    int w, h;
    bool have_prev, had_face;
    double last_cx, last_cy;
} vm_look;

/* img: full-range GRAY8 w x h (rows packed); obs: faces found in it. */
int vm_look_measure(vm_look *l, const uint8_t *img, int w, int h, const vm_face_obs *obs,
                    vm_sample *s);
void vm_look_free(vm_look *l);

#endif

/* On-camera judgement: per-second timeline and overall metrics of the
 * sampled pictures, each with its threshold and whether it can be trusted. */
#ifndef ISIM_VM_CAMERA_H
#define ISIM_VM_CAMERA_H

#include <stddef.h>
#include <jansson.h>

#include "vm_look.h"

typedef struct vm_camera_limits {
    double face_present_min;   /* share of samples with a face */
    double multiple_faces_max; /* share of samples with more than one face */
    double offset_max;         /* face centre from picture centre, fraction of the picture */
    double size_min, size_max; /* face height / picture height: too far, too close */
    double facing_min;         /* share of samples facing the camera */
    double head_move_max;      /* mean face shift between samples / face width */
    double body_motion_max;    /* mean |luma change| outside the face */
    double face_brightness_min, face_brightness_max;
    double contrast_min;
    double backlight_max;      /* background minus face brightness */
    double clipped_max;        /* share of black or white pixels */
    double sharpness_min;      /* variance of the Laplacian */
    double frozen_max_s;       /* longest unchanged stretch */
    double dark_below;         /* picture brightness called too dark to find a face */
} vm_camera_limits;

void vm_camera_default_limits(vm_camera_limits *l);

typedef struct vm_camera vm_camera;

int vm_camera_new(vm_camera **out, char *err, size_t errlen);
void vm_camera_free(vm_camera *c);
int vm_camera_add(vm_camera *c, const vm_sample *s, char *err, size_t errlen);
/* Adds the camera fields to each second of seconds (an array built by
 * vm_series, one entry per second) and returns the "on_camera" summary. */
json_t *vm_camera_json(const vm_camera *c, const vm_camera_limits *l, double sample_fps,
                       json_t *seconds);

#endif

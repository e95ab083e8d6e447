/* On-camera measurements: per-second timeline and overall metrics of the
 * sampled pictures, each with whether it can be trusted (and why not). The
 * verdicts (too far, too dark...) are the rubric's, not this module's. */
#ifndef ISIM_VM_CAMERA_H
#define ISIM_VM_CAMERA_H

#include <stddef.h>
#include <jansson.h>

#include "vm_look.h"

typedef struct vm_camera vm_camera;

int vm_camera_new(vm_camera **out, char *err, size_t errlen);
void vm_camera_free(vm_camera *c);
int vm_camera_add(vm_camera *c, const vm_sample *s, char *err, size_t errlen);
/* Adds the camera fields to each second of seconds (an array built by
 * vm_series, one entry per second) and returns the "on_camera" summary. */
json_t *vm_camera_json(const vm_camera *c, double sample_fps, json_t *seconds);

#endif

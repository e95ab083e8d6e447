/* Faces in a sampled picture: frontal faces (with a tracking window between
 * full scans), eyes inside the main face, profiles when no frontal face. */
#ifndef ISIM_VM_FACE_H
#define ISIM_VM_FACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vm_cascade.h"

typedef struct vm_face_obs {
    int n_faces;  /* faces in view: frontal faces (from the last full scan while
                   * tracking), or the last search for every face if it found more */
    bool found;   /* a frontal face or a profile */
    bool frontal;
    int eyes;     /* eyes found in the main frontal face */
    bool profile; /* only a profile was found */
    vm_rect box;  /* main face, in pixels of the picture given */
} vm_face_obs;

typedef struct vm_faces vm_faces;

/* Loads frontalface_alt2, profileface and eye from dir
 * (e.g. /usr/share/opencv4/haarcascades). full_scan_every: samples between
 * full-picture scans while a face is tracked (1 = always scan everything). */
int vm_faces_new(vm_faces **out, const char *dir, int full_scan_every, char *err, size_t errlen);
void vm_faces_free(vm_faces *f);

/* img: GRAY8 w x h, at least 2x the detection scale: faces are searched on a
 * half-size copy, eyes at full size. Returns 0 or -1 with err. */
int vm_faces_find(vm_faces *f, const uint8_t *img, int w, int h, vm_face_obs *obs, char *err,
                  size_t errlen);

#endif

/* Every face in a picture, the small and the tilted ones too: how many
 * people are in view. Costlier than the main-face scan (vm_face.c), so it
 * runs on some samples only. */
#ifndef ISIM_VM_CROWD_H
#define ISIM_VM_CROWD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vm_cascade.h"

/* Smallest face found, in pixels of the picture given: the cascade's own
 * window, no upscaling. On the 640-wide analysis picture that is 40 px in a
 * 1280x720 frame (a person about 5 m behind a webcam). */
#define VM_CROWD_MIN_FACE 20

typedef struct vm_crowd vm_crowd;

/* face: a frontal-face cascade, profile: a profile one (or NULL); both
 * borrowed (they must outlive the crowd). */
int vm_crowd_new(vm_crowd **out, const vm_cascade *face, const vm_cascade *profile, char *err,
                 size_t errlen);
void vm_crowd_free(vm_crowd *c);

/* Faces in a GRAY8 w x h picture (rows packed) and its half-size copy
 * (w/2 x h/2, as vm_face.c makes it): upright and with the head rolled 20
 * degrees either way (bent over a table, tilted to a shoulder), each
 * confirmed on its mirror image or as a profile, overlapping ones merged. Writes up to
 * max_out boxes (pixels of img, best supported first) and the total to *n.
 * Returns 0 or -1 with err. */
int vm_crowd_find(vm_crowd *c, const uint8_t *img, int w, int h, const uint8_t *half, vm_rect *out,
                  int max_out, int *n, char *err, size_t errlen);

/* Two boxes are one face when either's centre lies in the other. */
bool vm_crowd_same_face(const vm_rect *a, const vm_rect *b);

#endif

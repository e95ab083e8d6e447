/* Small grayscale thumbnails of sampled frames: mean luma and the mean
 * absolute luma difference against the previous thumbnail. */
#ifndef ISIM_VM_GRAY_H
#define ISIM_VM_GRAY_H

#include <stddef.h>
#include <stdint.h>
#include <libavutil/frame.h>

#define VM_GRAY_WIDTH 160

typedef struct vm_gray vm_gray;

int vm_gray_new(vm_gray **out, char *err, size_t errlen);
/* Same with another width (rounded down to even, at most the source's). */
int vm_gray_new_width(vm_gray **out, int width, char *err, size_t errlen);
/* The picture of the last vm_gray_measure (rows packed), or NULL. */
const uint8_t *vm_gray_last(const vm_gray *g, int *w, int *h);
void vm_gray_free(vm_gray *g);

/* Converts frame to a VM_GRAY_WIDTH-wide GRAY8 image (size fixed by the first
 * frame, so later resolution changes stay comparable) and measures it.
 * *motion is 0 for the first frame. Returns 0 or -1 with err. */
int vm_gray_measure(vm_gray *g, const AVFrame *frame, double *brightness, double *motion,
                    char *err, size_t errlen);

#endif

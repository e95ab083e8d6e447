/* OpenCV Haar cascades (the "new" XML format of opencv-data: stages,
 * weakClassifiers with internalNodes/leafValues, features with rects),
 * read as data and evaluated by our own code on an image pyramid. */
#ifndef ISIM_VM_CASCADE_H
#define ISIM_VM_CASCADE_H

#include <stddef.h>
#include <stdint.h>

typedef struct vm_cascade vm_cascade;

typedef struct vm_rect {
    int x, y, w, h;
    int neighbours; /* raw detections merged into this one */
} vm_rect;

typedef struct vm_detect_opts {
    double scale_factor; /* pyramid step, e.g. 1.15 */
    int min_size;        /* smallest object side, pixels of the input image */
    int max_size;        /* largest, 0 = image size */
    int min_neighbours;  /* a group needs more raw hits than this */
} vm_detect_opts;

/* Parses a cascade file. Returns 0 or -1 with err. */
int vm_cascade_load(vm_cascade **out, const char *path, char *err, size_t errlen);
void vm_cascade_free(vm_cascade *c);
int vm_cascade_width(const vm_cascade *c);
int vm_cascade_height(const vm_cascade *c);

/* Buffers reused between detections (saves page faults on each call). */
typedef struct vm_scratch vm_scratch;
vm_scratch *vm_scratch_new(void);
void vm_scratch_free(vm_scratch *ws);

/* Finds objects in a GRAY8 image (ws may be NULL); writes up to max_out grouped rectangles
 * (best supported first) and their total count to *n. Returns 0 or -1 with err. */
int vm_cascade_detect(const vm_cascade *c, vm_scratch *ws, const uint8_t *img, int w, int h, int stride,
                      const vm_detect_opts *o, vm_rect *out, int max_out, int *n, char *err,
                      size_t errlen);

#endif

/* The parsed form of a cascade, shared by the parser and the evaluator. */
#ifndef ISIM_VM_CASCADE_PRIV_H
#define ISIM_VM_CASCADE_PRIV_H

#include "vm_cascade.h"

typedef struct vmc_rect {
    int x, y, w, h;
    float weight;
} vmc_rect;

typedef struct vmc_feature {
    vmc_rect r[3];
    int n;
} vmc_feature;

/* left/right > 0: next node of the same tree; <= 0: leaf -left/-right. */
typedef struct vmc_node {
    int left, right, feature;
    float threshold;
} vmc_node;

typedef struct vmc_weak {
    int first_node, first_leaf;
} vmc_weak;

typedef struct vmc_stage {
    int first_weak, n_weak;
    float threshold;
} vmc_stage;

struct vm_cascade {
    int width, height;
    vmc_stage *stages;
    int n_stages;
    vmc_weak *weaks;
    int n_weaks;
    vmc_node *nodes;
    int n_nodes;
    float *leaves;
    int n_leaves;
    vmc_feature *features;
    int n_features;
};

/* Groups raw hits like OpenCV's groupRectangles(eps 0.2): clusters of similar
 * rectangles with more than min_neighbours members are averaged; a group
 * inside a larger, better supported one is dropped. Returns the count written
 * to out (at most max_out, best supported first) and the total in *total, or -1 on
 * allocation failure. */
int vmc_group(const vm_rect *hits, int n_hits, int min_neighbours, vm_rect *out, int max_out,
              int *total);

#endif

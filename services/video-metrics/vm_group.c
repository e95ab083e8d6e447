/* Grouping of overlapping raw detections (OpenCV groupRectangles, eps 0.2). */
#include "vm_cascade_priv.h"

#include <stdlib.h>

#define VMG_EPS 0.2

static int similar(const vm_rect *a, const vm_rect *b)
{
    double d = VMG_EPS * ((a->w < b->w ? a->w : b->w) + (a->h < b->h ? a->h : b->h)) * 0.5;
    return abs(a->x - b->x) <= d && abs(a->y - b->y) <= d &&
           abs(a->x + a->w - b->x - b->w) <= d && abs(a->y + a->h - b->y - b->h) <= d;
}

static int find(int *parent, int i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

/* Best supported first: the main face is the surest one. */
static int by_support_desc(const void *a, const void *b)
{
    const vm_rect *x = a, *y = b;
    return x->neighbours < y->neighbours ? 1 : x->neighbours > y->neighbours ? -1 : 0;
}

int vmc_group(const vm_rect *hits, int n_hits, int min_neighbours, vm_rect *out, int max_out,
              int *total)
{
    int rc = -1, n_groups = 0, kept = 0;
    int *parent = malloc(sizeof(int) * (n_hits ? n_hits : 1));
    double *acc = calloc((size_t)(n_hits ? n_hits : 1), 5 * sizeof(double));
    vm_rect *groups = malloc(sizeof(vm_rect) * (n_hits ? n_hits : 1));
    *total = 0;
    if (!parent || !acc || !groups)
        goto out;
    for (int i = 0; i < n_hits; i++)
        parent[i] = i;
    for (int i = 0; i < n_hits; i++)
        for (int j = i + 1; j < n_hits; j++)
            if (similar(&hits[i], &hits[j])) {
                int a = find(parent, i), b = find(parent, j);
                if (a != b)
                    parent[b] = a;
            }
    for (int i = 0; i < n_hits; i++) {
        double *g = &acc[find(parent, i) * 5];
        g[0] += hits[i].x;
        g[1] += hits[i].y;
        g[2] += hits[i].w;
        g[3] += hits[i].h;
        g[4] += 1;
    }
    for (int i = 0; i < n_hits; i++) {
        double *g = &acc[i * 5];
        if (g[4] <= min_neighbours)
            continue;
        groups[n_groups++] = (vm_rect){(int)(g[0] / g[4] + 0.5), (int)(g[1] / g[4] + 0.5),
                                       (int)(g[2] / g[4] + 0.5), (int)(g[3] / g[4] + 0.5),
                                       (int)g[4]};
    }
    /* Drop a group lying inside a larger one that has more support. */
    for (int i = 0; i < n_groups; i++) {
        const vm_rect *r = &groups[i];
        int inside = 0;
        for (int j = 0; j < n_groups && !inside; j++) {
            const vm_rect *b = &groups[j];
            int dx = (int)(b->w * VMG_EPS + 0.5), dy = (int)(b->h * VMG_EPS + 0.5);
            inside = j != i &&
                     (b->neighbours > (r->neighbours > 3 ? r->neighbours : 3) || r->neighbours < 3) &&
                     r->x >= b->x - dx && r->y >= b->y - dy && r->x + r->w <= b->x + b->w + dx &&
                     r->y + r->h <= b->y + b->h + dy;
        }
        if (!inside)
            groups[kept++] = *r;
    }
    qsort(groups, (size_t)kept, sizeof(*groups), by_support_desc);
    for (int i = 0; i < kept && i < max_out; i++)
        out[i] = groups[i];
    *total = kept;
    rc = kept < max_out ? kept : max_out;
out:
    free(parent);
    free(acc);
    free(groups);
    return rc;
}

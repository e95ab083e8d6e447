/* Reads OpenCV's cascade XML. The files are machine-written with a fixed
 * layout, so a scanner for the few tags we need is enough: no XML library. */
#include "vm_cascade_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VMC_MAX_FILE (16 * 1024 * 1024)

typedef struct parser {
    const char *p, *end;
    const char *path;
    char *err;
    size_t errlen;
} parser;

static int fail(parser *ps, const char *what)
{
    snprintf(ps->err, ps->errlen, "The face model %s is not a cascade we can read (%s).", ps->path,
             what);
    return -1;
}

/* Moves past the next <tag> before limit; 0 or -1. */
static int seek_tag(parser *ps, const char *tag, const char *limit)
{
    char open[64];
    snprintf(open, sizeof(open), "<%s>", tag);
    const char *q = strstr(ps->p, open);
    if (!q || (limit && q >= limit))
        return -1;
    ps->p = q + strlen(open);
    return 0;
}

static const char *find_close(parser *ps, const char *tag)
{
    char close[64];
    snprintf(close, sizeof(close), "</%s>", tag);
    return strstr(ps->p, close);
}

static int read_long(parser *ps, long *v)
{
    char *e;
    *v = strtol(ps->p, &e, 10);
    if (e == ps->p)
        return -1;
    ps->p = e;
    return 0;
}

static int read_float(parser *ps, float *v)
{
    char *e;
    *v = strtof(ps->p, &e);
    if (e == ps->p)
        return -1;
    ps->p = e;
    return 0;
}

static int tag_long(parser *ps, const char *tag, long *v)
{
    return seek_tag(ps, tag, NULL) < 0 || read_long(ps, v) < 0 ? -1 : 0;
}

static void *grow(void *arr, int *cap, int need, size_t size)
{
    if (need <= *cap)
        return arr;
    int cap2 = *cap ? *cap : 64;
    while (cap2 < need)
        cap2 *= 2;
    void *a = realloc(arr, (size_t)cap2 * size);
    if (a)
        *cap = cap2;
    return a;
}

/* Counts numbers up to limit. */
static int count_numbers(const char *p, const char *limit)
{
    int n = 0;
    while (p < limit) {
        char *e;
        strtod(p, &e);
        if (e == p)
            break;
        n++;
        p = e;
    }
    return n;
}

static int parse_weak(parser *ps, vm_cascade *c, int *node_cap, int *leaf_cap)
{
    if (seek_tag(ps, "internalNodes", NULL) < 0)
        return fail(ps, "a weak classifier has no internalNodes");
    const char *end = find_close(ps, "internalNodes");
    int nums = end ? count_numbers(ps->p, end) : 0;
    if (nums < 4 || nums % 4)
        return fail(ps, "internalNodes are not groups of four numbers");
    int k = nums / 4;
    vmc_weak *wk = &c->weaks[c->n_weaks];
    wk->first_node = c->n_nodes;
    wk->first_leaf = c->n_leaves;
    vmc_node *nodes = grow(c->nodes, node_cap, c->n_nodes + k, sizeof(*nodes));
    if (!nodes)
        return fail(ps, "out of memory");
    c->nodes = nodes;
    for (int i = 0; i < k; i++) {
        long l, r, f;
        vmc_node *nd = &c->nodes[c->n_nodes + i];
        if (read_long(ps, &l) < 0 || read_long(ps, &r) < 0 || read_long(ps, &f) < 0 ||
            read_float(ps, &nd->threshold) < 0)
            return fail(ps, "bad internal node");
        if (l >= k || r >= k || l <= -(k + 1) || r <= -(k + 1) || f < 0)
            return fail(ps, "a node points outside its tree");
        nd->left = (int)l;
        nd->right = (int)r;
        nd->feature = (int)f;
    }
    c->n_nodes += k;
    if (seek_tag(ps, "leafValues", NULL) < 0)
        return fail(ps, "a weak classifier has no leafValues");
    float *leaves = grow(c->leaves, leaf_cap, c->n_leaves + k + 1, sizeof(*leaves));
    if (!leaves)
        return fail(ps, "out of memory");
    c->leaves = leaves;
    for (int i = 0; i <= k; i++)
        if (read_float(ps, &c->leaves[c->n_leaves + i]) < 0)
            return fail(ps, "missing leaf values");
    c->n_leaves += k + 1;
    c->n_weaks++;
    return 0;
}

static int parse_stages(parser *ps, vm_cascade *c)
{
    long n_stages;
    int weak_cap = 0, node_cap = 0, leaf_cap = 0;
    if (tag_long(ps, "stageNum", &n_stages) < 0 || n_stages < 1 || n_stages > 1000)
        return fail(ps, "no stageNum");
    if (seek_tag(ps, "stages", NULL) < 0)
        return fail(ps, "no stages");
    c->stages = calloc((size_t)n_stages, sizeof(*c->stages));
    if (!c->stages)
        return fail(ps, "out of memory");
    for (long s = 0; s < n_stages; s++) {
        long n_weak;
        vmc_stage *st = &c->stages[s];
        if (tag_long(ps, "maxWeakCount", &n_weak) < 0 || n_weak < 1 || n_weak > 100000)
            return fail(ps, "a stage has no maxWeakCount");
        if (seek_tag(ps, "stageThreshold", NULL) < 0 || read_float(ps, &st->threshold) < 0)
            return fail(ps, "a stage has no stageThreshold");
        vmc_weak *w = grow(c->weaks, &weak_cap, c->n_weaks + (int)n_weak, sizeof(*w));
        if (!w)
            return fail(ps, "out of memory");
        c->weaks = w;
        st->first_weak = c->n_weaks;
        st->n_weak = (int)n_weak;
        for (long i = 0; i < n_weak; i++)
            if (parse_weak(ps, c, &node_cap, &leaf_cap) < 0)
                return -1;
        c->n_stages++;
    }
    return 0;
}

static int parse_features(parser *ps, vm_cascade *c)
{
    int cap = 0;
    if (seek_tag(ps, "features", NULL) < 0)
        return fail(ps, "no features");
    const char *end = find_close(ps, "features");
    if (!end)
        return fail(ps, "features not closed");
    while (seek_tag(ps, "rects", end) == 0) {
        const char *rend = find_close(ps, "rects");
        vmc_feature *f = grow(c->features, &cap, c->n_features + 1, sizeof(*f));
        if (!f || !rend)
            return fail(ps, f ? "rects not closed" : "out of memory");
        c->features = f;
        f = &c->features[c->n_features];
        memset(f, 0, sizeof(*f));
        while (seek_tag(ps, "_", rend) == 0) {
            long x, y, w, h;
            if (f->n == 3)
                return fail(ps, "a feature has more than three rectangles");
            vmc_rect *r = &f->r[f->n];
            if (read_long(ps, &x) < 0 || read_long(ps, &y) < 0 || read_long(ps, &w) < 0 ||
                read_long(ps, &h) < 0 || read_float(ps, &r->weight) < 0)
                return fail(ps, "bad rectangle");
            if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > c->width || y + h > c->height)
                return fail(ps, "a rectangle lies outside the window");
            *r = (vmc_rect){(int)x, (int)y, (int)w, (int)h, r->weight};
            f->n++;
        }
        ps->p = rend;
        const char *next = strstr(ps->p, "<rects>");
        const char *tilted = strstr(ps->p, "<tilted>");
        if (tilted && tilted < end && (!next || tilted < next) && atoi(tilted + 8) != 0)
            return fail(ps, "tilted features are not supported");
        if (f->n < 2)
            return fail(ps, "a feature has fewer than two rectangles");
        c->n_features++;
    }
    return 0;
}

static int check_refs(parser *ps, const vm_cascade *c)
{
    for (int i = 0; i < c->n_nodes; i++)
        if (c->nodes[i].feature >= c->n_features)
            return fail(ps, "a node uses a feature that does not exist");
    return 0;
}

static char *read_file(const char *path, char *err, size_t errlen)
{
    char *buf = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "The face model %s could not be opened (install opencv-data).", path);
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        if (n > 0 && n <= VMC_MAX_FILE && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
            if (fread(buf, 1, (size_t)n, f) == (size_t)n) {
                buf[n] = '\0';
            } else {
                free(buf);
                buf = NULL;
            }
        }
    }
    fclose(f);
    if (!buf)
        snprintf(err, errlen, "The face model %s could not be read.", path);
    return buf;
}

int vm_cascade_load(vm_cascade **out, const char *path, char *err, size_t errlen)
{
    int rc = -1;
    vm_cascade *c = calloc(1, sizeof(*c));
    char *text = read_file(path, err, errlen);
    *out = NULL;
    if (!text || !c) {
        if (text)
            snprintf(err, errlen, "The face model could not be loaded (out of memory).");
        goto out;
    }
    parser ps = {.p = text, .end = text + strlen(text), .path = path, .err = err, .errlen = errlen};
    long w, h;
    if (!strstr(text, "<stageType>BOOST") || !strstr(text, "<featureType>HAAR")) {
        fail(&ps, "not a boosted Haar cascade");
        goto out;
    }
    if (tag_long(&ps, "height", &h) < 0 || tag_long(&ps, "width", &w) < 0 || w < 4 || h < 4 ||
        w > 256 || h > 256) {
        fail(&ps, "no window size");
        goto out;
    }
    c->width = (int)w;
    c->height = (int)h;
    if (parse_stages(&ps, c) < 0 || parse_features(&ps, c) < 0 || check_refs(&ps, c) < 0)
        goto out;
    *out = c;
    c = NULL;
    rc = 0;
out:
    free(text);
    vm_cascade_free(c);
    return rc;
}

void vm_cascade_free(vm_cascade *c)
{
    if (!c)
        return;
    free(c->stages);
    free(c->weaks);
    free(c->nodes);
    free(c->leaves);
    free(c->features);
    free(c);
}

int vm_cascade_width(const vm_cascade *c)
{
    return c->width;
}

int vm_cascade_height(const vm_cascade *c)
{
    return c->height;
}

/* Prints, for each video file given, the faces the video-metrics stage counts
 * each second and its multiple_faces share: FILE faces=A,B,... multiple=M */
#include <stdio.h>

#include "vmetrics.h"

int main(int argc, char **argv)
{
    char err[512];
    if (argc < 2) {
        fprintf(stderr, "usage: vm_faces_count VIDEO...\n");
        return 2;
    }
    for (int a = 1; a < argc; a++) {
        json_t *out = NULL, *e;
        size_t i;
        vmetrics_opts opts = {.sample_fps = 5};
        if (vmetrics_run(argv[a], &opts, &out, err, sizeof(err)) != 0) {
            fprintf(stderr, "vm_faces_count: %s: %s\n", argv[a], err);
            return 1;
        }
        printf("%s faces=", argv[a]);
        json_array_foreach(json_object_get(out, "seconds"), i, e)
            printf("%s%lld", i ? "," : "", (long long)json_integer_value(json_object_get(e, "faces")));
        json_t *m = json_object_get(json_object_get(json_object_get(out, "on_camera"), "multiple_faces"), "value");
        printf(" multiple=%.2f\n", json_number_value(m));
        json_decref(out);
    }
    return 0;
}

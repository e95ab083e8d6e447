/* Runs the video-metrics stage on one file and prints its CPU time. */
#include <stdio.h>
#include <sys/resource.h>

#include "vmetrics.h"

static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

int main(int argc, char **argv)
{
    char err[512];
    json_t *out = NULL;
    if (argc < 2) {
        fprintf(stderr, "usage: vm_bench VIDEO\n");
        return 2;
    }
    vmetrics_opts opts = {.sample_fps = 5};
    if (vmetrics_run(argv[1], &opts, &out, err, sizeof(err)) != 0) {
        fprintf(stderr, "vm_bench: %s\n", err);
        return 1;
    }
    json_t *fp = json_object_get(json_object_get(json_object_get(out, "on_camera"), "face_present"), "value");
    printf("cpu_s=%.3f frames=%lld face_present=%.3f\n", cpu_s(),
           (long long)json_integer_value(json_object_get(out, "frames_analysed")), json_number_value(fp));
    json_decref(out);
    return 0;
}

/* conv_bench: runs one converter step of the stage library on a file, then
 * prints the CPU time and peak RSS it took as one JSON line, so bench.sh can
 * set it beside the ffmpeg program doing the same job.
 *
 *   conv_bench run IN OUT_DIR [MAX_HEIGHT]   the whole stage (convert_run)
 *   conv_bench audio IN OUT.wav              16 kHz mono WAV only
 *   conv_bench transcode IN OUT.mp4 [MAX_HEIGHT]
 *   conv_bench remux IN OUT (webm|mp4)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "convert_internal.h"

static double seconds(struct timeval tv)
{
    return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

static int usage(void)
{
    fprintf(stderr, "usage: conv_bench run IN OUT_DIR [MAX_HEIGHT] | audio IN OUT.wav | "
                    "transcode IN OUT.mp4 [MAX_HEIGHT] | remux IN OUT webm|mp4\n");
    return 2;
}

int main(int argc, char **argv)
{
    char err[512] = "";
    struct rusage ru;
    int ret;

    if (argc < 4)
        return usage();
    const char *mode = argv[1], *in = argv[2], *out = argv[3];
    int max_h = argc > 4 ? atoi(argv[4]) : 720;
    av_log_set_level(AV_LOG_ERROR);
    if (!strcmp(mode, "run")) {
        convert_limits lim = {.max_height = max_h};
        convert_result res;
        ret = convert_run(in, out, &lim, &res, err, sizeof(err));
    } else if (!strcmp(mode, "audio")) {
        ret = conv_extract_audio(in, out, err, sizeof(err));
    } else if (!strcmp(mode, "transcode")) {
        ret = conv_transcode(in, out, 0, max_h, err, sizeof(err));
    } else if (!strcmp(mode, "remux") && argc > 4) {
        ret = conv_remux(in, out, argv[4], !strcmp(argv[4], "mp4"), err, sizeof(err));
    } else {
        return usage();
    }
    if (ret != 0) {
        fprintf(stderr, "conv_bench %s: %s\n", mode, err);
        return 1;
    }
    getrusage(RUSAGE_SELF, &ru);
    printf("{\"mode\": \"%s\", \"cpu_s\": %.3f, \"max_rss_kb\": %ld}\n", mode,
           seconds(ru.ru_utime) + seconds(ru.ru_stime), ru.ru_maxrss);
    return 0;
}

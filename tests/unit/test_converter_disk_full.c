/* A full work disk is not the recording's fault: convert_run says so with
 * CONVERT_E_NO_SPACE, so that the converter service tries again once space
 * is freed instead of failing the interview (tests/faults, scenario
 * disk-full, measured every interview of a batch failing before). Each
 * output's temporary file is in turn a link to /dev/full, whose writes fail
 * with ENOSPC as those of a full file system do. */
#include <criterion/criterion.h>

#include "test_support.h"
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libavutil/log.h>

#include "convert.h"

#define FF TS_FFMPEG

static char tmp[256];

static void setup(void)
{
    ts_dir_new("isim-conv-full", tmp, sizeof(tmp));
    av_log_set_level(AV_LOG_QUIET);
}

static void teardown(void)
{
    ts_dir_free(tmp);
}

TestSuite(converter_disk_full, .init = setup, .fini = teardown, .timeout = 600);

/* Converts in with the temporary file `part` of out_dir on a full disk. */
static void expect_no_space(const char *in, const char *part)
{
    char out_dir[512], link[600], err[512] = "";
    convert_result r;
    struct stat sb;
    snprintf(out_dir, sizeof(out_dir), "%s/out-%s", tmp, part + 1);
    snprintf(link, sizeof(link), "%s/%s", out_dir, part);
    cr_assert_eq(mkdir(out_dir, 0755), 0);
    cr_assert_eq(symlink("/dev/full", link), 0);

    int rc = convert_run(in, out_dir, NULL, &r, err, sizeof(err));
    cr_assert_eq(rc, CONVERT_E_NO_SPACE, "%s on a full disk: got %d (%s), not CONVERT_E_NO_SPACE", part, rc, err);
    cr_assert(strstr(err, "No space left on device"), "%s: err: %s", part, err);
    /* Nothing half-written left for a later try to trip over. */
    cr_assert_str_eq(r.audio_path, "");
    cr_assert_str_eq(r.video_path, "");
    cr_assert_str_eq(r.poster_path, "");
    cr_assert_neq(lstat(link, &sb), 0, "%s left behind", part);
}

Test(converter_disk_full, every_output_of_a_remux_says_no_space)
{
    char in[300];
    snprintf(in, sizeof(in), "%s/rec.webm", tmp);
    ts_sh(FF "-f lavfi -i testsrc2=size=320x240:rate=15:duration=2 -f lavfi -i sine=duration=2 "
             "-c:v libvpx -deadline realtime -cpu-used 8 -b:v 300k -c:a libopus '%s'", in);
    expect_no_space(in, ".audio.wav.part");
    expect_no_space(in, ".video.webm.part");
    expect_no_space(in, ".poster.jpg.part");
}

Test(converter_disk_full, a_transcode_says_no_space)
{
    char in[300];
    snprintf(in, sizeof(in), "%s/rec.avi", tmp);
    ts_sh(FF "-f lavfi -i testsrc2=size=320x240:rate=15:duration=2 -f lavfi -i sine=duration=2 "
             "-c:v mpeg4 -c:a pcm_s16le '%s'", in);
    expect_no_space(in, ".video.mp4.part");
}

Test(converter_disk_full, a_recording_that_is_not_media_still_fails_for_good)
{
    char in[300], out_dir[300], err[512] = "";
    convert_result r;
    snprintf(in, sizeof(in), "%s/junk.webm", tmp);
    snprintf(out_dir, sizeof(out_dir), "%s/out", tmp);
    FILE *f = fopen(in, "w");
    cr_assert(f);
    fputs("this is not a recording\n", f);
    fclose(f);
    cr_assert_eq(convert_run(in, out_dir, NULL, &r, err, sizeof(err)), -1, "%s", err);
}

/* Helpers every unit test shares: a scratch folder per test, shell commands
 * that make test media (the ffmpeg program is allowed in tests only), paths. */
#ifndef ISIM_TEST_SUPPORT_H
#define ISIM_TEST_SUPPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <valgrind/valgrind.h>

/* Skips the running Criterion test under valgrind (a clip that would take
 * minutes there); why is said in the report. */
#define TS_SKIP_UNDER_VALGRIND(why)                                                              \
    do {                                                                                         \
        if (RUNNING_ON_VALGRIND)                                                                 \
            cr_skip_test(why);                                                                   \
    } while (0)

/* Skips an accuracy test (clips measured against ground truth) under
 * valgrind and in the sanitizer build: its figures are the plain build's,
 * and the sanitizers run the same code on the lighter tests. */
#if defined(__SANITIZE_ADDRESS__)
#define TS_SANITIZED 1
#else
#define TS_SANITIZED 0
#endif
#define TS_SKIP_ACCURACY_UNDER_CHECKERS()                                                        \
    do {                                                                                         \
        if (RUNNING_ON_VALGRIND || TS_SANITIZED)                                                 \
            cr_skip_test("an accuracy test: measured in the plain build");                        \
    } while (0)

/* FFmpeg program prefix for generating test media. */
#define TS_FFMPEG "ffmpeg -nostdin -hide_banner -loglevel error -y "

/* Makes a fresh folder "$TMPDIR/<prefix>-XXXXXX" into dir[len]; asserts. */
void ts_dir_new(const char *prefix, char *dir, size_t len);
/* Removes the folder and everything below it; warns on failure. */
void ts_dir_free(const char *dir);
/* "<dir>/<name>" in one of 8 rotating static buffers. */
const char *ts_path(const char *dir, const char *name);
/* Runs a shell command built like printf; fails the test when it fails. */
void ts_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Writes v as `bytes` little-endian bytes (for hand-made file headers). */
void ts_put_le(FILE *fp, uint32_t v, int bytes);
/* A mono 16-bit PCM WAV of n samples at rate Hz; asserts. */
void ts_write_wav(const char *path, const int16_t *s, size_t n, uint32_t rate);

#endif

#include "test_support.h"

#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void ts_dir_new(const char *prefix, char *dir, size_t len)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, len, "%s/%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", prefix);
    cr_assert_not_null(mkdtemp(dir), "cannot make a scratch folder %s", dir);
}

static int ts_remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void ts_dir_free(const char *dir)
{
    if (dir && *dir && nftw(dir, ts_remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
        cr_log_warn("could not remove %s", dir);
}

const char *ts_path(const char *dir, const char *name)
{
    static char path[8][1024];
    static int next;
    char *p = path[next++ % 8];
    snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
    return p;
}

void ts_sh(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    cr_assert_eq(system(cmd), 0, "command failed: %s", cmd);
}

void ts_put_le(FILE *fp, uint32_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        fputc((int)((v >> (8 * i)) & 0xff), fp);
}

void ts_write_wav(const char *path, const int16_t *s, size_t n, uint32_t rate)
{
    FILE *fp = fopen(path, "wb");
    cr_assert_not_null(fp, "cannot write %s", path);
    uint32_t bytes = (uint32_t)(n * 2);
    fwrite("RIFF", 1, 4, fp);
    ts_put_le(fp, 36 + bytes, 4);
    fwrite("WAVEfmt ", 1, 8, fp);
    ts_put_le(fp, 16, 4);    /* fmt chunk size */
    ts_put_le(fp, 1, 2);     /* PCM */
    ts_put_le(fp, 1, 2);     /* mono */
    ts_put_le(fp, rate, 4);
    ts_put_le(fp, rate * 2, 4);
    ts_put_le(fp, 2, 2);
    ts_put_le(fp, 16, 2);
    fwrite("data", 1, 4, fp);
    ts_put_le(fp, bytes, 4);
    for (size_t i = 0; i < n; i++)
        ts_put_le(fp, (uint16_t)s[i], 2);
    cr_assert_eq(fclose(fp), 0);
}

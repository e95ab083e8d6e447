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

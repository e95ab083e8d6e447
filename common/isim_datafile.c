#include "isim_datafile.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

char *datafile_trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && strchr(" \t\r\n", s[n - 1]))
        s[--n] = '\0';
    return s;
}

int datafile_each_line(const char *path, const char *what, datafile_line_fn fn, void *user, char *err,
                       size_t errlen)
{
    char line[DATAFILE_LINE_MAX], why[512];
    int lineno = 0, rc = 0;
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "cannot read %s %s: %s", what, path, strerror(errno));
        return -1;
    }
    while (rc == 0 && fgets(line, sizeof(line), f)) {
        lineno++;
        size_t n = strlen(line);
        if (n == sizeof(line) - 1 && line[n - 1] != '\n' && !feof(f)) {
            snprintf(err, errlen, "%s:%d: a line longer than %d bytes", path, lineno, DATAFILE_LINE_MAX - 2);
            rc = -1;
            break;
        }
        char *s = datafile_trim(line);
        if (!*s || *s == '#')
            continue;
        why[0] = '\0';
        int r = fn(s, user, why, sizeof(why));
        if (r == -1)
            snprintf(err, errlen, "%s:%d: %s", path, lineno, why);
        else if (r != 0)
            snprintf(err, errlen, "%s", why[0] ? why : "out of memory");
        rc = r ? -1 : 0;
    }
    fclose(f);
    return rc;
}

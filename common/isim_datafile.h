/* The project's data files (data/: word lists, rules, tables) share one
 * syntax: one entry per line, blanks trimmed, blank lines and lines starting
 * with # skipped. One reader for all of them. */
#ifndef ISIM_DATAFILE_H
#define ISIM_DATAFILE_H

#include <stddef.h>

#define DATAFILE_LINE_MAX 4096

/* Called with each entry (trimmed, writable). Returns 0 to go on, -1 with
 * err saying what is wrong with the line (the reader puts "path:line: "
 * before it), or -2 with err for a failure that is not the line's (out of
 * memory), passed on as it is. */
typedef int (*datafile_line_fn)(char *line, void *user, char *err, size_t errlen);

/* Reads path; what names the file in "cannot read <what> <path>: ...".
 * Returns 0 or -1 with err. */
int datafile_each_line(const char *path, const char *what, datafile_line_fn fn, void *user, char *err,
                       size_t errlen);
/* s without leading and trailing blanks (spaces, tabs, CR, LF). */
char *datafile_trim(char *s);

#endif

#include "isim_util.h"

#include <ctype.h>
#include <stdarg.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int util_random_bytes(unsigned char *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = getrandom(buf + got, n - got, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        got += (size_t)r;
    }
    return 0;
}

void util_hex(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

int util_uuid_v4(char out[ISIM_UUID_LEN + 1])
{
    unsigned char b[16];
    if (util_random_bytes(b, sizeof(b)) != 0)
        return -1;
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    char hex[33];
    util_hex(b, 16, hex);
    snprintf(out, ISIM_UUID_LEN + 1, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
    return 0;
}

int util_uuid_valid(const char *s)
{
    if (!s || strlen(s) != ISIM_UUID_LEN)
        return 0;
    for (int i = 0; i < ISIM_UUID_LEN; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return 0;
        } else if (!isxdigit((unsigned char)s[i])) {
            return 0;
        }
    }
    return 1;
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when it is not one:
 * no overlong forms, no surrogates, nothing above U+10FFFF. */
static size_t util_utf8_len(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    size_t n = s[0] >= 0xC2 && s[0] <= 0xDF ? 2 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3 : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] > 0x9F) || (s[0] == 0xF0 && s[1] < 0x90) ||
        (s[0] == 0xF4 && s[1] > 0x8F))
        return 0;
    return n;
}

void util_utf8_escape(const char *s, char *out, size_t outlen)
{
    size_t o = 0;
    if (!outlen)
        return;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = util_utf8_len(p);
        if (n) {
            if (o + n >= outlen)
                break;
            memcpy(out + o, p, n);
            o += n;
            p += n;
        } else {
            if (o + 4 >= outlen)
                break;
            snprintf(out + o, 5, "\\x%02x", *p);
            o += 4;
            p++;
        }
    }
    out[o] = '\0';
}

void util_ascii_lower(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

int util_traceparent_new(char out[56])
{
    unsigned char b[24];
    if (util_random_bytes(b, sizeof(b)) != 0)
        return -1;
    char trace[33], span[17];
    util_hex(b, 16, trace);
    util_hex(b + 16, 8, span);
    snprintf(out, 56, "00-%s-%s-01", trace, span);
    return 0;
}

int util_traceparent_trace_id(const char *tp, char trace_id[33])
{
    if (!tp || strlen(tp) != 55 || tp[2] != '-' || tp[35] != '-' || tp[52] != '-')
        return -1;
    for (int i = 3; i < 35; i++)
        if (!isxdigit((unsigned char)tp[i]))
            return -1;
    memcpy(trace_id, tp + 3, 32);
    trace_id[32] = '\0';
    return 0;
}

int util_traceparent_child(const char *parent, char out[56])
{
    char trace[33];
    if (util_traceparent_trace_id(parent, trace) != 0)
        return util_traceparent_new(out);
    unsigned char b[8];
    if (util_random_bytes(b, sizeof(b)) != 0)
        return -1;
    char span[17];
    util_hex(b, 8, span);
    snprintf(out, 56, "00-%s-%s-01", trace, span);
    return 0;
}

int util_tempdir_new(const char *base, char *path_out, size_t len, char *err, size_t errlen)
{
    if (snprintf(path_out, len, "%s/isim-XXXXXX", base && *base ? base : "/tmp") >= (int)len) {
        snprintf(err, errlen, "work directory path too long");
        return -1;
    }
    mkdir(base, 0755);
    if (!mkdtemp(path_out)) {
        snprintf(err, errlen, "cannot create a temporary folder in %s: %s", base, strerror(errno));
        return -1;
    }
    return 0;
}

void util_tempdir_free(const char *path)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char p[4096];
            snprintf(p, sizeof(p), "%s/%s", path, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(path);
}

double util_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void util_deadline_ms(struct timespec *ts, int ms)
{
    clock_gettime(CLOCK_REALTIME, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

void util_errf(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

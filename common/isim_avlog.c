#include "isim_avlog.h"

#include <libavutil/log.h>
#include <stdio.h>
#include <string.h>

#include "isim_log.h"

static void avlog_callback(void *avcl, int level, const char *fmt, va_list ap)
{
    if (level > AV_LOG_WARNING)
        return;
    char line[1024];
    int print_prefix = 1;
    av_log_format_line2(avcl, level, fmt, ap, line, sizeof(line), &print_prefix);
    size_t n = strlen(line);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    /* swscale warns on every JPEG-range frame it is handed on purpose. */
    if (n == 0 || strstr(line, "deprecated pixel format used"))
        return;
    log_write(level <= AV_LOG_ERROR ? ISIM_LOG_ERROR : ISIM_LOG_WARN, "ffmpeg: %s", line);
}

void avlog_route_to_json(void)
{
    av_log_set_callback(avlog_callback);
}

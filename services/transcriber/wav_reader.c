#include "wav_reader.h"

#include <errno.h>
#include <string.h>

#define WAVE_FORMAT_PCM 0x0001
#define WAVE_FORMAT_EXTENSIBLE 0xFFFE
#define READ_BYTES 8192

static uint16_t le16(const unsigned char *p) { return (uint16_t)(p[0] | (p[1] << 8)); }

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

/* Skips n bytes forward; fseeko fails on pipes, so fall back to reading. */
static int skip_bytes(FILE *fp, uint64_t n)
{
    if (n <= (uint64_t)INT64_MAX && fseeko(fp, (off_t)n, SEEK_CUR) == 0)
        return 0;
    unsigned char tmp[512];
    while (n > 0) {
        size_t want = n < sizeof tmp ? (size_t)n : sizeof tmp;
        if (fread(tmp, 1, want, fp) != want)
            return -1;
        n -= want;
    }
    return 0;
}

static int check_fmt(const unsigned char *f, uint32_t size, const char *path, char *err,
                     size_t errlen)
{
    if (size < 16) {
        snprintf(err, errlen, "%s: WAV fmt chunk too short (%u bytes)", path, size);
        return -1;
    }
    uint16_t format = le16(f), channels = le16(f + 2), bits = le16(f + 14);
    uint32_t rate = le32(f + 4);
    /* WAVE_FORMAT_EXTENSIBLE carries the real format in its sub-format GUID. */
    if (format == WAVE_FORMAT_EXTENSIBLE && size >= 26)
        format = le16(f + 24);
    if (format != WAVE_FORMAT_PCM) {
        snprintf(err, errlen, "%s: WAV format 0x%04x is not PCM (need 16 kHz mono s16le)",
                 path, format);
        return -1;
    }
    if (channels != 1 || rate != WAV_READER_RATE || bits != 16) {
        snprintf(err, errlen,
                 "%s: WAV is %u Hz, %u channel(s), %u bits; need 16000 Hz mono 16-bit",
                 path, rate, channels, bits);
        return -1;
    }
    return 0;
}

/* Walks the chunks after the RIFF header until "data", checking "fmt " first. */
static int find_data(wav_reader *r, const char *path, char *err, size_t errlen)
{
    int have_fmt = 0;
    unsigned char hdr[8];
    for (;;) {
        if (fread(hdr, 1, sizeof hdr, r->fp) != sizeof hdr) {
            snprintf(err, errlen, "%s: WAV has no data chunk", path);
            return -1;
        }
        uint32_t size = le32(hdr + 4);
        if (memcmp(hdr, "fmt ", 4) == 0) {
            unsigned char f[40] = {0};
            size_t want = size < sizeof f ? size : sizeof f;
            if (fread(f, 1, want, r->fp) != want) {
                snprintf(err, errlen, "%s: truncated WAV fmt chunk", path);
                return -1;
            }
            if (check_fmt(f, size, path, err, errlen) < 0)
                return -1;
            if (skip_bytes(r->fp, (uint64_t)size - want + (size & 1)) < 0) {
                snprintf(err, errlen, "%s: truncated WAV fmt chunk", path);
                return -1;
            }
            have_fmt = 1;
        } else if (memcmp(hdr, "data", 4) == 0) {
            if (!have_fmt) {
                snprintf(err, errlen, "%s: WAV data chunk before fmt chunk", path);
                return -1;
            }
            /* Streamed WAVs may carry 0 or 0xFFFFFFFF here: then read to EOF. */
            r->data_left = (size == 0 || size == 0xFFFFFFFFu) ? UINT64_MAX : size;
            return 0;
        } else if (skip_bytes(r->fp, (uint64_t)size + (size & 1)) < 0) {
            snprintf(err, errlen, "%s: truncated WAV chunk '%.4s'", path, (const char *)hdr);
            return -1;
        }
    }
}

int wav_reader_open(wav_reader *r, const char *path, char *err, size_t errlen)
{
    int rc = -1;
    unsigned char riff[12];
    memset(r, 0, sizeof *r);
    r->fp = fopen(path, "rb");
    if (!r->fp) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        goto out;
    }
    if (fread(riff, 1, sizeof riff, r->fp) != sizeof riff || memcmp(riff, "RIFF", 4) != 0 ||
        memcmp(riff + 8, "WAVE", 4) != 0) {
        snprintf(err, errlen, "%s: not a WAV file (no RIFF/WAVE header)", path);
        goto out;
    }
    if (find_data(r, path, err, errlen) < 0)
        goto out;
    rc = 0;
out:
    if (rc < 0)
        wav_reader_close(r);
    return rc;
}

int wav_reader_read(wav_reader *r, int16_t *buf, size_t max, size_t *got, char *err,
                    size_t errlen)
{
    unsigned char bytes[READ_BYTES];
    size_t want = max * 2;
    if (want > sizeof bytes)
        want = sizeof bytes;
    if (want > r->data_left)
        want = (size_t)r->data_left;
    want &= ~(size_t)1;
    *got = 0;
    if (want == 0)
        return 0;
    size_t n = fread(bytes, 1, want, r->fp);
    if (n < want && ferror(r->fp)) {
        snprintf(err, errlen, "WAV read error: %s", strerror(errno));
        return -1;
    }
    n &= ~(size_t)1; /* a trailing odd byte of a truncated file is dropped */
    for (size_t i = 0; i < n / 2; i++)
        buf[i] = (int16_t)le16(bytes + 2 * i);
    *got = n / 2;
    r->data_left = n < want ? 0 : r->data_left - n;
    r->samples_read += *got;
    return 0;
}

void wav_reader_close(wav_reader *r)
{
    if (r->fp)
        fclose(r->fp);
    r->fp = NULL;
}

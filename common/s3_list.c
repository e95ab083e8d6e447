/* ListObjectsV2 answers read without an XML library.
 *
 * An S3 listing is a flat, machine-written document:
 *
 *   <ListBucketResult xmlns="..."><IsTruncated>true</IsTruncated>
 *     <Contents><Key>media/iv1/a&amp;b</Key><ETag>&quot;..&quot;</ETag>...</Contents>
 *     ... <NextContinuationToken>...</NextContinuationToken></ListBucketResult>
 *
 * Character data never holds a raw '<' (S3 writes it as &lt;), so a plain
 * search for "<Tag>" and "</Tag>" finds elements and can not be fooled by a
 * key's text. No element read here has attributes or nests an element of the
 * same name. The whole document must be there (its closing tag), so an
 * answer cut short is an error rather than a shorter listing. */
#include "s3_client.h"

#include "isim_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ENTITY_MAX 32 /* longest entity read, leading zeros of &#0065; included */

/* UTF-8 bytes of code point cp into o (room for 4); 0 when cp is 0, a
 * surrogate or beyond U+10FFFF. */
static size_t utf8_put(unsigned long cp, char *o)
{
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static int digit_value(char ch, int hex)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (hex && ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (hex && ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* "&#NN;" or "&#xNN;" (name = the text between '&' and ';'): the code point
 * as UTF-8 into o; returns its byte count, 0 when it is not a valid one. */
static size_t char_ref(const char *name, size_t n, char *o)
{
    int hex = n > 1 && name[1] == 'x'; /* XML allows only a lowercase x */
    size_t i = hex ? 2 : 1;
    unsigned long cp = 0;
    if (n < 2 || name[0] != '#' || i >= n)
        return 0;
    for (; i < n; i++) {
        int v = digit_value(name[i], hex);
        if (v < 0)
            return 0;
        cp = cp * (hex ? 16u : 10u) + (unsigned long)v;
        if (cp > 0x10FFFF)
            return 0;
    }
    return utf8_put(cp, o);
}

/* The entity at s (s[0] == '&', n bytes available): its bytes into o (room
 * for 4), their count in *olen. Returns the entity's length with '&' and
 * ';', 0 when it is not one XML predefines or a valid character reference. */
static size_t entity(const char *s, size_t n, char *o, size_t *olen)
{
    static const struct {
        const char *name;
        char ch;
    } named[] = {{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
    const char *semi = memchr(s, ';', n < ENTITY_MAX ? n : ENTITY_MAX);
    if (!semi)
        return 0;
    size_t nl = (size_t)(semi - s) - 1; /* name length */
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        if (strlen(named[i].name) == nl && !memcmp(s + 1, named[i].name, nl)) {
            o[0] = named[i].ch;
            *olen = 1;
            return nl + 2;
        }
    }
    *olen = char_ref(s + 1, nl, o);
    return *olen ? nl + 2 : 0;
}

int s3_xml_unescape(const char *s, size_t len, char **out, char *err, size_t errlen)
{
    int rc = S3_ERR;
    size_t o = 0;
    /* every entity is at least as long as the bytes it stands for */
    char *buf = malloc(len + 1);
    *out = NULL;
    if (!buf) {
        util_errf(err, errlen, "XML text: out of memory");
        goto out;
    }
    for (size_t i = 0; i < len;) {
        if (s[i] == '<' || s[i] == '\0') {
            util_errf(err, errlen, "XML text holds %s", s[i] ? "markup ('<')" : "a NUL byte");
            goto out;
        }
        if (s[i] != '&') {
            buf[o++] = s[i++];
            continue;
        }
        size_t olen = 0, used = entity(s + i, len - i, buf + o, &olen);
        if (!used) {
            size_t show = len - i < 16 ? len - i : 16;
            const char *semi = memchr(s + i, ';', show);
            if (semi)
                show = (size_t)(semi - (s + i)) + 1;
            util_errf(err, errlen, "XML text: unknown or invalid entity \"%.*s\"", (int)show,
                      s + i);
            goto out;
        }
        i += used;
        o += olen;
    }
    buf[o] = '\0';
    *out = buf;
    buf = NULL;
    rc = S3_OK;
out:
    free(buf);
    return rc;
}

int s3_xml_element(const char *s, const char *end, const char *tag, const char **text, size_t *n)
{
    char open[48], close[48];
    int ol = snprintf(open, sizeof open, "<%s>", tag);
    int cl = snprintf(close, sizeof close, "</%s>", tag);
    const char *a = memmem(s, (size_t)(end - s), open, (size_t)ol);
    if (!a)
        return 0;
    a += ol;
    const char *b = memmem(a, (size_t)(end - a), close, (size_t)cl);
    if (!b)
        return -1;
    *text = a;
    *n = (size_t)(b - a);
    return 1;
}

/* The content of the ListBucketResult root element: [*body, *end). */
static int find_root(const char *xml, size_t len, const char **body, const char **end)
{
    static const char open[] = "<ListBucketResult", close[] = "</ListBucketResult>";
    const char *xend = xml + len;
    const char *a = memmem(xml, len, open, sizeof open - 1);
    if (!a)
        return -1;
    a += sizeof open - 1;
    if (a >= xend || (*a != '>' && *a != ' ' && *a != '\t' && *a != '\r' && *a != '\n'))
        return -1;
    a = memchr(a, '>', (size_t)(xend - a));
    if (!a || a[-1] == '/') /* an empty <ListBucketResult/> is not an S3 answer */
        return -1;
    a++;
    const char *b = memmem(a, (size_t)(xend - a), close, sizeof close - 1);
    if (!b)
        return -1;
    *body = a;
    *end = b;
    return 0;
}

/* IsTruncated (absent = false) and, when true, the decoded token. */
static int read_truncation(const char *body, const char *end, int *truncated, char **token,
                           char *err, size_t errlen)
{
    int rc = S3_ERR;
    const char *t = NULL;
    size_t tn = 0;
    int f = s3_xml_element(body, end, "IsTruncated", &t, &tn);
    int is_true = f == 1 && tn == 4 && !memcmp(t, "true", 4);
    int is_false = f == 0 || (f == 1 && tn == 5 && !memcmp(t, "false", 5));
    if (!is_true && !is_false) {
        util_errf(err, errlen, "IsTruncated is not \"true\" or \"false\"");
        goto out;
    }
    *truncated = is_true;
    if (!is_true) {
        rc = S3_OK;
        goto out;
    }
    if (s3_xml_element(body, end, "NextContinuationToken", &t, &tn) != 1 || tn == 0) {
        util_errf(err, errlen, "IsTruncated is true but there is no NextContinuationToken");
        goto out;
    }
    rc = s3_xml_unescape(t, tn, token, err, errlen);
out:
    return rc;
}

/* fn with the key of each <Contents> in [p, end). */
static int read_contents(const char *p, const char *end, s3_key_fn fn, void *ud, char *err,
                         size_t errlen)
{
    static const char open[] = "<Contents>", close[] = "</Contents>";
    int rc = S3_OK;
    char *key = NULL;
    const char *c;
    while ((c = memmem(p, (size_t)(end - p), open, sizeof open - 1)) != NULL) {
        const char *ce = memmem(c, (size_t)(end - c), close, sizeof close - 1);
        const char *t = NULL;
        size_t tn = 0;
        if (!ce || s3_xml_element(c, ce, "Key", &t, &tn) != 1 || tn == 0) {
            util_errf(err, errlen, "a <Contents> element without its <Key> or its end");
            rc = S3_ERR;
            goto out;
        }
        rc = s3_xml_unescape(t, tn, &key, err, errlen);
        if (rc != S3_OK)
            goto out;
        int stop = fn(key, ud);
        if (stop) {
            util_errf(err, errlen, "stopped at key \"%s\" (%d)", key, stop);
            rc = S3_ERR;
            goto out;
        }
        free(key);
        key = NULL;
        p = ce + sizeof close - 1;
    }
out:
    free(key);
    return rc;
}

int s3_list_parse(const char *xml, size_t len, s3_key_fn fn, void *ud, int *truncated,
                  char **next_token, char *err, size_t errlen)
{
    int rc = S3_ERR, trunc = 0;
    const char *body = NULL, *end = NULL;
    char *token = NULL, perr[256] = "";
    *truncated = 0;
    *next_token = NULL;
    if (!xml || !fn) {
        util_errf(err, errlen, "list objects: no answer or no key function");
        goto out;
    }
    if (find_root(xml, len, &body, &end)) {
        util_errf(err, errlen, "list objects: the answer is not a whole ListBucketResult document");
        goto out;
    }
    if (read_truncation(body, end, &trunc, &token, perr, sizeof perr) != S3_OK ||
        read_contents(body, end, fn, ud, perr, sizeof perr) != S3_OK) {
        util_errf(err, errlen, "list objects: %s", perr);
        goto out;
    }
    *truncated = trunc;
    *next_token = token;
    token = NULL;
    rc = S3_OK;
out:
    free(token);
    return rc;
}

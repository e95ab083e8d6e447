/* The bucket as the services need it: created when missing (waiting for a
 * store that is starting), and the CORSConfiguration document of isim admin
 * bucket: which web pages may upload (PUT) and play (GET, HEAD) media by
 * presigned URL. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "isim_signal.h"
#include "isim_util.h"
#include "s3_client.h"

#define CORS_MAX_AGE_S 3600

/* scheme://host[:port] with nothing after, or "*": what a browser's Origin
 * header can hold. Origins are also written into XML unescaped, so this
 * allows no character XML would need escaped. */
static int s3_cors_origin_ok(const char *o, size_t n)
{
    if (n == 1 && o[0] == '*')
        return 1;
    size_t skip = n > 8 && !strncmp(o, "https://", 8) ? 8 : n > 7 && !strncmp(o, "http://", 7) ? 7 : 0;
    if (!skip)
        return 0;
    for (size_t i = skip; i < n; i++)
        if (!isalnum((unsigned char)o[i]) && !strchr("-.:[]", o[i]))
            return 0;
    return o[n - 1] != ':';
}

char *s3_cors_xml_new(const char *origins_csv, char *err, size_t errlen)
{
    char *out = NULL, *res = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    int count = 0;
    if (!f) {
        util_errf(err, errlen, "out of memory");
        goto out;
    }
    fputs("<CORSConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><CORSRule>", f);
    for (const char *p = origins_csv ? origins_csv : ""; *p;) {
        while (*p == ',' || *p == ' ')
            p++;
        size_t n = strcspn(p, ", ");
        if (!n)
            break;
        if (!s3_cors_origin_ok(p, n)) {
            util_errf(err, errlen, "\"%.*s\" is not an origin (scheme://host[:port], no path, or *)", (int)n, p);
            goto out;
        }
        fprintf(f, "<AllowedOrigin>%.*s</AllowedOrigin>", (int)n, p);
        count++;
        p += n;
    }
    if (!count) {
        util_errf(err, errlen, "no origin given");
        goto out;
    }
    fprintf(f, "<AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod>"
               "<AllowedMethod>PUT</AllowedMethod><AllowedHeader>*</AllowedHeader>"
               "<ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>%d</MaxAgeSeconds>"
               "</CORSRule></CORSConfiguration>",
            CORS_MAX_AGE_S);
    if (fclose(f) != 0) {
        f = NULL;
        util_errf(err, errlen, "out of memory");
        goto out;
    }
    f = NULL;
    res = out;
    out = NULL;
out:
    if (f)
        fclose(f);
    free(out);
    return res;
}

int s3_bucket_ensure(const s3_params *p, int wait_s, char *err, size_t errlen)
{
    for (int i = 0; i <= wait_s && !signal_stop_requested(); i++) {
        s3_client *s3 = s3_client_new(p, err, errlen);
        int rc = s3 ? s3_create_bucket(s3, err, errlen) : S3_ERR;
        s3_client_free(s3);
        if (rc == S3_OK)
            return 0;
        if (rc != S3_ERR_TRANSIENT)
            return -1;
        sleep(1);
    }
    return -1;
}

/* SigV4 canonicalisation: method, path, query pairs and headers from the
 * input (lines), signed and presigned; the path and query also URI-encoded. */
#include <assert.h>

#include "fuzz_support.h"
#include "s3_sigv4.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = NULL, err[256];
    const char *l[8] = {0};
    size_t n = fuzz_lines(data, size, &buf, l, 8);
    if (!buf)
        return 0;
    const s3_sigv4_creds creds = {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "s3"};
    s3_sigv4_pair query[2] = {{n > 2 ? l[2] : "", n > 3 ? l[3] : ""}, {n > 4 ? l[4] : "", ""}};
    s3_sigv4_pair headers[1] = {{n > 5 ? l[5] : "x-amz-meta-a", n > 6 ? l[6] : ""}};
    s3_sigv4_request req = {.method = n > 0 ? l[0] : "GET", .host = "127.0.0.1:59000",
                            .path = n > 1 ? l[1] : "/", .query = query, .n_query = n > 2 ? (n > 4 ? 2 : 1) : 0,
                            .headers = headers, .n_headers = n > 5 ? 1 : 0, .sign_content_sha256 = 1};
    s3_sigv4_signed out = {0};
    if (s3_sigv4_sign_request(&creds, &req, 1369353600, &out, err, sizeof(err)) == 0)
        assert(out.authorization && out.canonical_request);
    s3_sigv4_signed_free(&out);
    char *url = s3_sigv4_presign_url(&creds, &req, "https", 900, 1369353600, err, sizeof(err));
    free(url);
    char *enc = s3_sigv4_uri_encode(req.path, 1);
    free(enc);
    free(buf);
    return 0;
}

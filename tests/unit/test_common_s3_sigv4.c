/* SigV4 signer: AWS's published vectors (aws-sig-v4-test-suite and the S3
 * documentation examples), encoding edge cases, presigned URL shape, and the
 * offline parts of the S3 client (argument checks, presign, connection
 * refused). No S3 server is needed. */
#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "s3_client.h"
#include "s3_sigv4.h"

/* ---- aws-sig-v4-test-suite: service "service", us-east-1, 20150830T123600Z */

static const s3_sigv4_creds SUITE = {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                     "us-east-1", "service"};
static const time_t SUITE_TIME = 1440938160; /* 2015-08-30T12:36:00Z */
#define SUITE_HOST "example.amazonaws.com"
#define SUITE_AUTHZ(signed_headers, sig)                                                          \
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "          \
    "SignedHeaders=" signed_headers ", Signature=" sig

/* Signs a suite request (no x-amz-content-sha256) and checks the
 * Authorization header byte for byte. */
static void check_suite(const char *method, const char *path, const s3_sigv4_pair *q, size_t nq,
                        const s3_sigv4_pair *h, size_t nh, const char *payload_hash,
                        const char *want_authz)
{
    char err[256] = "";
    s3_sigv4_request r = {.method = method, .host = SUITE_HOST, .path = path, .query = q,
                          .n_query = nq, .headers = h, .n_headers = nh,
                          .payload_hash = payload_hash};
    s3_sigv4_signed s;
    cr_assert_eq(s3_sigv4_sign_request(&SUITE, &r, SUITE_TIME, &s, err, sizeof err), 0, "%s", err);
    cr_expect_str_eq(s.amz_date, "20150830T123600Z");
    cr_expect_str_eq(s.authorization, want_authz, "canonical request:\n%s", s.canonical_request);
    s3_sigv4_signed_free(&s);
}

Test(sigv4_suite, get_vanilla)
{
    char err[256] = "";
    s3_sigv4_request r = {.method = "GET", .host = SUITE_HOST, .path = "/"};
    s3_sigv4_signed s;
    cr_assert_eq(s3_sigv4_sign_request(&SUITE, &r, SUITE_TIME, &s, err, sizeof err), 0, "%s", err);
    cr_expect_str_eq(s.canonical_request, "GET\n/\n\n"
                                          "host:example.amazonaws.com\n"
                                          "x-amz-date:20150830T123600Z\n\n"
                                          "host;x-amz-date\n" S3_SIGV4_EMPTY_SHA256);
    cr_expect_str_eq(s.string_to_sign,
                     "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
                     "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
    cr_expect_str_eq(s.signature,
                     "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    cr_expect_str_eq(s.authorization,
                     SUITE_AUTHZ("host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a226095"
                                                    "6d9b8aae1d763fbf31"));
    s3_sigv4_signed_free(&s);
}

Test(sigv4_suite, get_vanilla_query_order_key_case)
{
    s3_sigv4_pair q[] = {{"Param2", "value2"}, {"Param1", "value1"}};
    char err[256] = "";
    s3_sigv4_request r = {.method = "GET", .host = SUITE_HOST, .path = "/", .query = q,
                          .n_query = 2};
    s3_sigv4_signed s;
    cr_assert_eq(s3_sigv4_sign_request(&SUITE, &r, SUITE_TIME, &s, err, sizeof err), 0, "%s", err);
    cr_expect_str_eq(s.canonical_request, "GET\n/\nParam1=value1&Param2=value2\n"
                                          "host:example.amazonaws.com\n"
                                          "x-amz-date:20150830T123600Z\n\n"
                                          "host;x-amz-date\n" S3_SIGV4_EMPTY_SHA256);
    cr_expect_str_eq(s.authorization,
                     SUITE_AUTHZ("host;x-amz-date", "b97d918cfa904a5beff61c982a1b6f458b799221646efd"
                                                    "99d3219ec94cdf2500"));
    s3_sigv4_signed_free(&s);
}

Test(sigv4_suite, get_vanilla_query_order_value)
{
    s3_sigv4_pair q[] = {{"Param1", "value2"}, {"Param1", "value1"}};
    check_suite("GET", "/", q, 2, NULL, 0, NULL,
                SUITE_AUTHZ("host;x-amz-date", "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c6048"
                                               "6157bd471c4694"));
}

Test(sigv4_suite, get_vanilla_query_order_encoded)
{
    /* "ሴ" sorts first once encoded (%E1...), and "Param" before "Param-3" */
    s3_sigv4_pair q[] = {{"Param-3", "Value3"}, {"Param", "Value2"}, {"\xe1\x88\xb4", "Value1"}};
    check_suite("GET", "/", q, 3, NULL, 0, NULL,
                SUITE_AUTHZ("host;x-amz-date", "371d3713e185cc334048618a97f809c9ffe339c62934c032af"
                                               "5a0e595648fcac"));
}

Test(sigv4_suite, get_vanilla_query_unreserved)
{
    const char *u = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    s3_sigv4_pair q[] = {{u, u}};
    check_suite("GET", "/", q, 1, NULL, 0, NULL,
                SUITE_AUTHZ("host;x-amz-date", "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167"
                                               "c21bb143a40197"));
}

Test(sigv4_suite, get_vanilla_utf8_query)
{
    s3_sigv4_pair q[] = {{"\xe1\x88\xb4", "bar"}};
    check_suite("GET", "/", q, 1, NULL, 0, NULL,
                SUITE_AUTHZ("host;x-amz-date", "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e"
                                               "12c9027818dd04"));
}

Test(sigv4_suite, get_utf8_path)
{
    check_suite("GET", "/\xe1\x88\xb4", NULL, 0, NULL, 0, NULL,
                SUITE_AUTHZ("host;x-amz-date", "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a89"
                                               "1fd03141be5d85"));
}

Test(sigv4_suite, get_space_path)
{
    /* the -unnormalized variant: S3 encodes once, "%20" not "%2520" */
    check_suite("GET", "/example space/", NULL, 0, NULL, 0, NULL,
                SUITE_AUTHZ("host;x-amz-date", "652487583200325589f1fba4c7e578f72c47cb61beeca81406"
                                               "b39ddec1366741"));
}

Test(sigv4_suite, get_unreserved_path)
{
    check_suite("GET", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", NULL,
                0, NULL, 0, NULL,
                SUITE_AUTHZ("host;x-amz-date", "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977"
                                               "f52a65bbf5f24f"));
}

Test(sigv4_suite, path_not_normalised)
{
    /* S3 keeps "//" and ".." as they are: the suite's -unnormalized vectors */
    check_suite("GET", "//example//", NULL, 0, NULL, 0, NULL,
                SUITE_AUTHZ("host;x-amz-date", "87cca117541a147f6df867677d98a7d80dff226d2bfca9e4ff"
                                               "a899665623c7e5"));
    check_suite("GET", "/example1/example2/../..", NULL, 0, NULL, 0, NULL,
                SUITE_AUTHZ("host;x-amz-date", "dc33e0856fd4baca4d7aa2146c38958283844764f38c74252a"
                                               "333df5e613003b"));
}

Test(sigv4_suite, get_header_key_duplicate)
{
    s3_sigv4_pair h[] = {{"My-Header1", "value2"}, {"My-Header1", "value2"},
                         {"My-Header1", "value1"}};
    check_suite("GET", "/", NULL, 0, h, 3, NULL,
                SUITE_AUTHZ("host;my-header1;x-amz-date", "c9d5ea9f3f72853aea855b47ea873832890dbd"
                                                          "d183b4468f858259531a5138ea"));
}

Test(sigv4_suite, get_header_value_trim)
{
    s3_sigv4_pair h[] = {{"My-Header1", " value1"}, {"My-Header2", " \"a   b   c\""}};
    check_suite("GET", "/", NULL, 0, h, 2, NULL,
                SUITE_AUTHZ("host;my-header1;my-header2;x-amz-date",
                            "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"));
}

Test(sigv4_suite, post_header_value_case)
{
    s3_sigv4_pair h[] = {{"My-Header1", "VALUE1"}};
    check_suite("POST", "/", NULL, 0, h, 1, NULL,
                SUITE_AUTHZ("host;my-header1;x-amz-date", "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7"
                                                          "c4e8ae67b53629efa58b974b7d"));
}

Test(sigv4_suite, post_vanilla_query)
{
    s3_sigv4_pair q[] = {{"Param1", "value1"}};
    check_suite("POST", "/", q, 1, NULL, 0, NULL,
                SUITE_AUTHZ("host;x-amz-date", "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271"
                                               "d420d138af7f11"));
}

Test(sigv4_suite, post_x_www_form_urlencoded)
{
    const char *body = "Param1=value1";
    char hash[65];
    cr_assert_eq(s3_sigv4_sha256_hex(body, strlen(body), hash), 0);
    s3_sigv4_pair h[] = {{"Content-Type", "application/x-www-form-urlencoded"}};
    check_suite("POST", "/", NULL, 0, h, 1, hash,
                SUITE_AUTHZ("content-type;host;x-amz-date", "ff11897932ad3f4e8b18135d722051e5ac45"
                                                            "fc38421b1da7b9d196a0fe09473a"));
}

/* ---- S3 documentation examples: examplebucket, 20130524T000000Z ---------- */

static const s3_sigv4_creds S3DOC = {"AKIAIOSFODNN7EXAMPLE",
                                     "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1", "s3"};
static const time_t S3DOC_TIME = 1369353600; /* 2013-05-24T00:00:00Z */
#define S3DOC_HOST "examplebucket.s3.amazonaws.com"

Test(sigv4_s3doc, get_object_range)
{
    s3_sigv4_pair h[] = {{"Range", "bytes=0-9"}};
    s3_sigv4_request r = {.method = "GET", .host = S3DOC_HOST, .path = "/test.txt", .headers = h,
                          .n_headers = 1, .sign_content_sha256 = 1};
    s3_sigv4_signed s;
    char err[256] = "";
    cr_assert_eq(s3_sigv4_sign_request(&S3DOC, &r, S3DOC_TIME, &s, err, sizeof err), 0, "%s", err);
    cr_expect_str_eq(s.canonical_request, "GET\n/test.txt\n\n"
                                          "host:examplebucket.s3.amazonaws.com\n"
                                          "range:bytes=0-9\n"
                                          "x-amz-content-sha256:" S3_SIGV4_EMPTY_SHA256 "\n"
                                          "x-amz-date:20130524T000000Z\n\n"
                                          "host;range;x-amz-content-sha256;x-amz-date\n"
                                          S3_SIGV4_EMPTY_SHA256);
    cr_expect_str_eq(s.string_to_sign,
                     "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
                     "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
    cr_expect_str_eq(s.authorization,
                     "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
                     "aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                     "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    cr_expect_str_eq(s.payload_hash, S3_SIGV4_EMPTY_SHA256);
    s3_sigv4_signed_free(&s);
}

Test(sigv4_s3doc, put_object)
{
    const char *body = "Welcome to Amazon S3.";
    char hash[65];
    cr_assert_eq(s3_sigv4_sha256_hex(body, strlen(body), hash), 0);
    cr_assert_str_eq(hash, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
    s3_sigv4_pair h[] = {{"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                         {"x-amz-storage-class", "REDUCED_REDUNDANCY"}};
    s3_sigv4_request r = {.method = "PUT", .host = S3DOC_HOST, .path = "/test$file.text",
                          .headers = h, .n_headers = 2, .payload_hash = hash,
                          .sign_content_sha256 = 1};
    s3_sigv4_signed s;
    char err[256] = "";
    cr_assert_eq(s3_sigv4_sign_request(&S3DOC, &r, S3DOC_TIME, &s, err, sizeof err), 0, "%s", err);
    cr_expect(strncmp(s.canonical_request, "PUT\n/test%24file.text\n\n", 23) == 0, "%s",
              s.canonical_request);
    cr_expect_str_eq(s.string_to_sign,
                     "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
                     "9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d");
    cr_expect_str_eq(s.authorization,
                     "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
                     "aws4_request, SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;"
                     "x-amz-storage-class, "
                     "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
    s3_sigv4_signed_free(&s);
}

Test(sigv4_s3doc, get_bucket_lifecycle_and_list)
{
    s3_sigv4_pair q1[] = {{"lifecycle", NULL}};
    s3_sigv4_request r = {.method = "GET", .host = S3DOC_HOST, .path = "/", .query = q1,
                          .n_query = 1, .sign_content_sha256 = 1};
    s3_sigv4_signed s;
    char err[256] = "";
    cr_assert_eq(s3_sigv4_sign_request(&S3DOC, &r, S3DOC_TIME, &s, err, sizeof err), 0, "%s", err);
    cr_expect_str_eq(s.signature,
                     "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
    s3_sigv4_signed_free(&s);

    s3_sigv4_pair q2[] = {{"prefix", "J"}, {"max-keys", "2"}};
    r.query = q2;
    r.n_query = 2;
    cr_assert_eq(s3_sigv4_sign_request(&S3DOC, &r, S3DOC_TIME, &s, err, sizeof err), 0, "%s", err);
    cr_expect_str_eq(s.signature,
                     "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
    s3_sigv4_signed_free(&s);
}

Test(sigv4_s3doc, presigned_get)
{
    s3_sigv4_request r = {.method = "GET", .host = S3DOC_HOST, .path = "/test.txt"};
    char err[256] = "";
    char *url = s3_sigv4_presign_url(&S3DOC, &r, "https", 86400, S3DOC_TIME, err, sizeof err);
    cr_assert_not_null(url, "%s", err);
    cr_expect_str_eq(url, "https://examplebucket.s3.amazonaws.com/test.txt"
                          "?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                          "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2F"
                          "aws4_request"
                          "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400"
                          "&X-Amz-SignedHeaders=host"
                          "&X-Amz-Signature="
                          "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
    free(url);
}

/* ---- encoding edge cases ------------------------------------------------ */

static void expect_encoded(const char *in, int keep_slash, const char *want)
{
    char *got = s3_sigv4_uri_encode(in, keep_slash);
    cr_assert_not_null(got);
    cr_expect_str_eq(got, want, "encoding \"%s\"", in);
    free(got);
}

Test(sigv4_encoding, uri_encode)
{
    expect_encoded("", 1, "");
    expect_encoded("-._~AZaz09", 0, "-._~AZaz09");
    expect_encoded("raw/abc/my file+1.webm", 1, "raw/abc/my%20file%2B1.webm");
    expect_encoded("raw/abc/my file+1.webm", 0, "raw%2Fabc%2Fmy%20file%2B1.webm");
    /* input is decoded: a literal '%' is encoded, never passed through */
    expect_encoded("100%25", 1, "100%2525");
    expect_encoded("caf\xc3\xa9 \xe2\x82\xac", 1, "caf%C3%A9%20%E2%82%AC");
    expect_encoded("*!'()$&,;=:@?#[]", 1, "%2A%21%27%28%29%24%26%2C%3B%3D%3A%40%3F%23%5B%5D");
    expect_encoded("a\tb\nc\x7f", 0, "a%09b%0Ac%7F");
}

Test(sigv4_encoding, query_sorted_by_encoded_name_then_value)
{
    /* uppercase before lowercase (byte order); empty and NULL values are
     * "name="; values are encoded with '/' as %2F and '+' as %2B */
    s3_sigv4_pair q[] = {{"b", "2"}, {"a", "x/y"}, {"B", NULL}, {"a", "x+y"},
                         {"a", ""},  {"a b", "c d"}};
    s3_sigv4_request r = {.method = "GET", .host = "h", .path = "/", .query = q, .n_query = 6};
    s3_sigv4_signed s;
    char err[256] = "";
    cr_assert_eq(s3_sigv4_sign_request(&SUITE, &r, SUITE_TIME, &s, err, sizeof err), 0, "%s", err);
    const char *want = "GET\n/\nB=&a=&a=x%2By&a=x%2Fy&a%20b=c%20d&b=2\nhost:h\n";
    cr_expect(strncmp(s.canonical_request, want, strlen(want)) == 0, "%s", s.canonical_request);
    s3_sigv4_signed_free(&s);
}

Test(sigv4_encoding, headers_lowercased_trimmed_sorted)
{
    s3_sigv4_pair h[] = {{"X-Amz-Meta-Z", "\t z  value\t\t two "}, {"Content-Type", "video/webm"},
                         {"x-amz-meta-a", ""}};
    s3_sigv4_request r = {.method = "PUT", .host = "127.0.0.1:59500", .path = "/b/k", .headers = h,
                          .n_headers = 3, .payload_hash = S3_SIGV4_UNSIGNED_PAYLOAD,
                          .sign_content_sha256 = 1};
    s3_sigv4_signed s;
    char err[256] = "";
    cr_assert_eq(s3_sigv4_sign_request(&SUITE, &r, SUITE_TIME, &s, err, sizeof err), 0, "%s", err);
    cr_expect_str_eq(s.canonical_request, "PUT\n/b/k\n\n"
                                          "content-type:video/webm\n"
                                          "host:127.0.0.1:59500\n"
                                          "x-amz-content-sha256:UNSIGNED-PAYLOAD\n"
                                          "x-amz-date:20150830T123600Z\n"
                                          "x-amz-meta-a:\n"
                                          "x-amz-meta-z:z value two\n\n"
                                          "content-type;host;x-amz-content-sha256;x-amz-date;"
                                          "x-amz-meta-a;x-amz-meta-z\n"
                                          "UNSIGNED-PAYLOAD");
    cr_expect_str_eq(s.payload_hash, "UNSIGNED-PAYLOAD");
    s3_sigv4_signed_free(&s);
}

Test(sigv4_encoding, rejects_bad_input)
{
    char err[256];
    s3_sigv4_signed s;
    s3_sigv4_pair crlf[] = {{"X-Evil", "a\r\nHost: other"}};
    s3_sigv4_pair host[] = {{"Host", "other"}};
    s3_sigv4_pair badname[] = {{"Bad Name", "v"}};
    s3_sigv4_request r = {.method = "GET", .host = "h", .path = "/", .headers = crlf,
                          .n_headers = 1};
    cr_expect_eq(s3_sigv4_sign_request(&SUITE, &r, SUITE_TIME, &s, err, sizeof err), -1);
    cr_expect(strstr(err, "X-Evil") != NULL, "%s", err);
    r.headers = host;
    cr_expect_eq(s3_sigv4_sign_request(&SUITE, &r, SUITE_TIME, &s, err, sizeof err), -1);
    cr_expect(strstr(err, "signer") != NULL, "%s", err);
    r.headers = badname;
    cr_expect_eq(s3_sigv4_sign_request(&SUITE, &r, SUITE_TIME, &s, err, sizeof err), -1);
    r.n_headers = 0;
    r.path = "no-slash";
    cr_expect_eq(s3_sigv4_sign_request(&SUITE, &r, SUITE_TIME, &s, err, sizeof err), -1);
    r.path = "/";
    r.payload_hash = "not a hash";
    cr_expect_eq(s3_sigv4_sign_request(&SUITE, &r, SUITE_TIME, &s, err, sizeof err), -1);
    r.payload_hash = NULL;
    s3_sigv4_creds nokey = SUITE;
    nokey.secret_key = "";
    cr_expect_eq(s3_sigv4_sign_request(&nokey, &r, SUITE_TIME, &s, err, sizeof err), -1);
    /* the signer's result struct is always safe to free */
    s3_sigv4_signed_free(&s);
}

Test(sigv4_encoding, amz_date_and_hashes)
{
    char d[17];
    cr_assert_eq(s3_sigv4_amz_date(0, d), 0);
    cr_expect_str_eq(d, "19700101T000000Z");
    cr_assert_eq(s3_sigv4_amz_date(951782400, d), 0); /* leap day 2000 */
    cr_expect_str_eq(d, "20000229T000000Z");

    char h[65];
    cr_assert_eq(s3_sigv4_sha256_hex("", 0, h), 0);
    cr_expect_str_eq(h, S3_SIGV4_EMPTY_SHA256);
    cr_assert_eq(s3_sigv4_sha256_hex("abc", 3, h), 0);
    cr_expect_str_eq(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

Test(sigv4_encoding, sha256_file_matches_buffer)
{
    /* more than one 64 KiB chunk, not a multiple of it */
    size_t n = 200 * 1000 + 7;
    unsigned char *buf = malloc(n);
    cr_assert_not_null(buf);
    for (size_t i = 0; i < n; i++)
        buf[i] = (unsigned char)(i * 31 + (i >> 8));
    FILE *f = tmpfile();
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(buf, 1, n, f), n);
    rewind(f);
    char want[65], got[65], err[256] = "";
    long long size = -1;
    cr_assert_eq(s3_sigv4_sha256_hex(buf, n, want), 0);
    cr_assert_eq(s3_sigv4_sha256_file(f, got, &size, err, sizeof err), 0, "%s", err);
    cr_expect_str_eq(got, want);
    cr_expect_eq(size, (long long)n);
    fclose(f);
    free(buf);
}

/* ---- presigned URLs for a custom endpoint --------------------------------- */

Test(sigv4_presign, custom_endpoint_with_port)
{
    static const s3_sigv4_creds c = {"isimaccess", "isimsecret", "us-east-1", "s3"};
    s3_sigv4_request r = {.method = "PUT", .host = "127.0.0.1:59500",
                          .path = "/isim/raw/iv 1/a+b \xc3\xa9.webm"};
    char err[256] = "";
    char *url = s3_sigv4_presign_url(&c, &r, "http", 900, S3DOC_TIME, err, sizeof err);
    cr_assert_not_null(url, "%s", err);
    const char *prefix = "http://127.0.0.1:59500/isim/raw/iv%201/a%2Bb%20%C3%A9.webm"
                         "?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                         "&X-Amz-Credential=isimaccess%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
                         "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=900"
                         "&X-Amz-SignedHeaders=host&X-Amz-Signature=";
    cr_assert(strncmp(url, prefix, strlen(prefix)) == 0, "%s", url);
    const char *sig = url + strlen(prefix);
    cr_expect_eq(strlen(sig), 64);
    cr_expect_eq(strspn(sig, "0123456789abcdef"), 64);

    /* the host:port is part of the signature */
    r.host = "127.0.0.1:59501";
    char *other = s3_sigv4_presign_url(&c, &r, "http", 900, S3DOC_TIME, err, sizeof err);
    cr_assert_not_null(other, "%s", err);
    cr_expect_str_neq(sig, other + strlen(prefix));
    free(other);
    free(url);
}

Test(sigv4_presign, extra_query_and_headers_are_signed)
{
    s3_sigv4_pair q[] = {{"response-content-type", "video/webm"}};
    s3_sigv4_pair h[] = {{"Content-Type", "video/webm"}};
    s3_sigv4_request r = {.method = "PUT", .host = S3DOC_HOST, .path = "/k", .query = q,
                          .n_query = 1, .headers = h, .n_headers = 1};
    char err[256] = "";
    char *url = s3_sigv4_presign_url(&S3DOC, &r, "https", 60, S3DOC_TIME, err, sizeof err);
    cr_assert_not_null(url, "%s", err);
    cr_expect(strstr(url, "&X-Amz-SignedHeaders=content-type%3Bhost&") != NULL, "%s", url);
    cr_expect(strstr(url, "&response-content-type=video%2Fwebm&X-Amz-Signature=") != NULL, "%s",
              url);
    free(url);
}

Test(sigv4_presign, rejects_bad_expiry_and_scheme)
{
    s3_sigv4_request r = {.method = "GET", .host = S3DOC_HOST, .path = "/k"};
    char err[256];
    cr_expect_null(s3_sigv4_presign_url(&S3DOC, &r, "https", 0, S3DOC_TIME, err, sizeof err));
    cr_expect_null(s3_sigv4_presign_url(&S3DOC, &r, "https", S3_SIGV4_MAX_EXPIRES + 1, S3DOC_TIME,
                                        err, sizeof err));
    cr_expect(strstr(err, "expiry") != NULL, "%s", err);
    cr_expect_null(s3_sigv4_presign_url(&S3DOC, &r, "ftp", 60, S3DOC_TIME, err, sizeof err));
    s3_sigv4_pair q[] = {{"X-Amz-Signature", "x"}};
    r.query = q;
    r.n_query = 1;
    cr_expect_null(s3_sigv4_presign_url(&S3DOC, &r, "https", 60, S3DOC_TIME, err, sizeof err));
    r.n_query = 0;
    char *url = s3_sigv4_presign_url(&S3DOC, &r, "https", S3_SIGV4_MAX_EXPIRES, S3DOC_TIME, err,
                                     sizeof err);
    cr_expect_not_null(url, "%s", err);
    free(url);
}

/* ---- S3 client, offline parts ------------------------------------------- */

static const s3_params PARAMS = {.endpoint = "http://127.0.0.1:59000",
                                 .public_endpoint = "https://media.example.org:8443/",
                                 .region = "us-east-1",
                                 .bucket = "isim",
                                 .access_key = "isimaccess",
                                 .secret_key = "isimsecret"};

Test(s3_client, new_checks_params)
{
    char err[256] = "";
    s3_params p = PARAMS;
    p.bucket = NULL;
    cr_expect_null(s3_client_new(&p, err, sizeof err));
    cr_expect(strstr(err, "bucket") != NULL, "%s", err);
    p = PARAMS;
    p.endpoint = "127.0.0.1:59000";
    cr_expect_null(s3_client_new(&p, err, sizeof err));
    cr_expect(strstr(err, "endpoint") != NULL, "%s", err);
    p = PARAMS;
    p.secret_key = "";
    cr_expect_null(s3_client_new(&p, err, sizeof err));
    s3_client_free(NULL);
}

Test(s3_client, presign_uses_public_endpoint)
{
    char err[256] = "";
    s3_client *c = s3_client_new(&PARAMS, err, sizeof err);
    cr_assert_not_null(c, "%s", err);
    char *url = s3_presign_put(c, "raw/iv1/answer 1.webm", 2048, 900, err, sizeof err);
    cr_assert_not_null(url, "%s", err);
    const char *prefix = "https://media.example.org:8443/isim/raw/iv1/answer%201.webm"
                         "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=isimaccess%2F";
    cr_expect(strncmp(url, prefix, strlen(prefix)) == 0, "%s", url);
    /* The size is signed: the URL stores only an object of 2048 bytes. */
    cr_expect(strstr(url, "&X-Amz-Expires=900&X-Amz-SignedHeaders=content-length%3Bhost&X-Amz-Signature=") != NULL,
              "%s", url);
    free(url);
    cr_expect_null(s3_presign_get(c, "", 900, err, sizeof err));
    cr_expect_null(s3_presign_get(c, "k", 0, err, sizeof err));
    s3_client_free(c);
}

/* A loopback port with nothing listening on it. */
static int closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

Test(s3_client, connection_refused_is_transient)
{
    char endpoint[64], err[512] = "";
    snprintf(endpoint, sizeof endpoint, "http://127.0.0.1:%d", closed_port());
    s3_params p = PARAMS;
    p.endpoint = endpoint;
    s3_client *c = s3_client_new(&p, err, sizeof err);
    cr_assert_not_null(c, "%s", err);
    long long size = 0;
    cr_expect_eq(s3_head(c, "raw/iv1/a.webm", &size, NULL, err, sizeof err), S3_ERR_TRANSIENT);
    cr_expect(strstr(err, "HEAD") && strstr(err, "raw/iv1/a.webm"), "%s", err);
    cr_expect_eq(s3_put_buffer(c, "k", "x", 1, NULL, err, sizeof err), S3_ERR_TRANSIENT);
    cr_expect_eq(s3_get_to_file(c, "k", "/tmp/isim-never-written", 0, err, sizeof err),
                 S3_ERR_TRANSIENT);
    cr_expect_eq(access("/tmp/isim-never-written", F_OK), -1);
    cr_expect_eq(s3_create_bucket(c, err, sizeof err), S3_ERR_TRANSIENT);
    /* bad input is a permanent error, found before any connection */
    cr_expect_eq(s3_delete(c, "", err, sizeof err), S3_ERR);
    cr_expect_eq(s3_put_file(c, "k", "/nonexistent/file", NULL, err, sizeof err), S3_ERR);
    cr_expect(strstr(err, "/nonexistent/file") != NULL, "%s", err);
    s3_client_free(c);
}

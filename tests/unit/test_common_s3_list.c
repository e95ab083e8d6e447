/* S3 listing: the ListObjectsV2 parser (keys, entities, truncation and
 * continuation tokens, empty pages, malformed documents) and s3_list_keys
 * against a small loopback HTTP server that answers canned pages, so the
 * pagination loop, the signed query and the answer-size bound are checked
 * without an S3 server. */
#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "s3_client.h"

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                      \
             "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
#define TAIL "</ListBucketResult>"
#define CONTENTS(key)                                                                             \
    "<Contents><Key>" key "</Key><LastModified>2024-05-01T10:00:00.000Z</LastModified>"           \
    "<ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag><Size>12</Size>"                   \
    "<Owner><ID>75aa57f0</ID><DisplayName>isim</DisplayName></Owner>"                            \
    "<StorageClass>STANDARD</StorageClass></Contents>"

/* Keys seen by the callback, in order; stops after stop_after keys (0: never). */
typedef struct seen {
    char *keys[16];
    size_t n, stop_after;
} seen;

static int collect(const char *key, void *ud)
{
    seen *s = ud;
    cr_assert_lt(s->n, 16);
    s->keys[s->n] = strdup(key);
    cr_assert_not_null(s->keys[s->n]);
    s->n++;
    return s->stop_after && s->n >= s->stop_after ? 7 : 0;
}

static void seen_free(seen *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->keys[i]);
    s->n = 0;
}

/* Parses doc; asserts the result code; returns the token (caller frees). */
static char *parse(const char *doc, int want_rc, seen *s, int *truncated, char *err,
                   size_t errlen)
{
    char *token = (char *)"unset";
    int rc = s3_list_parse(doc, strlen(doc), collect, s, truncated, &token, err, errlen);
    cr_assert_eq(rc, want_rc, "rc %d: %s\n%s", rc, err, doc);
    if (rc != S3_OK)
        cr_expect_null(token);
    return token;
}

Test(s3_list_parse, several_keys_in_order)
{
    char err[256] = "";
    seen s = {0};
    int truncated = -1;
    char *token = parse(HEAD "<Name>isim</Name><Prefix>media/iv1/</Prefix><KeyCount>3</KeyCount>"
                             "<MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>"
                             CONTENTS("media/iv1/audio.wav") CONTENTS("media/iv1/poster.jpg")
                             CONTENTS("media/iv1/unexpected/deep.bin") TAIL,
                        S3_OK, &s, &truncated, err, sizeof err);
    cr_expect_null(token);
    cr_expect_eq(truncated, 0);
    cr_assert_eq(s.n, 3);
    cr_expect_str_eq(s.keys[0], "media/iv1/audio.wav");
    cr_expect_str_eq(s.keys[1], "media/iv1/poster.jpg");
    cr_expect_str_eq(s.keys[2], "media/iv1/unexpected/deep.bin");
    seen_free(&s);
}

/* S3Proxy's filesystem backend: self-closing empty elements, raw quotes in
 * ETag, folders listed as keys ending in "/", a token that is a key. */
Test(s3_list_parse, s3proxy_shaped_answer)
{
    char err[256] = "";
    seen s = {0};
    int truncated = -1;
    char *token = parse("<?xml version='1.0' encoding='UTF-8'?><ListBucketResult "
                        "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>isim</Name>"
                        "<Prefix>media/iv1/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>"
                        "<ContinuationToken/><StartAfter/><IsTruncated>true</IsTruncated>"
                        "<NextContinuationToken>media/iv1/left behind/</NextContinuationToken>"
                        "<Contents><Key>media/iv1/a.wav</Key><ETag>\"9dd4e461\"</ETag><Size>1</Size>"
                        "</Contents><Contents><Key>media/iv1/left behind/</Key><Size>4096</Size>"
                        "<StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>",
                        S3_OK, &s, &truncated, err, sizeof err);
    cr_expect_eq(truncated, 1);
    cr_assert_not_null(token);
    cr_expect_str_eq(token, "media/iv1/left behind/");
    cr_assert_eq(s.n, 2);
    cr_expect_str_eq(s.keys[0], "media/iv1/a.wav");
    cr_expect_str_eq(s.keys[1], "media/iv1/left behind/");
    free(token);
    seen_free(&s);
}

Test(s3_list_parse, entities_are_decoded)
{
    char err[256] = "";
    seen s = {0};
    int truncated = -1;
    char *token = parse(HEAD "<IsTruncated>false</IsTruncated>"
                             CONTENTS("a&amp;b &lt;x&gt; &quot;q&quot; it&apos;s")
                             CONTENTS("&#65;&#x42;&#x6a;&#0067;") CONTENTS("caf&#xE9;-&#233;")
                             CONTENTS("&#x20AC;&#x1F600;") CONTENTS("&amp;amp;") TAIL,
                        S3_OK, &s, &truncated, err, sizeof err);
    cr_expect_null(token);
    cr_assert_eq(s.n, 5);
    cr_expect_str_eq(s.keys[0], "a&b <x> \"q\" it's");
    cr_expect_str_eq(s.keys[1], "ABjC");
    cr_expect_str_eq(s.keys[2], "caf\xc3\xa9-\xc3\xa9");
    cr_expect_str_eq(s.keys[3], "\xe2\x82\xac\xf0\x9f\x98\x80");
    cr_expect_str_eq(s.keys[4], "&amp;");
    seen_free(&s);
}

Test(s3_list_parse, truncated_with_continuation_token)
{
    char err[256] = "";
    seen s = {0};
    int truncated = -1;
    char *token = parse(HEAD "<Name>isim</Name><Prefix>raw/iv1/</Prefix><KeyCount>2</KeyCount>"
                             "<MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated>"
                             CONTENTS("raw/iv1/a") CONTENTS("raw/iv1/b")
                             "<ContinuationToken>older</ContinuationToken>"
                             "<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM="
                             "&amp;x</NextContinuationToken>" TAIL,
                        S3_OK, &s, &truncated, err, sizeof err);
    cr_expect_eq(truncated, 1);
    cr_assert_not_null(token);
    cr_expect_str_eq(token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=&x");
    cr_expect_eq(s.n, 2);
    free(token);
    seen_free(&s);
}

Test(s3_list_parse, empty_result)
{
    char err[256] = "";
    seen s = {0};
    int truncated = -1;
    char *token = parse(HEAD "<Name>isim</Name><Prefix>media/none/</Prefix><KeyCount>0</KeyCount>"
                             "<MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>" TAIL,
                        S3_OK, &s, &truncated, err, sizeof err);
    cr_expect_null(token);
    cr_expect_eq(truncated, 0);
    cr_expect_eq(s.n, 0);
    /* IsTruncated may be left out; no namespace, no prolog */
    token = parse("<ListBucketResult><Name>isim</Name></ListBucketResult>", S3_OK, &s, &truncated,
                  err, sizeof err);
    cr_expect_null(token);
    cr_expect_eq(truncated, 0);
    cr_expect_eq(s.n, 0);
}

Test(s3_list_parse, not_nul_terminated)
{
    char err[256] = "";
    seen s = {0};
    int truncated = -1;
    char *token = NULL;
    const char doc[] = HEAD CONTENTS("media/iv1/a&amp;") TAIL;
    size_t len = sizeof doc - 1;
    char *copy = malloc(len);
    cr_assert_not_null(copy);
    memcpy(copy, doc, len);
    cr_assert_eq(s3_list_parse(copy, len, collect, &s, &truncated, &token, err, sizeof err),
                 S3_OK, "%s", err);
    cr_assert_eq(s.n, 1);
    cr_expect_str_eq(s.keys[0], "media/iv1/a&");
    /* the same bytes cut short are no document */
    cr_expect_eq(s3_list_parse(copy, len - 1, collect, &s, &truncated, &token, err, sizeof err),
                 S3_ERR);
    free(copy);
    seen_free(&s);
}

Test(s3_list_parse, malformed_documents_are_errors)
{
    static const struct {
        const char *doc, *why;
    } bad[] = {
        {"", "ListBucketResult"},
        {"<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code></Error>", "ListBucketResult"},
        {HEAD "<IsTruncated>false</IsTruncated>" CONTENTS("a"), "ListBucketResult"},
        {"<ListBucketResults></ListBucketResults>", "ListBucketResult"},
        {"<ListBucketResult/>", "ListBucketResult"},
        {HEAD "<IsTruncated>maybe</IsTruncated>" TAIL, "IsTruncated"},
        {HEAD "<IsTruncated>false" TAIL, "IsTruncated"},
        {HEAD "<IsTruncated>true</IsTruncated>" CONTENTS("a") TAIL, "NextContinuationToken"},
        {HEAD "<IsTruncated>true</IsTruncated><NextContinuationToken></NextContinuationToken>" TAIL,
         "NextContinuationToken"},
        {HEAD "<IsTruncated>true</IsTruncated><NextContinuationToken>a&bogus;</NextContinuationToken>"
         TAIL, "entity"},
        {HEAD "<Contents><Size>1</Size></Contents>" TAIL, "<Key>"},
        {HEAD "<Contents><Key>a</Key>" TAIL, "<Key>"},
        {HEAD "<Contents><Key>a</Contents>" TAIL, "<Key>"},
        {HEAD "<Contents><Key></Key></Contents>" TAIL, "<Key>"},
        {HEAD "<Contents><Key>a<b/></Key></Contents>" TAIL, "markup"},
        {HEAD CONTENTS("a & b") TAIL, "entity"},
        {HEAD CONTENTS("a&amp") TAIL, "entity"},
        {HEAD CONTENTS("&nbsp;") TAIL, "entity"},
        {HEAD CONTENTS("&#;") TAIL, "entity"},
        {HEAD CONTENTS("&#x;") TAIL, "entity"},
        {HEAD CONTENTS("&#0;") TAIL, "entity"},
        {HEAD CONTENTS("&#xD800;") TAIL, "entity"},
        {HEAD CONTENTS("&#x110000;") TAIL, "entity"},
        {HEAD CONTENTS("&#99999999999999999999;") TAIL, "entity"},
        {HEAD CONTENTS("&#X41;") TAIL, "entity"},
        {HEAD CONTENTS("&#12a;") TAIL, "entity"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char err[256] = "";
        seen s = {0};
        int truncated = -1;
        parse(bad[i].doc, S3_ERR, &s, &truncated, err, sizeof err);
        cr_expect(strstr(err, "list objects: ") == err, "%zu: %s", i, err);
        cr_expect(strstr(err, bad[i].why) != NULL, "%zu: want \"%s\" in: %s", i, bad[i].why, err);
        cr_expect_eq(truncated, 0, "%zu", i);
        seen_free(&s);
    }
}

Test(s3_list_parse, callback_stops_the_listing)
{
    char err[256] = "";
    seen s = {.stop_after = 2};
    int truncated = -1;
    parse(HEAD CONTENTS("a") CONTENTS("b") CONTENTS("c") TAIL, S3_ERR, &s, &truncated, err,
          sizeof err);
    cr_expect_eq(s.n, 2);
    cr_expect(strstr(err, "stopped at key \"b\"") != NULL, "%s", err);
    seen_free(&s);
    char *token = NULL;
    cr_expect_eq(s3_list_parse(HEAD TAIL, 0, NULL, NULL, &truncated, &token, err, sizeof err),
                 S3_ERR);
}

Test(s3_xml_unescape, text_and_errors)
{
    char err[256] = "", *out = NULL;
    cr_assert_eq(s3_xml_unescape("plain/key.txt", 13, &out, err, sizeof err), S3_OK, "%s", err);
    cr_expect_str_eq(out, "plain/key.txt");
    free(out);
    cr_assert_eq(s3_xml_unescape("", 0, &out, err, sizeof err), S3_OK, "%s", err);
    cr_expect_str_eq(out, "");
    free(out);
    /* only len bytes count: the entity after them is not read */
    cr_assert_eq(s3_xml_unescape("x&lt;&amp;", 5, &out, err, sizeof err), S3_OK, "%s", err);
    cr_expect_str_eq(out, "x<");
    free(out);
    cr_expect_eq(s3_xml_unescape("x&lt", 4, &out, err, sizeof err), S3_ERR);
    cr_expect_null(out);
    cr_expect(strstr(err, "\"&lt\"") != NULL, "%s", err);
    cr_expect_eq(s3_xml_unescape("a\0b", 3, &out, err, sizeof err), S3_ERR);
    cr_expect(strstr(err, "NUL") != NULL, "%s", err);
    cr_expect_null(out);
}

/* ---- s3_list_keys against a loopback server ------------------------------ */

#define MAX_REQ 4

/* Answers up to n requests (one connection after another, keep-alive
 * honoured) with the given raw HTTP responses; keeps each request line. */
typedef struct fake_s3 {
    int listen_fd, port;
    const char *answers[MAX_REQ];
    size_t n;
    char lines[MAX_REQ][512];
    int authorized[MAX_REQ];
    size_t served;
    pthread_t thread;
} fake_s3;

/* Reads one request's headers from fd into buf; 0, -1 at EOF. */
static int read_request(int fd, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    while (!strstr(buf, "\r\n\r\n")) {
        if (len + 1 >= cap)
            return -1;
        ssize_t r = read(fd, buf + len, cap - len - 1);
        if (r <= 0)
            return -1;
        len += (size_t)r;
        buf[len] = '\0';
    }
    return 0;
}

static void *fake_s3_run(void *ud)
{
    fake_s3 *f = ud;
    static char req[16384];
    while (f->served < f->n) {
        int fd = accept(f->listen_fd, NULL, NULL);
        if (fd < 0)
            break;
        while (f->served < f->n && read_request(fd, req, sizeof req) == 0) {
            size_t i = f->served++;
            snprintf(f->lines[i], sizeof f->lines[i], "%.*s", (int)strcspn(req, "\r"), req);
            f->authorized[i] = strstr(req, "\r\nAuthorization: AWS4-HMAC-SHA256 Credential=") &&
                               strstr(req, "\r\nx-amz-content-sha256: ");
            const char *a = f->answers[i];
            size_t len = strlen(a);
            if (write(fd, a, len) != (ssize_t)len)
                break;
        }
        close(fd);
    }
    return NULL;
}

static void fake_s3_start(fake_s3 *f)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    f->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert(f->listen_fd >= 0);
    cr_assert_eq(bind(f->listen_fd, (struct sockaddr *)&a, sizeof a), 0);
    cr_assert_eq(getsockname(f->listen_fd, (struct sockaddr *)&a, &len), 0);
    cr_assert_eq(listen(f->listen_fd, 4), 0);
    f->port = ntohs(a.sin_port);
    cr_assert_eq(pthread_create(&f->thread, NULL, fake_s3_run, f), 0);
}

/* After the client is freed: its kept-alive connection must be closed. */
static void fake_s3_stop(fake_s3 *f)
{
    shutdown(f->listen_fd, SHUT_RDWR);
    close(f->listen_fd);
    pthread_join(f->thread, NULL);
}

/* An HTTP answer with body (static buffer, one of 4 rotating). */
static const char *answer(const char *status, const char *body)
{
    static char bufs[4][4096];
    static int next;
    char *b = bufs[next++ % 4];
    snprintf(b, sizeof bufs[0],
             "HTTP/1.1 %s\r\nContent-Type: application/xml\r\nContent-Length: %zu\r\n\r\n%s",
             status, strlen(body), body);
    return b;
}

static const char *ok(const char *body) { return answer("200 OK", body); }

static s3_client *client_for(const fake_s3 *f)
{
    char endpoint[64], err[256] = "";
    snprintf(endpoint, sizeof endpoint, "http://127.0.0.1:%d", f->port);
    s3_params p = {.endpoint = endpoint, .region = "us-east-1", .bucket = "isim",
                   .access_key = "isimaccess", .secret_key = "isimsecret"};
    s3_client *c = s3_client_new(&p, err, sizeof err);
    cr_assert_not_null(c, "%s", err);
    return c;
}

Test(s3_list_keys, follows_continuation_tokens)
{
    fake_s3 f = {.n = 3};
    f.answers[0] = ok(HEAD "<IsTruncated>true</IsTruncated>" CONTENTS("media/iv 1/a")
                      "<NextContinuationToken>tok+1/=&amp;</NextContinuationToken>" TAIL);
    f.answers[1] = ok(HEAD "<IsTruncated>true</IsTruncated>" CONTENTS("media/iv 1/b&amp;c")
                      CONTENTS("media/iv 1/d") "<NextContinuationToken>tok2</NextContinuationToken>" TAIL);
    f.answers[2] = ok(HEAD "<KeyCount>0</KeyCount><IsTruncated>false</IsTruncated>" TAIL);
    fake_s3_start(&f);
    s3_client *c = client_for(&f);
    char err[512] = "";
    seen s = {0};
    cr_expect_eq(s3_list_keys(c, "media/iv 1/", collect, &s, err, sizeof err), S3_OK, "%s", err);
    s3_client_free(c);
    fake_s3_stop(&f);
    cr_assert_eq(s.n, 3);
    cr_expect_str_eq(s.keys[0], "media/iv 1/a");
    cr_expect_str_eq(s.keys[1], "media/iv 1/b&c");
    cr_expect_str_eq(s.keys[2], "media/iv 1/d");
    cr_assert_eq(f.served, 3);
    cr_expect_str_eq(f.lines[0], "GET /isim?list-type=2&prefix=media%2Fiv%201%2F HTTP/1.1");
    cr_expect_str_eq(f.lines[1], "GET /isim?continuation-token=tok%2B1%2F%3D%26&list-type=2"
                                 "&prefix=media%2Fiv%201%2F HTTP/1.1");
    cr_expect_str_eq(f.lines[2], "GET /isim?continuation-token=tok2&list-type=2"
                                 "&prefix=media%2Fiv%201%2F HTTP/1.1");
    for (int i = 0; i < 3; i++)
        cr_expect(f.authorized[i], "request %d not signed", i);
    seen_free(&s);
}

Test(s3_list_keys, failures_keep_their_class)
{
    fake_s3 f = {.n = 3};
    f.answers[0] = answer("404 Not Found", "<Error><Code>NoSuchBucket</Code><Message>x</Message></Error>");
    f.answers[1] = answer("503 Slow Down", "");
    f.answers[2] = ok("<Error><Code>Odd</Code></Error>");
    fake_s3_start(&f);
    s3_client *c = client_for(&f);
    char err[512] = "";
    seen s = {0};
    cr_expect_eq(s3_list_keys(c, "raw/iv1/", collect, &s, err, sizeof err), S3_NOT_FOUND);
    cr_expect(strstr(err, "NoSuchBucket") != NULL, "%s", err);
    cr_expect_eq(s3_list_keys(c, "raw/iv1/", collect, &s, err, sizeof err), S3_ERR_TRANSIENT);
    cr_expect_eq(s3_list_keys(c, "raw/iv1/", collect, &s, err, sizeof err), S3_ERR);
    cr_expect(strstr(err, "ListBucketResult") && strstr(err, "raw/iv1/"), "%s", err);
    /* bad input is refused before any request */
    cr_expect_eq(s3_list_keys(c, NULL, collect, &s, err, sizeof err), S3_ERR);
    cr_expect_eq(s3_list_keys(c, "raw/", NULL, NULL, err, sizeof err), S3_ERR);
    s3_client_free(c);
    fake_s3_stop(&f);
    cr_expect_eq(f.served, 3);
    cr_expect_eq(s.n, 0);
}

Test(s3_list_keys, repeated_token_is_an_error)
{
    fake_s3 f = {.n = 2};
    const char *page = ok(HEAD "<IsTruncated>true</IsTruncated>" CONTENTS("raw/iv1/a")
                          "<NextContinuationToken>same</NextContinuationToken>" TAIL);
    f.answers[0] = f.answers[1] = page;
    fake_s3_start(&f);
    s3_client *c = client_for(&f);
    char err[512] = "";
    seen s = {0};
    cr_expect_eq(s3_list_keys(c, "raw/iv1/", collect, &s, err, sizeof err), S3_ERR);
    cr_expect(strstr(err, "repeats the continuation token") != NULL, "%s", err);
    s3_client_free(c);
    fake_s3_stop(&f);
    cr_expect_eq(s.n, 2);
    seen_free(&s);
}

Test(s3_list_keys, answer_size_is_bounded)
{
    char big[256];
    snprintf(big, sizeof big,
             "HTTP/1.1 200 OK\r\nContent-Length: %ld\r\n\r\n" HEAD "<IsTruncated>false</IsTruncated>",
             S3_LIST_PAGE_MAX + 1);
    fake_s3 f = {.n = 1};
    f.answers[0] = big;
    fake_s3_start(&f);
    s3_client *c = client_for(&f);
    char err[512] = "";
    seen s = {0};
    cr_expect_eq(s3_list_keys(c, "raw/iv1/", collect, &s, err, sizeof err), S3_ERR);
    cr_expect(strstr(err, "larger than the limit") != NULL, "%s", err);
    s3_client_free(c);
    fake_s3_stop(&f);
    cr_expect_eq(s.n, 0);
}

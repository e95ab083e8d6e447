/* Storage errors as a stage sees them, against a small HTTP server that
 * answers like an S3 store in trouble: 5xx and 429 are transient (the worker
 * retries with backoff), a missing object and a refusal fail at once, and
 * what a candidate reads never carries the store's address or status. */
#include <civetweb.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "health_http.h"
#include "stage_io.h"

static struct mg_context *fake;
static int fake_port;
static int fake_calls;

/* /isim/media/<id>/<status>: answers that status (200 with a body). */
static int fake_s3(struct mg_connection *conn, void *cb)
{
    (void)cb;
    const struct mg_request_info *ri = mg_get_request_info(conn);
    const char *last = strrchr(ri->local_uri, '/');
    int status = last ? atoi(last + 1) : 500;
    fake_calls++;
    const char *body = status == 200 ? "recording" : "<Error><Code>Trouble</Code></Error>";
    /* health_http's writer: linking it also brings its civetweb thread-stack
     * floor, which ASan's larger frames need. */
    http_send(conn, status, "application/xml", body, strlen(body), NULL);
    return status;
}

static void fake_start(void)
{
    char ports[16];
    fake_port = 37000 + (int)(getpid() % 1000);
    snprintf(ports, sizeof(ports), "%d", fake_port);
    const char *options[] = {"listening_ports", ports, "num_threads", "2", NULL};
    mg_init_library(0);
    fake = mg_start(NULL, NULL, options);
    cr_assert_not_null(fake, "cannot listen on %d", fake_port);
    mg_set_request_handler(fake, "/", fake_s3, NULL);
}

static void fake_stop(void)
{
    mg_stop(fake);
    mg_exit_library();
}

TestSuite(stage_io, .init = fake_start, .fini = fake_stop, .timeout = 60);

static kw_result download(int status, char *err, size_t errlen)
{
    char endpoint[64], key[96];
    snprintf(endpoint, sizeof(endpoint), "http://127.0.0.1:%d", fake_port);
    snprintf(key, sizeof(key), "media/0b6f3b0e-8c1e-4c5e-9a55-3e1c0d5e2f10/%d", status);
    s3_params p = {.endpoint = endpoint, .region = "us-east-1", .bucket = "isim", .access_key = "a",
                   .secret_key = "s"};
    service_ctx ctx = {0};
    ctx.s3 = s3_client_new(&p, err, errlen);
    cr_assert_not_null(ctx.s3, "%s", err);
    err[0] = '\0';
    kw_result r = stage_download(&ctx, key, "/tmp/isim-stage-io-test.bin", 1 << 20, "recording", err, errlen);
    s3_client_free(ctx.s3);
    unlink("/tmp/isim-stage-io-test.bin");
    return r;
}

Test(stage_io, a_store_answering_5xx_or_429_is_retried)
{
    const int transient[] = {500, 502, 503, 504, 429};
    for (size_t i = 0; i < sizeof(transient) / sizeof(transient[0]); i++) {
        char err[512];
        cr_assert_eq(download(transient[i], err, sizeof(err)), KW_RETRY, "HTTP %d", transient[i]);
        cr_assert(strstr(err, "could not be reached"), "%d: %s", transient[i], err);
        cr_assert_null(strstr(err, "127.0.0.1"), "no address for the candidate: %s", err);
    }
}

Test(stage_io, a_missing_object_fails_at_once)
{
    char err[512];
    cr_assert_eq(download(404, err, sizeof(err)), KW_FAIL);
    cr_assert_str_eq(err, "The recording could not be found in storage; please upload it again.");
}

Test(stage_io, a_refusal_fails_at_once_in_plain_words)
{
    char err[512];
    cr_assert_eq(download(403, err, sizeof(err)), KW_FAIL);
    cr_assert_str_eq(err, "The recording could not be read from our storage; please try again later.");
}

Test(stage_io, a_good_answer_is_stored)
{
    char err[512];
    cr_assert_eq(download(200, err, sizeof(err)), KW_OK, "%s", err);
}

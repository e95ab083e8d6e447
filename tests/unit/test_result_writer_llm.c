/* The AI review against a local server that implements the chat-completions
 * contract (a small HTTP server in the test process): a valid answer is checked and
 * attached with the words of each cited span; invalid answers are retried;
 * a slow or failing server leaves the rule-based report standing within the
 * timeout. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "llm_review.h"

typedef enum { SRV_GOOD, SRV_BAD_THEN_GOOD, SRV_SLOW, SRV_ERROR, SRV_FENCED, SRV_MIXED } srv_mode;

/* A minimal HTTP/1.1 server on a loopback port: one connection at a time,
 * "Connection: close" on every answer; enough for the contract. (civetweb's
 * worker threads overflow their stacks under AddressSanitizer.) */
static int listen_fd = -1, port;
static pthread_t srv_thread;
static srv_mode mode;
static int requests;
static char last_auth[256];
static char last_body[65536];

static const char *const GOOD =
    "{\"strengths\":[{\"claim\":\"You named a number\",\"spans\":[{\"start\":2.0,\"end\":2.9}]}],"
    "\"improvements\":[{\"claim\":\"Say what you did first\",\"spans\":[{\"start\":0.0,\"end\":0.9}]}],"
    "\"outline\":[\"Situation\",\"Action\",\"Result with numbers\"]}";
/* cites 30 s, where nothing was said */
static const char *const BAD_SPAN =
    "{\"strengths\":[{\"claim\":\"Invented\",\"spans\":[{\"start\":30,\"end\":31}]}],"
    "\"improvements\":[],\"outline\":[]}";
/* one grounded claim and one citing 30 s, as a small model answers */
static const char *const MIXED =
    "{\"strengths\":[{\"claim\":\"You named a number\",\"spans\":[{\"start\":2.0,\"end\":2.9}]},"
    "{\"claim\":\"Invented\",\"spans\":[{\"start\":30,\"end\":31}]}],"
    "\"improvements\":[],\"outline\":[\"Situation\"]}";

static void srv_reply(int fd, int status, const char *body)
{
    char head[256];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n",
                     status, status == 200 ? "OK" : "Error", strlen(body));
    if (write(fd, head, (size_t)n) < 0 || write(fd, body, strlen(body)) < 0)
        return;
}

/* Reads headers and a Content-Length body into req; returns the body. */
static char *srv_read(int fd, char *req, size_t cap)
{
    size_t len = 0;
    char *body = NULL;
    long want = -1;
    while (len + 1 < cap) {
        ssize_t n = read(fd, req + len, cap - 1 - len);
        if (n <= 0)
            break;
        len += (size_t)n;
        req[len] = '\0';
        if (!body && (body = strstr(req, "\r\n\r\n"))) {
            body += 4;
            const char *cl = strcasestr(req, "Content-Length:");
            want = cl ? atol(cl + 15) : 0;
        }
        if (body && (long)(req + len - body) >= want)
            break;
    }
    return body;
}

static void srv_handle(int fd)
{
    static char req[70000];
    char *body = srv_read(fd, req, sizeof req);
    int seq = ++requests;
    const char *auth = strcasestr(req, "Authorization: ");
    last_auth[0] = '\0';
    if (auth)
        sscanf(auth + 15, "%255[^\r]", last_auth);
    snprintf(last_body, sizeof last_body, "%s", body ? body : "");
    if (strncmp(req, "POST /v1/chat/completions ", 26) != 0) {
        srv_reply(fd, 404, "{}");
        return;
    }
    if (mode == SRV_SLOW)
        sleep(2);
    if (mode == SRV_ERROR) {
        srv_reply(fd, 503, "{\"error\":\"overloaded\"}");
        return;
    }
    const char *content = mode == SRV_BAD_THEN_GOOD && seq == 1 ? BAD_SPAN : mode == SRV_MIXED ? MIXED : GOOD;
    char fenced[2048];
    if (mode == SRV_FENCED) {
        snprintf(fenced, sizeof fenced, "Here is the review:\n```json\n%s\n```", GOOD);
        content = fenced;
    }
    json_t *resp = json_pack("{s:s, s:[{s:i, s:{s:s, s:s}}]}", "object", "chat.completion", "choices",
                             "index", 0, "message", "role", "assistant", "content", content);
    char *text = json_dumps(resp, JSON_COMPACT);
    srv_reply(fd, 200, text);
    free(text);
    json_decref(resp);
}

static void *srv_loop(void *arg)
{
    (void)arg;
    for (;;) {
        int fd = accept(listen_fd, NULL, NULL);
        if (fd < 0)
            return NULL; /* closed by srv_stop */
        srv_handle(fd);
        close(fd);
    }
}

static void srv_start(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    socklen_t alen = sizeof a;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    signal(SIGPIPE, SIG_IGN); /* the client may hang up first (timeout test) */
    listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert_geq(listen_fd, 0);
    cr_assert_eq(bind(listen_fd, (struct sockaddr *)&a, sizeof a), 0);
    cr_assert_eq(listen(listen_fd, 8), 0);
    cr_assert_eq(getsockname(listen_fd, (struct sockaddr *)&a, &alen), 0);
    port = ntohs(a.sin_port);
    requests = 0;
    cr_assert_eq(pthread_create(&srv_thread, NULL, srv_loop, NULL), 0);
}

static void srv_stop(void)
{
    shutdown(listen_fd, SHUT_RDWR);
    close(listen_fd);
    pthread_join(srv_thread, NULL);
}

TestSuite(llm, .init = srv_start, .fini = srv_stop);

/* "we cut costs by forty percent" at 0.5 s a word. */
static json_t *report_fixture(void)
{
    static const char *const W[] = {"we", "cut", "costs", "by", "forty", "percent"};
    json_t *words = json_array();
    for (int i = 0; i < 6; i++)
        json_array_append_new(words, json_pack("{s:s, s:f, s:f}", "word", W[i], "start", 0.5 * i, "end",
                                               0.5 * i + 0.4));
    return json_pack("{s:s, s:{s:o}, s:n}", "question", "Tell me about a result you are proud of.",
                     "transcript", "words", words, "ai_review");
}

static llm_opts opts_for(int timeout_s, int retries)
{
    static char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/v1", port);
    return (llm_opts){.url = url, .model = "test-model", .api_key = "sekret", .timeout_s = timeout_s,
                      .retries = retries};
}

Test(llm, valid_review_attached_with_span_words)
{
    mode = SRV_GOOD;
    llm_opts o = opts_for(5, 1);
    json_t *r = report_fixture();
    llm_review_attach(&o, r);
    const json_t *ai = json_object_get(r, "ai_review");
    cr_assert_str_eq(json_string_value(json_object_get(ai, "status")), "ok");
    cr_assert_eq(json_integer_value(json_object_get(ai, "attempts")), 1);
    const json_t *span = json_array_get(json_object_get(json_array_get(json_object_get(ai, "strengths"), 0),
                                                        "spans"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(span, "words")), "forty percent");
    cr_assert_eq(json_array_size(json_object_get(ai, "outline")), 3);
    /* the request followed the contract */
    cr_assert_str_eq(last_auth, "Bearer sekret");
    json_t *body = json_loads(last_body, 0, NULL);
    cr_assert_not_null(body, "request body is not JSON: %s", last_body);
    cr_assert_str_eq(json_string_value(json_object_get(body, "model")), "test-model");
    const char *user = json_string_value(json_object_get(json_array_get(json_object_get(body, "messages"), 1),
                                                         "content"));
    cr_assert(strstr(user, "2.00 forty"), "%s", user);
    /* bounded output: a local server does not stop generating when we time out */
    const json_t *max_tokens = json_object_get(body, "max_tokens");
    cr_assert(json_is_integer(max_tokens) && json_integer_value(max_tokens) >= 512 &&
              json_integer_value(max_tokens) <= 2048, "max_tokens missing or unbounded");
    json_decref(body);
    json_decref(r);
}

Test(llm, claim_citing_no_words_is_retried)
{
    mode = SRV_BAD_THEN_GOOD;
    llm_opts o = opts_for(5, 1);
    json_t *r = report_fixture();
    llm_review_attach(&o, r);
    const json_t *ai = json_object_get(r, "ai_review");
    cr_assert_str_eq(json_string_value(json_object_get(ai, "status")), "ok");
    cr_assert_eq(json_integer_value(json_object_get(ai, "attempts")), 2);
    cr_assert_eq(requests, 2);
    json_decref(r);
}

Test(llm, invalid_review_without_retries_falls_back)
{
    mode = SRV_BAD_THEN_GOOD;
    llm_opts o = opts_for(5, 0);
    json_t *r = report_fixture();
    llm_review_attach(&o, r);
    const json_t *ai = json_object_get(r, "ai_review");
    cr_assert_str_eq(json_string_value(json_object_get(ai, "status")), "unavailable");
    cr_assert(strstr(json_string_value(json_object_get(ai, "reason")), "outside the answer"),
              "%s", json_string_value(json_object_get(ai, "reason")));
    json_decref(r);
}

Test(llm, code_fenced_json_accepted)
{
    mode = SRV_FENCED;
    llm_opts o = opts_for(5, 0);
    json_t *r = report_fixture();
    llm_review_attach(&o, r);
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(r, "ai_review"), "status")), "ok");
    json_decref(r);
}

Test(llm, slow_server_bounded_by_timeout)
{
    mode = SRV_SLOW;
    llm_opts o = opts_for(1, 3);
    json_t *r = report_fixture();
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    llm_review_attach(&o, r);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double took = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    const json_t *ai = json_object_get(r, "ai_review");
    cr_assert_str_eq(json_string_value(json_object_get(ai, "status")), "unavailable");
    cr_assert(strstr(json_string_value(json_object_get(ai, "reason")), "Timeout") ||
              strstr(json_string_value(json_object_get(ai, "reason")), "timed out"),
              "%s", json_string_value(json_object_get(ai, "reason")));
    /* the whole budget is 1 s whatever the retries: the contract, not a speed claim */
    cr_assert_lt(took, 2.5, "took %.2f s", took);
    json_decref(r);
}

Test(llm, server_error_retried_then_falls_back)
{
    mode = SRV_ERROR;
    llm_opts o = opts_for(5, 2);
    json_t *r = report_fixture();
    llm_review_attach(&o, r);
    const json_t *ai = json_object_get(r, "ai_review");
    cr_assert_str_eq(json_string_value(json_object_get(ai, "status")), "unavailable");
    cr_assert(strstr(json_string_value(json_object_get(ai, "reason")), "503"));
    cr_assert_eq(json_integer_value(json_object_get(ai, "attempts")), 3);
    cr_assert_eq(requests, 3);
    json_decref(r);
}

Test(llm, off_without_url)
{
    llm_opts o = {.url = "", .timeout_s = 5};
    json_t *r = report_fixture();
    llm_review_attach(&o, r);
    cr_assert(json_is_null(json_object_get(r, "ai_review")));
    cr_assert_eq(requests, 0);
    json_decref(r);
}

Test(llm, validate_rejects_bad_shapes)
{
    json_t *r = report_fixture();
    const json_t *words = json_object_get(json_object_get(r, "transcript"), "words");
    char err[256];
    static const char *const bad[][2] = {
        {"[]", "not a JSON object"},
        {"{\"strengths\":[{\"claim\":\"x\",\"spans\":[]}],\"improvements\":[],\"outline\":[]}", "at least one span"},
        {"{\"strengths\":[],\"improvements\":[{\"claim\":\"x\",\"spans\":[{\"start\":2,\"end\":1}]}],\"outline\":[]}",
         "start <= end"},
        {"{\"strengths\":[],\"improvements\":[],\"outline\":[3]}", "outline[0]"},
        {"{\"improvements\":[],\"outline\":[]}", "strengths must be an array"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *v = json_loads(bad[i][0], JSON_DECODE_ANY, NULL);
        cr_assert_eq(llm_review_validate(v, words, err, sizeof err), -1, "accepted %s", bad[i][0]);
        cr_assert(strstr(err, bad[i][1]), "'%s' lacks '%s'", err, bad[i][1]);
        json_decref(v);
    }
    json_decref(r);
}

/* A claim is shown only when tied to what was said: a span that covers words
 * but reaches past the answer (here to 9999 s of a 2.9 s answer) is not, and
 * the claim is dropped while the grounded ones stay. */
Test(llm, claim_reaching_outside_answer_dropped)
{
    json_t *r = report_fixture();
    const json_t *words = json_object_get(json_object_get(r, "transcript"), "words");
    char err[256] = "";
    json_t *v = json_loads("{\"strengths\":[{\"claim\":\"Whole answer\",\"spans\":[{\"start\":0,\"end\":9999}]},"
                           "{\"claim\":\"A number\",\"spans\":[{\"start\":2.0,\"end\":2.9}]}],"
                           "\"improvements\":[{\"claim\":\"Before\",\"spans\":[{\"start\":-60,\"end\":0.4}]}],"
                           "\"outline\":[]}",
                           0, NULL);
    cr_assert_eq(llm_review_validate(v, words, err, sizeof err), 0, "%s", err);
    const json_t *strengths = json_object_get(v, "strengths");
    cr_assert_eq(json_array_size(strengths), 1);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(strengths, 0), "claim")), "A number");
    cr_assert_eq(json_array_size(json_object_get(v, "improvements")), 0);
    cr_assert_eq(json_integer_value(json_object_get(v, "dropped_claims")), 2);
    json_decref(v);
    json_decref(r);
}

/* One invented span no longer costs the whole review: the grounded claim is
 * shown after the first answer, the invented one is not. */
Test(llm, ungrounded_claim_dropped_rest_shown)
{
    mode = SRV_MIXED;
    llm_opts o = opts_for(5, 1);
    json_t *r = report_fixture();
    llm_review_attach(&o, r);
    const json_t *ai = json_object_get(r, "ai_review");
    cr_assert_str_eq(json_string_value(json_object_get(ai, "status")), "ok");
    cr_assert_eq(json_integer_value(json_object_get(ai, "attempts")), 1);
    const json_t *strengths = json_object_get(ai, "strengths");
    cr_assert_eq(json_array_size(strengths), 1);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(strengths, 0), "claim")),
                     "You named a number");
    cr_assert_eq(json_integer_value(json_object_get(ai, "dropped_claims")), 1);
    json_decref(r);
}

/* What SmolLM2-135M answered on a bench answer (bench/llm): the prompt's "..."
 * copied as a claim, and fields of its own, one a link to an image
 * elsewhere. The placeholder is no claim, and nothing but the review's own
 * fields reaches the report. */
Test(llm, placeholder_claims_and_extra_fields_removed)
{
    json_t *r = report_fixture();
    const json_t *words = json_object_get(json_object_get(r, "transcript"), "words");
    char err[256] = "";
    json_t *v = json_loads("{\"strengths\":[{\"claim\":\"...\",\"spans\":[{\"start\":1,\"end\":2}]},"
                           "{\"claim\":\"A number\",\"tone\":\"x\",\"spans\":[{\"start\":2.0,\"end\":2.9,\"url\":\"u\"}]}],"
                           "\"improvements\":[],\"outline\":[\"Result first\"],"
                           "\"suggestion\":{\"image_url\":\"https://example.invalid/a.jpg\"},\"status\":\"x\"}",
                           0, NULL);
    cr_assert_eq(llm_review_validate(v, words, err, sizeof err), 0, "%s", err);
    const json_t *strengths = json_object_get(v, "strengths");
    cr_assert_eq(json_array_size(strengths), 1);
    const json_t *c = json_array_get(strengths, 0);
    cr_assert_str_eq(json_string_value(json_object_get(c, "claim")), "A number");
    cr_assert_eq(json_object_size(c), 2, "claim keeps only claim and spans");
    cr_assert_eq(json_object_size(json_array_get(json_object_get(c, "spans"), 0)), 3, "span keeps start, end, words");
    cr_assert_null(json_object_get(v, "suggestion"));
    cr_assert_null(json_object_get(v, "status"));
    cr_assert_eq(json_integer_value(json_object_get(v, "dropped_claims")), 1);
    json_decref(v);
    json_decref(r);
}

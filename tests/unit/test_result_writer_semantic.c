/* Semantic relevance without the model: the answer split into sentences
 * (punctuation, pauses, a length cap), the measure on vectors whose cosines
 * are known by construction, the report's relevance.semantic field, and the
 * embeddings client against a local server that speaks the contract (rows
 * out of order, errors in the server's words, a reply of the wrong shape, no
 * server, off). The real model: test_result_writer_semantic_model.c. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "embed_client.h"
#include "relevance_semantic.h"
#include "report.h"

/* [{word,start,end}] from "word@start" tokens, each 0.3 s long. */
static json_t *words_new(const char *const *spec, size_t n)
{
    json_t *w = json_array();
    for (size_t i = 0; i < n; i++) {
        char word[64];
        double start;
        cr_assert_eq(sscanf(spec[i], "%63[^@]@%lf", word, &start), 2, "%s", spec[i]);
        json_array_append_new(w, json_pack("{s:s, s:f, s:f}", "word", word, "start", start, "end", start + 0.3));
    }
    return w;
}

Test(semantic_sentences, split_at_full_stops_questions_and_long_pauses)
{
    /* Words last 0.3 s: "could!" ends at 2.7, "later" at 5.7, "so" at 6.6. */
    static const char *const spec[] = {"I@0", "led@0.4", "it.@0.8", "Why?@1.2", "Because@1.6", "\"we@2.0",
                                       "could!\"@2.4", "Then@5.0", "later@5.4", "so@6.3", "on@7.4"};
    json_t *words = words_new(spec, 11);
    json_t *s = semantic_sentences_new(words);
    cr_assert_eq(json_array_size(s), 5);
    static const char *const want[] = {"I led it.", "Why?", "Because \"we could!\"", "Then later so", "on"};
    /* pauses: 2.3 s and 0.8 s split; 0.6 s (later -> so) does not */
    static const double starts[] = {0, 1.2, 1.6, 5.0, 7.4};
    for (size_t i = 0; i < 5; i++) {
        cr_expect_str_eq(json_string_value(json_object_get(json_array_get(s, i), "text")), want[i]);
        cr_expect_float_eq(json_number_value(json_object_get(json_array_get(s, i), "start")), starts[i], 1e-9);
    }
    json_decref(s);
    json_decref(words);
}

Test(semantic_sentences, a_run_without_stops_is_cut_every_40_words)
{
    json_t *words = json_array();
    for (int i = 0; i < 100; i++)
        json_array_append_new(words, json_pack("{s:s, s:f, s:f}", "word", "and", "start", i * 0.35, "end",
                                               i * 0.35 + 0.3));
    json_t *s = semantic_sentences_new(words);
    cr_assert_eq(json_array_size(s), 3); /* 40 + 40 + 20 */
    cr_expect_float_eq(json_number_value(json_object_get(json_array_get(s, 1), "start")), 40 * 0.35, 1e-9);
    cr_expect_eq(strlen(json_string_value(json_object_get(json_array_get(s, 2), "text"))), 20 * 4 - 1);
    json_decref(s);
    json_decref(words);
}

Test(semantic_measure, known_geometry)
{
    /* question (1,0,0); one point (0,1,0): the reference is their sum, unit:
     * (1,1,0)/sqrt 2. Sentences: the question read back (left out), (0,1,0)
     * at cosine 1/sqrt 2 from the reference, (0,0,1) at 0. The answer's mean
     * of the two kept is (0,1,1)/sqrt 2: cosine with the reference 1/2. */
    const float v[] = {1, 0, 0, /* question */ 0, 1, 0, /* point */
                       1, 0, 0, 0, 1, 0, 0, 0, 1 /* sentences */};
    json_t *points = json_pack("[s]", "the point");
    json_t *sentences = json_pack("[{s:s, s:f}, {s:s, s:f}, {s:s, s:f}]", "text", "the question?", "start", 0.0,
                                  "text", "on the point.", "start", 2.0, "text", "elsewhere.", "start", 4.0);
    json_t *m = semantic_measure_new(v, 3, points, sentences);
    cr_assert_not_null(m);
    cr_expect_float_eq(json_number_value(json_object_get(m, "similarity")), 0.5, 1e-9);
    cr_expect_eq(json_integer_value(json_object_get(m, "restatements")), 1);
    const json_t *best = json_object_get(m, "best_sentence");
    cr_expect_float_eq(json_number_value(json_object_get(best, "similarity")), 0.707, 1e-9);
    cr_expect_float_eq(json_number_value(json_object_get(best, "start")), 2.0, 1e-9);
    const json_t *p = json_array_get(json_object_get(m, "talking_points"), 0);
    cr_expect_str_eq(json_string_value(json_object_get(p, "text")), "the point");
    cr_expect_float_eq(json_number_value(json_object_get(p, "similarity")), 1.0, 1e-9);
    json_decref(m);
    json_decref(points);
    json_decref(sentences);
}

Test(semantic_measure, only_the_question_read_back_scores_zero)
{
    const float v[] = {0, 1, 0, 0, 1, 0};
    json_t *sentences = json_pack("[{s:s, s:f}]", "text", "Why this job?", "start", 0.0);
    json_t *m = semantic_measure_new(v, 3, NULL, sentences);
    cr_expect_float_eq(json_number_value(json_object_get(m, "similarity")), 0.0, 1e-9);
    cr_expect(json_is_null(json_object_get(m, "best_sentence")));
    json_decref(m);
    json_decref(sentences);
}

Test(semantic_report, the_field_is_copied_or_says_not_measured)
{
    json_t *tr = json_pack("{s:s, s:s, s:[{s:s, s:f, s:f}]}", "engine", "test", "text", "Hello.", "words", "word",
                           "Hello.", "start", 0.0, "end", 0.4);
    report_input in = {.question = "Tell me about yourself.", .transcript = tr};
    json_t *r = report_build(&in);
    const json_t *sem = json_object_get(json_object_get(r, "relevance"), "semantic");
    cr_expect(json_is_null(json_object_get(sem, "similarity")));
    cr_expect_str_eq(json_string_value(json_object_get(sem, "reason")), "not measured");
    json_decref(r);
    json_t *given = json_pack("{s:f, s:s}", "similarity", 0.42, "source", "m");
    in.semantic = given;
    r = report_build(&in);
    sem = json_object_get(json_object_get(r, "relevance"), "semantic");
    cr_expect(json_equal(sem, given));
    json_decref(r);
    json_decref(given);
    json_decref(tr);
}

/* A minimal HTTP/1.1 server on a loopback port (as in test_result_writer_llm.c):
 * one connection at a time, "Connection: close" on every answer. */
typedef enum { SRV_REVERSED, SRV_503, SRV_SHORT } srv_mode;
static int listen_fd = -1, port;
static pthread_t srv_thread;
static srv_mode mode;
static char last_body[65536];

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

static void srv_handle(int fd)
{
    static char req[70000];
    size_t len = 0;
    char *body = NULL;
    long want = -1;
    while (len + 1 < sizeof req) {
        ssize_t n = read(fd, req + len, sizeof req - 1 - len);
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
    snprintf(last_body, sizeof last_body, "%s", body ? body : "");
    if (strncmp(req, "POST /v1/embeddings ", 20) != 0) {
        srv_reply(fd, 404, "{}");
        return;
    }
    if (mode == SRV_503) {
        srv_reply(fd, 503, "{\"error\":{\"message\":\"The embedding model is still loading.\"}}");
        return;
    }
    json_t *parsed = json_loads(body ? body : "", 0, NULL);
    size_t n = json_array_size(json_object_get(parsed, "input")) - (mode == SRV_SHORT);
    json_decref(parsed);
    json_t *data = json_array();
    /* Row i is (i+1, 0) before scaling; sent last to first with its index. */
    for (size_t k = n; k-- > 0;)
        json_array_append_new(data, json_pack("{s:i, s:[f, f]}", "index", (int)k, "embedding", 3.0 * (k + 1), 0.0));
    json_t *resp = json_pack("{s:o, s:s}", "data", data, "model", "stub-model");
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
            return NULL;
        srv_handle(fd);
        close(fd);
    }
}

static void srv_start(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    socklen_t alen = sizeof a;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    signal(SIGPIPE, SIG_IGN);
    listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert_geq(listen_fd, 0);
    cr_assert_eq(bind(listen_fd, (struct sockaddr *)&a, sizeof a), 0);
    cr_assert_eq(listen(listen_fd, 8), 0);
    cr_assert_eq(getsockname(listen_fd, (struct sockaddr *)&a, &alen), 0);
    port = ntohs(a.sin_port);
    cr_assert_eq(pthread_create(&srv_thread, NULL, srv_loop, NULL), 0);
}

static void srv_stop(void)
{
    shutdown(listen_fd, SHUT_RDWR);
    close(listen_fd);
    pthread_join(srv_thread, NULL);
}

TestSuite(embed_client, .init = srv_start, .fini = srv_stop);

static int call(const char *const *texts, size_t n, float **v, size_t *dim, char *model, char *err, size_t errlen)
{
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/v1/", port);
    embed_opts o = {.url = url, .model = "all-MiniLM-L6-v2-int8", .timeout_s = 5};
    return embed_vectors_new(&o, texts, n, v, dim, model, 64, err, errlen);
}

Test(embed_client, rows_in_their_index_order_at_unit_length)
{
    const char *texts[] = {"one", "two \"quoted\"", "three"};
    float *v = NULL;
    size_t dim = 0;
    char model[64], err[256] = "";
    mode = SRV_REVERSED;
    cr_assert_eq(call(texts, 3, &v, &dim, model, err, sizeof err), 0, "%s", err);
    cr_expect_eq(dim, 2);
    cr_expect_str_eq(model, "stub-model");
    for (size_t i = 0; i < 3; i++) /* (3(i+1), 0) scaled to unit length */
        cr_expect(v[i * 2] == 1.0f && v[i * 2 + 1] == 0.0f, "row %zu", i);
    json_t *sent = json_loads(last_body, 0, NULL);
    cr_expect_str_eq(json_string_value(json_object_get(sent, "model")), "all-MiniLM-L6-v2-int8");
    cr_expect_str_eq(json_string_value(json_array_get(json_object_get(sent, "input"), 1)), "two \"quoted\"");
    json_decref(sent);
    embed_vectors_free(v);
}

Test(embed_client, errors_say_why)
{
    const char *texts[] = {"one", "two"};
    float *v = NULL;
    size_t dim = 0;
    char model[64], err[256] = "";
    mode = SRV_503;
    cr_expect_eq(call(texts, 2, &v, &dim, model, err, sizeof err), -1);
    cr_expect_str_eq(err, "the embeddings server answered HTTP 503: The embedding model is still loading.");
    cr_expect_null(v);
    mode = SRV_SHORT;
    cr_expect_eq(call(texts, 2, &v, &dim, model, err, sizeof err), -1);
    cr_expect(strstr(err, "not {\"data\": [2 rows]}") != NULL, "%s", err);
    cr_expect_null(v);
}

Test(embed_client, no_server_and_off)
{
    const char *texts[] = {"one"};
    float *v = NULL;
    size_t dim = 0;
    char model[64], err[256] = "";
    embed_opts o = {.url = "", .timeout_s = 1};
    cr_expect_eq(embed_vectors_new(&o, texts, 1, &v, &dim, model, sizeof model, err, sizeof err), -1);
    cr_expect_str_eq(err, "no embeddings server is configured (ISIM_EMBED_URL)");
    /* A port nothing listens on: the one just released by a socket of our own. */
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    socklen_t alen = sizeof a;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    cr_assert_eq(getsockname(s, (struct sockaddr *)&a, &alen), 0);
    close(s);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/v1", ntohs(a.sin_port));
    o.url = url;
    cr_expect_eq(embed_vectors_new(&o, texts, 1, &v, &dim, model, sizeof model, err, sizeof err), -1);
    cr_expect(strstr(err, "the embeddings request failed") != NULL, "%s", err);
    json_t *words = json_pack("[{s:s, s:f, s:f}]", "word", "Hello.", "start", 0.0, "end", 0.3);
    json_t *sem = semantic_relevance_new(&o, "Tell me about yourself.", NULL, words);
    cr_expect(json_is_null(json_object_get(sem, "similarity")));
    cr_expect(strstr(json_string_value(json_object_get(sem, "reason")), "request failed") != NULL);
    json_decref(sem);
    json_decref(words);
}

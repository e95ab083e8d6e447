/* Semantic relevance end to end with the real model: the speech-to-text
 * server (services/stt) started here with all-MiniLM-L6-v2 (deploy/deps.sh
 * installs both in .deps), the result-writer's client and measure against it.
 * Answers written for this test (not the bench set): which one is on topic,
 * and which sentence speaks to which talking point, is known by how they were
 * written. The bound 0.323 is the one chosen on bench/relevance's dev part. */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "relevance_semantic.h"
#include "test_support.h"

#define BOUND 0.323

static pid_t server = -1;
static char url[64];

static const char *deps(const char *rel)
{
    static char path[4][1024];
    static int next;
    const char *d = getenv("ISIM_DEPS_DIR");
    char *p = path[next++ % 4];
    snprintf(p, sizeof path[0], "%s/%s", d && *d ? d : ISIM_SOURCE_DIR "/.deps", rel);
    return p;
}

static int free_port(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    socklen_t alen = sizeof a;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert_eq(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    cr_assert_eq(getsockname(s, (struct sockaddr *)&a, &alen), 0);
    close(s);
    return ntohs(a.sin_port);
}

/* The embeddings route's status (it answers before the speech model is loaded). */
static size_t discard(char *p, size_t size, size_t n, void *user)
{
    (void)p;
    (void)user;
    return size * n;
}

static long embed_status(int port)
{
    char u[64];
    long status = 0;
    CURL *c = curl_easy_init();
    snprintf(u, sizeof u, "http://127.0.0.1:%d/v1/embeddings", port);
    curl_easy_setopt(c, CURLOPT_URL, u);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, "{\"input\": \"hello\"}");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 2000L);
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    return status;
}

static void server_start(void)
{
    if (RUNNING_ON_VALGRIND)
        return; /* the test skips itself */
    struct stat st;
    const char *py = deps("stt-venv/bin/python"), *embed = deps("embed-model/all-MiniLM-L6-v2-int8");
    const char *whisper = deps("stt-model/whisper-tiny.en");
    cr_assert_eq(stat(deps("embed-model/all-MiniLM-L6-v2-int8/model.onnx"), &st), 0,
                 "%s holds no model: run deploy/deps.sh", embed);
    cr_assert_eq(stat(py, &st), 0, "%s missing: run deploy/deps.sh", py);
    int port = free_port();
    char e_model[1100], e_embed[1100], e_port[64], e_path[1200];
    snprintf(e_model, sizeof e_model, "ISIM_STT_MODEL_DIR=%s", whisper);
    snprintf(e_embed, sizeof e_embed, "ISIM_STT_EMBED_MODEL_DIR=%s", embed);
    snprintf(e_port, sizeof e_port, "ISIM_STT_PORT=%d", port);
    snprintf(e_path, sizeof e_path, "PYTHONPATH=%s/services/stt", ISIM_SOURCE_DIR);
    char *env[] = {e_model, e_embed, e_port, e_path, "ISIM_STT_LOG_LEVEL=warning", "PATH=/usr/bin:/bin", NULL};
    char *argv[] = {(char *)py, "-m", "isim_stt", NULL};
    pid_t parent = getpid();
    server = fork();
    cr_assert_geq(server, 0);
    if (server == 0) { /* the server goes when this test's process does, whatever ends it */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(1);
        execve(py, argv, env);
        _exit(127);
    }
    for (int i = 0; i < 600 && embed_status(port) != 200; i++) {
        cr_assert_eq(waitpid(server, NULL, WNOHANG), 0, "the speech-to-text server exited");
        usleep(100 * 1000);
    }
    cr_assert_eq(embed_status(port), 200, "the speech-to-text server gives no embeddings after 60 s");
    snprintf(url, sizeof url, "http://127.0.0.1:%d/v1", port);
}

static void server_stop(void)
{
    if (server > 0) {
        kill(server, SIGTERM);
        waitpid(server, NULL, 0);
    }
}

/* Transcript words of sentences: each sentence starts at 10 s * its index,
 * words 0.3 s long and 0.35 s apart. */
static json_t *words_of(const char *const *sentences, size_t n)
{
    json_t *w = json_array();
    for (size_t i = 0; i < n; i++) {
        char *copy = strdup(sentences[i]), *save = NULL;
        double t = 10.0 * (double)i;
        for (char *tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save), t += 0.35)
            json_array_append_new(w, json_pack("{s:s, s:f, s:f}", "word", tok, "start", t, "end", t + 0.3));
        free(copy);
    }
    return w;
}

static const char *const QUESTION = "Tell me about a time you missed a deadline. What happened?";

TestSuite(semantic_model, .init = server_start, .fini = server_stop, .timeout = 120);

/* One test: the server starts once (about 4 s). */
Test(semantic_model, paraphrase_on_topic_small_talk_and_read_back_question_not)
{
    TS_SKIP_UNDER_VALGRIND("starts a Python model server; the measure's C code is covered by test_result_writer_semantic");
    static const char *const on[] = {
        "Our supplier shipped the parts three weeks behind schedule, so the prototype came in late.",
        "I rang the client that very morning and explained the situation.",
        "We handed over a reduced first version on the original date and the rest a fortnight later.",
        "Since then I always keep a buffer for anything that depends on outside suppliers."};
    static const char *const off[] = {
        "Oh, I love this time of year.", "The leaves are turning and the mornings are crisp.",
        "I've started baking bread at the weekends, mostly sourdough."};
    static const char *const echo[] = {"Tell me about a time you missed a deadline.", "What happened?",
                                       "Hmm, good question.", "Anyway, my cat has been unwell this week."};
    json_t *points = json_pack("[s, s, s, s]", "why the deadline slipped", "when and how you told people",
                               "what you delivered in the end", "what you changed afterwards");
    embed_opts o = {.url = url, .model = "all-MiniLM-L6-v2-int8", .timeout_s = 30};
    json_t *w_on = words_of(on, 4), *w_off = words_of(off, 3), *w_echo = words_of(echo, 4);
    json_t *a = semantic_relevance_new(&o, QUESTION, points, w_on);
    json_t *b = semantic_relevance_new(&o, QUESTION, points, w_off);
    json_t *c = semantic_relevance_new(&o, QUESTION, NULL, w_echo);
    double sa = json_number_value(json_object_get(a, "similarity"));
    double sb = json_number_value(json_object_get(b, "similarity"));
    double sc = json_number_value(json_object_get(c, "similarity"));
    cr_expect_gt(sa, BOUND, "on topic scored %.3f (%s)", sa, json_string_value(json_object_get(a, "reason")));
    cr_expect_lt(sb, BOUND, "small talk scored %.3f", sb);
    cr_expect_lt(sc, BOUND, "the question read back, then small talk, scored %.3f", sc);
    cr_expect_eq(json_integer_value(json_object_get(c, "restatements")), 1); /* the first sentence */
    cr_expect_str_eq(json_string_value(json_object_get(a, "source")), "all-MiniLM-L6-v2-int8");
    cr_expect_eq(json_integer_value(json_object_get(a, "sentences")), 4);
    cr_expect_eq(json_array_size(json_object_get(a, "talking_points")), 4);
    json_decref(a);
    json_decref(b);
    json_decref(c);
    json_decref(w_on);
    json_decref(w_off);
    json_decref(w_echo);
    json_decref(points);
}

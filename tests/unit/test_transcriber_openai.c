/* The openai engine against a local server implementing the
 * POST /v1/audio/transcriptions contract (a small HTTP server in the test):
 * word timestamps, retries on 500, a response slower than the timeout,
 * malformed JSON, 401, and the fallback to pocketsphinx. */
#include "transcribe.h"
#include "wav_reader.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#define CLIP "/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0880.wav"
#define MAX_BODY (1 << 20)

typedef enum { MODE_OK, MODE_500_THEN_OK, MODE_500, MODE_SLOW, MODE_MALFORMED, MODE_401, MODE_DETECT, MODE_PIECES } mode;
#define MAX_CALLS 16

/* A minimal HTTP/1.1 server on a loopback port, a thread per connection. (civetweb's worker threads overflow their stack
 * under AddressSanitizer, so the test speaks HTTP over plain sockets.) */
typedef struct server {
    int fd, port;
    pthread_t tid;
    volatile int stop;
    int active; /* connection threads still running */
    mode mode;
    int calls;
    int form_ok; /* the last request carried every field the contract needs */
    int has_prompt; /* the last request had a "prompt" field */
    char language[16]; /* the last request's "language" field, "" without one */
    char prompt[128];  /* and the start of its "prompt" */
    char auth[256];
    char url[64];
    /* MODE_PIECES: each request's audio length, seconds, and language field. */
    double piece_s[MAX_CALLS];
    char piece_language[MAX_CALLS][16];
} server;

static const char OK_BODY[] =
    "{\"task\":\"transcribe\",\"language\":\"english\",\"duration\":2.99,"
    "\"text\":\" Um, he was not an ill-disposed young man.\","
    "\"words\":[{\"word\":\"Um,\",\"start\":0.10,\"end\":0.32},"
    "{\"word\":\"he\",\"start\":0.40,\"end\":0.52,\"probability\":0.98},"
    "{\"word\":\"was\",\"start\":0.52,\"end\":0.70},{\"word\":\"not\",\"start\":0.70,\"end\":0.95},"
    "{\"word\":\"an\",\"start\":0.95,\"end\":1.05},{\"word\":\"ill-disposed\",\"start\":1.05,\"end\":1.80},"
    "{\"word\":\"young\",\"start\":1.80,\"end\":2.10},{\"word\":\"man.\",\"start\":2.10,\"end\":2.60}],"
    "\"segments\":[{\"id\":0,\"start\":0.10,\"end\":2.60,"
    "\"text\":\" Um, he was not an ill-disposed young man.\"}]}";

static void reply(int c, int status, const char *body)
{
    char head[256];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n",
                     status, strlen(body));
    /* MSG_NOSIGNAL: the client may have given up (timeout test). */
    if (send(c, head, (size_t)n, MSG_NOSIGNAL) < 0 || send(c, body, strlen(body), MSG_NOSIGNAL) < 0)
        return;
}

/* A multipart field name="name" whose value is value. */
static int has_field(const char *body, size_t len, const char *name, const char *value)
{
    char pat[256];
    snprintf(pat, sizeof pat, "name=\"%s\"\r\n\r\n%s", name, value);
    return memmem(body, len, pat, strlen(pat)) != NULL;
}

/* The value of multipart field name into out ("" when absent). */
static void field_value(const char *body, size_t len, const char *name, char *out, size_t outlen)
{
    char pat[64];
    int n = snprintf(pat, sizeof pat, "name=\"%s\"\r\n\r\n", name);
    const char *at = memmem(body, len, pat, (size_t)n);
    out[0] = '\0';
    if (at)
        sscanf(at + n, "%127[^\r]", out);
    out[outlen - 1] = '\0';
}

/* Reads one request (headers, then Content-Length bytes) into a new buffer. */
static char *read_request(int c, size_t *len)
{
    size_t cap = MAX_BODY, n = 0, want = 0;
    char *buf = calloc(1, cap + 1), *body = NULL;
    ssize_t got;
    while (n < cap && (!body || n < want) && (got = read(c, buf + n, cap - n)) > 0) {
        n += (size_t)got;
        buf[n] = '\0';
        if (!body && (body = strstr(buf, "\r\n\r\n"))) {
            const char *cl = strcasestr(buf, "Content-Length:");
            want = (size_t)(body + 4 - buf) + (cl ? strtoul(cl + 15, NULL, 10) : 0);
        }
    }
    *len = n;
    return buf;
}

static void handle(server *s, int c)
{
    size_t len;
    char *req = read_request(c, &len);
    const char *auth = strcasestr(req, "\r\nAuthorization: ");
    s->auth[0] = '\0';
    if (auth)
        sscanf(auth + 17, "%255[^\r]", s->auth);
    /* The WAV's bytes hold NULs: search with memmem. */
    s->has_prompt = memmem(req, len, "name=\"prompt\"", 13) != NULL;
    field_value(req, len, "language", s->language, sizeof s->language);
    field_value(req, len, "prompt", s->prompt, sizeof s->prompt);
    s->form_ok = has_field(req, len, "model", "test-model") &&
                 has_field(req, len, "response_format", "verbose_json") &&
                 has_field(req, len, "timestamp_granularities[]", "word") &&
                 has_field(req, len, "language", "en") &&
                 has_field(req, len, "prompt", "Um, uh") && memmem(req, len, "RIFF", 4) &&
                 memmem(req, len, "name=\"file\"", 11);
    /* The WAV's length: its data chunk's size, at byte 40 of the file. */
    const char *riff = memmem(req, len, "RIFF", 4);
    uint32_t data_bytes = 0;
    if (riff && riff + 44 <= req + len)
        memcpy(&data_bytes, riff + 40, 4);
    free(req);
    int call = __atomic_add_fetch(&s->calls, 1, __ATOMIC_SEQ_CST);
    if (s->mode == MODE_PIECES && call <= MAX_CALLS) {
        /* One word from 0.25 s into the piece to 0.25 s before its end, in
         * the language "pt": the client must put it on the recording's time
         * line and ask the next pieces in pt. */
        double l = data_bytes / 32000.0;
        char body[512];
        s->piece_s[call - 1] = l;
        snprintf(s->piece_language[call - 1], sizeof s->piece_language[0], "%s", s->language);
        snprintf(body, sizeof body,
                 "{\"language\":\"pt\",\"language_probability\":0.9,\"words\":[{\"word\":\" p%d.\","
                 "\"start\":0.25,\"end\":%.6f}],\"segments\":[{\"start\":0.25,\"end\":%.6f,\"text\":\" p%d.\"}]}",
                 call, l - 0.25, l - 0.25, call);
        reply(c, 200, body);
        return;
    }
    switch (s->mode) {
    case MODE_500_THEN_OK:
        if (call == 1)
            reply(c, 500, "{\"error\":{\"message\":\"model is loading\"}}");
        else
            reply(c, 200, OK_BODY);
        break;
    case MODE_500:
        reply(c, 500, "{\"error\":{\"message\":\"out of GPU memory\"}}");
        break;
    case MODE_SLOW:
        for (int i = 0; i < 25 && !s->stop; i++)
            usleep(100 * 1000);
        reply(c, 200, OK_BODY);
        break;
    case MODE_MALFORMED:
        reply(c, 200, "{\"text\": \"he was\", \"words\": [{\"word\": ");
        break;
    case MODE_DETECT: /* faster-whisper servers say what they heard, and how sure */
        reply(c, 200, "{\"language\":\"pt\",\"language_probability\":0.93,\"duration\":2.99,"
                      "\"words\":[{\"word\":\" Então,\",\"start\":0.1,\"end\":0.4},"
                      "{\"word\":\" NÉ?\",\"start\":0.5,\"end\":0.7}]}");
        break;
    case MODE_401:
        reply(c, 401, "{\"error\":{\"message\":\"Incorrect API key provided\"}}");
        break;
    default:
        reply(c, 200, OK_BODY);
    }
}

typedef struct conn {
    server *s;
    int fd;
} conn;

static void *serve_conn(void *arg)
{
    conn *c = arg;
    handle(c->s, c->fd);
    close(c->fd);
    __atomic_sub_fetch(&c->s->active, 1, __ATOMIC_SEQ_CST);
    free(c);
    return NULL;
}

static void *serve(void *arg)
{
    server *s = arg;
    while (!s->stop) {
        struct pollfd p = {s->fd, POLLIN, 0};
        if (poll(&p, 1, 50) <= 0)
            continue;
        conn *c = malloc(sizeof *c);
        c->s = s;
        c->fd = accept(s->fd, NULL, NULL);
        pthread_t t;
        __atomic_add_fetch(&s->active, 1, __ATOMIC_SEQ_CST);
        if (c->fd < 0 || pthread_create(&t, NULL, serve_conn, c) != 0) {
            if (c->fd >= 0)
                close(c->fd);
            free(c);
            __atomic_sub_fetch(&s->active, 1, __ATOMIC_SEQ_CST);
            continue;
        }
        pthread_detach(t);
    }
    return NULL;
}

static void server_start(server *s, mode m)
{
    memset(s, 0, sizeof *s);
    s->mode = m;
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert_geq(s->fd, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof a;
    cr_assert_eq(bind(s->fd, (struct sockaddr *)&a, sizeof a), 0);
    cr_assert_eq(listen(s->fd, 8), 0);
    cr_assert_eq(getsockname(s->fd, (struct sockaddr *)&a, &alen), 0);
    s->port = ntohs(a.sin_port);
    snprintf(s->url, sizeof s->url, "http://127.0.0.1:%d", s->port);
    cr_assert_eq(pthread_create(&s->tid, NULL, serve, s), 0);
}

static void server_stop(server *s)
{
    s->stop = 1;
    pthread_join(s->tid, NULL);
    while (__atomic_load_n(&s->active, __ATOMIC_SEQ_CST) > 0)
        usleep(10 * 1000);
    close(s->fd);
}

static transcribe_opts remote_opts(const server *s)
{
    return (transcribe_opts){.engine = "openai", .url = s->url, .model = "test-model",
                             .api_key = "sk-test", .timeout_s = 5, .attempts = 3,
                             .backoff_ms = 50};
}

static char err[2048];

Test(openai, success_with_word_timestamps)
{
    server s;
    server_start(&s, MODE_OK);
    transcribe_opts o = remote_opts(&s);
    json_t *t = NULL;
    cr_assert_eq(transcribe_wav(CLIP, &o, &t, err, sizeof err), 0, "%s", err);
    cr_assert_eq(s.calls, 1);
    cr_assert(s.form_ok, "the request lacks a field of the contract");
    cr_assert_str_eq(s.auth, "Bearer sk-test");
    cr_assert_str_eq(json_string_value(json_object_get(t, "engine")), "openai");
    /* This server names no model: the one asked for is recorded. */
    cr_assert_str_eq(json_string_value(json_object_get(t, "model")), "test-model");
    cr_assert_str_eq(json_string_value(json_object_get(t, "text")),
                     "um he was not an ill-disposed young man");
    const json_t *words = json_object_get(t, "words");
    cr_assert_eq(json_array_size(words), 8);
    const json_t *w1 = json_array_get(words, 1);
    cr_assert_str_eq(json_string_value(json_object_get(w1, "word")), "he");
    cr_assert_float_eq(json_number_value(json_object_get(w1, "start")), 0.40, 1e-9);
    cr_assert_float_eq(json_number_value(json_object_get(w1, "end")), 0.52, 1e-9);
    cr_assert_float_eq(json_number_value(json_object_get(w1, "confidence")), 0.98, 1e-9);
    /* "man." closes the sentence: the full stop is gone from the word, kept
     * as sentence_end; "Um," closes nothing. */
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(words, 7), "word")), "man");
    cr_assert(json_is_true(json_object_get(json_array_get(words, 7), "sentence_end")));
    cr_assert_null(json_object_get(json_array_get(words, 0), "sentence_end"));
    cr_assert_null(json_object_get(w1, "sentence_end"));
    /* Duration is the WAV's own, not the server's. */
    cr_assert_float_eq(json_number_value(json_object_get(t, "duration_s")), 2.99, 0.01);
    const json_t *segs = json_object_get(t, "segments");
    cr_assert_eq(json_array_size(segs), 1);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(segs, 0), "text")),
                     "Um, he was not an ill-disposed young man.");
    cr_assert_null(json_object_get(t, "no_speech"));
    json_decref(t);
    server_stop(&s);
}

Test(openai, retries_after_500)
{
    server s;
    server_start(&s, MODE_500_THEN_OK);
    transcribe_opts o = remote_opts(&s);
    json_t *t = NULL;
    cr_assert_eq(transcribe_wav(CLIP, &o, &t, err, sizeof err), 0, "%s", err);
    cr_assert_eq(s.calls, 2);
    cr_assert_eq(json_array_size(json_object_get(t, "words")), 8);
    json_decref(t);
    server_stop(&s);
}

Test(openai, gives_up_after_attempts)
{
    server s;
    server_start(&s, MODE_500);
    transcribe_opts o = remote_opts(&s);
    json_t *t = NULL;
    cr_assert_eq(transcribe_wav(CLIP, &o, &t, err, sizeof err), -1);
    cr_assert_null(t);
    cr_assert_eq(s.calls, 3);
    cr_assert(strstr(err, "HTTP 500") && strstr(err, "out of GPU memory") &&
                  strstr(err, "after 3 tries"),
              "%s", err);
    server_stop(&s);
}

Test(openai, slow_response_times_out)
{
    server s;
    server_start(&s, MODE_SLOW);
    transcribe_opts o = remote_opts(&s);
    o.timeout_s = 1;
    o.attempts = 2;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    json_t *t = NULL;
    cr_assert_eq(transcribe_wav(CLIP, &o, &t, err, sizeof err), -1);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double took = (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
    cr_assert_eq(s.calls, 2, "a timeout is retried");
    cr_assert(strstr(err, "did not answer") && strstr(err, "after 2 tries"), "%s", err);
    /* Two 1 s timeouts, not two 2.5 s answers. */
    cr_assert_lt(took, 4.9, "took %.1f s", took);
    server_stop(&s);
}

Test(openai, malformed_json_fails_without_retry)
{
    server s;
    server_start(&s, MODE_MALFORMED);
    transcribe_opts o = remote_opts(&s);
    json_t *t = NULL;
    cr_assert_eq(transcribe_wav(CLIP, &o, &t, err, sizeof err), -1);
    cr_assert_null(t);
    cr_assert_eq(s.calls, 1);
    cr_assert(strstr(err, "malformed JSON"), "%s", err);
    server_stop(&s);
}

Test(openai, unauthorized_is_not_retried)
{
    server s;
    server_start(&s, MODE_401);
    transcribe_opts o = remote_opts(&s);
    json_t *t = NULL;
    cr_assert_eq(transcribe_wav(CLIP, &o, &t, err, sizeof err), -1);
    cr_assert_eq(s.calls, 1);
    cr_assert(strstr(err, "401") && strstr(err, "Incorrect API key provided") &&
                  strstr(err, "ISIM_TRANSCRIBE_API_KEY"),
              "%s", err);
    server_stop(&s);
}

/* A 16 kHz mono WAV of the n samples s (NULL: silence). */
static void write_wav(const char *path, const int16_t *s, uint32_t n)
{
    FILE *fp = fopen(path, "wb");
    cr_assert_not_null(fp);
    uint32_t h[] = {36 + 2 * n, 16, 0x00010001, 16000, 32000, 0x00100002, 2 * n};
    fwrite("RIFF", 1, 4, fp);
    fwrite(&h[0], 4, 1, fp);
    fwrite("WAVEfmt ", 1, 8, fp);
    fwrite(&h[1], 4, 5, fp);
    fwrite("data", 1, 4, fp);
    fwrite(&h[6], 4, 1, fp);
    for (uint32_t i = 0; i < n; i++)
        fwrite(s ? &s[i] : &(int16_t){0}, 2, 1, fp);
    cr_assert_eq(fclose(fp), 0);
}

Test(openai, falls_back_to_pocketsphinx)
{
    server s;
    server_start(&s, MODE_401);
    transcribe_opts o = remote_opts(&s);
    o.fallback = 1;
    /* Under valgrind, silence: the fallback's wiring without a slow decode. */
    char silence[] = "/tmp/isim-troai-XXXXXX";
    const char *wav = CLIP;
    if (RUNNING_ON_VALGRIND) {
        int fd = mkstemp(silence);
        cr_assert_geq(fd, 0);
        close(fd);
        write_wav(silence, NULL, 16000);
        wav = silence;
    }
    json_t *t = NULL;
    cr_assert_eq(transcribe_wav(wav, &o, &t, err, sizeof err), 0, "%s", err);
    cr_assert_eq(s.calls, 1);
    cr_assert_str_eq(json_string_value(json_object_get(t, "engine")), "pocketsphinx");
    const char *note = json_string_value(json_object_get(t, "note"));
    cr_assert(note && strstr(note, "openai engine failed") && strstr(note, "401"), "%s",
              note ? note : "(no note)");
    const char *text = json_string_value(json_object_get(t, "text"));
    if (RUNNING_ON_VALGRIND) {
        cr_assert(json_is_true(json_object_get(t, "no_speech")));
        unlink(silence);
    } else {
        /* The clip says "he was not an ill disposed young man". */
        cr_assert(strstr(text, "young man"), "%s", text);
    }
    json_decref(t);
    server_stop(&s);
}

Test(openai, no_server_and_no_url)
{
    json_t *t = NULL;
    transcribe_opts o = {.engine = "openai", .url = "http://127.0.0.1:1", .attempts = 2,
                         .backoff_ms = 10, .timeout_s = 2};
    cr_assert_eq(transcribe_wav(CLIP, &o, &t, err, sizeof err), -1);
    cr_assert(strstr(err, "did not answer") && strstr(err, "after 2 tries"), "%s", err);
    o.url = "";
    cr_assert_eq(transcribe_wav(CLIP, &o, &t, err, sizeof err), -1);
    cr_assert(strstr(err, "ISIM_TRANSCRIBE_URL"), "%s", err);
    o.engine = "kaldi";
    cr_assert_eq(transcribe_wav(CLIP, &o, &t, err, sizeof err), -1);
    cr_assert(strstr(err, "unknown transcription engine 'kaldi'"), "%s", err);
}

/* "auto", the default: the remote engine exactly when a URL is configured. */
Test(openai, auto_picks_the_remote_engine_when_a_url_is_set)
{
    cr_assert_str_eq(transcriber_engine_name(&(transcribe_opts){0}), "pocketsphinx");
    cr_assert_str_eq(transcriber_engine_name(&(transcribe_opts){.engine = "auto", .url = ""}), "pocketsphinx");
    cr_assert_str_eq(transcriber_engine_name(&(transcribe_opts){.url = "http://127.0.0.1:59200"}), "openai");
    cr_assert_str_eq(transcriber_engine_name(&(transcribe_opts){.engine = "auto", .url = "http://x"}), "openai");
    cr_assert_str_eq(transcriber_engine_name(&(transcribe_opts){.engine = "pocketsphinx", .url = "http://x"}),
                     "pocketsphinx");
    cr_assert_str_eq(transcriber_engine_name(&(transcribe_opts){.engine = "kaldi"}), "unknown");
}

/* ISIM_TRANSCRIBE_PROMPT set empty sends no prompt (NULL: the filler prompt),
 * so the prompt's effect can be measured and turned off (docs/accuracy.md). */
Test(openai, empty_prompt_sends_none)
{
    server s;
    server_start(&s, MODE_OK);
    transcribe_opts o = remote_opts(&s);
    json_t *t = NULL;
    cr_assert_eq(transcribe_wav(CLIP, &o, &t, err, sizeof err), 0, "%s", err);
    cr_assert(s.has_prompt, "the default prompt is sent");
    json_decref(t);
    o.prompt = "";
    cr_assert_eq(transcribe_wav(CLIP, &o, &t, err, sizeof err), 0, "%s", err);
    cr_assert_not(s.has_prompt, "an empty prompt is not sent");
    json_decref(t);
    server_stop(&s);
}

/* The interview's language and prompt go with the request; auto sends no
 * language (the server detects it) and no prompt (one would pull detection
 * towards its own language), and the detected language comes back. */
Test(openai, language_per_call_and_detection)
{
    server s;
    server_start(&s, MODE_DETECT);
    transcribe_opts o = remote_opts(&s);
    transcriber *tr = NULL;
    json_t *t = NULL;
    cr_assert_eq(transcriber_new(&o, &tr, err, sizeof err), 0, "%s", err);
    transcribe_call pt = {.language = "pt", .prompt = "Bom, ahn, então, tipo"};
    cr_assert_eq(transcriber_run_call(tr, CLIP, &pt, &t, err, sizeof err), 0, "%s", err);
    cr_assert_str_eq(s.language, "pt");
    cr_assert_str_eq(s.prompt, "Bom, ahn, então, tipo");
    cr_assert_str_eq(json_string_value(json_object_get(t, "language")), "pt", "the language asked for, not a guess");
    /* Accented words keep their letters, lower-cased, without punctuation. */
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(t, "words"), 1), "word")), "né");
    json_decref(t);
    transcribe_call detect = {.language = "auto", .prompt = ""};
    cr_assert_eq(transcriber_run_call(tr, CLIP, &detect, &t, err, sizeof err), 0, "%s", err);
    cr_assert_str_eq(s.language, "", "no language field: the server detects it");
    cr_assert_not(s.has_prompt);
    cr_assert_str_eq(json_string_value(json_object_get(t, "language")), "pt");
    cr_assert_float_eq(json_number_value(json_object_get(t, "language_probability")), 0.93, 1e-9);
    json_decref(t);
    transcriber_free(tr);
    server_stop(&s);
}

/* pocketsphinx knows English only: Portuguese is an error, not English words. */
Test(openai, embedded_engine_refuses_other_languages)
{
    transcribe_opts o = {.engine = "pocketsphinx", .model_dir = getenv("ISIM_MODEL_DIR")};
    transcriber *tr = NULL;
    json_t *t = NULL;
    cr_assert_eq(transcriber_new(&o, &tr, err, sizeof err), 0, "%s", err);
    transcribe_call pt = {.language = "pt", .prompt = ""};
    cr_assert_eq(transcriber_run_call(tr, CLIP, &pt, &t, err, sizeof err), -1);
    cr_assert(strstr(err, "English only") && strstr(err, "ISIM_TRANSCRIBE_URL"), "%s", err);
    cr_assert_null(t);
    transcriber_free(tr);
}

/* A recording longer than piece_s goes in pieces of at most piece_s, cut in
 * its pauses; the words come back on the recording's time line, and the
 * language the first piece was heard in is asked for the rest. The
 * recording: a spoken sentence (2.99 s) and 1 s of silence, nine times. */
Test(openai, long_recording_in_pieces_cut_at_pauses)
{
    enum { REPS = 9, RATE = WAV_READER_RATE };
    wav_reader r;
    int16_t *clip = calloc(RATE * 10, sizeof *clip), *all = NULL;
    size_t n = 0, got;
    cr_assert_eq(wav_reader_open(&r, CLIP, err, sizeof err), 0, "%s", err);
    while (wav_reader_read(&r, clip + n, RATE * 10 - n, &got, err, sizeof err) == 0 && got > 0)
        n += got;
    wav_reader_close(&r);
    size_t period = n + RATE, total = REPS * period;
    all = calloc(total, sizeof *all);
    for (int k = 0; k < REPS; k++)
        memcpy(all + k * period, clip, n * sizeof *clip);
    char path[] = "/tmp/isim-troai-long-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    write_wav(path, all, (uint32_t)total);

    server s;
    server_start(&s, MODE_PIECES);
    transcribe_opts o = remote_opts(&s);
    o.piece_s = 10;
    transcriber *tr = NULL;
    json_t *t = NULL;
    cr_assert_eq(transcriber_new(&o, &tr, err, sizeof err), 0, "%s", err);
    transcribe_call detect = {.language = "auto", .prompt = ""};
    cr_assert_eq(transcriber_run_call(tr, path, &detect, &t, err, sizeof err), 0, "%s", err);
    int calls = s.calls;
    cr_assert(calls >= 4 && calls <= MAX_CALLS, "%d requests for %.1f s in pieces of 10 s", calls,
              (double)total / RATE);
    const json_t *words = json_object_get(t, "words"), *segs = json_object_get(t, "segments");
    cr_assert_eq(json_array_size(words), (size_t)calls);
    cr_assert_eq(json_array_size(segs), (size_t)calls);
    double start = 0.0;
    for (int i = 0; i < calls; i++) {
        cr_assert(s.piece_s[i] > 0 && s.piece_s[i] <= 10.0, "piece %d is %.2f s", i, s.piece_s[i]);
        /* Cut in a pause: each piece but the last ends inside a second of silence. */
        if (i < calls - 1) {
            double end = start + s.piece_s[i], into = fmod(end, (double)period / RATE);
            cr_assert(into >= (double)n / RATE - 1e-3, "piece %d ends %.2f s into a sentence", i, into);
        }
        const json_t *w = json_array_get(words, (size_t)i), *g = json_array_get(segs, (size_t)i);
        cr_assert_float_eq(json_number_value(json_object_get(w, "start")), start + 0.25, 1e-6);
        cr_assert_float_eq(json_number_value(json_object_get(w, "end")), start + s.piece_s[i] - 0.25, 1e-6);
        cr_assert_float_eq(json_number_value(json_object_get(g, "start")), start + 0.25, 1e-6);
        cr_assert(json_is_true(json_object_get(w, "sentence_end")));
        cr_assert_str_eq(s.piece_language[i], i == 0 ? "" : "pt", "piece %d", i);
        start += s.piece_s[i];
    }
    cr_assert_float_eq(start, (double)total / RATE, 1e-6, "every sample sent once");
    cr_assert_float_eq(json_number_value(json_object_get(t, "duration_s")), (double)total / RATE, 1e-3);
    cr_assert_str_eq(json_string_value(json_object_get(t, "language")), "pt");
    json_decref(t);

    /* Not longer than a piece: one request, as before. */
    s.calls = 0;
    o.piece_s = 60;
    cr_assert_eq(transcriber_run_call(tr, path, &detect, &t, err, sizeof err), 0, "%s", err);
    cr_assert_eq(s.calls, 1);
    json_decref(t);
    transcriber_free(tr);
    server_stop(&s);
    unlink(path);
    free(all);
    free(clip);
}

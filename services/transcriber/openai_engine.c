/* The remote engine: an OpenAI-compatible POST /v1/audio/transcriptions
 * (whisper.cpp's server, faster-whisper servers, hosted services) with word
 * timestamps. Retries 5xx, 429, timeouts and connection failures with
 * exponential backoff; other answers fail at once with the server's reason. */
#include "http_reply.h"
#include "isim_log.h"
#include "isim_words.h"
#include "oai_pieces.h"
#include "transcribe_engine.h"
#include "wav_reader.h"

#include <ctype.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define OAI_PATH "/v1/audio/transcriptions"
#define OAI_DEFAULT_MODEL "whisper-1"
#define OAI_DEFAULT_TIMEOUT_S 120
#define OAI_DEFAULT_ATTEMPTS 3
#define OAI_DEFAULT_BACKOFF_MS 500
#define OAI_MAX_RESPONSE (32u << 20)

typedef struct oai_state {
    const transcribe_opts *opts;
    char *endpoint;
} oai_state;

/* The server's reply, capped at OAI_MAX_RESPONSE (http_reply.h). */
typedef http_reply oai_body;

static int oai_open(const transcribe_opts *opts, void **state, char *err, size_t errlen)
{
    if (!opts->url || !opts->url[0]) {
        snprintf(err, errlen, "the openai engine needs a URL (ISIM_TRANSCRIBE_URL)");
        return -1;
    }
    oai_state *st = calloc(1, sizeof *st);
    size_t n = strlen(opts->url) + sizeof OAI_PATH;
    if (st)
        st->endpoint = malloc(n);
    if (!st || !st->endpoint) {
        free(st);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    /* A base URL gets the API path; a URL that names the path is used as is. */
    size_t ul = strlen(opts->url);
    while (ul > 0 && opts->url[ul - 1] == '/')
        ul--;
    if (strstr(opts->url, "/audio/transcriptions"))
        snprintf(st->endpoint, n, "%s", opts->url);
    else
        snprintf(st->endpoint, n, "%.*s%s", (int)ul, opts->url, OAI_PATH);
    st->opts = opts;
    *state = st;
    return 0;
}

static void oai_close(void *state)
{
    oai_state *st = state;
    if (!st)
        return;
    free(st->endpoint);
    free(st);
}

/* Reads through the WAV: checks it is one we accept and returns its length. */
static int wav_duration(const char *path, double *duration, char *err, size_t errlen)
{
    wav_reader r;
    int16_t buf[4096];
    size_t got;
    if (wav_reader_open(&r, path, err, errlen) < 0)
        return -1;
    int rc = 0;
    do
        rc = wav_reader_read(&r, buf, 4096, &got, err, errlen);
    while (rc == 0 && got > 0);
    *duration = (double)r.samples_read / WAV_READER_RATE;
    wav_reader_close(&r);
    return rc;
}

static int mime_field(curl_mime *mime, const char *name, const char *value)
{
    curl_mimepart *part = curl_mime_addpart(mime);
    return part && curl_mime_name(part, name) == CURLE_OK &&
                   curl_mime_data(part, value, CURL_ZERO_TERMINATED) == CURLE_OK
               ? 0
               : -1;
}

/* What one request sends: a WAV file, or a WAV's bytes in memory (a piece). */
typedef struct oai_audio {
    const char *path;
    const char *data;
    size_t len;
} oai_audio;

/* One request. *status is the HTTP status, 0 when no answer came (then
 * *retry tells whether the failure is worth another try). */
static int oai_post(oai_state *st, const oai_audio *audio, const transcribe_call *call, long *status,
                    oai_body *body, int *retry, char *err, size_t errlen)
{
    const transcribe_opts *o = st->opts;
    int rc = -1;
    CURL *curl = curl_easy_init();
    curl_mime *mime = NULL;
    struct curl_slist *hdrs = NULL;
    char auth[1024];
    *status = 0;
    *retry = 0;
    if (!curl || !(mime = curl_mime_init(curl))) {
        snprintf(err, errlen, "cannot start an HTTP request");
        goto out;
    }
    curl_mimepart *file = curl_mime_addpart(mime);
    if (!file || curl_mime_name(file, "file") != CURLE_OK ||
        (audio->path ? curl_mime_filedata(file, audio->path) : curl_mime_data(file, audio->data, audio->len)) !=
            CURLE_OK ||
        curl_mime_filename(file, "audio.wav") != CURLE_OK ||
        curl_mime_type(file, "audio/wav") != CURLE_OK ||
        mime_field(mime, "model", o->model && o->model[0] ? o->model : OAI_DEFAULT_MODEL) < 0 ||
        mime_field(mime, "response_format", "verbose_json") < 0 ||
        mime_field(mime, "timestamp_granularities[]", "word") < 0 ||
        mime_field(mime, "timestamp_granularities[]", "segment") < 0 ||
        /* No language: the server detects it. */
        (strcmp(call->language, "auto") != 0 && mime_field(mime, "language", call->language) < 0) ||
        (call->prompt[0] && mime_field(mime, "prompt", call->prompt) < 0)) {
        snprintf(err, errlen, "cannot build the transcription request");
        goto out;
    }
    if (o->api_key && o->api_key[0]) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", o->api_key);
        hdrs = curl_slist_append(hdrs, auth);
    }
    long timeout_ms = 1000L * (o->timeout_s > 0 ? o->timeout_s : OAI_DEFAULT_TIMEOUT_S);
    curl_easy_setopt(curl, CURLOPT_URL, st->endpoint);
    curl_easy_setopt(curl, CURLOPT_MIMEPOST, mime);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms < 10000 ? timeout_ms : 10000L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, http_reply_write);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, body);
    CURLcode cc = curl_easy_perform(curl);
    if (cc != CURLE_OK) {
        if (body->too_big)
            snprintf(err, errlen, "the transcription service at %s sent more than %u MiB",
                     st->endpoint, OAI_MAX_RESPONSE >> 20);
        else
            snprintf(err, errlen, "the transcription service at %s did not answer: %s",
                     st->endpoint, curl_easy_strerror(cc));
        *retry = cc == CURLE_OPERATION_TIMEDOUT || cc == CURLE_COULDNT_CONNECT ||
                 cc == CURLE_RECV_ERROR || cc == CURLE_SEND_ERROR || cc == CURLE_GOT_NOTHING ||
                 cc == CURLE_PARTIAL_FILE;
        goto out;
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
    rc = 0;
out:
    curl_slist_free_all(hdrs);
    curl_mime_free(mime);
    curl_easy_cleanup(curl);
    return rc;
}

/* "Hello," -> "hello", "Né?" -> "né" (*ends 1: the server's punctuation
 * closed a sentence there); keeps inner apostrophes and hyphens ("don't").
 * 1 when a word is left, 0 when none, -1 out of memory. */
static int oai_word(const char *in, char **out, int *ends)
{
    *out = words_normalise(in, ends);
    if (!*out)
        return -1;
    if (!**out) {
        free(*out);
        *out = NULL;
        return 0;
    }
    return 1;
}

static double oai_conf(const json_t *w)
{
    const json_t *p = json_object_get(w, "probability");
    if (!json_is_number(p))
        p = json_object_get(w, "confidence");
    double c = json_is_number(p) ? json_number_value(p) : 1.0;
    return c < 0.0 ? 0.0 : c > 1.0 ? 1.0 : c;
}

/* The language the server heard, when it detected it: an ISO 639-1 code
 * (servers that answer OpenAI's names, "portuguese", are left as they say). */
static int oai_language(const json_t *resp, const transcribe_call *call, json_t *out)
{
    const char *lang = json_string_value(json_object_get(resp, "language"));
    const json_t *p = json_object_get(resp, "language_probability");
    if (strcmp(call->language, "auto") != 0)
        return json_object_set_new(out, "language", json_string(call->language));
    if (json_object_set_new(out, "language", json_string(lang && *lang ? lang : "unknown")) < 0)
        return -1;
    if (json_is_number(p) && json_number_value(p) >= 0 && json_number_value(p) <= 1)
        return json_object_set(out, "language_probability", (json_t *)p);
    return 0;
}

/* The server's verbose_json to the transcript's words and segments. */
static int oai_parse(oai_state *st, const oai_body *body, double duration,
                     const transcribe_call *call, json_t **out, char *err, size_t errlen)
{
    json_error_t je;
    json_t *resp = json_loadb(body->data ? body->data : "", body->len, 0, &je);
    json_t *words = json_array(), *segs = json_array();
    const json_t *rw = json_object_get(resp, "words"), *rs = json_object_get(resp, "segments");
    int rc = -1;
    size_t i;
    const json_t *x;
    if (!resp || !json_is_object(resp)) {
        snprintf(err, errlen, "the transcription service at %s answered with malformed JSON (%s)",
                 st->endpoint, resp ? "not an object" : je.text);
        goto out;
    }
    if (!json_is_array(rw)) {
        snprintf(err, errlen, "the transcription service at %s sent no word timestamps "
                 "(\"words\"); it must support timestamp_granularities[]=word", st->endpoint);
        goto out;
    }
    json_array_foreach(rw, i, x) {
        char *word = NULL;
        const json_t *s = json_object_get(x, "start"), *e = json_object_get(x, "end");
        const char *text = json_string_value(json_object_get(x, "word"));
        if (!text || !json_is_number(s) || !json_is_number(e) ||
            json_number_value(e) < json_number_value(s) || json_number_value(s) < 0) {
            snprintf(err, errlen, "the transcription service at %s sent word %zu without "
                     "valid \"word\", \"start\" and \"end\"", st->endpoint, i);
            goto out;
        }
        int ends = 0;
        int got = oai_word(text, &word, &ends);
        if (got < 0)
            goto oom;
        if (!got)
            continue;
        json_t *item = json_pack("{s:s, s:f, s:f, s:f}", "word", word, "start", json_number_value(s), "end",
                                 json_number_value(e), "confidence", oai_conf(x));
        /* Sentence ends survive the word's clean-up: they split sentences
         * downstream better than pauses do. */
        if (item && ends)
            json_object_set_new(item, "sentence_end", json_true());
        int bad = !item || json_array_append_new(words, item) < 0;
        free(word);
        if (bad)
            goto oom;
    }
    json_array_foreach(rs, i, x) {
        const json_t *s = json_object_get(x, "start"), *e = json_object_get(x, "end");
        const char *text = json_string_value(json_object_get(x, "text"));
        if (!text || !json_is_number(s) || !json_is_number(e) || json_number_value(s) < 0 ||
            json_number_value(e) < json_number_value(s))
            continue;
        while (isspace((unsigned char)*text))
            text++;
        if (json_array_append_new(segs, json_pack("{s:f, s:f, s:s}", "start",
                                                  json_number_value(s), "end",
                                                  json_number_value(e), "text", text)) < 0)
            goto oom;
    }
    /* Which model made it: the server's word (faster-whisper servers name the
     * model folder), else the name that was asked for. */
    const char *model = json_string_value(json_object_get(resp, "model"));
    if (!model || !*model)
        model = st->opts->model && st->opts->model[0] ? st->opts->model : OAI_DEFAULT_MODEL;
    *out = json_pack("{s:f, s:O, s:s}", "duration_s", duration, "words", words, "model", model);
    if (!*out)
        goto oom;
    /* Without segments from the server, transcribe.c makes them from pauses. */
    if (json_array_size(segs) > 0 && json_object_set(*out, "segments", segs) < 0)
        goto oom;
    if (oai_language(resp, call, *out) < 0)
        goto oom;
    rc = 0;
    goto out;
oom:
    snprintf(err, errlen, "out of memory building the transcript");
out:
    if (rc < 0 && *out) {
        json_decref(*out);
        *out = NULL;
    }
    json_decref(resp);
    json_decref(words);
    json_decref(segs);
    return rc;
}

/* The "error.message" of an OpenAI-style error answer, or the body's start. */
static void oai_reason(const oai_body *body, char *out, size_t outlen)
{
    json_t *j = json_loadb(body->data ? body->data : "", body->len, 0, NULL);
    const char *msg = json_string_value(json_object_get(json_object_get(j, "error"), "message"));
    if (!msg)
        msg = json_string_value(json_object_get(j, "error"));
    snprintf(out, outlen, "%.200s", msg ? msg : body->data ? body->data : "");
    json_decref(j);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

/* One recording or piece, with retries: *out as oai_parse makes it. */
static int oai_request(oai_state *st, const oai_audio *audio, double duration, const transcribe_call *call,
                       json_t **out, char *err, size_t errlen)
{
    const transcribe_opts *o = st->opts;
    int attempts = o->attempts > 0 ? o->attempts : OAI_DEFAULT_ATTEMPTS;
    long backoff = o->backoff_ms > 0 ? o->backoff_ms : OAI_DEFAULT_BACKOFF_MS;
    *out = NULL;
    for (int attempt = 1; attempt <= attempts; attempt++) {
        oai_body body = {.max = OAI_MAX_RESPONSE};
        long status;
        int retry, rc;
        if (attempt > 1)
            sleep_ms(backoff << (attempt - 2));
        rc = oai_post(st, audio, call, &status, &body, &retry, err, errlen);
        if (rc == 0 && status == 200) {
            rc = oai_parse(st, &body, duration, call, out, err, errlen);
            http_reply_release(&body);
            return rc;
        }
        if (rc == 0) {
            char reason[256];
            oai_reason(&body, reason, sizeof reason);
            retry = status >= 500 || status == 429;
            if (status == 401 || status == 403)
                snprintf(err, errlen,
                         "the transcription service at %s refused the API key (HTTP %ld: %s); "
                         "check ISIM_TRANSCRIBE_API_KEY",
                         st->endpoint, status, reason);
            else
                snprintf(err, errlen, "the transcription service at %s answered HTTP %ld: %s",
                         st->endpoint, status, reason);
        }
        http_reply_release(&body);
        if (!retry)
            return -1;
        if (attempt == attempts) {
            size_t l = strlen(err);
            snprintf(err + l, errlen > l ? errlen - l : 0, " (after %d tries)", attempts);
        }
    }
    return -1;
}

/* Appends the items of from (words or segments of a piece) to to, their
 * "start" and "end" moved by offset seconds. */
static int oai_append_shifted(json_t *to, const json_t *from, double offset)
{
    size_t i;
    const json_t *x;
    json_array_foreach(from, i, x) {
        json_t *c = json_deep_copy(x);
        if (!c || json_object_set_new(c, "start", json_real(json_number_value(json_object_get(x, "start")) + offset)) < 0 ||
            json_object_set_new(c, "end", json_real(json_number_value(json_object_get(x, "end")) + offset)) < 0 ||
            json_array_append_new(to, c) < 0) {
            json_decref(c);
            return -1;
        }
    }
    return 0;
}

/* A recording longer than opts->piece_s: one request per piece, the words
 * and segments put back on the recording's time line. With "auto", the
 * language the first piece was heard in is asked for the others, so one
 * answer is not transcribed in two languages. */
static int oai_run_pieces(oai_state *st, const char *wav_path, double duration, const transcribe_call *call,
                          json_t **out, char *err, size_t errlen)
{
    oai_pieces pieces;
    json_t *words = json_array(), *segs = json_array(), *piece = NULL;
    transcribe_call each = *call;
    char heard[32] = "";
    int rc = -1;
    *out = NULL;
    if (oai_pieces_cut(wav_path, st->opts->piece_s, &pieces, err, errlen) < 0)
        goto out;
    char lens[512] = "";
    for (size_t i = 0, l = 0; i < pieces.n && l < sizeof lens; i++)
        l += (size_t)snprintf(lens + l, sizeof lens - l, "%s%.1f", i ? " " : "", pieces.v[i].len_s);
    log_info("%.1f s of audio sent in %zu pieces, seconds: %s", duration, pieces.n, lens);
    for (size_t i = 0; i < pieces.n; i++) {
        const oai_piece *p = &pieces.v[i];
        oai_audio audio = {.data = p->wav, .len = p->wav_len};
        if (oai_request(st, &audio, p->len_s, &each, &piece, err, errlen) < 0) {
            size_t l = strlen(err);
            snprintf(err + l, errlen > l ? errlen - l : 0, " (on the audio from %.0f s to %.0f s)", p->start_s,
                     p->start_s + p->len_s);
            goto out;
        }
        if (oai_append_shifted(words, json_object_get(piece, "words"), p->start_s) < 0 ||
            oai_append_shifted(segs, json_object_get(piece, "segments"), p->start_s) < 0)
            goto oom;
        if (i == 0) {
            const char *lang = json_string_value(json_object_get(piece, "language"));
            if (strcmp(call->language, "auto") == 0 && lang && strcmp(lang, "unknown") != 0) {
                snprintf(heard, sizeof heard, "%s", lang);
                each.language = heard;
            }
            *out = piece; /* model, language and its probability: the first piece's */
            piece = NULL;
        } else {
            json_decref(piece);
            piece = NULL;
        }
    }
    if (!*out && !(*out = json_pack("{s:s}", "model", st->opts->model && st->opts->model[0] ? st->opts->model
                                                                                         : OAI_DEFAULT_MODEL)))
        goto oom;
    if (json_object_set_new(*out, "duration_s", json_real(duration)) < 0 ||
        json_object_set(*out, "words", words) < 0)
        goto oom;
    /* As for one request: without segments from the server, transcribe.c
     * makes them from pauses. */
    if (json_array_size(segs) > 0 && json_object_set(*out, "segments", segs) < 0)
        goto oom;
    rc = 0;
    goto out;
oom:
    snprintf(err, errlen, "out of memory building the transcript");
out:
    if (rc < 0) {
        json_decref(*out);
        *out = NULL;
    }
    json_decref(piece);
    json_decref(words);
    json_decref(segs);
    oai_pieces_release(&pieces);
    return rc;
}

static int oai_run(void *state, const char *wav_path, const transcribe_call *call, json_t **out,
                   char *err, size_t errlen)
{
    oai_state *st = state;
    double duration;
    *out = NULL;
    if (wav_duration(wav_path, &duration, err, errlen) < 0)
        return -1;
    if (st->opts->piece_s > 0 && duration > st->opts->piece_s)
        return oai_run_pieces(st, wav_path, duration, call, out, err, errlen);
    oai_audio audio = {.path = wav_path};
    return oai_request(st, &audio, duration, call, out, err, errlen);
}

const transcribe_engine openai_engine = {"openai", oai_open, oai_run, oai_close};

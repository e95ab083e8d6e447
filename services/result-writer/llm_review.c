#include "llm_review.h"

#include "http_reply.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LLM_MAX_WORDS 3000          /* transcript words sent */
#define LLM_MAX_RESPONSE (1 << 20)  /* bytes accepted from the server */
/* Tokens the model may write: a full review is about 500. Without a limit a
 * small model in JSON mode can pad with whitespace until its context is full,
 * and a local server keeps generating after we time out, delaying the next
 * interviews' reviews (bench/llm, docs/ai-review.md). */
#define LLM_MAX_TOKENS 1024

static const char *const LLM_SYSTEM =
    "You are an interview coach. You get an interview question and the candidate's spoken answer "
    "as lines \"<start seconds> <word>\". Reply with one JSON object only, no prose, of this shape: "
    "{\"strengths\":[{\"claim\":\"...\",\"spans\":[{\"start\":S,\"end\":E}]}],"
    "\"improvements\":[{\"claim\":\"...\",\"spans\":[{\"start\":S,\"end\":E}]}],"
    "\"outline\":[\"step of a better answer\", ...]}. "
    "Every claim must cite at least one span of the answer by its start and end in seconds, "
    "taken from the word times. At most 3 strengths, 3 improvements and 6 outline steps.";

static double llm_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* How far past the first and last word a span may reach: the model sees
 * only start times, rounded to 0.01 s. */
#define LLM_SPAN_SLACK_S 1.0

/* The answer's extent, from its first word's start to its last word's end. */
static void llm_answer_extent(const json_t *words, double *from, double *to)
{
    size_t n = json_array_size(words);
    *from = n ? json_number_value(json_object_get(json_array_get(words, 0), "start")) : 0.0;
    *to = n ? json_number_value(json_object_get(json_array_get(words, n - 1), "end")) : 0.0;
}

/* 0 when the span lies inside the answer and covers a word, whose text it
 * then gets as "words"; -1 with why not. */
static int llm_span_check(json_t *span, const json_t *words, char *err, size_t errlen)
{
    const json_t *a = json_object_get(span, "start"), *b = json_object_get(span, "end");
    if (!json_is_number(a) || !json_is_number(b) || json_number_value(b) < json_number_value(a)) {
        snprintf(err, errlen, "a span needs numeric start <= end");
        return -1;
    }
    double s = json_number_value(a), e = json_number_value(b), from, to;
    llm_answer_extent(words, &from, &to);
    if (s < from - LLM_SPAN_SLACK_S || e > to + LLM_SPAN_SLACK_S) {
        snprintf(err, errlen, "span %.2f-%.2f s reaches outside the answer (%.2f-%.2f s)", s, e, from, to);
        return -1;
    }
    char said[512] = "";
    size_t i, used = 0;
    const json_t *w;
    json_array_foreach(words, i, w) {
        double ws = json_number_value(json_object_get(w, "start"));
        double we = json_number_value(json_object_get(w, "end"));
        const char *t = json_string_value(json_object_get(w, "word"));
        if (!t || we < s - 0.05 || ws > e + 0.05)
            continue;
        if (used + strlen(t) + 2 < sizeof(said))
            used += (size_t)snprintf(said + used, sizeof(said) - used, "%s%s", used ? " " : "", t);
    }
    if (!used) {
        snprintf(err, errlen, "span %.2f-%.2f s covers no word of the answer", s, e);
        return -1;
    }
    json_object_set_new(span, "words", json_string(said));
    return 0;
}

/* Keeps only the keys named in keep (NULL-terminated): whatever else the
 * model adds (links, other fields) never reaches the report. */
static void llm_keep_keys(json_t *o, const char *const *keep)
{
    const char *k;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(o, tmp, k, v) {
        size_t i = 0;
        while (keep[i] && strcmp(keep[i], k) != 0)
            i++;
        if (!keep[i])
            json_object_del(o, k);
    }
}

static const char *const LLM_REVIEW_KEYS[] = {"strengths", "improvements", "outline", NULL};
static const char *const LLM_CLAIM_KEYS[] = {"claim", "spans", NULL};
static const char *const LLM_SPAN_KEYS[] = {"start", "end", "words", NULL};

/* Text that says something: a letter or digit, not the prompt's "..." copied. */
static int llm_has_text(const char *t)
{
    for (; t && *t; t++)
        if (isalnum((unsigned char)*t))
            return 1;
    return 0;
}

/* 0 when the claim has text and every span checks out; -1 with why not. */
static int llm_claim_check(json_t *c, const json_t *words, char *err, size_t errlen)
{
    json_t *spans = json_object_get(c, "spans"), *span;
    size_t j;
    if (!json_is_object(c) || !llm_has_text(json_string_value(json_object_get(c, "claim"))) ||
        !json_is_array(spans) || json_array_size(spans) == 0) {
        snprintf(err, errlen, "a claim needs text and at least one span");
        return -1;
    }
    json_array_foreach(spans, j, span) {
        if (!json_is_object(span) || llm_span_check(span, words, err, errlen) != 0)
            return -1;
        llm_keep_keys(span, LLM_SPAN_KEYS);
    }
    llm_keep_keys(c, LLM_CLAIM_KEYS);
    return 0;
}

/* Drops each claim that is not tied to the answer (it is never shown); counts
 * kept and dropped claims. -1 only when claims is not an array. */
static int llm_claims_filter(json_t *claims, const char *key, const json_t *words, size_t *kept,
                             size_t *dropped, char *why, size_t whylen, char *err, size_t errlen)
{
    if (!json_is_array(claims)) {
        snprintf(err, errlen, "%s must be an array", key);
        return -1;
    }
    for (size_t i = 0; i < json_array_size(claims);) {
        char reason[256];
        if (llm_claim_check(json_array_get(claims, i), words, reason, sizeof(reason)) == 0) {
            (*kept)++;
            i++;
            continue;
        }
        snprintf(why, whylen, "%s[%zu]: %s", key, i + *dropped, reason);
        (*dropped)++;
        json_array_remove(claims, i);
    }
    return 0;
}

int llm_review_validate(json_t *review, const json_t *words, char *err, size_t errlen)
{
    const json_t *outline = json_object_get(review, "outline");
    char why[320] = "";
    size_t kept = 0, dropped = 0;
    if (!json_is_object(review)) {
        snprintf(err, errlen, "the review is not a JSON object");
        return -1;
    }
    if (llm_claims_filter(json_object_get(review, "strengths"), "strengths", words, &kept, &dropped, why,
                          sizeof(why), err, errlen) ||
        llm_claims_filter(json_object_get(review, "improvements"), "improvements", words, &kept, &dropped,
                          why, sizeof(why), err, errlen))
        return -1;
    /* a review whose every claim was dropped says nothing tied to the answer */
    if (dropped && !kept) {
        snprintf(err, errlen, "no claim is tied to the answer (%s)", why);
        return -1;
    }
    size_t i;
    const json_t *s;
    if (!json_is_array(outline)) {
        snprintf(err, errlen, "outline must be an array of strings");
        return -1;
    }
    json_array_foreach(outline, i, s) {
        if (!json_is_string(s)) {
            snprintf(err, errlen, "outline[%zu] is not a string", i);
            return -1;
        }
    }
    llm_keep_keys(review, LLM_REVIEW_KEYS);
    json_object_set_new(review, "dropped_claims", json_integer((json_int_t)dropped));
    return 0;
}

static char *llm_request_body(const llm_opts *o, const json_t *report)
{
    const json_t *words = json_object_get(json_object_get(report, "transcript"), "words");
    size_t cap = 256 + 48 * (json_array_size(words) + 1), used = 0;
    char *user = malloc(cap);
    if (!user)
        return NULL;
    const char *q = json_string_value(json_object_get(report, "question"));
    used += (size_t)snprintf(user, cap, "Question: %s\nAnswer:\n", q ? q : "");
    size_t i;
    const json_t *w;
    json_array_foreach(words, i, w) {
        const char *t = json_string_value(json_object_get(w, "word"));
        if (i >= LLM_MAX_WORDS || !t || used + strlen(t) + 24 >= cap)
            break;
        used += (size_t)snprintf(user + used, cap - used, "%.2f %s\n",
                                 json_number_value(json_object_get(w, "start")), t);
    }
    json_t *body = json_pack("{s:s, s:[{s:s, s:s}, {s:s, s:s}], s:f, s:i, s:{s:s}}", "model",
                             o->model ? o->model : "", "messages", "role", "system", "content",
                             LLM_SYSTEM, "role", "user", "content", user, "temperature", 0.0,
                             "max_tokens", LLM_MAX_TOKENS, "response_format", "type", "json_object");
    free(user);
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    return text;
}

/* The JSON object inside the model's message (models sometimes wrap it in a
 * code fence). */
static json_t *llm_parse_reply(const char *http_body, char *err, size_t errlen)
{
    json_t *resp = json_loads(http_body, 0, NULL), *review = NULL;
    const char *content = json_string_value(json_object_get(
        json_object_get(json_array_get(json_object_get(resp, "choices"), 0), "message"), "content"));
    if (!content) {
        snprintf(err, errlen, "the reply has no choices[0].message.content");
        goto out;
    }
    const char *a = strchr(content, '{'), *b = strrchr(content, '}');
    if (a && b && b > a)
        review = json_loadb(a, (size_t)(b - a + 1), 0, NULL);
    if (!review)
        snprintf(err, errlen, "the model's message is not a JSON object");
out:
    json_decref(resp);
    return review;
}

static int llm_attempt(const llm_opts *o, const char *body, long timeout_ms, const json_t *words,
                       json_t **review, char *err, size_t errlen)
{
    int rc = -1;
    char url[2048];
    http_reply reply = {.max = LLM_MAX_RESPONSE};
    long status = 0;
    size_t ul = strlen(o->url);
    snprintf(url, sizeof(url), "%s%schat/completions", o->url, ul && o->url[ul - 1] == '/' ? "" : "/");
    if (http_post_json(url, o->api_key, body, timeout_ms, "AI review request failed", &reply, &status, err,
                       errlen) != 0)
        goto out;
    if (status != 200) {
        snprintf(err, errlen, "AI review server answered HTTP %ld", status);
        goto out;
    }
    *review = llm_parse_reply(reply.data ? reply.data : "", err, errlen);
    if (!*review)
        goto out;
    if (llm_review_validate(*review, words, err, errlen) != 0) {
        json_decref(*review);
        *review = NULL;
        goto out;
    }
    rc = 0;
out:
    http_reply_release(&reply);
    return rc;
}

int llm_review_run(const llm_opts *o, const json_t *report, json_t **review, int *attempts,
                   char *err, size_t errlen)
{
    int rc = -1;
    *review = NULL;
    *attempts = 0;
    const json_t *words = json_object_get(json_object_get(report, "transcript"), "words");
    char *body = llm_request_body(o, report);
    if (!body) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    double deadline = llm_now() + (o->timeout_s > 0 ? o->timeout_s : 1);
    for (int i = 0; i <= o->retries; i++) {
        long left_ms = (long)((deadline - llm_now()) * 1000);
        if (left_ms < 50) {
            if (i == 0)
                snprintf(err, errlen, "no time left for the AI review");
            break;
        }
        (*attempts)++;
        if (llm_attempt(o, body, left_ms, words, review, err, errlen) == 0) {
            rc = 0;
            break;
        }
    }
    free(body);
    return rc;
}

void llm_review_attach(const llm_opts *o, json_t *report)
{
    if (!o || !o->url || !*o->url)
        return;
    char err[512] = "";
    int attempts = 0;
    json_t *review = NULL, *out;
    if (llm_review_run(o, report, &review, &attempts, err, sizeof(err)) == 0) {
        out = review;
        json_object_set_new(out, "status", json_string("ok"));
        json_object_set_new(out, "model", json_string(o->model ? o->model : ""));
    } else {
        out = json_pack("{s:s, s:s, s:s}", "status", "unavailable", "reason", err, "fallback",
                        "The rule-based score and tips above stand on their own.");
    }
    if (out)
        json_object_set_new(out, "attempts", json_integer(attempts));
    json_object_set_new(report, "ai_review", out ? out : json_null());
}

/* The embedded engine: pocketsphinx, with the audio cut into chunks at pauses
 * (vad_chunker) and the chunks decoded in parallel, one decoder per thread.
 * Memory stays bounded: the reader waits while PS_QUEUE_PER_THREAD chunks per
 * thread are queued, and a chunk is at most max_chunk_s long. */
#include "audio_prep.h"
#include "ps_setup.h"
#include "ps_word.h"
#include "transcribe_engine.h"
#include "vad_chunker.h"
#include "wav_reader.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PS_MAX_THREADS 16
#define PS_QUEUE_PER_THREAD 2
#define PS_READ_SAMPLES 4096
#define PS_WORD_MAX 128
#define PS_DEFAULT_MIN_CHUNK_S 10.0
#define PS_DEFAULT_MAX_CHUNK_S 30.0
#define PS_HIGHPASS_HZ 60.0
#define PS_NORM_PEAK 29000.0
#define PS_NORM_MAX_GAIN 8.0

typedef struct ps_state {
    const transcribe_opts *opts;
    int nthreads;
    ps_setup dec[PS_MAX_THREADS]; /* loaded by the first chunk each thread decodes */
} ps_state;

typedef struct ps_job {
    ps_state *st;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    vad_chunk *queue[PS_MAX_THREADS * PS_QUEUE_PER_THREAD];
    size_t qcap, qhead, qlen;
    int done, failed;
    char err[512];
    json_t **results; /* words of each chunk, by chunk index */
    size_t nresults;
} ps_job;

typedef struct ps_worker {
    ps_job *job;
    int slot;
} ps_worker;

static int ps_open(const transcribe_opts *opts, void **state, char *err, size_t errlen)
{
    ps_state *st = calloc(1, sizeof *st);
    if (!st) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    st->opts = opts;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    st->nthreads = opts->threads > 0 ? opts->threads : cores > 0 ? (int)cores : 1;
    if (st->nthreads > PS_MAX_THREADS)
        st->nthreads = PS_MAX_THREADS;
    *state = st;
    return 0;
}

static void ps_close(void *state)
{
    ps_state *st = state;
    if (!st)
        return;
    for (int i = 0; i < PS_MAX_THREADS; i++)
        ps_setup_free(&st->dec[i]);
    free(st);
}

static void job_fail(ps_job *job, const char *msg)
{
    pthread_mutex_lock(&job->lock);
    if (!job->failed)
        snprintf(job->err, sizeof job->err, "%s", msg);
    job->failed = 1;
    pthread_cond_broadcast(&job->cond);
    pthread_mutex_unlock(&job->lock);
}

/* Decodes one chunk as one utterance; *words gets its words in stream time. */
static int decode_chunk(ps_setup *d, const transcribe_opts *opts, vad_chunk *c, json_t **words,
                        char *err, size_t errlen)
{
    *words = json_array();
    if (!*words) {
        snprintf(err, errlen, "out of memory building the transcript");
        return -1;
    }
    if (!opts->ps_stock && !opts->ps_no_prep) {
        audio_prep_highpass(c->samples, c->n, PS_HIGHPASS_HZ);
        audio_prep_normalise(c->samples, c->n, PS_NORM_PEAK, PS_NORM_MAX_GAIN);
    }
    /* full_utt: the whole chunk at once, so -cmn batch sees all of it. */
    if (ps_start_utt(d->ps) < 0 || ps_process_raw(d->ps, c->samples, c->n, FALSE, TRUE) < 0 ||
        ps_end_utt(d->ps) < 0) {
        snprintf(err, errlen, "pocketsphinx failed to decode the audio");
        return -1;
    }
    double offset = (double)c->start / WAV_READER_RATE;
    logmath_t *lmath = ps_get_logmath(d->ps);
    for (ps_seg_t *seg = ps_seg_iter(d->ps); seg; seg = ps_seg_next(seg)) {
        char word[PS_WORD_MAX];
        int sf, ef;
        int32 ascr, lscr, lback;
        if (!ps_word_normalise(ps_seg_word(seg), word, sizeof word))
            continue;
        ps_seg_frames(seg, &sf, &ef);
        double conf = logmath_exp(lmath, ps_seg_prob(seg, &ascr, &lscr, &lback));
        conf = conf > 1.0 ? 1.0 : conf < 0.0 ? 0.0 : conf;
        /* ef is inclusive: the word lasts until the end of that frame. */
        json_t *w = json_pack("{s:s, s:f, s:f, s:f}", "word", word, "start",
                              offset + (double)sf / d->frate, "end",
                              offset + (double)(ef + 1) / d->frate, "confidence", conf);
        if (!w || json_array_append_new(*words, w) < 0) {
            ps_seg_free(seg);
            snprintf(err, errlen, "out of memory building the transcript");
            return -1;
        }
    }
    return 0;
}

static int job_store(ps_job *job, size_t index, json_t *words)
{
    int rc = 0;
    pthread_mutex_lock(&job->lock);
    if (index >= job->nresults) {
        size_t n = index + 16;
        json_t **grown = realloc(job->results, n * sizeof *grown);
        if (!grown) {
            rc = -1;
            goto out;
        }
        memset(grown + job->nresults, 0, (n - job->nresults) * sizeof *grown);
        job->results = grown;
        job->nresults = n;
    }
    job->results[index] = words;
out:
    pthread_mutex_unlock(&job->lock);
    return rc;
}

static vad_chunk *job_pop(ps_job *job)
{
    vad_chunk *c = NULL;
    pthread_mutex_lock(&job->lock);
    while (job->qlen == 0 && !job->done && !job->failed)
        pthread_cond_wait(&job->cond, &job->lock);
    if (!job->failed && job->qlen > 0) {
        c = job->queue[job->qhead];
        job->qhead = (job->qhead + 1) % job->qcap;
        job->qlen--;
        pthread_cond_broadcast(&job->cond);
    }
    pthread_mutex_unlock(&job->lock);
    return c;
}

static void *ps_worker_main(void *arg)
{
    ps_worker *wk = arg;
    ps_job *job = wk->job;
    ps_setup *d = &job->st->dec[wk->slot];
    const transcribe_opts *opts = job->st->opts;
    char err[512];
    vad_chunk *c;
    while ((c = job_pop(job))) {
        json_t *words = NULL;
        int rc = 0;
        if (c->has_speech) {
            if (!d->ps)
                rc = ps_setup_new(d, opts->model_dir, opts->ps_stock, opts->ps_args, err,
                                  sizeof err);
            if (rc == 0)
                rc = decode_chunk(d, opts, c, &words, err, sizeof err);
            if (rc == 0 && job_store(job, c->index, words) < 0) {
                snprintf(err, sizeof err, "out of memory building the transcript");
                rc = -1;
            }
        }
        vad_chunk_free(c);
        if (rc < 0) {
            json_decref(words);
            job_fail(job, err);
            break;
        }
    }
    return NULL;
}

/* vad_chunker callback on the reading thread: queue the chunk for a worker. */
static int job_push(vad_chunk *c, void *user)
{
    ps_job *job = user;
    int rc = 0;
    pthread_mutex_lock(&job->lock);
    while (job->qlen == job->qcap && !job->failed)
        pthread_cond_wait(&job->cond, &job->lock);
    if (job->failed) {
        rc = 1;
    } else {
        job->queue[(job->qhead + job->qlen) % job->qcap] = c;
        job->qlen++;
        pthread_cond_broadcast(&job->cond);
        c = NULL;
    }
    pthread_mutex_unlock(&job->lock);
    vad_chunk_free(c);
    return rc;
}

/* Reads the WAV into the chunker until its end, an error, or a failed worker. */
static int read_audio(wav_reader *wav, vad_chunker *vc, ps_job *job)
{
    int16_t buf[PS_READ_SAMPLES];
    size_t got;
    char err[512];
    for (;;) {
        if (wav_reader_read(wav, buf, PS_READ_SAMPLES, &got, err, sizeof err) < 0) {
            job_fail(job, err);
            return -1;
        }
        if (got == 0)
            break;
        if (vad_chunker_push(vc, buf, got) != 0)
            goto fail;
    }
    if (vad_chunker_finish(vc) != 0)
        goto fail;
    return 0;
fail:
    job_fail(job, "out of memory splitting the audio"); /* unless a worker failed first */
    return -1;
}

/* Concatenates the chunks' words in chunk order. */
static json_t *stitch(ps_job *job)
{
    json_t *all = json_array();
    for (size_t i = 0; all && i < job->nresults; i++)
        if (job->results[i] && json_array_extend(all, job->results[i]) < 0) {
            json_decref(all);
            all = NULL;
        }
    return all;
}

static int ps_run(void *state, const char *wav_path, const transcribe_call *call, json_t **out,
                  char *err, size_t errlen)
{
    ps_state *st = state;
    int rc = -1, started = 0;
    wav_reader wav = {0};
    vad_chunker vc = {0};
    ps_job job = {.st = st, .qcap = (size_t)st->nthreads * PS_QUEUE_PER_THREAD};
    pthread_t tids[PS_MAX_THREADS];
    ps_worker workers[PS_MAX_THREADS];
    json_t *words = NULL;
    const transcribe_opts *o = st->opts;

    pthread_mutex_init(&job.lock, NULL);
    pthread_cond_init(&job.cond, NULL);
    /* Its acoustic model and dictionary are English; "auto" is taken as English. */
    if (strcmp(call->language, "en") != 0 && strcmp(call->language, "auto") != 0) {
        snprintf(err, errlen, "the embedded engine (pocketsphinx) transcribes English only, not \"%s\": "
                 "set ISIM_TRANSCRIBE_URL to the speech-to-text server", call->language);
        goto out;
    }
    if (wav_reader_open(&wav, wav_path, err, errlen) < 0)
        goto out;
    if (vad_chunker_init(&vc, o->min_chunk_s > 0 ? o->min_chunk_s : PS_DEFAULT_MIN_CHUNK_S,
                         o->max_chunk_s > 0 ? o->max_chunk_s : PS_DEFAULT_MAX_CHUNK_S, job_push,
                         &job, err, errlen) < 0)
        goto out;
    for (; started < st->nthreads; started++) {
        workers[started] = (ps_worker){&job, started};
        if (pthread_create(&tids[started], NULL, ps_worker_main, &workers[started]) != 0) {
            job_fail(&job, "cannot start a decoding thread");
            break;
        }
    }
    if (started == st->nthreads)
        read_audio(&wav, &vc, &job);
    pthread_mutex_lock(&job.lock);
    job.done = 1;
    pthread_cond_broadcast(&job.cond);
    pthread_mutex_unlock(&job.lock);
    for (int i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    if (job.failed) {
        snprintf(err, errlen, "%s", job.err);
        goto out;
    }
    words = stitch(&job);
    *out = words ? json_pack("{s:f, s:o}", "duration_s",
                             (double)wav.samples_read / WAV_READER_RATE, "words", words)
                 : NULL;
    if (!*out) {
        snprintf(err, errlen, "out of memory building the transcript");
        goto out;
    }
    rc = 0;
out:
    for (size_t i = 0; i < job.qlen; i++)
        vad_chunk_free(job.queue[(job.qhead + i) % job.qcap]);
    for (size_t i = 0; i < job.nresults; i++)
        json_decref(job.results[i]);
    free(job.results);
    vad_chunker_release(&vc);
    wav_reader_close(&wav);
    pthread_cond_destroy(&job.cond);
    pthread_mutex_destroy(&job.lock);
    return rc;
}

const transcribe_engine ps_engine = {"pocketsphinx", ps_open, ps_run, ps_close};

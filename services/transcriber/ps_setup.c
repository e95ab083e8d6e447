#include "ps_setup.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PS_MAX_ARGS 64

/* Measured on the five pocketsphinx-testdata clips (bench/transcriber/README.md
 * lists every setting tried and its word error rate): what helps is decoding
 * each chunk as one whole utterance (ps_engine.c) so that the model's batch
 * cepstral mean normalisation sees all of it; the beams, language weight and
 * insertion penalties tried were no better than the defaults, or worse. The
 * model's feat.params asks for batch CMN too: it is named here so that no
 * default elsewhere can turn it into live CMN. */
static const char *const PS_TUNED[] = {
    "-cmn", "batch",
    NULL,
};

/* ps_init sets the library's global log file (-logfn): one at a time. */
static pthread_mutex_t ps_init_lock = PTHREAD_MUTEX_INITIALIZER;

static int model_path(char *out, size_t outlen, const char *dir, const char *name, char *err,
                      size_t errlen)
{
    int n = snprintf(out, outlen, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= outlen) {
        snprintf(err, errlen, "model path too long: %s/%s", dir, name);
        return -1;
    }
    if (access(out, R_OK) != 0) {
        snprintf(err, errlen, "pocketsphinx model file %s: %s", out, strerror(errno));
        return -1;
    }
    return 0;
}

/* Sets name to value in argv (pairs), replacing an earlier value. */
static int arg_set(char **argv, int *argc, char *name, char *value)
{
    for (int i = 0; i + 1 < *argc; i += 2)
        if (strcmp(argv[i], name) == 0) {
            argv[i + 1] = value;
            return 0;
        }
    if (*argc + 2 > PS_MAX_ARGS)
        return -1;
    argv[(*argc)++] = name;
    argv[(*argc)++] = value;
    return 0;
}

/* Splits extra ("-lw 9 -beam 1e-60") in place into pairs added to argv. */
static int add_extra(char **argv, int *argc, char *extra, char *err, size_t errlen)
{
    char *save = NULL;
    for (char *name = strtok_r(extra, " \t\n", &save); name;
         name = strtok_r(NULL, " \t\n", &save)) {
        char *value = strtok_r(NULL, " \t\n", &save);
        if (name[0] != '-' || !value) {
            snprintf(err, errlen, "pocketsphinx arguments must be \"-name value\" pairs, at '%s'",
                     name);
            return -1;
        }
        if (arg_set(argv, argc, name, value) < 0) {
            snprintf(err, errlen, "too many pocketsphinx arguments");
            return -1;
        }
    }
    return 0;
}

int ps_setup_new(ps_setup *s, const char *model_dir, int stock, const char *extra, char *err,
                 size_t errlen)
{
    int rc = -1;
    char hmm[PATH_MAX], lm[PATH_MAX], dict[PATH_MAX];
    char *argv[PS_MAX_ARGS];
    int argc = 0;
    memset(s, 0, sizeof *s);
    if (!model_dir)
        model_dir = PS_SETUP_DEFAULT_MODEL_DIR;
    if (model_path(hmm, sizeof hmm, model_dir, "en-us", err, errlen) < 0 ||
        model_path(lm, sizeof lm, model_dir, "en-us.lm.bin", err, errlen) < 0 ||
        model_path(dict, sizeof dict, model_dir, "cmudict-en-us.dict", err, errlen) < 0)
        goto out;
    /* -remove_silence no: dropping silent frames would shift every later word
     * time by the silence removed before it. */
    arg_set(argv, &argc, "-hmm", hmm);
    arg_set(argv, &argc, "-lm", lm);
    arg_set(argv, &argc, "-dict", dict);
    arg_set(argv, &argc, "-logfn", "/dev/null");
    arg_set(argv, &argc, "-remove_silence", "no");
    for (size_t i = 0; !stock && PS_TUNED[i]; i += 2)
        arg_set(argv, &argc, (char *)PS_TUNED[i], (char *)PS_TUNED[i + 1]);
    if (extra && extra[0]) {
        s->args_copy = strdup(extra);
        if (!s->args_copy) {
            snprintf(err, errlen, "out of memory");
            goto out;
        }
        if (add_extra(argv, &argc, s->args_copy, err, errlen) < 0)
            goto out;
    }
    s->config = cmd_ln_parse_r(NULL, ps_args(), argc, argv, TRUE);
    if (!s->config) {
        snprintf(err, errlen, "pocketsphinx rejected its configuration%s%s",
                 extra && extra[0] ? ": check the arguments " : "", extra ? extra : "");
        goto out;
    }
    pthread_mutex_lock(&ps_init_lock);
    s->ps = ps_init(s->config);
    pthread_mutex_unlock(&ps_init_lock);
    if (!s->ps) {
        snprintf(err, errlen, "pocketsphinx failed to load the model in %s", model_dir);
        goto out;
    }
    s->frate = cmd_ln_int32_r(s->config, "-frate");
    if (s->frate <= 0) {
        snprintf(err, errlen, "pocketsphinx frame rate %d is invalid", s->frate);
        goto out;
    }
    rc = 0;
out:
    if (rc < 0)
        ps_setup_free(s);
    return rc;
}

void ps_setup_free(ps_setup *s)
{
    if (s->ps) {
        pthread_mutex_lock(&ps_init_lock);
        ps_free(s->ps);
        pthread_mutex_unlock(&ps_init_lock);
    }
    if (s->config)
        cmd_ln_free_r(s->config);
    free(s->args_copy);
    memset(s, 0, sizeof *s);
}

#include "ps_setup.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

int ps_setup_new(const char *model_dir, ps_decoder_t **ps, cmd_ln_t **config, int *frate,
                 char *err, size_t errlen)
{
    int rc = -1;
    char hmm[PATH_MAX], lm[PATH_MAX], dict[PATH_MAX];
    *ps = NULL;
    *config = NULL;
    if (!model_dir)
        model_dir = PS_SETUP_DEFAULT_MODEL_DIR;
    if (model_path(hmm, sizeof hmm, model_dir, "en-us", err, errlen) < 0 ||
        model_path(lm, sizeof lm, model_dir, "en-us.lm.bin", err, errlen) < 0 ||
        model_path(dict, sizeof dict, model_dir, "cmudict-en-us.dict", err, errlen) < 0)
        goto out;
    /* -remove_silence no: dropping silent frames would shift every later word
     * time by the silence removed before it. */
    *config = cmd_ln_init(NULL, ps_args(), TRUE, "-hmm", hmm, "-lm", lm, "-dict", dict,
                          "-logfn", "/dev/null", "-remove_silence", "no", NULL);
    if (!*config) {
        snprintf(err, errlen, "pocketsphinx rejected its configuration");
        goto out;
    }
    *ps = ps_init(*config);
    if (!*ps) {
        snprintf(err, errlen, "pocketsphinx failed to load the model in %s", model_dir);
        goto out;
    }
    *frate = cmd_ln_int32_r(*config, "-frate");
    if (*frate <= 0) {
        snprintf(err, errlen, "pocketsphinx frame rate %d is invalid", *frate);
        goto out;
    }
    rc = 0;
out:
    if (rc < 0) {
        ps_setup_free(*ps, *config);
        *ps = NULL;
        *config = NULL;
    }
    return rc;
}

void ps_setup_free(ps_decoder_t *ps, cmd_ln_t *config)
{
    if (ps)
        ps_free(ps);
    if (config)
        cmd_ln_free_r(config);
}

/* Creates a pocketsphinx decoder for the en-us model in a directory, with the
 * settings tuned on the evaluation set (see PS_TUNED in ps_setup.c). */
#ifndef ISIM_PS_SETUP_H
#define ISIM_PS_SETUP_H

#include <stddef.h>
#include <pocketsphinx.h>

#define PS_SETUP_DEFAULT_MODEL_DIR "/usr/share/pocketsphinx/model/en-us"

typedef struct ps_setup {
    ps_decoder_t *ps;
    cmd_ln_t *config;
    int frate;       /* frames per second */
    char *args_copy; /* the extra arguments' text, which config points into */
} ps_setup;

/* model_dir holds en-us/, en-us.lm.bin and cmudict-en-us.dict (NULL: Debian's).
 * stock: pocketsphinx's defaults instead of the tuned settings. extra: more
 * "-name value" pairs (NULL or ""), overriding both. Safe to call from several
 * threads. Returns 0 or -1 with err; free with ps_setup_free either way. */
int ps_setup_new(ps_setup *s, const char *model_dir, int stock, const char *extra, char *err,
                 size_t errlen);

void ps_setup_free(ps_setup *s);

#endif

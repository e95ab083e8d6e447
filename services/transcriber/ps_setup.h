/* Creates a pocketsphinx decoder for the en-us model in a directory. */
#ifndef ISIM_PS_SETUP_H
#define ISIM_PS_SETUP_H

#include <stddef.h>
#include <pocketsphinx.h>

#define PS_SETUP_DEFAULT_MODEL_DIR "/usr/share/pocketsphinx/model/en-us"

/* model_dir holds en-us/, en-us.lm.bin and cmudict-en-us.dict (NULL: Debian's).
 * On success *ps and *config are set (free with ps_setup_free) and *frate is
 * the frame rate in frames per second. Returns 0 or -1 with err. */
int ps_setup_new(const char *model_dir, ps_decoder_t **ps, cmd_ln_t **config, int *frate,
                 char *err, size_t errlen);

void ps_setup_free(ps_decoder_t *ps, cmd_ln_t *config);

#endif

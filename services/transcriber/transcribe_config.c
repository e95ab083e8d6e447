#include "isim_config.h"
#include "transcribe.h"

transcribe_opts transcribe_opts_from_config(const isim_config *c)
{
    return (transcribe_opts){.model_dir = c->model_dir, .engine = c->transcribe_engine,
                             .threads = c->transcribe_threads, .ps_args = c->transcribe_ps_args,
                             .url = c->transcribe_url, .model = c->transcribe_model,
                             .api_key = c->transcribe_api_key, .language = c->transcribe_language,
                             .prompt = c->transcribe_prompt, .timeout_s = c->transcribe_timeout_s,
                             .piece_s = c->transcribe_piece_s,
                             .attempts = c->transcribe_attempts, .fallback = c->transcribe_fallback};
}

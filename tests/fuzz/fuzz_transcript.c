/* text-metrics on a transcript from an interview.transcribed message: JSON
 * that came over Kafka from another process (or from the speech server). */
#include <jansson.h>

#include "fuzz_support.h"
#include "tm_lexicon.h"
#include "tmetrics.h"

static tm_lexicon *fuzz_lex;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char err[256];
    (void)argc;
    (void)argv;
    if (tm_lexicon_load(ISIM_SOURCE_DIR "/data", "en", &fuzz_lex, err, sizeof(err)) != 0)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    json_t *t = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL), *out = NULL;
    if (!t)
        return 0;
    if (tmetrics_compute(fuzz_lex, t, &out, err, sizeof(err)) == 0) {
        char *text = json_dumps(out, JSON_COMPACT); /* the result must serialise */
        if (!text)
            abort();
        free(text);
    }
    json_decref(out);
    json_decref(t);
    return 0;
}

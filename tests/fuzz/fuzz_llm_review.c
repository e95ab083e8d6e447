/* The AI review's answer, checked against the transcript's words: JSON from
 * a language model, which may say anything. */
#include <jansson.h>

#include "fuzz_support.h"
#include "llm_review.h"

static json_t *fuzz_words;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_words = json_pack("[{s:s,s:f,s:f},{s:s,s:f,s:f},{s:s,s:f,s:f}]", "word", "I", "start", 0.5, "end", 0.7,
                           "word", "fixed", "start", 0.8, "end", 1.2, "word", "it", "start", 1.3, "end", 1.5);
    return fuzz_words ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    json_t *review = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    if (!review)
        return 0;
    llm_review_validate(review, fuzz_words, err, sizeof(err));
    json_decref(review);
    return 0;
}

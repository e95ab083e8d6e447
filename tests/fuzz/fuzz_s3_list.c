/* The S3 ListObjectsV2 answer parser: XML from the store. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"
#include "s3_client.h"

static int fuzz_on_key(const char *key, void *ud)
{
    (*(size_t *)ud) += strlen(key) + 1; /* touches every byte of the key */
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256], *token = NULL;
    size_t seen = 0;
    int truncated = 0;
    if (s3_list_parse((const char *)data, size, fuzz_on_key, &seen, &truncated, &token, err, sizeof(err)) == S3_OK)
        free(token);
    return 0;
}

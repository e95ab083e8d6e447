/* The gateway's request path splitter (every request's path), and the
 * escaping that puts a path into the access log. */
#include <assert.h>
#include <string.h>

#include "fuzz_support.h"
#include "gw_api.h"
#include "isim_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *uri = fuzz_string(data, size), coll[32], item[80], sub[80], leaf[80], logged[512];
    if (!uri)
        return 0;
    int n = gw_path_split(uri, coll, item, sub, leaf);
    assert(n >= -1 && n <= 4);
    if (n > 0) {
        assert(strlen(coll) < 32 && strlen(item) < 80 && strlen(sub) < 80 && strlen(leaf) < 80);
        assert(!strchr(coll, '/') && !strchr(item, '/') && !strchr(sub, '/') && !strchr(leaf, '/'));
    }
    util_utf8_escape(uri, logged, sizeof(logged));
    assert(strlen(logged) < sizeof(logged));
    free(uri);
    return 0;
}

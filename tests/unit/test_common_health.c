/* The health listener answers its three paths from the first request on and
 * 404 to anything else. Regression: civetweb 1.15 crashed (file serving
 * without a document_root) on a request that came before the handlers were
 * registered, or for an unknown path. */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <string.h>
#include <unistd.h>

#include "health_http.h"
#include "isim_metrics.h"

static int ready_value;

static int test_ready(void *user)
{
    (void)user;
    return ready_value;
}

static size_t sink(char *p, size_t s, size_t n, void *ud)
{
    strncat(ud, p, s * n < 255 - strlen(ud) ? s * n : 0);
    return s * n;
}

static long get(int port, const char *path, char body[256])
{
    char url[128];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", port, path);
    body[0] = '\0';
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 5L);
    long code = 0;
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_cleanup(c);
    return code;
}

Test(health, answers_health_paths_and_404s_the_rest, .timeout = 30)
{
    char err[256], body[256];
    int port = 21000 + (int)(getpid() % 1000);
    health_server *h = health_server_start(port, test_ready, NULL, NULL, err, sizeof(err));
    cr_assert_not_null(h, "%s", err);
    ready_value = 0;
    cr_assert_eq(get(port, "/livez", body), 200);
    cr_assert_eq(get(port, "/readyz", body), 503);
    ready_value = 1;
    cr_assert_eq(get(port, "/readyz", body), 200);
    metrics_counter_add("isim_test_total", "A test counter", 3);
    cr_assert_eq(get(port, "/metrics", body), 200);
    cr_assert(strstr(body, "isim_test_total 3"), "%s", body);
    const char *others[] = {"/", "/nothing", "/favicon.ico", "/../etc/passwd", "/readyz/x", NULL};
    for (int i = 0; others[i]; i++)
        cr_assert_eq(get(port, others[i], body), 404, "%s", others[i]);
    cr_assert_eq(get(port, "/livez", body), 200, "still serving");
    health_server_stop(h);
}

static int live_value;
static int test_live(void *user)
{
    (void)user;
    return live_value;
}

Test(health, livez_follows_the_liveness_check, .timeout = 30)
{
    char err[256], body[256];
    int port = 22000 + (int)(getpid() % 1000);
    health_server *h = health_server_start(port, test_ready, test_live, NULL, err, sizeof(err));
    cr_assert_not_null(h, "%s", err);
    live_value = 1;
    cr_assert_eq(get(port, "/livez", body), 200);
    live_value = 0;
    cr_assert_eq(get(port, "/livez", body), 503, "a stalled worker says so");
    cr_assert(strstr(body, "stalled"), "%s", body);
    live_value = 1;
    cr_assert_eq(get(port, "/livez", body), 200);
    health_server_stop(h);
}

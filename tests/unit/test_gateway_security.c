/* The gateway's security primitives: webhook signatures against RFC 4231's
 * HMAC-SHA256 test vectors, API key format and hashing (FIPS 180-2 "abc"
 * vector), bearer parsing, CORS origin matching, webhook URL validation,
 * retry backoff and question ids. */
#include <criterion/criterion.h>
#include <string.h>
#include <unistd.h>

#include "gw_auth.h"
#include "gw_handlers.h"
#include "gw_http.h"
#include "gw_webhook.h"
#include "question.h"

Test(webhook, signature_matches_rfc4231_vectors)
{
    char out[65];
    /* RFC 4231 test case 1: key = 20 bytes 0x0b, data "Hi There". */
    char key1[21];
    memset(key1, 0x0b, 20);
    key1[20] = '\0';
    cr_assert_eq(gw_webhook_sign(key1, "Hi There", 8, out), 0);
    cr_assert_str_eq(out, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    /* Test case 2: key "Jefe". */
    const char *data = "what do ya want for nothing?";
    cr_assert_eq(gw_webhook_sign("Jefe", data, strlen(data), out), 0);
    cr_assert_str_eq(out, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

Test(webhook, backoff_doubles_up_to_ten_minutes)
{
    cr_assert_eq(gw_webhook_backoff_s(1), 2);
    cr_assert_eq(gw_webhook_backoff_s(2), 4);
    cr_assert_eq(gw_webhook_backoff_s(3), 8);
    cr_assert_eq(gw_webhook_backoff_s(9), 512);
    cr_assert_eq(gw_webhook_backoff_s(10), 600);
    cr_assert_eq(gw_webhook_backoff_s(1000), 600);
}

Test(webhook, only_plain_http_urls)
{
    cr_assert_eq(gw_webhook_url_valid("https://hooks.example.com/isim?x=1"), 0);
    cr_assert_eq(gw_webhook_url_valid("http://127.0.0.1:8000/hook"), 0);
    const char *bad[] = {"ftp://example.com/", "javascript:alert(1)", "file:///etc/passwd", "http://",
                         "http:///path", "http://a b/", "http://example.com/\r\nX-Evil: 1", "example.com", ""};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_eq(gw_webhook_url_valid(bad[i]), -1, "%s", bad[i]);
    char longer[GW_WEBHOOK_URL_MAX + 2];
    memset(longer, 'a', sizeof(longer));
    memcpy(longer, "https://example.com/", 20);
    longer[GW_WEBHOOK_URL_MAX + 1] = '\0';
    cr_assert_eq(gw_webhook_url_valid(longer), -1);
}

Test(auth, keys_are_random_and_hashed_with_sha256)
{
    char a[GW_KEY_LEN + 1], b[GW_KEY_LEN + 1], h[65];
    cr_assert_eq(gw_key_new(a), 0);
    cr_assert_eq(gw_key_new(b), 0);
    cr_assert_eq(strlen(a), GW_KEY_LEN);
    cr_assert_eq(strncmp(a, "isim_", 5), 0);
    cr_assert_eq(strspn(a + 5, "0123456789abcdef"), 64);
    cr_assert_str_neq(a, b);
    gw_key_hash("abc", h); /* FIPS 180-2, appendix B.1 */
    cr_assert_str_eq(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

Test(auth, bearer_token_parsing)
{
    cr_assert_str_eq(gw_bearer_token("Bearer isim_abc"), "isim_abc");
    cr_assert_str_eq(gw_bearer_token("bearer   isim_abc"), "isim_abc");
    cr_assert_null(gw_bearer_token("Basic isim_abc"));
    cr_assert_null(gw_bearer_token("isim_abc"));
    cr_assert_null(gw_bearer_token("Bearer "));
    cr_assert_null(gw_bearer_token("Bearer"));
    cr_assert_null(gw_bearer_token(NULL));
}

Test(cors, origins_match_exactly)
{
    const char *list = "https://app.example.com, http://localhost:3000";
    cr_assert(gw_origin_allowed("https://app.example.com", list));
    cr_assert(gw_origin_allowed("http://localhost:3000", list));
    cr_assert_not(gw_origin_allowed("https://app.example.com.evil.net", list));
    cr_assert_not(gw_origin_allowed("https://app.example.co", list));
    cr_assert_not(gw_origin_allowed("http://localhost", list));
    cr_assert_not(gw_origin_allowed("https://app.example.com", ""));
    cr_assert_not(gw_origin_allowed("https://app.example.com", NULL));
    cr_assert_not(gw_origin_allowed(NULL, list));
    cr_assert(gw_origin_allowed("https://anything.test", "*"));
    cr_assert_not(gw_origin_allowed("https://x.test\r\nSet-Cookie: a=b", "*"));
}

Test(ids, question_ids_are_slugs)
{
    cr_assert(question_id_valid("hard-problem"));
    cr_assert(question_id_valid("q1"));
    const char *bad[] = {"", "-lead", "Upper", "../etc", "a b", "a_b", "a'b",
                         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_not(question_id_valid(bad[i]), "%s", bad[i]);
}

Test(auth, cache_hits_then_expires)
{
    gw_user u = {.id = "00000000-0000-4000-8000-000000000001", .role = "admin", .rate_limit = 7}, got;
    gw_key_hash("isim_cached", u.key_hash);
    gw_auth_cache *c = gw_auth_cache_new(100);
    cr_assert_eq(gw_auth_cache_get(c, u.key_hash, &got), 0);
    gw_auth_cache_put(c, &u);
    cr_assert_eq(gw_auth_cache_get(c, u.key_hash, &got), 1);
    cr_assert_str_eq(got.role, "admin");
    cr_assert_eq(got.rate_limit, 7);
    char other[65];
    gw_key_hash("isim_other", other);
    cr_assert_eq(gw_auth_cache_get(c, other, &got), 0); /* another key, even in the same slot */
    usleep(150 * 1000);
    cr_assert_eq(gw_auth_cache_get(c, u.key_hash, &got), 0);
    gw_auth_cache_free(c);
}

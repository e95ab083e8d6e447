/* People's passwords: Argon2id hashes that verify the right password and no
 * other, the length policy, a missing hash that never verifies, and email
 * addresses normalised for sign-in. The cost is lowered here (the gateway
 * uses libsodium's interactive limits: 64 MiB, 2 passes). */
#include <criterion/criterion.h>
#include <sodium.h>
#include <string.h>

#include "gw_handlers.h"
#include "gw_password.h"

static void cheap(void)
{
    char err[128];
    gw_password_set_cost(crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN);
    cr_assert_eq(gw_password_init(err, sizeof(err)), 0, "%s", err);
}

TestSuite(password, .init = cheap);

Test(password, hash_verifies_only_the_same_password)
{
    char h[GW_PASSWORD_HASH_MAX], h2[GW_PASSWORD_HASH_MAX];
    cr_assert_eq(gw_password_hash("correct horse battery", h), 0);
    cr_assert_eq(strncmp(h, "$argon2id$", 10), 0, "%s", h);
    cr_assert_null(strstr(h, "correct horse"));
    cr_assert(gw_password_verify(h, "correct horse battery"));
    cr_assert_not(gw_password_verify(h, "correct horse batterY"));
    cr_assert_not(gw_password_verify(h, ""));
    /* Salted: the same password hashes differently each time. */
    cr_assert_eq(gw_password_hash("correct horse battery", h2), 0);
    cr_assert_str_neq(h, h2);
    cr_assert(gw_password_verify(h2, "correct horse battery"));
}

Test(password, no_hash_never_verifies)
{
    cr_assert_not(gw_password_verify(NULL, "anything at all"));
    cr_assert_not(gw_password_verify("", "anything at all"));
    cr_assert_not(gw_password_verify("$argon2id$garbage", "anything at all"));
}

Test(password, length_policy_in_characters)
{
    cr_assert_not_null(gw_password_weak(NULL));
    cr_assert_not_null(gw_password_weak("nine char"));
    cr_assert_null(gw_password_weak("ten chars!"));
    /* Ten characters of two bytes each: counted as ten, not twenty. */
    cr_assert_null(gw_password_weak("éééééééééé"));
    cr_assert_not_null(gw_password_weak("ééééééééé"));
    char longpw[200];
    memset(longpw, 'x', 129);
    longpw[129] = '\0';
    cr_assert_not_null(gw_password_weak(longpw));
    longpw[128] = '\0';
    cr_assert_null(gw_password_weak(longpw));
}

Test(email, normalised_to_lower_case)
{
    char out[GW_EMAIL_MAX + 1];
    cr_assert_eq(gw_email_normalise("Ann.Lee@Example.ORG", out), 0);
    cr_assert_str_eq(out, "ann.lee@example.org");
    const char *bad[] = {"", "ann", "@example.org", "ann@", "a@b@c", "ann lee@example.org", "ann@exa\nmple.org"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_eq(gw_email_normalise(bad[i], out), -1, "%s", bad[i]);
    char longmail[300];
    memset(longmail, 'a', 250);
    strcpy(longmail + 250, "@b.co");
    cr_assert_eq(gw_email_normalise(longmail, out), -1);
}

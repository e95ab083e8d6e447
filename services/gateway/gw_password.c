#include "gw_password.h"

#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "gw_http.h"

static sem_t gw_pw_slots;
static pthread_once_t gw_pw_once = PTHREAD_ONCE_INIT;
static int gw_pw_ready;
static unsigned long long gw_pw_ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
static size_t gw_pw_mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
/* Verified against when an account has no password, to spend the same time. */
static char gw_pw_dummy[crypto_pwhash_STRBYTES];

static void gw_password_once(void)
{
    if (sodium_init() < 0 || sem_init(&gw_pw_slots, 0, GW_PASSWORD_CONCURRENCY) != 0)
        return;
    gw_pw_ready = 1;
}

int gw_password_init(char *err, size_t errlen)
{
    pthread_once(&gw_pw_once, gw_password_once);
    if (!gw_pw_ready) {
        snprintf(err, errlen, "libsodium could not be initialised");
        return -1;
    }
    if (!gw_pw_dummy[0] && gw_password_hash("not a password of anyone", gw_pw_dummy) != 0) {
        snprintf(err, errlen, "cannot hash a password (out of memory?)");
        return -1;
    }
    return 0;
}

void gw_password_set_cost(unsigned long long ops, size_t mem)
{
    gw_pw_ops = ops;
    gw_pw_mem = mem;
    gw_pw_dummy[0] = '\0';
}

const char *gw_password_weak(const char *pw)
{
    size_t n = pw ? gw_utf8_len(pw) : 0;
    if (n < GW_PASSWORD_MIN)
        return "The password must have at least 10 characters.";
    if (n > GW_PASSWORD_MAX)
        return "The password must have at most 128 characters.";
    return NULL;
}

int gw_password_hash(const char *pw, char out[GW_PASSWORD_HASH_MAX])
{
    _Static_assert(GW_PASSWORD_HASH_MAX >= crypto_pwhash_STRBYTES, "hash buffer too small");
    sem_wait(&gw_pw_slots);
    int rc = crypto_pwhash_str(out, pw, strlen(pw), gw_pw_ops, gw_pw_mem);
    sem_post(&gw_pw_slots);
    return rc == 0 ? 0 : -1;
}

int gw_password_verify(const char *stored_hash, const char *pw)
{
    int have = stored_hash && *stored_hash && strlen(stored_hash) < crypto_pwhash_STRBYTES;
    sem_wait(&gw_pw_slots);
    int rc = crypto_pwhash_str_verify(have ? stored_hash : gw_pw_dummy, pw, strlen(pw));
    sem_post(&gw_pw_slots);
    return have && rc == 0;
}

/* Passwords of people (API keys are for programs): Argon2id from libsodium,
 * stored in its self-describing encoded form. Hashing is slow and takes
 * 64 MiB on purpose, so at most GW_PASSWORD_CONCURRENCY run at once: a burst
 * of sign-ins waits instead of exhausting the gateway's memory. */
#ifndef ISIM_GW_PASSWORD_H
#define ISIM_GW_PASSWORD_H

#include <stddef.h>

#define GW_PASSWORD_MIN 10  /* characters */
#define GW_PASSWORD_MAX 128 /* characters */
#define GW_PASSWORD_HASH_MAX 128 /* crypto_pwhash_STRBYTES */
#define GW_PASSWORD_CONCURRENCY 2

/* Initialises libsodium and the concurrency bound; 0 or -1 with err. */
int gw_password_init(char *err, size_t errlen);
/* Lowers the cost (tests only: ops >= 1, mem >= 8192 bytes). */
void gw_password_set_cost(unsigned long long ops, size_t mem);
/* NULL when pw is acceptable, else the sentence to show the person. */
const char *gw_password_weak(const char *pw);
/* 0 and out filled, or -1 (out of memory). */
int gw_password_hash(const char *pw, char out[GW_PASSWORD_HASH_MAX]);
/* 1 match, 0 no match. A NULL or empty hash (no password set) still costs one
 * hash, so a missing account answers as slowly as a wrong password. */
int gw_password_verify(const char *stored_hash, const char *pw);

#endif

/* PostgreSQL helpers: connect with retry, run parameterised statements with
 * one error path, apply numbered migrations idempotently. */
#ifndef ISIM_PG_DB_H
#define ISIM_PG_DB_H

#include <libpq-fe.h>
#include <stddef.h>

/* Retries for up to wait_s seconds (the database may still be starting). */
PGconn *pg_connect(const char *dsn, int wait_s, char *err, size_t errlen);
/* Runs sql with text params; on success *out (may be NULL to discard) holds the
 * result, to PQclear. Reconnects once when the connection was lost. */
int pg_exec(PGconn *c, const char *sql, int nparams, const char *const *params, PGresult **out,
            char *err, size_t errlen);
/* Applies dir/NNN_name.sql files not yet in schema_migrations, in order, each
 * in a transaction, under an advisory lock so concurrent starters agree;
 * *applied counts those applied now (0: the database was up to date). */
int pg_migrate(PGconn *c, const char *dir, int *applied, char *err, size_t errlen);
/* 0 when every migration in dir is applied; -1 with err naming the missing
 * ones (and what to run), or why the check failed. Changes nothing. */
int pg_migrate_check(PGconn *c, const char *dir, char *err, size_t errlen);

#endif

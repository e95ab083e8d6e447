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
 * in a transaction, under an advisory lock so concurrent starters agree. */
int pg_migrate(PGconn *c, const char *dir, char *err, size_t errlen);

#endif

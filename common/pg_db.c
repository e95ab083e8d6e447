#include "pg_db.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "isim_log.h"

/* The server's NOTICEs ("relation ... already exists, skipping") go to the
 * debug log, not raw to stderr. */
static void pg_on_notice(void *ud, const char *message)
{
    (void)ud;
    log_debug("database notice: %s", message);
}

/* libpq's words for a refusal that waiting does not cure: a wrong password,
 * a certificate that does not verify, a database or role that does not exist. */
static int pg_refusal_is_final(const char *msg)
{
    static const char *const final[] = {"authentication failed", "certificate", "SSL error", "does not exist",
                                        "no pg_hba.conf entry", "server does not support SSL"};
    for (size_t i = 0; i < sizeof(final) / sizeof(final[0]); i++)
        if (strstr(msg, final[i]))
            return 1;
    return 0;
}

PGconn *pg_connect(const char *dsn, int wait_s, char *err, size_t errlen)
{
    /* An empty DSN would make libpq try a local socket as the current user. */
    if (!dsn || !dsn[0]) {
        snprintf(err, errlen, "ISIM_PG_DSN is not set: give the PostgreSQL connection string");
        return NULL;
    }
    for (int i = 0;; i++) {
        PGconn *c = PQconnectdb(dsn);
        if (PQstatus(c) == CONNECTION_OK) {
            PQsetNoticeProcessor(c, pg_on_notice, NULL);
            return c;
        }
        snprintf(err, errlen, "cannot connect to PostgreSQL: %s", PQerrorMessage(c));
        PQfinish(c);
        if (i >= wait_s || pg_refusal_is_final(err)) /* a server starting up is worth the wait, not these */
            return NULL;
        sleep(1);
    }
}

int pg_exec(PGconn *c, const char *sql, int nparams, const char *const *params, PGresult **out,
            char *err, size_t errlen)
{
    if (out)
        *out = NULL;
    for (int attempt = 0; attempt < 2; attempt++) {
        PGresult *r = PQexecParams(c, sql, nparams, NULL, params, NULL, NULL, 0);
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
            if (out)
                *out = r;
            else
                PQclear(r);
            return 0;
        }
        snprintf(err, errlen, "database: %s", r ? PQresultErrorMessage(r) : PQerrorMessage(c));
        PQclear(r);
        if (PQstatus(c) != CONNECTION_BAD)
            return -1;
        log_warn("database connection lost, reconnecting");
        PQreset(c);
    }
    return -1;
}

static int pg_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *pg_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    char chunk[4096];
    size_t n;
    while (m && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        fwrite(chunk, 1, n, m);
    if (m)
        fclose(m);
    fclose(f);
    return buf;
}

/* Applies (apply) or only lists (!apply) the migrations of dir that
 * schema_migrations lacks: *applied counts those applied, *pending those
 * missing when only listing, whose names start in pending_names. */
static int pg_migrations(PGconn *c, const char *dir, int apply, int *applied, int *pending,
                         char *pending_names, size_t pending_len, char *err, size_t errlen)
{
    int rc = -1, locked = 0;
    char **names = NULL;
    size_t count = 0;
    *applied = *pending = 0;
    if (pending_len)
        pending_names[0] = '\0';
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "migrations folder %s cannot be read", dir);
        goto out;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".sql") == 0) {
            char **grown = realloc(names, (count + 1) * sizeof(*names));
            if (!grown) {
                snprintf(err, errlen, "out of memory");
                goto out;
            }
            names = grown;
            names[count++] = strdup(e->d_name);
        }
    }
    if (!count) {
        snprintf(err, errlen, "migrations folder %s holds no .sql file", dir);
        goto out;
    }
    qsort(names, count, sizeof(*names), pg_name_cmp);

    if (pg_exec(c, "SELECT pg_advisory_lock(727274)", 0, NULL, NULL, err, errlen) != 0)
        goto out;
    locked = 1;
    if (apply && pg_exec(c, "CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, "
                            "applied_at timestamptz NOT NULL DEFAULT now())", 0, NULL, NULL, err, errlen) != 0)
        goto out;
    PGresult *t = NULL;
    if (!apply) {
        if (pg_exec(c, "SELECT to_regclass('schema_migrations') IS NOT NULL", 0, NULL, &t, err, errlen) != 0)
            goto out;
        int exists = PQgetvalue(t, 0, 0)[0] == 't';
        PQclear(t);
        if (!exists) {
            *pending = (int)count;
            snprintf(pending_names, pending_len, "all %zu (the database has no schema_migrations table)", count);
            rc = 0;
            goto out;
        }
    }
    for (size_t i = 0; i < count; i++) {
        PGresult *r = NULL;
        const char *p[] = {names[i]};
        if (pg_exec(c, "SELECT 1 FROM schema_migrations WHERE version = $1", 1, p, &r, err, errlen) != 0)
            goto out;
        int done = PQntuples(r) > 0;
        PQclear(r);
        if (done)
            continue;
        if (!apply) {
            size_t used = strlen(pending_names);
            snprintf(pending_names + used, pending_len - used, "%s%s", used ? ", " : "", names[i]);
            (*pending)++;
            continue;
        }
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        char *sql = pg_read_file(path);
        if (!sql) {
            snprintf(err, errlen, "cannot read migration %s", path);
            goto out;
        }
        /* PQexec runs the file's statements as one implicit transaction. */
        char *wrapped = NULL;
        if (asprintf(&wrapped, "BEGIN;\n%s\n;INSERT INTO schema_migrations(version) VALUES ('%s');\nCOMMIT;",
                     sql, names[i]) < 0)
            wrapped = NULL;
        free(sql);
        PGresult *mr = wrapped ? PQexec(c, wrapped) : NULL;
        free(wrapped);
        if (PQresultStatus(mr) != PGRES_COMMAND_OK) {
            snprintf(err, errlen, "migration %s failed: %s", names[i], PQerrorMessage(c));
            PQclear(mr);
            PQclear(PQexec(c, "ROLLBACK"));
            goto out;
        }
        PQclear(mr);
        (*applied)++;
        log_info("applied migration %s", names[i]);
    }
    rc = 0;
out:
    if (locked) {
        char ignored[256];
        pg_exec(c, "SELECT pg_advisory_unlock(727274)", 0, NULL, NULL, ignored, sizeof(ignored));
    }
    if (d)
        closedir(d);
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
    return rc;
}

int pg_migrate(PGconn *c, const char *dir, int *applied, char *err, size_t errlen)
{
    int ignored;
    return pg_migrations(c, dir, 1, applied, &ignored, NULL, 0, err, errlen);
}

int pg_migrate_check(PGconn *c, const char *dir, char *err, size_t errlen)
{
    int applied, pending;
    char names[512];
    if (pg_migrations(c, dir, 0, &applied, &pending, names, sizeof(names), err, errlen) != 0)
        return -1;
    if (!pending)
        return 0;
    snprintf(err, errlen, "the database lacks %d migration(s) of %s: %s; run `isim admin migrate` "
             "(the Helm chart's migration Job) or set ISIM_MIGRATE_AT_START=1", pending, dir, names);
    return -1;
}

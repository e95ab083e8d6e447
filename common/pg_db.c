#include "pg_db.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "isim_log.h"

PGconn *pg_connect(const char *dsn, int wait_s, char *err, size_t errlen)
{
    for (int i = 0;; i++) {
        PGconn *c = PQconnectdb(dsn);
        if (PQstatus(c) == CONNECTION_OK)
            return c;
        snprintf(err, errlen, "cannot connect to PostgreSQL: %s", PQerrorMessage(c));
        PQfinish(c);
        if (i >= wait_s)
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

int pg_migrate(PGconn *c, const char *dir, char *err, size_t errlen)
{
    int rc = -1, locked = 0;
    char **names = NULL;
    size_t count = 0;
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
            if (!grown)
                goto out;
            names = grown;
            names[count++] = strdup(e->d_name);
        }
    }
    qsort(names, count, sizeof(*names), pg_name_cmp);

    if (pg_exec(c, "SELECT pg_advisory_lock(727274)", 0, NULL, NULL, err, errlen) != 0)
        goto out;
    locked = 1;
    if (pg_exec(c, "CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, "
                   "applied_at timestamptz NOT NULL DEFAULT now())", 0, NULL, NULL, err, errlen) != 0)
        goto out;
    for (size_t i = 0; i < count; i++) {
        PGresult *r = NULL;
        const char *p[] = {names[i]};
        if (pg_exec(c, "SELECT 1 FROM schema_migrations WHERE version = $1", 1, p, &r, err, errlen) != 0)
            goto out;
        int done = PQntuples(r) > 0;
        PQclear(r);
        if (done)
            continue;
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

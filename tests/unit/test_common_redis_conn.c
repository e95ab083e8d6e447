/* redis_conn against a real redis-server (Debian's, started here on a free
 * port) that requires a password: AUTH with the password alone and as an ACL
 * user, and the refusals, which must never show the password; then over TLS
 * (a CA and a certificate made here with openssl): commands larger than a TLS
 * record, pub/sub, a certificate from another CA or for another name refused. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "redis_conn.h"
#include "test_support.h"

#define PASSWORD "s3cret-pass"

extern char **environ;
static pid_t server_pid;
static int server_port;

static int free_port(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert(fd >= 0);
    cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

static char tls_dir[256];

/* Starts redis-server on a free port; over TLS with tls_dir's certificate when tls. */
static void server_start_with(int tls)
{
    char port[16], cert[300], key[300], ca[300];
    server_port = free_port();
    snprintf(port, sizeof(port), "%d", server_port);
    snprintf(cert, sizeof(cert), "%s/server.crt", tls_dir);
    snprintf(key, sizeof(key), "%s/server.key", tls_dir);
    snprintf(ca, sizeof(ca), "%s/ca.crt", tls_dir);
    char *plain[] = {"redis-server", "--port", port, "--bind", "127.0.0.1", "--requirepass", PASSWORD,
                     "--save", "", "--appendonly", "no", "--logfile", "/dev/null", NULL};
    char *secure[] = {"redis-server", "--port", "0", "--tls-port", port, "--bind", "127.0.0.1",
                      "--tls-cert-file", cert, "--tls-key-file", key, "--tls-ca-cert-file", ca,
                      "--tls-auth-clients", "no", "--requirepass", PASSWORD, "--save", "",
                      "--appendonly", "no", "--logfile", "/dev/null", NULL};
    cr_assert_eq(posix_spawnp(&server_pid, "redis-server", NULL, NULL, tls ? secure : plain, environ), 0,
                 "redis-server must be installed (deploy/deps.sh installs it)");
    for (int i = 0; i < 100; i++) { /* up to 10 s */
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)server_port),
                                .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        int up = connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
        close(fd);
        if (up)
            return;
        usleep(100 * 1000);
    }
    cr_assert_fail("redis-server did not start on port %d", server_port);
}

static void server_start(void) { server_start_with(0); }

static void server_stop(void)
{
    if (server_pid > 0) {
        kill(server_pid, SIGTERM);
        waitpid(server_pid, NULL, 0);
    }
}

static redis_params params(const char *user, const char *password)
{
    return (redis_params){.host = "127.0.0.1", .port = server_port, .username = (char *)user,
                          .password = (char *)password, .ca_file = ""};
}

static void assert_ping(redisContext *c)
{
    redisReply *r = redisCommand(c, "PING");
    cr_assert(r && r->type == REDIS_REPLY_STATUS && !strcmp(r->str, "PONG"), "%s", r ? r->str : c->errstr);
    freeReplyObject(r);
}

TestSuite(redis_conn, .init = server_start, .fini = server_stop);

Test(redis_conn, the_password_logs_in)
{
    char err[256] = "";
    redis_params p = params("", PASSWORD);
    redisContext *c = redis_conn_new(&p, 1000, err, sizeof(err));
    cr_assert(c, "%s", err);
    assert_ping(c);
    redisFree(c);
}

Test(redis_conn, a_wrong_password_is_refused_without_showing_it)
{
    char err[256] = "";
    redis_params p = params("", "not-the-password");
    cr_assert_null(redis_conn_new(&p, 1000, err, sizeof(err)));
    cr_assert(strstr(err, "AUTH refused") && strstr(err, "WRONGPASS"), "%s", err);
    cr_assert_null(strstr(err, "not-the-password"), "%s", err);
}

Test(redis_conn, without_a_password_commands_are_refused)
{
    char err[256] = "";
    redis_params p = params("", "");
    redisContext *c = redis_conn_new(&p, 1000, err, sizeof(err));
    cr_assert(c, "%s", err); /* no AUTH sent: the server refuses the commands */
    redisReply *r = redisCommand(c, "PING");
    cr_assert(r && r->type == REDIS_REPLY_ERROR && strstr(r->str, "NOAUTH"), "%s", r ? r->str : c->errstr);
    freeReplyObject(r);
    redisFree(c);
}

Test(redis_conn, an_acl_user_logs_in_with_its_own_password)
{
    char err[256] = "";
    redis_params admin = params("", PASSWORD);
    redisContext *a = redis_conn_new(&admin, 1000, err, sizeof(err));
    cr_assert(a, "%s", err);
    redisReply *r = redisCommand(a, "ACL SETUSER isim on >user-pass ~* &* +@all");
    cr_assert(r && r->type == REDIS_REPLY_STATUS, "%s", r ? r->str : a->errstr);
    freeReplyObject(r);
    redisFree(a);

    redis_params user = params("isim", "user-pass");
    redisContext *c = redis_conn_new(&user, 1000, err, sizeof(err));
    cr_assert(c, "%s", err);
    assert_ping(c);
    redisFree(c);
    redis_params wrong = params("isim", PASSWORD);
    cr_assert_null(redis_conn_new(&wrong, 1000, err, sizeof(err)));
    cr_assert(strstr(err, "AUTH refused"), "%s", err);
}

Test(redis_conn, an_unreachable_server_is_named)
{
    char err[256] = "";
    redis_params p = params("", PASSWORD);
    p.port = free_port();
    cr_assert_null(redis_conn_new(&p, 1000, err, sizeof(err)));
    char want[64];
    snprintf(want, sizeof(want), "redis 127.0.0.1:%d:", p.port);
    cr_assert(strstr(err, want), "%s", err);
}

/* ---- over TLS ---------------------------------------------------------- */

static void tls_start(void)
{
    ts_dir_new("redis-tls", tls_dir, sizeof(tls_dir));
    /* The server's CA, a server certificate for 127.0.0.1 and localhost, and
     * a second CA that signed nothing here. */
    ts_sh("cd '%s' && (openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key "
          "-out ca.crt -days 2 -subj '/CN=test CA' && openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
          "-nodes -keyout server.key -out server.csr -subj '/CN=127.0.0.1' && "
          "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > san.ext && openssl x509 -req -in server.csr "
          "-CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 -extfile san.ext && openssl req -x509 "
          "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout other.key -out other.crt -days 2 "
          "-subj '/CN=other CA') > openssl.log 2>&1 || { cat openssl.log; exit 1; }", tls_dir);
    server_start_with(1);
}

static void tls_stop(void)
{
    server_stop();
    ts_dir_free(tls_dir);
}

static redis_params tls_params(const char *host, const char *ca)
{
    static char ca_path[320];
    snprintf(ca_path, sizeof(ca_path), "%s/%s", tls_dir, ca);
    redis_params p = params("", PASSWORD);
    p.host = (char *)host;
    p.tls = 1;
    p.ca_file = ca_path;
    return p;
}

TestSuite(redis_tls, .init = tls_start, .fini = tls_stop, .timeout = 60);

Test(redis_tls, commands_and_values_larger_than_a_record_go_through)
{
    char err[256] = "";
    redis_params p = tls_params("127.0.0.1", "ca.crt");
    redisContext *c = redis_conn_new(&p, 2000, err, sizeof(err));
    cr_assert(c, "%s", err);
    assert_ping(c);
    size_t n = 300 * 1024; /* many TLS records each way */
    char *big = malloc(n + 1);
    cr_assert(big);
    for (size_t i = 0; i < n; i++)
        big[i] = (char)('a' + i % 26);
    big[n] = '\0';
    redisReply *r = redisCommand(c, "SET big %b", big, n);
    cr_assert(r && r->type == REDIS_REPLY_STATUS, "%s", r ? r->str : c->errstr);
    freeReplyObject(r);
    for (int i = 0; i < 20; i++) {
        r = redisCommand(c, "GET big");
        cr_assert(r && r->type == REDIS_REPLY_STRING && r->len == n && !memcmp(r->str, big, n),
                  "round %d: %s", i, r ? "wrong value" : c->errstr);
        freeReplyObject(r);
    }
    free(big);
    redisFree(c);
}

Test(redis_tls, a_subscriber_gets_what_is_published)
{
    char err[256] = "";
    redis_params p = tls_params("localhost", "ca.crt");
    redisContext *sub = redis_conn_new(&p, 2000, err, sizeof(err));
    redisContext *pub = redis_conn_new(&p, 2000, err, sizeof(err));
    cr_assert(sub && pub, "%s", err);
    redisReply *r = redisCommand(sub, "SUBSCRIBE progress");
    cr_assert(r && r->type == REDIS_REPLY_ARRAY, "%s", r ? r->str : sub->errstr);
    freeReplyObject(r);
    r = redisCommand(pub, "PUBLISH progress %s", "stage done");
    cr_assert(r && r->type == REDIS_REPLY_INTEGER && r->integer == 1);
    freeReplyObject(r);
    void *v = NULL;
    cr_assert_eq(redisGetReply(sub, &v), REDIS_OK, "%s", sub->errstr);
    r = v;
    cr_assert(r->type == REDIS_REPLY_ARRAY && r->elements == 3 && !strcmp(r->element[2]->str, "stage done"));
    freeReplyObject(r);
    redisFree(sub);
    redisFree(pub);
}

Test(redis_tls, a_certificate_from_another_ca_is_refused)
{
    char err[256] = "";
    redis_params p = tls_params("127.0.0.1", "other.crt");
    cr_assert_null(redis_conn_new(&p, 2000, err, sizeof(err)));
    cr_assert(strstr(err, "(TLS)") && strstr(err, "certificate verify failed"), "%s", err);
}

Test(redis_tls, a_certificate_for_another_name_is_refused)
{
    char err[256] = "";
    /* The certificate names 127.0.0.1 and localhost, not 127.0.0.2 (which also reaches the server). */
    redis_params p = tls_params("127.0.0.2", "ca.crt");
    cr_assert_null(redis_conn_new(&p, 2000, err, sizeof(err)));
    cr_assert(strstr(err, "certificate verify failed") || strstr(err, "refused"), "%s", err);
}

Test(redis_tls, a_plain_client_gets_no_answer)
{
    char err[256] = "";
    redis_params p = params("", PASSWORD);
    redisContext *c = redis_conn_new(&p, 1000, err, sizeof(err));
    cr_assert_null(c, "AUTH over plain TCP to a TLS port must not succeed");
}

/* redis_conn against a real redis-server (Debian's, started here on a free
 * port) that requires a password: AUTH with the password alone and as an ACL
 * user, and the refusals, which must never show the password. */
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

static void server_start(void)
{
    char port[16];
    server_port = free_port();
    snprintf(port, sizeof(port), "%d", server_port);
    char *argv[] = {"redis-server", "--port", port, "--bind", "127.0.0.1", "--requirepass", PASSWORD,
                    "--save", "", "--appendonly", "no", "--logfile", "/dev/null", NULL};
    cr_assert_eq(posix_spawnp(&server_pid, "redis-server", NULL, NULL, argv, environ), 0,
                 "redis-server must be installed (deploy/deps.sh installs it)");
    for (int i = 0; i < 100; i++) { /* up to 10 s */
        redisContext *c = redisConnect("127.0.0.1", server_port);
        int up = c && !c->err;
        redisFree(c);
        if (up)
            return;
        usleep(100 * 1000);
    }
    cr_assert_fail("redis-server did not start on port %d", server_port);
}

static void server_stop(void)
{
    if (server_pid > 0) {
        kill(server_pid, SIGTERM);
        waitpid(server_pid, NULL, 0);
    }
}

static redis_params params(const char *user, const char *password)
{
    return (redis_params){"127.0.0.1", server_port, (char *)user, (char *)password};
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

#include "redis_tls.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define REDIS_TLS_BUF 16384

typedef struct redis_tls_pump {
    SSL_CTX *ctx;
    SSL *ssl;
    int tls_fd;   /* the TCP connection to Redis, non-blocking once the handshake is done */
    int plain_fd; /* our end of the socket pair */
} redis_tls_pump;

static void redis_tls_pump_free(redis_tls_pump *p)
{
    if (!p)
        return;
    if (p->ssl)
        SSL_free(p->ssl);
    if (p->ctx)
        SSL_CTX_free(p->ctx);
    if (p->tls_fd >= 0)
        close(p->tls_fd);
    if (p->plain_fd >= 0)
        close(p->plain_fd);
    free(p);
}

/* Waits until the TLS socket can do what OpenSSL asked for (want: the
 * SSL_get_error code). 0, or -1 when the connection failed. */
static int redis_tls_wait(redis_tls_pump *p, int want)
{
    struct pollfd fd = {p->tls_fd, want == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN, 0};
    while (poll(&fd, 1, -1) < 0)
        if (errno != EINTR)
            return -1;
    return 0;
}

static int redis_tls_write_all(redis_tls_pump *p, const char *buf, int len)
{
    while (len > 0) {
        int n = SSL_write(p->ssl, buf, len);
        if (n > 0) {
            buf += n;
            len -= n;
            continue;
        }
        int e = SSL_get_error(p->ssl, n);
        if ((e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) || redis_tls_wait(p, e) != 0)
            return -1;
    }
    return 0;
}

static int redis_tls_plain_write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Copies both ways until either side closes or fails. */
static void *redis_tls_pump_run(void *arg)
{
    redis_tls_pump *p = arg;
    char *buf = malloc(REDIS_TLS_BUF);
    /* A write to a closed TLS socket must fail with EPIPE in this thread,
     * not kill the process. */
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, NULL);
    while (buf) {
        struct pollfd fds[2] = {{p->plain_fd, POLLIN, 0}, {p->tls_fd, POLLIN, 0}};
        /* OpenSSL may hold decrypted bytes the socket no longer shows. */
        if (SSL_pending(p->ssl) == 0 && poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (SSL_pending(p->ssl) > 0 || fds[1].revents) {
            int n = SSL_read(p->ssl, buf, REDIS_TLS_BUF);
            if (n > 0) {
                if (redis_tls_plain_write_all(p->plain_fd, buf, (size_t)n) != 0)
                    break;
            } else {
                int e = SSL_get_error(p->ssl, n);
                if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
                    break; /* closed by Redis, or broken */
                if (e == SSL_ERROR_WANT_WRITE && redis_tls_wait(p, e) != 0)
                    break;
            }
        }
        if (fds[0].revents) {
            ssize_t n = read(p->plain_fd, buf, REDIS_TLS_BUF);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0 || redis_tls_write_all(p, buf, (int)n) != 0)
                break; /* hiredis closed its end (redisFree) */
        }
    }
    free(buf);
    redis_tls_pump_free(p);
    return NULL;
}

static void redis_tls_ssl_error(const char *what, char *err, size_t errlen)
{
    unsigned long e = ERR_get_error();
    char why[256] = "";
    if (e)
        ERR_error_string_n(e, why, sizeof(why));
    snprintf(err, errlen, "%s%s%s", what, why[0] ? ": " : "", why);
    ERR_clear_error();
}

static int redis_tls_connect_tcp(const char *host, int port, int timeout_ms, char *err, size_t errlen)
{
    char service[16];
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res = NULL, *ai;
    struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    int fd = -1;
    snprintf(service, sizeof(service), "%d", port);
    int gai = getaddrinfo(host, service, &hints, &res);
    if (gai != 0) {
        snprintf(err, errlen, "%s", gai_strerror(gai));
        return -1;
    }
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0)
            continue;
        /* On Linux SO_SNDTIMEO bounds connect() too; both bound the handshake. */
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
            break;
        snprintf(err, errlen, "%s", strerror(errno));
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

int redis_tls_tunnel_new(const char *host, int port, const char *ca_file, int timeout_ms, char *err,
                         size_t errlen)
{
    int pair[2] = {-1, -1}, user_fd = -1;
    char why[512] = "";
    pthread_t t;
    pthread_attr_t attr;
    int attr_ready = 0;
    redis_tls_pump *p = calloc(1, sizeof(*p));
    if (!p) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    p->tls_fd = p->plain_fd = -1;
    p->ctx = SSL_CTX_new(TLS_client_method());
    if (!p->ctx) {
        redis_tls_ssl_error("TLS context", err, errlen);
        goto out;
    }
    SSL_CTX_set_min_proto_version(p->ctx, TLS1_2_VERSION);
    SSL_CTX_set_verify(p->ctx, SSL_VERIFY_PEER, NULL);
    if ((ca_file && ca_file[0]) ? SSL_CTX_load_verify_locations(p->ctx, ca_file, NULL) != 1
                                : SSL_CTX_set_default_verify_paths(p->ctx) != 1) {
        snprintf(why, sizeof(why), "CA file %s", ca_file && ca_file[0] ? ca_file : "(system)");
        redis_tls_ssl_error(why, err, errlen);
        goto out;
    }
    p->tls_fd = redis_tls_connect_tcp(host, port, timeout_ms, why, sizeof(why));
    if (p->tls_fd < 0) {
        snprintf(err, errlen, "%s", why);
        goto out;
    }
    p->ssl = SSL_new(p->ctx);
    if (!p->ssl || SSL_set_fd(p->ssl, p->tls_fd) != 1) {
        redis_tls_ssl_error("TLS session", err, errlen);
        goto out;
    }
    /* The certificate must name host: an IP address or a DNS name (SNI too). */
    struct in6_addr ip;
    int is_ip = inet_pton(AF_INET, host, &ip) == 1 || inet_pton(AF_INET6, host, &ip) == 1;
    X509_VERIFY_PARAM *vp = SSL_get0_param(p->ssl);
    if ((is_ip ? X509_VERIFY_PARAM_set1_ip_asc(vp, host) : X509_VERIFY_PARAM_set1_host(vp, host, 0)) != 1 ||
        (!is_ip && SSL_set_tlsext_host_name(p->ssl, host) != 1)) {
        redis_tls_ssl_error("TLS host name", err, errlen);
        goto out;
    }
    if (SSL_connect(p->ssl) != 1) {
        long v = SSL_get_verify_result(p->ssl);
        if (v != X509_V_OK)
            snprintf(err, errlen, "TLS handshake: certificate verify failed: %s", X509_verify_cert_error_string(v));
        else
            redis_tls_ssl_error("TLS handshake", err, errlen);
        goto out;
    }
    /* From here on the pump polls: a blocking SSL_read could sit on a
     * session ticket while hiredis waits to send. */
    SSL_clear_mode(p->ssl, SSL_MODE_AUTO_RETRY);
    if (fcntl(p->tls_fd, F_SETFL, fcntl(p->tls_fd, F_GETFL) | O_NONBLOCK) != 0 ||
        socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
        snprintf(err, errlen, "socket pair: %s", strerror(errno));
        goto out;
    }
    p->plain_fd = pair[0];
    pair[0] = -1;
    if (pthread_attr_init(&attr) != 0) {
        snprintf(err, errlen, "thread attributes");
        goto out;
    }
    attr_ready = 1;
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    if (pthread_create(&t, &attr, redis_tls_pump_run, p) != 0) {
        snprintf(err, errlen, "cannot start the TLS thread");
        goto out;
    }
    p = NULL; /* the thread owns it */
    user_fd = pair[1];
    pair[1] = -1;
out:
    if (attr_ready)
        pthread_attr_destroy(&attr);
    redis_tls_pump_free(p);
    if (pair[0] >= 0)
        close(pair[0]);
    if (pair[1] >= 0)
        close(pair[1]);
    return user_fd;
}

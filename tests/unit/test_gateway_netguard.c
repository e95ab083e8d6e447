/* Webhooks may not reach internal addresses (SSRF): the address ranges, the
 * URL forms that name them, and the check curl makes after DNS, against a
 * real listening socket. */
#include <criterion/criterion.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gw_netguard.h"
#include "gw_webhook.h"

static int addr_public(const char *text)
{
    struct sockaddr_in v4 = {.sin_family = AF_INET};
    struct sockaddr_in6 v6 = {.sin6_family = AF_INET6};
    if (inet_pton(AF_INET, text, &v4.sin_addr) == 1)
        return gw_addr_public((struct sockaddr *)&v4);
    cr_assert_eq(inet_pton(AF_INET6, text, &v6.sin6_addr), 1, "%s", text);
    return gw_addr_public((struct sockaddr *)&v6);
}

Test(netguard, internal_ranges_are_not_public)
{
    static const char *const internal[] = {
        "127.0.0.1", "127.255.0.9", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
        "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "192.0.2.7",
        "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:127.0.0.1",
        "::ffff:10.0.0.1", "::127.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::", "2001:db8::1"};
    for (size_t i = 0; i < sizeof(internal) / sizeof(internal[0]); i++)
        cr_assert_eq(addr_public(internal[i]), 0, "%s counted as public", internal[i]);
}

Test(netguard, public_addresses_and_range_edges)
{
    static const char *const public[] = {"8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.0",
                                         "100.63.255.255", "100.128.0.0", "169.253.255.255",
                                         "2606:4700::1111", "::ffff:8.8.8.8", "2002:808:808::"};
    for (size_t i = 0; i < sizeof(public) / sizeof(public[0]); i++)
        cr_assert_eq(addr_public(public[i]), 1, "%s counted as internal", public[i]);
}

Test(netguard, allow_lists_parse_and_match)
{
    gw_nets nets;
    char err[256];
    struct sockaddr_in a = {.sin_family = AF_INET};
    struct sockaddr_in6 b = {.sin6_family = AF_INET6};
    cr_assert_eq(gw_nets_parse(" 127.0.0.1/32, 10.0.0.0/8 ,fd00::/8,", &nets, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(nets.n, 3);
    inet_pton(AF_INET, "10.200.1.1", &a.sin_addr);
    cr_assert(gw_nets_contain(&nets, (struct sockaddr *)&a));
    cr_assert(gw_addr_allowed((struct sockaddr *)&a, &nets));
    inet_pton(AF_INET, "127.0.0.2", &a.sin_addr);
    cr_assert_not(gw_nets_contain(&nets, (struct sockaddr *)&a));
    inet_pton(AF_INET6, "fd00::5", &b.sin6_addr);
    cr_assert(gw_nets_contain(&nets, (struct sockaddr *)&b));
    cr_assert_eq(gw_nets_parse("", &nets, err, sizeof(err)), 0);
    cr_assert_eq(nets.n, 0);
    cr_assert_eq(gw_nets_parse("10.0.0.0/33", &nets, err, sizeof(err)), -1);
    cr_assert(strstr(err, "prefix"), "%s", err);
    cr_assert_eq(gw_nets_parse("intranet.example", &nets, err, sizeof(err)), -1);
    cr_assert(strstr(err, "intranet.example"), "%s", err);
    cr_assert_eq(gw_nets_parse("10.0.0.0/", &nets, err, sizeof(err)), -1);
}

Test(netguard, urls_naming_internal_hosts_are_refused)
{
    gw_nets none = {0}, local;
    char err[256];
    static const char *const refused[] = {
        "http://127.0.0.1/", "http://127.1/", "http://0x7f000001/", "http://2130706433:80/x",
        "http://[::1]:8080/", "http://[::ffff:10.0.0.1]/", "http://user@169.254.169.254/latest",
        "http://a@b@10.0.0.1/", "http://localhost/", "http://LOCALHOST./hook", "http://x.localhost/",
        "https://192.168.0.10:8443/hook?x=1"};
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
        cr_assert_eq(gw_url_host_allowed(refused[i], &none), 0, "%s allowed", refused[i]);
    static const char *const allowed[] = {"https://example.com/hook", "http://8.8.8.8/",
                                          "http://example.com:8080/x", "http://[2606:4700::1111]/",
                                          "http://127.0.0.1.example.com/"};
    for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
        cr_assert_eq(gw_url_host_allowed(allowed[i], &none), 1, "%s refused", allowed[i]);
    cr_assert_eq(gw_nets_parse("127.0.0.1/32", &local, err, sizeof(err)), 0);
    cr_assert_eq(gw_url_host_allowed("http://127.0.0.1:9/", &local), 1);
    cr_assert_eq(gw_url_host_allowed("http://localhost:9/", &local), 1);
    cr_assert_eq(gw_url_host_allowed("http://127.0.0.2/", &local), 0);
}

/* A receiver on 127.0.0.1 that answers one request with 204 and keeps it. */
typedef struct receiver {
    int fd, port;
    char request[4096];
} receiver;

static void receiver_open(receiver *r)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    socklen_t len = sizeof(a);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    r->fd = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert_geq(r->fd, 0);
    cr_assert_eq(bind(r->fd, (struct sockaddr *)&a, sizeof(a)), 0);
    cr_assert_eq(listen(r->fd, 4), 0);
    cr_assert_eq(getsockname(r->fd, (struct sockaddr *)&a, &len), 0);
    r->port = ntohs(a.sin_port);
}

static void *receiver_serve(void *arg)
{
    receiver *r = arg;
    int c = accept(r->fd, NULL, NULL);
    if (c < 0)
        return NULL;
    size_t got = 0;
    ssize_t n;
    while (got < sizeof(r->request) - 1 && (n = recv(c, r->request + got, sizeof(r->request) - 1 - got, 0)) > 0) {
        got += (size_t)n;
        r->request[got] = '\0';
        const char *head_end = strstr(r->request, "\r\n\r\n");
        const char *cl = strstr(r->request, "Content-Length: ");
        if (head_end && cl && got >= (size_t)(head_end + 4 - r->request) + (size_t)atoi(cl + 16))
            break;
    }
    static const char answer[] = "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n";
    if (send(c, answer, sizeof(answer) - 1, 0) < 0)
        r->request[0] = '\0';
    close(c);
    return NULL;
}

static int connection_waiting(int fd)
{
    int flags = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    int c = accept(fd, NULL, NULL);
    int waiting = c >= 0;
    if (c >= 0)
        close(c);
    fcntl(fd, F_SETFL, flags);
    return waiting;
}

Test(netguard, delivery_checks_the_address_after_dns)
{
    receiver r = {0};
    gw_nets none = {0}, local;
    char url[128], err[512] = "";
    CURL *curl = curl_easy_init();
    cr_assert_not_null(curl);
    receiver_open(&r);
    /* By name: registration cannot know where "localhost" leads; delivery can. */
    snprintf(url, sizeof(url), "http://localhost:%d/hook", r.port);
    cr_assert_eq(gw_webhook_post(curl, &none, url, "s3cret", "complete", "d1", "{}", err, sizeof(err)), -1);
    /* curl resolves localhost to 127.0.0.1 and ::1 itself: both refused. */
    cr_assert(strstr(err, "private or internal") && (strstr(err, "127.0.0.1") || strstr(err, "::1")), "%s", err);
    cr_assert_not(connection_waiting(r.fd), "the gateway connected to a refused address");

    pthread_t t;
    cr_assert_eq(gw_nets_parse("127.0.0.0/8", &local, err, sizeof(err)), 0);
    cr_assert_eq(pthread_create(&t, NULL, receiver_serve, &r), 0);
    int rc = gw_webhook_post(curl, &local, url, "s3cret", "complete", "d2", "{\"a\":1}", err, sizeof(err));
    pthread_join(t, NULL);
    cr_assert_eq(rc, 0, "%s", err);
    cr_assert(strstr(r.request, "POST /hook HTTP/1.1"), "%s", r.request);
    cr_assert(strstr(r.request, "X-Isim-Signature: sha256="), "%s", r.request);
    cr_assert(strstr(r.request, "{\"a\":1}"), "%s", r.request);
    close(r.fd);
    curl_easy_cleanup(curl);
}

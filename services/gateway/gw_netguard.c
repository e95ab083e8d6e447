#include "gw_netguard.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Parses one address into family and 16 bytes (IPv4 in the first 4). */
static int parse_addr(const char *s, int *family, uint8_t addr[16])
{
    memset(addr, 0, 16);
    if (inet_pton(AF_INET, s, addr) == 1) {
        *family = AF_INET;
        return 0;
    }
    if (inet_pton(AF_INET6, s, addr) == 1) {
        *family = AF_INET6;
        return 0;
    }
    return -1;
}

static int prefix_match(const uint8_t *a, const uint8_t *b, int bits)
{
    int whole = bits / 8, rest = bits % 8;
    if (memcmp(a, b, (size_t)whole) != 0)
        return 0;
    if (!rest)
        return 1;
    uint8_t mask = (uint8_t)(0xff << (8 - rest));
    return (a[whole] & mask) == (b[whole] & mask);
}

int gw_nets_parse(const char *list, gw_nets *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    const char *p = list ? list : "";
    while (*p) {
        char item[80];
        size_t len = strcspn(p, ",");
        const char *next = p[len] ? p + len + 1 : p + len;
        while (len && isspace((unsigned char)*p)) {
            p++;
            len--;
        }
        while (len && isspace((unsigned char)p[len - 1]))
            len--;
        if (!len) {
            p = next;
            continue;
        }
        if (len >= sizeof(item) || out->n == GW_NETS_MAX) {
            snprintf(err, errlen, "network list: too long an entry or more than %d entries", GW_NETS_MAX);
            return -1;
        }
        memcpy(item, p, len);
        item[len] = '\0';
        gw_net *n = &out->net[out->n];
        char *slash = strchr(item, '/');
        if (slash)
            *slash = '\0';
        if (parse_addr(item, &n->family, n->addr) != 0) {
            snprintf(err, errlen, "network list: \"%s\" is not an IPv4 or IPv6 address", item);
            return -1;
        }
        int max = n->family == AF_INET ? 32 : 128;
        char *end = NULL;
        long bits = slash ? strtol(slash + 1, &end, 10) : max;
        if (slash && (end == slash + 1 || *end || bits < 0 || bits > max)) {
            snprintf(err, errlen, "network list: bad prefix length \"/%s\" for %s", slash + 1, item);
            return -1;
        }
        n->prefix = (int)bits;
        out->n++;
        p = next;
    }
    return 0;
}

/* The address of sa as family and 16 bytes; -1 for other families. */
static int sockaddr_bytes(const struct sockaddr *sa, int *family, uint8_t addr[16])
{
    memset(addr, 0, 16);
    if (sa->sa_family == AF_INET) {
        memcpy(addr, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
        *family = AF_INET;
        return 0;
    }
    if (sa->sa_family == AF_INET6) {
        memcpy(addr, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
        *family = AF_INET6;
        return 0;
    }
    return -1;
}

int gw_nets_contain(const gw_nets *nets, const struct sockaddr *sa)
{
    int family;
    uint8_t addr[16];
    if (!nets || sockaddr_bytes(sa, &family, addr) != 0)
        return 0;
    for (int i = 0; i < nets->n; i++)
        if (nets->net[i].family == family && prefix_match(addr, nets->net[i].addr, nets->net[i].prefix))
            return 1;
    return 0;
}

/* IANA special-purpose ranges a webhook has no business reaching, parsed
 * once into the same form as the operator's allow list. */
static const char blocked_list[] =
    "0.0.0.0/8, 10.0.0.0/8, 100.64.0.0/10, 127.0.0.0/8, 169.254.0.0/16, 172.16.0.0/12, 192.0.0.0/24,"
    "192.0.2.0/24, 192.88.99.0/24, 192.168.0.0/16, 198.18.0.0/15, 198.51.100.0/24, 203.0.113.0/24,"
    "224.0.0.0/4, 240.0.0.0/4,"
    "::/128, ::1/128, 100::/64, 2001:db8::/32, fc00::/7, fe80::/10, fec0::/10, ff00::/8";
static gw_nets blocked;
static pthread_once_t blocked_once = PTHREAD_ONCE_INIT;

static void blocked_parse(void)
{
    char err[128];
    if (gw_nets_parse(blocked_list, &blocked, err, sizeof(err)) != 0)
        abort(); /* a constant: the unit tests parse it */
}

static int blocked_contain(const struct sockaddr *sa)
{
    pthread_once(&blocked_once, blocked_parse);
    return gw_nets_contain(&blocked, sa);
}

static int v4_public(const uint8_t *a)
{
    struct sockaddr_in v4 = {.sin_family = AF_INET};
    memcpy(&v4.sin_addr, a, 4);
    return !blocked_contain((const struct sockaddr *)&v4);
}

int gw_addr_public(const struct sockaddr *sa)
{
    int family;
    uint8_t a[16];
    if (sockaddr_bytes(sa, &family, a) != 0)
        return 0;
    if (family == AF_INET)
        return v4_public(a);
    /* IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64
     * (64:ff9b::a.b.c.d) and 6to4 (2002:AABB:CCDD::) carry an IPv4 address. */
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    static const uint8_t compat[12] = {0};
    static const uint8_t nat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
    if (!memcmp(a, mapped, 12) || !memcmp(a, nat64, 12) ||
        (!memcmp(a, compat, 12) && (a[12] | a[13]) != 0))
        return v4_public(a + 12);
    if (a[0] == 0x20 && a[1] == 0x02)
        return v4_public(a + 2);
    return !blocked_contain(sa);
}

int gw_addr_allowed(const struct sockaddr *sa, const gw_nets *allow)
{
    return gw_addr_public(sa) || gw_nets_contain(allow, sa);
}

/* Copies the host of url (no userinfo, port or brackets) into host. */
static int url_host(const char *url, char *host, size_t len)
{
    const char *p = strstr(url, "://");
    if (!p)
        return -1;
    p += 3;
    size_t n = strcspn(p, "/?#");
    const char *at = memchr(p, '@', n);
    while (at) { /* userinfo ends at the last @ of the authority */
        n -= (size_t)(at + 1 - p);
        p = at + 1;
        at = memchr(p, '@', n);
    }
    if (*p == '[') {
        const char *close = memchr(p, ']', n);
        if (!close)
            return -1;
        p++;
        n = (size_t)(close - p);
    } else {
        const char *colon = memchr(p, ':', n);
        if (colon)
            n = (size_t)(colon - p);
    }
    if (!n || n >= len)
        return -1;
    memcpy(host, p, n);
    host[n] = '\0';
    return 0;
}

int gw_url_host_allowed(const char *url, const gw_nets *allow)
{
    char host[256];
    struct sockaddr_in v4 = {.sin_family = AF_INET};
    struct sockaddr_in6 v6 = {.sin6_family = AF_INET6};
    if (url_host(url, host, sizeof(host)) != 0)
        return 0;
    size_t n = strlen(host);
    while (n && host[n - 1] == '.') /* "localhost." is localhost */
        host[--n] = '\0';
    const char *tail = n >= 10 ? host + n - 10 : "";
    if (!strcasecmp(host, "localhost") || !strcasecmp(tail, ".localhost"))
        inet_pton(AF_INET, "127.0.0.1", &v4.sin_addr);
    else if (inet_pton(AF_INET6, host, &v6.sin6_addr) == 1)
        return gw_addr_allowed((const struct sockaddr *)&v6, allow);
    else if (inet_aton(host, &v4.sin_addr) == 0) /* inet_aton: also 127.1, 0x7f000001, 2130706433 */
        return 1;                                 /* a name: checked after DNS, when connecting */
    return gw_addr_allowed((const struct sockaddr *)&v4, allow);
}

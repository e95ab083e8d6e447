/* Which network addresses the gateway may send a webhook to. A user's URL
 * must not make the gateway reach what only it can reach (SSRF): loopback,
 * private networks, link-local (cloud metadata at 169.254.169.254), and the
 * like are refused unless the operator allows them (ISIM_WEBHOOK_ALLOW_NETS).
 * URLs are checked when registered (literal addresses, "localhost") and every
 * address is checked again when connecting, after DNS (so a name that later
 * resolves to an internal address is refused too). */
#ifndef ISIM_GW_NETGUARD_H
#define ISIM_GW_NETGUARD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define GW_NETS_MAX 32

typedef struct gw_net {
    int family; /* AF_INET or AF_INET6 */
    uint8_t addr[16];
    int prefix; /* bits */
} gw_net;

typedef struct gw_nets {
    gw_net net[GW_NETS_MAX];
    int n;
} gw_nets;

/* Parses a comma-separated list of CIDR blocks ("127.0.0.0/8, ::1/128"; an
 * address alone is a single host). Returns 0, or -1 with err. */
int gw_nets_parse(const char *list, gw_nets *out, char *err, size_t errlen);
/* 1 when sa is in one of the blocks. */
int gw_nets_contain(const gw_nets *nets, const struct sockaddr *sa);

/* 1 when sa is a public unicast address; 0 for loopback, private, shared
 * (CGNAT), link-local, unspecified, multicast, reserved and documentation
 * ranges, and IPv6 forms that embed such an IPv4 address. */
int gw_addr_public(const struct sockaddr *sa);
/* Public, or in allow. */
int gw_addr_allowed(const struct sockaddr *sa, const gw_nets *allow);

/* Checks the host of an http(s) URL when it is an address literal (any form
 * curl accepts: 127.1, 0x7f000001, [::ffff:10.0.0.1]) or a localhost name.
 * Returns 1 allowed or a name to check after DNS, 0 refused. */
int gw_url_host_allowed(const char *url, const gw_nets *allow);

#endif

/* Redis over TLS for hiredis 0.14 (Debian 12's), which speaks only plain
 * sockets: the TLS connection is made here with OpenSSL, and hiredis gets one
 * end of a socket pair whose other end a thread of its own pumps through it.
 * The thread ends, closing everything, when either side closes. */
#ifndef ISIM_REDIS_TLS_H
#define ISIM_REDIS_TLS_H

#include <stddef.h>

/* Connects to host:port, verifies the server's certificate against ca_file
 * (NULL or "": the system's CAs) and its name against host, and returns the
 * plain end for redisConnectFd; -1 with err. timeout_ms bounds the connect
 * and the handshake. */
int redis_tls_tunnel_new(const char *host, int port, const char *ca_file, int timeout_ms, char *err,
                         size_t errlen);

#endif

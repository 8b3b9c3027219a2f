/* SPDX-License-Identifier: GPL-2.0 */
/* `daxtrace serve --listen ADDR:PORT`: where the exporter listens. */
#ifndef USER_LISTEN_H
#define USER_LISTEN_H

#include <netinet/in.h>

/*
 * Outside 9100-9999, which Prometheus' port allocation list has given out
 * entirely (so any port there is some other exporter's), and off every
 * port /etc/services names.
 */
#define DT_LISTEN_PORT		10037
#define DT_LISTEN_DEFAULT	"127.0.0.1:10037"

struct dt_listen {
	int family;		/* AF_INET or AF_INET6 */
	struct in_addr v4;
	struct in6_addr v6;
	unsigned int port;	/* 0: any free port (tests) */
};

/*
 * Parses "ADDR:PORT": a dotted IPv4 address or "[IPv6]", then a port
 * 0-65535.  No host names: a name could resolve to anything, and to
 * something else tomorrow.  Returns -1 with a message in @err otherwise.
 */
int dt_listen_parse(const char *s, struct dt_listen *l, char *err, int errlen);

#endif

// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "listen.h"

#define BAD(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

static int parse_port(const char *s, unsigned int *port)
{
	char *end;
	long v;

	/* strtol takes a sign and leading blanks: a port has neither */
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v > 65535)
		return -1;
	*port = (unsigned int)v;
	return 0;
}

int dt_listen_parse(const char *s, struct dt_listen *l, char *err, int errlen)
{
	char addr[INET6_ADDRSTRLEN + 2];
	const char *colon;
	size_t n;

	memset(l, 0, sizeof(*l));
	colon = strrchr(s, ':');
	if (!colon)
		BAD("invalid --listen '%s' (ADDR:PORT, e.g. %s)", s, DT_LISTEN_DEFAULT);
	n = colon - s;
	if (parse_port(colon + 1, &l->port))
		BAD("invalid port in --listen '%s' (0 to 65535)", s);
	if (n >= sizeof(addr))
		BAD("invalid address in --listen '%s'", s);
	memcpy(addr, s, n);
	addr[n] = '\0';
	if (n > 2 && addr[0] == '[' && addr[n - 1] == ']') {
		addr[n - 1] = '\0';
		l->family = AF_INET6;
		if (inet_pton(AF_INET6, addr + 1, &l->v6) == 1)
			return 0;
	} else {
		l->family = AF_INET;
		if (inet_pton(AF_INET, addr, &l->v4) == 1)
			return 0;
	}
	BAD("invalid address in --listen '%s' (an IPv4 address, or [IPv6]; "
	    "0.0.0.0 for every interface)", s);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * daxtrace serve: the BPF programs count in the kernel as for `hist`, and
 * each scrape of /metrics reads the maps and writes them out
 * (user/metrics.c).  No record crosses to userspace, so a scrape costs the
 * same after a billion faults as after one.
 *
 * libmicrohttpd serves from one internal thread (epoll): scrapes are
 * answered one at a time, which is what lets them share the histset
 * without a lock.  What a client can take is bounded: connections
 * (SERVE_MAX_CONNS), memory per connection (SERVE_CONN_MEMORY: a longer
 * request line or header gets 414 or 431), idle time (SERVE_TIMEOUT_S).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <microhttpd.h>
#include "dax_path.h"
#include "mountinfo.h"
#include "daxtrace.skel.h"
#include "era.h"
#include "kcounts.h"
#include "loader.h"
#include "metrics.h"
#include "serve.h"
#include "session.h"
#include "version.h"
#include "zero_pfn.h"

#define SERVE_MAX_CONNS		1024
#define SERVE_TIMEOUT_S		10
#define SERVE_CONN_MEMORY	(16 * 1024)
/* descriptors besides the connections: BPF programs, maps, links */
#define SERVE_FD_RESERVE	256
#define MOUNTS_MAX		64

struct mount_name {
	__u32 dev;
	char dir[128];
};

struct serve {
	const struct dt_options *opt;
	struct dt_loader ld;
	struct dt_histset hs;		/* refilled by each scrape */
	struct mount_name mounts[MOUNTS_MAX];
	int nmounts;
	char kernel[65];
};

static const char *fs_name(void *ctx, __u32 dev)
{
	struct serve *s = ctx;

	for (int i = 0; i < s->nmounts; i++)
		if (s->mounts[i].dev == dev)
			return s->mounts[i].dir;
	return NULL;
}

static bool counted_dev(const struct serve *s, __u32 dev)
{
	for (int i = 0; i < s->hs.n; i++)
		if (s->hs.keys[i].dev == dev)
			return true;
	return false;
}

/*
 * The mount point of each device the histograms name, read at each
 * scrape: a filesystem mounted after start is named too.  The first
 * mount of a device wins (a bind mount comes after it).
 */
static void name_mounts(struct serve *s)
{
	static struct dt_mountinfo_line l;
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL;
	size_t cap = 0;

	s->nmounts = 0;
	if (!f)
		return;
	while (s->nmounts < MOUNTS_MAX && getline(&line, &cap, f) > 0) {
		/* a mount point too long for the label: MAJ:MIN, never cut */
		if (dt_mountinfo_parse(line, &l) ||
		    strlen(l.point) >= sizeof(s->mounts[0].dir) ||
		    !counted_dev(s, l.dev) || fs_name(s, l.dev))
			continue;
		s->mounts[s->nmounts].dev = l.dev;
		memcpy(s->mounts[s->nmounts].dir, l.point, strlen(l.point) + 1);
		s->nmounts++;
	}
	free(line);
	fclose(f);
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned int status,
			     const char *text)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(strlen(text), (void *)text,
					    MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				"text/plain; charset=utf-8");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result metrics(struct serve *s, struct MHD_Connection *conn)
{
	const char *accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							 MHD_HTTP_HEADER_ACCEPT);
	enum dt_metrics_format fmt = dt_metrics_negotiate(accept);
	__u64 st[DT_STAT_MAX];
	struct dt_metrics m = {
		.hs = &s->hs, .by = s->opt->by, .fs_name = fs_name, .fs_ctx = s,
		.dev_name = dt_dev_name,
		.exact = s->ld.probes.exact, .mode = dt_mode_name(s->opt->mode),
		.insert_path = dt_era_name(s->ld.probes.era),
		.probes = s->ld.probes.state, .nprobes = s->ld.probes.n,
		.version = DT_VERSION, .kernel = s->kernel,
	};
	struct MHD_Response *r;
	enum MHD_Result ret;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int err;

	dt_kcounts_hists(s->ld.skel, s->opt->by, &s->hs);
	dt_kcounts_stats(s->ld.skel, st);
	m.lost = st[DT_STAT_LOST];
	m.stale = st[DT_STAT_STALE];
	m.untracked = st[DT_STAT_CTX_FULL] + st[DT_STAT_HIST_FULL] + s->hs.dropped;
	if (s->opt->by == DT_BY_FS)
		name_mounts(s);
	f = open_memstream(&buf, &len);
	if (!f)
		return reply(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
	err = dt_metrics_write(f, &m, fmt);
	if (fclose(f) || err) {
		free(buf);
		return reply(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
	}
	r = MHD_create_response_from_buffer(len, buf, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(buf);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				dt_metrics_content_type(fmt));
	MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, MHD_HTTP_HEADER_ACCEPT);
	ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *conn,
			      const char *url, const char *method,
			      const char *version, const char *upload_data,
			      size_t *upload_data_size, void **req_cls)
{
	static int headers_seen;

	(void)version;
	(void)upload_data;
	/* answered before any body is read: MHD then closes the connection */
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n");
	/*
	 * A GET is answered once the request is whole: a response queued at
	 * the first call, with the headers only, makes MHD close the
	 * connection after it, and Prometheus would connect anew each scrape.
	 * A body, which a GET should not have, is read and dropped.
	 */
	if (!*req_cls) {
		*req_cls = &headers_seen;
		return MHD_YES;
	}
	if (*upload_data_size) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (!strcmp(url, "/metrics"))
		return metrics(cls, conn);
	if (!strcmp(url, "/"))
		return reply(conn, MHD_HTTP_OK, "daxtrace: the metrics are at /metrics\n");
	return reply(conn, MHD_HTTP_NOT_FOUND, "not found: the metrics are at /metrics\n");
}

static void listen_name(const struct dt_listen *l, unsigned int port,
			char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (l->family == AF_INET6) {
		inet_ntop(AF_INET6, &l->v6, a, sizeof(a));
		snprintf(buf, len, "[%s]:%u", a, port);
	} else {
		inet_ntop(AF_INET, &l->v4, a, sizeof(a));
		snprintf(buf, len, "%s:%u", a, port);
	}
}

/* Our own socket, so that "address in use" is said as such, with errno. */
static int listen_on(const struct dt_listen *l, unsigned int *port)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t sl;
	int fd, one = 1;

	if (l->family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_addr = l->v6;
		a->sin6_port = htons(l->port);
		sl = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_addr = l->v4;
		a->sin_port = htons(l->port);
		sl = sizeof(*a);
	}
	fd = socket(l->family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	/* a restart must not wait out the last run's TIME_WAIT connections */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) || listen(fd, SOMAXCONN) ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl)) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	*port = ntohs(l->family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port :
					      ((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}

/* As many connections as descriptors allow, up to SERVE_MAX_CONNS. */
static unsigned int connection_limit(void)
{
	struct rlimit rl;
	rlim_t want = SERVE_MAX_CONNS + SERVE_FD_RESERVE;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return 64;
	if (rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur >= want)
		return SERVE_MAX_CONNS;
	return rl.rlim_cur > SERVE_FD_RESERVE + 16 ? rl.rlim_cur - SERVE_FD_RESERVE : 16;
}

static int start(struct serve *s)
{
	struct dt_load_opts lo = { .opt = s->opt };
	struct utsname u;

	if (dt_zero_pfns_learn(&lo.zero))
		dt_err("warning: zero page PFN unknown: zero_upgrade and "
		       "zero_page mismatches may be misclassified");
	if (dt_loader_start(&s->ld, &lo))
		return -1;
	dt_probes_brief(stderr, &s->ld.probes);
	if (!uname(&u))
		snprintf(s->kernel, sizeof(s->kernel), "%s", u.release);
	if (dt_histset_init(&s->hs)) {
		dt_err("out of memory");
		return -1;
	}
	return 0;
}

int dt_serve(const struct dt_options *o)
{
	struct serve s = { .opt = o };
	struct MHD_Daemon *d = NULL;
	unsigned int port;
	char where[INET6_ADDRSTRLEN + 16];
	sigset_t stop;
	int fd, sig, ret = DT_EXIT_TOOL;

	listen_name(&o->listen, o->listen.port, where, sizeof(where));
	fd = listen_on(&o->listen, &port);
	if (fd < 0) {
		dt_err("cannot listen on %s: %s", where, strerror(errno));
		return DT_EXIT_TOOL;
	}
	listen_name(&o->listen, port, where, sizeof(where));
	/*
	 * Blocked here, so that libmicrohttpd's thread inherits the mask and
	 * the signals wait for sigwait() below, even if they come early.
	 */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (start(&s))
		goto out;
	d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD, 0, NULL, NULL,
			     answer, &s,
			     MHD_OPTION_LISTEN_SOCKET, fd,
			     MHD_OPTION_CONNECTION_LIMIT, connection_limit(),
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)SERVE_TIMEOUT_S,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SERVE_CONN_MEMORY,
			     MHD_OPTION_END);
	if (!d) {
		dt_err("cannot start the HTTP server on %s", where);
		goto out;
	}
	fd = -1;	/* the daemon's now: MHD_stop_daemon() closes it */
	dt_err("serving http://%s/metrics", where);
	if (!sigwait(&stop, &sig))
		ret = DT_EXIT_OK;
out:
	if (d)
		MHD_stop_daemon(d);
	if (fd >= 0)
		close(fd);
	dt_loader_stop(&s.ld);
	dt_histset_free(&s.hs);
	return ret;
}

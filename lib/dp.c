/* dp.c - the datapath object: ports, stats, event loop; see dp.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dp_private.h"

/* epoll data: ports by number (a callback may remove a port while
 * events for it are pending), watched descriptors by fd. */
#define EV_PORT  (1ull << 32)
#define EV_WATCH (2ull << 32)

static struct dp_port *port_get(const struct dp *dp, uint32_t no)
{
	return no < dp->n_port_slots ? dp->ports[no] : NULL;
}

static void port_close(struct dp *dp, struct dp_port *port)
{
	int fd = netdev_fd(port->nd);

	uint32_t i;

	if (fd >= 0)
		epoll_ctl(dp->epfd, EPOLL_CTL_DEL, fd, NULL);
	dp->ports[port->no] = NULL;
	for (i = 0; i < dp->n_live; i++) {
		if (dp->live[i] == port) {
			dp->live[i] = dp->live[--dp->n_live];
			break;
		}
	}
	netdev_close(port->nd);
	free(port->pids);
	free(port);
}

/* Replace the pid array *dst (of *n_dst) with a copy of pids[0..n). */
static int copy_pids(uint32_t **dst, size_t *n_dst, const uint32_t *pids, size_t n)
{
	uint32_t *v = NULL;

	if (n) {
		v = malloc(n * sizeof *v);
		if (!v)
			return -ENOMEM;
		memcpy(v, pids, n * sizeof *v);
	}
	free(*dst);
	*dst = v;
	*n_dst = n;
	return 0;
}

static int set_pids(struct dp_port *port, const uint32_t *pids, size_t n)
{
	return copy_pids(&port->pids, &port->n_pids, pids, n);
}

int dp_create(struct dp **out, const char *name, unsigned flags,
	      struct dp_err *err)
{
	uint32_t no = 0;
	struct dp *dp;
	int r;

	*out = NULL;
	if (!name[0] || strlen(name) >= IFNAMSIZ)
		return dp_err_set(err, EINVAL, "'%s': bad datapath name", name);
	dp = calloc(1, sizeof *dp);
	if (!dp)
		return dp_err_set(err, ENOMEM, "out of memory");
	strcpy(dp->name, name);
	dp->flags = flags;
	dp->epfd = epoll_create1(EPOLL_CLOEXEC);
	dp->ft = flowtab_create();
	if (dp->epfd < 0 || !dp->ft) {
		dp_destroy(dp);
		return dp_err_set(err, ENOMEM, "out of memory");
	}
	dp_exec_init(&dp->exec, &dp_exec_callbacks, dp, (uint64_t)(uintptr_t)dp ^
		     dp_now_ms());
	r = dp_port_add(dp, name, flags & DP_F_LOCAL_DUMMY ? DP_VPORT_TYPE_DUMMY
			: OVS_VPORT_TYPE_INTERNAL, &no, NULL, 0, 0, err);
	if (r < 0) {
		dp_destroy(dp);
		return r;
	}
	*out = dp;
	return 0;
}

void dp_destroy(struct dp *dp)
{
	struct dp_upcall *u;
	uint32_t i;

	if (!dp)
		return;
	for (i = 0; i < dp->n_port_slots; i++)
		if (dp->ports[i])
			port_close(dp, dp->ports[i]);
	while (dp_upcall_pop(dp, &u))
		dp_upcall_free(u);
	flowtab_destroy(dp->ft);
	if (dp->epfd >= 0)
		close(dp->epfd);
	free(dp->ports);
	free(dp->live);
	free(dp->cpu_pids);
	free(dp->watches);
	free(dp);
}

const char *dp_name(const struct dp *dp) { return dp->name; }
void dp_set_features(struct dp *dp, uint32_t f) { dp->features = f; }
uint32_t dp_features(const struct dp *dp) { return dp->features; }
struct flowtab *dp_flowtab(struct dp *dp) { return dp->ft; }
int dp_fd(const struct dp *dp) { return dp->epfd; }

void dp_set_fallback_pid(struct dp *dp, uint32_t pid) { dp->fallback_pid = pid; }

int dp_set_cpu_pids(struct dp *dp, const uint32_t *pids, size_t n)
{
	return copy_pids(&dp->cpu_pids, &dp->n_cpu_pids, pids, n);
}

static int grow_slots(struct dp *dp, uint32_t no)
{
	uint32_t n = dp->n_port_slots ? dp->n_port_slots : 16;
	struct dp_port **v;

	while (n <= no)
		n *= 2;
	if (n > DP_MAX_PORTS)
		n = DP_MAX_PORTS;
	v = realloc(dp->ports, n * sizeof *v);
	if (!v)
		return -ENOMEM;
	memset(v + dp->n_port_slots, 0, (n - dp->n_port_slots) * sizeof *v);
	dp->ports = v;
	dp->n_port_slots = n;
	return 0;
}

int dp_port_add(struct dp *dp, const char *name, uint32_t type,
		uint32_t *port_no, const uint32_t *pids, size_t n_pids,
		unsigned netdev_flags, struct dp_err *err)
{
	struct dp_port_info info;
	enum netdev_type nt;
	struct dp_port *port;
	struct epoll_event ev;
	uint32_t no = *port_no;
	int r;

	switch (type) {
	case OVS_VPORT_TYPE_NETDEV: nt = NETDEV_AFPACKET; break;
	case OVS_VPORT_TYPE_INTERNAL: nt = NETDEV_TAP; break;
	case DP_VPORT_TYPE_DUMMY: nt = NETDEV_DUMMY; break;
	default:
		return dp_err_set(err, EOPNOTSUPP,
				  "%s: port type %u is not supported by the userspace datapath",
				  name, type);
	}
	if (dp_port_by_name(dp, name, &info) == 0)
		return dp_err_set(err, EEXIST, "%s: already a port of %s", name, dp->name);
	if (no == DP_PORT_NONE) {
		/* The lowest free number from 1, as the kernel picks it. */
		for (no = 1; no < DP_MAX_PORTS && port_get(dp, no); no++)
			;
		if (no >= DP_MAX_PORTS)
			return dp_err_set(err, EFBIG, "%s: no free port number", name);
	} else if (no >= DP_MAX_PORTS) {
		return dp_err_set(err, EFBIG, "%s: port number %u too large", name, no);
	} else if (port_get(dp, no)) {
		return dp_err_set(err, EBUSY, "%s: port number %u is taken", name, no);
	}
	if (no >= dp->n_port_slots && grow_slots(dp, no) < 0)
		return dp_err_set(err, ENOMEM, "out of memory");
	if (dp->n_live == dp->cap_live) {
		uint32_t cap = dp->cap_live ? dp->cap_live * 2 : 8;
		struct dp_port **v = realloc(dp->live, cap * sizeof *v);

		if (!v)
			return dp_err_set(err, ENOMEM, "out of memory");
		dp->live = v;
		dp->cap_live = cap;
	}
	port = calloc(1, sizeof *port);
	if (!port || set_pids(port, pids, n_pids) < 0) {
		free(port);
		return dp_err_set(err, ENOMEM, "out of memory");
	}
	port->no = no;
	port->type = type;
	if (dp->flags & DP_F_NO_OFFLOAD)
		netdev_flags |= NETDEV_F_NO_VNET;
	r = netdev_open(&port->nd, name, nt, netdev_flags, err);
	if (r < 0) {
		free(port->pids);
		free(port);
		return r;
	}
	if (netdev_fd(port->nd) >= 0) {
		memset(&ev, 0, sizeof ev);
		ev.events = EPOLLIN;
		ev.data.u64 = EV_PORT | no;
		if (epoll_ctl(dp->epfd, EPOLL_CTL_ADD, netdev_fd(port->nd), &ev) < 0) {
			r = errno;
			netdev_close(port->nd);
			free(port->pids);
			free(port);
			return dp_err_set(err, r, "%s: epoll: %s", name, strerror(r));
		}
	}
	dp->ports[no] = port;
	dp->live[dp->n_live++] = port;
	*port_no = no;
	return 0;
}

int dp_port_del(struct dp *dp, uint32_t no, struct dp_err *err)
{
	struct dp_port *port = port_get(dp, no);

	if (!port)
		return dp_err_set(err, ENODEV, "port %u: no such port", no);
	if (no == 0)
		return dp_err_set(err, EINVAL, "port 0: the local port goes with the datapath");
	port_close(dp, port);
	return 0;
}

int dp_port_set_pids(struct dp *dp, uint32_t no, const uint32_t *pids, size_t n)
{
	struct dp_port *port = port_get(dp, no);

	return port ? set_pids(port, pids, n) : -ENODEV;
}

static void fill_info(const struct dp_port *port, struct dp_port_info *info)
{
	info->port_no = port->no;
	info->type = port->type;
	info->name = netdev_name(port->nd);
	info->ifindex = netdev_ifindex(port->nd);
	info->pids = port->pids;
	info->n_pids = port->n_pids;
	info->netdev = port->nd;
	netdev_get_stats(port->nd, &info->stats);
}

int dp_port_get(const struct dp *dp, uint32_t no, struct dp_port_info *info)
{
	const struct dp_port *port = port_get(dp, no);

	if (!port)
		return -ENODEV;
	fill_info(port, info);
	return 0;
}

int dp_port_by_name(const struct dp *dp, const char *name, struct dp_port_info *info)
{
	uint32_t i;

	for (i = 0; i < dp->n_port_slots; i++) {
		if (dp->ports[i] && !strcmp(netdev_name(dp->ports[i]->nd), name)) {
			fill_info(dp->ports[i], info);
			return 0;
		}
	}
	return -ENODEV;
}

int dp_port_next(const struct dp *dp, uint32_t *cursor, struct dp_port_info *info)
{
	uint32_t i;

	for (i = *cursor; i < dp->n_port_slots; i++) {
		if (dp->ports[i]) {
			fill_info(dp->ports[i], info);
			*cursor = i + 1;
			return 0;
		}
	}
	*cursor = dp->n_port_slots;
	return -ENOENT;
}

void dp_get_stats(const struct dp *dp, struct dp_stats *s)
{
	struct flowtab_mask_stats ms = flowtab_mask_stats(dp->ft);

	*s = dp->stats;
	s->n_flows = flowtab_count(dp->ft);
	s->n_masks = ms.n_masks;
}

/* --- event loop ------------------------------------------------------ */

int dp_watch_fd(struct dp *dp, int fd, uint32_t events, dp_fd_cb *cb, void *aux)
{
	struct epoll_event ev;

	if (dp->n_watches == dp->cap_watches) {
		unsigned cap = dp->cap_watches ? dp->cap_watches * 2 : 8;
		struct dp_watch *v = realloc(dp->watches, cap * sizeof *v);

		if (!v)
			return -ENOMEM;
		dp->watches = v;
		dp->cap_watches = cap;
	}
	memset(&ev, 0, sizeof ev);
	ev.events = events;
	ev.data.u64 = EV_WATCH | (uint32_t)fd;
	if (epoll_ctl(dp->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	dp->watches[dp->n_watches].fd = fd;
	dp->watches[dp->n_watches].cb = cb;
	dp->watches[dp->n_watches].aux = aux;
	dp->n_watches++;
	return 0;
}

int dp_unwatch_fd(struct dp *dp, int fd)
{
	unsigned i;

	for (i = 0; i < dp->n_watches; i++) {
		if (dp->watches[i].fd == fd) {
			epoll_ctl(dp->epfd, EPOLL_CTL_DEL, fd, NULL);
			dp->watches[i] = dp->watches[--dp->n_watches];
			return 0;
		}
	}
	return -ENOENT;
}

/* Receive and process up to 'budget' batches from one port. */
static int port_rx(struct dp *dp, struct dp_port *port, int budget)
{
	struct dp_batch b;
	int total = 0;

	while (budget-- > 0) {
		int n;

		dp_batch_init(&b);
		n = netdev_rx(port->nd, &b, port->no);
		if (n > 0)
			dp_process_batch_noflush(dp, &b);
		netdev_rx_done(port->nd);
		if (n <= 0)
			break;
		total += n;
	}
	dp_flush_ports(dp);
	return total;
}

int dp_poll_ports(struct dp *dp)
{
	int total = 0;
	uint32_t i;

	for (i = 0; i < dp->n_live; i++)
		total += port_rx(dp, dp->live[i], 4);
	return total;
}

int dp_run(struct dp *dp, int timeout_ms)
{
	struct epoll_event ev[32];
	int n, i, total = 0;

	n = epoll_wait(dp->epfd, ev, 32, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (i = 0; i < n; i++) {
		uint64_t d = ev[i].data.u64;

		if (d & EV_PORT) {
			struct dp_port *port = port_get(dp, (uint32_t)d);

			/* A packet socket whose device went down holds
			 * ENETDOWN until someone reads it: read it, or
			 * epoll reports the port forever. */
			if (port && (ev[i].events & EPOLLERR)) {
				int e;
				socklen_t l = sizeof e;

				getsockopt(netdev_fd(port->nd), SOL_SOCKET,
					   SO_ERROR, &e, &l);
			}
			if (port)
				total += port_rx(dp, port, 16);
		} else {
			unsigned k;

			for (k = 0; k < dp->n_watches; k++) {
				if (dp->watches[k].fd == (int)(uint32_t)d) {
					dp->watches[k].cb(dp->watches[k].aux,
							  dp->watches[k].fd,
							  ev[i].events);
					break;
				}
			}
		}
	}
	/* While packets keep coming, look again before sleeping: a port
	 * whose ring wakes us per frame (TPACKET_V2) would otherwise cost a
	 * wakeup per packet under load. */
	for (i = 0; total > 0 && i < 8; i++) {
		int more = dp_poll_ports(dp);

		if (more <= 0)
			break;
		total += more;
	}
	return total;
}

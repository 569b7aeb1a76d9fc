/* dpserv.c - the uapi server: its socket, clients, output queues and event
 * loop; see dpserv.h. */
#include "dpserv_int.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"

/* epoll tags: every registered object starts with a uint32_t saying what
 * it is, so the event's pointer can be told apart. */
enum { TAG_LISTEN = 0x4c53544e, TAG_CLIENT, TAG_DP, TAG_WATCH, TAG_RTNL };

struct ds_watch {
	uint32_t evtag;
	int fd;
	void (*cb)(void *aux);
	void *aux;
};

struct ds_outmsg {
	struct ds_outmsg *next;
	size_t len;
	uint8_t data[];
};

static void client_close(struct dpserv *srv, struct dpserv_client *c);

/* --- credentials ------------------------------------------------------------ */

/* Read "CapEff:" of /proc/PID/status; -1 if unreadable. */
static long long cap_eff(pid_t pid)
{
	char path[64], line[256];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f)) {
		if (!strncmp(line, "CapEff:", 7)) {
			v = strtoll(line + 7, NULL, 16);
			break;
		}
	}
	fclose(f);
	return v;
}

static bool same_userns(pid_t pid)
{
	char path[64];
	struct stat a, b;

	snprintf(path, sizeof path, "/proc/%d/ns/user", (int)pid);
	if (stat(path, &a) < 0 || stat("/proc/self/ns/user", &b) < 0)
		return false;
	return a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

bool dpserv_cred_privileged(const struct dpserv_cred *cred)
{
	long long caps;

	if (cred->uid == 0)
		return true;
	if (cred->pid <= 0 || !same_userns(cred->pid))
		return false;
	caps = cap_eff(cred->pid);
	return caps >= 0 && (caps >> 12) & 1;   /* CAP_NET_ADMIN */
}

/* --- server ------------------------------------------------------------------- */

static int ep_add(struct dpserv *srv, int fd, uint32_t events, void *tag)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof ev);
	ev.events = events;
	ev.data.ptr = tag;
	return epoll_ctl(srv->epfd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

/* Is a server answering on 'path'? */
static bool live_server(const struct sockaddr_un *sun)
{
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	bool live;

	if (fd < 0)
		return false;
	live = connect(fd, (const struct sockaddr *)sun, sizeof *sun) == 0;
	close(fd);
	return live;
}

static int listen_on(struct dpserv *srv, const char *path, struct dp_err *err)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, r;

	if (strlen(path) >= sizeof sun.sun_path)
		return dp_err_set(err, ENAMETOOLONG, "socket path too long: %s",
				  path);
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if (live_server(&sun))
		return dp_err_set(err, EADDRINUSE, "%s: a dpd is already "
				  "running on this socket", path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return dp_err_set(err, errno, "socket: %s", strerror(errno));
	/* A stale file of a server that is gone. */
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof sun) < 0) {
		r = errno;
		close(fd);
		return dp_err_set(err, r, "%s: bind: %s", path, strerror(r));
	}
	srv->sock_path = strdup(path);
	if (!srv->sock_path || chmod(path, 0660) < 0 ||
	    (srv->cfg.sock_gid >= 0 && chown(path, (uid_t)-1,
					     (gid_t)srv->cfg.sock_gid) < 0) ||
	    listen(fd, 128) < 0) {
		r = srv->sock_path ? errno : ENOMEM;
		close(fd);
		return dp_err_set(err, r, "%s: %s", path, strerror(r));
	}
	srv->lfd = fd;
	srv->lfd_tag = TAG_LISTEN;
	r = ep_add(srv, fd, EPOLLIN, &srv->lfd_tag);
	if (r < 0)
		return dp_err_set(err, -r, "epoll: %s", strerror(-r));
	return 0;
}

/* Devices that disappear take their ports with them: listen for
 * RTM_DELLINK. */
static int watch_links(struct dpserv *srv, struct dp_err *err)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK,
				  .nl_groups = RTMGRP_LINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
			NETLINK_ROUTE), r;

	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		r = errno;
		if (fd >= 0)
			close(fd);
		return dp_err_set(err, r, "rtnetlink: %s", strerror(r));
	}
	srv->rtfd = fd;
	srv->rtfd_tag = TAG_RTNL;
	r = ep_add(srv, fd, EPOLLIN, &srv->rtfd_tag);
	return r < 0 ? dp_err_set(err, -r, "epoll: %s", strerror(-r)) : 0;
}

static void links_changed(struct dpserv *srv)
{
	static uint8_t b[16384];
	int i;

	for (i = 0; i < 16; i++) {
		ssize_t n = recv(srv->rtfd, b, sizeof b, MSG_DONTWAIT);
		const struct nlmsghdr *m = (const void *)b;
		int left = (int)n;

		if (n < 0 && errno == ENOBUFS) {
			/* Messages were lost: look at every port. */
			ds_links_gone(srv, 0);
			continue;
		}
		if (n <= 0)
			return;
		for (; NLMSG_OK(m, left); m = NLMSG_NEXT(m, left)) {
			const struct ifinfomsg *ifi = NLMSG_DATA(m);

			if (m->nlmsg_type == RTM_DELLINK &&
			    m->nlmsg_len >= NLMSG_LENGTH(sizeof *ifi) &&
			    ifi->ifi_index > 0)
				ds_links_gone(srv, ifi->ifi_index);
		}
	}
}

int dpserv_create(struct dpserv **out, const struct dpserv_config *cfg,
		  struct dp_err *err)
{
	struct dpserv *srv;
	int r;

	*out = NULL;
	srv = calloc(1, sizeof *srv);
	if (!srv || !(srv->rx = malloc(DS_RX_MAX))) {
		free(srv);
		return dp_err_set(err, ENOMEM, "out of memory");
	}
	srv->cfg = *cfg;
	srv->cfg.sock_path = NULL;
	srv->log = cfg->log;
	srv->lfd = -1;
	srv->rtfd = -1;
	srv->next_portid = 1;
	srv->next_dummy_ifindex = 1 << 20;
	srv->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (srv->epfd < 0) {
		r = errno;
		dpserv_destroy(srv);
		return dp_err_set(err, r, "epoll: %s", strerror(r));
	}
	if (!cfg->dummy_ports) {
		r = watch_links(srv, err);
		if (r < 0) {
			dpserv_destroy(srv);
			return r;
		}
	}
	if (cfg->sock_path) {
		r = listen_on(srv, cfg->sock_path, err);
		if (r < 0) {
			/* Not ours to remove if another server owns it. */
			if (r == -EADDRINUSE) {
				free(srv->sock_path);
				srv->sock_path = NULL;
			}
			dpserv_destroy(srv);
			return r;
		}
	}
	*out = srv;
	return 0;
}

static void reap(struct dpserv *srv)
{
	struct dpserv_client **pc = &srv->clients;
	size_t i;

	while (*pc) {
		struct dpserv_client *c = *pc;

		if (c->dead) {
			*pc = c->next;
			free(c);
		} else {
			pc = &c->next;
		}
	}
	for (i = 0; i < srv->n_dead_dps; i++)
		free(srv->dead_dps[i]);
	srv->n_dead_dps = 0;
}

void dpserv_destroy(struct dpserv *srv)
{
	struct dpserv_client *c;
	unsigned i;

	if (!srv)
		return;
	ds_sys_destroy_all(srv);
	while (srv->n_dps)
		ds_dp_destroy(srv, srv->dps[srv->n_dps - 1]);
	for (c = srv->clients; c; c = c->next)
		if (!c->dead)
			client_close(srv, c);
	reap(srv);
	if (srv->lfd >= 0)
		close(srv->lfd);
	if (srv->rtfd >= 0)
		close(srv->rtfd);
	if (srv->sock_path) {
		unlink(srv->sock_path);
		free(srv->sock_path);
	}
	if (srv->epfd >= 0)
		close(srv->epfd);
	free(srv->dps);
	free(srv->dead_dps);
	for (i = 0; i < srv->n_watches; i++)
		free(srv->watches[i]);
	free(srv->watches);
	free(srv->rx);
	buf_free(&srv->out);
	buf_free(&srv->note);
	buf_free(&srv->up);
	buf_free(&srv->dump);
	free(srv);
}

void dpserv_get_stats(const struct dpserv *srv, struct dpserv_stats *s)
{
	*s = srv->stats;
	s->n_clients = srv->n_clients;
	s->n_datapaths = (unsigned)srv->n_dps;
}

int dpserv_watch_fd(struct dpserv *srv, int fd, void (*cb)(void *aux),
		    void *aux)
{
	struct ds_watch *w, **v;
	int r;

	/* A tag must not move once registered: each watch is allocated on
	 * its own. */
	v = realloc(srv->watches, (srv->n_watches + 1) * sizeof *v);
	if (!v)
		return -ENOMEM;
	srv->watches = v;
	w = calloc(1, sizeof *w);
	if (!w)
		return -ENOMEM;
	w->evtag = TAG_WATCH;
	w->fd = fd;
	w->cb = cb;
	w->aux = aux;
	r = ep_add(srv, fd, EPOLLIN, w);
	if (r < 0) {
		free(w);
		return r;
	}
	srv->watches[srv->n_watches++] = w;
	return 0;
}

void dpserv_unwatch_fd(struct dpserv *srv, int fd)
{
	unsigned i;

	/* The watch stays allocated: an event of this turn may point at
	 * it. */
	for (i = 0; i < srv->n_watches; i++) {
		struct ds_watch *w = srv->watches[i];

		if (w->fd == fd && w->cb) {
			epoll_ctl(srv->epfd, EPOLL_CTL_DEL, fd, NULL);
			w->cb = NULL;
			w->fd = -1;
		}
	}
}

/* --- datapaths ---------------------------------------------------------------- */

struct ds_dp *ds_dp_by_ifindex(struct dpserv *srv, int ifindex)
{
	size_t i;

	for (i = 0; i < srv->n_dps; i++)
		if (srv->dps[i]->ifindex == ifindex)
			return srv->dps[i];
	return NULL;
}

struct ds_dp *ds_dp_by_name(struct dpserv *srv, const char *name)
{
	size_t i;

	for (i = 0; i < srv->n_dps; i++)
		if (!strcmp(srv->dps[i]->name, name))
			return srv->dps[i];
	return NULL;
}

struct dp *dpserv_datapath(struct dpserv *srv, const char *name)
{
	struct ds_dp *d = ds_dp_by_name(srv, name);

	return d ? d->dp : NULL;
}

/* Room for one more pointer in *v (of *n used, *cap allocated). */
static int room_for_one(struct ds_dp ***v, size_t n, size_t *cap)
{
	size_t c = *cap ? *cap * 2 : 4;
	struct ds_dp **p;

	if (n < *cap)
		return 0;
	p = realloc(*v, c * sizeof *p);
	if (!p)
		return -ENOMEM;
	*v = p;
	*cap = c;
	return 0;
}

int ds_dp_add(struct dpserv *srv, struct ds_dp *d)
{
	int r;

	/* The dead list too: removing must not fail. */
	if (room_for_one(&srv->dps, srv->n_dps, &srv->cap_dps) < 0 ||
	    room_for_one(&srv->dead_dps, srv->n_dead_dps, &srv->cap_dead_dps) < 0)
		return -ENOMEM;
	d->evtag = TAG_DP;
	r = ep_add(srv, dp_fd(d->dp), EPOLLIN, d);
	if (r < 0)
		return r;
	srv->dps[srv->n_dps++] = d;
	return 0;
}

/* Forget a datapath whose engine is gone; its struct lives until the end
 * of the turn, for events already fetched. */
void ds_dp_remove(struct dpserv *srv, struct ds_dp *d)
{
	size_t i;

	if (d->dp)
		epoll_ctl(srv->epfd, EPOLL_CTL_DEL, dp_fd(d->dp), NULL);
	for (i = 0; i < srv->n_dps; i++) {
		if (srv->dps[i] == d) {
			memmove(&srv->dps[i], &srv->dps[i + 1],
				(srv->n_dps - i - 1) * sizeof *srv->dps);
			srv->n_dps--;
			break;
		}
	}
	/* ds_dp_add() made room. */
	srv->dead_dps[srv->n_dead_dps++] = d;
}

/* --- clients --------------------------------------------------------------------- */

struct dpserv_client *ds_client_by_portid(struct dpserv *srv, uint32_t portid)
{
	struct dpserv_client *c;

	for (c = srv->portids[portid % DS_PORTID_BUCKETS]; c; c = c->hnext)
		if (c->portid == portid)
			return c;
	return NULL;
}

static uint32_t new_portid(struct dpserv *srv)
{
	uint32_t p;

	do {
		p = srv->next_portid++;
		if (!srv->next_portid)
			srv->next_portid = 1;
	} while (!p || p == DS_PORTID_SP || ds_client_by_portid(srv, p));
	return p;
}

static void set_events(struct dpserv *srv, struct dpserv_client *c,
		       uint32_t events)
{
	struct epoll_event ev;

	if (c->events == events || c->fd < 0)
		return;
	memset(&ev, 0, sizeof ev);
	ev.events = events;
	ev.data.ptr = c;
	if (epoll_ctl(srv->epfd, EPOLL_CTL_MOD, c->fd, &ev) == 0)
		c->events = events;
}

/* Read requests while the queue of replies is short; wait for the socket
 * to drain when output is queued. */
static void update_events(struct dpserv *srv, struct dpserv_client *c)
{
	uint32_t ev = 0;

	if (c->q_bytes < DS_OUTQ_MAX)
		ev |= EPOLLIN;
	if (c->q_head)
		ev |= EPOLLOUT;
	set_events(srv, c, ev);
}

int dpserv_add_client(struct dpserv *srv, int fd, bool privileged,
		      struct dpserv_client **out, struct dp_err *err)
{
	struct dpserv_client *c;
	int size = DS_SNDBUF, r, fl;

	if (out)
		*out = NULL;
	if (srv->n_clients >= DS_MAX_CLIENTS) {
		close(fd);
		return dp_err_set(err, EMFILE, "too many clients (%d)",
				  DS_MAX_CLIENTS);
	}
	c = calloc(1, sizeof *c);
	if (!c) {
		close(fd);
		return dp_err_set(err, ENOMEM, "out of memory");
	}
	fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	/* Room for bursts of upcalls and dump chunks before a slow reader
	 * starts losing them (FORCE needs CAP_NET_ADMIN). */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
	c->evtag = TAG_CLIENT;
	c->fd = fd;
	c->privileged = privileged;
	c->ext_ack = true;
	c->cap_ack = true;
	c->portid = new_portid(srv);
	c->events = EPOLLIN;
	r = ep_add(srv, fd, EPOLLIN, c);
	if (r < 0) {
		close(fd);
		free(c);
		return dp_err_set(err, -r, "epoll: %s", strerror(-r));
	}
	c->next = srv->clients;
	srv->clients = c;
	c->hnext = srv->portids[c->portid % DS_PORTID_BUCKETS];
	srv->portids[c->portid % DS_PORTID_BUCKETS] = c;
	srv->n_clients++;
	if (out)
		*out = c;
	return 0;
}

uint32_t dpserv_client_portid(const struct dpserv_client *c)
{
	return c->portid;
}

static void client_close(struct dpserv *srv, struct dpserv_client *c)
{
	struct dpserv_client **pp;
	struct ds_outmsg *m;

	if (c->dead)
		return;
	for (pp = &srv->portids[c->portid % DS_PORTID_BUCKETS]; *pp;
	     pp = &(*pp)->hnext) {
		if (*pp == c) {
			*pp = c->hnext;
			break;
		}
	}
	if (c->fd >= 0) {
		epoll_ctl(srv->epfd, EPOLL_CTL_DEL, c->fd, NULL);
		close(c->fd);
		c->fd = -1;
	}
	while ((m = c->q_head)) {
		c->q_head = m->next;
		free(m);
	}
	c->q_tail = NULL;
	c->q_bytes = 0;
	ds_dump_free(c->dump);
	c->dump = NULL;
	c->dead = true;
	srv->n_clients--;
	dp_log(srv->log, DP_LOG_DBG, "client %u: closed", c->portid);
}

/* Out of descriptors, the listening socket stays readable: stop watching it
 * for a while rather than spin on accept() failing. */
static void accept_pause(struct dpserv *srv)
{
	struct epoll_event ev = { .events = 0, .data.ptr = &srv->lfd_tag };

	epoll_ctl(srv->epfd, EPOLL_CTL_MOD, srv->lfd, &ev);
	srv->accept_resume_ms = (int64_t)dp_now_ms() + 250;
}

static void accept_resume(struct dpserv *srv)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &srv->lfd_tag };

	if (srv->accept_resume_ms &&
	    (int64_t)dp_now_ms() >= srv->accept_resume_ms) {
		epoll_ctl(srv->epfd, EPOLL_CTL_MOD, srv->lfd, &ev);
		srv->accept_resume_ms = 0;
	}
}

static void accept_clients(struct dpserv *srv)
{
	struct dpserv_cred cred;
	struct ucred uc;
	socklen_t len;
	struct dp_err err;
	int i, fd;

	for (i = 0; i < 16; i++) {
		fd = accept4(srv->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR)
				dp_log_rl(srv->log, &srv->rl, DP_LOG_WARN,
					  "accept: %s", strerror(errno));
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM)
				accept_pause(srv);
			return;
		}
		len = sizeof uc;
		memset(&uc, 0, sizeof uc);
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) < 0) {
			uc.pid = 0;
			uc.uid = (uid_t)-1;
		}
		cred.pid = uc.pid;
		cred.uid = uc.uid;
		cred.gid = uc.gid;
		if (dpserv_add_client(srv, fd, dpserv_cred_privileged(&cred),
				      NULL, &err) < 0) {
			dp_log_rl(srv->log, &srv->rl, DP_LOG_WARN,
				  "refusing a client: %s", err.msg);
			continue;
		}
		dp_log(srv->log, DP_LOG_DBG, "client %u: pid %d uid %u%s",
		       srv->clients->portid, (int)cred.pid, (unsigned)cred.uid,
		       srv->clients->privileged ? " (privileged)" : "");
	}
}

static int queue_copy(struct dpserv_client *c, const void *data, size_t len)
{
	struct ds_outmsg *m = malloc(sizeof *m + len);

	if (!m)
		return -ENOMEM;
	m->next = NULL;
	m->len = len;
	memcpy(m->data, data, len);
	if (c->q_tail)
		c->q_tail->next = m;
	else
		c->q_head = m;
	c->q_tail = m;
	c->q_bytes += len;
	return 0;
}

/* Send what is queued; false if the client is gone. */
static bool client_flush(struct dpserv *srv, struct dpserv_client *c)
{
	struct ds_outmsg *m;

	while ((m = c->q_head)) {
		ssize_t n = send(c->fd, m->data, m->len,
				 MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			client_close(srv, c);
			return false;
		}
		c->q_head = m->next;
		if (!c->q_head)
			c->q_tail = NULL;
		c->q_bytes -= m->len;
		free(m);
	}
	update_events(srv, c);
	return true;
}

int ds_send(struct dpserv *srv, struct dpserv_client *c, const void *data,
	    size_t len, enum ds_kind kind)
{
	ssize_t n;

	if (c->dead)
		return -ECONNREFUSED;
	if (kind == DS_UPCALL && c->q_head)
		return -ENOBUFS;
	if (kind == DS_NOTIFY && c->q_bytes >= DS_NOTIFY_QMAX)
		return -ENOBUFS;
	if (!c->q_head && c->fd >= 0) {
		n = send(c->fd, data, len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n >= 0)
			return 0;
		if (errno != EAGAIN && errno != EINTR) {
			int e = errno;

			/* EMSGSIZE: the datagram can never pass; the rest
			 * of the connection can go on. */
			if (e == EMSGSIZE)
				return -e;
			client_close(srv, c);
			return -e;
		}
		if (kind == DS_UPCALL)
			return -ENOBUFS;
	}
	if (c->fd < 0)
		return -ENOTCONN;
	if (queue_copy(c, data, len) < 0)
		return -ENOMEM;
	update_events(srv, c);
	return 0;
}

static void client_read(struct dpserv *srv, struct dpserv_client *c)
{
	int i;

	for (i = 0; i < DS_RX_BURST && !c->dead; i++) {
		ssize_t n;

		if (c->q_bytes >= DS_OUTQ_MAX) {
			update_events(srv, c);
			return;
		}
		n = recv(c->fd, srv->rx, DS_RX_MAX, MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			client_close(srv, c);
			return;
		}
		if (n == 0) {
			/* SOCK_SEQPACKET: 0 is the end; an empty datagram
			 * of a SOCK_DGRAM peer is simply nothing. */
			client_close(srv, c);
			return;
		}
		ds_handle_datagram(srv, c, srv->rx,
				   (size_t)n > DS_RX_MAX ? DS_RX_MAX : (size_t)n,
				   (size_t)n > DS_RX_MAX);
	}
}

void dpserv_input(struct dpserv *srv, struct dpserv_client *c,
		  const void *data, size_t len)
{
	/* The handler reads messages in place: give it an aligned copy. */
	size_t n = len > DS_RX_MAX ? DS_RX_MAX : len;

	if (c->dead)
		return;
	memcpy(srv->rx, data, n);
	ds_handle_datagram(srv, c, srv->rx, n, len > DS_RX_MAX);
}

/* --- the loop ---------------------------------------------------------------------- */

static bool dumps_due(struct dpserv *srv)
{
	struct dpserv_client *c;
	bool any = false;

	for (c = srv->clients; c; c = c->next)
		if (!c->dead && c->dump && !c->q_head && ds_dump_continue(srv, c))
			any = true;
	return any;
}

static bool dumps_waiting(const struct dpserv *srv)
{
	const struct dpserv_client *c;

	for (c = srv->clients; c; c = c->next)
		if (!c->dead && c->dump && !c->q_head)
			return true;
	return false;
}

int dpserv_run(struct dpserv *srv, int timeout_ms)
{
	struct epoll_event ev[64];
	int n, i;
	size_t k;

	if (srv->cfg.busy_poll || dumps_waiting(srv))
		timeout_ms = 0;
	{
		int t = ds_sp_run(srv);         /* the revalidators */

		if (t >= 0 && (timeout_ms < 0 || t < timeout_ms))
			timeout_ms = t;
	}
	if (srv->accept_resume_ms) {
		long long left = srv->accept_resume_ms - (int64_t)dp_now_ms();

		if (left < 0)
			left = 0;
		if (timeout_ms < 0 || left < timeout_ms)
			timeout_ms = (int)left;
	}
	n = epoll_wait(srv->epfd, ev, 64, timeout_ms);
	if (n < 0 && errno != EINTR)
		return -errno;
	for (i = 0; i < n; i++) {
		uint32_t tag = *(uint32_t *)ev[i].data.ptr;

		if (tag == TAG_DP) {
			struct ds_dp *d = ev[i].data.ptr;

			if (d->dp) {
				dp_run(d->dp, 0);
				ds_upcalls_flush(srv, d);
			}
		} else if (tag == TAG_CLIENT) {
			struct dpserv_client *c = ev[i].data.ptr;

			if (!c->dead && (ev[i].events & EPOLLOUT))
				client_flush(srv, c);
			if (!c->dead && (ev[i].events & (EPOLLIN | EPOLLHUP |
							 EPOLLERR)))
				client_read(srv, c);
		} else if (tag == TAG_LISTEN) {
			accept_clients(srv);
		} else if (tag == TAG_RTNL) {
			links_changed(srv);
		} else if (tag == TAG_WATCH) {
			struct ds_watch *w = ev[i].data.ptr;

			if (w->cb)
				w->cb(w->aux);
		}
	}
	if (srv->cfg.busy_poll) {
		for (k = 0; k < srv->n_dps; k++) {
			dp_poll_ports(srv->dps[k]->dp);
			ds_upcalls_flush(srv, srv->dps[k]);
		}
	}
	dumps_due(srv);
	reap(srv);
	accept_resume(srv);
	return 0;
}

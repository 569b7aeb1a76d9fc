#include "netlink.h"

#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "nlattr.h"

#define NL_MAX_FAMILIES 8
/* Large enough for any dump chunk the kernel builds (it sizes them to the
 * reader's buffer, up to 32 KiB) and for an upcall of a 64 KiB packet. */
#define NL_RX_MIN       (128 * 1024)
/* Queued upcalls and notifications survive bursts with a deep queue. */
#define NL_RCVBUF       (4 * 1024 * 1024)

struct nl_sock {
	enum nl_transport transport;
	struct mnl_socket *mnl;         /* NL_KERNEL */
	int fd;
	uint32_t portid;                /* 0 until known (NL_UNIX) */
	uint32_t seq;
	int timeout_ms;
	uint8_t *rx;
	size_t rx_cap;
	struct nl_family fams[NL_MAX_FAMILIES];
	size_t n_fams;
	struct nl_ext_ack last;
};

static struct nl_sock *sock_new(enum nl_transport t, struct dp_err *err)
{
	struct nl_sock *s = calloc(1, sizeof *s);

	if (!s || !(s->rx = malloc(NL_RX_MIN))) {
		free(s);
		dp_err_set(err, ENOMEM, "out of memory");
		return NULL;
	}
	s->rx_cap = NL_RX_MIN;
	s->transport = t;
	s->fd = -1;
	s->timeout_ms = -1;
	/* Distinct starting points keep a stale reply from matching. */
	s->seq = (uint32_t)getpid() << 16;
	return s;
}

static void set_rcvbuf(int fd)
{
	int size = NL_RCVBUF;

	/* FORCE needs CAP_NET_ADMIN; otherwise rmem_max caps the request. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
}

int nl_open_kernel(struct nl_sock **sp, struct dp_err *err)
{
	struct nl_sock *s;
	int one = 1;

	*sp = NULL;
	s = sock_new(NL_KERNEL, err);
	if (!s)
		return -ENOMEM;
	s->mnl = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
	if (!s->mnl) {
		int e = errno;

		nl_sock_close(s);
		return dp_err_set(err, e, "generic netlink socket: %s",
				  strerror(e));
	}
	s->fd = mnl_socket_get_fd(s->mnl);
	if (mnl_socket_bind(s->mnl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;

		nl_sock_close(s);
		return dp_err_set(err, e, "binding netlink socket: %s",
				  strerror(e));
	}
	s->portid = mnl_socket_get_portid(s->mnl);
	/* Old kernels lack these; errors then simply carry no text. */
	mnl_socket_setsockopt(s->mnl, NETLINK_EXT_ACK, &one, sizeof one);
	mnl_socket_setsockopt(s->mnl, NETLINK_CAP_ACK, &one, sizeof one);
	set_rcvbuf(s->fd);
	*sp = s;
	return 0;
}

const char *nl_dpd_path(char *buf, size_t size)
{
	const char *dir = getenv("DPKIT_RUNDIR");

	if (!dir || !*dir)
		dir = "/run/dpkit";
	snprintf(buf, size, "%s/dpd.sock", dir);
	return buf;
}

int nl_open_unix(struct nl_sock **sp, const char *path, struct dp_err *err)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char def[sizeof sun.sun_path + 32];
	struct nl_sock *s;

	*sp = NULL;
	if (!path)
		path = nl_dpd_path(def, sizeof def);
	if (strlen(path) >= sizeof sun.sun_path)
		return dp_err_set(err, ENAMETOOLONG,
				  "socket path too long: %s", path);
	memcpy(sun.sun_path, path, strlen(path) + 1);
	s = sock_new(NL_UNIX, err);
	if (!s)
		return -ENOMEM;
	s->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (s->fd < 0 || connect(s->fd, (struct sockaddr *)&sun, sizeof sun) < 0) {
		int e = errno;

		nl_sock_close(s);
		if (e == ENOENT || e == ECONNREFUSED)
			return dp_err_set(err, e, "cannot reach dpd at %s "
					  "(%s): is dpd running?", path,
					  strerror(e));
		if (e == EACCES || e == EPERM)
			return dp_err_set(err, e, "permission denied connecting "
					  "to dpd at %s (run as root, or as a "
					  "user the socket lets in)", path);
		return dp_err_set(err, e, "connecting to dpd at %s: %s",
				  path, strerror(e));
	}
	set_rcvbuf(s->fd);
	*sp = s;
	return 0;
}

void nl_sock_close(struct nl_sock *s)
{
	if (!s)
		return;
	if (s->mnl)
		mnl_socket_close(s->mnl);
	else if (s->fd >= 0)
		close(s->fd);
	free(s->rx);
	free(s);
}

enum nl_transport nl_transport(const struct nl_sock *s)
{
	return s->transport;
}

int nl_fd(const struct nl_sock *s)
{
	return s->fd;
}

void nl_set_timeout(struct nl_sock *s, int ms)
{
	s->timeout_ms = ms;
}

const struct nl_ext_ack *nl_last_ack(const struct nl_sock *s)
{
	return &s->last;
}

/* --- framing ------------------------------------------------------------ */

void *nl_msg_genl(struct buf *b, uint16_t family, uint16_t flags,
		  uint8_t cmd, uint8_t version, size_t hdrsize)
{
	struct nlmsghdr nlh = { .nlmsg_type = family, .nlmsg_flags = flags };
	struct genlmsghdr g = { .cmd = cmd, .version = version };
	uint8_t *hdr;

	buf_clear(b);
	buf_put(b, &nlh, sizeof nlh);
	buf_put(b, &g, sizeof g);
	hdr = buf_put_zeros(b, NA_ALIGN(hdrsize));
	return buf_ok(b) ? hdr : NULL;
}

int nl_genl_parse(const struct nlmsghdr *nlh, size_t hdrsize,
		  const struct genlmsghdr **genl, const void **hdr,
		  const void **attrs, size_t *attrs_len)
{
	size_t need = NLMSG_HDRLEN + GENL_HDRLEN + NA_ALIGN(hdrsize);
	const uint8_t *p = (const uint8_t *)nlh;

	if (nlh->nlmsg_len < need)
		return -EINVAL;
	if (genl)
		*genl = (const struct genlmsghdr *)(p + NLMSG_HDRLEN);
	if (hdr)
		*hdr = p + NLMSG_HDRLEN + GENL_HDRLEN;
	*attrs = p + need;
	*attrs_len = nlh->nlmsg_len - need;
	/* A stream may legitimately end with up to 3 bytes of padding
	 * missing from nlmsg_len; anything else is malformed. */
	if (!na_stream_ok(*attrs, *attrs_len))
		return -EINVAL;
	return 0;
}

/* Which attributes of 'req' enclose byte 'offs': descend through nests
 * whose payload is itself a well-formed attribute stream. */
static void resolve_path(const void *req, size_t req_len, size_t hdrsize,
			 struct nl_ext_ack *ack)
{
	size_t start = NLMSG_HDRLEN + GENL_HDRLEN + NA_ALIGN(hdrsize);
	const uint8_t *head;
	size_t len, offs, rem;
	const struct nlattr *a;

	ack->depth = 0;
	if (!req || req_len <= start || ack->offs < start || ack->offs >= req_len)
		return;
	head = (const uint8_t *)req + start;
	len = req_len - start;
	offs = ack->offs - start;
	while (ack->depth < (int)(sizeof ack->path / sizeof ack->path[0])) {
		const struct nlattr *hit = NULL;
		size_t base = 0;

		NA_FOR_EACH(a, head, len, rem) {
			size_t at = (size_t)((const uint8_t *)a - head);

			if (offs >= at && offs < at + a->nla_len) {
				hit = a;
				base = at;
				break;
			}
		}
		if (!hit)
			return;
		ack->path[ack->depth++] = na_type(hit);
		if (offs == base || hit->nla_len <= NA_HDRLEN ||
		    offs < base + NA_HDRLEN ||
		    !na_stream_ok(na_data(hit), na_len(hit)))
			return;
		offs -= base + NA_HDRLEN;
		head = na_data(hit);
		len = na_len(hit);
	}
}

int nl_parse_error(const struct nlmsghdr *nlh, const void *req,
		   size_t req_len, size_t hdrsize, struct nl_ext_ack *ack)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	const uint8_t *p = mnl_nlmsg_get_payload(nlh);
	size_t plen = mnl_nlmsg_get_payload_len(nlh), tlv;
	int code;

	memset(ack, 0, sizeof *ack);
	if (nlh->nlmsg_type == NLMSG_DONE) {
		if (plen < sizeof(int))
			return 0;
		memcpy(&code, p, sizeof code);
		tlv = sizeof(int);
	} else {
		const struct nlmsgerr *e = (const struct nlmsgerr *)p;

		if (plen < sizeof *e) {
			ack->error = EPROTO;
			snprintf(ack->msg, sizeof ack->msg,
				 "truncated netlink error message");
			return EPROTO;
		}
		code = e->error;
		tlv = sizeof *e;
		/* Without NETLINK_CAP_ACK the request is echoed in full. */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
		    e->msg.nlmsg_len > sizeof e->msg) {
			size_t extra = NLMSG_ALIGN(e->msg.nlmsg_len) - sizeof e->msg;

			tlv = extra > plen - tlv ? plen : tlv + extra;
		}
	}
	ack->error = code < 0 ? -code : code;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || tlv >= plen)
		return ack->error;
	if (na_parse(tb, NLMSGERR_ATTR_MAX, p + tlv, plen - tlv, NULL) < 0)
		return ack->error;
	if (tb[NLMSGERR_ATTR_MSG] && na_len(tb[NLMSGERR_ATTR_MSG])) {
		size_t n = na_len(tb[NLMSGERR_ATTR_MSG]);

		if (n >= sizeof ack->msg)
			n = sizeof ack->msg - 1;
		memcpy(ack->msg, na_data(tb[NLMSGERR_ATTR_MSG]), n);
		ack->msg[n] = '\0';
		ack->msg[strcspn(ack->msg, "\n")] = '\0';
	}
	if (tb[NLMSGERR_ATTR_OFFS] && na_len(tb[NLMSGERR_ATTR_OFFS]) >= 4) {
		ack->has_offs = true;
		ack->offs = na_get_u32(tb[NLMSGERR_ATTR_OFFS]);
		resolve_path(req, req_len, hdrsize, ack);
	}
	if (tb[NLMSGERR_ATTR_MISS_TYPE] && na_len(tb[NLMSGERR_ATTR_MISS_TYPE]) >= 4) {
		ack->has_miss = true;
		ack->miss_type = na_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
	}
	return ack->error;
}

void nl_ack_format(const struct nl_ext_ack *ack, struct dp_err *err)
{
	struct buf b = BUF_INIT;
	int i;

	buf_puts(&b, ack->msg[0] ? ack->msg : strerror(ack->error));
	if (ack->has_offs) {
		buf_puts(&b, " (attribute ");
		for (i = 0; i < ack->depth; i++)
			buf_printf(&b, "%s%u", i ? "." : "", ack->path[i]);
		buf_printf(&b, "%sat offset %u)", ack->depth ? " " : "",
			   ack->offs);
	}
	if (ack->has_miss)
		buf_printf(&b, " (missing attribute %u)", ack->miss_type);
	dp_err_set(err, ack->error ? ack->error : EPROTO, "%s", buf_cstr(&b));
	buf_free(&b);
}

/* --- I/O ---------------------------------------------------------------- */

static int sock_send(struct nl_sock *s, const void *data, size_t len,
		     struct dp_err *err)
{
	ssize_t n;

	do {
		if (s->mnl)
			n = mnl_socket_sendto(s->mnl, data, len);
		else
			n = send(s->fd, data, len, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		int e = errno;

		if (s->transport == NL_UNIX && (e == EPIPE || e == ECONNRESET))
			return dp_err_set(err, e, "dpd closed the connection");
		return dp_err_set(err, e, "netlink send: %s", strerror(e));
	}
	if ((size_t)n != len)
		return dp_err_set(err, EMSGSIZE, "netlink send: short write");
	return 0;
}

/* Receive one datagram into s->rx; returns its length. */
static int sock_recv(struct nl_sock *s, bool block, struct dp_err *err)
{
	struct sockaddr_nl sa;
	struct iovec iov;
	struct msghdr msg;
	ssize_t n;

	if (block && s->timeout_ms >= 0) {
		struct pollfd p = { .fd = s->fd, .events = POLLIN };
		int r;

		do {
			r = poll(&p, 1, s->timeout_ms);
		} while (r < 0 && errno == EINTR);
		if (r == 0)
			return dp_err_set(err, ETIMEDOUT,
					  "no reply within %d ms", s->timeout_ms);
	}
	for (;;) {
		iov.iov_base = s->rx;
		iov.iov_len = s->rx_cap;
		memset(&msg, 0, sizeof msg);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		if (s->transport == NL_KERNEL) {
			msg.msg_name = &sa;
			msg.msg_namelen = sizeof sa;
		}
		n = recvmsg(s->fd, &msg, MSG_TRUNC | (block ? 0 : MSG_DONTWAIT));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			if (e == EAGAIN || e == EWOULDBLOCK)
				return -EAGAIN;
			if (e == ENOBUFS)
				return dp_err_set(err, ENOBUFS, "netlink receive "
						  "queue overflowed: messages were lost");
			return dp_err_set(err, e, "netlink receive: %s",
					  strerror(e));
		}
		if (n == 0 && s->transport == NL_UNIX)
			return dp_err_set(err, ECONNRESET,
					  "dpd closed the connection");
		if ((size_t)n > s->rx_cap || (msg.msg_flags & MSG_TRUNC)) {
			uint8_t *p = realloc(s->rx, (size_t)n);

			if (p) {
				s->rx = p;
				s->rx_cap = (size_t)n;
			}
			return dp_err_set(err, EMSGSIZE, "netlink message of "
					  "%zd bytes did not fit the receive "
					  "buffer and was lost", n);
		}
		/* Only the kernel (portid 0) may talk to a netlink socket of
		 * ours; anything else is forged and ignored. */
		if (s->transport == NL_KERNEL && sa.nl_pid != 0)
			continue;
		return (int)n;
	}
}

static size_t family_hdrsize(const struct nl_sock *s, uint16_t type)
{
	size_t i;

	for (i = 0; i < s->n_fams; i++)
		if (s->fams[i].id == type)
			return s->fams[i].hdrsize;
	return 0;
}

int nl_transact(struct nl_sock *s, struct buf *req, nl_msg_cb cb, void *aux,
		struct dp_err *err)
{
	struct nlmsghdr *nlh;
	uint32_t seq;
	bool dump, done = false;
	int cb_err = 0, error = 0, n;

	memset(&s->last, 0, sizeof s->last);
	if (!buf_ok(req) || req->len < NLMSG_HDRLEN || req->len > UINT32_MAX)
		return dp_err_set(err, ENOMEM, "cannot build netlink request");
	nlh = (struct nlmsghdr *)(void *)req->data;
	nlh->nlmsg_len = (uint32_t)req->len;
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq = ++s->seq;
	nlh->nlmsg_pid = 0;
	dump = (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;

	error = sock_send(s, req->data, req->len, err);
	if (error)
		return error;

	while (!done) {
		const struct nlmsghdr *m;
		int left;

		n = sock_recv(s, true, err);
		if (n < 0)
			return n;
		left = n;
		for (m = (const struct nlmsghdr *)(void *)s->rx;
		     mnl_nlmsg_ok(m, left); m = mnl_nlmsg_next(m, &left)) {
			if (m->nlmsg_seq != seq)
				continue;               /* stale reply */
			if (s->transport == NL_UNIX && !s->portid && m->nlmsg_pid)
				s->portid = m->nlmsg_pid;
			if (m->nlmsg_type == NLMSG_NOOP)
				continue;
			if (m->nlmsg_type == NLMSG_ERROR ||
			    (m->nlmsg_type == NLMSG_DONE && dump)) {
				int e = nl_parse_error(m, req->data, req->len,
						       family_hdrsize(s, nlh->nlmsg_type),
						       &s->last);

				if (e)
					error = -e;
				done = true;
				break;
			}
			if (m->nlmsg_type == NLMSG_DONE || m->nlmsg_type == NLMSG_OVERRUN)
				continue;
			if (cb && !cb_err)
				cb_err = cb(m, aux);
		}
		/* A datagram cut mid-message means a confused peer. */
		if (!done && left > 0 && left >= (int)sizeof(struct nlmsghdr))
			return dp_err_set(err, EPROTO,
					  "malformed netlink reply (%d stray bytes)",
					  left);
	}
	if (error) {
		nl_ack_format(&s->last, err);
		return error;
	}
	return cb_err;
}

int nl_recv_msgs(struct nl_sock *s, bool block, nl_msg_cb cb, void *aux,
	    struct dp_err *err)
{
	const struct nlmsghdr *m;
	int n, left, count = 0;

	n = sock_recv(s, block, err);
	if (n < 0)
		return n;
	left = n;
	for (m = (const struct nlmsghdr *)(void *)s->rx; mnl_nlmsg_ok(m, left);
	     m = mnl_nlmsg_next(m, &left)) {
		if (m->nlmsg_type < NLMSG_MIN_TYPE)
			continue;
		count++;
		if (cb && cb(m, aux) < 0)
			break;
	}
	return count;
}

int nl_portid(struct nl_sock *s, uint32_t *portid, struct dp_err *err)
{
	struct buf req = BUF_INIT;
	struct nlmsghdr nlh = { .nlmsg_type = NLMSG_NOOP };
	int error = 0;

	if (!s->portid && s->transport == NL_UNIX) {
		buf_put(&req, &nlh, sizeof nlh);
		error = nl_transact(s, &req, NULL, NULL, err);
		buf_free(&req);
		if (!error && !s->portid)
			error = dp_err_set(err, EPROTO,
					   "dpd did not tell this connection's portid");
	}
	*portid = s->portid;
	return error;
}

/* --- families ----------------------------------------------------------- */

static int family_cb(const struct nlmsghdr *nlh, void *aux)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1], *g, *a;
	struct nl_family *f = aux;
	const void *attrs;
	size_t len, rem;

	if (nl_genl_parse(nlh, 0, NULL, NULL, &attrs, &len) < 0 ||
	    na_parse(tb, CTRL_ATTR_MAX, attrs, len, NULL) < 0 ||
	    !tb[CTRL_ATTR_FAMILY_ID] || na_len(tb[CTRL_ATTR_FAMILY_ID]) < 2)
		return -EPROTO;
	f->id = na_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_VERSION] && na_len(tb[CTRL_ATTR_VERSION]) >= 4)
		f->version = (uint8_t)na_get_u32(tb[CTRL_ATTR_VERSION]);
	if (tb[CTRL_ATTR_HDRSIZE] && na_len(tb[CTRL_ATTR_HDRSIZE]) >= 4)
		f->hdrsize = na_get_u32(tb[CTRL_ATTR_HDRSIZE]);
	if (tb[CTRL_ATTR_MAXATTR] && na_len(tb[CTRL_ATTR_MAXATTR]) >= 4)
		f->maxattr = na_get_u32(tb[CTRL_ATTR_MAXATTR]);
	if (f->hdrsize > 256)
		return -EPROTO;
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return 0;
	NA_FOR_EACH_NESTED(g, tb[CTRL_ATTR_MCAST_GROUPS], rem) {
		const struct nlattr *gt[CTRL_ATTR_MCAST_GRP_MAX + 1];

		if (f->n_groups >= NL_MAX_GROUPS)
			break;
		if (na_parse(gt, CTRL_ATTR_MCAST_GRP_MAX, na_data(g), na_len(g),
			     NULL) < 0)
			continue;
		a = gt[CTRL_ATTR_MCAST_GRP_NAME];
		if (!a || !gt[CTRL_ATTR_MCAST_GRP_ID] ||
		    na_len(gt[CTRL_ATTR_MCAST_GRP_ID]) < 4)
			continue;
		snprintf(f->groups[f->n_groups].name, GENL_NAMSIZ, "%.*s",
			 (int)strnlen(na_data(a), na_len(a)),
			 (const char *)na_data(a));
		f->groups[f->n_groups].id = na_get_u32(gt[CTRL_ATTR_MCAST_GRP_ID]);
		f->n_groups++;
	}
	return 0;
}

int nl_family_get(struct nl_sock *s, const char *name,
		  const struct nl_family **fam, struct dp_err *err)
{
	struct nl_family f;
	struct buf req = BUF_INIT;
	size_t i;
	int error;

	*fam = NULL;
	for (i = 0; i < s->n_fams; i++) {
		if (!strcmp(s->fams[i].name, name)) {
			*fam = &s->fams[i];
			return 0;
		}
	}
	if (strlen(name) >= GENL_NAMSIZ)
		return dp_err_set(err, EINVAL, "family name too long: %s", name);
	memset(&f, 0, sizeof f);
	snprintf(f.name, sizeof f.name, "%s", name);
	nl_msg_genl(&req, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 1, 0);
	na_put_str(&req, CTRL_ATTR_FAMILY_NAME, name);
	error = nl_transact(s, &req, family_cb, &f, err);
	buf_free(&req);
	if (error == -ENOENT)
		return dp_err_set(err, ENOENT,
				  "generic netlink family '%s' not found", name);
	if (error == -EPROTO)
		return dp_err_set(err, EPROTO,
				  "malformed reply looking up family '%s'", name);
	if (error)
		return error;
	if (!f.id)
		return dp_err_set(err, EPROTO, "no id for family '%s'", name);
	if (s->n_fams == NL_MAX_FAMILIES)
		s->n_fams--;            /* drop the newest; rare */
	s->fams[s->n_fams] = f;
	*fam = &s->fams[s->n_fams++];
	return 0;
}

uint32_t nl_family_group(const struct nl_family *fam, const char *group)
{
	size_t i;

	for (i = 0; i < fam->n_groups; i++)
		if (!strcmp(fam->groups[i].name, group))
			return fam->groups[i].id;
	return 0;
}

/* setsockopt(SOL_NETLINK), the NL_UNIX peer's way. */
static int unix_sockopt(struct nl_sock *s, uint32_t opt, uint32_t val,
			struct dp_err *err)
{
	const struct nl_family *f;
	struct buf req = BUF_INIT;
	int error = nl_family_get(s, NL_SOCKOPT_FAMILY, &f, err);

	if (error == -ENOENT)
		return dp_err_set(err, EOPNOTSUPP, "the peer has no socket "
				  "options (no family %s)", NL_SOCKOPT_FAMILY);
	if (error)
		return error;
	nl_msg_genl(&req, f->id, 0, NL_SOCKOPT_CMD_SET, f->version, 0);
	na_put_u32(&req, NL_SOCKOPT_ATTR_OPT, opt);
	na_put_u32(&req, NL_SOCKOPT_ATTR_VALUE, val);
	error = nl_transact(s, &req, NULL, NULL, err);
	buf_free(&req);
	return error;
}

int nl_join_group(struct nl_sock *s, uint32_t group, struct dp_err *err)
{
	if (s->transport != NL_KERNEL)
		return unix_sockopt(s, NETLINK_ADD_MEMBERSHIP, group, err);
	if (mnl_socket_setsockopt(s->mnl, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof group) < 0) {
		int e = errno;

		return dp_err_set(err, e, "joining multicast group %u: %s",
				  group, strerror(e));
	}
	return 0;
}

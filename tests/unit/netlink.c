/* Unit tests for netlink.c: framing, extended ACK parsing, and the unix
 * transport against a fake peer that answers as dpd will. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "buf.h"
#include "err.h"
#include "netlink.h"
#include "nlattr.h"
#include "tap.h"

/* Build an NLMSG_ERROR for 'req' into 'b': error code, echo (capped or
 * not), and extended ACK TLVs. */
static void put_error(struct buf *b, const struct nlmsghdr *req, int error,
		      bool capped, const char *msg, int offs, int miss)
{
	struct nlmsghdr h = { .nlmsg_type = NLMSG_ERROR,
			      .nlmsg_seq = req->nlmsg_seq, .nlmsg_pid = 4242 };
	size_t start = b->len;
	struct nlmsgerr e;

	h.nlmsg_flags = (capped ? NLM_F_CAPPED : 0) |
			(msg || offs >= 0 || miss >= 0 ? NLM_F_ACK_TLVS : 0);
	buf_put(b, &h, sizeof h);
	e.error = error;
	e.msg = *req;
	buf_put(b, &e, sizeof e);
	if (!capped)
		buf_put(b, (const uint8_t *)req + sizeof *req,
			NLMSG_ALIGN(req->nlmsg_len) - sizeof *req);
	if (msg)
		na_put_str(b, NLMSGERR_ATTR_MSG, msg);
	if (offs >= 0)
		na_put_u32(b, NLMSGERR_ATTR_OFFS, (uint32_t)offs);
	if (miss >= 0)
		na_put_u32(b, NLMSGERR_ATTR_MISS_TYPE, (uint32_t)miss);
	((struct nlmsghdr *)(void *)(b->data + start))->nlmsg_len =
		(uint32_t)(b->len - start);
}

static void test_framing(void)
{
	struct buf b = BUF_INIT;
	const struct genlmsghdr *g;
	const void *hdr, *attrs;
	size_t len;
	uint32_t *h;

	h = nl_msg_genl(&b, 0x21, NLM_F_DUMP, 3, 2, 4);
	ok(h && *h == 0, "nl_msg_genl returns a zeroed family header");
	na_put_u32(&b, 1, 7);
	((struct nlmsghdr *)(void *)b.data)->nlmsg_len = (uint32_t)b.len;
	ok(b.len == NLMSG_HDRLEN + GENL_HDRLEN + 4 + 8,
	   "message is header + genl + family header + attribute (%zu)", b.len);
	ok(nl_genl_parse((void *)b.data, 4, &g, &hdr, &attrs, &len) == 0 &&
	   g->cmd == 3 && g->version == 2 && len == 8 &&
	   ((struct nlmsghdr *)(void *)b.data)->nlmsg_type == 0x21,
	   "nl_genl_parse reads back cmd, version and attributes");
	/* An attribute whose length runs past the message. */
	((struct nlattr *)(void *)(b.data + b.len - 8))->nla_len = 12;
	ok(nl_genl_parse((void *)b.data, 4, &g, &hdr, &attrs, &len) == -EINVAL,
	   "an attribute overrunning the message is refused");
	/* A message shorter than its headers. */
	((struct nlmsghdr *)(void *)b.data)->nlmsg_len = NLMSG_HDRLEN + 2;
	ok(nl_genl_parse((void *)b.data, 4, &g, &hdr, &attrs, &len) == -EINVAL,
	   "a message shorter than its headers is refused");
	buf_free(&b);
}

static void test_extack(void)
{
	struct buf req = BUF_INIT, rep = BUF_INIT;
	struct nl_ext_ack ack;
	struct dp_err err;
	struct nlmsghdr *rh;
	size_t nest, inner_ofs;
	int e;

	nl_msg_genl(&req, 0x22, 0, 1, 1, 4);
	na_put_u32(&req, 1, 5);                 /* at 24 */
	nest = na_nest_start(&req, 2);          /* at 32 */
	na_put_u16(&req, 7, 1);                 /* at 36 */
	inner_ofs = req.len;
	na_put_u32(&req, 9, 3);                 /* at 44 */
	na_nest_end(&req, nest);
	rh = (struct nlmsghdr *)(void *)req.data;
	rh->nlmsg_len = (uint32_t)req.len;
	rh->nlmsg_seq = 77;

	put_error(&rep, rh, -EINVAL, true, "Attribute failed policy validation",
		  (int)inner_ofs, -1);
	e = nl_parse_error((void *)rep.data, req.data, req.len, 4, &ack);
	ok(e == EINVAL && !strcmp(ack.msg, "Attribute failed policy validation"),
	   "capped error: code and message text");
	ok(ack.has_offs && ack.offs == inner_ofs && ack.depth == 2 &&
	   ack.path[0] == 2 && ack.path[1] == 9,
	   "offset resolved to nested attribute 2.9 (depth %d)", ack.depth);
	dp_err_clear(&err);
	nl_ack_format(&ack, &err);
	ok(err.code == EINVAL && !strcmp(err.msg, "Attribute failed policy "
					 "validation (attribute 2.9 at offset 44)"),
	   "formatted: %s", err.msg);

	buf_clear(&rep);
	put_error(&rep, rh, -ERANGE, false, "value out of range", 24, -1);
	e = nl_parse_error((void *)rep.data, req.data, req.len, 4, &ack);
	ok(e == ERANGE && !strcmp(ack.msg, "value out of range") &&
	   ack.depth == 1 && ack.path[0] == 1,
	   "uncapped error: TLVs found after the echoed request");

	buf_clear(&rep);
	put_error(&rep, rh, -EINVAL, true, NULL, -1, 3);
	e = nl_parse_error((void *)rep.data, req.data, req.len, 4, &ack);
	dp_err_clear(&err);
	nl_ack_format(&ack, &err);
	ok(e == EINVAL && ack.has_miss && ack.miss_type == 3 &&
	   strstr(err.msg, "missing attribute 3") &&
	   strstr(err.msg, strerror(EINVAL)),
	   "missing attribute without text: %s", err.msg);

	buf_clear(&rep);
	put_error(&rep, rh, 0, true, NULL, -1, -1);
	ok(nl_parse_error((void *)rep.data, req.data, req.len, 4, &ack) == 0,
	   "an ack parses as success");

	/* Offset outside the request: no path, no crash. */
	buf_clear(&rep);
	put_error(&rep, rh, -EINVAL, true, "x", 4000, -1);
	e = nl_parse_error((void *)rep.data, req.data, req.len, 4, &ack);
	ok(e == EINVAL && ack.has_offs && ack.depth == 0,
	   "an offset beyond the request resolves to no attribute");

	/* Truncated error: shorter than struct nlmsgerr. */
	buf_clear(&rep);
	put_error(&rep, rh, -EINVAL, true, NULL, -1, -1);
	((struct nlmsghdr *)(void *)rep.data)->nlmsg_len = NLMSG_HDRLEN + 8;
	ok(nl_parse_error((void *)rep.data, req.data, req.len, 4, &ack) == EPROTO,
	   "a truncated error message is a protocol error");

	/* NLMSG_DONE carrying a dump's error and TLVs. */
	buf_clear(&rep);
	{
		struct nlmsghdr h = { .nlmsg_type = NLMSG_DONE,
				      .nlmsg_flags = NLM_F_MULTI | NLM_F_ACK_TLVS };
		int code = -ENODEV;

		buf_put(&rep, &h, sizeof h);
		buf_put(&rep, &code, sizeof code);
		na_put_str(&rep, NLMSGERR_ATTR_MSG, "dp gone");
		((struct nlmsghdr *)(void *)rep.data)->nlmsg_len = (uint32_t)rep.len;
	}
	e = nl_parse_error((void *)rep.data, NULL, 0, 0, &ack);
	ok(e == ENODEV && !strcmp(ack.msg, "dp gone"),
	   "NLMSG_DONE with an error code and text");
	buf_free(&req);
	buf_free(&rep);
}

/* --- a fake peer on a unix socket ------------------------------------------ */

struct peer {
	int listen_fd;
	char path[108];
};

static void send_buf(int fd, struct buf *b)
{
	if (send(fd, b->data, b->len, 0) < 0)
		perror("fake peer send");
	buf_clear(b);
}

static void put_genl(struct buf *b, const struct nlmsghdr *req, uint16_t type,
		     uint16_t flags, uint8_t cmd)
{
	struct nlmsghdr h = { .nlmsg_type = type, .nlmsg_flags = flags,
			      .nlmsg_seq = req->nlmsg_seq, .nlmsg_pid = 4242 };
	struct genlmsghdr g = { .cmd = cmd, .version = 1 };

	buf_put(b, &h, sizeof h);
	buf_put(b, &g, sizeof g);
}

static void end_msg(struct buf *b, size_t start)
{
	((struct nlmsghdr *)(void *)(b->data + start))->nlmsg_len =
		(uint32_t)(b->len - start);
}

static void *peer_main(void *arg)
{
	struct peer *p = arg;
	uint8_t in[65536];
	struct buf out = BUF_INIT;
	int fd = accept(p->listen_fd, NULL, NULL);
	ssize_t n;

	while (fd >= 0 && (n = recv(fd, in, sizeof in, 0)) > 0) {
		const struct nlmsghdr *req = (const void *)in;
		size_t s;
		int i;

		if (req->nlmsg_type == NLMSG_NOOP) {
			put_error(&out, req, 0, true, NULL, -1, -1);
		} else if (req->nlmsg_type == GENL_ID_CTRL) {
			size_t groups, grp;

			/* A stale reply first: the client must skip it. */
			struct nlmsghdr stale = *req;

			stale.nlmsg_seq--;
			put_genl(&out, &stale, GENL_ID_CTRL, 0, CTRL_CMD_NEWFAMILY);
			end_msg(&out, 0);
			send_buf(fd, &out);
			put_genl(&out, req, GENL_ID_CTRL, 0, CTRL_CMD_NEWFAMILY);
			na_put_u16(&out, CTRL_ATTR_FAMILY_ID, 0x2a);
			na_put_str(&out, CTRL_ATTR_FAMILY_NAME, "ovs_flow");
			na_put_u32(&out, CTRL_ATTR_VERSION, 1);
			na_put_u32(&out, CTRL_ATTR_HDRSIZE, 4);
			na_put_u32(&out, CTRL_ATTR_MAXATTR, 12);
			groups = na_nest_start(&out, CTRL_ATTR_MCAST_GROUPS);
			grp = na_nest_start(&out, 1);
			na_put_u32(&out, CTRL_ATTR_MCAST_GRP_ID, 9);
			na_put_str(&out, CTRL_ATTR_MCAST_GRP_NAME, "ovs_flow");
			na_nest_end(&out, grp);
			na_nest_end(&out, groups);
			end_msg(&out, 0);
			s = out.len;
			put_error(&out, req, 0, true, NULL, -1, -1);
			(void)s;
		} else if (req->nlmsg_flags & NLM_F_DUMP) {
			/* Five messages: two datagrams of two, one of one,
			 * then DONE. */
			for (i = 0; i < 5; i++) {
				s = out.len;
				put_genl(&out, req, req->nlmsg_type, NLM_F_MULTI, 1);
				buf_put_zeros(&out, 4);
				na_put_u32(&out, 1, (uint32_t)i);
				end_msg(&out, s);
				if (i % 2 == 1 || i == 4)
					send_buf(fd, &out);
			}
			s = out.len;
			{
				struct nlmsghdr h = { .nlmsg_type = NLMSG_DONE,
						      .nlmsg_flags = NLM_F_MULTI,
						      .nlmsg_seq = req->nlmsg_seq };
				int zero = 0;

				buf_put(&out, &h, sizeof h);
				buf_put(&out, &zero, sizeof zero);
				end_msg(&out, s);
			}
		} else {
			/* Any other request: refused with an extended ACK
			 * naming its first attribute. */
			put_error(&out, req, -EOPNOTSUPP, true, "not in this test",
				  NLMSG_HDRLEN + GENL_HDRLEN + 4, -1);
		}
		send_buf(fd, &out);
	}
	if (fd >= 0)
		close(fd);
	buf_free(&out);
	return NULL;
}

static int count_cb(const struct nlmsghdr *nlh, void *aux)
{
	int *n = aux;

	(void)nlh;
	(*n)++;
	return 0;
}

static int stop_cb(const struct nlmsghdr *nlh, void *aux)
{
	int *n = aux;

	(void)nlh;
	return ++*n == 2 ? -ECANCELED : 0;
}

static void test_unix(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	const struct nl_family *fam;
	struct nl_sock *s = NULL;
	struct buf req = BUF_INIT;
	struct peer p;
	struct dp_err err;
	pthread_t t;
	uint32_t portid = 0;
	int n, e;

	snprintf(p.path, sizeof p.path, "/tmp/dpkit-nltest-%d.sock", (int)getpid());
	unlink(p.path);
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", p.path);
	p.listen_fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (p.listen_fd < 0 || bind(p.listen_fd, (void *)&sun, sizeof sun) < 0 ||
	    listen(p.listen_fd, 1) < 0) {
		skip("cannot create a unix socket for the fake peer");
		return;
	}
	pthread_create(&t, NULL, peer_main, &p);

	dp_err_clear(&err);
	ok(nl_open_unix(&s, p.path, &err) == 0 && nl_transport(s) == NL_UNIX,
	   "nl_open_unix connects");
	e = nl_portid(s, &portid, &err);
	ok(e == 0 && portid == 4242,
	   "portid learnt from the peer's ack to NOOP (%u)", portid);
	ok(nl_family_get(s, "ovs_flow", &fam, &err) == 0 && fam->id == 0x2a &&
	   fam->hdrsize == 4 && fam->version == 1 &&
	   nl_family_group(fam, "ovs_flow") == 9,
	   "family lookup over the unix socket (stale reply skipped)");

	nl_msg_genl(&req, 0x2a, NLM_F_DUMP, 3, 1, 4);
	n = 0;
	e = nl_transact(s, &req, count_cb, &n, &err);
	ok(e == 0 && n == 5, "dump over several datagrams: %d messages", n);
	nl_msg_genl(&req, 0x2a, NLM_F_DUMP, 3, 1, 4);
	n = 0;
	ok(nl_transact(s, &req, stop_cb, &n, &err) == -ECANCELED && n == 2,
	   "a callback error stops delivery and is returned");
	nl_msg_genl(&req, 0x2a, NLM_F_DUMP, 3, 1, 4);
	n = 0;
	ok(nl_transact(s, &req, count_cb, &n, &err) == 0 && n == 5,
	   "the handle is usable after an aborted dump");

	nl_msg_genl(&req, 0x2a, 0, 1, 1, 4);
	na_put_u32(&req, 4, 1);
	dp_err_clear(&err);
	ok(nl_transact(s, &req, NULL, NULL, &err) == -EOPNOTSUPP &&
	   !strcmp(err.msg, "not in this test (attribute 4 at offset 24)") &&
	   nl_last_ack(s)->path[0] == 4,
	   "peer error with extended ACK: %s", err.msg);
	ok(nl_join_group(s, 9, &err) == -EOPNOTSUPP,
	   "multicast groups are refused over the unix socket");

	nl_sock_close(s);
	pthread_join(t, NULL);
	close(p.listen_fd);
	unlink(p.path);

	dp_err_clear(&err);
	ok(nl_open_unix(&s, p.path, &err) == -ENOENT && strstr(err.msg, "dpd"),
	   "no peer: %s", err.msg);
	buf_free(&req);
}

static void test_kernel(void)
{
	const struct nl_family *fam;
	struct nl_sock *s;
	struct dp_err err;
	uint32_t portid = 0;

	dp_err_clear(&err);
	if (nl_open_kernel(&s, &err) < 0) {
		skip("no generic netlink socket here");
		return;
	}
	ok(nl_portid(s, &portid, &err) == 0 && portid != 0,
	   "kernel socket has a portid");
	ok(nl_family_get(s, "nlctrl", &fam, &err) == 0 && fam->id == GENL_ID_CTRL,
	   "kernel: nlctrl resolves to its fixed id");
	ok(nl_family_get(s, "no_such_fam", &fam, &err) == -ENOENT &&
	   strstr(err.msg, "no_such_fam"),
	   "kernel: unknown family: %s", err.msg);
	nl_sock_close(s);
}

int main(void)
{
	test_framing();
	test_extack();
	test_unix();
	test_kernel();
	return done();
}

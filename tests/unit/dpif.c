/* Unit tests for dpif: names, message parsing, and netdev@ datapaths over
 * the unix transport against a fake dpd that answers as the uapi says. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "buf.h"
#include "dpif.h"
#include "err.h"
#include "nlattr.h"
#include "tap.h"

enum { FAM_DP = 0x30, FAM_VPORT, FAM_FLOW, FAM_PACKET };

static void test_names(void)
{
	static const struct {
		const char *in;
		int ok;
		enum dpif_type type;
		const char *name;
	} cases[] = {
		{ "dp0", 1, DPIF_SYSTEM, "dp0" },
		{ "system@dp0", 1, DPIF_SYSTEM, "dp0" },
		{ "netdev@br-int", 1, DPIF_NETDEV, "br-int" },
		{ "dummy@x", 0, 0, NULL },
		{ "netdev@", 0, 0, NULL },
		{ "", 0, 0, NULL },
		{ "abcdefghijklmnop", 0, 0, NULL },        /* 16 chars */
		{ "abcdefghijklmno", 1, DPIF_SYSTEM, "abcdefghijklmno" },
		{ "a/b", 0, 0, NULL },
		{ "a b", 0, 0, NULL },
		{ "..", 0, 0, NULL },
	};
	size_t i, good = 0;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		enum dpif_type t;
		const char *n;
		struct dp_err err;
		int r = dpif_parse_name(cases[i].in, &t, &n, &err);

		if ((r == 0) == cases[i].ok &&
		    (!cases[i].ok || (t == cases[i].type && !strcmp(n, cases[i].name))))
			good++;
		else
			note("dpif_parse_name('%s') = %d", cases[i].in, r);
	}
	ok(good == i, "datapath names: %zu of %zu cases", good, i);
}

/* --- fake dpd ---------------------------------------------------------------- */

struct fake {
	int lfd;
	char path[108];
	int flows;                      /* flows "installed" */
	bool saw_features;              /* DP NEW carried per-cpu dispatch */
};

static size_t start_msg(struct buf *b, const struct nlmsghdr *req, uint16_t type,
			uint16_t flags, uint8_t cmd, int dp_ifindex)
{
	struct nlmsghdr h = { .nlmsg_type = type, .nlmsg_flags = flags,
			      .nlmsg_seq = req->nlmsg_seq, .nlmsg_pid = 77 };
	struct genlmsghdr g = { .cmd = cmd, .version = 1 };
	size_t s = b->len;

	buf_put(b, &h, sizeof h);
	buf_put(b, &g, sizeof g);
	if (type != GENL_ID_CTRL)
		buf_put(b, &dp_ifindex, 4);
	return s;
}

static void end_msg(struct buf *b, size_t s)
{
	((struct nlmsghdr *)(void *)(b->data + s))->nlmsg_len = (uint32_t)(b->len - s);
}

static void ack(struct buf *b, const struct nlmsghdr *req, int error,
		const char *text)
{
	struct nlmsghdr h = { .nlmsg_type = NLMSG_ERROR, .nlmsg_flags = NLM_F_CAPPED,
			      .nlmsg_seq = req->nlmsg_seq, .nlmsg_pid = 77 };
	struct nlmsgerr e = { .error = error, .msg = *req };
	size_t s = b->len;

	if (text)
		h.nlmsg_flags |= NLM_F_ACK_TLVS;
	buf_put(b, &h, sizeof h);
	buf_put(b, &e, sizeof e);
	if (text)
		na_put_str(b, NLMSGERR_ATTR_MSG, text);
	end_msg(b, s);
}

static void done_msg(struct buf *b, const struct nlmsghdr *req)
{
	struct nlmsghdr h = { .nlmsg_type = NLMSG_DONE, .nlmsg_flags = NLM_F_MULTI,
			      .nlmsg_seq = req->nlmsg_seq };
	int zero = 0;
	size_t s = b->len;

	buf_put(b, &h, sizeof h);
	buf_put(b, &zero, 4);
	end_msg(b, s);
}

static void family(struct buf *b, const struct nlmsghdr *req, const char *name)
{
	static const char *const names[] = { "ovs_datapath", "ovs_vport",
					     "ovs_flow", "ovs_packet" };
	size_t s, i;

	for (i = 0; i < 4; i++)
		if (!strcmp(name, names[i]))
			break;
	if (i == 4) {
		ack(b, req, -ENOENT, NULL);
		return;
	}
	s = start_msg(b, req, GENL_ID_CTRL, 0, CTRL_CMD_NEWFAMILY, 0);
	na_put_u16(b, CTRL_ATTR_FAMILY_ID, (uint16_t)(FAM_DP + i));
	na_put_u32(b, CTRL_ATTR_VERSION, 1);
	na_put_u32(b, CTRL_ATTR_HDRSIZE, 4);
	end_msg(b, s);
	ack(b, req, 0, NULL);
}

static void dp_reply(struct buf *b, const struct nlmsghdr *req, uint16_t flags,
		     const char *name)
{
	struct ovs_dp_stats st = { 10, 2, 1, 3 };
	struct ovs_dp_megaflow_stats mf = { .n_mask_hit = 20, .n_masks = 2 };
	size_t s = start_msg(b, req, FAM_DP, flags, OVS_DP_CMD_NEW, 9);

	na_put_str(b, OVS_DP_ATTR_NAME, name);
	na_put(b, OVS_DP_ATTR_STATS, &st, sizeof st);
	na_put(b, OVS_DP_ATTR_MEGAFLOW_STATS, &mf, sizeof mf);
	na_put_u32(b, OVS_DP_ATTR_USER_FEATURES, OVS_DP_F_UNALIGNED);
	end_msg(b, s);
}

static void port_reply(struct buf *b, const struct nlmsghdr *req, uint16_t flags,
		       uint32_t no, uint32_t type, const char *name)
{
	struct ovs_vport_stats vs = { .rx_packets = 5, .tx_bytes = 2048 };
	uint32_t pid = 0;
	size_t s = start_msg(b, req, FAM_VPORT, flags, OVS_VPORT_CMD_NEW, 9), o;

	na_put_u32(b, OVS_VPORT_ATTR_PORT_NO, no);
	na_put_u32(b, OVS_VPORT_ATTR_TYPE, type);
	na_put_str(b, OVS_VPORT_ATTR_NAME, name);
	na_put(b, OVS_VPORT_ATTR_UPCALL_PID, &pid, 4);
	na_put(b, OVS_VPORT_ATTR_STATS, &vs, sizeof vs);
	if (type == OVS_VPORT_TYPE_VXLAN) {
		o = na_nest_start(b, OVS_VPORT_ATTR_OPTIONS);
		na_put_u16(b, OVS_TUNNEL_ATTR_DST_PORT, 4790);
		na_nest_end(b, o);
	}
	end_msg(b, s);
}

static void flow_reply(struct buf *b, const struct nlmsghdr *req, uint16_t flags,
		       int i)
{
	struct ovs_flow_stats fs = { (uint64_t)i * 10, (uint64_t)i * 1000 };
	uint8_t ufid[16] = { 0x12, 0x34 };
	size_t s = start_msg(b, req, FAM_FLOW, flags, OVS_FLOW_CMD_NEW, 9), n;

	n = na_nest_start(b, OVS_FLOW_ATTR_KEY);
	na_put_u32(b, OVS_KEY_ATTR_IN_PORT, (uint32_t)i);
	na_nest_end(b, n);
	n = na_nest_start(b, OVS_FLOW_ATTR_MASK);
	na_put_u32(b, OVS_KEY_ATTR_IN_PORT, 0xffffffff);
	na_nest_end(b, n);
	n = na_nest_start(b, OVS_FLOW_ATTR_ACTIONS);
	na_put_u32(b, OVS_ACTION_ATTR_OUTPUT, 2);
	na_nest_end(b, n);
	na_put(b, OVS_FLOW_ATTR_STATS, &fs, sizeof fs);
	if (i) {
		na_put_u64(b, OVS_FLOW_ATTR_USED, 12345);
		na_put_u8(b, OVS_FLOW_ATTR_TCP_FLAGS, 0x12);
	}
	ufid[15] = (uint8_t)i;
	na_put(b, OVS_FLOW_ATTR_UFID, ufid, 16);
	end_msg(b, s);
}

static void serve(struct fake *f, const struct nlmsghdr *req, struct buf *out)
{
	const struct genlmsghdr *g = (const void *)((const uint8_t *)req + NLMSG_HDRLEN);
	const void *attrs = (const uint8_t *)g + GENL_HDRLEN + 4;
	size_t len = req->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN - 4;
	const struct nlattr *name, *a;
	bool dump = (req->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	int i;

	if (req->nlmsg_type == GENL_ID_CTRL) {
		a = na_find((const uint8_t *)g + GENL_HDRLEN,
			    req->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN,
			    CTRL_ATTR_FAMILY_NAME);
		family(out, req, a ? na_data(a) : "");
		return;
	}
	name = na_find(attrs, len, 1);
	switch (req->nlmsg_type) {
	case FAM_DP:
		if (dump) {
			dp_reply(out, req, NLM_F_MULTI, "br0");
			dp_reply(out, req, NLM_F_MULTI, "br1");
			done_msg(out, req);
		} else if (g->cmd == OVS_DP_CMD_NEW) {
			a = na_find(attrs, len, OVS_DP_ATTR_USER_FEATURES);
			f->saw_features = a && (na_get_u32(a) &
						OVS_DP_F_DISPATCH_UPCALL_PER_CPU);
			if (name && !strcmp(na_data(name), "br0")) {
				ack(out, req, -EEXIST, NULL);
				return;
			}
			dp_reply(out, req, 0, na_data(name));
			ack(out, req, 0, NULL);
		} else if (name && !strcmp(na_data(name), "br0")) {
			dp_reply(out, req, 0, "br0");
			ack(out, req, 0, NULL);
		} else {
			ack(out, req, -ENODEV, NULL);
		}
		return;
	case FAM_VPORT:
		if (dump) {
			port_reply(out, req, NLM_F_MULTI, 0, OVS_VPORT_TYPE_INTERNAL, "br0");
			port_reply(out, req, NLM_F_MULTI, 3, OVS_VPORT_TYPE_VXLAN, "vx0");
			done_msg(out, req);
		} else if (g->cmd == OVS_VPORT_CMD_NEW) {
			if (!na_find(attrs, len, OVS_VPORT_ATTR_UPCALL_PID)) {
				ack(out, req, -EINVAL, "upcall pid missing");
				return;
			}
			port_reply(out, req, 0, 4, na_get_u32(na_find(attrs, len,
					OVS_VPORT_ATTR_TYPE)), "p4");
			ack(out, req, 0, NULL);
		} else {
			ack(out, req, -ENODEV, NULL);
		}
		return;
	case FAM_FLOW:
		if (dump) {
			for (i = 0; i < f->flows; i++)
				flow_reply(out, req, NLM_F_MULTI, i);
			done_msg(out, req);
		} else if (g->cmd == OVS_FLOW_CMD_NEW) {
			if ((req->nlmsg_flags & NLM_F_EXCL) && f->flows >= 3) {
				ack(out, req, -EEXIST, NULL);
				return;
			}
			if (!na_find(attrs, len, OVS_FLOW_ATTR_ACTIONS)) {
				ack(out, req, -EINVAL, "actions missing");
				return;
			}
			f->flows++;
			if (req->nlmsg_flags & NLM_F_ECHO)
				flow_reply(out, req, 0, 0);
			ack(out, req, 0, NULL);
		} else if (g->cmd == OVS_FLOW_CMD_DEL) {
			if (!na_find(attrs, len, OVS_FLOW_ATTR_KEY) &&
			    !na_find(attrs, len, OVS_FLOW_ATTR_UFID)) {
				f->flows = 0;
			} else if (!f->flows) {
				ack(out, req, -ENOENT, NULL);
				return;
			} else {
				f->flows--;
				if (req->nlmsg_flags & NLM_F_ECHO)
					flow_reply(out, req, 0, 2);
			}
			ack(out, req, 0, NULL);
		} else {
			ack(out, req, -ENOENT, NULL);
		}
		return;
	default:
		ack(out, req, -EOPNOTSUPP, NULL);
	}
}

static void *fake_main(void *arg)
{
	struct fake *f = arg;
	uint8_t in[65536];
	struct buf out = BUF_INIT;
	ssize_t n;
	int fd = accept(f->lfd, NULL, NULL);

	while (fd >= 0 && (n = recv(fd, in, sizeof in, 0)) > 0) {
		serve(f, (const struct nlmsghdr *)(void *)in, &out);
		if (send(fd, out.data, out.len, 0) < 0)
			break;
		buf_clear(&out);
	}
	if (fd >= 0)
		close(fd);
	buf_free(&out);
	return NULL;
}

struct counts {
	int n;
	uint64_t packets;
	bool ufid_ok;
	uint8_t tcp_flags;
	struct dpif_port last;
};

static int count_dp(const struct dpif_dp_info *info, void *aux)
{
	struct counts *c = aux;

	c->n++;
	c->packets += info->stats.n_hit;
	return 0;
}

static int count_port(const struct dpif_port *p, void *aux)
{
	struct counts *c = aux;

	c->n++;
	c->last = *p;
	return 0;
}

static int count_flow(const struct dpif_flow *f, void *aux)
{
	struct counts *c = aux;

	c->n++;
	c->packets += f->stats.packets;
	c->ufid_ok = f->has_ufid && f->ufid[0] == 0x12;
	c->tcp_flags |= f->stats.tcp_flags;
	if (!f->key || !f->mask || !f->actions)
		c->ufid_ok = false;
	return 0;
}

static void test_fake_dpd(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct fake f = { 0 };
	struct dpif_conn *c;
	struct dpif *dp = NULL, *dp2 = NULL;
	struct dpif_dp_info info;
	struct dpif_port_spec ps = { .name = "p4", .type = OVS_VPORT_TYPE_NETDEV,
				     .port_no = DPIF_PORT_ANY };
	struct dpif_flow_put put;
	struct dpif_flow_stats st;
	struct counts cnt;
	struct dp_err err;
	uint32_t key[2] = { (8 << 16) | OVS_KEY_ATTR_IN_PORT, 1 };
	uint32_t port_no = 0;
	pthread_t t;
	int e;

	/* nlattr header: len 8, type IN_PORT; little-endian layout. */
	key[0] = 8 | (OVS_KEY_ATTR_IN_PORT << 16);
	snprintf(f.path, sizeof f.path, "/tmp/dpkit-dpiftest-%d.sock", (int)getpid());
	unlink(f.path);
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", f.path);
	f.lfd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (f.lfd < 0 || bind(f.lfd, (void *)&sun, sizeof sun) < 0 ||
	    listen(f.lfd, 1) < 0) {
		skip("cannot create a unix socket for the fake dpd");
		return;
	}
	pthread_create(&t, NULL, fake_main, &f);
	c = dpif_conn_new();
	dpif_conn_set_dpd_path(c, f.path);
	dpif_conn_set_timeout(c, 5000);

	dp_err_clear(&err);
	e = dpif_open(c, "netdev@br0", &dp, &err);
	ok(e == 0 && dpif_ifindex(dp) == 9 && !strcmp(dpif_name(dp), "netdev@br0"),
	   "open netdev@br0 over dpd's socket (%s)", dp_err_str(&err));
	if (e) {
		dpif_conn_free(c);
		return;
	}
	ok(dpif_get(dp, &info, &err) == 0 && info.has_stats &&
	   info.stats.n_hit == 10 && info.has_megaflow_stats &&
	   info.megaflow_stats.n_masks == 2 && info.user_features == 1,
	   "datapath stats, megaflow stats, features");
	dp_err_clear(&err);
	e = dpif_open(c, "netdev@nope", &dp2, &err);
	ok(e == -ENODEV && !strcmp(err.msg, "netdev@nope: no such datapath"),
	   "missing datapath: %s", err.msg);
	e = dpif_create(c, "netdev@br0", &dp2, &err);
	ok(e == -EEXIST && strstr(err.msg, "already exists"),
	   "creating an existing datapath: %s", err.msg);
	e = dpif_create(c, "netdev@br9", &dp2, &err);
	ok(e == 0 && f.saw_features, "create asks for per-cpu upcall dispatch");
	if (!e)
		dpif_close(dp2);

	memset(&cnt, 0, sizeof cnt);
	ok(dpif_enumerate(c, DPIF_NETDEV, count_dp, &cnt, &err) == 0 &&
	   cnt.n == 2 && cnt.packets == 20, "enumerate: %d datapaths", cnt.n);
	memset(&cnt, 0, sizeof cnt);
	ok(dpif_port_dump(dp, count_port, &cnt, &err) == 0 && cnt.n == 2 &&
	   cnt.last.port_no == 3 && cnt.last.has_dst_port &&
	   cnt.last.dst_port == 4790 && cnt.last.has_stats &&
	   cnt.last.stats.tx_bytes == 2048 && cnt.last.n_upcall_pids == 1,
	   "port dump: types, options, stats, upcall pids");
	e = dpif_port_add(dp, &ps, &port_no, &err);
	ok(e == 0 && port_no == 4, "port add echoes the new port number");
	dp_err_clear(&err);
	e = dpif_port_get(dp, "nope", 0, &cnt.last, &err);
	ok(e == -ENODEV && !strcmp(err.msg, "nope: no such port in netdev@br0"),
	   "missing port: %s", err.msg);

	memset(&put, 0, sizeof put);
	put.flags = DPIF_FP_CREATE;
	put.key = key;
	put.key_len = sizeof key;
	put.stats = &st;
	ok(dpif_flow_put(dp, &put, &err) == 0 && f.flows == 1,
	   "flow put without actions sends an empty (drop) list");
	dpif_flow_put(dp, &put, &err);
	dpif_flow_put(dp, &put, &err);
	dp_err_clear(&err);
	e = dpif_flow_put(dp, &put, &err);
	ok(e == -EEXIST && !strcmp(err.msg, "flow already exists"),
	   "NLM_F_EXCL put of an existing flow: %s", err.msg);
	memset(&cnt, 0, sizeof cnt);
	ok(dpif_flow_dump(dp, 0, count_flow, &cnt, &err) == 0 && cnt.n == 3 &&
	   cnt.packets == 30 && cnt.ufid_ok && cnt.tcp_flags == 0x12,
	   "flow dump: %d flows with key, mask, actions, ufid, stats", cnt.n);
	ok(dpif_flow_del(dp, key, sizeof key, NULL, &st, &err) == 0 &&
	   st.packets == 20 && st.used == 12345, "flow del returns the stats");
	ok(dpif_flow_del(dp, NULL, 0, NULL, NULL, &err) == -EINVAL,
	   "flow del without key or ufid is refused (it would flush)");
	ok(dpif_flow_flush(dp, &err) == 0 && f.flows == 0, "flush");
	dp_err_clear(&err);
	e = dpif_flow_del(dp, key, sizeof key, NULL, NULL, &err);
	ok(e == -ENOENT && !strcmp(err.msg, "no such flow"),
	   "deleting a missing flow: %s", err.msg);

	dpif_close(dp);
	dpif_conn_free(c);
	pthread_join(t, NULL);
	close(f.lfd);
	unlink(f.path);
}

static void test_malformed(void)
{
	struct buf b = BUF_INIT;
	struct nlmsghdr req = { .nlmsg_seq = 1 };
	struct dpif_flow fl;
	struct dpif_port p;
	struct dpif_upcall up;
	size_t s, n;

	/* A flow whose key nest holds a broken attribute stream. */
	s = start_msg(&b, &req, FAM_FLOW, 0, OVS_FLOW_CMD_NEW, 1);
	n = na_nest_start(&b, OVS_FLOW_ATTR_KEY);
	na_put_u32(&b, OVS_KEY_ATTR_IN_PORT, 1);
	na_nest_end(&b, n);
	end_msg(&b, s);
	ok(dpif_flow_from_msg((void *)b.data, &fl) == 0 && fl.key_len == 8,
	   "well-formed flow message parses");
	((struct nlattr *)(void *)(b.data + s + 28))->nla_len = 40;
	ok(dpif_flow_from_msg((void *)b.data, &fl) == -EINVAL,
	   "a key stream overrunning its nest is refused");
	buf_clear(&b);
	s = start_msg(&b, &req, FAM_VPORT, 0, OVS_VPORT_CMD_NEW, 1);
	na_put_u32(&b, OVS_VPORT_ATTR_PORT_NO, 1);
	na_put_str(&b, OVS_VPORT_ATTR_NAME, "x");
	end_msg(&b, s);
	ok(dpif_port_from_msg((void *)b.data, &p) == -EINVAL,
	   "a port without its type is refused");
	buf_clear(&b);
	s = start_msg(&b, &req, FAM_PACKET, 0, OVS_PACKET_CMD_MISS, 1);
	na_put(&b, OVS_PACKET_ATTR_PACKET, "abcd", 4);
	n = na_nest_start(&b, OVS_PACKET_ATTR_KEY);
	na_put_u32(&b, OVS_KEY_ATTR_IN_PORT, 1);
	na_nest_end(&b, n);
	na_put_u16(&b, OVS_PACKET_ATTR_MRU, 1400);
	end_msg(&b, s);
	ok(dpif_upcall_parse((void *)b.data, &up) == 0 && up.cmd == OVS_PACKET_CMD_MISS &&
	   up.packet_len == 4 && up.key_len == 8 && up.mru == 1400 && up.dp_ifindex == 1,
	   "upcall parses");
	buf_free(&b);
}

int main(void)
{
	test_names();
	test_malformed();
	test_fake_dpd();
	return done();
}

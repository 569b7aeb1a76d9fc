/*
 * Fuzz target: arbitrary datagrams into dpd's message handler (lib/dpserv),
 * against a server with one datapath of dummy ports and a few flows.  No
 * input may crash the server, make it read out of bounds, leak, or stop
 * it from answering a well-formed request afterwards (checked at the end
 * of every input).
 *
 * Input: a sequence of records [u16 length, little endian][record].  A
 * record whose first byte has bit 7 set is a request built around its
 * bytes: bits 0-2 pick the family (nlctrl, datapath, vport, flow, packet,
 * socket options, or a raw type from the next two bytes), bit 6 sets
 * dp_ifindex to the datapath's, bit 5 marks the client unprivileged for
 * this request; then come the command and the nlmsg flags (2 bytes), and
 * the rest is the attribute stream.  Any other record is sent as the raw
 * datagram.  Dummy ports take one injected packet per record whose first
 * byte is 0x7f (the rest is the frame), so upcalls are exercised too.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/openvswitch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dp.h"
#include "dpserv.h"
#include "nlattr.h"
#include "odp_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint16_t fam_ids[6] = { 0x10, 0x20, 0x21, 0x22, 0x23, 0x2f };

struct h {
	struct dpserv *srv;
	struct dpserv_client *c, *u;    /* privileged, unprivileged */
	int fd, ufd;
	int ifindex;
	uint32_t seq;
};

static void drain(int fd)
{
	static uint8_t b[1 << 17];

	while (recv(fd, b, sizeof b, MSG_DONTWAIT) > 0)
		;
}

static void hdr(struct buf *b, uint16_t type, uint16_t flags, uint8_t cmd,
		int ifindex)
{
	struct nlmsghdr n = { .nlmsg_type = type, .nlmsg_flags = flags };
	struct genlmsghdr g = { .cmd = cmd, .version = 1 };

	buf_clear(b);
	buf_put(b, &n, sizeof n);
	buf_put(b, &g, sizeof g);
	if (type != 0x10 && type != 0x2f)
		buf_put(b, &ifindex, sizeof ifindex);
}

static void fin(struct h *h, struct dpserv_client *c, struct buf *b)
{
	struct nlmsghdr *n = (void *)b->data;

	if (!buf_ok(b))
		return;
	n->nlmsg_len = (uint32_t)b->len;
	n->nlmsg_seq = ++h->seq;
	dpserv_input(h->srv, c, b->data, b->len);
}

static void flow(struct h *h, struct buf *b, const char *key, const char *act)
{
	struct buf k = BUF_INIT, m = BUF_INIT, a = BUF_INIT;

	hdr(b, 0x22, NLM_F_REQUEST | NLM_F_CREATE, OVS_FLOW_CMD_NEW, h->ifindex);
	odp_key_from_text(key, strlen(key), &k, &m, NULL, NULL);
	odp_actions_from_text(act, strlen(act), &a, NULL, NULL);
	na_put(b, OVS_FLOW_ATTR_KEY, k.data, k.len);
	na_put(b, OVS_FLOW_ATTR_MASK, m.data, m.len);
	na_put(b, OVS_FLOW_ATTR_ACTIONS, a.data, a.len);
	fin(h, h->c, b);
	buf_free(&k);
	buf_free(&m);
	buf_free(&a);
}

static int setup(struct h *h)
{
	struct dpserv_config cfg = { .dummy_ports = true, .busy_poll = true,
				     .sock_gid = -1 };
	struct buf b = BUF_INIT;
	struct dp_port_info pi;
	uint32_t pid;
	int sv[2], uv[2], i;

	memset(h, 0, sizeof *h);
	if (dpserv_create(&h->srv, &cfg, NULL) < 0 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) < 0 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, uv) < 0)
		abort();
	dpserv_add_client(h->srv, sv[0], true, &h->c, NULL);
	dpserv_add_client(h->srv, uv[0], false, &h->u, NULL);
	h->fd = sv[1];
	h->ufd = uv[1];
	pid = dpserv_client_portid(h->c);
	hdr(&b, 0x20, NLM_F_REQUEST, OVS_DP_CMD_NEW, 0);
	na_put_str(&b, OVS_DP_ATTR_NAME, "fz");
	na_put_u32(&b, OVS_DP_ATTR_UPCALL_PID, pid);
	na_put_u32(&b, OVS_DP_ATTR_USER_FEATURES, OVS_DP_F_VPORT_PIDS);
	fin(h, h->c, &b);
	if (dp_port_get(dpserv_datapath(h->srv, "fz"), 0, &pi) < 0)
		abort();
	/* A dummy datapath's dp_ifindex: the server numbers them from
	 * 1 << 20. */
	h->ifindex = 1 << 20;
	for (i = 0; i < 3; i++) {
		hdr(&b, 0x21, NLM_F_REQUEST, OVS_VPORT_CMD_NEW, h->ifindex);
		na_put_u32(&b, OVS_VPORT_ATTR_TYPE, i == 2 ? OVS_VPORT_TYPE_INTERNAL
							   : OVS_VPORT_TYPE_NETDEV);
		na_put_str(&b, OVS_VPORT_ATTR_NAME, i == 0 ? "a" : i == 1 ? "b" : "c");
		na_put(&b, OVS_VPORT_ATTR_UPCALL_PID, &pid, sizeof pid);
		fin(h, h->c, &b);
	}
	flow(h, &b, "in_port(1),eth(),eth_type(0x0806),arp()", "2");
	flow(h, &b, "ufid:12345678-1234-1234-1234-123456789abc,in_port(2),eth(),"
	     "eth_type(0x0800),ipv4(frag=no)", "set(ipv4(ttl=3)),userspace(pid=1),1");
	flow(h, &b, "in_port(3),eth(),eth_type(0x0800),ipv4(proto=6,frag=no),"
	     "tcp(dst=80)", "push_vlan(vid=5,pcp=0),2,pop_vlan,trunc(100),1");
	buf_free(&b);
	drain(h->fd);
	return 0;
}

static void inject(struct h *h, const uint8_t *p, size_t n)
{
	struct dp *dp = dpserv_datapath(h->srv, "fz");
	struct dp_port_info pi;

	if (dp && n >= 2 && dp_port_get(dp, 1 + p[0] % 3, &pi) == 0)
		netdev_dummy_inject(pi.netdev, p + 1, (uint32_t)(n - 1));
}

static void record(struct h *h, struct buf *b, const uint8_t *p, size_t n)
{
	struct dpserv_client *c = h->c;
	uint16_t type, flags;
	size_t at = 4;

	if (!n)
		return;
	if (p[0] == 0x7f) {
		inject(h, p + 1, n - 1);
		return;
	}
	if (!(p[0] & 0x80) || n < 4) {
		dpserv_input(h->srv, c, p, n);
		return;
	}
	if (p[0] & 0x20)
		c = h->u;
	if ((p[0] & 7) < 6) {
		type = fam_ids[p[0] & 7];
	} else {
		if (n < 6)
			return;
		type = (uint16_t)(p[4] | p[5] << 8);
		at = 6;
	}
	flags = (uint16_t)(p[2] | p[3] << 8);
	hdr(b, type, flags, p[1], (p[0] & 0x40) ? h->ifindex : 0);
	buf_put(b, p + at, n - at);
	fin(h, c, b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf b = BUF_INIT;
	struct h h;
	size_t i = 0;
	int turns;

	setup(&h);
	while (i + 2 <= size) {
		size_t n = (size_t)(data[i] | data[i + 1] << 8);

		i += 2;
		if (n > size - i)
			n = size - i;
		record(&h, &b, data + i, n);
		i += n;
		for (turns = 0; turns < 4; turns++)
			dpserv_run(h.srv, 0);
		drain(h.fd);
		drain(h.ufd);
	}
	/* Dumps run to their end; the server still answers. */
	for (turns = 0; turns < 64; turns++) {
		dpserv_run(h.srv, 0);
		drain(h.fd);
		drain(h.ufd);
	}
	hdr(&b, 0x10, NLM_F_REQUEST | NLM_F_ACK, CTRL_CMD_GETFAMILY, 0);
	na_put_str(&b, CTRL_ATTR_FAMILY_NAME, "ovs_flow");
	fin(&h, h.c, &b);
	{
		uint8_t r[4096];
		ssize_t got = recv(h.fd, r, sizeof r, MSG_DONTWAIT);

		/* The socket may have been closed by the server only if
		 * the input made the client's queue impossible to keep. */
		if (got == 0)
			abort();
	}
	dpserv_destroy(h.srv);
	close(h.fd);
	close(h.ufd);
	buf_free(&b);
	return 0;
}

/*
 * Fuzz target: the dpkit_rules family (lib/dpserv_rules.c) and the slow
 * path behind it, against a server whose datapath "fz" is a bridge of
 * dummy ports.  No input may crash the server, read out of bounds, leak,
 * or stop it from answering afterwards.
 *
 * Input: records [u16 length, little endian][record].  A record whose
 * first byte is 0x7f injects the rest as a frame on a port (misses go
 * through the slow path: translation, megaflow install, execute).  Any
 * other record is a dpkit_rules request: byte 0 bits 0-2 pick the command
 * (0-7), bit 5 makes the client unprivileged, bit 6 means "text": the rest
 * is one rule line, sent as DPR_ATTR_LINE with the datapath's name and a
 * command byte 1 (add, modify... query); without it byte 1-2 are the
 * nlmsg flags and the rest is the raw attribute stream.
 */
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
#include "rules_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ID_RULES 0x24           /* dpserv_int.h: DS_ID_RULES */

struct h {
	struct dpserv *srv;
	struct dpserv_client *c, *u;
	int fd, ufd;
	uint32_t seq;
};

static void drain(int fd)
{
	static uint8_t b[1 << 17];

	while (recv(fd, b, sizeof b, MSG_DONTWAIT) > 0)
		;
}

static void hdr(struct buf *b, uint16_t type, uint16_t flags, uint8_t cmd,
		size_t famhdr)
{
	struct nlmsghdr n = { .nlmsg_type = type, .nlmsg_flags = flags };
	struct genlmsghdr g = { .cmd = cmd, .version = 1 };

	buf_clear(b);
	buf_put(b, &n, sizeof n);
	buf_put(b, &g, sizeof g);
	buf_put_zeros(b, famhdr);
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

static void setup(struct h *h)
{
	struct dpserv_config cfg = { .dummy_ports = true, .busy_poll = true,
				     .sock_gid = -1, .slowpath = true };
	struct buf b = BUF_INIT;
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
	hdr(&b, 0x20, NLM_F_REQUEST, OVS_DP_CMD_NEW, 4);
	na_put_str(&b, OVS_DP_ATTR_NAME, "fz");
	na_put_u32(&b, OVS_DP_ATTR_UPCALL_PID, 0);
	fin(h, h->c, &b);
	for (i = 0; i < 3; i++) {
		int ifindex = 1 << 20;

		hdr(&b, 0x21, NLM_F_REQUEST, OVS_VPORT_CMD_NEW, 0);
		buf_put(&b, &ifindex, sizeof ifindex);
		na_put_u32(&b, OVS_VPORT_ATTR_TYPE, OVS_VPORT_TYPE_NETDEV);
		na_put_str(&b, OVS_VPORT_ATTR_NAME,
			   i == 0 ? "a" : i == 1 ? "b" : "c");
		/* pid 0: misses go to the slow path. */
		na_put_u32(&b, OVS_VPORT_ATTR_UPCALL_PID, 0);
		fin(h, h->c, &b);
	}
	if (!dpserv_datapath(h->srv, "fz"))
		abort();
	buf_free(&b);
	drain(h->fd);
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
	uint8_t cmd;

	if (!n)
		return;
	if (p[0] == 0x7f) {
		inject(h, p + 1, n - 1);
		return;
	}
	if (n < 3)
		return;
	cmd = p[0] & 7;
	if (p[0] & 0x20)
		c = h->u;
	if (p[0] & 0x40) {
		char line[1024];
		size_t l = n - 2 < sizeof line - 1 ? n - 2 : sizeof line - 1;

		memcpy(line, p + 2, l);
		line[l] = '\0';
		hdr(b, ID_RULES, NLM_F_REQUEST | NLM_F_ACK |
		    (cmd == DPR_CMD_GET || cmd == DPR_CMD_TABLES ? NLM_F_DUMP : 0),
		    cmd, 0);
		na_put_str(b, DPR_ATTR_DP, "fz");
		na_put_u8(b, DPR_ATTR_COMMAND, p[1] % 6);
		na_put_u32(b, DPR_ATTR_FLAGS, p[1] >> 3);
		na_put_str(b, DPR_ATTR_LINE, line);
		fin(h, c, b);
		return;
	}
	hdr(b, ID_RULES, (uint16_t)(p[1] | p[2] << 8), cmd, 0);
	buf_put(b, p + 3, n - 3);
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
	for (turns = 0; turns < 64; turns++) {
		dpserv_run(h.srv, 0);
		drain(h.fd);
		drain(h.ufd);
	}
	/* Still answers: a dump of the rules. */
	hdr(&b, ID_RULES, NLM_F_REQUEST | NLM_F_DUMP, DPR_CMD_GET, 0);
	na_put_str(&b, DPR_ATTR_DP, "fz");
	fin(&h, h.c, &b);
	{
		uint8_t r[4096];

		if (recv(h.fd, r, sizeof r, MSG_DONTWAIT) == 0)
			abort();
	}
	dpserv_destroy(h.srv);
	close(h.fd);
	close(h.ufd);
	buf_free(&b);
	return 0;
}

/* Unit tests for lib/dpserv, the uapi server, on dummy ports: each client
 * is one end of a socketpair, the server runs turns of its loop in
 * between.  Checked byte-level: acks and their flags, extended ACKs,
 * attribute order of replies, the kernel's errnos, permissions, flow
 * identity rules, dumps in chunks, upcalls, execute, notifications,
 * socket options, and malformed input. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/openvswitch.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dp.h"
#include "dpserv.h"
#include "nlattr.h"
#include "odp_text.h"
#include "pktgen.h"
#include "tap.h"

#define ID_CTRL 0x10
static struct dpserv *srv;
static uint16_t id_dp, id_vport, id_flow, id_packet, id_sockopt;
static int dp_ifindex;

struct cl {
	int fd;
	struct dpserv_client *c;
	uint32_t portid;
	uint32_t seq;
};

#define MAX_MSGS 4096
struct rx {
	uint8_t *buf;
	size_t len, cap;
	const struct nlmsghdr *m[MAX_MSGS];
	unsigned n;
	unsigned n_dgrams;
	size_t max_dgram;
};

static void cl_new(struct cl *cl, bool priv)
{
	int sv[2];

	memset(cl, 0, sizeof *cl);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		abort();
	if (dpserv_add_client(srv, sv[0], priv, &cl->c, NULL) < 0)
		abort();
	cl->fd = sv[1];
	fcntl(cl->fd, F_SETFL, O_NONBLOCK);
	cl->portid = dpserv_client_portid(cl->c);
	cl->seq = 1000;
}

static void rx_reset(struct rx *rx)
{
	rx->len = 0;
	rx->n = 0;
	rx->n_dgrams = 0;
	rx->max_dgram = 0;
}

/* Receive every queued datagram; keep each message at an aligned copy. */
static void rx_drain(struct cl *cl, struct rx *rx)
{
	static uint8_t d[1 << 17];
	ssize_t n;

	while ((n = recv(cl->fd, d, sizeof d, MSG_DONTWAIT)) > 0) {
		const struct nlmsghdr *m = (const void *)d;
		int left = (int)n;

		rx->n_dgrams++;
		if ((size_t)n > rx->max_dgram)
			rx->max_dgram = (size_t)n;
		for (; NLMSG_OK(m, left); m = NLMSG_NEXT(m, left)) {
			size_t need = NLMSG_ALIGN(m->nlmsg_len);

			/* Messages keep their addresses: one big buffer. */
			if (!rx->buf) {
				rx->cap = 64 << 20;
				rx->buf = malloc(rx->cap);
			}
			if (!rx->buf || rx->len + need > rx->cap)
				abort();
			memcpy(rx->buf + rx->len, m, m->nlmsg_len);
			if (rx->n < MAX_MSGS)
				rx->m[rx->n++] = (const void *)(rx->buf + rx->len);
			rx->len += need;
		}
	}
}

static void pump(int n)
{
	while (n-- > 0)
		dpserv_run(srv, 0);
}

static size_t start(struct buf *b, uint16_t type, uint16_t flags, uint8_t cmd,
		    int ifindex)
{
	struct nlmsghdr h = { .nlmsg_type = type,
			      .nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags) };
	struct genlmsghdr g = { .cmd = cmd, .version = 1 };
	struct ovs_header oh = { .dp_ifindex = ifindex };

	buf_clear(b);
	buf_put(b, &h, sizeof h);
	buf_put(b, &g, sizeof g);
	if (type != ID_CTRL && type != id_sockopt)
		buf_put(b, &oh, sizeof oh);
	return 0;
}

static void send_req(struct cl *cl, struct buf *b)
{
	struct nlmsghdr *h = (void *)b->data;

	h->nlmsg_len = (uint32_t)b->len;
	h->nlmsg_seq = ++cl->seq;
	if (send(cl->fd, b->data, b->len, 0) != (ssize_t)b->len)
		abort();
}

/* The error of the ack/DONE answering cl's last request, or 1 if none came.
 * Everything received lands in rx. */
static int transact(struct cl *cl, struct buf *b, struct rx *rx)
{
	int i;
	unsigned k;

	rx_reset(rx);
	send_req(cl, b);
	for (i = 0; i < 2000; i++) {
		pump(1);
		rx_drain(cl, rx);
		for (k = 0; k < rx->n; k++) {
			const struct nlmsghdr *m = rx->m[k];

			if (m->nlmsg_seq != cl->seq)
				continue;
			if (m->nlmsg_type == NLMSG_ERROR)
				return ((const struct nlmsgerr *)NLMSG_DATA(m))->error;
			if (m->nlmsg_type == NLMSG_DONE)
				return *(const int *)NLMSG_DATA(m);
		}
	}
	return 1;
}

static const struct nlmsghdr *first_of(const struct rx *rx, uint16_t type)
{
	unsigned k;

	for (k = 0; k < rx->n; k++)
		if (rx->m[k]->nlmsg_type == type)
			return rx->m[k];
	return NULL;
}

static unsigned count_of(const struct rx *rx, uint16_t type)
{
	unsigned k, n = 0;

	for (k = 0; k < rx->n; k++)
		n += rx->m[k]->nlmsg_type == type;
	return n;
}

/* The attributes of a generic netlink message with a family header of
 * hdrsize bytes. */
static const void *attrs_of(const struct nlmsghdr *m, size_t hdrsize,
			    size_t *len)
{
	size_t h = NLMSG_HDRLEN + GENL_HDRLEN + hdrsize;

	*len = m->nlmsg_len - h;
	return (const uint8_t *)m + h;
}

/* The attribute types of a message, in order, as a string "1,2,3". */
static const char *order_of(const struct nlmsghdr *m, size_t hdrsize)
{
	static char s[256];
	const struct nlattr *a;
	size_t len, rem, n = 0;
	const void *at = attrs_of(m, hdrsize, &len);

	s[0] = '\0';
	NA_FOR_EACH(a, at, len, rem)
		n += (size_t)snprintf(s + n, sizeof s - n, "%s%u", n ? "," : "",
				      na_type(a));
	return s;
}

static const struct nlattr *attr_of(const struct nlmsghdr *m, size_t hdrsize,
				    uint16_t type)
{
	size_t len;
	const void *at = attrs_of(m, hdrsize, &len);

	return na_find(at, len, type);
}

/* The extack TLVs of an NLMSG_ERROR (capped). */
static const struct nlattr *ack_tlv(const struct nlmsghdr *m, uint16_t type)
{
	size_t off = NLMSG_HDRLEN + sizeof(struct nlmsgerr);

	if (!(m->nlmsg_flags & NLM_F_ACK_TLVS) || m->nlmsg_len <= off)
		return NULL;
	return na_find((const uint8_t *)m + off, m->nlmsg_len - off, type);
}

static uint16_t family_id(struct cl *cl, struct rx *rx, const char *name)
{
	struct buf b = BUF_INIT;
	const struct nlmsghdr *m;
	const struct nlattr *a;
	uint16_t id = 0;

	start(&b, ID_CTRL, 0, CTRL_CMD_GETFAMILY, 0);
	na_put_str(&b, CTRL_ATTR_FAMILY_NAME, name);
	if (transact(cl, &b, rx) == 1 && (m = first_of(rx, ID_CTRL)) &&
	    (a = attr_of(m, 0, CTRL_ATTR_FAMILY_ID)))
		id = na_get_u16(a);
	buf_free(&b);
	return id;
}

static void put_flow_text(struct buf *b, const char *key, const char *acts)
{
	struct buf k = BUF_INIT, m = BUF_INIT, a = BUF_INIT;

	if (odp_key_from_text(key, strlen(key), &k, &m, NULL, NULL) < 0 ||
	    (acts && odp_actions_from_text(acts, strlen(acts), &a, NULL, NULL) < 0))
		abort();
	na_put(b, OVS_FLOW_ATTR_KEY, k.data, k.len);
	na_put(b, OVS_FLOW_ATTR_MASK, m.data, m.len);
	if (acts)
		na_put(b, OVS_FLOW_ATTR_ACTIONS, a.data, a.len);
	buf_free(&k);
	buf_free(&m);
	buf_free(&a);
}

static int add_flow(struct cl *cl, struct rx *rx, uint16_t flags,
		    const char *key, const char *acts)
{
	struct buf b = BUF_INIT;
	int e;

	start(&b, id_flow, (uint16_t)(NLM_F_ACK | flags), OVS_FLOW_CMD_NEW,
	      dp_ifindex);
	put_flow_text(&b, key, acts);
	e = transact(cl, &b, rx);
	buf_free(&b);
	return e;
}

static uint64_t dp_stat(struct cl *cl, struct rx *rx, int which)
{
	struct buf b = BUF_INIT;
	const struct nlmsghdr *m;
	const struct nlattr *a;
	struct ovs_dp_stats st;

	start(&b, id_dp, 0, OVS_DP_CMD_GET, dp_ifindex);
	memset(&st, 0, sizeof st);
	if (transact(cl, &b, rx) == 1 && (m = first_of(rx, id_dp)) &&
	    (a = attr_of(m, 4, OVS_DP_ATTR_STATS)))
		memcpy(&st, na_data(a), sizeof st);
	buf_free(&b);
	return which == 0 ? st.n_flows : which == 1 ? st.n_missed : st.n_lost;
}

static void test_basics(struct cl *c1, struct cl *c2, struct rx *rx)
{
	struct buf b = BUF_INIT;
	const struct nlmsghdr *m;
	const struct nlattr *a;
	struct nlmsghdr noop = { .nlmsg_len = NLMSG_HDRLEN,
				 .nlmsg_type = NLMSG_NOOP,
				 .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK };

	buf_put(&b, &noop, sizeof noop);
	ok(transact(c1, &b, rx) == 0 && (m = first_of(rx, NLMSG_ERROR)) &&
	   m->nlmsg_pid == c1->portid && c1->portid != c2->portid &&
	   (m->nlmsg_flags & NLM_F_CAPPED) && m->nlmsg_len == NLMSG_HDRLEN +
	   sizeof(struct nlmsgerr), "NLMSG_NOOP is acked with the portid, capped");

	id_dp = family_id(c1, rx, OVS_DATAPATH_FAMILY);
	m = first_of(rx, ID_CTRL);
	ok(id_dp && m && m->nlmsg_pid == c1->portid &&
	   !strcmp(order_of(m, 0), "2,1,3,4,5,6,7") &&
	   (a = attr_of(m, 0, CTRL_ATTR_VERSION)) && na_get_u32(a) == 2 &&
	   (a = attr_of(m, 0, CTRL_ATTR_HDRSIZE)) && na_get_u32(a) == 4 &&
	   (a = attr_of(m, 0, CTRL_ATTR_MAXATTR)) && na_get_u32(a) == OVS_DP_ATTR_MAX,
	   "nlctrl describes ovs_datapath as the kernel does");
	id_vport = family_id(c1, rx, OVS_VPORT_FAMILY);
	id_flow = family_id(c1, rx, OVS_FLOW_FAMILY);
	id_packet = family_id(c1, rx, OVS_PACKET_FAMILY);
	id_sockopt = family_id(c1, rx, NL_SOCKOPT_FAMILY);
	ok(id_vport && id_flow && id_packet && id_sockopt &&
	   (id_dp | id_vport | id_flow | id_packet | id_sockopt) < 0x100,
	   "all families found, below nfnetlink's message types");

	start(&b, ID_CTRL, 0, CTRL_CMD_GETFAMILY, 0);
	na_put_str(&b, CTRL_ATTR_FAMILY_NAME, "nope");
	ok(transact(c1, &b, rx) == -ENOENT, "unknown family: ENOENT");
	start(&b, ID_CTRL, NLM_F_DUMP, CTRL_CMD_GETFAMILY, 0);
	ok(transact(c1, &b, rx) == 0 && count_of(rx, ID_CTRL) == 6 &&
	   (rx->m[rx->n - 1]->nlmsg_flags & NLM_F_MULTI),
	   "family dump: 6 families, NLMSG_DONE");
	buf_free(&b);
}

static void test_datapath(struct cl *c1, struct cl *c2, struct rx *rx)
{
	struct buf b = BUF_INIT;
	const struct nlmsghdr *m = NULL;
	const struct nlattr *a;
	size_t at;

	start(&b, id_dp, NLM_F_ECHO | NLM_F_ACK, OVS_DP_CMD_NEW, 0);
	na_put_str(&b, OVS_DP_ATTR_NAME, "ut0");
	na_put_u32(&b, OVS_DP_ATTR_UPCALL_PID, 0);
	ok(transact(c2, &b, rx) == -EPERM, "unprivileged DP_CMD_NEW: EPERM");
	ok(transact(c1, &b, rx) == 0 && (m = first_of(rx, id_dp)) &&
	   m->nlmsg_seq == c1->seq && m->nlmsg_pid == c1->portid &&
	   !strcmp(order_of(m, 4), "1,3,4,5,7") &&
	   (a = attr_of(m, 4, OVS_DP_ATTR_MASKS_CACHE_SIZE)) &&
	   na_get_u32(a) == 256, "DP_CMD_NEW with NLM_F_ECHO: NEW reply, ack");
	dp_ifindex = m ? ((const struct ovs_header *)((const uint8_t *)m +
			  NLMSG_HDRLEN + GENL_HDRLEN))->dp_ifindex : 0;
	ok(transact(c1, &b, rx) == -EEXIST, "again: EEXIST");

	start(&b, id_dp, NLM_F_ACK, OVS_DP_CMD_SET, 0);
	na_put_str(&b, OVS_DP_ATTR_NAME, "ut0");
	na_put_u32(&b, OVS_DP_ATTR_USER_FEATURES, OVS_DP_F_UNALIGNED |
		   OVS_DP_F_VPORT_PIDS);
	ok(transact(c1, &b, rx) == 0 && count_of(rx, id_dp) == 0,
	   "DP_CMD_SET without NLM_F_ECHO: only the ack");
	na_put_u32(&b, OVS_DP_ATTR_MASKS_CACHE_SIZE, 100);
	ok(transact(c1, &b, rx) == -EINVAL, "masks cache size not a power of 2");

	start(&b, id_dp, 0, OVS_DP_CMD_GET, dp_ifindex);
	ok(transact(c2, &b, rx) == 1 && (m = first_of(rx, id_dp)) &&
	   (a = attr_of(m, 4, OVS_DP_ATTR_USER_FEATURES)) &&
	   na_get_u32(a) == (OVS_DP_F_UNALIGNED | OVS_DP_F_VPORT_PIDS),
	   "unprivileged GET by dp_ifindex works, sees the features");
	start(&b, id_dp, 0, OVS_DP_CMD_GET, 0);
	na_put_str(&b, OVS_DP_ATTR_NAME, "nope");
	m = NULL;
	ok(transact(c1, &b, rx) == -ENODEV && (m = first_of(rx, NLMSG_ERROR)) &&
	   !(m->nlmsg_flags & NLM_F_ACK_TLVS),
	   "unknown datapath: ENODEV and, as the kernel, no extack text");

	start(&b, id_dp, 0, OVS_DP_CMD_GET, 0);
	at = b.len;
	na_put_u16(&b, OVS_DP_ATTR_UPCALL_PID, 7);
	na_put_str(&b, OVS_DP_ATTR_NAME, "ut0");
	ok(transact(c1, &b, rx) == -ERANGE && (m = first_of(rx, NLMSG_ERROR)) &&
	   (a = ack_tlv(m, NLMSGERR_ATTR_MSG)) &&
	   !strcmp(na_data(a), "Attribute failed policy validation") &&
	   (a = ack_tlv(m, NLMSGERR_ATTR_OFFS)) && na_get_u32(a) == at,
	   "a short u32: ERANGE, policy text and the attribute's offset");
	start(&b, id_dp, 0, OVS_DP_CMD_GET, 0);
	na_put(&b, OVS_DP_ATTR_NAME, "0123456789abcdef", 16);
	ok(transact(c1, &b, rx) == -EINVAL, "a name without NUL: EINVAL");
	start(&b, id_dp, 0, OVS_DP_CMD_NEW, 0);
	na_put_str(&b, OVS_DP_ATTR_NAME, "ut1");
	ok(transact(c1, &b, rx) == -EINVAL, "NEW without an upcall pid: EINVAL");
	buf_free(&b);
}

static void test_vports(struct cl *c1, struct rx *rx)
{
	struct buf b = BUF_INIT;
	const struct nlmsghdr *m;
	uint32_t pid = c1->portid;
	unsigned k;
	bool order = true;

	start(&b, id_vport, NLM_F_ECHO, OVS_VPORT_CMD_NEW, dp_ifindex);
	na_put_u32(&b, OVS_VPORT_ATTR_TYPE, OVS_VPORT_TYPE_NETDEV);
	na_put_str(&b, OVS_VPORT_ATTR_NAME, "p1");
	na_put(&b, OVS_VPORT_ATTR_UPCALL_PID, &pid, 4);
	ok(transact(c1, &b, rx) == 1 && (m = first_of(rx, id_vport)) &&
	   !strcmp(order_of(m, 4), "1,2,3,8,6,5") &&
	   na_get_u32(attr_of(m, 4, OVS_VPORT_ATTR_PORT_NO)) == 1,
	   "VPORT_CMD_NEW: port 1, attributes in the kernel's order");
	start(&b, id_vport, NLM_F_ACK, OVS_VPORT_CMD_NEW, dp_ifindex);
	na_put_u32(&b, OVS_VPORT_ATTR_TYPE, OVS_VPORT_TYPE_INTERNAL);
	na_put_str(&b, OVS_VPORT_ATTR_NAME, "p5");
	na_put_u32(&b, OVS_VPORT_ATTR_PORT_NO, 5);
	na_put(&b, OVS_VPORT_ATTR_UPCALL_PID, &pid, 4);
	ok(transact(c1, &b, rx) == 0, "internal port 5");
	ok(transact(c1, &b, rx) == -EBUSY, "port number taken: EBUSY");
	start(&b, id_vport, 0, OVS_VPORT_CMD_NEW, dp_ifindex);
	na_put_u32(&b, OVS_VPORT_ATTR_TYPE, OVS_VPORT_TYPE_GRE);
	na_put_str(&b, OVS_VPORT_ATTR_NAME, "g");
	na_put(&b, OVS_VPORT_ATTR_UPCALL_PID, &pid, 4);
	ok(transact(c1, &b, rx) == -EAFNOSUPPORT, "gre: EAFNOSUPPORT");
	start(&b, id_vport, 0, OVS_VPORT_CMD_NEW, dp_ifindex);
	na_put_u32(&b, OVS_VPORT_ATTR_TYPE, OVS_VPORT_TYPE_NETDEV);
	na_put_str(&b, OVS_VPORT_ATTR_NAME, "p1");
	na_put(&b, OVS_VPORT_ATTR_UPCALL_PID, &pid, 4);
	ok(transact(c1, &b, rx) == -EEXIST, "a port of this datapath again: EEXIST");

	start(&b, id_vport, NLM_F_DUMP, OVS_VPORT_CMD_GET, dp_ifindex);
	ok(transact(c1, &b, rx) == 0 && count_of(rx, id_vport) == 3,
	   "port dump: 3 ports");
	for (k = 1; k < rx->n && rx->m[k]->nlmsg_type == id_vport; k++)
		order &= na_get_u32(attr_of(rx->m[k], 4, OVS_VPORT_ATTR_PORT_NO)) >
			 na_get_u32(attr_of(rx->m[k - 1], 4, OVS_VPORT_ATTR_PORT_NO));
	ok(order, "... in port number order");

	start(&b, id_vport, 0, OVS_VPORT_CMD_DEL, dp_ifindex);
	na_put_u32(&b, OVS_VPORT_ATTR_PORT_NO, 0);
	ok(transact(c1, &b, rx) == -EINVAL, "deleting port 0: EINVAL");
	start(&b, id_vport, 0, OVS_VPORT_CMD_GET, dp_ifindex + 1);
	na_put_str(&b, OVS_VPORT_ATTR_NAME, "p1");
	ok(transact(c1, &b, rx) == -ENODEV, "by name in another dp_ifindex: ENODEV");
	start(&b, id_vport, 0, OVS_VPORT_CMD_GET, dp_ifindex);
	na_put_u32(&b, OVS_VPORT_ATTR_PORT_NO, 70000);
	ok(transact(c1, &b, rx) == -EFBIG, "port number past DP_MAX_PORTS: EFBIG");
	start(&b, id_vport, 0, OVS_VPORT_CMD_SET, dp_ifindex);
	na_put_str(&b, OVS_VPORT_ATTR_NAME, "p1");
	na_put_u32(&b, OVS_VPORT_ATTR_TYPE, OVS_VPORT_TYPE_INTERNAL);
	ok(transact(c1, &b, rx) == -EINVAL, "SET with another type: EINVAL");
	buf_free(&b);
}

static void test_flows(struct cl *c1, struct rx *rx)
{
	static const char arp1[] = "in_port(1),eth(),eth_type(0x0806),arp()";
	static const char ufid[] = "ufid:12345678-1234-1234-1234-123456789abc";
	struct buf b = BUF_INIT, t = BUF_INIT;
	const struct nlmsghdr *m;
	const struct nlattr *a;
	uint8_t u[16];
	size_t used;

	ok(add_flow(c1, rx, NLM_F_CREATE, arp1, "5") == 0, "add a flow");
	ok(add_flow(c1, rx, NLM_F_CREATE, arp1, "5") == -EEXIST,
	   "the same with NLM_F_CREATE: EEXIST");
	ok(add_flow(c1, rx, NLM_F_CREATE,
		    "in_port(1),eth(),eth_type(0x0806),arp(op=1)", "5") == -EEXIST,
	   "a flow the first would match: EEXIST too, as the kernel");
	ok(add_flow(c1, rx, 0, "in_port(1),eth(),eth_type(0x0806),arp(op=1)",
		    "5") == -ENOENT, "... and without NLM_F_CREATE: ENOENT");
	ok(add_flow(c1, rx, 0, arp1, "1") == 0, "NEW without flags modifies");

	start(&b, id_flow, 0, OVS_FLOW_CMD_GET, dp_ifindex);
	put_flow_text(&b, arp1, NULL);
	ok(transact(c1, &b, rx) == 1 && (m = first_of(rx, id_flow)) &&
	   !strcmp(order_of(m, 4), "1,7,2") &&
	   (a = attr_of(m, 4, OVS_FLOW_ATTR_ACTIONS)) && na_len(a) == 8,
	   "GET by key: KEY, MASK, ACTIONS (the new ones)");

	odp_ufid_from_text(ufid, sizeof ufid - 1, u, &used, NULL);
	start(&b, id_flow, NLM_F_CREATE, OVS_FLOW_CMD_NEW, dp_ifindex);
	put_flow_text(&b, "in_port(5),eth(),eth_type(0x0806),arp()", "1");
	na_put(&b, OVS_FLOW_ATTR_UFID, u, 16);
	ok(transact(c1, &b, rx) == 1, "add a flow with a ufid");
	start(&b, id_flow, 0, OVS_FLOW_CMD_GET, dp_ifindex);
	na_put(&b, OVS_FLOW_ATTR_UFID, u, 16);
	na_put_u32(&b, OVS_FLOW_ATTR_UFID_FLAGS, OVS_UFID_F_OMIT_KEY |
		   OVS_UFID_F_OMIT_ACTIONS);
	ok(transact(c1, &b, rx) == 1 && (m = first_of(rx, id_flow)) &&
	   !strcmp(order_of(m, 4), "9,7"),
	   "GET by ufid with OMIT_KEY|OMIT_ACTIONS: UFID, MASK");
	start(&b, id_flow, 0, OVS_FLOW_CMD_DEL, dp_ifindex);
	put_flow_text(&b, "in_port(5),eth(),eth_type(0x0806),arp()", NULL);
	ok(transact(c1, &b, rx) == -ENOENT,
	   "a ufid flow is not found by its key: ENOENT");

	start(&b, id_flow, NLM_F_ECHO, OVS_FLOW_CMD_SET, dp_ifindex);
	na_put(&b, OVS_FLOW_ATTR_UFID, u, 16);
	na_put_flag(&b, OVS_FLOW_ATTR_CLEAR);
	ok(transact(c1, &b, rx) == 1 && (m = first_of(rx, id_flow)) &&
	   ((const struct genlmsghdr *)NLMSG_DATA(m))->cmd == OVS_FLOW_CMD_SET,
	   "SET by ufid with NLM_F_ECHO: a SET reply");
	start(&b, id_flow, 0, OVS_FLOW_CMD_SET, dp_ifindex);
	na_put_flag(&b, OVS_FLOW_ATTR_CLEAR);
	ok(transact(c1, &b, rx) == -EINVAL, "SET without key or ufid: EINVAL");
	start(&b, id_flow, 0, OVS_FLOW_CMD_NEW, dp_ifindex);
	put_flow_text(&b, arp1, NULL);
	ok(transact(c1, &b, rx) == -EINVAL, "NEW without actions: EINVAL");
	start(&b, id_flow, 0, OVS_FLOW_CMD_NEW, dp_ifindex);
	buf_clear(&t);
	odp_key_from_text("in_port(1),ipv4(src=1.2.3.4)", 28, &t, NULL, NULL,
			  NULL);
	na_put(&b, OVS_FLOW_ATTR_KEY, t.data, t.len);
	na_put(&b, OVS_FLOW_ATTR_ACTIONS, NULL, 0);
	ok(transact(c1, &b, rx) == -EINVAL && (m = first_of(rx, NLMSG_ERROR)) &&
	   !(m->nlmsg_flags & NLM_F_ACK_TLVS),
	   "a key the kernel refuses: EINVAL, no text (the kernel logs it)");
	ok(add_flow(c1, rx, NLM_F_CREATE, "in_port(1),eth(),eth_type(0x0800),"
		    "ipv4(frag=no)", "ct(commit),1") == -EOPNOTSUPP &&
	   (m = first_of(rx, NLMSG_ERROR)) && ack_tlv(m, NLMSGERR_ATTR_MSG),
	   "ct(): EOPNOTSUPP, with text (the kernel would take it)");

	ok(dp_stat(c1, rx, 0) == 2, "2 flows");
	start(&b, id_flow, NLM_F_ACK, OVS_FLOW_CMD_DEL, dp_ifindex);
	ok(transact(c1, &b, rx) == 0 && dp_stat(c1, rx, 0) == 0,
	   "DEL without key or ufid flushes");
	buf_free(&b);
	buf_free(&t);
}

static void test_dump(struct cl *c1, struct cl *c2, struct rx *rx)
{
	struct buf b = BUF_INIT;
	char key[128];
	unsigned i, n = 2000, bad = 0;
	int e;

	for (i = 0; i < n && !bad; i++) {
		snprintf(key, sizeof key, "in_port(1),eth(),eth_type(0x0800),"
			 "ipv4(src=10.%u.%u.1,frag=no)", i >> 8, i & 255);
		bad += add_flow(c1, rx, NLM_F_CREATE, key, "5") != 0;
	}
	ok(!bad && dp_stat(c1, rx, 0) == n, "%u flows added", n);
	start(&b, id_flow, NLM_F_DUMP, OVS_FLOW_CMD_GET, dp_ifindex);
	e = transact(c1, &b, rx);
	ok(e == 0 && count_of(rx, id_flow) == n && rx->n_dgrams > 10 &&
	   rx->max_dgram <= 32768, "the dump: %u flows in %u datagrams of at "
	   "most %zu bytes", count_of(rx, id_flow), rx->n_dgrams,
	   rx->max_dgram);

	/* A second dump while one runs on the same socket: EBUSY. */
	rx_reset(rx);
	send_req(c2, &b);
	pump(1);
	send_req(c2, &b);
	pump(1);
	rx_drain(c2, rx);
	ok(first_of(rx, NLMSG_ERROR) &&
	   ((const struct nlmsgerr *)NLMSG_DATA(first_of(rx, NLMSG_ERROR)))->error
	   == -EBUSY, "a second dump on a busy socket: EBUSY");
	pump(200);
	rx_drain(c2, rx);
	ok(count_of(rx, NLMSG_DONE) == 1, "the first dump still ends");
	buf_free(&b);
}

static void test_packets(struct cl *c1, struct cl *c2, struct rx *rx)
{
	struct buf b = BUF_INIT, t = BUF_INIT;
	struct dp_port_info pi;
	struct dp *dp = dpserv_datapath(srv, "ut0");
	const struct nlmsghdr *m;
	const struct nlattr *a;
	uint8_t f[256];
	size_t n = build_ipv4(f, 17, "10.1.1.1", "10.1.1.2", 1, 2, 17);
	uint64_t lost;

	start(&b, id_flow, NLM_F_ACK, OVS_FLOW_CMD_DEL, dp_ifindex);
	transact(c1, &b, rx);
	rx_reset(rx);
	dp_port_get(dp, 1, &pi);
	netdev_dummy_inject(pi.netdev, f, (uint32_t)n);
	pump(3);
	rx_drain(c1, rx);
	m = first_of(rx, id_packet);
	ok(m && ((const struct genlmsghdr *)NLMSG_DATA(m))->cmd ==
	   OVS_PACKET_CMD_MISS && m->nlmsg_seq == 0 && m->nlmsg_pid == 0 &&
	   !strcmp(order_of(m, 4), "2,11,1") &&
	   (a = attr_of(m, 4, OVS_PACKET_ATTR_PACKET)) && na_len(a) == n &&
	   !memcmp(na_data(a), f, n) && m->nlmsg_len % 4 != 0,
	   "a miss upcall: KEY, HASH, PACKET, unpadded (OVS_DP_F_UNALIGNED)");

	/* The port's pid names nobody now: lost. */
	lost = dp_stat(c1, rx, 2);
	start(&b, id_vport, 0, OVS_VPORT_CMD_SET, dp_ifindex);
	na_put_u32(&b, OVS_VPORT_ATTR_PORT_NO, 1);
	na_put_u32(&b, OVS_VPORT_ATTR_UPCALL_PID, 77777);
	transact(c1, &b, rx);
	netdev_dummy_inject(pi.netdev, f, (uint32_t)n);
	pump(3);
	ok(dp_stat(c1, rx, 2) == lost + 1, "an upcall to an unknown portid is lost");

	start(&b, id_packet, NLM_F_ACK, OVS_PACKET_CMD_EXECUTE, dp_ifindex);
	na_put(&b, OVS_PACKET_ATTR_PACKET, f, n);
	buf_clear(&t);
	odp_key_from_text("in_port(1)", 10, &t, NULL, NULL, NULL);
	na_put(&b, OVS_PACKET_ATTR_KEY, t.data, t.len);
	buf_clear(&t);
	odp_actions_from_text("5", 1, &t, NULL, NULL);
	na_put(&b, OVS_PACKET_ATTR_ACTIONS, t.data, t.len);
	dp_port_get(dp, 5, &pi);
	{
		uint64_t before = pi.stats.tx_packets;

		ok(transact(c2, &b, rx) == -EPERM && transact(c1, &b, rx) == 0 &&
		   dp_port_get(dp, 5, &pi) == 0 && pi.stats.tx_packets == before + 1,
		   "PACKET_CMD_EXECUTE: EPERM unprivileged, else out of port 5");
	}
	start(&b, id_packet, 0, OVS_PACKET_CMD_EXECUTE, dp_ifindex);
	na_put(&b, OVS_PACKET_ATTR_PACKET, f, 10);
	na_put(&b, OVS_PACKET_ATTR_KEY, NULL, 0);
	na_put(&b, OVS_PACKET_ATTR_ACTIONS, NULL, 0);
	ok(transact(c1, &b, rx) == -ERANGE, "a packet shorter than Ethernet: ERANGE");
	buf_free(&b);
	buf_free(&t);
}

static void test_notify(struct cl *c1, struct cl *c2, struct rx *rx)
{
	struct buf b = BUF_INIT;
	const struct nlmsghdr *m;

	start(&b, id_sockopt, NLM_F_ACK, NL_SOCKOPT_CMD_SET, 0);
	na_put_u32(&b, NL_SOCKOPT_ATTR_OPT, NETLINK_ADD_MEMBERSHIP);
	na_put_u32(&b, NL_SOCKOPT_ATTR_VALUE, 99);
	ok(transact(c2, &b, rx) == -EINVAL, "joining a group that does not "
	   "exist: EINVAL");
	start(&b, id_sockopt, NLM_F_ACK, NL_SOCKOPT_CMD_SET, 0);
	na_put_u32(&b, NL_SOCKOPT_ATTR_OPT, NETLINK_ADD_MEMBERSHIP);
	na_put_u32(&b, NL_SOCKOPT_ATTR_VALUE, 3);     /* ovs_flow */
	ok(transact(c2, &b, rx) == 0, "an unprivileged client joins ovs_flow");
	rx_reset(rx);
	ok(add_flow(c1, rx, NLM_F_CREATE, "in_port(1),eth()", "drop") == 0 &&
	   count_of(rx, id_flow) == 0, "the requester gets only the ack");
	pump(2);
	rx_reset(rx);
	rx_drain(c2, rx);
	ok((m = first_of(rx, id_flow)) && m->nlmsg_pid == c1->portid &&
	   ((const struct genlmsghdr *)NLMSG_DATA(m))->cmd == OVS_FLOW_CMD_NEW,
	   "a group member gets OVS_FLOW_CMD_NEW");

	start(&b, id_sockopt, 0, NL_SOCKOPT_CMD_SET, 0);
	na_put_u32(&b, NL_SOCKOPT_ATTR_OPT, NETLINK_CAP_ACK);
	na_put_u32(&b, NL_SOCKOPT_ATTR_VALUE, 0);
	transact(c2, &b, rx);
	start(&b, id_dp, 0, OVS_DP_CMD_GET, 0);
	na_put_str(&b, OVS_DP_ATTR_NAME, "nope");
	ok(transact(c2, &b, rx) == -ENODEV && (m = first_of(rx, NLMSG_ERROR)) &&
	   !(m->nlmsg_flags & NLM_F_CAPPED) &&
	   m->nlmsg_len >= NLMSG_HDRLEN + sizeof(struct nlmsgerr) + b.len -
	   NLMSG_HDRLEN, "NETLINK_CAP_ACK off: the request is echoed");
	buf_free(&b);
}

static void test_garbage(struct cl *c1, struct rx *rx)
{
	uint8_t g[64];
	struct buf b = BUF_INIT;
	struct nlmsghdr *h;
	int i;

	memset(g, 0xa5, sizeof g);
	rx_reset(rx);
	send(c1->fd, g, 7, 0);
	pump(2);
	rx_drain(c1, rx);
	ok(first_of(rx, NLMSG_ERROR), "7 bytes of garbage: an error reply");
	h = (void *)g;
	h->nlmsg_len = 5000;
	rx_reset(rx);
	send(c1->fd, g, sizeof g, 0);
	pump(2);
	rx_drain(c1, rx);
	ok(first_of(rx, NLMSG_ERROR) &&
	   ((const struct nlmsgerr *)NLMSG_DATA(first_of(rx, NLMSG_ERROR)))->error
	   == -EINVAL, "nlmsg_len past the datagram: EINVAL");
	start(&b, 0x7777, 0, 1, 0);
	ok(transact(c1, &b, rx) == -ENOENT, "unknown family id: ENOENT");
	start(&b, id_flow, 0, 99, dp_ifindex);
	ok(transact(c1, &b, rx) == -EOPNOTSUPP, "unknown command: EOPNOTSUPP");
	start(&b, id_flow, NLM_F_DUMP, OVS_FLOW_CMD_DEL, dp_ifindex);
	ok(transact(c1, &b, rx) == -EOPNOTSUPP, "dump of a doit-only command");
	start(&b, id_flow, 0, OVS_FLOW_CMD_GET, 0);
	buf_truncate(&b, NLMSG_HDRLEN + GENL_HDRLEN + 2);
	ok(transact(c1, &b, rx) == -EINVAL, "no room for the ovs_header: EINVAL");
	for (i = 0; i < 200; i++) {
		size_t k;

		start(&b, (uint16_t)(i % 2 ? id_flow : id_vport), 0,
		      (uint8_t)(i % 5), dp_ifindex);
		for (k = 0; k < (size_t)(i % 40); k++)
			buf_putc(&b, (char)(i * 31 + k * 7));
		transact(c1, &b, rx);
	}
	start(&b, id_dp, 0, OVS_DP_CMD_GET, dp_ifindex);
	ok(transact(c1, &b, rx) == 1, "still answering after 200 random requests");
	buf_free(&b);
}

int main(void)
{
	struct dpserv_config cfg = { .dummy_ports = true, .busy_poll = true,
				     .sock_gid = -1 };
	struct dp_err err;
	struct rx rx;
	struct cl c1, c2;

	memset(&rx, 0, sizeof rx);
	ok(dpserv_create(&srv, &cfg, &err) == 0, "server");
	cl_new(&c1, true);
	cl_new(&c2, false);
	test_basics(&c1, &c2, &rx);
	test_datapath(&c1, &c2, &rx);
	test_vports(&c1, &rx);
	test_flows(&c1, &rx);
	test_dump(&c1, &c2, &rx);
	test_packets(&c1, &c2, &rx);
	test_notify(&c1, &c2, &rx);
	test_garbage(&c1, &rx);
	dpserv_destroy(srv);
	close(c1.fd);
	close(c2.fd);
	free(rx.buf);
	return done();
}

/*
 * dpserv_kdiff - one script of openvswitch netlink requests, and a
 * normalized transcript of every answer, to compare dpd with the Linux
 * openvswitch module byte for byte (tests/kernel/dpserv_kdiff.sh runs it
 * against both and diffs the transcripts).
 *
 *   dpserv_kdiff kernel          generic netlink (openvswitch.ko loaded)
 *   dpserv_kdiff unix PATH       dpd's socket
 *
 * The script: datapath NEW/GET/SET/dump/DEL, vports (internal, and netdev
 * on a veth it creates through rtnetlink) NEW/GET/SET/dump/DEL, flows
 * NEW/GET/SET/DEL/dump by key and by ufid, with NLM_F_ECHO and ufid
 * flags, the kernel's overlap rules, packet execute, and a range of
 * refusals (policy, missing attributes, unknown commands, wrong numbers).
 * Each answer is printed whole, attribute by attribute in hex, except
 * what cannot match between two hosts: interface indexes and the
 * datapath's dp_ifindex, port ids, sequence numbers (printed relative
 * to the request), and statistics (printed as their length); the
 * messages of a flow dump are printed sorted, as the kernel's order is
 * its hash table's.  Both sides
 * set NETLINK_EXT_ACK and NETLINK_CAP_ACK, as dpd starts with them.
 */
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/openvswitch.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "buf.h"
#include "nlattr.h"
#include "odp_text.h"

static int fd;
static uint32_t seq = 100, portid;
static int dpidx;
static uint16_t f_dp, f_vport, f_flow, f_packet;

/* --- transport -------------------------------------------------------- */

static void open_kernel(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	socklen_t len = sizeof sa;
	int one = 1;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) < 0) {
		perror("netlink");
		exit(2);
	}
	portid = sa.nl_pid;
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
}

static void open_unix(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof sun) < 0) {
		perror(path);
		exit(2);
	}
}

/* --- printing ---------------------------------------------------------- */

static FILE *out;               /* stdout, or a dump line being kept */

static const char *fam_name(uint16_t t)
{
	if (t == NLMSG_ERROR) return "ERROR";
	if (t == NLMSG_DONE) return "DONE";
	if (t == GENL_ID_CTRL) return "ctrl";
	if (t == f_dp) return "dp";
	if (t == f_vport) return "vport";
	if (t == f_flow) return "flow";
	if (t == f_packet) return "packet";
	return "?";
}

static void hex(const void *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(out, "%02x", ((const uint8_t *)p)[i]);
}

static void print_u32_norm(const struct nlattr *a)
{
	uint32_t v;

	if (na_len(a) != 4) {
		hex(na_data(a), na_len(a));
		return;
	}
	v = na_get_u32(a);
	if (portid && v == portid)
		fprintf(out, "<portid>");
	else
		hex(&v, 4);
}

/* Which attributes of which family carry values that differ per host. */
static void print_attrs(uint16_t fam, const void *p, size_t len)
{
	const struct nlattr *a;
	size_t rem;

	NA_FOR_EACH(a, p, len, rem) {
		uint16_t t = na_type(a);

		fprintf(out, " %u%s:%zu=", t, a->nla_type & NLA_F_NESTED ? "N" : "",
		       na_len(a));
		if ((fam == f_dp && (t == OVS_DP_ATTR_STATS ||
				     t == OVS_DP_ATTR_MEGAFLOW_STATS)) ||
		    (fam == f_vport && t == OVS_VPORT_ATTR_STATS) ||
		    (fam == f_flow && (t == OVS_FLOW_ATTR_USED ||
				       t == OVS_FLOW_ATTR_STATS)) ||
		    (fam == f_packet && t == OVS_PACKET_ATTR_HASH))
			fprintf(out, "<stats>");
		else if (fam == f_vport && t == OVS_VPORT_ATTR_IFINDEX)
			fprintf(out, "<ifindex>");
		else if ((fam == f_vport && t == OVS_VPORT_ATTR_UPCALL_PID) ||
			 (fam == f_dp && t == OVS_DP_ATTR_PER_CPU_PIDS))
			print_u32_norm(a);
		else
			hex(na_data(a), na_len(a));
	}
	if (rem)
		fprintf(out, " +%zu trailing", rem);
}

static void print_msg(const struct nlmsghdr *m, uint32_t req_seq)
{
	fprintf(out, "  %s len=%u flags=%x seq=%+d pid=%s", fam_name(m->nlmsg_type),
	       m->nlmsg_len, m->nlmsg_flags, (int)(m->nlmsg_seq - req_seq),
	       m->nlmsg_pid == portid || (!portid && m->nlmsg_pid) ? "<portid>"
	       : m->nlmsg_pid ? "?" : "0");
	if (m->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(m);
		size_t off = NLMSG_HDRLEN + sizeof *e;

		fprintf(out, " error=%d req_len=%u", e->error, e->msg.nlmsg_len);
		if (m->nlmsg_len > off) {
			const struct nlattr *a;
			size_t rem;

			fprintf(out, " tlvs:");
			NA_FOR_EACH(a, (const uint8_t *)m + off, m->nlmsg_len - off, rem) {
				fprintf(out, " %u%s=", na_type(a),
				       a->nla_type & NLA_F_NESTED ? "N" : "");
				if (na_type(a) == NLMSGERR_ATTR_MSG)
					fprintf(out, "\"%.*s\"", (int)strnlen(na_data(a), na_len(a)),
					       (const char *)na_data(a));
				else
					hex(na_data(a), na_len(a));
			}
		}
	} else if (m->nlmsg_type == NLMSG_DONE) {
		if (m->nlmsg_len >= NLMSG_HDRLEN + 4)
			fprintf(out, " error=%d", *(const int *)NLMSG_DATA(m));
	} else if (m->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN) {
		const struct genlmsghdr *g = NLMSG_DATA(m);
		size_t h = NLMSG_HDRLEN + GENL_HDRLEN;

		fprintf(out, " cmd=%u ver=%u", g->cmd, g->version);
		if (m->nlmsg_type != GENL_ID_CTRL && m->nlmsg_len >= h + 4) {
			int i;

			memcpy(&i, (const uint8_t *)m + h, 4);
			fprintf(out, " dp_ifindex=%s", i == dpidx ? "<dp>" : i ? "?" : "0");
			h += 4;
		}
		if (m->nlmsg_type != GENL_ID_CTRL)
			print_attrs(m->nlmsg_type, (const uint8_t *)m + h,
				    m->nlmsg_len - h);
	}
	fprintf(out, "\n");
}

/* --- requests ------------------------------------------------------------ */

struct req {
	struct buf b;
	uint16_t fam;
};

static void start(struct req *r, uint16_t fam, uint16_t flags, uint8_t cmd,
		  int ifindex)
{
	struct nlmsghdr h = { .nlmsg_type = fam,
			      .nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags) };
	struct genlmsghdr g = { .cmd = cmd, .version = fam == f_dp ? 2 : 1 };

	buf_clear(&r->b);
	r->fam = fam;
	buf_put(&r->b, &h, sizeof h);
	buf_put(&r->b, &g, sizeof g);
	if (fam != GENL_ID_CTRL)
		buf_put(&r->b, &ifindex, sizeof ifindex);
}

/* The lines of a dump, sorted before they are printed. */
static char *lines[256];
static size_t n_lines;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void print_or_keep(const struct nlmsghdr *m, uint32_t s, bool keep)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (!keep || n_lines == 256) {
		print_msg(m, s);
		return;
	}
	f = open_memstream(&buf, &len);
	if (!f)
		return;
	out = f;
	print_msg(m, s);
	out = stdout;
	fclose(f);
	lines[n_lines++] = buf;
}

static void flush_lines(void)
{
	size_t i;

	qsort(lines, n_lines, sizeof *lines, cmp_str);
	for (i = 0; i < n_lines; i++) {
		fputs(lines[i], stdout);
		free(lines[i]);
	}
	n_lines = 0;
}

/* Send, print every answer until the ack, error or NLMSG_DONE.  Returns
 * the error (0, or negative). */
static int transact(struct req *r, const char *what)
{
	static uint8_t rx[1 << 17];
	struct nlmsghdr *h = (void *)r->b.data;
	uint32_t s = ++seq;
	int err = 1;

	h->nlmsg_len = (uint32_t)r->b.len;
	h->nlmsg_seq = s;
	printf("== %s\n", what);
	if (send(fd, r->b.data, r->b.len, 0) < 0) {
		printf("  send: %s\n", strerror(errno));
		return -errno;
	}
	while (err == 1) {
		ssize_t n = recv(fd, rx, sizeof rx, 0);
		const struct nlmsghdr *m = (const void *)rx;
		int left = (int)n;

		if (n <= 0) {
			printf("  recv: %s\n", n < 0 ? strerror(errno) : "closed");
			return -EIO;
		}
		for (; NLMSG_OK(m, left); m = NLMSG_NEXT(m, left)) {
			if (m->nlmsg_seq != s)
				continue;
			if (m->nlmsg_type == NLMSG_DONE)
				flush_lines();
			print_or_keep(m, s, (m->nlmsg_flags & NLM_F_MULTI) &&
				      m->nlmsg_type == f_flow);
			if (m->nlmsg_type == NLMSG_ERROR)
				err = ((const struct nlmsgerr *)NLMSG_DATA(m))->error;
			else if (m->nlmsg_type == NLMSG_DONE)
				err = 0;
			else if (!(h->nlmsg_flags & NLM_F_ACK) &&
				 !(m->nlmsg_flags & NLM_F_MULTI))
				err = 0;
		}
	}
	return err;
}

static uint16_t family(const char *name)
{
	static uint8_t rx[8192];
	struct req r = { BUF_INIT, 0 };
	const struct nlattr *a;
	ssize_t n;
	uint16_t id = 0;

	start(&r, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 0);
	na_put_str(&r.b, CTRL_ATTR_FAMILY_NAME, name);
	((struct nlmsghdr *)(void *)r.b.data)->nlmsg_len = (uint32_t)r.b.len;
	((struct nlmsghdr *)(void *)r.b.data)->nlmsg_seq = ++seq;
	if (send(fd, r.b.data, r.b.len, 0) < 0 ||
	    (n = recv(fd, rx, sizeof rx, 0)) <= 0)
		exit(2);
	if (((struct nlmsghdr *)(void *)rx)->nlmsg_type == GENL_ID_CTRL) {
		const struct nlmsghdr *m = (const void *)rx;

		if (!portid)
			portid = m->nlmsg_pid;
		a = na_find(rx + NLMSG_HDRLEN + GENL_HDRLEN,
			    m->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN,
			    CTRL_ATTR_FAMILY_ID);
		if (a)
			id = na_get_u16(a);
	}
	buf_free(&r.b);
	if (!id) {
		fprintf(stderr, "dpserv_kdiff: no family %s\n", name);
		exit(2);
	}
	return id;
}

/* A veth pair through rtnetlink (in the namespace of the datapath). */
static void make_veth(const char *a, const char *b)
{
	struct buf m = BUF_INIT;
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct nlmsghdr h = { .nlmsg_type = RTM_NEWLINK,
			      .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK |
					     NLM_F_CREATE | NLM_F_EXCL };
	size_t li, data, peer;
	uint8_t rx[4096];
	int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	buf_put(&m, &h, sizeof h);
	buf_put(&m, &ifi, sizeof ifi);
	na_put_str(&m, IFLA_IFNAME, a);
	li = na_nest_start(&m, IFLA_LINKINFO);
	na_put_str(&m, IFLA_INFO_KIND, "veth");
	data = na_nest_start(&m, IFLA_INFO_DATA);
	peer = na_nest_start(&m, VETH_INFO_PEER);
	buf_put(&m, &ifi, sizeof ifi);
	na_put_str(&m, IFLA_IFNAME, b);
	na_nest_end(&m, peer);
	na_nest_end(&m, data);
	na_nest_end(&m, li);
	((struct nlmsghdr *)(void *)m.data)->nlmsg_len = (uint32_t)m.len;
	if (s < 0 || send(s, m.data, m.len, 0) < 0 || recv(s, rx, sizeof rx, 0) < 0)
		perror("veth");
	close(s);
	buf_free(&m);
}

static void put_text_key(struct buf *b, uint16_t type, const char *text,
			 uint16_t mask_type)
{
	struct buf k = BUF_INIT, mk = BUF_INIT;

	if (odp_key_from_text(text, strlen(text), &k, &mk, NULL, NULL) < 0) {
		fprintf(stderr, "dpserv_kdiff: bad key %s\n", text);
		exit(2);
	}
	na_put(b, type, k.data, k.len);
	if (mask_type)
		na_put(b, mask_type, mk.data, mk.len);
	buf_free(&k);
	buf_free(&mk);
}

static void put_text_actions(struct buf *b, uint16_t type, const char *text)
{
	struct buf a = BUF_INIT;

	if (odp_actions_from_text(text, strlen(text), &a, NULL, NULL) < 0) {
		fprintf(stderr, "dpserv_kdiff: bad actions %s\n", text);
		exit(2);
	}
	na_put(b, type, a.data, a.len);
	buf_free(&a);
}

static const uint8_t ufid1[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
				   14, 15, 16 };

static void flow(struct req *r, uint16_t flags, uint8_t cmd, const char *key,
		 bool mask, const char *acts, bool ufid, uint32_t ufid_flags,
		 const char *what)
{
	start(r, f_flow, flags, cmd, dpidx);
	if (key)
		put_text_key(&r->b, OVS_FLOW_ATTR_KEY, key,
			     mask ? OVS_FLOW_ATTR_MASK : 0);
	if (acts)
		put_text_actions(&r->b, OVS_FLOW_ATTR_ACTIONS, acts);
	if (ufid)
		na_put(&r->b, OVS_FLOW_ATTR_UFID, ufid1, 16);
	if (ufid_flags)
		na_put_u32(&r->b, OVS_FLOW_ATTR_UFID_FLAGS, ufid_flags);
	transact(r, what);
}

static void script_dp(struct req *r)
{
	start(r, f_dp, NLM_F_ACK | NLM_F_ECHO, OVS_DP_CMD_NEW, 0);
	na_put_str(&r->b, OVS_DP_ATTR_NAME, "kd0");
	na_put_u32(&r->b, OVS_DP_ATTR_UPCALL_PID, 0);
	na_put_u32(&r->b, OVS_DP_ATTR_USER_FEATURES,
		   OVS_DP_F_UNALIGNED | OVS_DP_F_VPORT_PIDS);
	{
		/* Learn dp_ifindex from the reply before printing it. */
		struct nlmsghdr *h = (void *)r->b.data;
		uint8_t rx[4096];
		ssize_t n;

		h->nlmsg_len = (uint32_t)r->b.len;
		h->nlmsg_seq = ++seq;
		printf("== dp new kd0, echo\n");
		if (send(fd, r->b.data, r->b.len, 0) < 0 ||
		    (n = recv(fd, rx, sizeof rx, 0)) <= 0)
			exit(2);
		h = (void *)rx;
		if (h->nlmsg_type == f_dp)
			memcpy(&dpidx, rx + NLMSG_HDRLEN + GENL_HDRLEN, 4);
		print_msg(h, seq);
		if (h->nlmsg_type == f_dp && (n = recv(fd, rx, sizeof rx, 0)) > 0)
			print_msg((void *)rx, seq);
	}
	start(r, f_dp, NLM_F_ACK | NLM_F_ECHO, OVS_DP_CMD_NEW, 0);
	na_put_str(&r->b, OVS_DP_ATTR_NAME, "kd0");
	na_put_u32(&r->b, OVS_DP_ATTR_UPCALL_PID, 0);
	transact(r, "dp new kd0 again");
	start(r, f_dp, NLM_F_ACK, OVS_DP_CMD_NEW, 0);
	na_put_str(&r->b, OVS_DP_ATTR_NAME, "kd9");
	transact(r, "dp new without upcall pid");
	start(r, f_dp, 0, OVS_DP_CMD_GET, 0);
	na_put_str(&r->b, OVS_DP_ATTR_NAME, "kd0");
	transact(r, "dp get by name");
	start(r, f_dp, 0, OVS_DP_CMD_GET, dpidx);
	transact(r, "dp get by dp_ifindex");
	start(r, f_dp, 0, OVS_DP_CMD_GET, 0);
	na_put_str(&r->b, OVS_DP_ATTR_NAME, "nope");
	transact(r, "dp get unknown");
	start(r, f_dp, NLM_F_ACK | NLM_F_ECHO, OVS_DP_CMD_SET, dpidx);
	na_put_u32(&r->b, OVS_DP_ATTR_USER_FEATURES, OVS_DP_F_UNALIGNED |
		   OVS_DP_F_VPORT_PIDS);
	na_put_u32(&r->b, OVS_DP_ATTR_MASKS_CACHE_SIZE, 128);
	transact(r, "dp set features, masks cache 128, echo");
	start(r, f_dp, NLM_F_ACK, OVS_DP_CMD_SET, dpidx);
	na_put_u32(&r->b, OVS_DP_ATTR_USER_FEATURES, OVS_DP_F_VPORT_PIDS |
		   OVS_DP_F_UNALIGNED);
	na_put_u32(&r->b, OVS_DP_ATTR_MASKS_CACHE_SIZE, 100);
	transact(r, "dp set masks cache 100");
	start(r, f_dp, NLM_F_ACK, OVS_DP_CMD_SET, dpidx);
	na_put_u32(&r->b, OVS_DP_ATTR_MASKS_CACHE_SIZE, 8192);
	transact(r, "dp set masks cache 8192");
	start(r, f_dp, NLM_F_ACK, OVS_DP_CMD_SET, dpidx);
	na_put_u32(&r->b, OVS_DP_ATTR_USER_FEATURES, 1u << 30);
	transact(r, "dp set unknown feature");
	start(r, f_dp, 0, OVS_DP_CMD_GET, 0);
	na_put_u16(&r->b, OVS_DP_ATTR_UPCALL_PID, 1);
	na_put_str(&r->b, OVS_DP_ATTR_NAME, "kd0");
	transact(r, "dp get with a short u32");
	start(r, f_dp, 0, OVS_DP_CMD_GET, 0);
	na_put(&r->b, OVS_DP_ATTR_NAME, "0123456789abcdef", 16);
	transact(r, "dp get with a name without NUL");
	start(r, f_dp, 0, OVS_DP_CMD_GET, 0);
	na_put_str(&r->b, OVS_DP_ATTR_NAME, "0123456789abcdef");
	transact(r, "dp get with a name too long");
	start(r, f_dp, NLM_F_ACK, OVS_DP_CMD_SET, dpidx);
	na_put_u32(&r->b, OVS_DP_ATTR_USER_FEATURES, OVS_DP_F_VPORT_PIDS |
		   OVS_DP_F_UNALIGNED);
	transact(r, "dp set features back");
	start(r, f_dp, NLM_F_ACK, 77, dpidx);
	transact(r, "dp unknown command");
	start(r, f_dp, NLM_F_DUMP, OVS_DP_CMD_DEL, dpidx);
	transact(r, "dp dump of DEL");
}

/* OVS_VPORT_CMD_NEW; a type, name or port number of 0 (NULL) is left
 * out, as are pids if pids_len is 0. */
static void vport_new(struct req *r, uint16_t flags, uint32_t type,
		      const char *name, uint32_t port_no, const void *pids,
		      size_t pids_len, const char *what)
{
	start(r, f_vport, flags, OVS_VPORT_CMD_NEW, dpidx);
	if (type)
		na_put_u32(&r->b, OVS_VPORT_ATTR_TYPE, type);
	if (name)
		na_put_str(&r->b, OVS_VPORT_ATTR_NAME, name);
	if (port_no)
		na_put_u32(&r->b, OVS_VPORT_ATTR_PORT_NO, port_no);
	if (pids_len)
		na_put(&r->b, OVS_VPORT_ATTR_UPCALL_PID, pids, pids_len);
	transact(r, what);
}

static void script_vport(struct req *r)
{
	uint32_t pid = portid, pids[64];
	int i;

	for (i = 0; i < 64; i++)
		pids[i] = (uint32_t)i + 7;

	vport_new(r, NLM_F_ACK | NLM_F_ECHO, OVS_VPORT_TYPE_INTERNAL, "kdi",
		  0, &pid, 4, "vport new internal kdi, echo");
	make_veth("kdv0", "kdv1");
	vport_new(r, NLM_F_ACK | NLM_F_ECHO, OVS_VPORT_TYPE_NETDEV, "kdv0",
		  5, pids, sizeof pids,
		  "vport new netdev kdv0 as port 5, 64 pids (more than CPUs)");
	vport_new(r, NLM_F_ACK | NLM_F_ECHO, OVS_VPORT_TYPE_NETDEV, "kdv0",
		  5, pids, 4, "vport new netdev kdv0 as port 5, echo");
	vport_new(r, NLM_F_ACK, OVS_VPORT_TYPE_NETDEV, "kdv1",
		  5, &pid, 4, "vport new on a taken number");
	vport_new(r, NLM_F_ACK, OVS_VPORT_TYPE_NETDEV, "kdv0",
		  0, &pid, 4, "vport new of a device already a port");
	vport_new(r, NLM_F_ACK, OVS_VPORT_TYPE_NETDEV, "kdnope",
		  0, &pid, 4, "vport new of a missing device");
	vport_new(r, NLM_F_ACK, OVS_VPORT_TYPE_NETDEV, "kdi",
		  0, &pid, 4, "vport new netdev of an internal port");
	vport_new(r, NLM_F_ACK, OVS_VPORT_TYPE_NETDEV, "lo",
		  0, &pid, 4, "vport new of lo");
	vport_new(r, NLM_F_ACK, OVS_VPORT_TYPE_INTERNAL, "kdv1",
		  0, &pid, 4, "vport new internal with an existing device's name");
	vport_new(r, NLM_F_ACK, OVS_VPORT_TYPE_INTERNAL, "kdx",
		  0, &pid, 2, "vport new with a 2-byte upcall pid");
	vport_new(r, NLM_F_ACK, 99, "kdx",
		  0, &pid, 4, "vport new of type 99");
	vport_new(r, NLM_F_ACK, 0, "kdx",
		  0, &pid, 4, "vport new without a type");
	vport_new(r, NLM_F_ACK, OVS_VPORT_TYPE_INTERNAL, "kdx",
		  65536, &pid, 4, "vport new as port 65536");
	start(r, f_vport, 0, OVS_VPORT_CMD_GET, dpidx);
	na_put_str(&r->b, OVS_VPORT_ATTR_NAME, "kdv0");
	transact(r, "vport get by name");
	start(r, f_vport, 0, OVS_VPORT_CMD_GET, 0);
	na_put_str(&r->b, OVS_VPORT_ATTR_NAME, "kdv0");
	transact(r, "vport get by name, dp_ifindex 0");
	start(r, f_vport, 0, OVS_VPORT_CMD_GET, dpidx);
	na_put_u32(&r->b, OVS_VPORT_ATTR_PORT_NO, 0);
	transact(r, "vport get port 0");
	start(r, f_vport, 0, OVS_VPORT_CMD_GET, dpidx);
	na_put_u32(&r->b, OVS_VPORT_ATTR_PORT_NO, 9);
	transact(r, "vport get a missing port");
	start(r, f_vport, 0, OVS_VPORT_CMD_GET, dpidx);
	transact(r, "vport get without name or number");
	start(r, f_vport, NLM_F_DUMP, OVS_VPORT_CMD_GET, dpidx);
	transact(r, "vport dump");
	start(r, f_vport, NLM_F_DUMP, OVS_VPORT_CMD_GET, 12345);
	transact(r, "vport dump of a missing datapath");
	start(r, f_vport, NLM_F_ACK | NLM_F_ECHO, OVS_VPORT_CMD_SET, dpidx);
	na_put_str(&r->b, OVS_VPORT_ATTR_NAME, "kdi");
	na_put(&r->b, OVS_VPORT_ATTR_UPCALL_PID, pids + 1, 4);
	transact(r, "vport set pid, echo");
	start(r, f_vport, NLM_F_ACK, OVS_VPORT_CMD_SET, dpidx);
	na_put_str(&r->b, OVS_VPORT_ATTR_NAME, "kdi");
	na_put_u32(&r->b, OVS_VPORT_ATTR_TYPE, OVS_VPORT_TYPE_NETDEV);
	transact(r, "vport set another type");
	start(r, f_vport, NLM_F_ACK, OVS_VPORT_CMD_DEL, dpidx);
	na_put_u32(&r->b, OVS_VPORT_ATTR_PORT_NO, 0);
	transact(r, "vport del port 0");
}

static void script_flows(struct req *r)
{
	static const char arp1[] = "in_port(1),eth(),eth_type(0x0806),arp()";
	static const char ip5[] = "in_port(5),"
		"eth(src=00:01:02:03:04:05/ff:ff:ff:00:00:00),eth_type(0x0800),"
		"ipv4(src=10.0.0.7/255.255.255.0,frag=no)";
	static const char tcp[] = "in_port(5),skb_mark(0x5/0xff),eth(),"
		"eth_type(0x0800),ipv4(proto=6,frag=no),tcp(src=1024/0xfc00)";

	flow(r, NLM_F_ACK | NLM_F_CREATE | NLM_F_ECHO, OVS_FLOW_CMD_NEW, arp1,
	     true, "5", false, 0, "flow new arp, echo");
	flow(r, NLM_F_ACK | NLM_F_CREATE, OVS_FLOW_CMD_NEW, arp1, true, "5",
	     false, 0, "flow new arp again");
	flow(r, NLM_F_ACK | NLM_F_CREATE, OVS_FLOW_CMD_NEW,
	     "in_port(1),eth(),eth_type(0x0806),arp(op=1)", true, "5", false, 0,
	     "flow new, matched by the first");
	flow(r, NLM_F_ACK, OVS_FLOW_CMD_NEW,
	     "in_port(1),eth(),eth_type(0x0806),arp(op=1)", true, "5", false, 0,
	     "flow new, matched by the first, no flags");
	flow(r, NLM_F_ACK | NLM_F_ECHO, OVS_FLOW_CMD_NEW, arp1, true,
	     "set(eth(src=00:11:22:33:44:55)),5", false, 0,
	     "flow new arp without flags: modify, echo");
	flow(r, NLM_F_ACK | NLM_F_CREATE | NLM_F_ECHO, OVS_FLOW_CMD_NEW, ip5,
	     true, "push_vlan(vid=10,pcp=3),1,pop_vlan,5", true, 0,
	     "flow new with ufid, echo");
	flow(r, NLM_F_ACK | NLM_F_CREATE | NLM_F_ECHO, OVS_FLOW_CMD_NEW, tcp,
	     true, "set(tcp(dst=80)),trunc(100),userspace(pid=7,userdata(0102)),1",
	     false, OVS_UFID_F_OMIT_ACTIONS, "flow new tcp, echo, omit actions");
	flow(r, NLM_F_ACK | NLM_F_CREATE, OVS_FLOW_CMD_NEW,
	     "in_port(1),ipv4(src=1.2.3.4)", false, "1", false, 0,
	     "flow new with a key the kernel refuses");
	flow(r, NLM_F_ACK | NLM_F_CREATE, OVS_FLOW_CMD_NEW, ip5, true, NULL,
	     false, 0, "flow new without actions");
	flow(r, NLM_F_ACK | NLM_F_CREATE, OVS_FLOW_CMD_NEW, NULL, false, "1",
	     false, 0, "flow new without key");
	flow(r, NLM_F_ACK | NLM_F_CREATE, OVS_FLOW_CMD_NEW,
	     "in_port(1),eth(),eth_type(0x0806),arp(op=2)", true,
	     "set(ipv4(ttl=1)),1", false, 0, "flow new with unsafe actions");
	flow(r, 0, OVS_FLOW_CMD_GET, arp1, false, NULL, false, 0, "flow get arp");
	flow(r, 0, OVS_FLOW_CMD_GET, NULL, false, NULL, true, 0, "flow get ufid");
	flow(r, 0, OVS_FLOW_CMD_GET, NULL, false, NULL, true,
	     OVS_UFID_F_OMIT_KEY | OVS_UFID_F_OMIT_MASK,
	     "flow get ufid, omit key and mask");
	flow(r, 0, OVS_FLOW_CMD_GET, ip5, false, NULL, false, 0,
	     "flow get the ufid flow by key");
	flow(r, 0, OVS_FLOW_CMD_GET, NULL, false, NULL, false, 0,
	     "flow get without key or ufid");
	flow(r, NLM_F_ACK | NLM_F_ECHO, OVS_FLOW_CMD_SET, arp1, true, "1,5",
	     false, 0, "flow set arp actions, echo");
	flow(r, NLM_F_ACK, OVS_FLOW_CMD_SET, NULL, false, "1", true, 0,
	     "flow set actions by ufid alone");
	flow(r, NLM_F_ACK | NLM_F_ECHO, OVS_FLOW_CMD_SET, NULL, false, NULL,
	     true, 0, "flow set by ufid, no actions, echo");
	flow(r, NLM_F_ACK, OVS_FLOW_CMD_SET,
	     "in_port(9),eth(),eth_type(0x0806),arp()", true, "1", false, 0,
	     "flow set a missing flow");
	flow(r, NLM_F_DUMP, OVS_FLOW_CMD_GET, NULL, false, NULL, false, 0,
	     "flow dump");
	flow(r, NLM_F_DUMP, OVS_FLOW_CMD_GET, NULL, false, NULL, false,
	     OVS_UFID_F_OMIT_KEY | OVS_UFID_F_OMIT_MASK | OVS_UFID_F_OMIT_ACTIONS,
	     "flow dump, omit all");
	flow(r, NLM_F_ACK | NLM_F_ECHO, OVS_FLOW_CMD_DEL, arp1, false, NULL,
	     false, 0, "flow del arp, echo");
	flow(r, NLM_F_ACK, OVS_FLOW_CMD_DEL, arp1, false, NULL, false, 0,
	     "flow del arp again");
	flow(r, NLM_F_ACK | NLM_F_ECHO, OVS_FLOW_CMD_DEL, NULL, false, NULL,
	     true, 0, "flow del by ufid, echo");
	flow(r, NLM_F_ACK, OVS_FLOW_CMD_DEL, NULL, false, NULL, false, 0,
	     "flow del all");
	flow(r, NLM_F_DUMP, OVS_FLOW_CMD_GET, NULL, false, NULL, false, 0,
	     "flow dump, empty");
	start(r, f_flow, NLM_F_ACK, OVS_FLOW_CMD_GET, dpidx);
	na_put(&r->b, OVS_FLOW_ATTR_CLEAR, "x", 1);
	transact(r, "flow get with a flag carrying a byte");
	start(r, f_flow, NLM_F_DUMP, OVS_FLOW_CMD_GET, 777);
	transact(r, "flow dump of a missing datapath");
}

static void script_packet(struct req *r)
{
	static const uint8_t arp[42] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x06,
		0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, 10, 0, 0, 1,
		0, 0, 0, 0, 0, 0, 10, 0, 0, 2,
	};

	start(r, f_packet, NLM_F_ACK, OVS_PACKET_CMD_EXECUTE, dpidx);
	na_put(&r->b, OVS_PACKET_ATTR_PACKET, arp, sizeof arp);
	put_text_key(&r->b, OVS_PACKET_ATTR_KEY, "in_port(1)", 0);
	put_text_actions(&r->b, OVS_PACKET_ATTR_ACTIONS, "5");
	transact(r, "packet execute out of port 5");
	start(r, f_packet, NLM_F_ACK, OVS_PACKET_CMD_EXECUTE, dpidx);
	na_put(&r->b, OVS_PACKET_ATTR_PACKET, arp, 10);
	put_text_key(&r->b, OVS_PACKET_ATTR_KEY, "in_port(1)", 0);
	put_text_actions(&r->b, OVS_PACKET_ATTR_ACTIONS, "5");
	transact(r, "packet execute of 10 bytes");
	start(r, f_packet, NLM_F_ACK, OVS_PACKET_CMD_EXECUTE, dpidx);
	na_put(&r->b, OVS_PACKET_ATTR_PACKET, arp, sizeof arp);
	put_text_actions(&r->b, OVS_PACKET_ATTR_ACTIONS, "5");
	transact(r, "packet execute without key");
	start(r, f_packet, NLM_F_ACK, OVS_PACKET_CMD_EXECUTE, dpidx);
	na_put(&r->b, OVS_PACKET_ATTR_PACKET, arp, sizeof arp);
	put_text_key(&r->b, OVS_PACKET_ATTR_KEY, "in_port(1)", 0);
	put_text_actions(&r->b, OVS_PACKET_ATTR_ACTIONS, "set(ipv4(ttl=1)),5");
	transact(r, "packet execute with actions its packet does not allow");
	start(r, f_packet, NLM_F_ACK, OVS_PACKET_CMD_EXECUTE, 4242);
	na_put(&r->b, OVS_PACKET_ATTR_PACKET, arp, sizeof arp);
	put_text_key(&r->b, OVS_PACKET_ATTR_KEY, "in_port(1)", 0);
	put_text_actions(&r->b, OVS_PACKET_ATTR_ACTIONS, "5");
	transact(r, "packet execute on a missing datapath");
}

int main(int argc, char **argv)
{
	struct req r = { BUF_INIT, 0 };

	out = stdout;
	if (argc == 2 && !strcmp(argv[1], "kernel")) {
		open_kernel();
	} else if (argc == 3 && !strcmp(argv[1], "unix")) {
		open_unix(argv[2]);
	} else {
		fprintf(stderr, "usage: dpserv_kdiff kernel | unix PATH\n");
		return 2;
	}
	f_dp = family(OVS_DATAPATH_FAMILY);
	f_vport = family(OVS_VPORT_FAMILY);
	f_flow = family(OVS_FLOW_FAMILY);
	f_packet = family(OVS_PACKET_FAMILY);
	script_dp(&r);
	script_vport(&r);
	script_flows(&r);
	script_packet(&r);
	start(&r, f_vport, NLM_F_ACK | NLM_F_ECHO, OVS_VPORT_CMD_DEL, dpidx);
	na_put_str(&r.b, OVS_VPORT_ATTR_NAME, "kdv0");
	transact(&r, "vport del kdv0, echo");
	start(&r, f_dp, NLM_F_ACK | NLM_F_ECHO, OVS_DP_CMD_DEL, 0);
	na_put_str(&r.b, OVS_DP_ATTR_NAME, "kd0");
	transact(&r, "dp del, echo");
	start(&r, f_dp, NLM_F_DUMP, OVS_DP_CMD_GET, 0);
	transact(&r, "dp dump after");
	buf_free(&r.b);
	return 0;
}

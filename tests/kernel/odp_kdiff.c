/*
 * odp_kdiff - compare odp_key with the Linux openvswitch module, byte for
 * byte.  Runs where openvswitch.ko is loaded (the qemu VM of
 * tests/kernel/odp_kdiff.sh), as root.
 *
 * For each case (generated flows, the same with random bytes flipped, and
 * action lists over a few flows) it installs the flow in a datapath with
 * OVS_FLOW_CMD_NEW, then asks odp_key the same question:
 *  - accepted by both: the kernel's OVS_FLOW_ATTR_KEY, _MASK and _ACTIONS
 *    read back with OVS_FLOW_CMD_GET must equal odp_key_to_attrs(),
 *    odp_mask_to_attrs() and odp_actions_to_kernel_form() (the key is the
 *    unmasked one for a flow without ufid, the masked one with a ufid);
 *  - refused by both: the same errno, and if the kernel logged a reason
 *    ("openvswitch: netlink: ..." in /dev/kmsg), odp_key's message must
 *    end with it.
 * Every difference is printed with the streams in hex; the last line is
 * "kdiff: N cases, N same, N differ" (NSH flows, which dpkit
 * refuses on purpose, are counted apart).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/openvswitch.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "odp_key.h"
#include "../unit/odp_gen.h"

static int nlfd, kmsg;
static uint32_t seq;
static uint16_t fam_dp, fam_flow;
static int dp_ifindex;
static long n_cases, n_same, n_differ, n_known;

/* Send one generic netlink request; collect the payload (after the
 * ovs_header) of the first reply in 'reply'.  Returns 0 or -errno. */
static int request(uint16_t family, uint8_t cmd, uint16_t flags,
		   const struct buf *attrs, struct buf *reply, int ovs_hdr)
{
	struct buf m = BUF_INIT;
	struct nlmsghdr *h;
	struct genlmsghdr g = { .cmd = cmd, .version = 1 };
	static uint8_t rx[65536];
	int r = -EIO, done = 0;

	buf_put_zeros(&m, NLMSG_HDRLEN);
	buf_put(&m, &g, sizeof g);
	if (ovs_hdr)
		buf_put(&m, &dp_ifindex, 4);
	if (attrs)
		buf_put(&m, attrs->data, attrs->len);
	h = (struct nlmsghdr *)(void *)m.data;
	h->nlmsg_len = (uint32_t)m.len;
	h->nlmsg_type = family;
	h->nlmsg_flags = (uint16_t)(NLM_F_REQUEST | NLM_F_ACK | flags);
	h->nlmsg_seq = ++seq;
	if (send(nlfd, m.data, m.len, 0) < 0) {
		buf_free(&m);
		return -errno;
	}
	buf_free(&m);
	if (reply)
		buf_clear(reply);
	while (!done) {
		ssize_t n = recv(nlfd, rx, sizeof rx, 0);
		int len;

		if (n < 0)
			return -errno;
		len = (int)n;
		for (h = (struct nlmsghdr *)(void *)rx; NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				r = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
				done = 1;
				break;
			}
			if (h->nlmsg_type == NLMSG_DONE) {
				done = 1;
				break;
			}
			if (reply && !reply->len) {
				size_t skip = GENL_HDRLEN + (ovs_hdr ? 4 : 0);

				buf_put(reply, (uint8_t *)NLMSG_DATA(h) + skip,
					h->nlmsg_len - NLMSG_HDRLEN - skip);
			}
		}
	}
	return r;
}

static uint16_t family(const char *name)
{
	struct buf a = BUF_INIT, r = BUF_INIT;
	const struct nlattr *id;
	uint16_t v = 0;

	na_put_str(&a, CTRL_ATTR_FAMILY_NAME, name);
	if (request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0, &a, &r, 0) == 0) {
		id = na_find(r.data, r.len, CTRL_ATTR_FAMILY_ID);
		if (id)
			v = na_get_u16(id);
	}
	buf_free(&a);
	buf_free(&r);
	return v;
}

/* The kernel's log lines since the last call, "netlink: " and after;
 * the first one that is not the generic actions message. */
static void kernel_reason(char *out, size_t n)
{
	static char rec[2048];
	ssize_t len;

	out[0] = '\0';
	while ((len = read(kmsg, rec, sizeof rec - 1)) > 0) {
		char *p, *nl;

		rec[len] = '\0';
		p = strstr(rec, "netlink: ");
		if (!p || out[0])
			continue;
		p += strlen("netlink: ");
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		/* The generic message, and warnings about accepted input. */
		if (!strcmp(p, "Flow actions may not be safe on all matching packets.") ||
		    strstr(p, "has an invalid length."))
			continue;
		snprintf(out, n, "%s", p);
	}
}

static void hex(const char *what, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	printf("  %s (%zu):", what, n);
	for (i = 0; i < n; i++)
		printf("%s%02x", i % 4 ? "" : " ", b[i]);
	printf("\n");
}

/* A nest around 'in' as given, even of an unaligned length: the next
 * attribute still starts aligned, so only the nest's content is odd. */
static void nest(struct buf *b, uint16_t type, const struct buf *in)
{
	size_t o = na_nest_start(b, type);

	buf_put(b, in->data, in->len);
	na_nest_end(b, o);
	buf_put_zeros(b, NA_ALIGN(b->len) - b->len);
}

static int same_bytes(const struct nlattr *a, const struct buf *b)
{
	if (!a)
		return b->len == 0;
	return na_len(a) == b->len && (!b->len || !memcmp(na_data(a), b->data, b->len));
}

/* One case: key (mask optional), actions, with or without ufid. */
static void run(const char *name, const struct buf *k, const struct buf *m,
		const struct buf *acts, int ufid)
{
	static const uint8_t id[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	struct buf req = BUF_INIT, rep = BUF_INIT, ek = BUF_INIT, em = BUF_INIT, ea = BUF_INIT;
	struct dp_key key, mask, masked;
	struct dp_err err;
	char reason[512];
	int kr, mr, gr, bad = 0;

	n_cases++;
	nest(&req, OVS_FLOW_ATTR_KEY, k);
	if (m)
		nest(&req, OVS_FLOW_ATTR_MASK, m);
	nest(&req, OVS_FLOW_ATTR_ACTIONS, acts);
	if (ufid)
		na_put(&req, OVS_FLOW_ATTR_UFID, id, 16);
	kernel_reason(reason, sizeof reason);   /* drain */
	kr = request(fam_flow, OVS_FLOW_CMD_NEW, NLM_F_CREATE, &req, NULL, 1);
	kernel_reason(reason, sizeof reason);

	dp_err_clear(&err);
	{
		/* The attributes themselves: an empty mask is not no mask. */
		struct buf kn = BUF_INIT, mn = BUF_INIT;

		nest(&kn, OVS_FLOW_ATTR_KEY, k);
		if (m)
			nest(&mn, OVS_FLOW_ATTR_MASK, m);
		mr = odp_match_from_nlattrs((const void *)kn.data,
					    m ? (const void *)mn.data : NULL,
					    &key, &mask, &err);
		buf_free(&kn);
		buf_free(&mn);
	}
	if (!mr)
		mr = odp_actions_check(acts->data, acts->len, &key, &mask, &err);

	if (kr == 0 && mr == -EOPNOTSUPP) {
		/* dpkit's one intended difference: no NSH flows. */
		n_known++;
		n_cases--;
		goto out;
	}
	if (kr != mr) {
		printf("DIFFER %s: kernel %d \"%s\", odp_key %d \"%s\"\n", name, kr,
		       reason, mr, err.msg);
		bad = 1;
	} else if (kr && reason[0]) {
		char *proc = strstr(reason, " in process `");
		size_t a, b;

		/* The generic parser's warning names the process; when it
		 * parsed leniently (userspace()) it is only a warning, and
		 * the refusal came later, unexplained. */
		if (proc && strstr(reason, "bytes leftover after parsing"))
			*proc = '\0';
		a = strlen(err.msg);
		b = strlen(reason);
		if (!(proc && !strstr(err.msg, "bytes leftover")) &&
		    (a < b || strcmp(err.msg + a - b, reason))) {
			printf("DIFFER %s: kernel says \"%s\", odp_key \"%s\"\n", name,
			       reason, err.msg);
			bad = 1;
		}
	} else if (!kr) {
		const struct nlattr *rk, *rm, *ra;

		buf_clear(&req);
		if (ufid)
			na_put(&req, OVS_FLOW_ATTR_UFID, id, 16);
		else
			nest(&req, OVS_FLOW_ATTR_KEY, k);
		gr = request(fam_flow, OVS_FLOW_CMD_GET, 0, &req, &rep, 1);
		rk = na_find(rep.data, rep.len, OVS_FLOW_ATTR_KEY);
		rm = na_find(rep.data, rep.len, OVS_FLOW_ATTR_MASK);
		ra = na_find(rep.data, rep.len, OVS_FLOW_ATTR_ACTIONS);
		dp_key_apply_mask(&masked, &key, &mask);
		odp_key_to_attrs(&ek, ufid ? &masked : &key);
		odp_mask_to_attrs(&em, &key, &mask);
		odp_actions_to_kernel_form(&ea, acts->data, acts->len);
		if (gr || !same_bytes(rk, &ek) || !same_bytes(rm, &em) ||
		    !same_bytes(ra, &ea)) {
			printf("DIFFER %s: get %d; key %s, mask %s, actions %s\n", name, gr,
			       same_bytes(rk, &ek) ? "same" : "differs",
			       same_bytes(rm, &em) ? "same" : "differs",
			       same_bytes(ra, &ea) ? "same" : "differs");
			if (rk)
				hex("kernel key", na_data(rk), na_len(rk));
			hex("odp_key key", ek.data, ek.len);
			if (rm)
				hex("kernel mask", na_data(rm), na_len(rm));
			hex("odp_key mask", em.data, em.len);
			if (ra)
				hex("kernel actions", na_data(ra), na_len(ra));
			hex("odp_key actions", ea.data, ea.len);
			bad = 1;
		}
	}
	if (bad) {
		hex("input key", k->data, k->len);
		if (m)
			hex("input mask", m->data, m->len);
		hex("input actions", acts->data, acts->len);
		n_differ++;
	} else {
		n_same++;
	}
out:
	if (!kr || kr == -EEXIST)
		request(fam_flow, OVS_FLOW_CMD_DEL, 0, NULL, NULL, 1);
	buf_free(&req);
	buf_free(&rep);
	buf_free(&ek);
	buf_free(&em);
	buf_free(&ea);
}

/* Action lists to try on a flow, built from a few templates and the
 * input's random bytes. */
static void gen_actions(struct gen *g, struct buf *a)
{
	int n = 1 + (int)(gen_u32(g) % 3), i;

	buf_clear(a);
	for (i = 0; i < n; i++) {
		size_t o, o2;

		switch (gen_u32(g) % 20) {
		case 12: {
			struct ovs_action_hash h = { gen_u32(g) % 2, gen_u32(g) };

			na_put(a, OVS_ACTION_ATTR_HASH, &h, sizeof h);
			na_put_u32(a, OVS_ACTION_ATTR_RECIRC, gen_u32(g));
			break;
		}
		case 13:
			o = na_nest_start(a, OVS_ACTION_ATTR_USERSPACE);
			na_put_u32(a, OVS_USERSPACE_ATTR_PID, gen_u32(g) % 3);
			if (gen_pct(g, 50))
				na_put(a, OVS_USERSPACE_ATTR_USERDATA, "cookie!", 7);
			if (gen_pct(g, 30))
				na_put_u32(a, OVS_USERSPACE_ATTR_EGRESS_TUN_PORT, 5);
			na_nest_end(a, o);
			break;
		case 14:
			na_put_u32(a, OVS_ACTION_ATTR_TRUNC, gen_u32(g) % 40);
			na_put_u32(a, OVS_ACTION_ATTR_METER, gen_u32(g));
			na_put_flag(a, OVS_ACTION_ATTR_CT_CLEAR);
			break;
		case 15:
			o = na_nest_start(a, OVS_ACTION_ATTR_SET);
			o2 = na_nest_start(a, OVS_KEY_ATTR_TUNNEL);
			if (gen_pct(g, 70))
				na_put_u64(a, OVS_TUNNEL_KEY_ATTR_ID, gen_u32(g));
			if (gen_pct(g, 80))
				na_put_u32(a, OVS_TUNNEL_KEY_ATTR_IPV4_DST, gen_u32(g));
			else
				na_put_flag(a, OVS_TUNNEL_KEY_ATTR_IPV4_INFO_BRIDGE);
			if (gen_pct(g, 80))
				na_put_u8(a, OVS_TUNNEL_KEY_ATTR_TTL, (uint8_t)gen_u32(g));
			if (gen_pct(g, 40))
				na_put_u8(a, OVS_TUNNEL_KEY_ATTR_TOS, (uint8_t)gen_u32(g));
			if (gen_pct(g, 40))
				na_put_flag(a, OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT);
			if (gen_pct(g, 40))
				na_put_u16(a, OVS_TUNNEL_KEY_ATTR_TP_DST, htons(6081));
			if (gen_pct(g, 30)) {
				uint8_t opt[8] = { 0, 1, 0x80, 1, 1, 2, 3, 4 };

				na_put(a, OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS, opt,
				       gen_pct(g, 80) ? 8 : 4);
			} else if (gen_pct(g, 20)) {
				uint8_t md[16];

				gen_bytes(g, md, sizeof md);
				na_put(a, OVS_TUNNEL_KEY_ATTR_ERSPAN_OPTS, md,
				       8 + gen_u32(g) % 8);
			}
			na_nest_end(a, o2);
			na_nest_end(a, o);
			break;
		case 16:
			o = na_nest_start(a, OVS_ACTION_ATTR_DEC_TTL);
			o2 = na_nest_start(a, OVS_DEC_TTL_ATTR_ACTION);
			na_put_u32(a, OVS_ACTION_ATTR_OUTPUT, 6);
			na_nest_end(a, o2);
			na_nest_end(a, o);
			break;
		case 17: {
			struct ovs_action_push_eth pe;

			gen_bytes(g, &pe, sizeof pe);
			if (gen_pct(g, 50))
				na_put_flag(a, OVS_ACTION_ATTR_POP_ETH);
			else
				na_put(a, OVS_ACTION_ATTR_PUSH_ETH, &pe, sizeof pe);
			break;
		}
		case 18: {
			struct ovs_action_add_mpls am = { gen_u32(g), htons(0x8847),
							  (uint16_t)(gen_u32(g) % 2) };

			na_put(a, OVS_ACTION_ATTR_ADD_MPLS, &am, sizeof am);
			break;
		}
		case 19: {
			uint16_t p[4] = { (uint16_t)gen_u32(g), (uint16_t)gen_u32(g) };

			p[2] = (uint16_t)(p[0] | gen_u32(g));
			p[3] = (uint16_t)(p[1] | gen_u32(g));
			o = na_nest_start(a, OVS_ACTION_ATTR_SET_MASKED);
			na_put(a, gen_pct(g, 50) ? OVS_KEY_ATTR_TCP : OVS_KEY_ATTR_UDP, p, 8);
			na_nest_end(a, o);
			break;
		}
		case 0:
			na_put_u32(a, OVS_ACTION_ATTR_OUTPUT, gen_u32(g) % 70000);
			break;
		case 1: {
			struct ovs_action_push_vlan v = { htons(gen_pct(g, 80) ? 0x8100 : 0x0800),
							  (uint16_t)gen_u32(g) };
			na_put(a, OVS_ACTION_ATTR_PUSH_VLAN, &v, sizeof v);
			break;
		}
		case 2:
			na_put_flag(a, OVS_ACTION_ATTR_POP_VLAN);
			break;
		case 3: {
			struct ovs_key_ipv4 v4;

			gen_bytes(g, &v4, sizeof v4);
			v4.ipv4_proto = gen_pct(g, 50) ? 6 : v4.ipv4_proto;
			v4.ipv4_frag = 0;
			o = na_nest_start(a, OVS_ACTION_ATTR_SET);
			na_put(a, OVS_KEY_ATTR_IPV4, &v4, sizeof v4);
			na_nest_end(a, o);
			break;
		}
		case 4: {
			struct ovs_action_push_mpls p = { gen_u32(g), htons(0x8847) };
			na_put(a, OVS_ACTION_ATTR_PUSH_MPLS, &p, sizeof p);
			break;
		}
		case 5:
			na_put_u16(a, OVS_ACTION_ATTR_POP_MPLS, htons(gen_pct(g, 50) ? 0x0800 : 0x8847));
			break;
		case 6:
			o = na_nest_start(a, OVS_ACTION_ATTR_CT);
			if (gen_pct(g, 60))
				na_put_flag(a, OVS_CT_ATTR_COMMIT);
			if (gen_pct(g, 50))
				na_put_u16(a, OVS_CT_ATTR_ZONE, (uint16_t)gen_u32(g));
			if (gen_pct(g, 30)) {
				uint32_t mk[2] = { gen_u32(g), gen_u32(g) % 3 };
				na_put(a, OVS_CT_ATTR_MARK, mk, 8);
			}
			if (gen_pct(g, 30))
				na_put_str(a, OVS_CT_ATTR_HELPER, gen_pct(g, 50) ? "ftp" : "tftp");
			if (gen_pct(g, 50)) {
				o2 = na_nest_start(a, OVS_CT_ATTR_NAT);
				if (gen_pct(g, 70))
					na_put_flag(a, gen_pct(g, 50) ? OVS_NAT_ATTR_SRC : OVS_NAT_ATTR_DST);
				if (gen_pct(g, 50))
					na_put_u32(a, OVS_NAT_ATTR_IP_MIN, gen_u32(g));
				if (gen_pct(g, 30))
					na_put_u32(a, OVS_NAT_ATTR_IP_MAX, gen_u32(g));
				if (gen_pct(g, 40))
					na_put_u16(a, OVS_NAT_ATTR_PROTO_MIN, (uint16_t)gen_u32(g));
				if (gen_pct(g, 20))
					na_put_flag(a, OVS_NAT_ATTR_PERSISTENT);
				na_nest_end(a, o2);
			}
			na_nest_end(a, o);
			break;
		case 7:
			o = na_nest_start(a, OVS_ACTION_ATTR_SAMPLE);
			na_put_u32(a, OVS_SAMPLE_ATTR_PROBABILITY, gen_u32(g));
			o2 = na_nest_start(a, OVS_SAMPLE_ATTR_ACTIONS);
			na_put_u32(a, OVS_ACTION_ATTR_OUTPUT, 2);
			na_nest_end(a, o2);
			na_nest_end(a, o);
			break;
		case 8:
			o = na_nest_start(a, OVS_ACTION_ATTR_CLONE);
			na_put_flag(a, OVS_ACTION_ATTR_POP_VLAN);
			na_put_u32(a, OVS_ACTION_ATTR_OUTPUT, 3);
			na_nest_end(a, o);
			break;
		case 9:
			o = na_nest_start(a, OVS_ACTION_ATTR_CHECK_PKT_LEN);
			o2 = na_nest_start(a, OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER);
			na_put_u32(a, OVS_ACTION_ATTR_OUTPUT, 4);
			na_nest_end(a, o2);
			na_put_u16(a, OVS_CHECK_PKT_LEN_ATTR_PKT_LEN, (uint16_t)(gen_u32(g) % 3000));
			o2 = na_nest_start(a, OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL);
			na_nest_end(a, o2);
			na_nest_end(a, o);
			break;
		case 10: {
			uint32_t v[2] = { gen_u32(g), gen_u32(g) };

			o = na_nest_start(a, OVS_ACTION_ATTR_SET_MASKED);
			v[0] &= v[1];
			na_put(a, OVS_KEY_ATTR_SKB_MARK, v, 8);
			na_nest_end(a, o);
			break;
		}
		default: {
			struct ovs_key_ethernet e;

			gen_bytes(g, &e, sizeof e);
			o = na_nest_start(a, OVS_ACTION_ATTR_SET);
			na_put(a, OVS_KEY_ATTR_ETHERNET, &e, sizeof e);
			na_nest_end(a, o);
		}
		}
	}
}

/* The unit tests' cases (tests/unit/odp_cases.h), each with and without
 * a ufid. */
static void run_file(const char *path)
{
	struct buf k = BUF_INIT, m = BUF_INIT, a = BUF_INIT;
	uint32_t h[4];
	char name[64];
	long n = 0;
	FILE *f = fopen(path, "rb");

	if (!f)
		return;
	while (fread(h, sizeof h, 1, f) == 1) {
		buf_clear(&k);
		buf_clear(&m);
		buf_clear(&a);
		if ((h[1] && fread(buf_put_zeros(&k, h[1]), h[1], 1, f) != 1) ||
		    (h[2] && fread(buf_put_zeros(&m, h[2]), h[2], 1, f) != 1) ||
		    (h[3] && fread(buf_put_zeros(&a, h[3]), h[3], 1, f) != 1))
			break;
		snprintf(name, sizeof name, "unit case %ld", ++n);
		run(name, &k, h[0] ? &m : NULL, &a, 0);
		snprintf(name, sizeof name, "unit case %ld (ufid)", n);
		run(name, &k, h[0] ? &m : NULL, &a, 1);
	}
	fclose(f);
	buf_free(&k);
	buf_free(&m);
	buf_free(&a);
}

/* Every conntrack helper name dpkit knows and a few it does not, on TCP
 * and UDP flows of both families, with and without NAT. */
static void run_helpers(struct gen *g)
{
	static const char *const names[] = {
		"ftp", "tftp", "sip", "irc", "amanda", "sane", "pptp",
		"netbios-ns", "snmp", "snmp_trap", "RAS", "Q.931", "H.245",
		"h323", "FTP", "",
	};
	static const enum gen_kind kinds[] = { G_V4_TCP, G_V4_UDP, G_V6_TCP, G_V6_UDP };
	struct buf a = BUF_INIT;
	char name[96];
	size_t i, j;
	int nat;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		for (j = 0; j < 4; j++)
			for (nat = 0; nat < 2; nat++) {
				size_t c, n;

				gen_flow(g, kinds[j], GV_NONE);
				buf_clear(&a);
				c = na_nest_start(&a, OVS_ACTION_ATTR_CT);
				na_put_flag(&a, OVS_CT_ATTR_COMMIT);
				na_put_str(&a, OVS_CT_ATTR_HELPER, names[i]);
				if (nat) {
					n = na_nest_start(&a, OVS_CT_ATTR_NAT);
					na_nest_end(&a, n);
				}
				na_nest_end(&a, c);
				snprintf(name, sizeof name, "helper \"%s\" %s%s", names[i],
					 gen_kind_names[kinds[j]], nat ? " nat" : "");
				run(name, &g->k, &g->m, &a, 0);
			}
	buf_free(&a);
}

static void flip(struct gen *g, struct buf *b, int n)
{
	while (b->len && n--)
		b->data[gen_u32(g) % b->len] ^= (uint8_t)(1u << (gen_u32(g) % 8));
}

int main(int argc, char **argv)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct buf a = BUF_INIT, out = BUF_INIT;
	struct gen g;
	long rounds = argc > 1 ? atol(argv[1]) : 20;
	char name[96];
	long i;
	int kind, vlan;

	nlfd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	if (nlfd < 0 || bind(nlfd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		perror("kdiff: netlink");
		return 1;
	}
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (kmsg >= 0)
		lseek(kmsg, 0, SEEK_END);
	fam_dp = family(OVS_DATAPATH_FAMILY);
	fam_flow = family(OVS_FLOW_FAMILY);
	if (!fam_dp || !fam_flow) {
		fprintf(stderr, "kdiff: no openvswitch families\n");
		return 1;
	}
	na_put_str(&a, OVS_DP_ATTR_NAME, "kd0");
	na_put_u32(&a, OVS_DP_ATTR_UPCALL_PID, 0);
	dp_ifindex = 0;
	if (request(fam_dp, OVS_DP_CMD_NEW, 0, &a, NULL, 1) < 0 ||
	    !(dp_ifindex = (int)if_nametoindex("kd0"))) {
		fprintf(stderr, "kdiff: cannot create datapath kd0\n");
		return 1;
	}

	if (argc > 2)
		run_file(argv[2]);
	memset(&g, 0, sizeof g);
	g.rng = 0x1234567887654321ull;
	run_helpers(&g);
	if (argc > 3)
		g.rng ^= strtoull(argv[3], NULL, 0) * 0x9e3779b97f4a7c15ull;
	for (i = 0; i < rounds; i++)
		for (kind = 0; kind < G_KINDS; kind++)
			for (vlan = 0; vlan < 3; vlan++) {
				if (kind == G_L3ONLY && vlan)
					continue;
				gen_flow(&g, (enum gen_kind)kind, (enum gen_vlan)vlan);
				buf_clear(&a);
				na_put_u32(&a, OVS_ACTION_ATTR_OUTPUT, 1);
				snprintf(name, sizeof name, "gen %s/%d #%ld",
					 gen_kind_names[kind], vlan, i);
				run(name, &g.k, &g.m, &a, (int)(i & 1));
				if (i % 4 == 0) {
					snprintf(name, sizeof name, "gen-nomask %s/%d #%ld",
						 gen_kind_names[kind], vlan, i);
					run(name, &g.k, NULL, &a, 0);
				}
				flip(&g, &g.k, 1 + (int)(gen_u32(&g) % 3));
				if (gen_pct(&g, 50))
					flip(&g, &g.m, 1 + (int)(gen_u32(&g) % 3));
				snprintf(name, sizeof name, "flip %s/%d #%ld",
					 gen_kind_names[kind], vlan, i);
				run(name, &g.k, gen_pct(&g, 80) ? &g.m : NULL, &a, 0);

				gen_flow(&g, (enum gen_kind)kind, (enum gen_vlan)vlan);
				gen_actions(&g, &a);
				snprintf(name, sizeof name, "actions %s/%d #%ld",
					 gen_kind_names[kind], vlan, i);
				run(name, &g.k, &g.m, &a, (int)(i & 1));
				if (gen_pct(&g, 50)) {
					flip(&g, &a, 1);
					snprintf(name, sizeof name, "actions-flip %s/%d #%ld",
						 gen_kind_names[kind], vlan, i);
					run(name, &g.k, &g.m, &a, 0);
				}
			}
	printf("kdiff: %ld cases, %ld same, %ld differ (and %ld NSH flows dpkit refuses)\n",
	       n_cases, n_same, n_differ, n_known);
	buf_free(&a);
	buf_free(&out);
	buf_free(&g.k);
	buf_free(&g.m);
	return n_differ ? 1 : 0;
}

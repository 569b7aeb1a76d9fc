/*
 * Unit tests for odp_actions_check() and odp_actions_to_kernel_form():
 * action lists the kernel accepts (and the form it reports them in) and
 * those it refuses, one test point each.  Every accepted list is also
 * checked to report a form that is itself accepted and reports itself.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/openvswitch.h>
#include <stdio.h>
#include <string.h>

#include "nlattr.h"
#include "odp_cases.h"
#include "odp_key.h"
#include "tap.h"

static struct dp_key key, mask;
static struct buf acts = BUF_INIT, want = BUF_INIT;
static struct buf fk = BUF_INIT, fm = BUF_INIT;     /* the flow's streams */

static const struct ovs_key_ethernet eth = {
	{ 0, 1, 2, 3, 4, 5 }, { 0x10, 0x11, 0x12, 0x13, 0x14, 0x15 }
};

/* Flows to check actions against. */
enum flow { F_V4_TCP, F_V6_UDP, F_ARP, F_MPLS, F_L3, F_VLAN_V4, F_V4_WILD };

static void flow(enum flow f)
{
	struct buf k = BUF_INIT, m = BUF_INIT;
	struct ovs_key_ipv4 v4 = { htonl(0x0a000001), htonl(0x0a000002), 6, 0, 64, 0 };
	struct ovs_key_ipv6 v6;
	struct ovs_key_tcp tcp = { htons(1), htons(2) };
	struct ovs_key_arp arp;
	uint32_t lse[2] = { htonl(0x00064140), htonl(0x000c8140) };
	struct dp_err err;
	size_t e = 0;

	memset(&v6, 0, sizeof v6);
	v6.ipv6_proto = 17;
	memset(&arp, 0, sizeof arp);
	arp.arp_op = htons(1);
	na_put_u32(&k, OVS_KEY_ATTR_IN_PORT, 1);
	if (f != F_L3)
		na_put(&k, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
	if (f == F_VLAN_V4) {
		na_put_u16(&k, OVS_KEY_ATTR_ETHERTYPE, htons(0x8100));
		na_put_u16(&k, OVS_KEY_ATTR_VLAN, htons(0x1005));
		e = na_nest_start(&k, OVS_KEY_ATTR_ENCAP);
	}
	switch (f) {
	case F_V4_TCP: case F_VLAN_V4: case F_L3: case F_V4_WILD:
		na_put_u16(&k, OVS_KEY_ATTR_ETHERTYPE, htons(0x0800));
		na_put(&k, OVS_KEY_ATTR_IPV4, &v4, sizeof v4);
		na_put(&k, OVS_KEY_ATTR_TCP, &tcp, sizeof tcp);
		na_put_u16(&k, OVS_KEY_ATTR_TCP_FLAGS, 0);
		break;
	case F_V6_UDP:
		na_put_u16(&k, OVS_KEY_ATTR_ETHERTYPE, htons(0x86dd));
		na_put(&k, OVS_KEY_ATTR_IPV6, &v6, sizeof v6);
		na_put(&k, OVS_KEY_ATTR_UDP, &tcp, sizeof tcp);
		break;
	case F_ARP:
		na_put_u16(&k, OVS_KEY_ATTR_ETHERTYPE, htons(0x0806));
		na_put(&k, OVS_KEY_ATTR_ARP, &arp, sizeof arp);
		break;
	case F_MPLS:
		na_put_u16(&k, OVS_KEY_ATTR_ETHERTYPE, htons(0x8847));
		na_put(&k, OVS_KEY_ATTR_MPLS, lse, sizeof lse);
		break;
	}
	if (f == F_VLAN_V4)
		na_nest_end(&k, e);
	if (f == F_V4_WILD) {   /* ip proto wildcarded */
		struct ovs_key_ipv4 vm = { 0, 0, 0, 0, 0, 0 };

		na_put_u32(&m, OVS_KEY_ATTR_IN_PORT, ~0u);
		na_put_u16(&m, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
		vm.ipv4_src = ~0u;
		na_put(&m, OVS_KEY_ATTR_IPV4, &vm, sizeof vm);
	}
	if (odp_match_from_attrs(k.data, k.len, m.data, m.len, &key, &mask, &err))
		fprintf(stderr, "test flow %d: %s\n", f, err.msg);
	buf_clear(&fk);
	buf_clear(&fm);
	buf_put(&fk, k.data, k.len);
	buf_put(&fm, m.data, m.len);
	buf_free(&k);
	buf_free(&m);
}

static void start(enum flow f)
{
	flow(f);
	buf_clear(&acts);
	buf_clear(&want);
}

/* Expect acceptance; the kernel form must be 'want' (or the list itself if
 * 'want' is empty), be accepted, and report itself. */
static void accepted(const char *what)
{
	struct buf form = BUF_INIT, form2 = BUF_INIT;
	struct dp_err err;
	const struct buf *exp = want.len ? &want : &acts;
	int r = odp_actions_check(acts.data, acts.len, &key, &mask, &err);
	int good = r == 0;

	case_dump(&fk, fm.len ? &fm : NULL, &acts);
	if (r)
		note("refused: %d %s", r, err.msg);
	odp_actions_to_kernel_form(&form, acts.data, acts.len);
	if (good && (form.len != exp->len ||
		     (form.len && memcmp(form.data, exp->data, form.len)))) {
		note("kernel form differs (%zu vs %zu bytes)", form.len, exp->len);
		good = 0;
	}
	if (good && odp_actions_check(form.data, form.len, &key, &mask, &err)) {
		note("kernel form refused: %s", err.msg);
		good = 0;
	}
	odp_actions_to_kernel_form(&form2, form.data, form.len);
	if (good && (form2.len != form.len ||
		     (form.len && memcmp(form2.data, form.data, form.len)))) {
		note("kernel form not stable");
		good = 0;
	}
	ok(good, "%s", what);
	buf_free(&form);
	buf_free(&form2);
}

static void refuse(int code, const char *text, const char *what)
{
	struct dp_err err;
	int r;

	dp_err_clear(&err);
	case_dump(&fk, fm.len ? &fm : NULL, &acts);
	r = odp_actions_check(acts.data, acts.len, &key, &mask, &err);
	if (!ok(r == -code && strstr(err.msg, text), "%s", what))
		note("got %d \"%s\", want %d \"%s\"", r, err.msg, -code, text);
}

static size_t nest(struct buf *b, uint16_t type)
{
	size_t ofs = b->len;

	na_put(b, type, NULL, 0);       /* the kernel's replies: no flag */
	return ofs;
}

static void put_v4(struct buf *b, uint8_t proto, uint8_t frag)
{
	struct ovs_key_ipv4 v4 = { htonl(0x0b000001), htonl(0x0b000002), proto, 4, 63, frag };
	size_t s = nest(b, OVS_ACTION_ATTR_SET);

	na_put(b, OVS_KEY_ATTR_IPV4, &v4, sizeof v4);
	na_nest_end(b, s);
}

static void test_simple(void)
{
	struct ovs_action_hash h = { OVS_HASH_ALG_L4, 7 };
	struct ovs_action_trunc t = { 100 };
	struct ovs_action_push_vlan pv = { htons(0x8100), htons(0x1064) };
	size_t s;

	start(F_V4_TCP);
	na_put_u32(&acts, OVS_ACTION_ATTR_OUTPUT, 2);
	na_put(&acts, OVS_ACTION_ATTR_HASH, &h, sizeof h);
	na_put(&acts, OVS_ACTION_ATTR_TRUNC, &t, sizeof t);
	na_put_u32(&acts, OVS_ACTION_ATTR_RECIRC, 5);
	na_put_u32(&acts, OVS_ACTION_ATTR_METER, 77);
	na_put_flag(&acts, OVS_ACTION_ATTR_CT_CLEAR);
	na_put(&acts, OVS_ACTION_ATTR_PUSH_VLAN, &pv, sizeof pv);
	na_put_flag(&acts, OVS_ACTION_ATTR_POP_VLAN);
	s = nest(&acts, OVS_ACTION_ATTR_USERSPACE);
	na_put_u32(&acts, OVS_USERSPACE_ATTR_PID, 1234);
	na_put(&acts, OVS_USERSPACE_ATTR_USERDATA, "cookie", 6);
	na_put_flag(&acts, OVS_USERSPACE_ATTR_ACTIONS);
	na_nest_end(&acts, s);
	accepted("output, hash, trunc, recirc, meter, ct_clear, vlan, userspace: kept as given");

	start(F_V4_TCP);
	na_put_u32(&acts, OVS_ACTION_ATTR_OUTPUT | NLA_F_NESTED, 2);
	na_put_u32(&want, OVS_ACTION_ATTR_OUTPUT, 2);
	accepted("flag bits of an action's type are cleared in the report");

	start(F_V4_TCP);
	accepted("the empty list (drop)");

	start(F_V4_TCP);
	na_put_u32(&acts, OVS_ACTION_ATTR_OUTPUT, 65534);
	accepted("output to port 65534, the largest");
	na_put_u32(&acts, OVS_ACTION_ATTR_OUTPUT, 65535);
	refuse(EINVAL, "action 2 (output): Port 65535 exceeds max allowable 65535",
	       "output to port 65535");

	start(F_V4_TCP);
	t.max_len = 13;
	na_put(&acts, OVS_ACTION_ATTR_TRUNC, &t, sizeof t);
	refuse(EINVAL, "trunc): max_len 13", "trunc shorter than an Ethernet header");
	start(F_V4_TCP);
	h.hash_alg = 1;
	na_put(&acts, OVS_ACTION_ATTR_HASH, &h, sizeof h);
	refuse(EINVAL, "unknown hash algorithm 1", "hash algorithm the kernel does not know");
	start(F_V4_TCP);
	na_put_flag(&acts, OVS_ACTION_ATTR_UNSPEC);
	refuse(EINVAL, "action type 0", "action type 0");
	start(F_V4_TCP);
	na_put_flag(&acts, OVS_ACTION_ATTR_DEC_TTL + 1);
	refuse(EINVAL, "unknown action type 24", "action type above the maximum");
	start(F_V4_TCP);
	na_put_u16(&acts, OVS_ACTION_ATTR_OUTPUT, 2);
	refuse(EINVAL, "argument of 2 bytes, expected 4", "action argument of the wrong length");
	start(F_V4_TCP);
	na_put_u32(&acts, OVS_ACTION_ATTR_OUTPUT, 2);
	buf_put(&acts, "\1\2", 2);
	refuse(EINVAL, "actions: 2 bytes left over", "trailing bytes");

	start(F_V4_TCP);
	s = nest(&acts, OVS_ACTION_ATTR_USERSPACE);
	na_put(&acts, OVS_USERSPACE_ATTR_USERDATA, "x", 1);
	na_nest_end(&acts, s);
	refuse(EINVAL, "needs a non-zero netlink pid", "userspace without pid");
	start(F_V4_TCP);
	s = nest(&acts, OVS_ACTION_ATTR_USERSPACE);
	na_put_u16(&acts, OVS_USERSPACE_ATTR_PID, 7);
	na_nest_end(&acts, s);
	refuse(ERANGE, "too short", "userspace pid shorter than a u32: -ERANGE");
	/* 6.1 reads userspace() leniently. */
	start(F_V4_TCP);
	s = nest(&acts, OVS_ACTION_ATTR_USERSPACE);
	na_put_flag(&acts, OVS_USERSPACE_ATTR_UNSPEC);
	na_put_u32(&acts, OVS_USERSPACE_ATTR_PID, 7);
	na_put_flag(&acts, OVS_USERSPACE_ATTR_MAX + 1);
	buf_put(&acts, "\1\2\3\4", 4);
	na_nest_end(&acts, s);
	accepted("userspace attributes 0 and above the maximum, and bytes left over, ignored");

	start(F_L3);
	na_put_flag(&acts, OVS_ACTION_ATTR_POP_VLAN);
	refuse(EINVAL, "no Ethernet header here", "pop_vlan on an L3 packet");
	start(F_V4_TCP);
	pv.vlan_tpid = htons(0x0800);
	na_put(&acts, OVS_ACTION_ATTR_PUSH_VLAN, &pv, sizeof pv);
	refuse(EINVAL, "tpid 0x0800 is not 0x8100 or 0x88a8", "push_vlan with a bad tpid");
	start(F_V4_TCP);
	pv.vlan_tpid = htons(0x88a8);
	pv.vlan_tci = htons(0x0064);
	na_put(&acts, OVS_ACTION_ATTR_PUSH_VLAN, &pv, sizeof pv);
	refuse(EINVAL, "lacks the CFI bit", "push_vlan without the CFI bit");
}

static void test_eth_mpls(void)
{
	struct ovs_action_push_eth pe;
	struct ovs_action_push_mpls pm = { htonl(0x00064140), htons(0x8847) };
	struct ovs_action_add_mpls am = { htonl(0x00064140), htons(0x8847), 0 };
	struct ovs_action_push_vlan pv = { htons(0x8100), htons(0x1064) };

	memcpy(&pe.addresses, &eth, sizeof eth);
	start(F_L3);
	na_put(&acts, OVS_ACTION_ATTR_PUSH_ETH, &pe, sizeof pe);
	na_put_flag(&acts, OVS_ACTION_ATTR_POP_ETH);
	accepted("push_eth on an L3 packet, then pop_eth");
	start(F_V4_TCP);
	na_put(&acts, OVS_ACTION_ATTR_PUSH_ETH, &pe, sizeof pe);
	refuse(EINVAL, "has an Ethernet header already", "push_eth on an Ethernet packet");
	start(F_VLAN_V4);
	na_put_flag(&acts, OVS_ACTION_ATTR_POP_ETH);
	refuse(EINVAL, "no Ethernet header, or a VLAN", "pop_eth with a VLAN tag");

	start(F_V4_TCP);
	na_put(&acts, OVS_ACTION_ATTR_PUSH_MPLS, &pm, sizeof pm);
	na_put_u16(&acts, OVS_ACTION_ATTR_POP_MPLS, htons(0x0800));
	accepted("push_mpls on ipv4, pop_mpls back");
	put_v4(&acts, 6, 0);
	refuse(EINVAL, "action 3 (set): ipv4 on a packet that is not IPv4 here",
	       "no L3 set after popping the last label");
	start(F_MPLS);
	na_put_u16(&acts, OVS_ACTION_ATTR_POP_MPLS, htons(0x8847));
	na_put_u16(&acts, OVS_ACTION_ATTR_POP_MPLS, htons(0x0800));
	accepted("two labels popped from a two-label flow");
	na_put_u16(&acts, OVS_ACTION_ATTR_POP_MPLS, htons(0x0800));
	refuse(EINVAL, "no MPLS label to pop here", "a third pop_mpls");
	start(F_MPLS);
	na_put_u16(&acts, OVS_ACTION_ATTR_POP_MPLS, htons(0x6558));
	refuse(EINVAL, "Ethernet inside MPLS", "pop_mpls to Ethernet on an Ethernet packet");
	start(F_V4_TCP);
	pm.mpls_ethertype = htons(0x0800);
	na_put(&acts, OVS_ACTION_ATTR_PUSH_MPLS, &pm, sizeof pm);
	refuse(EINVAL, "ethertype 0x0800 is not MPLS", "push_mpls with a non-MPLS ethertype");
	start(F_V4_TCP);
	pm.mpls_ethertype = htons(0x8848);
	na_put(&acts, OVS_ACTION_ATTR_PUSH_VLAN, &pv, sizeof pv);
	na_put(&acts, OVS_ACTION_ATTR_PUSH_MPLS, &pm, sizeof pm);
	refuse(EINVAL, "not after a VLAN", "push_mpls after push_vlan");
	start(F_V4_TCP);
	na_put(&acts, OVS_ACTION_ATTR_ADD_MPLS, &am, sizeof am);
	na_put_u16(&acts, OVS_ACTION_ATTR_POP_MPLS, htons(0x6558));
	accepted("add_mpls at the start of the packet: no Ethernet left, pop to TEB");
	start(F_VLAN_V4);
	na_put(&acts, OVS_ACTION_ATTR_ADD_MPLS, &am, sizeof am);
	na_put_u16(&acts, OVS_ACTION_ATTR_POP_MPLS, htons(0x6558));
	refuse(EINVAL, "action 2 (pop_mpls): no MPLS label to pop here",
	       "the same on a VLAN flow: the flow's tag still counts");
	start(F_VLAN_V4);
	am.tun_flags = OVS_MPLS_L3_TUNNEL_FLAG_MASK;
	na_put(&acts, OVS_ACTION_ATTR_ADD_MPLS, &am, sizeof am);
	refuse(EINVAL, "add_mpls): not after a VLAN", "add_mpls at L3 of a VLAN packet");
	start(F_L3);
	na_put_flag(&acts, OVS_ACTION_ATTR_POP_NSH);
	refuse(EINVAL, "no NSH header to pop", "pop_nsh");
}

static void test_set(void)
{
	struct ovs_key_ipv4 v4[2];
	struct ovs_key_ipv6 v6;
	struct ovs_key_tcp tcp = { htons(9), htons(10) };
	uint32_t mark[2] = { 5, 7 };
	size_t s;

	start(F_V4_TCP);
	put_v4(&acts, 6, 0);
	s = nest(&acts, OVS_ACTION_ATTR_SET);
	na_put(&acts, OVS_KEY_ATTR_TCP, &tcp, sizeof tcp);
	na_nest_end(&acts, s);
	s = nest(&acts, OVS_ACTION_ATTR_SET);
	na_put_u32(&acts, OVS_KEY_ATTR_SKB_MARK, 3);
	na_nest_end(&acts, s);
	s = nest(&acts, OVS_ACTION_ATTR_SET);
	na_put(&acts, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
	na_nest_end(&acts, s);
	accepted("set ipv4, tcp, skb_mark, eth: reported as given");

	start(F_V4_TCP);
	memset(v4, 0, sizeof v4);
	v4[0].ipv4_ttl = 9;
	v4[1].ipv4_ttl = 0xff;
	s = nest(&acts, OVS_ACTION_ATTR_SET_MASKED);
	na_put(&acts, OVS_KEY_ATTR_IPV4, v4, sizeof v4);
	na_nest_end(&acts, s);
	s = nest(&acts, OVS_ACTION_ATTR_SET_MASKED);
	na_put(&acts, OVS_KEY_ATTR_CT_MARK, mark, sizeof mark);
	na_nest_end(&acts, s);
	accepted("set_masked ipv4 ttl, ct_mark");
	v4[0].ipv4_tos = 1;
	s = nest(&acts, OVS_ACTION_ATTR_SET_MASKED);
	na_put(&acts, OVS_KEY_ATTR_IPV4, v4, sizeof v4);
	na_nest_end(&acts, s);
	refuse(EINVAL, "action 3 (set_masked): ipv4 value has bits outside its mask",
	       "set_masked value outside its mask");
	start(F_V4_TCP);
	v4[0].ipv4_tos = 0;
	v4[1].ipv4_proto = 0xff;
	s = nest(&acts, OVS_ACTION_ATTR_SET_MASKED);
	na_put(&acts, OVS_KEY_ATTR_IPV4, v4, sizeof v4);
	na_nest_end(&acts, s);
	refuse(EINVAL, "proto and frag cannot be written", "set_masked of the ip proto");

	start(F_V4_TCP);
	put_v4(&acts, 17, 0);
	refuse(EINVAL, "ipv4 proto and frag must be the flow's (proto=6, frag=0)",
	       "set ipv4 with another proto");
	start(F_V4_WILD);
	put_v4(&acts, 0, 0);
	accepted("set ipv4 checked against the masked key: proto 0 on a proto-wildcard flow");
	start(F_V4_WILD);
	s = nest(&acts, OVS_ACTION_ATTR_SET);
	na_put(&acts, OVS_KEY_ATTR_TCP, &tcp, sizeof tcp);
	na_nest_end(&acts, s);
	refuse(EINVAL, "tcp on a flow that is not tcp", "set tcp on a proto-wildcard flow");
	start(F_V6_UDP);
	put_v4(&acts, 17, 0);
	refuse(EINVAL, "ipv4 on a packet that is not IPv4 here", "set ipv4 on an ipv6 flow");
	start(F_V6_UDP);
	memset(&v6, 0, sizeof v6);
	v6.ipv6_proto = 17;
	v6.ipv6_label = htonl(0x100000);
	s = nest(&acts, OVS_ACTION_ATTR_SET);
	na_put(&acts, OVS_KEY_ATTR_IPV6, &v6, sizeof v6);
	na_nest_end(&acts, s);
	refuse(EINVAL, "ipv6 label has bits above 20", "set ipv6 label above 20 bits");
	start(F_V4_TCP);
	s = nest(&acts, OVS_ACTION_ATTR_SET);
	na_put_u32(&acts, OVS_KEY_ATTR_SKB_MARK, 3);
	na_put_u32(&acts, OVS_KEY_ATTR_PRIORITY, 3);
	na_nest_end(&acts, s);
	refuse(EINVAL, "must hold exactly one key attribute", "set of two attributes");
	start(F_V4_TCP);
	s = nest(&acts, OVS_ACTION_ATTR_SET);
	na_put_u16(&acts, OVS_KEY_ATTR_SKB_MARK, 3);
	na_nest_end(&acts, s);
	refuse(EINVAL, "skb_mark has length 2, expected 4", "set of the wrong length");
	start(F_V4_TCP);
	s = nest(&acts, OVS_ACTION_ATTR_SET);
	na_put_u16(&acts, OVS_KEY_ATTR_ICMP, 3);
	na_nest_end(&acts, s);
	refuse(EINVAL, "icmp cannot be set", "icmp cannot be set");
	start(F_L3);
	s = nest(&acts, OVS_ACTION_ATTR_SET);
	na_put(&acts, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
	na_nest_end(&acts, s);
	refuse(EINVAL, "eth on a packet without an Ethernet header", "set eth on an L3 packet");
}

static void test_set_tunnel(void)
{
	size_t s, t, t2;

	start(F_V4_TCP);
	s = nest(&acts, OVS_ACTION_ATTR_SET);
	t = na_nest_start(&acts, OVS_KEY_ATTR_TUNNEL);
	na_put_u8(&acts, OVS_TUNNEL_KEY_ATTR_TTL, 64);
	na_put_u16(&acts, OVS_TUNNEL_KEY_ATTR_TP_SRC, 0);
	na_put_u32(&acts, OVS_TUNNEL_KEY_ATTR_IPV4_DST, htonl(0xc0a80001));
	na_put_u8(&acts, OVS_TUNNEL_KEY_ATTR_TOS, 0);
	na_put_u64(&acts, OVS_TUNNEL_KEY_ATTR_ID, htobe64(5));
	na_nest_end(&acts, t);
	na_nest_end(&acts, s);
	s = nest(&want, OVS_ACTION_ATTR_SET);
	t2 = nest(&want, OVS_KEY_ATTR_TUNNEL);
	na_put_u64(&want, OVS_TUNNEL_KEY_ATTR_ID, htobe64(5));
	na_put_u32(&want, OVS_TUNNEL_KEY_ATTR_IPV4_DST, htonl(0xc0a80001));
	na_put_u8(&want, OVS_TUNNEL_KEY_ATTR_TTL, 64);
	na_nest_end(&want, t2);
	na_nest_end(&want, s);
	accepted("set(tunnel) reported in the kernel's order, zero fields left out");

	start(F_V4_TCP);
	s = nest(&acts, OVS_ACTION_ATTR_SET);
	t = nest(&acts, OVS_KEY_ATTR_TUNNEL);
	na_put_u64(&acts, OVS_TUNNEL_KEY_ATTR_ID, htobe64(9));
	na_put_flag(&acts, OVS_TUNNEL_KEY_ATTR_IPV4_INFO_BRIDGE);
	na_nest_end(&acts, t);
	na_nest_end(&acts, s);
	accepted("set(tunnel(info_bridge)) with an id");

	start(F_V4_TCP);
	s = nest(&acts, OVS_ACTION_ATTR_SET);
	t = nest(&acts, OVS_KEY_ATTR_TUNNEL);
	na_put_u8(&acts, OVS_TUNNEL_KEY_ATTR_TTL, 64);
	na_nest_end(&acts, t);
	na_nest_end(&acts, s);
	refuse(EINVAL, "action 1 (set): tunnel: IP tunnel dst address not specified",
	       "set(tunnel) with the kernel's tunnel refusal");
	start(F_V4_TCP);
	s = nest(&acts, OVS_ACTION_ATTR_SET);
	t = nest(&acts, OVS_KEY_ATTR_TUNNEL);
	na_put_u32(&acts, OVS_TUNNEL_KEY_ATTR_IPV4_DST, 1);
	na_put_u8(&acts, OVS_TUNNEL_KEY_ATTR_TTL, 64);
	na_put(&acts, OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS, "\0\1\2\3\0\0\0\0", 8);
	na_nest_end(&acts, t);
	na_nest_end(&acts, s);
	refuse(EINVAL, "geneve options are not whole TLVs", "set(tunnel) with a cut geneve TLV");
	start(F_V4_TCP);
	s = nest(&acts, OVS_ACTION_ATTR_SET_MASKED);
	t = nest(&acts, OVS_KEY_ATTR_TUNNEL);
	na_put_u32(&acts, OVS_TUNNEL_KEY_ATTR_IPV4_DST, 1);
	na_put_u32(&acts, OVS_TUNNEL_KEY_ATTR_IPV4_DST, 1);
	na_nest_end(&acts, t);
	na_nest_end(&acts, s);
	refuse(EINVAL, "a tunnel cannot be set with a mask", "set_masked(tunnel)");
}

/* ct(): the kernel reports it rebuilt. */
static void test_ct(void)
{
	uint32_t mark[2] = { 1, 0xff };
	uint8_t labels[32];
	size_t c, n;

	memset(labels, 0, sizeof labels);
	labels[16] = 1;
	start(F_V4_TCP);
	c = nest(&acts, OVS_ACTION_ATTR_CT);
	na_nest_end(&acts, c);
	c = nest(&want, OVS_ACTION_ATTR_CT);
	na_put_u16(&want, OVS_CT_ATTR_ZONE, 0);
	na_nest_end(&want, c);
	accepted("ct() is reported with its zone, 0");

	start(F_V4_TCP);
	c = nest(&acts, OVS_ACTION_ATTR_CT);
	/* commit first: the kernel checks NAT against what it has seen. */
	na_put_flag(&acts, OVS_CT_ATTR_COMMIT);
	n = nest(&acts, OVS_CT_ATTR_NAT);
	na_put_flag(&acts, OVS_NAT_ATTR_SRC);
	na_put_u16(&acts, OVS_NAT_ATTR_PROTO_MAX, 2000);
	na_put_u32(&acts, OVS_NAT_ATTR_IP_MIN, htonl(0x0a000005));
	na_put_u32(&acts, OVS_NAT_ATTR_IP_MAX, htonl(0x0a000005));
	na_put_u16(&acts, OVS_NAT_ATTR_PROTO_MIN, 1000);
	na_put_flag(&acts, OVS_NAT_ATTR_PROTO_RANDOM);
	na_nest_end(&acts, n);
	na_put_str(&acts, OVS_CT_ATTR_HELPER, "ftp");
	na_put(&acts, OVS_CT_ATTR_LABELS, labels, 32);
	na_put(&acts, OVS_CT_ATTR_MARK, mark, 8);
	na_put_u16(&acts, OVS_CT_ATTR_ZONE, 3);
	na_put_u16(&acts, OVS_CT_ATTR_ZONE, 4);
	na_put_flag(&acts, OVS_CT_ATTR_COMMIT);
	na_nest_end(&acts, c);
	c = nest(&want, OVS_ACTION_ATTR_CT);
	na_put_flag(&want, OVS_CT_ATTR_COMMIT);
	na_put_u16(&want, OVS_CT_ATTR_ZONE, 4);
	na_put(&want, OVS_CT_ATTR_MARK, mark, 8);
	na_put(&want, OVS_CT_ATTR_LABELS, labels, 32);
	na_put_str(&want, OVS_CT_ATTR_HELPER, "ftp");
	n = nest(&want, OVS_CT_ATTR_NAT);
	na_put_flag(&want, OVS_NAT_ATTR_SRC);
	na_put_u32(&want, OVS_NAT_ATTR_IP_MIN, htonl(0x0a000005));
	na_put_u16(&want, OVS_NAT_ATTR_PROTO_MIN, 1000);
	na_put_u16(&want, OVS_NAT_ATTR_PROTO_MAX, 2000);
	na_put_flag(&want, OVS_NAT_ATTR_PROTO_RANDOM);
	na_nest_end(&want, n);
	na_nest_end(&want, c);
	accepted("ct(commit,...,nat) rebuilt: kernel order, last zone, equal bounds merged");

	start(F_V4_TCP);
	c = nest(&acts, OVS_ACTION_ATTR_CT);
	na_put_flag(&acts, OVS_CT_ATTR_FORCE_COMMIT);
	na_put_u16(&acts, OVS_CT_ATTR_ZONE, 0);
	na_put_u32(&acts, OVS_CT_ATTR_EVENTMASK, 0x1f);
	na_put_str(&acts, OVS_CT_ATTR_TIMEOUT, "tcp_short");
	n = nest(&acts, OVS_CT_ATTR_NAT);
	na_nest_end(&acts, n);
	na_nest_end(&acts, c);
	accepted("ct(force_commit, eventmask, timeout, nat) in the kernel's order already");

#define CT(body, code, text, what, flw) do { \
		start(flw); c = nest(&acts, OVS_ACTION_ATTR_CT); \
		body; na_nest_end(&acts, c); refuse(code, text, what); \
	} while (0)
	CT((void)0, EINVAL, "action 1 (ct): ct: ct family unspecified",
	   "ct on an ARP flow", F_ARP);
	CT(na_put_flag(&acts, OVS_CT_ATTR_MAX + 1), EINVAL,
	   "Unknown conntrack attr (type=10, max=9)", "ct attribute above the maximum", F_V4_TCP);
	CT(na_put_u32(&acts, OVS_CT_ATTR_ZONE, 1), EINVAL,
	   "Conntrack attr type has unexpected length (type=2, length=4, expected=2)",
	   "ct zone of the wrong length", F_V4_TCP);
	CT(na_put_flag(&acts, OVS_CT_ATTR_UNSPEC), EINVAL, "Unknown conntrack attr (0)",
	   "ct attribute 0", F_V4_TCP);
	mark[1] = 0;
	CT((na_put_flag(&acts, OVS_CT_ATTR_COMMIT), na_put(&acts, OVS_CT_ATTR_MARK, mark, 8)),
	   EINVAL, "ct_mark mask cannot be 0", "ct mark with a zero mask", F_V4_TCP);
	mark[1] = 1;
	CT(na_put(&acts, OVS_CT_ATTR_MARK, mark, 8), EINVAL,
	   "Setting conntrack mark requires 'commit' flag.", "ct mark without commit", F_V4_TCP);
	labels[16] = 0;
	CT((na_put_flag(&acts, OVS_CT_ATTR_COMMIT), na_put(&acts, OVS_CT_ATTR_LABELS, labels, 32)),
	   EINVAL, "ct_labels mask cannot be 0", "ct labels with a zero mask", F_V4_TCP);
	labels[31] = 1;
	CT(na_put(&acts, OVS_CT_ATTR_LABELS, labels, 32), EINVAL,
	   "Setting conntrack labels requires 'commit' flag.", "ct labels without commit", F_V4_TCP);
	CT(na_put(&acts, OVS_CT_ATTR_HELPER, "ftp", 3), EINVAL, "Invalid conntrack helper",
	   "ct helper name without its NUL", F_V4_TCP);
	CT(na_put_str(&acts, OVS_CT_ATTR_HELPER, "nosuch"), EINVAL, "Unknown helper \"nosuch\"",
	   "ct helper that does not exist", F_V4_TCP);
	CT(na_put_str(&acts, OVS_CT_ATTR_HELPER, "ftp"), EINVAL, "Unknown helper \"ftp\"",
	   "ct helper ftp on a udp flow", F_V6_UDP);
	CT(na_put_str(&acts, OVS_CT_ATTR_HELPER, "tftp"), 0, "",
	   "ct helper tftp on a udp flow", F_V6_UDP);
	CT((na_put_str(&acts, OVS_CT_ATTR_HELPER, "sane"),
	    n = nest(&acts, OVS_CT_ATTR_NAT), na_nest_end(&acts, n)), ENOENT,
	   "Failed to load \"sane\" NAT helper, error: -2", "ct(nat) with a helper without NAT half",
	   F_V4_TCP);
	CT(na_put(&acts, OVS_CT_ATTR_TIMEOUT, "abc", 3), EINVAL, "Invalid conntrack timeout",
	   "ct timeout name without its NUL", F_V4_TCP);
	CT((na_put_flag(&acts, OVS_CT_ATTR_COMMIT), buf_put(&acts, "\1\2\3\4", 4)), EINVAL,
	   "Conntrack attr has 4 unknown bytes", "ct trailing bytes", F_V4_TCP);
#define NAT(body, code, text, what, flw) \
	CT((na_put_flag(&acts, OVS_CT_ATTR_COMMIT), n = nest(&acts, OVS_CT_ATTR_NAT), \
	    body, na_nest_end(&acts, n)), code, text, what, flw)
	NAT((na_put_flag(&acts, OVS_NAT_ATTR_SRC), na_put_flag(&acts, OVS_NAT_ATTR_DST)),
	    ERANGE, "Only one type of NAT may be specified", "nat src and dst: -ERANGE", F_V4_TCP);
	NAT(na_put_flag(&acts, OVS_NAT_ATTR_PERSISTENT), EINVAL,
	    "NAT flags may be given only when NAT range (SRC or DST) is also specified.",
	    "nat flags without src or dst", F_V4_TCP);
	NAT((na_put_flag(&acts, OVS_NAT_ATTR_SRC), na_put_u32(&acts, OVS_NAT_ATTR_IP_MIN, 1)),
	    EINVAL, "NAT attribute type 3 has unexpected length (4 != 16)",
	    "an ipv4 nat address on an ipv6 flow", F_V6_UDP);
	NAT(na_put_flag(&acts, OVS_NAT_ATTR_MAX + 1), EINVAL,
	    "Unknown NAT attribute (type=10, max=9)", "nat attribute above the maximum", F_V4_TCP);
	NAT(na_put_flag(&acts, OVS_NAT_ATTR_UNSPEC), EINVAL, "Unknown nat attribute (0)",
	    "nat attribute 0", F_V4_TCP);
	CT((n = nest(&acts, OVS_CT_ATTR_NAT), na_put_flag(&acts, OVS_NAT_ATTR_SRC),
	    na_nest_end(&acts, n)), EINVAL,
	   "NAT attributes may be specified only when CT COMMIT flag is also specified.",
	   "nat src without commit", F_V4_TCP);
	CT((n = nest(&acts, OVS_CT_ATTR_NAT), na_put_flag(&acts, OVS_NAT_ATTR_DST),
	    na_nest_end(&acts, n), na_put_flag(&acts, OVS_CT_ATTR_COMMIT)), EINVAL,
	   "only when CT COMMIT flag", "commit after nat comes too late for the kernel",
	   F_V4_TCP);
#undef NAT
#undef CT
}

/* Nested lists: sample, clone, check_pkt_len, dec_ttl. */
static void test_nested(void)
{
	size_t s, a, s2, a2;
	int i;

	start(F_V4_TCP);
	s = nest(&acts, OVS_ACTION_ATTR_SAMPLE);
	a = nest(&acts, OVS_SAMPLE_ATTR_ACTIONS);
	na_put_u32(&acts, OVS_ACTION_ATTR_OUTPUT, 3);
	na_nest_end(&acts, a);
	na_put_u32(&acts, OVS_SAMPLE_ATTR_PROBABILITY, 0x7fffffff);
	na_nest_end(&acts, s);
	s2 = nest(&want, OVS_ACTION_ATTR_SAMPLE);
	na_put_u32(&want, OVS_SAMPLE_ATTR_PROBABILITY, 0x7fffffff);
	a2 = nest(&want, OVS_SAMPLE_ATTR_ACTIONS);
	na_put_u32(&want, OVS_ACTION_ATTR_OUTPUT, 3);
	na_nest_end(&want, a2);
	na_nest_end(&want, s2);
	accepted("sample reported probability first");

	start(F_V4_TCP);
	s = nest(&acts, OVS_ACTION_ATTR_CHECK_PKT_LEN);
	a = nest(&acts, OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER);
	na_put_u32(&acts, OVS_ACTION_ATTR_OUTPUT, 4);
	na_nest_end(&acts, a);
	a = nest(&acts, OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL);
	na_nest_end(&acts, a);
	na_put_u16(&acts, OVS_CHECK_PKT_LEN_ATTR_PKT_LEN, 1500);
	na_nest_end(&acts, s);
	s2 = nest(&want, OVS_ACTION_ATTR_CHECK_PKT_LEN);
	na_put_u16(&want, OVS_CHECK_PKT_LEN_ATTR_PKT_LEN, 1500);
	a2 = nest(&want, OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL);
	na_nest_end(&want, a2);
	a2 = nest(&want, OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER);
	na_put_u32(&want, OVS_ACTION_ATTR_OUTPUT, 4);
	na_nest_end(&want, a2);
	na_nest_end(&want, s2);
	accepted("check_pkt_len reported as length, less-or-equal, greater");

	start(F_V4_TCP);
	s = nest(&acts, OVS_ACTION_ATTR_DEC_TTL);
	na_put_u32(&acts, 7, 1);        /* unknown: ignored, and not reported */
	a = nest(&acts, OVS_DEC_TTL_ATTR_ACTION);
	na_put_u32(&acts, OVS_ACTION_ATTR_OUTPUT, 5);
	na_nest_end(&acts, a);
	na_nest_end(&acts, s);
	s2 = nest(&want, OVS_ACTION_ATTR_DEC_TTL);
	a2 = nest(&want, OVS_DEC_TTL_ATTR_ACTION);
	na_put_u32(&want, OVS_ACTION_ATTR_OUTPUT, 5);
	na_nest_end(&want, a2);
	na_nest_end(&want, s2);
	accepted("dec_ttl: unknown attributes ignored and dropped");

	/* Sixteen nested clones are fine, seventeen are not. */
	start(F_V4_TCP);
	{
		size_t open[20];

		for (i = 0; i < 16; i++)
			open[i] = na_nest_start(&acts, OVS_ACTION_ATTR_CLONE);
		na_put_u32(&acts, OVS_ACTION_ATTR_OUTPUT, 1);
		for (i = 15; i >= 0; i--)
			na_nest_end(&acts, open[i]);
		for (i = 0; i < 16; i++)
			open[i] = nest(&want, OVS_ACTION_ATTR_CLONE);
		na_put_u32(&want, OVS_ACTION_ATTR_OUTPUT, 1);
		for (i = 15; i >= 0; i--)
			na_nest_end(&want, open[i]);
		accepted("sixteen nested clones");
		buf_clear(&acts);
		for (i = 0; i < 17; i++)
			open[i] = na_nest_start(&acts, OVS_ACTION_ATTR_CLONE);
		for (i = 16; i >= 0; i--)
			na_nest_end(&acts, open[i]);
		refuse(EOVERFLOW, "nested more than 16 deep", "seventeen nested clones: -EOVERFLOW");
	}

	/* Inner lists see the outer state, not the other way round. */
	start(F_VLAN_V4);
	s = nest(&acts, OVS_ACTION_ATTR_CLONE);
	na_put_flag(&acts, OVS_ACTION_ATTR_POP_VLAN);
	na_nest_end(&acts, s);
	na_put_flag(&acts, OVS_ACTION_ATTR_POP_ETH);
	refuse(EINVAL, "action 2 (pop_eth)", "a pop_vlan inside clone does not leak out");
	start(F_V4_TCP);
	s = nest(&acts, OVS_ACTION_ATTR_CLONE);
	na_put_u32(&acts, OVS_ACTION_ATTR_OUTPUT, 1);
	na_put_u32(&acts, OVS_ACTION_ATTR_OUTPUT, 70000);
	na_nest_end(&acts, s);
	refuse(EINVAL, "action 1 (clone) > action 2 (output): Port 70000",
	       "errors inside a nested list name the path");

	start(F_V4_TCP);
	s = nest(&acts, OVS_ACTION_ATTR_SAMPLE);
	a = nest(&acts, OVS_SAMPLE_ATTR_ACTIONS);
	na_nest_end(&acts, a);
	na_nest_end(&acts, s);
	refuse(EINVAL, "needs a 32-bit probability", "sample without probability");
	start(F_V4_TCP);
	s = nest(&acts, OVS_ACTION_ATTR_SAMPLE);
	na_put_u32(&acts, OVS_SAMPLE_ATTR_PROBABILITY, 1);
	na_put_u32(&acts, OVS_SAMPLE_ATTR_PROBABILITY, 1);
	na_nest_end(&acts, s);
	refuse(EINVAL, "unknown or repeated", "sample attribute repeated");
	start(F_V4_TCP);
	s = nest(&acts, OVS_ACTION_ATTR_SAMPLE);
	na_put_u32(&acts, OVS_SAMPLE_ATTR_PROBABILITY, 1);
	na_nest_end(&acts, s);
	refuse(EINVAL, "needs a list of actions", "sample without actions");
	start(F_V4_TCP);
	s = nest(&acts, OVS_ACTION_ATTR_CLONE);
	buf_put(&acts, "\0\0", 2);
	na_nest_end(&acts, s);
	buf_put(&acts, "\0\0", 2);
	refuse(EINVAL, "needs a list of actions", "clone of 2 bytes");
	start(F_V4_TCP);
	s = nest(&acts, OVS_ACTION_ATTR_CHECK_PKT_LEN);
	na_put_u16(&acts, OVS_CHECK_PKT_LEN_ATTR_PKT_LEN, 0);
	na_nest_end(&acts, s);
	refuse(EINVAL, "needs a non-zero packet length", "check_pkt_len of length 0");
	start(F_V4_TCP);
	s = nest(&acts, OVS_ACTION_ATTR_CHECK_PKT_LEN);
	na_put_u8(&acts, OVS_CHECK_PKT_LEN_ATTR_PKT_LEN, 1);
	na_nest_end(&acts, s);
	refuse(ERANGE, "too short", "check_pkt_len length of one byte: -ERANGE");
	start(F_V4_TCP);
	s = nest(&acts, OVS_ACTION_ATTR_CHECK_PKT_LEN);
	na_put_u16(&acts, OVS_CHECK_PKT_LEN_ATTR_PKT_LEN, 100);
	a = nest(&acts, OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER);
	na_nest_end(&acts, a);
	na_nest_end(&acts, s);
	refuse(EINVAL, "needs both lists of actions", "check_pkt_len with one list");
	start(F_V4_TCP);
	s = nest(&acts, OVS_ACTION_ATTR_CHECK_PKT_LEN);
	na_put_u16(&acts, OVS_CHECK_PKT_LEN_ATTR_PKT_LEN, 100);
	na_put_flag(&acts, OVS_CHECK_PKT_LEN_ATTR_MAX + 1);
	na_nest_end(&acts, s);
	refuse(EINVAL, "unknown attribute type 4 (max 3)",
	       "check_pkt_len attribute above the maximum (strict parse)");
	start(F_V4_TCP);
	s = nest(&acts, OVS_ACTION_ATTR_CHECK_PKT_LEN);
	na_put_flag(&acts, OVS_CHECK_PKT_LEN_ATTR_UNSPEC);
	na_nest_end(&acts, s);
	refuse(EINVAL, "unknown attribute type 0 (max 3)", "check_pkt_len attribute 0");
	start(F_V4_TCP);
	s = nest(&acts, OVS_ACTION_ATTR_CHECK_PKT_LEN);
	na_put_u16(&acts, OVS_CHECK_PKT_LEN_ATTR_PKT_LEN, 100);
	buf_put(&acts, "\1\2\3\4", 4);
	na_nest_end(&acts, s);
	refuse(EINVAL, "4 bytes leftover after parsing attributes",
	       "check_pkt_len bytes left over");
	start(F_V4_TCP);
	s = nest(&acts, OVS_ACTION_ATTR_DEC_TTL);
	na_nest_end(&acts, s);
	refuse(EINVAL, "Missing valid actions attribute.", "dec_ttl without actions");
	start(F_V4_TCP);
	s = nest(&acts, OVS_ACTION_ATTR_DEC_TTL);
	na_put_flag(&acts, OVS_DEC_TTL_ATTR_UNSPEC);
	na_nest_end(&acts, s);
	refuse(EINVAL, "Duplicate or invalid key (type 0).", "dec_ttl attribute 0");
}

static void test_push_nsh(void)
{
	struct ovs_nsh_key_base base = { 0, 63, 1, 1, htonl(0x100) };
	uint8_t md1[16] = { 0 };
	size_t p, n;

	start(F_V4_TCP);
	p = nest(&acts, OVS_ACTION_ATTR_PUSH_NSH);
	n = nest(&acts, OVS_KEY_ATTR_NSH);
	na_put(&acts, OVS_NSH_KEY_ATTR_BASE, &base, sizeof base);
	na_put(&acts, OVS_NSH_KEY_ATTR_MD1, md1, sizeof md1);
	na_nest_end(&acts, n);
	na_nest_end(&acts, p);
	accepted("push_nsh with a base header and MD1 context");
	start(F_V4_TCP);
	p = nest(&acts, OVS_ACTION_ATTR_PUSH_NSH);
	n = nest(&acts, OVS_KEY_ATTR_NSH);
	na_put(&acts, OVS_NSH_KEY_ATTR_BASE, &base, sizeof base);
	na_nest_end(&acts, n);
	na_nest_end(&acts, p);
	refuse(EINVAL, "push_nsh: missing base or metadata attributes", "push_nsh without context");
	start(F_V4_TCP);
	base.mdtype = 2;
	p = nest(&acts, OVS_ACTION_ATTR_PUSH_NSH);
	n = nest(&acts, OVS_KEY_ATTR_NSH);
	na_put(&acts, OVS_NSH_KEY_ATTR_BASE, &base, sizeof base);
	na_put(&acts, OVS_NSH_KEY_ATTR_MD1, md1, sizeof md1);
	na_nest_end(&acts, n);
	na_nest_end(&acts, p);
	refuse(EINVAL, "nsh attribute has unmatched MD type 2.", "push_nsh MD1 context with mdtype 2");
}

int main(void)
{
	test_simple();
	test_eth_mpls();
	test_set();
	test_set_tunnel();
	test_ct();
	test_nested();
	test_push_nsh();
	buf_free(&acts);
	buf_free(&want);
	buf_free(&fk);
	buf_free(&fm);
	return done();
}

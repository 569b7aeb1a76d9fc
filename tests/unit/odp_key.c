/*
 * Unit tests for odp_key: reading keys and masks with the kernel's
 * semantics, and writing them back as the kernel reports them.
 *
 * First ~1000 generated flows (odp_gen.h: every protocol combination,
 * without VLAN, with one and with two), each read and compared with the
 * struct built beside it, then written, read again and written again:
 * struct -> attrs -> struct and attrs -> struct -> attrs must be exact.
 * One test point per combination.  Then the kernel's particular rules,
 * one point each.  Refusals are in odp_key_reject.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "odp_cases.h"
#include "odp_key.h"
#include "odp_gen.h"
#include "tap.h"

#define CASES 20

/* Name the first field where two keys differ. */
static const char *field_at(size_t ofs)
{
	static const struct { size_t ofs; const char *name; } f[] = {
		{ offsetof(struct dp_key, in_port), "in_port" },
		{ offsetof(struct dp_key, recirc_id), "recirc_id" },
		{ offsetof(struct dp_key, dp_hash), "dp_hash" },
		{ offsetof(struct dp_key, priority), "priority" },
		{ offsetof(struct dp_key, skb_mark), "skb_mark" },
		{ offsetof(struct dp_key, mac_proto), "mac_proto" },
		{ offsetof(struct dp_key, tun_proto), "tun_proto" },
		{ offsetof(struct dp_key, ct_state), "ct_state" },
		{ offsetof(struct dp_key, ct_orig_proto), "ct_orig_proto" },
		{ offsetof(struct dp_key, ct_zone), "ct_zone" },
		{ offsetof(struct dp_key, ct_mark), "ct_mark" },
		{ offsetof(struct dp_key, ct_labels), "ct_labels" },
		{ offsetof(struct dp_key, eth_src), "eth_src" },
		{ offsetof(struct dp_key, eth_dst), "eth_dst" },
		{ offsetof(struct dp_key, vlan), "vlan" },
		{ offsetof(struct dp_key, cvlan), "cvlan" },
		{ offsetof(struct dp_key, eth_type), "eth_type" },
		{ offsetof(struct dp_key, nw_proto), "nw_proto" },
		{ offsetof(struct dp_key, nw_tos), "nw_tos" },
		{ offsetof(struct dp_key, nw_ttl), "nw_ttl" },
		{ offsetof(struct dp_key, nw_frag), "nw_frag" },
		{ offsetof(struct dp_key, tp_src), "tp_src" },
		{ offsetof(struct dp_key, tp_dst), "tp_dst" },
		{ offsetof(struct dp_key, tcp_flags), "tcp_flags" },
		{ offsetof(struct dp_key, ipv6_exthdrs), "ipv6_exthdrs" },
		{ offsetof(struct dp_key, l3), "l3" },
		{ offsetof(struct dp_key, ct_orig), "ct_orig" },
		{ offsetof(struct dp_key, ct_orig_tp_src), "ct_orig_tp" },
		{ offsetof(struct dp_key, tun), "tun" },
		{ offsetof(struct dp_key, tun.flags), "tun.flags" },
		{ offsetof(struct dp_key, tun.opts_type), "tun.opts_type" },
		{ offsetof(struct dp_key, tun.opts), "tun.opts" },
	};
	const char *name = "?";
	size_t i;

	for (i = 0; i < sizeof f / sizeof f[0]; i++)
		if (f[i].ofs <= ofs)
			name = f[i].name;
	return name;
}

static int same(const char *what, const struct dp_key *a,
		const struct dp_key *b)
{
	const uint8_t *x = (const void *)a, *y = (const void *)b;
	size_t i;

	for (i = 0; i < sizeof *a; i++)
		if (x[i] != y[i]) {
			note("%s differs at byte %zu (%s): %02x vs %02x", what, i,
			     field_at(i), x[i], y[i]);
			return 0;
		}
	return 1;
}

/* One generated flow through every step; 1 if all hold. */
static int run_case(struct gen *g)
{
	struct buf rk = BUF_INIT, rm = BUF_INIT, rk2 = BUF_INIT, rm2 = BUF_INIT;
	struct dp_key k, m, k2, m2, ko;
	struct dp_err err;
	int ok = 0, r;

	r = odp_match_from_attrs(g->k.data, g->k.len, g->m.data, g->m.len,
				 &k, &m, &err);
	if (r) {
		note("read: %s", err.msg);
		goto out;
	}
	if (!same("key", &k, &g->ek) || !same("mask", &m, &g->em))
		goto out;
	if (odp_key_from_attrs(g->k.data, g->k.len, &ko, &err) ||
	    !same("key alone", &ko, &g->ek))
		goto out;
	odp_key_to_attrs(&rk, &k);
	odp_mask_to_attrs(&rm, &k, &m);
	r = odp_match_from_attrs(rk.data, rk.len, rm.data, rm.len, &k2, &m2, &err);
	if (r) {
		note("re-read of the kernel form: %s", err.msg);
		goto out;
	}
	if (!same("key after round trip", &k2, &k) ||
	    !same("mask after round trip", &m2, &m))
		goto out;
	odp_key_to_attrs(&rk2, &k2);
	odp_mask_to_attrs(&rm2, &k2, &m2);
	if (rk2.len != rk.len || memcmp(rk2.data, rk.data, rk.len) ||
	    rm2.len != rm.len || memcmp(rm2.data, rm.data, rm.len)) {
		note("kernel form not stable");
		goto out;
	}
	ok = 1;
out:
	buf_free(&rk);
	buf_free(&rm);
	buf_free(&rk2);
	buf_free(&rm2);
	return ok;
}

static void test_generated(void)
{
	static const char *const vnames[] = { "", ", one vlan", ", qinq" };
	struct gen g = { BUF_INIT, BUF_INIT, { 0 }, { 0 }, 0x9e3779b97f4a7c15ull, 0 };
	int kind, vlan, i, good;

	for (kind = 0; kind < G_KINDS; kind++)
		for (vlan = GV_NONE; vlan <= GV_QINQ; vlan++) {
			if (kind == G_L3ONLY && vlan != GV_NONE)
				continue;
			for (good = 0, i = 0; i < CASES; i++) {
				gen_flow(&g, (enum gen_kind)kind, (enum gen_vlan)vlan);
				if (!run_case(&g))
					break;
				good++;
			}
			ok(good == CASES, "%s%s: %d generated keys read and round-tripped",
			   gen_kind_names[kind], vnames[vlan], good);
		}
	buf_free(&g.k);
	buf_free(&g.m);
}

/* --- the kernel's particular rules ------------------------------------ */

static const struct ovs_key_ethernet eth = {
	{ 0, 1, 2, 3, 4, 5 }, { 0x10, 0x11, 0x12, 0x13, 0x14, 0x15 }
};

/* in_port(1), eth, eth_type(0x0800), ipv4(10.0.0.1 > 10.0.0.2, tcp), tcp */
static void put_v4_tcp(struct buf *b, int with_port)
{
	struct ovs_key_ipv4 v4 = { htonl(0x0a000001), htonl(0x0a000002), 6, 0, 64, 0 };
	struct ovs_key_tcp tcp = { htons(80), htons(8080) };

	if (with_port)
		na_put_u32(b, OVS_KEY_ATTR_IN_PORT, 1);
	na_put(b, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
	na_put_u16(b, OVS_KEY_ATTR_ETHERTYPE, htons(0x0800));
	na_put(b, OVS_KEY_ATTR_IPV4, &v4, sizeof v4);
	na_put(b, OVS_KEY_ATTR_TCP, &tcp, sizeof tcp);
	na_put_u16(b, OVS_KEY_ATTR_TCP_FLAGS, htons(0x02));
}

/* Read a key (and mask), leaving the case for the kernel comparison. */
static int match(const struct buf *k, const struct buf *m, struct dp_key *key,
		 struct dp_key *mask, struct dp_err *err)
{
	case_dump(k, m, NULL);
	return odp_match_from_attrs(k->data, k->len, m ? m->data : NULL,
				    m ? m->len : 0, key, mask, err);
}

static int key_only(const struct buf *k, struct dp_key *key, struct dp_err *err)
{
	case_dump(k, NULL, NULL);
	return odp_key_from_attrs(k->data, k->len, key, err);
}

static int all(const void *p, size_t n, uint8_t v)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++ != v)
			return 0;
	return 1;
}

static const struct nlattr *find(const struct buf *b, uint16_t type)
{
	return na_find(b->data, b->len, type);
}

static void test_implied_mask(void)
{
	struct buf k = BUF_INIT;
	struct dp_key key, mask;
	struct dp_err err;

	put_v4_tcp(&k, 1);
	ok(match(&k, NULL, &key, &mask, &err) == 0 &&
	   mask.in_port == 0xffffffff && all(mask.eth_src, 12, 0xff) &&
	   mask.eth_type == 0xffff && mask.l3.ipv4.src == 0xffffffff &&
	   mask.nw_proto == 0xff && mask.nw_frag == 0xff &&
	   mask.tp_src == 0xffff && mask.tcp_flags == 0xffff &&
	   mask.vlan.tci == 0xffff && mask.cvlan.tci == 0xffff &&
	   mask.mac_proto == 0xff && mask.skb_mark == 0 && mask.tun_proto == 0,
	   "no mask: exact on what the key gives, nothing else but the VLAN TCIs");

	/* ct_state: only the bits the kernel supports. */
	na_put_u32(&k, OVS_KEY_ATTR_CT_STATE, 0x21);
	ok(match(&k, NULL, &key, &mask, &err) == 0 &&
	   key.ct_state == 0x21 && mask.ct_state == 0xff,
	   "no mask: ct_state mask is the supported bits, 0xff");
	buf_free(&k);
}

static void test_implied_tunnel(void)
{
	struct buf k = BUF_INIT;
	struct dp_key key, mask;
	struct dp_err err;
	size_t n;

	n = na_nest_start(&k, OVS_KEY_ATTR_TUNNEL);
	na_put_u32(&k, OVS_TUNNEL_KEY_ATTR_IPV4_DST, htonl(0xc0a80001));
	na_put_u8(&k, OVS_TUNNEL_KEY_ATTR_TTL, 64);
	na_put_flag(&k, OVS_TUNNEL_KEY_ATTR_CSUM);
	na_nest_end(&k, n);
	na_put(&k, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
	na_put_u16(&k, OVS_KEY_ATTR_ETHERTYPE, htons(0x1234));
	ok(match(&k, NULL, &key, &mask, &err) == 0 &&
	   key.tun_proto == DP_TUN_IPV4 && mask.tun_proto == 0xff &&
	   mask.tun.tos == 0xff && mask.tun.tp_src == 0xffff &&
	   mask.tun.id == ~0ull && all(&mask.tun.addr, sizeof mask.tun.addr, 0xff) &&
	   mask.tun.flags == DP_TUN_F_CSUM,
	   "no mask: tunnel fields the key leaves out are exact, flags only those given");
	buf_free(&k);
}

static void test_empty_mask(void)
{
	struct buf k = BUF_INIT, m = BUF_INIT, out = BUF_INIT;
	struct dp_key key, mask;
	struct dp_err err;
	const struct nlattr *kn, *mn;
	size_t a, b;

	a = na_nest_start(&k, OVS_FLOW_ATTR_KEY);
	put_v4_tcp(&k, 1);
	na_nest_end(&k, a);
	b = na_nest_start(&m, OVS_FLOW_ATTR_MASK);
	na_nest_end(&m, b);
	{
		struct buf kp = BUF_INIT, mp = BUF_INIT;

		put_v4_tcp(&kp, 1);
		case_dump(&kp, &mp, NULL);      /* an empty mask */
		buf_free(&kp);
	}
	kn = (const void *)k.data;
	mn = (const void *)m.data;
	ok(odp_match_from_nlattrs(kn, mn, &key, &mask, &err) == 0 &&
	   mask.in_port == 0 && mask.eth_type == 0 && mask.nw_proto == 0 &&
	   mask.vlan.tci == 0xffff && mask.mac_proto == 0xff,
	   "an empty mask attribute wildcards all but the VLAN TCIs");
	odp_mask_to_attrs(&out, &key, &mask);
	kn = find(&out, OVS_KEY_ATTR_IN_PORT);
	ok(kn && na_get_u32(kn) == 0xffff0000,
	   "a flow with in_port wildcarded reports mask in_port 0xffff0000");
	ok(odp_match_from_nlattrs((const void *)k.data, NULL, &key, &mask,
				  &err) == 0 && mask.in_port == 0xffffffff,
	   "an absent mask attribute is an exact match");
	buf_free(&k);
	buf_free(&m);
	buf_free(&out);
}

static void test_no_in_port(void)
{
	struct buf k = BUF_INIT, out = BUF_INIT;
	struct dp_key key, mask;
	struct dp_err err;
	const struct nlattr *a;

	put_v4_tcp(&k, 0);
	ok(match(&k, NULL, &key, &mask, &err) == 0 &&
	   key.in_port == DP_PORT_NONE && mask.in_port == 0,
	   "a key without in_port holds DP_PORT_NONE, its mask none");
	odp_key_to_attrs(&out, &key);
	ok(!find(&out, OVS_KEY_ATTR_IN_PORT), "and is reported without in_port");
	buf_clear(&out);
	mask.in_port = 0xffffffff;
	odp_mask_to_attrs(&out, &key, &mask);
	a = find(&out, OVS_KEY_ATTR_IN_PORT);
	ok(a && na_get_u32(a) == 0xffffffff,
	   "its exact mask reports in_port 0xffffffff");
	buf_free(&k);
	buf_free(&out);
}

static void test_8022(void)
{
	struct buf k = BUF_INIT, out = BUF_INIT;
	struct dp_key key, mask;
	struct dp_err err;
	const struct nlattr *a;

	na_put_u32(&k, OVS_KEY_ATTR_IN_PORT, 3);
	na_put(&k, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
	ok(match(&k, NULL, &key, &mask, &err) == 0 &&
	   key.eth_type == htons(DP_ETH_TYPE_802_2) && mask.eth_type == 0,
	   "eth without eth_type: an 802.3 frame, eth_type 0x0004, not matched");
	odp_key_to_attrs(&out, &key);
	ok(!find(&out, OVS_KEY_ATTR_ETHERTYPE), "802.2 key reported without eth_type");
	buf_clear(&out);
	odp_mask_to_attrs(&out, &key, &mask);
	a = find(&out, OVS_KEY_ATTR_ETHERTYPE);
	ok(a && na_get_u16(a) == 0,
	   "its mask, shaped by the masked key (eth_type 0), reports eth_type(0)");
	buf_free(&k);
	buf_free(&out);
}

static void test_l3_packet(void)
{
	struct buf k = BUF_INIT, out = BUF_INIT;
	struct ovs_key_ipv4 v4 = { htonl(1), htonl(2), 17, 0, 9, 0 };
	struct ovs_key_udp udp = { htons(1), htons(2) };
	struct dp_key key, mask;
	struct dp_err err;

	na_put_u16(&k, OVS_KEY_ATTR_ETHERTYPE, htons(0x0800));
	na_put(&k, OVS_KEY_ATTR_IPV4, &v4, sizeof v4);
	na_put(&k, OVS_KEY_ATTR_UDP, &udp, sizeof udp);
	ok(match(&k, NULL, &key, &mask, &err) == 0 &&
	   key.mac_proto == DP_MAC_NONE && mask.mac_proto == 0xff &&
	   key.eth_type == htons(0x0800) && mask.eth_type == 0xffff,
	   "eth_type without eth: an L3 packet (mac_proto none)");
	odp_key_to_attrs(&out, &key);
	ok(!find(&out, OVS_KEY_ATTR_ETHERNET) && find(&out, OVS_KEY_ATTR_UDP),
	   "an L3 packet is reported without eth");
	buf_free(&k);
	buf_free(&out);
}

/* The kernel keeps ipv4/ipv6/arp/nd/mpls in one union: extra attributes
 * of another protocol overwrite the flow's. */
static void test_union_aliasing(void)
{
	struct buf k = BUF_INIT, m = BUF_INIT;
	struct ovs_key_ipv4 v4 = { htonl(0x0a000001), htonl(0x0a000002), 47, 0, 64, 0 };
	struct ovs_key_ipv6 v6;
	struct dp_key key, mask;
	struct dp_err err;
	uint32_t w[2];

	memset(&v6, 0, sizeof v6);
	v6.ipv6_src[0] = htonl(0xfe800000);
	v6.ipv6_src[1] = htonl(0x12345678);
	v6.ipv6_proto = 17;
	na_put(&k, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
	na_put_u16(&k, OVS_KEY_ATTR_ETHERTYPE, htons(0x0800));
	na_put(&k, OVS_KEY_ATTR_IPV4, &v4, sizeof v4);
	na_put(&k, OVS_KEY_ATTR_IPV6, &v6, sizeof v6);
	{
		struct ovs_key_udp udp = { htons(7), htons(9) };

		na_put(&k, OVS_KEY_ATTR_UDP, &udp, sizeof udp);
	}
	na_put(&m, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
	na_put_u16(&m, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
	memcpy(w, v6.ipv6_src, 8);
	ok(match(&k, &m, &key, &mask, &err) == 0 &&
	   key.nw_proto == 17 && key.l3.ipv4.src == w[0] && key.l3.ipv4.dst == w[1],
	   "ipv4 flow with an extra ipv6 attribute: the kernel's union mixes them");
	buf_free(&k);
	buf_free(&m);
}

static void test_truncated_vlan(void)
{
	struct buf k = BUF_INIT, out = BUF_INIT;
	struct dp_key key, mask;
	struct dp_err err;
	size_t n;

	na_put(&k, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
	na_put_u16(&k, OVS_KEY_ATTR_ETHERTYPE, htons(0x8100));
	na_put_u16(&k, OVS_KEY_ATTR_VLAN, 0);
	n = na_nest_start(&k, OVS_KEY_ATTR_ENCAP);
	na_nest_end(&k, n);
	ok(key_only(&k, &key, &err) == 0 &&
	   key.vlan.tpid == htons(0x8100) && key.vlan.tci == 0 &&
	   key.eth_type == htons(DP_ETH_TYPE_802_2),
	   "truncated VLAN header (tci 0, empty encap): tpid kept, eth_type 802.2");
	odp_key_to_attrs(&out, &key);
	ok(!find(&out, OVS_KEY_ATTR_VLAN) && !find(&out, OVS_KEY_ATTR_ETHERTYPE),
	   "and reported as a bare eth(), as the kernel does");
	ok(match(&k, NULL, &key, &mask, &err) == -EINVAL &&
	   strstr(err.msg, "VLAN attribute unexpected."),
	   "its implied mask drops the empty encap and refuses the vlan: %s", err.msg);
	buf_free(&k);
	buf_free(&out);
}

static void test_three_tags(void)
{
	struct buf k = BUF_INIT, out = BUF_INIT;
	struct dp_key key;
	struct dp_err err;
	size_t e1, e2;

	na_put(&k, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
	na_put_u16(&k, OVS_KEY_ATTR_ETHERTYPE, htons(0x88a8));
	na_put_u16(&k, OVS_KEY_ATTR_VLAN, htons(0x1064));
	e1 = na_nest_start(&k, OVS_KEY_ATTR_ENCAP);
	na_put_u16(&k, OVS_KEY_ATTR_ETHERTYPE, htons(0x8100));
	na_put_u16(&k, OVS_KEY_ATTR_VLAN, htons(0x10c8));
	e2 = na_nest_start(&k, OVS_KEY_ATTR_ENCAP);
	na_put_u16(&k, OVS_KEY_ATTR_ETHERTYPE, htons(0x8100));
	na_nest_end(&k, e2);
	na_nest_end(&k, e1);
	ok(key_only(&k, &key, &err) == 0 &&
	   key.eth_type == htons(0x8100) && key.cvlan.tci == htons(0x10c8),
	   "a third tag's eth_type is kept as the flow's eth_type");
	odp_key_to_attrs(&out, &key);
	ok(out.len > 0 && odp_key_from_attrs(out.data, out.len, &key, &err) == 0 &&
	   key.eth_type == htons(0x8100),
	   "reported up to the third tag's eth_type, and read back");
	buf_free(&k);
	buf_free(&out);
}

static void test_nd_tuple(void)
{
	struct buf k = BUF_INIT, out = BUF_INIT;
	struct ovs_key_ipv6 v6;
	struct ovs_key_icmpv6 ic = { 135, 0 };
	struct ovs_key_nd nd;
	struct ovs_key_ct_tuple_ipv6 t;
	struct dp_key key, key2;
	struct dp_err err;

	memset(&v6, 0, sizeof v6);
	v6.ipv6_proto = 58;
	memset(&nd, 0xaa, sizeof nd);
	memset(&t, 0x55, sizeof t);
	na_put(&k, OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6, &t, sizeof t);
	na_put(&k, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
	na_put_u16(&k, OVS_KEY_ATTR_ETHERTYPE, htons(0x86dd));
	na_put(&k, OVS_KEY_ATTR_IPV6, &v6, sizeof v6);
	na_put(&k, OVS_KEY_ATTR_ICMPV6, &ic, sizeof ic);
	na_put(&k, OVS_KEY_ATTR_ND, &nd, sizeof nd);
	ok(key_only(&k, &key, &err) == 0 &&
	   all(key.ct_orig.v6.src, 16, 0xaa) && all(key.ct_orig.v6.dst, 12, 0xaa) &&
	   all(key.ct_orig.v6.dst + 12, 4, 0x55) && all(key.l3.ipv6.nd_target, 16, 0xaa),
	   "ND and the original tuple share the kernel's key: the tuple reads ND bytes");
	odp_key_to_attrs(&out, &key);
	ok(odp_key_from_attrs(out.data, out.len, &key2, &err) == 0 &&
	   !memcmp(&key, &key2, sizeof key), "and round-trips as such");
	{
		/* With a mask that leaves the tuple out the kernel accepts the
		 * flow, and reports the tuple it aliases. */
		struct buf m = BUF_INIT;
		struct dp_key mask;

		na_put_u16(&m, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
		ok(match(&k, &m, &key2, &mask, &err) == 0 &&
		   !memcmp(&key, &key2, sizeof key),
		   "ND with a tuple the mask leaves out is accepted");
		buf_free(&m);
	}
	buf_free(&k);
	buf_free(&out);
}

static void test_erspan_window(void)
{
	struct buf k = BUF_INIT;
	struct dp_key key;
	struct dp_err err;
	uint8_t opts[16];
	size_t n;
	int i;

	for (i = 0; i < 16; i++)
		opts[i] = (uint8_t)(i + 1);
	n = na_nest_start(&k, OVS_KEY_ATTR_TUNNEL);
	na_put_u32(&k, OVS_TUNNEL_KEY_ATTR_IPV4_DST, htonl(1));
	na_put_u8(&k, OVS_TUNNEL_KEY_ATTR_TTL, 1);
	na_put(&k, OVS_TUNNEL_KEY_ATTR_ERSPAN_OPTS, opts, 16);
	na_nest_end(&k, n);
	na_put(&k, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
	ok(key_only(&k, &key, &err) == 0 &&
	   key.tun.opts_len == 12 && key.tun.opts[0] == 5 && key.tun.opts[11] == 16,
	   "erspan options longer than 12 bytes: the kernel keeps the last 12");
	buf_clear(&k);
	n = na_nest_start(&k, OVS_KEY_ATTR_TUNNEL);
	na_put_u32(&k, OVS_TUNNEL_KEY_ATTR_IPV4_DST, htonl(1));
	na_put_u8(&k, OVS_TUNNEL_KEY_ATTR_TTL, 1);
	na_put(&k, OVS_TUNNEL_KEY_ATTR_ERSPAN_OPTS, opts, 8);
	na_nest_end(&k, n);
	na_put(&k, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
	ok(key_only(&k, &key, &err) == 0 &&
	   key.tun.opts_len == 12 && all(key.tun.opts, 4, 0) && key.tun.opts[4] == 1,
	   "erspan options shorter than 12 bytes: zero-filled in front");
	buf_free(&k);
}

static void test_metadata_only(void)
{
	struct buf k = BUF_INIT;
	struct dp_key key;
	struct dp_err err;

	na_put_u32(&k, OVS_KEY_ATTR_PRIORITY, 7);
	na_put_u32(&k, OVS_KEY_ATTR_IN_PORT, 9);
	na_put_u32(&k, OVS_KEY_ATTR_RECIRC_ID, 3);
	na_put(&k, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
	na_put_u16(&k, OVS_KEY_ATTR_ETHERTYPE, htons(0x0800));
	ok(odp_key_metadata_from_attrs(k.data, k.len, &key, &err) == 0 &&
	   key.in_port == 9 && key.priority == 7 && key.recirc_id == 3 &&
	   key.eth_type == 0 && key.mac_proto == DP_MAC_ETH,
	   "execute key: metadata read, the rest left to the packet (ipv4 not required)");
	buf_free(&k);
}

static void test_arp_icmp_masks(void)
{
	struct buf k = BUF_INIT, m = BUF_INIT, out = BUF_INIT;
	struct ovs_key_arp arp, am;
	struct dp_key key, mask;
	struct dp_err err;
	const struct nlattr *a;

	memset(&arp, 0, sizeof arp);
	memset(&am, 0, sizeof am);
	arp.arp_op = htons(2);
	am.arp_op = 0xffff;
	na_put(&k, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
	na_put_u16(&k, OVS_KEY_ATTR_ETHERTYPE, htons(0x0806));
	na_put(&k, OVS_KEY_ATTR_ARP, &arp, sizeof arp);
	na_put_u16(&m, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
	na_put(&m, OVS_KEY_ATTR_ARP, &am, sizeof am);
	ok(match(&k, &m, &key, &mask, &err) == 0 &&
	   key.nw_proto == 2 && mask.nw_proto == 0xff,
	   "arp opcode kept in nw_proto, its mask too");
	odp_mask_to_attrs(&out, &key, &mask);
	a = find(&out, OVS_KEY_ATTR_ARP);
	ok(a && ((const struct ovs_key_arp *)na_data(a))->arp_op == htons(0xff),
	   "the arp op mask is reported as 0x00ff");
	buf_free(&k);
	buf_free(&m);
	buf_free(&out);
}

int main(void)
{
	test_generated();
	test_implied_mask();
	test_implied_tunnel();
	test_empty_mask();
	test_no_in_port();
	test_8022();
	test_l3_packet();
	test_union_aliasing();
	test_truncated_vlan();
	test_three_tags();
	test_nd_tuple();
	test_erspan_window();
	test_metadata_only();
	test_arp_icmp_masks();
	return done();
}

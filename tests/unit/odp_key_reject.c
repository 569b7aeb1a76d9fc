/*
 * Unit tests for odp_key: every way the kernel refuses a flow key or mask,
 * with its log message.  One test point per refusal: the error code and
 * the kernel's text (plus, in front, the attribute it is about).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <linux/openvswitch.h>
#include <string.h>

#include "nlattr.h"
#include "odp_cases.h"
#include "odp_key.h"
#include "tap.h"

static struct buf k = BUF_INIT, m = BUF_INIT;

static const struct ovs_key_ethernet eth = {
	{ 0, 1, 2, 3, 4, 5 }, { 0x10, 0x11, 0x12, 0x13, 0x14, 0x15 }
};

static void reset(void)
{
	buf_clear(&k);
	buf_clear(&m);
}

/* Read k (and m, if 'with_mask') and expect refusal 'code' with 'text'. */
static void expect(int with_mask, int code, const char *text, const char *what)
{
	struct dp_key key, mask;
	struct dp_err err;
	int r;

	dp_err_clear(&err);
	case_dump(&k, with_mask ? &m : NULL, NULL);
	if (with_mask)
		r = odp_match_from_attrs(k.data, k.len, m.data, m.len, &key,
					 &mask, &err);
	else
		r = odp_match_from_attrs(k.data, k.len, NULL, 0, &key, &mask, &err);
	if (!ok(r == -code && strstr(err.msg, text), "%s", what))
		note("got %d \"%s\", want %d \"%s\"", r, err.msg, -code, text);
}

static void put_eth(struct buf *b, uint16_t type)
{
	na_put(b, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
	if (type)
		na_put_u16(b, OVS_KEY_ATTR_ETHERTYPE, htons(type));
}

static void put_ipv4(struct buf *b, uint8_t proto, uint8_t frag)
{
	struct ovs_key_ipv4 v4 = { htonl(0x0a000001), htonl(0x0a000002),
				   proto, 0, 64, frag };

	na_put(b, OVS_KEY_ATTR_IPV4, &v4, sizeof v4);
}

static void test_scan(void)
{
	reset();
	put_eth(&k, 0x1234);
	na_put_u32(&k, 33, 0);
	expect(0, EINVAL, "key: Key type 33 is out of range max 32",
	       "attribute type above the maximum");
	reset();
	put_eth(&k, 0x1234);
	na_put_u32(&k, OVS_KEY_ATTR_PACKET_TYPE, 0);
	expect(0, EINVAL, "packet_type: Key type 29 is not supported",
	       "packet_type is not accepted from userspace");
	reset();
	put_eth(&k, 0x1234);
	na_put_u32(&k, OVS_KEY_ATTR_TUNNEL_INFO, 0);
	expect(0, EINVAL, "tunnel_info: Key type 31 is not supported",
	       "tunnel_info neither");
	reset();
	na_put_u32(&k, OVS_KEY_ATTR_IN_PORT, 1);
	na_put_u32(&k, OVS_KEY_ATTR_IN_PORT, 2);
	expect(0, EINVAL, "in_port: Duplicate key (type 3).", "duplicate attribute");
	reset();
	na_put_u16(&k, OVS_KEY_ATTR_IN_PORT, 1);
	expect(0, EINVAL, "in_port: Key 3 has unexpected len 2 expected 4",
	       "attribute of the wrong length");
	reset();
	put_eth(&k, 0x1234);
	buf_put(&k, "\x01\x02", 2);
	expect(0, EINVAL, "key: Message has 2 unknown bytes.", "trailing bytes");
	reset();
	put_eth(&k, 0x1234);
	/* An attribute whose padding is missing at the end of the stream:
	 * the kernel's remainder goes negative, and it refuses that too. */
	na_put_u16(&k, OVS_KEY_ATTR_IPV6_EXTHDRS, 0);
	buf_truncate(&k, k.len - 2);
	expect(0, EINVAL, "key: Message has -2 unknown bytes.",
	       "last attribute without its padding: negative remainder");
	reset();
	put_eth(&k, 0x1234);
	{
		uint8_t a[8] = { 5, 0, OVS_KEY_ATTR_IN_PORT, 0, 0 };

		buf_put(&k, a, 5);
	}
	expect(0, EINVAL, "Key 3 has unexpected len 1 expected 4",
	       "short last attribute is measured before the remainder");
	reset();
	put_eth(&k, 0x1234);
	na_put_u32(&k, OVS_KEY_ATTR_SKB_MARK, 1);
	buf_truncate(&k, k.len - 1);
	expect(0, EINVAL, "key: Message has 7 unknown bytes.",
	       "a truncated attribute leaves its bytes over");
	reset();
	put_eth(&k, 0x1234);
	na_put_u32(&m, OVS_KEY_ATTR_SKB_MARK, 0);
	na_put_u32(&m, OVS_KEY_ATTR_SKB_MARK, 0);
	na_put_u32(&m, OVS_KEY_ATTR_SKB_MARK, 1);
	na_put_u32(&m, OVS_KEY_ATTR_SKB_MARK, 2);
	expect(1, EINVAL, "mask skb_mark: Duplicate key (type 15).",
	       "all-zero mask attributes do not count, even as duplicates");
}

static size_t vlan_open(struct buf *b, uint16_t tpid, uint16_t tci)
{
	na_put_u16(b, OVS_KEY_ATTR_ETHERTYPE, htons(tpid));
	na_put_u16(b, OVS_KEY_ATTR_VLAN, htons(tci));
	return na_nest_start(b, OVS_KEY_ATTR_ENCAP);
}

static void test_vlan(void)
{
	size_t e, e2, me;

	reset();
	put_eth(&k, 0x8100);
	expect(0, EINVAL, "vlan: Invalid VLAN frame", "eth_type 0x8100 without vlan and encap");
	reset();
	put_eth(&k, 0);
	e = vlan_open(&k, 0x8100, 0x0064);
	na_nest_end(&k, e);
	expect(0, EINVAL, "VLAN TCI does not have VLAN_CFI_MASK bit set.",
	       "vlan tci without the CFI bit");
	reset();
	put_eth(&k, 0);
	e = vlan_open(&k, 0x8100, 0);
	na_put_u16(&k, OVS_KEY_ATTR_ETHERTYPE, htons(0x0800));
	na_nest_end(&k, e);
	expect(0, EINVAL, "encap: Truncated VLAN header has non-zero encap attribute.",
	       "truncated vlan with a non-empty encap");
	reset();
	put_eth(&k, 0);
	e = vlan_open(&k, 0x88a8, 0x1064);
	na_put_u16(&k, OVS_KEY_ATTR_ETHERTYPE, htons(0x8100));
	na_nest_end(&k, e);
	expect(0, EINVAL, "Invalid C-VLAN frame", "inner 0x8100 without vlan and encap");
	reset();
	put_eth(&k, 0);
	e = vlan_open(&k, 0x88a8, 0x1064);
	e2 = vlan_open(&k, 0x8100, 0x0001);
	na_nest_end(&k, e2);
	na_nest_end(&k, e);
	expect(0, EINVAL, "C-VLAN TCI does not have VLAN_CFI_MASK bit set.",
	       "inner tci without the CFI bit");
	reset();
	put_eth(&k, 0x0800);
	na_put_u16(&k, OVS_KEY_ATTR_VLAN, htons(0x1001));
	put_ipv4(&k, 47, 0);
	expect(0, EINVAL, "vlan: VLAN attribute unexpected.", "vlan without a vlan eth_type");

	/* Masks. */
	reset();
	put_eth(&k, 0x1234);
	na_put_u16(&m, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
	me = na_nest_start(&m, OVS_KEY_ATTR_ENCAP);
	na_put_u16(&m, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
	na_nest_end(&m, me);
	expect(1, EINVAL, "mask encap: Encap mask attribute is set for non-VLAN frame.",
	       "mask encap on a flow without vlan");
	reset();
	put_eth(&k, 0);
	e = vlan_open(&k, 0x8100, 0x1064);
	na_put_u16(&k, OVS_KEY_ATTR_ETHERTYPE, htons(0x1234));
	na_nest_end(&k, e);
	na_put_u16(&m, OVS_KEY_ATTR_ETHERTYPE, 0);
	na_put_u16(&m, OVS_KEY_ATTR_VLAN, 0xffff);
	me = na_nest_start(&m, OVS_KEY_ATTR_ENCAP);
	na_put_u16(&m, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
	na_nest_end(&m, me);
	/* The zero mask eth_type does not count: the kernel reads the
	 * key's last one instead, the inner 0x1234. */
	expect(1, EINVAL, "Must have an exact match on VLAN TPID (mask=1234).",
	       "mask tpid given as zero reads the key's last eth_type");
	buf_clear(&m);
	na_put_u16(&m, OVS_KEY_ATTR_ETHERTYPE, htons(0xff00));
	na_put_u16(&m, OVS_KEY_ATTR_VLAN, 0xffff);
	me = na_nest_start(&m, OVS_KEY_ATTR_ENCAP);
	na_put_u16(&m, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
	na_nest_end(&m, me);
	expect(1, EINVAL, "Must have an exact match on VLAN TPID (mask=ff00).",
	       "partial mask tpid");
	buf_clear(&m);
	na_put_u16(&m, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
	na_put_u16(&m, OVS_KEY_ATTR_VLAN, htons(0x0fff));
	me = na_nest_start(&m, OVS_KEY_ATTR_ENCAP);
	na_put_u16(&m, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
	na_nest_end(&m, me);
	expect(1, EINVAL, "VLAN TCI mask does not have exact match for VLAN_CFI_MASK bit.",
	       "mask tci without the CFI bit");
	buf_clear(&m);
	me = vlan_open(&m, 0xffff, 0xffff);
	e2 = vlan_open(&m, 0xffff, 0xffff);
	na_put_u16(&m, OVS_KEY_ATTR_ETHERTYPE, 0xffff);     /* not empty */
	na_nest_end(&m, e2);
	na_nest_end(&m, me);
	expect(1, EINVAL, "Encap mask attribute is set for non-C-VLAN frame.",
	       "inner vlan mask on a single-tagged flow");
	buf_clear(&m);
	na_put(&m, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
	na_put_u16(&m, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
	na_put_u16(&m, OVS_KEY_ATTR_VLAN, 0xffff);
	expect(1, EINVAL, "mask vlan: VLAN attribute unexpected.",
	       "vlan mask without an encap mask");
	buf_clear(&m);
	na_put_u16(&m, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
	na_put_u16(&m, OVS_KEY_ATTR_VLAN, 0xffff);
	expect(1, EINVAL, "mask: Unknown key attributes 20",
	       "the same without an eth mask: vlan is left over");
}

static void test_metadata(void)
{
	reset();
	na_put_u32(&k, OVS_KEY_ATTR_IN_PORT, 99999);
	put_eth(&k, 0x1234);
	expect(0, EINVAL, "in_port: Port 99999 exceeds max allowable 65535",
	       "in_port beyond the kernel's u16");
	reset();
	na_put_u32(&k, OVS_KEY_ATTR_IN_PORT, 65535);
	put_eth(&k, 0x1234);
	expect(0, EINVAL, "Port 65535 exceeds max allowable 65535",
	       "in_port 65535 is the kernel's \"no port\"");
	reset();
	na_put_u32(&k, OVS_KEY_ATTR_IN_PORT, 0xffffffff);
	put_eth(&k, 0x1234);
	expect(0, EINVAL, "Port -1 exceeds max allowable 65535",
	       "in_port printed signed, as the kernel does");
	reset();
	na_put_u32(&k, OVS_KEY_ATTR_CT_STATE, 0x100);
	put_eth(&k, 0x1234);
	expect(0, EINVAL, "ct_state: ct_state flags 00000100 unsupported",
	       "ct_state with an unknown bit");
	reset();
	na_put_u32(&k, OVS_KEY_ATTR_CT_STATE, 0x20);
	put_eth(&k, 0x1234);
	na_put_u32(&m, OVS_KEY_ATTR_CT_STATE, 0xffffffff);
	expect(1, EINVAL, "mask ct_state: ct_state flags ffffffff unsupported",
	       "ct_state mask with unknown bits");
	reset();
	put_eth(&k, 0x05ff);
	expect(0, EINVAL, "eth_type: EtherType 5ff is less than min 600",
	       "eth_type that is an 802.3 length");
	reset();
	na_put_u16(&k, OVS_KEY_ATTR_ETHERTYPE, htons(0x0100));
	expect(0, EINVAL, "EtherType 100 is less than min 600",
	       "the same for an L3 packet");
	reset();
	na_put_u32(&k, OVS_KEY_ATTR_IN_PORT, 1);
	expect(0, EINVAL, "eth: Either Ethernet header or EtherType is required.",
	       "neither eth nor eth_type");
}

static size_t tun_open(struct buf *b)
{
	return na_nest_start(b, OVS_KEY_ATTR_TUNNEL);
}

static void tun_close(struct buf *b, size_t n)
{
	na_nest_end(b, n);
	put_eth(b, 0x1234);
}

static void test_tunnel(void)
{
	uint8_t opts[260];
	size_t n, v;

	memset(opts, 0, sizeof opts);
#define TUN(body, text, what) do { \
		reset(); n = tun_open(&k); (void)(body); tun_close(&k, n); \
		expect(0, EINVAL, text, what); \
	} while (0)
#define DST4 na_put_u32(&k, OVS_TUNNEL_KEY_ATTR_IPV4_DST, htonl(1))
#define TTL na_put_u8(&k, OVS_TUNNEL_KEY_ATTR_TTL, 64)
	TUN(na_put_flag(&k, 17), "tunnel: Tunnel attr 17 out of range max 16",
	    "tunnel attribute above the maximum");
	TUN(na_put_u16(&k, OVS_TUNNEL_KEY_ATTR_IPV4_SRC, 1),
	    "Tunnel attr 1 has unexpected len 2 expected 4", "tunnel attribute of the wrong length");
	TUN((DST4, TTL, na_put(&k, OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS, opts, 4),
	     na_put(&k, OVS_TUNNEL_KEY_ATTR_ERSPAN_OPTS, opts, 12)),
	    "Multiple metadata blocks provided", "two blocks of options");
	TUN((DST4, TTL, na_put(&k, OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS, opts, 256)),
	    "geneve: Geneve option length err (len 256, max 255).", "geneve options too long");
	TUN((DST4, TTL, na_put(&k, OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS, opts, 6)),
	    "Geneve opt len 6 is not a multiple of 4.", "geneve options not in words");
	TUN((DST4, TTL, v = na_nest_start(&k, OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS),
	     na_put_u32(&k, 2, 0), na_nest_end(&k, v)),
	    "vxlan: VXLAN extension 2 out of range max 1", "vxlan extension above the maximum");
	TUN((DST4, TTL, v = na_nest_start(&k, OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS),
	     na_put_u16(&k, OVS_VXLAN_EXT_GBP, 0), na_nest_end(&k, v)),
	    "VXLAN extension 1 has unexpected len 2 expected 4", "vxlan gbp of the wrong length");
	TUN((DST4, TTL, v = na_nest_start(&k, OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS),
	     na_put_flag(&k, 0), na_nest_end(&k, v)),
	    "Unknown VXLAN extension attribute 0", "vxlan extension 0");
	TUN((DST4, TTL, na_put(&k, OVS_TUNNEL_KEY_ATTR_ERSPAN_OPTS, opts, 256)),
	    "erspan: ERSPAN option length err (len 256, max 255).", "erspan options too long");
	TUN((DST4, TTL, na_put(&k, OVS_TUNNEL_KEY_ATTR_IPV6_SRC, opts, 16)),
	    "Mixed IPv4 and IPv6 tunnel attributes", "ipv4 and ipv6 tunnel addresses");
	TUN((TTL, na_put_u16(&k, OVS_TUNNEL_KEY_ATTR_TP_DST, htons(4789))),
	    "IP tunnel dst address not specified", "tunnel without an address");
	TUN((na_put_flag(&k, OVS_TUNNEL_KEY_ATTR_IPV4_INFO_BRIDGE), TTL),
	    "IPv4 tun info is not correct", "info_bridge with a field set");
	TUN((na_put_u32(&k, OVS_TUNNEL_KEY_ATTR_IPV4_SRC, 1), TTL),
	    "IPv4 tunnel dst address is zero", "ipv4 tunnel without a destination");
	TUN((na_put(&k, OVS_TUNNEL_KEY_ATTR_IPV6_DST, opts, 16), TTL),
	    "IPv6 tunnel dst address is zero", "ipv6 tunnel to ::");
	TUN(DST4, "IP tunnel TTL not specified.", "tunnel without ttl");
#undef TUN

	/* Bytes left over inside a nest, the stream after it aligned. */
	reset();
	n = tun_open(&k);
	DST4;
	TTL;
	v = na_nest_start(&k, OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS);
	buf_put(&k, "\1\2", 2);
	na_nest_end(&k, v);
	buf_put(&k, "\0\0", 2);
	tun_close(&k, n);
	expect(0, EINVAL, "VXLAN extension message has 2 unknown bytes.",
	       "vxlan extension trailing bytes");
	reset();
	n = tun_open(&k);
	DST4;
	TTL;
	buf_put(&k, "\1\2\3", 3);
	na_nest_end(&k, n);
	buf_put(&k, "\0", 1);
	put_eth(&k, 0x1234);
	expect(0, EINVAL, "IP tunnel attribute has 3 unknown bytes.",
	       "tunnel trailing bytes");

	/* A geneve mask must repeat the key's option length. */
	reset();
	n = tun_open(&k);
	DST4;
	TTL;
	na_put(&k, OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS, opts, 8);
	tun_close(&k, n);
	memset(opts, 0xff, 8);
	n = tun_open(&m);
	na_put(&m, OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS, opts, 4);
	na_nest_end(&m, n);
	expect(1, EINVAL, "mask tunnel: geneve: Geneve option len 8 != mask len 4",
	       "geneve mask of another length than the key's");
#undef DST4
#undef TTL
}

static void test_l3(void)
{
	struct ovs_key_ipv6 v6;
	struct ovs_key_arp arp;
	uint32_t lse[4] = { 0 };

	reset();
	put_eth(&k, 0x0800);
	put_ipv4(&k, 47, 3);
	expect(0, EINVAL, "ipv4: IPv4 frag type 3 is out of range max 2", "ipv4 frag 3");
	memset(&v6, 0, sizeof v6);
	v6.ipv6_frag = 3;
	reset();
	put_eth(&k, 0x86dd);
	na_put(&k, OVS_KEY_ATTR_IPV6, &v6, sizeof v6);
	expect(0, EINVAL, "ipv6: IPv6 frag type 3 is out of range max 2", "ipv6 frag 3");
	v6.ipv6_frag = 0;
	v6.ipv6_label = htonl(0x100000);
	reset();
	put_eth(&k, 0x86dd);
	na_put(&k, OVS_KEY_ATTR_IPV6, &v6, sizeof v6);
	expect(0, EINVAL, "IPv6 flow label 100000 is out of range (max=fffff)",
	       "ipv6 label above 20 bits");
	memset(&arp, 0, sizeof arp);
	arp.arp_op = htons(0x0100);
	reset();
	put_eth(&k, 0x0806);
	na_put(&k, OVS_KEY_ATTR_ARP, &arp, sizeof arp);
	/* The kernel prints the big-endian value as it lies in memory. */
	expect(0, EINVAL, "arp: Unknown ARP opcode (opcode=1).", "arp opcode above 255");
	reset();
	put_eth(&k, 0x8847);
	na_put(&k, OVS_KEY_ATTR_MPLS, lse, 16);
	expect(0, EINVAL, "mpls: 16 bytes is not a stack of 1 to 3 labels", "four mpls labels");
	reset();
	put_eth(&k, 0x8847);
	na_put(&k, OVS_KEY_ATTR_MPLS, lse, 6);
	expect(0, EINVAL, "mpls: 6 bytes", "mpls label stack not in words");
	reset();
	put_eth(&k, 0x8847);
	na_put(&k, OVS_KEY_ATTR_MPLS, lse, 0);
	expect(0, EINVAL, "mpls: 0 bytes", "empty mpls label stack");
	reset();
	put_eth(&k, 0x894f);
	na_put(&k, OVS_KEY_ATTR_NSH, NULL, 0);
	expect(0, EOPNOTSUPP, "nsh: NSH flow keys are not supported by dpkit",
	       "nsh keys (dpkit's one refusal the kernel does not make)");
	reset();
	put_eth(&k, 0x0800);
	put_ipv4(&k, 47, 0);
	na_put(&k, OVS_KEY_ATTR_ENCAP, NULL, 0);
	expect(0, EINVAL, "key: Unknown key attributes 2", "encap without a vlan");
}

static void test_validate(void)
{
	struct ovs_key_tcp tcp = { 1, 2 };
	struct ovs_key_ipv6 v6;
	struct ovs_key_icmpv6 ic = { 135, 0 };
	struct ovs_key_nd nd;
	struct ovs_key_ct_tuple_ipv6 t6;

	reset();
	put_eth(&k, 0x0800);
	expect(0, EINVAL, "ipv4: Missing key (keys=50, expected=80)", "eth_type ipv4 without ipv4");
	reset();
	put_eth(&k, 0x0800);
	put_ipv4(&k, 6, 0);
	na_put(&k, OVS_KEY_ATTR_TCP, &tcp, sizeof tcp);
	expect(0, EINVAL, "tcp_flags: Missing key (keys=2d0, expected=40280)",
	       "tcp without tcp_flags");
	reset();
	put_eth(&k, 0x0800);
	put_ipv4(&k, 6, OVS_FRAG_TYPE_LATER);
	expect(0, 0, "", "a later fragment needs no L4");
	reset();
	put_eth(&k, 0x0806);
	expect(0, EINVAL, "arp: Missing key", "arp without arp");
	reset();
	put_eth(&k, 0x8848);
	expect(0, EINVAL, "mpls: Missing key", "mpls without mpls");
	memset(&v6, 0, sizeof v6);
	v6.ipv6_proto = 58;
	reset();
	put_eth(&k, 0x86dd);
	na_put(&k, OVS_KEY_ATTR_IPV6, &v6, sizeof v6);
	na_put(&k, OVS_KEY_ATTR_ICMPV6, &ic, sizeof ic);
	expect(0, EINVAL, "nd: Missing key", "neighbour solicitation without nd");

	/* Masks beyond what the key has. */
	reset();
	put_eth(&k, 0x1234);
	na_put_u32(&m, OVS_KEY_ATTR_SKB_MARK, 1);
	expect(1, EINVAL, "mask skb_mark: Unexpected mask (mask=8000, allowed=",
	       "mask of an attribute the key lacks");
	reset();
	put_eth(&k, 0x0800);
	put_ipv4(&k, 47, 0);
	put_ipv4(&m, 0xff, 0xff);
	expect(1, EINVAL, "mask ipv4: Unexpected mask (mask=80, allowed=10058)",
	       "ipv4 mask without an exact eth_type");
	reset();
	put_eth(&k, 0x0800);
	put_ipv4(&k, 6, 0);
	na_put(&k, OVS_KEY_ATTR_TCP, &tcp, sizeof tcp);
	na_put_u16(&k, OVS_KEY_ATTR_TCP_FLAGS, 0);
	na_put_u16(&m, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
	put_ipv4(&m, 0xf0, 0);
	na_put(&m, OVS_KEY_ATTR_TCP, &tcp, sizeof tcp);
	expect(1, EINVAL, "mask tcp: Unexpected mask", "tcp mask without an exact ip proto");
	memset(&nd, 0, sizeof nd);
	memset(&t6, 0, sizeof t6);
	t6.ipv6_proto = 6;
	reset();
	na_put(&k, OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6, &t6, sizeof t6);
	put_eth(&k, 0x86dd);
	na_put(&k, OVS_KEY_ATTR_IPV6, &v6, sizeof v6);
	na_put(&k, OVS_KEY_ATTR_ICMPV6, &ic, sizeof ic);
	na_put(&k, OVS_KEY_ATTR_ND, &nd, sizeof nd);
	expect(0, EINVAL, "mask ct_tuple6: Unexpected mask",
	       "the original tuple cannot be matched with ND (implied mask)");
	nd.nd_sll[0] = 1;
	reset();
	put_eth(&k, 0x0800);
	put_ipv4(&k, 47, 0);
	na_put(&k, OVS_KEY_ATTR_ND, &nd, sizeof nd);
	expect(0, EINVAL, "mask nd: Unexpected mask",
	       "an extra attribute is refused by its implied mask");
	na_put_u16(&m, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
	expect(1, 0, "", "but accepted when the mask leaves it out");
}

int main(void)
{
	test_scan();
	test_vlan();
	test_metadata();
	test_tunnel();
	test_l3();
	test_validate();
	buf_free(&k);
	buf_free(&m);
	return done();
}

/* Unit tests for checksum and segmentation offload: the virtio-net header
 * conversions and the state rules of dp_offload.c, and the pipeline with
 * TSO super-frames on dummy ports (partial checksums kept right through
 * set() and push_vlan, software segments for a port without vnet
 * headers and for upcalls, check_pkt_len, flow stats in wire segments).
 * Every checksum is checked against one computed from scratch. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/openvswitch.h>
#include <linux/virtio_net.h>
#include <string.h>

#include "dp.h"
#include "dp_csum.h"
#include "dp_gso.h"
#include "dp_offload.h"
#include "nlattr.h"
#include "pktgen.h"
#include "tap.h"

#define PAYLOAD 20000
#define MSS 1448

static uint8_t frame[PAYLOAD + 128];

/* One's complement sum of big-endian words, not folded. */
static uint32_t sum16(const uint8_t *b, size_t n, uint32_t s)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (n & 1)
		s += (uint32_t)b[n - 1] << 8;
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

static uint32_t pseudo(const uint8_t *ip, int v6, uint8_t proto, size_t l4len)
{
	return sum16(ip + (v6 ? 8 : 12), v6 ? 32 : 8, 0) + proto + (uint32_t)l4len;
}

/* The full L4 checksum that l4[0..len) should carry (field at cofs). */
static uint16_t full_csum(const uint8_t *ip, int v6, uint8_t proto,
			  const uint8_t *l4, size_t len, size_t cofs)
{
	uint32_t s = pseudo(ip, v6, proto, len) + sum16(l4, len, 0);

	s += 0xffffu - (uint32_t)rd16be(l4 + cofs);    /* the field as zero */
	return (uint16_t)~fold(s);
}

/* A TCP frame of 'payload' bytes with its checksum left partial, as a
 * sender with TSO hands it over (flags ACK|PSH|FIN on the super-frame). */
static size_t tcp_partial(uint8_t *f, int v6, size_t payload)
{
	/* pktgen.h's builders stop at 16 KiB: build small, then grow. */
	size_t n = v6 ? build_ipv6(f, 6, 1000, 80, 8)
		      : build_ipv4(f, 6, "10.0.0.1", "10.0.0.2", 1000, 80, 8);
	uint8_t *ip = f + 14, *th = ip + (v6 ? 40 : 20);
	size_t i;

	n += payload - 8;
	for (i = 0; i < payload; i++)
		th[20 + i] = (uint8_t)(i * 7 + i / 251 + 1);
	if (v6) {
		wr16be(ip + 4, (uint16_t)(20 + payload));
	} else {
		wr16be(ip + 2, (uint16_t)(40 + payload));
		wr16be(ip + 10, 0);
		wr16be(ip + 10, ref_csum(ip, 20, 0));
	}

	th[13] = 0x10 | 0x08 | 0x01;
	wr16be(th + 16, fold(pseudo(ip, v6, 6, n - 14 - (v6 ? 40 : 20))));
	return n;
}

static void vnet_tcp(struct virtio_net_hdr *vh, int v6)
{
	memset(vh, 0, sizeof *vh);
	vh->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	vh->csum_start = v6 ? 54 : 34;
	vh->csum_offset = 16;
	vh->gso_type = v6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4;
	vh->gso_size = MSS;
	vh->hdr_len = v6 ? 74 : 54;
}

static void test_vnet(void)
{
	struct virtio_net_hdr vh, back;
	struct dp_packet *p;
	struct dp_key key;
	size_t n = tcp_partial(frame, 0, PAYLOAD);

	vnet_tcp(&vh, 0);
	vh.gso_type |= VIRTIO_NET_HDR_GSO_ECN;
	p = dp_packet_new(frame, (uint32_t)n, 64);
	dp_offload_from_vnet(p, &vh);
	ok(p->gso_type == DP_GSO_TCPV4 && p->gso_size == MSS &&
	   (p->ol_flags & DP_OL_CSUM_PARTIAL) && (p->ol_flags & DP_OL_GSO_ECN) &&
	   p->csum_start == 34 && p->csum_offset == 16,
	   "from_vnet: GSO type, size, ECN, checksum start and offset");
	dp_packet_extract(p, &key);
	ok(dp_offload_rx(p, &key, 1500) == 0 && p->gso_type == DP_GSO_TCPV4,
	   "rx: a well-formed TCPv4 super-frame is kept as it is");
	dp_offload_to_vnet(p, &back);
	ok(!memcmp(&back, &vh, sizeof vh), "to_vnet gives back the same header");
	ok(dp_gso_hdr_len(p) == 54 && dp_gso_mss_for_mtu(p, 1500) == 1460 &&
	   dp_gso_mss_for_mtu(p, 40) == 0, "header length 54; MSS for MTU 1500 and 40");
	dp_packet_delete(p);
}

static void test_rx_rules(void)
{
	struct virtio_net_hdr vh;
	struct dp_packet *p;
	struct dp_key key;
	uint8_t u[256];
	size_t n = tcp_partial(frame, 1, PAYLOAD), un;
	uint8_t *th = frame + 54;
	uint16_t want;

	/* GSO without a partial checksum: made partial from the headers. */
	vnet_tcp(&vh, 1);
	vh.flags = 0;
	wr16be(th + 16, 0x1234);
	p = dp_packet_new(frame, (uint32_t)n, 64);
	dp_offload_from_vnet(p, &vh);
	dp_packet_extract(p, &key);
	ok(dp_offload_rx(p, &key, 1500) == 0 && (p->ol_flags & DP_OL_CSUM_PARTIAL) &&
	   p->csum_start == 54 && p->csum_offset == 16 &&
	   rd16be(p->data + 70) == fold(pseudo(frame + 14, 1, 6, n - 54)),
	   "rx: an IPv6 GSO packet gets its pseudo-header sum, partial");
	want = full_csum(frame + 14, 1, 6, th, n - 54, 16);
	ok(dp_csum_complete(p) == 0 && rd16be(p->data + 70) == want,
	   "completing it gives the checksum computed from scratch");
	dp_packet_delete(p);

	/* A UDP packet that claims TCPv4 GSO, a GSO packet without gso_size. */
	un = build_ipv4(u, 17, "10.0.0.1", "10.0.0.2", 1, 2, 100);
	p = dp_packet_new(u, (uint32_t)un, 64);
	vnet_tcp(&vh, 0);
	dp_offload_from_vnet(p, &vh);
	dp_packet_extract(p, &key);
	ok(dp_offload_rx(p, &key, 1500) == -EINVAL, "rx: GSO type that lies: dropped");
	dp_packet_delete(p);
	n = tcp_partial(frame, 0, PAYLOAD);
	p = dp_packet_new(frame, (uint32_t)n, 64);
	vh.gso_size = 0;
	dp_offload_from_vnet(p, &vh);
	dp_packet_extract(p, &key);
	ok(dp_offload_rx(p, &key, 1500) == -EINVAL, "rx: gso_size 0: dropped");
	dp_packet_delete(p);

	/* One segment's worth is not GSO. */
	n = tcp_partial(frame, 0, 1000);
	p = dp_packet_new(frame, (uint32_t)n, 64);
	vnet_tcp(&vh, 0);
	dp_offload_from_vnet(p, &vh);
	dp_packet_extract(p, &key);
	ok(dp_offload_rx(p, &key, 1500) == 0 && !p->gso_type &&
	   (p->ol_flags & DP_OL_CSUM_PARTIAL), "rx: 1000 bytes with gso_size 1448: not GSO");
	dp_packet_delete(p);

	/* Partial somewhere else than the L4 checksum: completed at once. */
	p = dp_packet_new(u, (uint32_t)un, 64);
	memset(&vh, 0, sizeof vh);
	vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	vh.csum_start = 14 + 20 + 8;
	vh.csum_offset = 2;
	dp_offload_from_vnet(p, &vh);
	dp_packet_extract(p, &key);
	ok(dp_offload_rx(p, &key, 1500) == 0 && !(p->ol_flags & DP_OL_CSUM_PARTIAL) &&
	   rd16be(p->data + 44) == ref_csum(u + 42, un - 42, 0), "rx: a checksum partial at an odd place is completed");
	dp_packet_delete(p);
	/* Out of the frame: dropped, not read. */
	p = dp_packet_new(u, (uint32_t)un, 64);
	vh.csum_start = 60000;
	dp_offload_from_vnet(p, &vh);
	dp_packet_extract(p, &key);
	ok(dp_offload_rx(p, &key, 1500) == -EINVAL, "rx: csum_start past the frame: dropped");
	dp_packet_delete(p);

	/* Without vnet headers: a TCP frame over the MTU is TSO's. */
	n = tcp_partial(frame, 0, 9000);
	p = dp_packet_new(frame, (uint32_t)n, 64);
	p->ol_flags = DP_OL_CSUM_PARTIAL | DP_OL_INFER;
	dp_packet_extract(p, &key);
	ok(dp_offload_rx(p, &key, 1500) == 0 && p->gso_type == DP_GSO_TCPV4 &&
	   p->gso_size == 1460 && p->csum_start == 34 && p->csum_offset == 16,
	   "rx without vnet header: inferred TSO with the MSS of the MTU");
	dp_packet_delete(p);
}

struct out_check {
	int n, bad;
	uint32_t seq0, got;
	const uint8_t *payload;
	uint32_t hl;
};

/* Segments as a port without vnet headers got them: each within the MTU,
 * checksums right, sequence numbers and payload following each other. */
static void check_segments(struct netdev *nd, int vlan, const char *what)
{
	unsigned i, n = netdev_dummy_n_sent(nd);
	uint32_t hl = 14 + (vlan ? 4u : 0u) + 20 + 20, got = 0;
	int bad_len = 0, bad_csum = 0, bad_data = 0;

	for (i = 0; i < n; i++) {
		const struct dp_packet *s = netdev_dummy_sent(nd, i);
		const uint8_t *ip = s->data + hl - 40, *th = ip + 20;
		uint32_t seq = (uint32_t)th[4] << 24 | (uint32_t)th[5] << 16 |
			       (uint32_t)th[6] << 8 | th[7];

		if (s->len - (hl - 40) > 1500 || rd16be(ip + 2) != s->len - (hl - 40) ||
		    s->gso_type || (s->ol_flags & DP_OL_CSUM_PARTIAL))
			bad_len++;
		if (!ref_ipv4_ok(ip) || ip[15] != 9 ||
		    rd16be(th + 16) != full_csum(ip, 0, 6, th, s->len - hl + 20, 16))
			bad_csum++;
		if (seq != got || memcmp(s->data + hl, frame + 54 + got, s->len - hl) ||
		    (i + 1 < n) == !!(th[13] & 0x01))
			bad_data++;
		got += s->len - hl;
	}
	ok(n == (PAYLOAD + MSS - 1) / MSS && got == PAYLOAD && !bad_len && !bad_csum &&
	   !bad_data, "%s: %u segments within the MTU, checksums right, the payload "
	   "in order (%d %d %d)", what, n, bad_len, bad_csum, bad_data);
}

static struct netdev *nd_of(struct dp *dp, uint32_t no)
{
	struct dp_port_info info;

	return dp_port_get(dp, no, &info) == 0 ? info.netdev : NULL;
}

/* A flow in_port(1) -> actions 'acts'. */
static void flow(struct dp *dp, const struct buf *acts)
{
	struct dp_key key, mask;

	dp_key_init(&key);
	key.in_port = 1;
	memset(&mask, 0, sizeof mask);
	mask.in_port = 0xffffffff;
	flowtab_flush(dp_flowtab(dp));
	dp_flow_put(dp, &key, &mask, acts->data, acts->len, NULL, NULL, NULL);
}

static void put_set_src(struct buf *b)
{
	struct ovs_key_ipv4 v = { 0 }, m = { 0 };
	size_t ofs = na_nest_start(b, OVS_ACTION_ATTR_SET_MASKED);
	uint8_t *d = na_put_zero(b, OVS_KEY_ATTR_IPV4, 2 * sizeof v);

	v.ipv4_src = htonl(0x0a000009);
	m.ipv4_src = 0xffffffff;
	memcpy(d, &v, sizeof v);
	memcpy(d + sizeof v, &m, sizeof m);
	na_nest_end(b, ofs);
}

static void inject(struct dp *dp, size_t n)
{
	struct virtio_net_hdr vh;

	vnet_tcp(&vh, 0);
	netdev_dummy_inject_vnet(nd_of(dp, 1), &vh, frame, (uint32_t)n);
	dp_poll_ports(dp);
}

static void test_pipeline(void)
{
	struct buf b = BUF_INIT;
	struct dp *dp;
	struct dp_upcall *u;
	struct flowtab_flow *fl;
	struct dp_key key, mask;
	const struct dp_packet *o;
	struct dp_packet *c;
	uint32_t no, pid = 7;
	size_t n = tcp_partial(frame, 0, PAYLOAD), ofs;
	int ups = 0, bad = 0;

	dp_create(&dp, "ol", DP_F_LOCAL_DUMMY, NULL);
	no = 1;
	dp_port_add(dp, "in", DP_VPORT_TYPE_DUMMY, &no, &pid, 1, 0, NULL);
	no = 2;
	dp_port_add(dp, "vnet", DP_VPORT_TYPE_DUMMY, &no, NULL, 0, NETDEV_F_KEEP_TX, NULL);
	no = 3;
	dp_port_add(dp, "plain", DP_VPORT_TYPE_DUMMY, &no, NULL, 0,
		    NETDEV_F_KEEP_TX | NETDEV_F_NO_VNET, NULL);

	/* set(ipv4(src=10.0.0.9)),2,3 */
	put_set_src(&b);
	na_put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 2);
	na_put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 3);
	flow(dp, &b);
	inject(dp, n);
	o = netdev_dummy_sent(nd_of(dp, 2), 0);
	ok(netdev_dummy_n_sent(nd_of(dp, 2)) == 1 && o && o->len == n &&
	   o->gso_type == DP_GSO_TCPV4 && o->gso_size == MSS &&
	   (o->ol_flags & DP_OL_CSUM_PARTIAL) && o->data[14 + 15] == 9,
	   "a vnet port gets the super-frame whole, still partial, rewritten");
	c = o ? dp_packet_clone(o) : NULL;
	ok(c && rd16be(c->data + 50) == fold(pseudo(c->data + 14, 0, 6, n - 34)) &&
	   dp_csum_complete(c) == 0 &&
	   rd16be(c->data + 50) == full_csum(c->data + 14, 0, 6, c->data + 34, n - 34, 16),
	   "its pseudo-header sum follows the new address; completed, it is right");
	dp_packet_delete(c);
	check_segments(nd_of(dp, 3), 0, "a port without vnet headers");
	dp_key_init(&key);
	key.in_port = 1;
	memset(&mask, 0, sizeof mask);
	mask.in_port = 0xffffffff;
	fl = flowtab_find_exact(dp_flowtab(dp), &key, &mask);
	ok(fl && fl->stats.packets == 14 && fl->stats.bytes == n + 13 * 54,
	   "flow stats: the super-frame counts as its 14 wire segments, %zu bytes",
	   n + 13 * 54);

	/* push_vlan moves csum_start; segments carry the tag. */
	netdev_dummy_clear_sent(nd_of(dp, 2));
	netdev_dummy_clear_sent(nd_of(dp, 3));
	buf_clear(&b);
	put_set_src(&b);
	{
		struct ovs_action_push_vlan pv = { htons(0x8100), htons(0x1000 | 5) };

		na_put(&b, OVS_ACTION_ATTR_PUSH_VLAN, &pv, sizeof pv);
	}
	na_put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 2);
	na_put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 3);
	flow(dp, &b);
	inject(dp, n);
	o = netdev_dummy_sent(nd_of(dp, 2), 0);
	ok(o && o->csum_start == 38 && o->gso_type == DP_GSO_TCPV4 && dp_gso_hdr_len(o) == 58,
	   "push_vlan: csum_start 34 -> 38, the GSO header 58 bytes");
	check_segments(nd_of(dp, 3), 1, "with a VLAN tag");

	/* A miss: one upcall per segment, checksums complete. */
	flowtab_flush(dp_flowtab(dp));
	inject(dp, n);
	while (dp_upcall_pop(dp, &u) == 1) {
		const uint8_t *ip = u->packet ? u->packet->data + 14 : NULL;

		ups++;
		if (!ip || u->packet->len > 1514 || u->packet->gso_type ||
		    rd16be(ip + 36) != full_csum(ip, 0, 6, ip + 20, u->packet->len - 34, 16))
			bad++;
		dp_upcall_free(u);
	}
	ok(ups == 14 && !bad, "a miss: %d upcalls, one per segment, complete (%d bad)", ups, bad);

	/* check_pkt_len(1514) judges the segments: the <= branch. */
	netdev_dummy_clear_sent(nd_of(dp, 2));
	netdev_dummy_clear_sent(nd_of(dp, 3));
	buf_clear(&b);
	ofs = na_nest_start(&b, OVS_ACTION_ATTR_CHECK_PKT_LEN);
	{
		size_t a;

		na_put_u16(&b, OVS_CHECK_PKT_LEN_ATTR_PKT_LEN, 1514);
		a = na_nest_start(&b, OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER);
		na_put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 3);
		na_nest_end(&b, a);
		a = na_nest_start(&b, OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL);
		na_put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 2);
		na_nest_end(&b, a);
	}
	na_nest_end(&b, ofs);
	flow(dp, &b);
	inject(dp, n);
	ok(netdev_dummy_n_sent(nd_of(dp, 2)) == 1 && netdev_dummy_n_sent(nd_of(dp, 3)) == 0,
	   "check_pkt_len(1514): a super-frame of 1502-byte segments is <=");

	/* trunc(100) then output to a vnet port: segments, each cut. */
	netdev_dummy_clear_sent(nd_of(dp, 2));
	buf_clear(&b);
	{
		struct ovs_action_trunc t = { 100 };

		na_put(&b, OVS_ACTION_ATTR_TRUNC, &t, sizeof t);
	}
	na_put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 2);
	flow(dp, &b);
	inject(dp, n);
	o = netdev_dummy_sent(nd_of(dp, 2), 13);
	ok(netdev_dummy_n_sent(nd_of(dp, 2)) == 14 && o && o->len == 100 && !o->gso_type,
	   "trunc(100): 14 segments of 100 bytes, not GSO");
	buf_free(&b);
	dp_destroy(dp);
}

/* IPv6: set(ipv6(src)) on a TCPv6 super-frame, whole and cut. */
static void test_ipv6(void)
{
	struct ovs_key_ipv6 v, m;
	struct virtio_net_hdr vh;
	struct buf b = BUF_INIT;
	struct dp *dp;
	struct dp_packet *c;
	const struct dp_packet *o;
	uint32_t no;
	size_t n = tcp_partial(frame, 1, PAYLOAD), ofs;
	unsigned i, bad = 0, got = 0;
	uint8_t *d;

	dp_create(&dp, "ol6", DP_F_LOCAL_DUMMY, NULL);
	no = 1;
	dp_port_add(dp, "in", DP_VPORT_TYPE_DUMMY, &no, NULL, 0, 0, NULL);
	no = 2;
	dp_port_add(dp, "vnet", DP_VPORT_TYPE_DUMMY, &no, NULL, 0, NETDEV_F_KEEP_TX, NULL);
	no = 3;
	dp_port_add(dp, "plain", DP_VPORT_TYPE_DUMMY, &no, NULL, 0,
		    NETDEV_F_KEEP_TX | NETDEV_F_NO_VNET, NULL);
	memset(&v, 0, sizeof v);
	memset(&m, 0, sizeof m);
	v.ipv6_src[0] = htonl(0xfd000000);
	v.ipv6_src[3] = htonl(0x1234);
	memset(m.ipv6_src, 0xff, sizeof m.ipv6_src);
	ofs = na_nest_start(&b, OVS_ACTION_ATTR_SET_MASKED);
	d = na_put_zero(&b, OVS_KEY_ATTR_IPV6, 2 * sizeof v);
	memcpy(d, &v, sizeof v);
	memcpy(d + sizeof v, &m, sizeof m);
	na_nest_end(&b, ofs);
	na_put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 2);
	na_put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 3);
	flow(dp, &b);
	vnet_tcp(&vh, 1);
	netdev_dummy_inject_vnet(nd_of(dp, 1), &vh, frame, (uint32_t)n);
	dp_poll_ports(dp);
	o = netdev_dummy_sent(nd_of(dp, 2), 0);
	c = o ? dp_packet_clone(o) : NULL;
	ok(c && c->gso_type == DP_GSO_TCPV6 && c->data[22] == 0xfd && c->data[37] == 0x34 &&
	   dp_csum_complete(c) == 0 &&
	   rd16be(c->data + 70) == full_csum(c->data + 14, 1, 6, c->data + 54, n - 54, 16),
	   "IPv6: the partial checksum follows the new source address");
	dp_packet_delete(c);
	for (i = 0; i < netdev_dummy_n_sent(nd_of(dp, 3)); i++) {
		o = netdev_dummy_sent(nd_of(dp, 3), i);
		if (o->len > 1514 || rd16be(o->data + 18) != o->len - 54 ||
		    rd16be(o->data + 70) != full_csum(o->data + 14, 1, 6, o->data + 54,
						      o->len - 54, 16))
			bad++;
		got += o->len - 74;
	}
	ok(i == (PAYLOAD + 1439) / 1440 && got == PAYLOAD && !bad,
	   "IPv6: %u segments of at most 1440 bytes, lengths and checksums right (%u bad)",
	   i, bad);
	buf_free(&b);
	dp_destroy(dp);
}

int main(void)
{
	test_vnet();
	test_rx_rules();
	test_pipeline();
	test_ipv6();
	return done();
}

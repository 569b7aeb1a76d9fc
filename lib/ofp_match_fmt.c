/*
 * ofp_match_fmt.c - flow keys and masks as ovs-ofctl match text.
 *
 * The order of the fields and the spelling of every value follow what
 * ovs-ofctl 3.1 prints (checked against "ovs-ofctl parse-pcap" by
 * tests/bats/flowtrace.bats).  Text is written straight into the output
 * buffer through a char pointer: a line is bounded (OFP_MATCH_MAX), so the
 * room is reserved once and no write needs its own check.
 */
#include "ofp_match_fmt.h"

#include <linux/openvswitch.h>
#include <arpa/inet.h>
#include <stdbool.h>
#include <string.h>

/* Longest possible line: every field present with a mask, tunnel included,
 * is well under this. */
#define OFP_MATCH_MAX 4096

static const char hexdig[] = "0123456789abcdef";
/* Two characters per byte value: "00".."ff", and "00".."99". */
static const char hex2[] =
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	"202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
	"404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
	"606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
	"808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
	"a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
	"c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
	"e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";
static const char dec2[] =
	"00010203040506070809101112131415161718192021222324"
	"25262728293031323334353637383940414243444546474849"
	"50515253545556575859606162636465666768697071727374"
	"75767778798081828384858687888990919293949596979899";

#define ALWAYS_INLINE __attribute__((always_inline))

/* Append a string literal. */
#define W(s, lit) (memcpy((s), (lit), sizeof(lit) - 1), (s) + sizeof(lit) - 1)

static inline uint16_t ntoh16(uint16_t v) { return ntohs(v); }
static inline uint32_t ntoh32(uint32_t v) { return ntohl(v); }

/* Decimal, two digits per step from a table, written back to front. */
static char *w_dec(char *s, uint32_t v)
{
	int n = v < 10 ? 1 : v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 :
		v < 100000 ? 5 : v < 1000000 ? 6 : v < 10000000 ? 7 :
		v < 100000000 ? 8 : v < 1000000000 ? 9 : 10;
	char *t = s + n;

	while (v >= 100) {
		t -= 2;
		memcpy(t, dec2 + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10)
		memcpy(t - 2, dec2 + 2 * v, 2);
	else
		t[-1] = (char)('0' + v);
	return s + n;
}

/* Exactly four hex digits (a 16-bit value). */
static inline char *w_hex4(char *s, unsigned int v)
{
	memcpy(s, hex2 + 2 * ((v >> 8) & 0xff), 2);
	memcpy(s + 2, hex2 + 2 * (v & 0xff), 2);
	return s + 4;
}

/* A byte in decimal (IPv4 octets). */
static inline char *w_dec8(char *s, unsigned int v)
{
	if (v >= 100) {
		*s++ = (char)('0' + v / 100);
		v %= 100;
		memcpy(s, dec2 + 2 * v, 2);
		return s + 2;
	}
	if (v >= 10) {
		memcpy(s, dec2 + 2 * v, 2);
		return s + 2;
	}
	*s = (char)('0' + v);
	return s + 1;
}

/* Hex without leading zeros, at least 'width' digits. */
static char *w_hex(char *s, uint64_t v, int width)
{
	char tmp[16];
	int n = 0;

	do {
		tmp[n++] = hexdig[v & 0xf];
		v >>= 4;
	} while (v);
	while (n < width)
		tmp[n++] = '0';
	while (n)
		*s++ = tmp[--n];
	return s;
}

/* printf's "%#x": "0" for zero, else "0x..." */
static char *w_hexpfx(char *s, uint64_t v)
{
	if (!v) {
		*s++ = '0';
		return s;
	}
	s = W(s, "0x");
	return w_hex(s, v, 1);
}

static char *w_mac(char *s, const uint8_t *m)
{
	memcpy(s, hex2 + 2 * m[0], 2);
	s[2] = ':';
	memcpy(s + 3, hex2 + 2 * m[1], 2);
	s[5] = ':';
	memcpy(s + 6, hex2 + 2 * m[2], 2);
	s[8] = ':';
	memcpy(s + 9, hex2 + 2 * m[3], 2);
	s[11] = ':';
	memcpy(s + 12, hex2 + 2 * m[4], 2);
	s[14] = ':';
	memcpy(s + 15, hex2 + 2 * m[5], 2);
	return s + 17;
}

static char *w_ip4(char *s, uint32_t be)
{
	const uint8_t *b = (const uint8_t *)&be;

	s = w_dec8(s, b[0]);
	*s++ = '.';
	s = w_dec8(s, b[1]);
	*s++ = '.';
	s = w_dec8(s, b[2]);
	*s++ = '.';
	return w_dec8(s, b[3]);
}

/* A 16-bit group in hex without leading zeros. */
static inline char *w_hexgrp(char *s, unsigned int v)
{
	int n = v >= 0x1000 ? 4 : v >= 0x100 ? 3 : v >= 0x10 ? 2 : 1;

	switch (n) {
	case 4: s[n - 4] = hexdig[v >> 12];         /* fall through */
	case 3: s[n - 3] = hexdig[(v >> 8) & 0xf];  /* fall through */
	case 2: s[n - 2] = hexdig[(v >> 4) & 0xf];  /* fall through */
	default: s[n - 1] = hexdig[v & 0xf];
	}
	return s + n;
}

/* inet_ntop()'s IPv6 text: the longest run of two or more zero groups (the
 * first of equal runs) becomes "::"; an address whose first 96 bits are
 * zero and whose next group is not (the run is exactly 6 groups), or one in
 * ::ffff:0:0/96, ends in dotted IPv4. */
static char *w_ip6(char *s, const uint8_t *a)
{
	unsigned int w[8], zeros = 0, x;
	int i, best = 8, len = 0;

	for (i = 0; i < 8; i++) {
		w[i] = (unsigned int)a[2 * i] << 8 | a[2 * i + 1];
		zeros |= (unsigned int)!w[i] << i;
	}
	/* Longest run of set bits: how many shifts-and-ands empty it; its
	 * first start: the lowest bit left after len - 1 of them. */
	for (x = zeros; x; x &= x >> 1)
		len++;
	if (len >= 2) {
		for (x = zeros, i = 1; i < len; i++)
			x &= x >> 1;
		best = __builtin_ctz(x);
	} else {
		len = 0;
	}
	for (i = 0; i < best; i++) {
		if (i)
			*s++ = ':';
		s = w_hexgrp(s, w[i]);
	}
	if (best == 8)
		return s;
	s = W(s, "::");
	if (best == 0 && (len == 6 || (len == 5 && w[5] == 0xffff))) {
		uint32_t v4;

		if (len == 5)
			s = W(s, "ffff:");
		memcpy(&v4, a + 12, 4);
		return w_ip4(s, v4);
	}
	for (i = best + len; i < 8; i++) {
		s = w_hexgrp(s, w[i]);
		if (i < 7)
			*s++ = ':';
	}
	return s;
}

/* All-zero and all-one tests of addresses, in a few loads. */
static inline uint64_t ld48(const uint8_t *p)
{
	uint32_t a;
	uint16_t b;

	memcpy(&a, p, 4);
	memcpy(&b, p + 4, 2);
	return (uint64_t)a << 16 | b;
}

static inline bool mac_zero(const uint8_t *m) { return !ld48(m); }
static inline bool mac_ones(const uint8_t *m)
{
	return ld48(m) == 0xffffffffffffull;
}

static inline bool ip6_zero(const uint8_t *a)
{
	uint64_t x[2];

	memcpy(x, a, 16);
	return !(x[0] | x[1]);
}

static inline bool ip6_ones(const uint8_t *a)
{
	uint64_t x[2];

	memcpy(x, a, 16);
	return !(~x[0] | ~x[1]);
}

/* Number of leading one bits if 'm' (n bytes, network order) is a CIDR
 * prefix mask, else -1. */
static int cidr_len(const uint8_t *m, size_t n)
{
	size_t i = 0;
	int bits = 0;

	while (i < n && m[i] == 0xff) {
		i++;
		bits += 8;
	}
	if (i < n) {
		uint8_t b = m[i++];

		while (b & 0x80) {
			b = (uint8_t)(b << 1);
			bits++;
		}
		if (b)
			return -1;
		while (i < n)
			if (m[i++])
				return -1;
	}
	return bits;
}

static inline ALWAYS_INLINE char *w_mac_masked(char *s, const char *name, size_t nlen,
			  const uint8_t *v, const uint8_t *m)
{
	if (mac_zero(m))
		return s;
	memcpy(s, name, nlen);
	s = w_mac(s + nlen, v);
	if (!mac_ones(m)) {
		*s++ = '/';
		s = w_mac(s, m);
	}
	*s++ = ',';
	return s;
}
#define MAC_FIELD(s, name, v, m) w_mac_masked(s, name "=", sizeof(name), v, m)

static inline ALWAYS_INLINE char *w_ip4_masked(char *s, const char *name, size_t nlen,
			  uint32_t v, uint32_t m)
{
	int bits;

	if (!m)
		return s;
	memcpy(s, name, nlen);
	s = w_ip4(s + nlen, v);
	if (m != 0xffffffffu) {
		*s++ = '/';
		bits = cidr_len((const uint8_t *)&m, 4);
		s = bits >= 0 ? w_dec(s, (uint32_t)bits) : w_ip4(s, m);
	}
	*s++ = ',';
	return s;
}
#define IP4_FIELD(s, name, v, m) w_ip4_masked(s, name "=", sizeof(name), v, m)

static inline ALWAYS_INLINE char *w_ip6_masked(char *s, const char *name, size_t nlen,
			  const uint8_t *v, const uint8_t *m)
{
	int bits;

	if (ip6_zero(m))
		return s;
	memcpy(s, name, nlen);
	s = w_ip6(s + nlen, v);
	if (!ip6_ones(m)) {
		*s++ = '/';
		bits = cidr_len(m, 16);
		s = bits >= 0 ? w_dec(s, (uint32_t)bits) : w_ip6(s, m);
	}
	*s++ = ',';
	return s;
}
#define IP6_FIELD(s, name, v, m) w_ip6_masked(s, name "=", sizeof(name), v, m)

/* A number field (host order here): decimal when the mask is 'full', else
 * "0x<v>/0x<m>" in hex of at least 'width' digits.  The be16 fields print
 * as "0x%x/0x%x", the be32 ones as "0x%08x/0x%08x". */
static inline ALWAYS_INLINE char *w_num_masked(char *s, const char *name,
					       size_t nlen, uint32_t v,
					       uint32_t m, uint32_t full,
					       int width)
{
	if (!m)
		return s;
	memcpy(s, name, nlen);
	s += nlen;
	if (m == full) {
		s = w_dec(s, v);
	} else {
		s = W(s, "0x");
		s = w_hex(s, v, width);
		s = W(s, "/0x");
		s = w_hex(s, m, width);
	}
	*s++ = ',';
	return s;
}
#define BE16_FIELD(s, name, v, m) \
	w_num_masked(s, name "=", sizeof(name), ntoh16(v), ntoh16(m), 0xffff, 1)
#define BE32_FIELD(s, name, v, m) \
	w_num_masked(s, name "=", sizeof(name), ntoh32(v), ntoh32(m), \
		     0xffffffffu, 8)

/* A host-order u32 shown as "%#x" and "/%#x" when partial. */
static inline ALWAYS_INLINE char *w_u32_masked(char *s, const char *name, size_t nlen,
			  uint32_t v, uint32_t m)
{
	if (!m)
		return s;
	memcpy(s, name, nlen);
	s = w_hexpfx(s + nlen, v);
	if (m != 0xffffffffu) {
		*s++ = '/';
		s = w_hexpfx(s, m);
	}
	*s++ = ',';
	return s;
}
#define U32_FIELD(s, name, v, m) w_u32_masked(s, name "=", sizeof(name), v, m)

/* Flag names, indexed by bit number. */
struct flag_name {
	char s[8];              /* padded, so a copy is one 8-byte move */
	size_t n;
};
#define FN(x) { x, sizeof(x) - 1 }
static const struct flag_name tcp_flag_names[12] = {
	FN("fin"), FN("syn"), FN("rst"), FN("psh"), FN("ack"), FN("urg"),
	FN("ece"), FN("cwr"), FN("ns"), FN("[200]"), FN("[400]"), FN("[800]"),
};
static const struct flag_name ct_state_names[8] = {
	FN("new"), FN("est"), FN("rel"), FN("rpl"), FN("inv"), FN("trk"),
	FN("snat"), FN("dnat"),
};
static const struct flag_name tun_flag_names[4] = {
	FN("oam"), FN("df"), FN("csum"), FN("key"),
};

/* OVS's format_flags(): names lowest bit first, joined by 'sep'; "0" for
 * none; bits without a name as one hex number at the end. */
static char *w_flags(char *s, const struct flag_name *names, int nbits,
		     uint32_t flags, char sep)
{
	uint32_t bad = flags & ~((1u << nbits) - 1);
	char *start = s;

	if (!flags) {
		*s++ = '0';
		return s;
	}
	flags &= (1u << nbits) - 1;
	while (flags) {
		int i = __builtin_ctz(flags);

		if (s != start)
			*s++ = sep;
		memcpy(s, names[i].s, 8);
		s += names[i].n;
		flags &= flags - 1;
	}
	if (bad) {
		if (s != start)
			*s++ = sep;
		s = W(s, "0x");
		s = w_hex(s, bad, 1);
	}
	return s;
}

/* OVS's format_flags_masked(): all flags named when the mask is full, else
 * "+name" / "-name" for each masked bit. */
static char *w_flags_masked(char *s, const struct flag_name *names, int nbits,
			    uint32_t flags, uint32_t mask, uint32_t full)
{
	int i;

	if (mask == full)
		return w_flags(s, names, nbits, flags, '|');
	if (!mask)
		return W(s, "0/0");
	for (i = 0; i < 32; i++) {
		if (!(mask & (1u << i)))
			continue;
		*s++ = flags & (1u << i) ? '+' : '-';
		if (i < nbits) {
			memcpy(s, names[i].s, 8);
			s += names[i].n;
		} else {
			s = W(s, "[");
			s = w_hex(s, 1u << i, 1);
			*s++ = ']';
		}
	}
	return s;
}

/* An OpenFlow port: the reserved ports by name, like ofputil_format_port.
 * A datapath key has 32-bit ports; OVS shows the low 16 bits, and the key's
 * "no port" becomes ANY. */
static char *w_port(char *s, uint32_t port)
{
	static const char *const reserved[8] = {
		"IN_PORT", "TABLE", "NORMAL", "FLOOD", "ALL", "CONTROLLER",
		"LOCAL", "ANY",
	};

	if (port == DP_PORT_NONE)
		port = 0xffff;
	if (port >= 0xfff8 && port <= 0xffff) {
		const char *n = reserved[port - 0xfff8];
		size_t l = strlen(n);

		memcpy(s, n, l);
		return s + l;
	}
	return w_dec(s, port);
}

/* Kernel fragment type (and its mask) to OVS's nw_frag bits: ANY (1) for
 * any fragment, LATER (2) for a non-first one. */
static unsigned int ovs_frag(uint8_t v)
{
	return v == OVS_FRAG_TYPE_LATER ? 3 : v == OVS_FRAG_TYPE_FIRST ? 1 : 0;
}

static unsigned int ovs_frag_mask(uint8_t m)
{
	if (m & ~3u)
		return 3;
	return m;       /* FIRST bit -> ANY, LATER bit -> LATER */
}

enum {
	ETHT_IP = 0x0800, ETHT_ARP = 0x0806, ETHT_RARP = 0x8035,
	ETHT_IPV6 = 0x86dd, ETHT_MPLS = 0x8847, ETHT_MPLS_MC = 0x8848,
	P_ICMP = 1, P_IGMP = 2, P_TCP = 6, P_UDP = 17, P_ICMPV6 = 58,
	P_SCTP = 132,
};

static bool is_nd(const struct dp_key *k)
{
	return k->eth_type == htons(ETHT_IPV6) && k->nw_proto == P_ICMPV6 &&
	       k->tp_dst == 0 &&
	       (k->tp_src == htons(135) || k->tp_src == htons(136));
}

/* The packet mask, for everything but the tunnel options (no OpenFlow
 * field of ours reads them, and they are most of the key's size). */
static void packet_mask(const struct dp_key *k, struct dp_key *m)
{
	uint16_t type = ntoh16(k->eth_type);
	int i;

	memset(m, 0, offsetof(struct dp_key, tun.opts));

	if (k->tun_proto) {
		m->tun_proto = 0xff;
		if (k->tun.flags & DP_TUN_F_KEY)
			m->tun.id = ~(uint64_t)0;
		memset(&m->tun.addr, 0xff, sizeof m->tun.addr);
		m->tun.flags = 0xffff;
		m->tun.tos = 0xff;
		m->tun.ttl = 0xff;
	} else if (k->tun.id) {
		m->tun.id = ~(uint64_t)0;
	}
	/* Metadata: OVS shows it only where it is set. */
	m->priority = k->priority ? ~0u : 0;
	m->skb_mark = k->skb_mark ? ~0u : 0;
	m->recirc_id = k->recirc_id ? ~0u : 0;
	m->dp_hash = k->dp_hash ? ~0u : 0;
	m->ct_state = k->ct_state ? 0xff : 0;
	m->ct_zone = k->ct_zone ? 0xffff : 0;
	m->ct_mark = k->ct_mark ? ~0u : 0;
	if (!ip6_zero(k->ct_labels))        /* (16 bytes, like an address) */
		memset(m->ct_labels, 0xff, sizeof m->ct_labels);
	m->in_port = ~0u;
	m->mac_proto = 0xff;

	if (k->mac_proto == DP_MAC_ETH) {
		memset(m->eth_src, 0xff, 6);
		memset(m->eth_dst, 0xff, 6);
		m->eth_type = 0xffff;
		/* The outer tag always (a zero one says "no VLAN"), the inner
		 * one only under an outer one. */
		m->vlan.tci = 0xffff;
		if (k->vlan.tci)
			m->cvlan.tci = 0xffff;
	}

	if (type == ETHT_IP) {
		m->l3.ipv4.src = m->l3.ipv4.dst = ~0u;
		if (k->ct_orig_proto) {
			m->ct_orig.v4.src = m->ct_orig.v4.dst = ~0u;
		}
	} else if (type == ETHT_IPV6) {
		memset(m->l3.ipv6.src, 0xff, 16);
		memset(m->l3.ipv6.dst, 0xff, 16);
		m->l3.ipv6.label = htonl(0x000fffff);
		if (is_nd(k)) {
			memset(m->l3.ipv6.nd_target, 0xff, 16);
			memset(m->l3.ipv6.nd_sll, 0xff, 6);
			memset(m->l3.ipv6.nd_tll, 0xff, 6);
		} else if (k->ct_orig_proto) {
			memset(&m->ct_orig.v6, 0xff, sizeof m->ct_orig.v6);
		}
	} else if (type == ETHT_ARP || type == ETHT_RARP) {
		m->l3.ipv4.src = m->l3.ipv4.dst = ~0u;
		m->nw_proto = 0xff;
		memset(m->l3.ipv4.arp_sha, 0xff, 6);
		memset(m->l3.ipv4.arp_tha, 0xff, 6);
		return;
	} else if (type == ETHT_MPLS || type == ETHT_MPLS_MC) {
		for (i = 0; i < DP_MPLS_DEPTH; i++) {
			m->l3.mpls.lse[i] = ~0u;
			if (k->l3.mpls.lse[i] & htonl(0x100))
				break;
		}
		return;
	} else {
		return;
	}

	m->nw_frag = 0xff;
	m->nw_tos = 0xff;
	m->nw_ttl = 0xff;
	m->nw_proto = 0xff;
	if (k->ct_orig_proto) {
		m->ct_orig_proto = 0xff;
		m->ct_orig_tp_src = m->ct_orig_tp_dst = 0xffff;
	}
	if (k->nw_frag != OVS_FRAG_TYPE_LATER &&
	    (k->nw_proto == P_ICMP || k->nw_proto == P_ICMPV6 ||
	     k->nw_proto == P_TCP || k->nw_proto == P_UDP ||
	     k->nw_proto == P_SCTP || k->nw_proto == P_IGMP)) {
		m->tp_src = m->tp_dst = 0xffff;
		if (k->nw_proto == P_TCP)
			m->tcp_flags = htons(0x0fff);
	}
}

void ofp_match_packet_mask(const struct dp_key *k, struct dp_key *m)
{
	memset(m, 0, sizeof *m);
	packet_mask(k, m);
}

static char *w_tunnel(char *s, const struct dp_key *k, const struct dp_key *m)
{
	const struct dp_tun *t = &k->tun, *tm = &m->tun;

	if (tm->id) {
		s = W(s, "tun_id=");
		s = w_hexpfx(s, __builtin_bswap64(t->id));
		if (~tm->id) {
			*s++ = '/';
			s = w_hexpfx(s, __builtin_bswap64(tm->id));
		}
		*s++ = ',';
	}
	if (k->tun_proto == DP_TUN_IPV4) {
		s = IP4_FIELD(s, "tun_src", t->addr.v4.src, tm->addr.v4.src);
		s = IP4_FIELD(s, "tun_dst", t->addr.v4.dst, tm->addr.v4.dst);
	} else if (k->tun_proto == DP_TUN_IPV6) {
		s = IP6_FIELD(s, "tun_ipv6_src", t->addr.v6.src, tm->addr.v6.src);
		s = IP6_FIELD(s, "tun_ipv6_dst", t->addr.v6.dst, tm->addr.v6.dst);
	}
	if (tm->tos) {
		s = W(s, "tun_tos=");
		s = w_hex(s, t->tos, 1);
		*s++ = ',';
	}
	if (tm->ttl) {
		s = W(s, "tun_ttl=");
		s = w_dec(s, t->ttl);
		*s++ = ',';
	}
	if (tm->flags & (DP_TUN_F_DF | DP_TUN_F_CSUM | DP_TUN_F_KEY |
			 DP_TUN_F_OAM)) {
		/* OVS's bit order: oam, df, csum, key. */
		uint32_t v = 0, mk = 0;

		v |= t->flags & DP_TUN_F_OAM ? 1 : 0;
		v |= t->flags & DP_TUN_F_DF ? 2 : 0;
		v |= t->flags & DP_TUN_F_CSUM ? 4 : 0;
		v |= t->flags & DP_TUN_F_KEY ? 8 : 0;
		mk |= tm->flags & DP_TUN_F_OAM ? 1 : 0;
		mk |= tm->flags & DP_TUN_F_DF ? 2 : 0;
		mk |= tm->flags & DP_TUN_F_CSUM ? 4 : 0;
		mk |= tm->flags & DP_TUN_F_KEY ? 8 : 0;
		s = W(s, "tun_flags=");
		s = w_flags_masked(s, tun_flag_names, 4, v, mk, 0xf);
		*s++ = ',';
	}
	return s;
}

static char *w_vlans(char *s, const struct dp_key *k, const struct dp_key *m)
{
	const struct dp_vlan *v[2] = { &k->vlan, &k->cvlan };
	const struct dp_vlan *vm[2] = { &m->vlan, &m->cvlan };
	int i;

	for (i = 0; i < 2; i++) {
		uint16_t tci = ntoh16(v[i]->tci), mask = ntoh16(vm[i]->tci);
		uint16_t vid_m = mask & 0x0fff, pcp_m = mask & 0xe000;

		if (!mask)
			break;
		if ((mask & DP_VLAN_CFI) && (tci & DP_VLAN_CFI) &&
		    (!vid_m || vid_m == 0x0fff) && (!pcp_m || pcp_m == 0xe000) &&
		    (vid_m || pcp_m)) {
			if (vid_m) {
				s = i ? W(s, "dl_vlan1=") : W(s, "dl_vlan=");
				s = w_dec(s, tci & 0x0fff);
				*s++ = ',';
			}
			if (pcp_m) {
				s = i ? W(s, "dl_vlan_pcp1=") : W(s, "dl_vlan_pcp=");
				s = w_dec(s, tci >> 13);
				*s++ = ',';
			}
		} else {
			s = i ? W(s, "vlan_tci1=0x") : W(s, "vlan_tci=0x");
			s = w_hex4(s, tci);
			if (mask != 0xffff) {
				s = W(s, "/0x");
				s = w_hex4(s, mask);
			}
			*s++ = ',';
		}
	}
	return s;
}

/* Metadata and conntrack fields, in match_format()'s order. */
static char *w_meta(char *s, const struct dp_key *k, const struct dp_key *m,
		    uint16_t type)
{
	s = U32_FIELD(s, "pkt_mark", k->skb_mark, m->skb_mark);
	s = U32_FIELD(s, "recirc_id", k->recirc_id, m->recirc_id);
	s = U32_FIELD(s, "dp_hash", k->dp_hash, m->dp_hash);
	if (m->priority) {
		s = W(s, "skb_priority=");
		s = w_hexpfx(s, k->priority);
		*s++ = ',';
	}
	if (m->ct_state) {
		s = W(s, "ct_state=");
		s = w_flags_masked(s, ct_state_names, 8, k->ct_state,
				   m->ct_state, 0xff);
		*s++ = ',';
	}
	s = w_num_masked(s, "ct_zone=", 8, k->ct_zone, m->ct_zone, 0xffff, 1);
	s = U32_FIELD(s, "ct_mark", k->ct_mark, m->ct_mark);
	if (!ip6_zero(m->ct_labels)) {
		/* 128-bit host-order value, as the attribute carries it. */
		uint64_t lo, hi, mlo, mhi;

		memcpy(&lo, k->ct_labels, 8);
		memcpy(&hi, k->ct_labels + 8, 8);
		memcpy(&mlo, m->ct_labels, 8);
		memcpy(&mhi, m->ct_labels + 8, 8);
		s = W(s, "ct_label=");
		if (hi) {
			s = w_hexpfx(s, hi);
			s = w_hex(s, lo, 16);
		} else {
			s = w_hexpfx(s, lo);
		}
		if (~mlo || ~mhi) {
			*s++ = '/';
			if (mhi) {
				s = w_hexpfx(s, mhi);
				s = w_hex(s, mlo, 16);
			} else {
				s = w_hexpfx(s, mlo);
			}
		}
		*s++ = ',';
	}
	if (type == ETHT_IP) {
		s = IP4_FIELD(s, "ct_nw_src", k->ct_orig.v4.src, m->ct_orig.v4.src);
		s = IP4_FIELD(s, "ct_nw_dst", k->ct_orig.v4.dst, m->ct_orig.v4.dst);
	} else if (type == ETHT_IPV6) {
		s = IP6_FIELD(s, "ct_ipv6_src", k->ct_orig.v6.src, m->ct_orig.v6.src);
		s = IP6_FIELD(s, "ct_ipv6_dst", k->ct_orig.v6.dst, m->ct_orig.v6.dst);
	}
	if (m->ct_orig_proto) {
		s = W(s, "ct_nw_proto=");
		s = w_dec(s, k->ct_orig_proto);
		*s++ = ',';
		s = BE16_FIELD(s, "ct_tp_src", k->ct_orig_tp_src, m->ct_orig_tp_src);
		s = BE16_FIELD(s, "ct_tp_dst", k->ct_orig_tp_dst, m->ct_orig_tp_dst);
	}
	return s;
}

/* The protocol shorthand ("tcp", "udp6", "arp"...) that stands for
 * dl_type and, for IP, nw_proto.  Sets *skip_proto when it covers
 * nw_proto; returns s unchanged when there is none. */
static char *w_shorthand(char *s, uint16_t type, const struct dp_key *k,
			 const struct dp_key *m, bool *skip_proto)
{
	*skip_proto = false;
	if (type == ETHT_IP || type == ETHT_IPV6) {
		bool v6 = type == ETHT_IPV6;

		if (m->nw_proto) {
			*skip_proto = true;
			switch (k->nw_proto) {
			case P_TCP: return v6 ? W(s, "tcp6,") : W(s, "tcp,");
			case P_UDP: return v6 ? W(s, "udp6,") : W(s, "udp,");
			case P_SCTP: return v6 ? W(s, "sctp6,") : W(s, "sctp,");
			case P_ICMP:
				if (!v6)
					return W(s, "icmp,");
				break;
			case P_ICMPV6:
				if (v6)
					return W(s, "icmp6,");
				break;
			}
			*skip_proto = false;
		}
		return v6 ? W(s, "ipv6,") : W(s, "ip,");
	}
	switch (type) {
	case ETHT_ARP: return W(s, "arp,");
	case ETHT_RARP: return W(s, "rarp,");
	case ETHT_MPLS: return W(s, "mpls,");
	case ETHT_MPLS_MC: return W(s, "mplsm,");
	}
	return s;
}

static char *w_mpls(char *s, const struct dp_key *k, const struct dp_key *m)
{
	uint32_t v = ntoh32(k->l3.mpls.lse[0]), mk = ntoh32(m->l3.mpls.lse[0]);

	if (mk & 0xfffff000) {
		s = W(s, "mpls_label=");
		s = w_dec(s, v >> 12);
		*s++ = ',';
	}
	if (mk & 0x00000e00) {
		s = W(s, "mpls_tc=");
		s = w_dec(s, (v >> 9) & 7);
		*s++ = ',';
	}
	if (mk & 0x000000ff) {
		s = W(s, "mpls_ttl=");
		s = w_dec(s, v & 0xff);
		*s++ = ',';
	}
	if (mk & 0x00000100) {
		s = W(s, "mpls_bos=");
		s = w_dec(s, (v >> 8) & 1);
		*s++ = ',';
	}
	s = BE32_FIELD(s, "mpls_lse1", k->l3.mpls.lse[1], m->l3.mpls.lse[1]);
	s = BE32_FIELD(s, "mpls_lse2", k->l3.mpls.lse[2], m->l3.mpls.lse[2]);
	return s;
}

static char *w_frag(char *s, const struct dp_key *k, const struct dp_key *m)
{
	unsigned int v = ovs_frag(k->nw_frag), mk = ovs_frag_mask(m->nw_frag);

	switch (mk) {
	case 3:
		s = W(s, "nw_frag=");
		if (v & 1)
			s = v & 2 ? W(s, "later") : W(s, "first");
		else
			s = W(s, "no");
		break;
	case 1:
		s = W(s, "nw_frag=");
		s = v & 1 ? W(s, "yes") : W(s, "no");
		break;
	case 2:
		s = W(s, "nw_frag=");
		s = v & 2 ? W(s, "later") : W(s, "not_later");
		break;
	default:
		return s;
	}
	*s++ = ',';
	return s;
}

void ofp_match_format(struct buf *out, const struct dp_key *k,
		      const struct dp_key *m)
{
	struct dp_key pm;
	uint16_t type = ntoh16(k->eth_type);
	bool skip_proto = false, skip_type = false, ip;
	char *start, *s;

	if (!m) {
		packet_mask(k, &pm);
		m = &pm;
	}
	start = buf_reserve(out, OFP_MATCH_MAX);
	if (!start)
		return;
	s = w_meta(start, k, m, type);

	if (k->mac_proto == DP_MAC_NONE) {
		s = W(s, "packet_type=(1,0x");
		s = w_hex(s, type, 1);
		s = W(s, "),");
	}
	if (m->eth_type) {
		char *t = s;

		s = w_shorthand(s, type, k, m, &skip_proto);
		skip_type = s != t;
	}
	if (k->tun_proto || m->tun.id)
		s = w_tunnel(s, k, m);
	if (m->in_port) {
		s = W(s, "in_port=");
		s = w_port(s, k->in_port);
		*s++ = ',';
	}
	s = w_vlans(s, k, m);
	s = MAC_FIELD(s, "dl_src", k->eth_src, m->eth_src);
	s = MAC_FIELD(s, "dl_dst", k->eth_dst, m->eth_dst);
	if (!skip_type && m->eth_type) {
		s = W(s, "dl_type=0x");
		/* OVS's "not Ethernet II" is 0x05ff, the kernel's 0x0004. */
		s = w_hex4(s, type == DP_ETH_TYPE_802_2 ? 0x05ff : type);
		*s++ = ',';
	}

	ip = type == ETHT_IP || type == ETHT_IPV6;
	if (type == ETHT_IPV6) {
		s = IP6_FIELD(s, "ipv6_src", k->l3.ipv6.src, m->l3.ipv6.src);
		s = IP6_FIELD(s, "ipv6_dst", k->l3.ipv6.dst, m->l3.ipv6.dst);
		if (m->l3.ipv6.label) {
			s = W(s, "ipv6_label=0x");
			s = w_hex(s, ntoh32(k->l3.ipv6.label), 5);
			if (m->l3.ipv6.label != ~0u &&
			    m->l3.ipv6.label != htonl(0x000fffff)) {
				s = W(s, "/0x");
				s = w_hex(s, ntoh32(m->l3.ipv6.label), 5);
			}
			*s++ = ',';
		}
	} else if (type == ETHT_ARP || type == ETHT_RARP) {
		s = IP4_FIELD(s, "arp_spa", k->l3.ipv4.src, m->l3.ipv4.src);
		s = IP4_FIELD(s, "arp_tpa", k->l3.ipv4.dst, m->l3.ipv4.dst);
	} else if (type == ETHT_IP) {
		s = IP4_FIELD(s, "nw_src", k->l3.ipv4.src, m->l3.ipv4.src);
		s = IP4_FIELD(s, "nw_dst", k->l3.ipv4.dst, m->l3.ipv4.dst);
	}
	if (!skip_proto && m->nw_proto) {
		s = type == ETHT_ARP || type == ETHT_RARP ?
		    W(s, "arp_op=") : W(s, "nw_proto=");
		s = w_dec(s, k->nw_proto);
		*s++ = ',';
	}
	if (type == ETHT_ARP || type == ETHT_RARP) {
		s = MAC_FIELD(s, "arp_sha", k->l3.ipv4.arp_sha, m->l3.ipv4.arp_sha);
		s = MAC_FIELD(s, "arp_tha", k->l3.ipv4.arp_tha, m->l3.ipv4.arp_tha);
	}
	if (m->nw_tos & 0xfc) {
		s = W(s, "nw_tos=");
		s = w_dec(s, k->nw_tos & 0xfc);
		*s++ = ',';
	}
	if (m->nw_tos & 0x03) {
		s = W(s, "nw_ecn=");
		s = w_dec(s, k->nw_tos & 0x03);
		*s++ = ',';
	}
	if (m->nw_ttl) {
		s = W(s, "nw_ttl=");
		s = w_dec(s, k->nw_ttl);
		*s++ = ',';
	}
	if (type == ETHT_MPLS || type == ETHT_MPLS_MC)
		s = w_mpls(s, k, m);
	s = w_frag(s, k, m);

	if (type == ETHT_IP && k->nw_proto == P_ICMP) {
		s = BE16_FIELD(s, "icmp_type", k->tp_src, m->tp_src);
		s = BE16_FIELD(s, "icmp_code", k->tp_dst, m->tp_dst);
	} else if (type == ETHT_IPV6 && k->nw_proto == P_ICMPV6) {
		s = BE16_FIELD(s, "icmp_type", k->tp_src, m->tp_src);
		s = BE16_FIELD(s, "icmp_code", k->tp_dst, m->tp_dst);
		s = IP6_FIELD(s, "nd_target", k->l3.ipv6.nd_target,
			      m->l3.ipv6.nd_target);
		s = MAC_FIELD(s, "nd_sll", k->l3.ipv6.nd_sll, m->l3.ipv6.nd_sll);
		s = MAC_FIELD(s, "nd_tll", k->l3.ipv6.nd_tll, m->l3.ipv6.nd_tll);
	} else {
		s = BE16_FIELD(s, "tp_src", k->tp_src, m->tp_src);
		s = BE16_FIELD(s, "tp_dst", k->tp_dst, m->tp_dst);
	}
	if (ip && k->nw_proto == P_TCP && (m->tcp_flags & htons(0x0fff))) {
		s = W(s, "tcp_flags=");
		s = w_flags_masked(s, tcp_flag_names, 12,
				   ntoh16(k->tcp_flags) & 0x0fff,
				   ntoh16(m->tcp_flags) & 0x0fff, 0x0fff);
		*s++ = ',';
	}
	if (s > start && s[-1] == ',')
		s--;
	out->len += (size_t)(s - start);
}

static void put_via(struct buf *out, char *(*fn)(char *, const void *),
		    const void *arg)
{
	char *s = buf_reserve(out, 64);

	if (s)
		out->len += (size_t)(fn(s, arg) - s);
}

static char *w_mac_v(char *s, const void *a) { return w_mac(s, a); }
static char *w_ip6_v(char *s, const void *a) { return w_ip6(s, a); }

void ofp_put_mac(struct buf *out, const uint8_t mac[6])
{
	put_via(out, w_mac_v, mac);
}

void ofp_put_ipv6(struct buf *out, const uint8_t addr[16])
{
	put_via(out, w_ip6_v, addr);
}

void ofp_put_ipv4(struct buf *out, uint32_t be_addr)
{
	char *s = buf_reserve(out, 16);

	if (s)
		out->len += (size_t)(w_ip4(s, be_addr) - s);
}

void ofp_put_tcp_flags(struct buf *out, unsigned int flags, char sep)
{
	char *s = buf_reserve(out, 128);

	if (s)
		out->len += (size_t)(w_flags(s, tcp_flag_names, 12, flags & 0xfff,
					     sep) - s);
}

/*
 * key.h - the datapath flow key and its mask.
 *
 * One struct holds everything a datapath flow can match on: packet metadata,
 * conntrack state, the L2-L4 headers and tunnel metadata.  A mask is the same
 * struct with 1-bits where a flow cares.  The layout is shared by the packet
 * extractor (extract.c: freestanding, kmod/ compiles it too), the netlink
 * codec (odp_key.c: OVS_KEY_ATTR_* <-> struct, with the kernel's semantics)
 * and the masked flow table of the userspace datapath (flowtab.c).
 *
 * Conventions, so every module reads a key the same way:
 *  - header fields are in network byte order, exactly as on the wire and in
 *    the OVS_KEY_ATTR_* payloads (eth_type, addresses, ports, tcp_flags,
 *    vlan tci, mpls lse, ipv6 label);
 *  - metadata is in host order, as its netlink attribute carries it
 *    (in_port, priority, skb_mark, recirc_id, dp_hash, ct_zone, ct_mark);
 *  - in_port is DP_PORT_NONE in a key that has no in_port, as the kernel
 *    keeps DP_MAX_PORTS there;
 *  - a present VLAN header has DP_VLAN_CFI (0x1000) set in its tci, so a key
 *    with "vid 0, pcp 0" differs from a key with no VLAN; an absent VLAN is
 *    all zero (tpid too);
 *  - eth_type is DP_ETH_TYPE_802_2 (0x0004) for 802.3 frames (length field
 *    instead of an ethertype), as in the kernel;
 *  - ARP reuses the IPv4 address fields (spa/tpa) and stores the low 8 bits
 *    of the opcode in nw_proto, as the kernel does.
 *
 * Layout, for the fast path: the struct is a multiple of 8 bytes and 8-byte
 * aligned so masked compares and hashes run over uint64_t words.  Fields that
 * nearly every flow matches come first; tunnel metadata, which few flows use
 * and which is large, is last, so a mask's byte range (its first to its last
 * nonzero byte, see dp_key_range()) usually stops before it.
 */
#ifndef DPKIT_KEY_H
#define DPKIT_KEY_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#else
#include <stdint.h>
#include <stddef.h>
#include <string.h>
#endif

#define DP_PORT_NONE        0xffffffffu   /* key without in_port */
#define DP_MAX_PORTS        65535u        /* ports are < this (the kernel: USHRT_MAX) */
#define DP_VLAN_CFI         0x1000        /* host order; "VLAN present" bit */
#define DP_ETH_TYPE_802_2   0x0004        /* host order */
#define DP_MPLS_DEPTH       3             /* label stack entries in a key */
#define DP_TUN_OPTS_MAX     255           /* geneve options, bytes */

/* mac_proto: what the packet's outermost header is. */
enum dp_mac_proto {
	DP_MAC_ETH  = 0,                  /* Ethernet: OVS_KEY_ATTR_ETHERNET */
	DP_MAC_NONE = 1,                  /* L3 packet: no Ethernet header */
};

/* tun_proto: address family of the tunnel metadata (0: no tunnel). */
enum dp_tun_proto {
	DP_TUN_NONE = 0,
	DP_TUN_IPV4 = 2,                  /* == AF_INET */
	DP_TUN_IPV6 = 10,                 /* == AF_INET6 */
};

/* Tunnel flags (dp_tun.flags). */
enum {
	DP_TUN_F_DF          = 1 << 0,    /* OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT */
	DP_TUN_F_CSUM        = 1 << 1,    /* OVS_TUNNEL_KEY_ATTR_CSUM */
	DP_TUN_F_KEY         = 1 << 2,    /* OVS_TUNNEL_KEY_ATTR_ID present */
	DP_TUN_F_OAM         = 1 << 3,    /* OVS_TUNNEL_KEY_ATTR_OAM */
	DP_TUN_F_INFO_BRIDGE = 1 << 4,    /* OVS_TUNNEL_KEY_ATTR_IPV4_INFO_BRIDGE */
};

/* Which tunnel options dp_tun.opts holds (dp_tun.opts_type). */
enum dp_tun_opts_type {
	DP_TUN_OPTS_NONE   = 0,
	DP_TUN_OPTS_GENEVE = 1,           /* raw geneve option TLVs */
	DP_TUN_OPTS_VXLAN  = 2,           /* opts holds the GBP u32, host order */
	DP_TUN_OPTS_ERSPAN = 3,           /* opts holds struct erspan_metadata */
};

/* IPv6 extension header bits (OVS_KEY_ATTR_IPV6_EXTHDRS). */
enum {
	DP_IPV6_EXT_NONEXT = 1 << 0,
	DP_IPV6_EXT_ESP    = 1 << 1,
	DP_IPV6_EXT_AUTH   = 1 << 2,
	DP_IPV6_EXT_DEST   = 1 << 3,
	DP_IPV6_EXT_FRAG   = 1 << 4,
	DP_IPV6_EXT_ROUTER = 1 << 5,
	DP_IPV6_EXT_HOP    = 1 << 6,
	DP_IPV6_EXT_UNREP  = 1 << 7,      /* an extension header repeated */
	DP_IPV6_EXT_UNSEQ  = 1 << 8,      /* out of the RFC 8200 order */
};

struct dp_vlan {
	uint16_t tpid;                    /* be16: 0x8100 or 0x88a8; 0 if absent */
	uint16_t tci;                     /* be16, with DP_VLAN_CFI if present */
};

struct dp_tun {
	uint64_t id;                      /* be64 tunnel id (vni, gre key...) */
	union {                           /* by tun_proto */
		struct { uint32_t src, dst; } v4;          /* be32 */
		struct { uint8_t src[16], dst[16]; } v6;
	} addr;
	uint16_t flags;                   /* DP_TUN_F_* */
	uint16_t tp_src;                  /* be16 */
	uint16_t tp_dst;                  /* be16 */
	uint8_t  tos;
	uint8_t  ttl;
	uint8_t  opts_type;               /* DP_TUN_OPTS_* */
	uint8_t  opts_len;                /* bytes used in opts */
	uint8_t  opts[DP_TUN_OPTS_MAX + 1];
};

struct dp_key {
	/* Metadata. */
	uint32_t in_port;                 /* DP_PORT_NONE if absent */
	uint32_t recirc_id;
	uint32_t dp_hash;
	uint32_t priority;                /* skb_priority */
	uint32_t skb_mark;
	uint8_t  mac_proto;               /* DP_MAC_* */
	uint8_t  tun_proto;               /* DP_TUN_*: 0 means no tunnel */

	/* Conntrack state. */
	uint8_t  ct_state;                /* OVS_CS_F_* */
	uint8_t  ct_orig_proto;           /* 0: no original tuple */
	uint16_t ct_zone;
	uint16_t pad0;
	uint32_t ct_mark;
	uint8_t  ct_labels[16];

	/* L2. */
	uint8_t  eth_src[6];
	uint8_t  eth_dst[6];
	struct dp_vlan vlan;              /* outer VLAN */
	struct dp_vlan cvlan;             /* inner VLAN (802.1ad QinQ) */
	uint16_t eth_type;                /* be16 */

	/* L3/L4 common. */
	uint8_t  nw_proto;                /* IP protocol; ARP: low 8 bits of op */
	uint8_t  nw_tos;                  /* IPv4 tos / IPv6 traffic class */
	uint8_t  nw_ttl;                  /* IPv4 ttl / IPv6 hop limit */
	uint8_t  nw_frag;                 /* OVS_FRAG_TYPE_* */
	uint16_t tp_src;                  /* be16: L4 port; ICMP type (low byte) */
	uint16_t tp_dst;                  /* be16: L4 port; ICMP code (low byte) */
	uint16_t tcp_flags;               /* be16: low 12 bits of TCP header */
	uint16_t ipv6_exthdrs;            /* DP_IPV6_EXT_* */

	union {
		struct {                  /* IPv4 and ARP */
			uint32_t src, dst;        /* be32; ARP spa/tpa */
			uint8_t  arp_sha[6];
			uint8_t  arp_tha[6];
		} ipv4;
		struct {                  /* IPv6 (and ND) */
			uint8_t  src[16];
			uint8_t  dst[16];
			uint32_t label;           /* be32, low 20 bits */
			uint8_t  nd_target[16];
			uint8_t  nd_sll[6];
			uint8_t  nd_tll[6];
		} ipv6;
		struct {                  /* MPLS */
			uint32_t lse[DP_MPLS_DEPTH];  /* be32 label stack entries */
			uint32_t num_labels_mask;     /* bit i: lse[i] present */
		} mpls;
	} l3;

	/* Conntrack original-direction tuple (valid if ct_orig_proto). */
	union {
		struct { uint32_t src, dst; } v4;          /* be32 */
		struct { uint8_t src[16], dst[16]; } v6;
	} ct_orig;
	uint16_t ct_orig_tp_src;          /* be16 */
	uint16_t ct_orig_tp_dst;          /* be16 */
	uint32_t pad1;

	/* Tunnel metadata: last, see above. */
	struct dp_tun tun;
} __attribute__((aligned(8)));

/* Byte offsets of the regions of a key; the flow table uses them to hash and
 * compare only the part of a key that a mask covers. */
#define DP_KEY_OFS_TUN   offsetof(struct dp_key, tun)
#define DP_KEY_SIZE      sizeof(struct dp_key)

/* 64-bit words that may alias a struct dp_key: masked compares and hashes
 * read keys through it, and plain uint64_t would let the compiler move
 * those reads before a store to a key field (strict aliasing). */
typedef uint64_t __attribute__((may_alias)) dp_key_word;

/* The smallest [start, end) byte range, rounded out to 8-byte words, outside
 * of which 'mask' is all zero.  An all-zero mask gives start == end == 0. */
struct dp_key_range {
	uint16_t start;
	uint16_t end;
};

static inline struct dp_key_range dp_key_range(const struct dp_key *mask)
{
	const dp_key_word *w = (const dp_key_word *)(const void *)mask;
	size_t n = DP_KEY_SIZE / 8, lo = 0, hi = n;
	struct dp_key_range r = { 0, 0 };

	while (lo < n && !w[lo])
		lo++;
	if (lo == n)
		return r;
	while (hi > lo && !w[hi - 1])
		hi--;
	r.start = (uint16_t)(lo * 8);
	r.end = (uint16_t)(hi * 8);
	return r;
}

/* dst = key & mask over the whole struct. */
static inline void dp_key_apply_mask(struct dp_key *dst, const struct dp_key *key,
				     const struct dp_key *mask)
{
	const dp_key_word *k = (const dp_key_word *)(const void *)key;
	const dp_key_word *m = (const dp_key_word *)(const void *)mask;
	dp_key_word *d = (dp_key_word *)(void *)dst;
	size_t i;

	for (i = 0; i < DP_KEY_SIZE / 8; i++)
		d[i] = k[i] & m[i];
}

/* Initialise a key as "nothing known": every field zero, no in_port. */
static inline void dp_key_init(struct dp_key *key)
{
	memset(key, 0, sizeof *key);
	key->in_port = DP_PORT_NONE;
}

#endif /* DPKIT_KEY_H */

/*
 * ofp_match.h - what an OpenFlow-style rule matches: the flow, its fields,
 * and matches (value + mask) over them.
 *
 * A rule in dpd's tables matches packets the way an Open vSwitch rule does.
 * This module owns the model those rules are written against:
 *
 *  - struct ofp_flow: a packet as the rule tables see it.  It is THE
 *    datapath flow key (struct dp_key, key.h) plus what OpenFlow adds on
 *    top: the 64-bit metadata and the registers reg0..reg15 (xreg and xxreg
 *    are views of register pairs and quads).  Two fields are recoded, both
 *    in one place (ofp_flow_from_dp_key(), ofp_wc_to_dp_mask()):
 *      * key.in_port holds the OpenFlow port number (OFPP_*), not the
 *        datapath one.  Datapath port numbers map 1:1, except that
 *        OFPP_LOCAL is datapath port 0 (the datapath's own port).
 *      * key.nw_frag holds OpenFlow's fragment bits (OFP_FRAG_ANY,
 *        OFP_FRAG_LATER), which ip_frag=... matches with a mask, instead of
 *        the kernel's OVS_FRAG_TYPE_* enumeration.
 *      * key.eth_type of an 802.3 frame is OpenFlow's 0x05ff, not the
 *        kernel's DP_ETH_TYPE_802_2 (dl_type=0x05ff matches them).
 *    Everything else reads as key.h says (byte orders included).
 *
 *  - struct ofp_field: the named fields of ovs-fields(7) (eth_src, nw_dst,
 *    tp_dst, reg3, ct_state...), each a run of bits somewhere in struct
 *    ofp_flow.  Matches, set_field, load, move and output:FIELD[] all go
 *    through the one table (ofp_field.c), with the value of a field as a
 *    big-endian integer (union ofp_value) whatever its storage.
 *
 *  - struct ofp_match: a flow and a mask of the same shape.  The invariant
 *    flow == flow & mask always holds, so two matches are equal iff their
 *    bytes are.  Prerequisites (nw_src needs ip or arp, tp_dst needs tcp,
 *    udp, sctp, icmp...) are checked by ofp_match_check_prereqs().
 *
 * Text (ovs-ofctl syntax) lives in ofp_match_text.c.
 */
#ifndef DPKIT_OFP_MATCH_H
#define DPKIT_OFP_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "key.h"

#define OFP_N_REGS 16

/* OpenFlow port numbers, in the 16-bit space ovs-ofctl shows. */
enum {
	OFPP_MAX        = 0xff00,   /* physical ports are below this */
	OFPP_IN_PORT    = 0xfff8,
	OFPP_TABLE      = 0xfff9,
	OFPP_NORMAL     = 0xfffa,
	OFPP_FLOOD      = 0xfffb,
	OFPP_ALL        = 0xfffc,
	OFPP_CONTROLLER = 0xfffd,
	OFPP_LOCAL      = 0xfffe,
	OFPP_NONE       = 0xffff,   /* a.k.a. ANY */
};

/* The one mapping between OpenFlow and datapath port numbers. */
static inline uint32_t ofp_port_to_dp(uint16_t port)
{
	if (port == OFPP_LOCAL)
		return 0;
	if (port < OFPP_MAX && port != 0)
		return port;
	return DP_PORT_NONE;
}

static inline uint16_t ofp_port_from_dp(uint32_t port)
{
	if (port == 0)
		return OFPP_LOCAL;
	if (port <= 0xffff)
		return (uint16_t)port;
	return OFPP_NONE;
}

/* Ethertypes the rule layer names (host order). */
enum {
	OFP_ETH_IP    = 0x0800,
	OFP_ETH_ARP   = 0x0806,
	OFP_ETH_RARP  = 0x8035,
	OFP_ETH_IPV6  = 0x86dd,
	OFP_ETH_MPLS  = 0x8847,
	OFP_ETH_MPLSM = 0x8848,
};

/* Fragment bits of ofp_flow.key.nw_frag. */
enum {
	OFP_FRAG_ANY   = 1 << 0,    /* any fragment */
	OFP_FRAG_LATER = 1 << 1,    /* not the first fragment */
	OFP_FRAG_MASK  = OFP_FRAG_ANY | OFP_FRAG_LATER,
};

/* Conntrack state bits (ct_state), the kernel's OVS_CS_F_*. */
enum {
	OFP_CS_NEW  = 0x01, OFP_CS_EST  = 0x02, OFP_CS_REL  = 0x04,
	OFP_CS_RPL  = 0x08, OFP_CS_INV  = 0x10, OFP_CS_TRK  = 0x20,
	OFP_CS_SNAT = 0x40, OFP_CS_DNAT = 0x80,
};

struct ofp_flow {
	struct dp_key key;          /* see above for in_port and nw_frag */
	uint64_t metadata;          /* host order */
	uint32_t regs[OFP_N_REGS];  /* host order */
} __attribute__((aligned(8)));

#define OFP_FLOW_WORDS (sizeof(struct ofp_flow) / 8)

struct ofp_match {
	struct ofp_flow flow;       /* always == flow & mask */
	struct ofp_flow mask;
};

/* --- fields ------------------------------------------------------------ */

enum ofp_field_id {
	OFP_F_IN_PORT, OFP_F_METADATA,
	OFP_F_REG0, OFP_F_REG15 = OFP_F_REG0 + 15,
	OFP_F_XREG0, OFP_F_XREG7 = OFP_F_XREG0 + 7,
	OFP_F_XXREG0, OFP_F_XXREG3 = OFP_F_XXREG0 + 3,
	OFP_F_PKT_MARK,
	OFP_F_CT_STATE, OFP_F_CT_ZONE, OFP_F_CT_MARK, OFP_F_CT_LABEL,
	OFP_F_CT_NW_PROTO, OFP_F_CT_NW_SRC, OFP_F_CT_NW_DST,
	OFP_F_CT_IPV6_SRC, OFP_F_CT_IPV6_DST, OFP_F_CT_TP_SRC, OFP_F_CT_TP_DST,
	OFP_F_TUN_ID, OFP_F_TUN_SRC, OFP_F_TUN_DST,
	OFP_F_TUN_IPV6_SRC, OFP_F_TUN_IPV6_DST,
	OFP_F_ETH_SRC, OFP_F_ETH_DST, OFP_F_ETH_TYPE,
	OFP_F_VLAN_TCI, OFP_F_DL_VLAN, OFP_F_VLAN_VID, OFP_F_DL_VLAN_PCP,
	OFP_F_VLAN_PCP,
	OFP_F_MPLS_LABEL, OFP_F_MPLS_TC, OFP_F_MPLS_BOS, OFP_F_MPLS_TTL,
	OFP_F_IP_SRC, OFP_F_IP_DST, OFP_F_IPV6_SRC, OFP_F_IPV6_DST,
	OFP_F_IPV6_LABEL, OFP_F_NW_PROTO, OFP_F_NW_TOS, OFP_F_IP_DSCP,
	OFP_F_NW_ECN, OFP_F_NW_TTL, OFP_F_IP_FRAG,
	OFP_F_ARP_OP, OFP_F_ARP_SPA, OFP_F_ARP_TPA, OFP_F_ARP_SHA,
	OFP_F_ARP_THA,
	OFP_F_TCP_SRC, OFP_F_TCP_DST, OFP_F_UDP_SRC, OFP_F_UDP_DST,
	OFP_F_SCTP_SRC, OFP_F_SCTP_DST, OFP_F_TCP_FLAGS,
	OFP_F_ICMP_TYPE, OFP_F_ICMP_CODE, OFP_F_ICMPV6_TYPE, OFP_F_ICMPV6_CODE,
	OFP_F_ND_TARGET, OFP_F_ND_SLL, OFP_F_ND_TLL,
	OFP_F_N_FIELDS
};

/* How a field's bits sit in struct ofp_flow. */
enum ofp_field_store {
	OFP_FS_BE,      /* big-endian integer of 'size' bytes, bits [shift, shift+n_bits) */
	OFP_FS_HOST,    /* host-order integer of 'size' (1, 2, 4, 8) bytes, same */
	OFP_FS_REGS,    /* n_bits/32 registers from regs[shift], first most significant */
	OFP_FS_LE128,   /* 16 bytes holding a little-endian 128-bit integer (ct_label) */
};

/* How a field's value is written in text. */
enum ofp_field_fmt {
	OFP_FF_DEC,     /* decimal, hex with 0x, "/mask" */
	OFP_FF_HEX,
	OFP_FF_MAC,
	OFP_FF_IPV4,
	OFP_FF_IPV6,
	OFP_FF_PORT,    /* OpenFlow port name or number */
	OFP_FF_FRAG,    /* no, yes, first, later, not_later */
	OFP_FF_TCP_FLAGS,
	OFP_FF_CT_STATE,
};

/* What a field needs the match (or the packet) to be. */
enum ofp_prereq {
	OFP_P_NONE,
	OFP_P_ARP,          /* arp or rarp */
	OFP_P_IPV4,
	OFP_P_IPV6,
	OFP_P_IP_ANY,       /* ip or ipv6 */
	OFP_P_IPV4_ARP,     /* ip, arp or rarp (nw_src, nw_dst) */
	OFP_P_IP_ARP,       /* ip, ipv6, arp or rarp (nw_proto, arp_op) */
	OFP_P_L4,           /* tcp, udp, sctp, icmp, icmp6 (tp_src, tp_dst) */
	OFP_P_TCP,          /* tcp or tcp6 (tcp_flags) */
	OFP_P_ND,           /* icmp6 with icmp_type 135 or 136, code 0 */
	OFP_P_ND_SOLICIT,   /* ... type 135 (nd_sll) */
	OFP_P_ND_ADVERT,    /* ... type 136 (nd_tll) */
	OFP_P_MPLS,         /* mpls or mplsm */
	OFP_P_VLAN,         /* a VLAN header present (set_field vlan_vid) */
	OFP_P_CT,           /* a valid connection: ct_state +new, +est...,
			     * or +trk-inv */
	OFP_P_CT_IPV4,      /* ... and ip */
	OFP_P_CT_IPV6,      /* ... and ipv6 */
	OFP_P_CT_L4,        /* ... and ct_nw_proto tcp, udp, sctp, icmp */
};

struct ofp_field {
	enum ofp_field_id id;
	const char *name;       /* ovs-fields name: "eth_src" */
	const char *alias;      /* older name: "dl_src" (or NULL) */
	const char *nxm;        /* name shown in load/move: "NXM_OF_ETH_SRC" */
	const char *oxm;        /* another accepted header name, or NULL */
	uint16_t ofs;           /* byte offset in struct ofp_flow */
	uint8_t size;           /* bytes of storage at ofs */
	uint8_t store;          /* enum ofp_field_store */
	uint8_t shift;          /* lowest bit of the value in the storage */
	uint8_t n_bits;
	uint8_t fmt;            /* enum ofp_field_fmt */
	uint8_t prereq;         /* enum ofp_prereq */
	bool maskable;
	bool writable;          /* set_field/load/move may write it */
};

/* A field value or mask: a big-endian integer in the last n_bytes of be[]
 * (n_bytes = (n_bits + 7) / 8); unused leading bytes are zero. */
union ofp_value {
	uint8_t be[16];
	uint64_t u64[2];
};

const struct ofp_field *ofp_field_get(enum ofp_field_id);
/* By ovs-fields name, alias, or NXM/OXM header name ("NXM_NX_REG0"). */
const struct ofp_field *ofp_field_by_name(const char *name, size_t len);
static inline unsigned ofp_field_bytes(const struct ofp_field *f)
{
	return (f->n_bits + 7u) / 8u;
}

/* Value of 'f' in 'flow' (all n_bits). */
void ofp_field_get_value(const struct ofp_field *f, const struct ofp_flow *flow,
			 union ofp_value *v);
/* flow[f] = (flow[f] & ~mask) | (v & mask), on the field's bits only. */
void ofp_field_set_masked(const struct ofp_field *f, struct ofp_flow *flow,
			  const union ofp_value *v, const union ofp_value *mask);
/* All-ones value of the field's width. */
void ofp_value_ones(const struct ofp_field *f, union ofp_value *v);
bool ofp_value_is_zero(const union ofp_value *v);
uint64_t ofp_value_u64(const union ofp_value *v);        /* low 64 bits */
void ofp_value_from_u64(union ofp_value *v, uint64_t x);
/* Value bits beyond the field's width set?  (Invalid value.) */
bool ofp_value_too_wide(const struct ofp_field *f, const union ofp_value *v);
/* Bits [ofs, ofs+n) of v, ones elsewhere zero; and the reverse. */
void ofp_value_bits(union ofp_value *dst, const union ofp_value *v,
		    unsigned ofs, unsigned n);
void ofp_value_set_bits(union ofp_value *dst, unsigned ofs, unsigned n);
void ofp_value_shift(union ofp_value *dst, const union ofp_value *v, int left);

/* A field's bits in a match: set (value & mask), mask them. */
void ofp_match_set_field(struct ofp_match *m, const struct ofp_field *f,
			 const union ofp_value *v, const union ofp_value *mask);
void ofp_match_get_field(const struct ofp_match *m, const struct ofp_field *f,
			 union ofp_value *v, union ofp_value *mask);

/* A bit range of a field: "NXM_NX_REG0[0..5]", "reg1[]", "eth_src[8]". */
struct ofp_subfield {
	const struct ofp_field *field;
	uint8_t ofs;
	uint8_t n_bits;
};

/* Parse "FIELD[]", "FIELD[a..b]", "FIELD[a]" or a bare "FIELD" from
 * s[0..len).  Errors name the token. */
int ofp_subfield_parse(const char *s, size_t len, struct ofp_subfield *sf,
		       struct dp_err *err);
/* "NXM_NX_REG0[]", "NXM_NX_REG1[16..31]", as ovs-ofctl prints them. */
void ofp_subfield_format(struct buf *out, const struct ofp_subfield *sf);
bool ofp_subfield_is_whole(const struct ofp_subfield *sf);

/* --- matches ----------------------------------------------------------- */

void ofp_match_init_catchall(struct ofp_match *m);
static inline bool ofp_match_equal(const struct ofp_match *a,
				   const struct ofp_match *b)
{
	return !memcmp(a, b, sizeof *a);
}
/* Re-establish flow == flow & mask. */
void ofp_match_normalize(struct ofp_match *m);
/* Does 'flow' satisfy the match? */
bool ofp_match_matches(const struct ofp_match *m, const struct ofp_flow *flow);
/* Is every packet matching 'narrow' also matched by 'wide'?  (OpenFlow's
 * non-strict modify/delete selection: 'wide' is the request.) */
bool ofp_match_covers(const struct ofp_match *wide,
		      const struct ofp_match *narrow);
/* Can one packet match both? */
bool ofp_match_overlaps(const struct ofp_match *a, const struct ofp_match *b);

/* Is 'p' satisfied by the match's exact values (eth_type, nw_proto...)? */
bool ofp_match_prereq_ok(const struct ofp_match *m, enum ofp_prereq p);
/* Words used in error messages: "ip, arp or rarp". */
const char *ofp_prereq_name(enum ofp_prereq p);

/* Exact match on every field that is meaningful for this packet, as
 * Open vSwitch's match_wc_init() does: what parse-pcap style printing of
 * a packet shows. */
void ofp_match_init_exact(struct ofp_match *m, const struct ofp_flow *flow);

/* --- the datapath boundary (the one place that recodes) ----------------- */

/* A packet's datapath key to the flow the rule tables see: in_port to
 * OpenFlow numbering, nw_frag to fragment bits, metadata and registers
 * zero. */
void ofp_flow_from_dp_key(struct ofp_flow *flow, const struct dp_key *key);
/* A datapath mask as a mask over struct ofp_flow: in_port all-or-nothing
 * in OpenFlow's 16 bits, nw_frag to fragment bits. */
void ofp_wc_from_dp_mask(struct ofp_flow *wc, const struct dp_key *mask);
/* The datapath key of a flow (inverse of the above for the shared part). */
void ofp_flow_to_dp_key(const struct ofp_flow *flow, struct dp_key *key);
/* The megaflow mask for a classifier's accumulated wildcards: the dp_key
 * part of 'wc' with in_port made exact when consulted (the datapath keeps
 * it whole) and nw_frag made all-or-nothing (a datapath enumeration, not
 * bits).  Metadata and registers do not exist in the datapath: xlate
 * accounts for them by the packet fields they were derived from. */
void ofp_wc_to_dp_mask(const struct ofp_flow *wc, struct dp_key *mask);

#endif /* DPKIT_OFP_MATCH_H */

/*
 * ofp_actions.h - the actions and instructions of an OpenFlow-style rule.
 *
 * A rule's actions are kept as one flat, self-contained byte stream of
 * struct ofpact records (each a multiple of 8 bytes, zero-padded), in the
 * order they run.  Actions that hold other actions (ct's exec/nat, clone,
 * write_actions) carry them inside their own record, after their fixed
 * part.  A flat stream is what makes rules cheap to copy (memcpy), compare
 * (memcmp) and free, and it is what the translator walks:
 *
 *     const struct ofpact *a;
 *     OFPACT_FOR_EACH(a, acts, len) {
 *         switch (a->type) {
 *         case OFPACT_OUTPUT: ...ofpact_get_output(a)->port...
 *         case OFPACT_CT: ...OFPACT_FOR_EACH_NESTED(n, a) for nat and exec...
 *
 * Instructions (OpenFlow 1.1+: clear_actions, write_actions(...),
 * write_metadata, goto_table) follow the applied actions, in that order,
 * each at most once (ofpacts_check() enforces it, as Open vSwitch does).
 *
 * The records keep how an action was written where Open vSwitch's dump
 * shows a difference (set_field vs load, set_tunnel vs set_tunnel64,
 * dec_ttl vs dec_ttl(ids)).  Legacy "mod_*" actions stay their own types
 * because their semantics differ from set_field (mod_vlan_vid pushes a VLAN
 * header when there is none; mod_nw_src applies only to IPv4 packets and
 * needs no prerequisite); ofpact_as_set_field() gives the field, value and
 * mask any of them writes, for a translator that wants one code path.
 *
 * Text is ofp_actions_text.c; this module owns the representation, the
 * builders and the consistency checks against a rule's match.
 */
#ifndef DPKIT_OFP_ACTIONS_H
#define DPKIT_OFP_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "ofp_match.h"

enum ofpact_type {
	/* Output. */
	OFPACT_OUTPUT,          /* ofpact_output: port (OFPP_* or number) */
	OFPACT_CONTROLLER,      /* ofpact_controller */
	OFPACT_ENQUEUE,         /* ofpact_enqueue */
	OFPACT_OUTPUT_REG,      /* ofpact_output_reg: output:FIELD[a..b] */
	OFPACT_OUTPUT_TRUNC,    /* ofpact_output_trunc: output(port=,max_len=) */
	OFPACT_RESUBMIT,        /* ofpact_resubmit */
	/* Fields. */
	OFPACT_SET_FIELD,       /* ofpact_set_field: set_field and load */
	OFPACT_REG_MOVE,        /* ofpact_reg_move: move */
	OFPACT_STACK_PUSH,      /* ofpact_stack: push:FIELD[] */
	OFPACT_STACK_POP,       /* ofpact_stack: pop:FIELD[] */
	OFPACT_SET_VLAN_VID,    /* ofpact_u32: mod_vlan_vid (pushes if none) */
	OFPACT_SET_VLAN_PCP,    /* ofpact_u32: mod_vlan_pcp (pushes if none) */
	OFPACT_STRIP_VLAN,      /* ofpact: strip_vlan, pop_vlan */
	OFPACT_PUSH_VLAN,       /* ofpact_u32: ethertype */
	OFPACT_SET_ETH_SRC,     /* ofpact_mac: mod_dl_src */
	OFPACT_SET_ETH_DST,     /* ofpact_mac: mod_dl_dst */
	OFPACT_SET_IPV4_SRC,    /* ofpact_u32: be32, mod_nw_src */
	OFPACT_SET_IPV4_DST,    /* ofpact_u32: be32, mod_nw_dst */
	OFPACT_SET_IP_DSCP,     /* ofpact_u32: mod_nw_tos (TOS byte, ECN bits 0) */
	OFPACT_SET_IP_ECN,      /* ofpact_u32: mod_nw_ecn */
	OFPACT_SET_IP_TTL,      /* ofpact_u32: mod_nw_ttl */
	OFPACT_SET_L4_SRC_PORT, /* ofpact_u32: mod_tp_src */
	OFPACT_SET_L4_DST_PORT, /* ofpact_u32: mod_tp_dst */
	OFPACT_PUSH_MPLS,       /* ofpact_u32: ethertype */
	OFPACT_POP_MPLS,        /* ofpact_u32: ethertype of the payload */
	OFPACT_SET_MPLS_LABEL,  /* ofpact_u32 */
	OFPACT_SET_MPLS_TC,     /* ofpact_u32 */
	OFPACT_SET_MPLS_TTL,    /* ofpact_u32 */
	OFPACT_DEC_MPLS_TTL,    /* ofpact */
	OFPACT_DEC_TTL,         /* ofpact_dec_ttl */
	OFPACT_SET_TUNNEL,      /* ofpact_u64 (spelling 1: set_tunnel64) */
	OFPACT_SET_QUEUE,       /* ofpact_u32 */
	OFPACT_POP_QUEUE,       /* ofpact */
	/* Other. */
	OFPACT_NOTE,            /* ofpact_note */
	OFPACT_EXIT,            /* ofpact */
	OFPACT_FIN_TIMEOUT,     /* ofpact_fin_timeout */
	OFPACT_SAMPLE,          /* ofpact_sample */
	OFPACT_CHECK_PKT_LARGER,/* ofpact_check_pkt_larger */
	OFPACT_CLONE,           /* ofpact + nested actions */
	OFPACT_CT,              /* ofpact_ct + nested nat and exec actions */
	OFPACT_NAT,             /* ofpact_nat, only inside ct */
	OFPACT_CT_CLEAR,        /* ofpact */
	/* Instructions, in this order after the actions above. */
	OFPACT_CLEAR_ACTIONS,   /* ofpact */
	OFPACT_WRITE_ACTIONS,   /* ofpact + nested actions (the action set) */
	OFPACT_WRITE_METADATA,  /* ofpact_write_metadata */
	OFPACT_GOTO_TABLE,      /* ofpact_u32: table */
	OFPACT_N_TYPES
};

struct ofpact {
	uint16_t type;          /* enum ofpact_type */
	uint16_t len;           /* of the whole record, a multiple of 8 */
	uint8_t spelling;       /* how it was written, where dumps differ */
	uint8_t pad[3];
};

#define OFPACT_ALIGN 8

/* A bit range of a field inside an action record. */
struct ofpact_sf {
	uint8_t field;          /* enum ofp_field_id */
	uint8_t ofs;
	uint8_t n_bits;
	uint8_t pad;
};

struct ofpact_output {
	struct ofpact a;
	uint16_t port;
	uint16_t max_len;
	uint8_t pad[4];
};

enum ofp_pin_reason {
	OFPR_NO_MATCH, OFPR_ACTION, OFPR_INVALID_TTL, OFPR_ACTION_SET,
	OFPR_GROUP, OFPR_PACKET_OUT, OFPR_N_REASONS
};

struct ofpact_controller {
	struct ofpact a;
	uint16_t max_len;
	uint16_t controller_id;
	uint8_t reason;         /* enum ofp_pin_reason */
	uint8_t pause;
	uint16_t userdata_len;  /* bytes following this struct */
};

struct ofpact_enqueue {
	struct ofpact a;
	uint16_t port;
	uint16_t pad;
	uint32_t queue;
};

struct ofpact_output_reg {
	struct ofpact a;
	struct ofpact_sf src;
	uint16_t max_len;
	uint16_t pad;
};

struct ofpact_output_trunc {
	struct ofpact a;
	uint16_t port;
	uint16_t pad;
	uint32_t max_len;
};

struct ofpact_resubmit {
	struct ofpact a;
	uint16_t in_port;       /* OFPP_IN_PORT: the packet's own */
	uint8_t table;          /* 255: the current table */
	uint8_t with_ct;        /* use the conntrack original tuple */
	uint8_t pad[4];
};

enum { OFPACT_SF_SET_FIELD = 0, OFPACT_SF_LOAD = 1 };

struct ofpact_set_field {
	struct ofpact a;        /* spelling: OFPACT_SF_* */
	uint8_t field;          /* enum ofp_field_id */
	uint8_t pad[7];
	union ofp_value value;  /* bits outside mask are zero */
	union ofp_value mask;
};

struct ofpact_reg_move {
	struct ofpact a;
	struct ofpact_sf src;
	struct ofpact_sf dst;
};

struct ofpact_stack {
	struct ofpact a;
	struct ofpact_sf sf;
	uint8_t pad[4];
};

struct ofpact_u32 {
	struct ofpact a;
	uint32_t value;
	uint8_t pad[4];
};

struct ofpact_u64 {
	struct ofpact a;
	uint64_t value;
};

struct ofpact_mac {
	struct ofpact a;
	uint8_t mac[6];
	uint8_t pad[2];
};

struct ofpact_dec_ttl {
	struct ofpact a;        /* spelling 1: written with ids */
	uint16_t n_ids;
	uint16_t ids[];         /* controller ids */
};

struct ofpact_note {
	struct ofpact a;
	uint16_t len;
	uint8_t data[];
};

struct ofpact_fin_timeout {
	struct ofpact a;
	uint16_t idle;
	uint16_t hard;
	uint8_t pad[4];
};

enum { OFP_SAMPLE_DEFAULT, OFP_SAMPLE_INGRESS, OFP_SAMPLE_EGRESS };

struct ofpact_sample {
	struct ofpact a;
	uint16_t probability;
	uint16_t sampling_port; /* OFPP_NONE if none */
	uint32_t collector_set_id;
	uint32_t obs_domain_id;
	uint32_t obs_point_id;
	uint8_t direction;
	uint8_t pad[3];
};

struct ofpact_check_pkt_larger {
	struct ofpact a;
	struct ofpact_sf dst;   /* one bit */
	uint16_t pkt_len;
	uint8_t pad[6];
};

enum {
	OFP_CT_COMMIT = 1 << 0,
	OFP_CT_FORCE  = 1 << 1,
};
#define OFP_CT_NO_TABLE 255

struct ofpact_ct {
	struct ofpact a;
	uint16_t flags;         /* OFP_CT_* */
	uint16_t zone_imm;      /* if zone_src.n_bits == 0 */
	struct ofpact_sf zone_src;
	uint16_t alg;           /* 0, 21 (ftp), 69 (tftp) */
	uint8_t table;          /* OFP_CT_NO_TABLE: no recirculation */
	uint8_t pad[5];
	/* followed by nested actions: an optional nat, then exec's */
};

enum {
	OFP_NAT_SRC        = 1 << 0,
	OFP_NAT_DST        = 1 << 1,
	OFP_NAT_PERSISTENT = 1 << 2,
	OFP_NAT_HASH       = 1 << 3,
	OFP_NAT_RANDOM     = 1 << 4,
};

struct ofpact_nat {
	struct ofpact a;
	uint16_t flags;         /* OFP_NAT_* */
	uint8_t af;             /* 0 (no range), AF_INET or AF_INET6 */
	uint8_t pad;
	uint16_t port_min, port_max;    /* 0: none */
	uint8_t addr_min[16];   /* IPv4 in the first 4 bytes */
	uint8_t addr_max[16];   /* all zero: same as min */
};

struct ofpact_write_metadata {
	struct ofpact a;
	uint64_t metadata;
	uint64_t mask;
};

/* Iteration over a stream, and over the actions nested in a record. */
static inline const struct ofpact *ofpact_next(const struct ofpact *a)
{
	return (const struct ofpact *)(const void *)((const uint8_t *)a + a->len);
}

static inline const struct ofpact *ofpact_end(const void *acts, size_t len)
{
	return (const struct ofpact *)(const void *)((const uint8_t *)acts + len);
}

#define OFPACT_FOR_EACH(A, ACTS, LEN)                                   \
	for ((A) = (const struct ofpact *)(const void *)(ACTS);         \
	     (A) < ofpact_end(ACTS, LEN); (A) = ofpact_next(A))

/* Nested actions of a CT, CLONE or WRITE_ACTIONS record. */
size_t ofpact_nested_offset(const struct ofpact *a);
static inline const void *ofpact_nested(const struct ofpact *a)
{
	return (const uint8_t *)a + ofpact_nested_offset(a);
}
static inline size_t ofpact_nested_len(const struct ofpact *a)
{
	return a->len - ofpact_nested_offset(a);
}
#define OFPACT_FOR_EACH_NESTED(N, A) \
	OFPACT_FOR_EACH(N, ofpact_nested(A), ofpact_nested_len(A))

/* Typed views (the record must have that type). */
#define OFPACT_CAST(TYPE, A) ((const struct TYPE *)(const void *)(A))

/* --- building a stream -------------------------------------------------- */

/* Append a record of 'size' bytes (rounded up to 8, zeroed) of 'type' and
 * return it; NULL if the buffer ran out of memory. */
struct ofpact *ofpact_put(struct buf *b, enum ofpact_type type, size_t size);
/* Open a nesting record (CT, CLONE, WRITE_ACTIONS) of fixed size 'size':
 * returns its offset in 'b'; append the nested records, then close it. */
size_t ofpact_nest_start(struct buf *b, enum ofpact_type type, size_t size);
void ofpact_nest_end(struct buf *b, size_t ofs);

/* --- what actions mean ----------------------------------------------------- */

/* The field write of a set_field/load or legacy mod_* record: true and
 * fills field, value, mask; false for other records. */
bool ofpact_as_set_field(const struct ofpact *a, const struct ofp_field **f,
			 union ofp_value *value, union ofp_value *mask);
/* Does the stream send packets to OpenFlow port 'port' (an output,
 * enqueue, output(port=) or controller action, at any depth)?  For
 * del-flows out_port=. */
bool ofpacts_output_to_port(const void *acts, size_t len, uint16_t port);
/* Do two streams do the same thing?  Same bytes, except how records were
 * spelled (set_field vs load writing the same bits compare equal). */
bool ofpacts_equal(const void *a, size_t alen, const void *b, size_t blen);
const char *ofpact_name(enum ofpact_type type);

/* Check a stream against the match of its rule, as Open vSwitch does
 * when it accepts a flow: instruction order and uniqueness, set_field /
 * load / move / output:FIELD[] prerequisites (tracking push/pop of VLAN and
 * MPLS headers along the way), ct() on IP only, alg=ftp on TCP, alg=tftp
 * on UDP, resubmit(...,ct) on tracked IP, goto_table to a later table.
 * 'table' is the rule's table (255: unknown).  The message names the
 * action; *bad (if not NULL) is the index of the top-level record at
 * fault, for the caller to point at its text. */
int ofpacts_check(const void *acts, size_t len, const struct ofp_match *m,
		  uint8_t table, struct dp_err *err, size_t *bad);

#endif /* DPKIT_OFP_ACTIONS_H */

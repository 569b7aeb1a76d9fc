/*
 * ofp_actions.c - action streams: building, reading, comparing, and the
 * consistency checks a rule's actions must pass against its match.
 */
#include "ofp_actions.h"

#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

static const char *const names[OFPACT_N_TYPES] = {
	[OFPACT_OUTPUT] = "output",
	[OFPACT_CONTROLLER] = "controller",
	[OFPACT_ENQUEUE] = "enqueue",
	[OFPACT_OUTPUT_REG] = "output",
	[OFPACT_OUTPUT_TRUNC] = "output",
	[OFPACT_RESUBMIT] = "resubmit",
	[OFPACT_SET_FIELD] = "set_field",
	[OFPACT_REG_MOVE] = "move",
	[OFPACT_STACK_PUSH] = "push",
	[OFPACT_STACK_POP] = "pop",
	[OFPACT_SET_VLAN_VID] = "mod_vlan_vid",
	[OFPACT_SET_VLAN_PCP] = "mod_vlan_pcp",
	[OFPACT_STRIP_VLAN] = "strip_vlan",
	[OFPACT_PUSH_VLAN] = "push_vlan",
	[OFPACT_SET_ETH_SRC] = "mod_dl_src",
	[OFPACT_SET_ETH_DST] = "mod_dl_dst",
	[OFPACT_SET_IPV4_SRC] = "mod_nw_src",
	[OFPACT_SET_IPV4_DST] = "mod_nw_dst",
	[OFPACT_SET_IP_DSCP] = "mod_nw_tos",
	[OFPACT_SET_IP_ECN] = "mod_nw_ecn",
	[OFPACT_SET_IP_TTL] = "mod_nw_ttl",
	[OFPACT_SET_L4_SRC_PORT] = "mod_tp_src",
	[OFPACT_SET_L4_DST_PORT] = "mod_tp_dst",
	[OFPACT_PUSH_MPLS] = "push_mpls",
	[OFPACT_POP_MPLS] = "pop_mpls",
	[OFPACT_SET_MPLS_LABEL] = "set_mpls_label",
	[OFPACT_SET_MPLS_TC] = "set_mpls_tc",
	[OFPACT_SET_MPLS_TTL] = "set_mpls_ttl",
	[OFPACT_DEC_MPLS_TTL] = "dec_mpls_ttl",
	[OFPACT_DEC_TTL] = "dec_ttl",
	[OFPACT_SET_TUNNEL] = "set_tunnel",
	[OFPACT_SET_QUEUE] = "set_queue",
	[OFPACT_POP_QUEUE] = "pop_queue",
	[OFPACT_NOTE] = "note",
	[OFPACT_EXIT] = "exit",
	[OFPACT_FIN_TIMEOUT] = "fin_timeout",
	[OFPACT_SAMPLE] = "sample",
	[OFPACT_CHECK_PKT_LARGER] = "check_pkt_larger",
	[OFPACT_CLONE] = "clone",
	[OFPACT_CT] = "ct",
	[OFPACT_NAT] = "nat",
	[OFPACT_CT_CLEAR] = "ct_clear",
	[OFPACT_CLEAR_ACTIONS] = "clear_actions",
	[OFPACT_WRITE_ACTIONS] = "write_actions",
	[OFPACT_WRITE_METADATA] = "write_metadata",
	[OFPACT_GOTO_TABLE] = "goto_table",
};

const char *ofpact_name(enum ofpact_type type)
{
	return (unsigned)type < OFPACT_N_TYPES ? names[type] : "?";
}

static size_t round8(size_t n)
{
	return (n + OFPACT_ALIGN - 1) & ~(size_t)(OFPACT_ALIGN - 1);
}

struct ofpact *ofpact_put(struct buf *b, enum ofpact_type type, size_t size)
{
	size_t n = round8(size);
	struct ofpact *a;

	if (n > UINT16_MAX)
		return NULL;
	a = buf_put_zeros(b, n);
	if (!a)
		return NULL;
	a->type = (uint16_t)type;
	a->len = (uint16_t)n;
	return a;
}

size_t ofpact_nest_start(struct buf *b, enum ofpact_type type, size_t size)
{
	size_t ofs = b->len;

	ofpact_put(b, type, size);
	return ofs;
}

void ofpact_nest_end(struct buf *b, size_t ofs)
{
	struct ofpact *a;
	size_t n = b->len - ofs;

	if (!buf_ok(b) || b->len < ofs + sizeof *a)
		return;
	a = (struct ofpact *)(void *)(b->data + ofs);
	if (n > UINT16_MAX) {
		b->oom = 1;     /* too big to describe: treat as failure */
		return;
	}
	a->len = (uint16_t)n;
}

size_t ofpact_nested_offset(const struct ofpact *a)
{
	switch (a->type) {
	case OFPACT_CT:
		return round8(sizeof(struct ofpact_ct));
	case OFPACT_CLONE:
	case OFPACT_WRITE_ACTIONS:
		return round8(sizeof(struct ofpact));
	default:
		return a->len;
	}
}

/* --- meaning ------------------------------------------------------------- */

static void set_u64(union ofp_value *v, uint64_t x)
{
	ofp_value_from_u64(v, x);
}

bool ofpact_as_set_field(const struct ofpact *a, const struct ofp_field **f,
			 union ofp_value *value, union ofp_value *mask)
{
	const struct ofpact_u32 *u = OFPACT_CAST(ofpact_u32, a);
	enum ofp_field_id id;
	uint64_t x = 0;

	switch (a->type) {
	case OFPACT_SET_FIELD: {
		const struct ofpact_set_field *sf = OFPACT_CAST(ofpact_set_field, a);

		*f = ofp_field_get(sf->field);
		*value = sf->value;
		*mask = sf->mask;
		return *f != NULL;
	}
	case OFPACT_SET_VLAN_VID: id = OFP_F_DL_VLAN; x = u->value; break;
	case OFPACT_SET_VLAN_PCP: id = OFP_F_DL_VLAN_PCP; x = u->value; break;
	case OFPACT_SET_IPV4_SRC: id = OFP_F_IP_SRC; x = ntohl(u->value); break;
	case OFPACT_SET_IPV4_DST: id = OFP_F_IP_DST; x = ntohl(u->value); break;
	case OFPACT_SET_IP_DSCP: id = OFP_F_IP_DSCP; x = u->value >> 2; break;
	case OFPACT_SET_IP_ECN: id = OFP_F_NW_ECN; x = u->value; break;
	case OFPACT_SET_IP_TTL: id = OFP_F_NW_TTL; x = u->value; break;
	case OFPACT_SET_L4_SRC_PORT: id = OFP_F_TCP_SRC; x = u->value; break;
	case OFPACT_SET_L4_DST_PORT: id = OFP_F_TCP_DST; x = u->value; break;
	case OFPACT_SET_MPLS_LABEL: id = OFP_F_MPLS_LABEL; x = u->value; break;
	case OFPACT_SET_MPLS_TC: id = OFP_F_MPLS_TC; x = u->value; break;
	case OFPACT_SET_MPLS_TTL: id = OFP_F_MPLS_TTL; x = u->value; break;
	case OFPACT_SET_TUNNEL:
		id = OFP_F_TUN_ID;
		x = OFPACT_CAST(ofpact_u64, a)->value;
		break;
	case OFPACT_SET_ETH_SRC:
	case OFPACT_SET_ETH_DST: {
		const struct ofpact_mac *m = OFPACT_CAST(ofpact_mac, a);
		int i;

		for (i = 0; i < 6; i++)
			x = x << 8 | m->mac[i];
		id = a->type == OFPACT_SET_ETH_SRC ? OFP_F_ETH_SRC : OFP_F_ETH_DST;
		break;
	}
	default:
		return false;
	}
	*f = ofp_field_get(id);
	set_u64(value, x);
	ofp_value_ones(*f, mask);
	return true;
}

bool ofpacts_output_to_port(const void *acts, size_t len, uint16_t port)
{
	const struct ofpact *a;

	OFPACT_FOR_EACH(a, acts, len) {
		switch (a->type) {
		case OFPACT_OUTPUT:
			if (OFPACT_CAST(ofpact_output, a)->port == port)
				return true;
			break;
		case OFPACT_ENQUEUE:
			if (OFPACT_CAST(ofpact_enqueue, a)->port == port)
				return true;
			break;
		case OFPACT_OUTPUT_TRUNC:
			if (OFPACT_CAST(ofpact_output_trunc, a)->port == port)
				return true;
			break;
		case OFPACT_CONTROLLER:
			if (port == OFPP_CONTROLLER)
				return true;
			break;
		case OFPACT_CLONE:
		case OFPACT_WRITE_ACTIONS:
		case OFPACT_CT:
			if (ofpacts_output_to_port(ofpact_nested(a),
						   ofpact_nested_len(a), port))
				return true;
			break;
		default:
			break;
		}
	}
	return false;
}

bool ofpacts_equal(const void *a, size_t alen, const void *b, size_t blen)
{
	const struct ofpact *x, *y;

	if (alen != blen)
		return false;
	y = b;
	OFPACT_FOR_EACH(x, a, alen) {
		size_t hdr = sizeof *x;

		if (x->type != y->type || x->len != y->len)
			return false;
		/* The spelling byte only changes how a record prints. */
		if (memcmp((const uint8_t *)x + hdr, (const uint8_t *)y + hdr,
			   x->len - hdr))
			return false;
		if (x->type == OFPACT_DEC_TTL && x->spelling != y->spelling)
			return false;
		y = ofpact_next(y);
	}
	return true;
}

/* --- consistency with the match ----------------------------------------- */

struct check_ctx {
	struct ofp_match m;     /* the match as the packet changes */
	uint8_t table;
	int depth;
	size_t index;           /* top-level record being checked */
	struct dp_err *err;
};

static int field_prereq(struct check_ctx *c, const struct ofp_field *f,
			const char *what)
{
	if (!ofp_match_prereq_ok(&c->m, f->prereq))
		return dp_err_set(c->err, EINVAL,
				  "%s %s: field %s needs %s in the match",
				  what, f->name, f->name, ofp_prereq_name(f->prereq));
	return 0;
}

static void set_dl_type(struct ofp_match *m, uint16_t type)
{
	m->flow.key.eth_type = htons(type);
	m->mask.key.eth_type = 0xffff;
}

static void set_vlan(struct ofp_match *m, bool present)
{
	if (present) {
		m->flow.key.vlan.tci |= htons(DP_VLAN_CFI);
		m->mask.key.vlan.tci |= htons(DP_VLAN_CFI);
	} else {
		m->flow.key.vlan.tci = 0;
		m->mask.key.vlan.tci = 0xffff;
	}
}

static int check_list(struct check_ctx *c, const void *acts, size_t len,
		      bool instructions);

static int check_ct(struct check_ctx *c, const struct ofpact *a)
{
	const struct ofpact_ct *ct = OFPACT_CAST(ofpact_ct, a);
	const struct ofpact *n;
	bool nat_args = false, exec = false, first = true;
	int proto = c->m.mask.key.nw_proto ? c->m.flow.key.nw_proto : -1;

	if (!ofp_match_prereq_ok(&c->m, OFP_P_IP_ANY))
		return dp_err_set(c->err, EINVAL,
				  "ct: needs ip or ipv6 in the match");
	if (ct->alg == 21 && proto != 6)
		return dp_err_set(c->err, EINVAL,
				  "ct: alg=ftp needs tcp in the match");
	if (ct->alg == 69 && proto != 17)
		return dp_err_set(c->err, EINVAL,
				  "ct: alg=tftp needs udp in the match");
	if (ct->zone_src.n_bits) {
		const struct ofp_field *f = ofp_field_get(ct->zone_src.field);

		if (f && field_prereq(c, f, "ct: zone"))
			return -EINVAL;
	}
	OFPACT_FOR_EACH_NESTED(n, a) {
		if (n->type == OFPACT_NAT && first) {
			nat_args = OFPACT_CAST(ofpact_nat, n)->flags != 0;
		} else if (n->type == OFPACT_SET_FIELD) {
			const struct ofpact_set_field *sf =
				OFPACT_CAST(ofpact_set_field, n);

			if (sf->field != OFP_F_CT_MARK && sf->field != OFP_F_CT_LABEL)
				return dp_err_set(c->err, EINVAL,
						  "ct action doesn't support nested modification of %s",
						  ofp_field_get(sf->field)->name);
			exec = true;
		} else {
			return dp_err_set(c->err, EINVAL,
					  "ct action doesn't support nested action %s",
					  ofpact_name((enum ofpact_type)n->type));
		}
		first = false;
	}
	if ((exec || nat_args) && !(ct->flags & OFP_CT_COMMIT))
		return dp_err_set(c->err, EINVAL,
				  "CT action requires commit flag if actions other than NAT without arguments are specified.");
	return 0;
}

static int check_one(struct check_ctx *c, const struct ofpact *a)
{
	const struct ofpact_u32 *u = OFPACT_CAST(ofpact_u32, a);
	const struct ofp_field *f;

	switch (a->type) {
	case OFPACT_SET_FIELD: {
		const struct ofpact_set_field *sf = OFPACT_CAST(ofpact_set_field, a);

		f = ofp_field_get(sf->field);
		if (!f || !f->writable)
			return dp_err_set(c->err, EINVAL, "set_field: field is read-only");
		if (f->id == OFP_F_CT_MARK || f->id == OFP_F_CT_LABEL)
			return dp_err_set(c->err, EINVAL,
					  "cannot set CT fields outside of ct action");
		if (field_prereq(c, f, a->spelling == OFPACT_SF_LOAD ? "load:" :
				 "set_field:"))
			return -EINVAL;
		if (f->id == OFP_F_VLAN_TCI) {
			uint16_t tci = (uint16_t)(sf->value.be[14] << 8 |
						  sf->value.be[15]);

			set_vlan(&c->m, tci & DP_VLAN_CFI);
		}
		return 0;
	}
	case OFPACT_REG_MOVE: {
		const struct ofpact_reg_move *mv = OFPACT_CAST(ofpact_reg_move, a);

		if (field_prereq(c, ofp_field_get(mv->src.field), "move: source") ||
		    field_prereq(c, ofp_field_get(mv->dst.field), "move: destination"))
			return -EINVAL;
		return 0;
	}
	case OFPACT_STACK_PUSH:
	case OFPACT_STACK_POP:
		return field_prereq(c, ofp_field_get(OFPACT_CAST(ofpact_stack, a)->sf.field),
				    ofpact_name((enum ofpact_type)a->type));
	case OFPACT_OUTPUT_REG:
		return field_prereq(c, ofp_field_get(
			OFPACT_CAST(ofpact_output_reg, a)->src.field), "output:");
	case OFPACT_CHECK_PKT_LARGER:
		return field_prereq(c, ofp_field_get(
			OFPACT_CAST(ofpact_check_pkt_larger, a)->dst.field),
			"check_pkt_larger:");
	case OFPACT_SET_IP_ECN:
	case OFPACT_SET_IP_TTL:
		/* Open vSwitch carries these as set_field, with its checks. */
		if (!ofp_match_prereq_ok(&c->m, OFP_P_IP_ANY))
			return dp_err_set(c->err, EINVAL, "%s: needs ip or ipv6 in the match",
					  ofpact_name((enum ofpact_type)a->type));
		return 0;
	case OFPACT_SET_VLAN_VID:
	case OFPACT_SET_VLAN_PCP:
	case OFPACT_PUSH_VLAN:
		set_vlan(&c->m, true);
		return 0;
	case OFPACT_STRIP_VLAN:
		set_vlan(&c->m, false);
		return 0;
	case OFPACT_PUSH_MPLS:
	case OFPACT_POP_MPLS:
		set_dl_type(&c->m, (uint16_t)u->value);
		return 0;
	case OFPACT_RESUBMIT:
		if (OFPACT_CAST(ofpact_resubmit, a)->with_ct &&
		    !ofp_match_prereq_ok(&c->m, OFP_P_CT))
			return dp_err_set(c->err, EINVAL,
					  "resubmit(...,ct): needs a match on a valid conntrack state (ct_state=+trk-inv, +est...)");
		return 0;
	case OFPACT_CT:
		return check_ct(c, a);
	case OFPACT_NAT:
		return dp_err_set(c->err, EINVAL,
				  "Cannot have NAT action outside of \"ct\" action");
	case OFPACT_CLONE: {
		struct ofp_match save = c->m;
		int r = check_list(c, ofpact_nested(a), ofpact_nested_len(a), false);

		c->m = save;
		return r;
	}
	case OFPACT_GOTO_TABLE:
		if (c->table != 255 && u->value <= c->table)
			return dp_err_set(c->err, EINVAL,
					  "goto_table:%u: must go to a table after this rule's table %u",
					  u->value, c->table);
		return 0;
	default:
		return 0;
	}
}

/* Instruction rank: 0 for applied actions, then clear, write, metadata,
 * goto in the order OpenFlow 1.1+ requires. */
static int inst_rank(uint16_t type)
{
	switch (type) {
	case OFPACT_CLEAR_ACTIONS: return 1;
	case OFPACT_WRITE_ACTIONS: return 2;
	case OFPACT_WRITE_METADATA: return 3;
	case OFPACT_GOTO_TABLE: return 4;
	default: return 0;
	}
}

static const char *rank_name(int r)
{
	static const char *const n[] = { "apply_actions", "clear_actions",
		"write_actions", "write_metadata", "goto_table" };

	return n[r];
}

static int check_list(struct check_ctx *c, const void *acts, size_t len,
		      bool instructions)
{
	const struct ofpact *a;
	int last = 0, r;

	if (++c->depth > 16) {
		c->depth--;
		return dp_err_set(c->err, EINVAL, "actions nested too deeply");
	}
	OFPACT_FOR_EACH(a, acts, len) {
		int rank = inst_rank(a->type);

		if (c->depth == 1)
			c->index++;
		if (rank && !instructions) {
			r = dp_err_set(c->err, EINVAL,
				       "%s is an instruction and cannot appear inside another action",
				       rank_name(rank));
			goto out;
		}
		if (rank && rank == last) {
			r = dp_err_set(c->err, EINVAL,
				       "duplicate %s instruction not allowed, for OpenFlow 1.1+ compatibility",
				       rank_name(rank));
			goto out;
		}
		if (rank < last) {
			r = dp_err_set(c->err, EINVAL,
				       "invalid instruction ordering: %s must appear before %s, for OpenFlow 1.1+ compatibility",
				       rank_name(rank), rank_name(last));
			goto out;
		}
		last = rank;
		if (a->type == OFPACT_WRITE_ACTIONS) {
			struct ofp_match save = c->m;

			r = check_list(c, ofpact_nested(a), ofpact_nested_len(a), false);
			c->m = save;
		} else {
			r = check_one(c, a);
		}
		if (r)
			goto out;
	}
	r = 0;
out:
	c->depth--;
	return r;
}

int ofpacts_check(const void *acts, size_t len, const struct ofp_match *m,
		  uint8_t table, struct dp_err *err, size_t *bad)
{
	struct check_ctx c;
	int r;

	memset(&c, 0, sizeof c);
	c.m = *m;
	c.table = table;
	c.err = err;
	r = check_list(&c, acts, len, true);
	if (r && bad)
		*bad = c.index ? c.index - 1 : 0;
	return r;
}

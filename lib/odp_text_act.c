/*
 * odp_text_act.c - datapath actions (OVS_ACTION_ATTR_* streams) as text,
 * the way ovs-dpctl prints them: "2,set(ipv4(ttl=63)),ct(commit),drop".
 *
 * Every action is printed from a length-checked view of its payload: a
 * datapath that sends a wrong length gets "bad length N, expected M for:
 * actionT(hex)" and an action this module does not know gets
 * "actionT(hex)", as in Open vSwitch; nested lists stop at OT_MAX_DEPTH.
 *
 * userspace() cookies of Open vSwitch's own layout (48 bytes, see
 * fmt_cookie()) print as sFlow(...), slow_path(...), flow_sample(...),
 * ipfix(...) or controller(...), so dumps of flows that ovs-vswitchd
 * installed read the same in dpkit.
 */
#include "odp_text_int.h"

#include <string.h>

/* Open vSwitch's struct user_action_cookie (x86-64 layout, host order). */
#define COOKIE_LEN 48
enum { CK_SFLOW = 1, CK_SLOW_PATH, CK_FLOW_SAMPLE, CK_IPFIX, CK_CONTROLLER };

static void fmt_list(const struct ofmt *f, const uint8_t *p, size_t len);

static int act_len(uint16_t type)
{
	switch (type) {
	case OVS_ACTION_ATTR_OUTPUT:
	case OVS_ACTION_ATTR_RECIRC:
	case OVS_ACTION_ATTR_TRUNC:
	case OVS_ACTION_ATTR_METER:
	case OVS_ACTION_ATTR_PUSH_VLAN:
	case ODP_ACTION_ATTR_DROP:
	case ODP_ACTION_ATTR_TUNNEL_POP:
	case ODP_ACTION_ATTR_LB_OUTPUT:
		return 4;
	case OVS_ACTION_ATTR_POP_VLAN:
	case OVS_ACTION_ATTR_CT_CLEAR:
	case OVS_ACTION_ATTR_POP_ETH:
	case OVS_ACTION_ATTR_POP_NSH:
		return 0;
	case OVS_ACTION_ATTR_HASH:
	case OVS_ACTION_ATTR_PUSH_MPLS:
	case OVS_ACTION_ATTR_ADD_MPLS:
		return 8;
	case OVS_ACTION_ATTR_POP_MPLS:
		return 2;
	case OVS_ACTION_ATTR_PUSH_ETH:
		return 12;
	case OVS_ACTION_ATTR_USERSPACE:
	case OVS_ACTION_ATTR_SET:
	case OVS_ACTION_ATTR_SET_MASKED:
	case OVS_ACTION_ATTR_SAMPLE:
	case OVS_ACTION_ATTR_CT:
	case OVS_ACTION_ATTR_CLONE:
	case OVS_ACTION_ATTR_CHECK_PKT_LEN:
	case OVS_ACTION_ATTR_PUSH_NSH:
	case OVS_ACTION_ATTR_DEC_TTL:
	case ODP_ACTION_ATTR_PSAMPLE:
	case ODP_ACTION_ATTR_TUNNEL_PUSH:
		return OT_LEN_VAR;
	default:
		return OT_LEN_UNKNOWN;
	}
}

static void fmt_generic(struct buf *b, uint16_t type, const uint8_t *p,
			size_t len)
{
	buf_printf(b, "action%u", type);
	if (len) {
		buf_putc(b, '(');
		ot_hex_spaced(b, p, len);
		buf_putc(b, ')');
	}
}

/* Index a nested stream by type; false if malformed or a length does not
 * match 'lens' (-1: any length; -2: at least 1). */
bool ot_parse_nested(const uint8_t *p, size_t len, const struct nlattr **tb,
		     int max, const int *lens)
{
	const struct nlattr *a;
	size_t rem;
	int i;

	for (i = 0; i <= max; i++)
		tb[i] = NULL;
	NA_FOR_EACH(a, p, len, rem) {
		uint16_t t = na_type(a);

		if (t > max)
			continue;
		if (lens[t] >= 0 && na_len(a) != (size_t)lens[t])
			return false;
		tb[t] = a;
	}
	return rem == 0;
}

static void fmt_cookie(const struct ofmt *f, const uint8_t *c, size_t len)
{
	struct buf *b = f->out;

	switch (len == COOKIE_LEN ? ot_h16(c) : 0) {
	case CK_SFLOW: {
		uint16_t tci = ot_be16(c + 24);

		buf_printf(b, ",sFlow(vid=%u,pcp=%u,output=%u)", tci & 0xfff,
			   tci >> 13, ot_h32(c + 28));
		return;
	}
	case CK_SLOW_PATH:
		buf_puts(b, ",slow_path(");
		ot_flags(b, ot_slow_path_name, ot_h32(c + 28), ',');
		buf_putc(b, ')');
		return;
	case CK_FLOW_SAMPLE:
		buf_printf(b, ",flow_sample(probability=%u,collector_set_id=%u,"
			   "obs_domain_id=%u,obs_point_id=%u,output_port=",
			   ot_h16(c + 24), ot_h32(c + 28), ot_h32(c + 32),
			   ot_h32(c + 36));
		ot_port(f, ot_h32(c + 40));
		if (ot_h32(c + 44) == 1)
			buf_puts(b, ",ingress");
		else if (ot_h32(c + 44) == 2)
			buf_puts(b, ",egress");
		buf_putc(b, ')');
		return;
	case CK_IPFIX:
		buf_puts(b, ",ipfix(output_port=");
		ot_port(f, ot_h32(c + 24));
		buf_putc(b, ')');
		return;
	case CK_CONTROLLER:
		buf_printf(b, ",controller(reason=%u,dont_send=%d,"
			   "continuation=%d,recirc_id=%u,rule_cookie=%#llx,"
			   "controller_id=%u,max_len=%u)", ot_h16(c + 26),
			   !!c[24], !!c[25], ot_h32(c + 28),
			   (unsigned long long)ot_be64(c + 32), ot_h16(c + 40),
			   ot_h16(c + 42));
		return;
	default:
		buf_puts(b, ",userdata(");
		buf_put_hex(b, c, len);
		buf_putc(b, ')');
	}
}

static void fmt_userspace(const struct ofmt *f, const uint8_t *p, size_t len)
{
	static const int lens[] = { -1, 4, -1, 4, -1 };
	const struct nlattr *tb[OVS_USERSPACE_ATTR_MAX + 1];
	struct buf *b = f->out;

	if (!ot_parse_nested(p, len, tb, OVS_USERSPACE_ATTR_MAX, lens) ||
	    !tb[OVS_USERSPACE_ATTR_PID]) {
		buf_puts(b, "userspace(error)");
		return;
	}
	buf_printf(b, "userspace(pid=%u", na_get_u32(tb[OVS_USERSPACE_ATTR_PID]));
	if (tb[OVS_USERSPACE_ATTR_USERDATA])
		fmt_cookie(f, na_data(tb[OVS_USERSPACE_ATTR_USERDATA]),
			   na_len(tb[OVS_USERSPACE_ATTR_USERDATA]));
	if (tb[OVS_USERSPACE_ATTR_ACTIONS])
		buf_puts(b, ",actions");
	if (tb[OVS_USERSPACE_ATTR_EGRESS_TUN_PORT]) {
		buf_puts(b, ",tunnel_out_port=");
		ot_port(f, na_get_u32(tb[OVS_USERSPACE_ATTR_EGRESS_TUN_PORT]));
	}
	buf_putc(b, ')');
}

static void fmt_sub(const struct ofmt *f, const struct nlattr *a)
{
	fmt_list(f, na_data(a), na_len(a));
}

static void fmt_sample(const struct ofmt *f, const uint8_t *p, size_t len)
{
	static const int lens[] = { -1, 4, -1 };
	const struct nlattr *tb[OVS_SAMPLE_ATTR_MAX + 1];
	struct buf *b = f->out;

	buf_puts(b, "sample");
	if (!ot_parse_nested(p, len, tb, OVS_SAMPLE_ATTR_MAX, lens) ||
	    !tb[OVS_SAMPLE_ATTR_PROBABILITY] || !tb[OVS_SAMPLE_ATTR_ACTIONS]) {
		buf_puts(b, "(error)");
		return;
	}
	buf_printf(b, "(sample=%.1f%%,actions(",
		   100.0 * na_get_u32(tb[OVS_SAMPLE_ATTR_PROBABILITY]) /
		   UINT32_MAX);
	fmt_sub(f, tb[OVS_SAMPLE_ATTR_ACTIONS]);
	buf_puts(b, "))");
}

static void fmt_check_pkt_len(const struct ofmt *f, const uint8_t *p,
			      size_t len)
{
	static const int lens[] = { -1, 2, -1, -1 };
	const struct nlattr *tb[OVS_CHECK_PKT_LEN_ATTR_MAX + 1];
	struct buf *b = f->out;

	buf_puts(b, "check_pkt_len");
	if (!ot_parse_nested(p, len, tb, OVS_CHECK_PKT_LEN_ATTR_MAX, lens) ||
	    !tb[OVS_CHECK_PKT_LEN_ATTR_PKT_LEN] ||
	    !tb[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER] ||
	    !tb[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL]) {
		buf_puts(b, "(error)");
		return;
	}
	buf_printf(b, "(size=%u,gt(",
		   na_get_u16(tb[OVS_CHECK_PKT_LEN_ATTR_PKT_LEN]));
	fmt_sub(f, tb[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER]);
	buf_puts(b, "),le(");
	fmt_sub(f, tb[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL]);
	buf_puts(b, "))");
}

/* dec_ttl(le_1(actions)): the actions run when the TTL would drop to 0;
 * Open vSwitch 3.1 has no text for it, later releases print this. */
static void fmt_dec_ttl(const struct ofmt *f, const uint8_t *p, size_t len)
{
	static const int lens[] = { -1, -1 };
	const struct nlattr *tb[OVS_DEC_TTL_ATTR_MAX + 1];

	if (!ot_parse_nested(p, len, tb, OVS_DEC_TTL_ATTR_MAX, lens) ||
	    !tb[OVS_DEC_TTL_ATTR_ACTION]) {
		buf_puts(f->out, "dec_ttl(error)");
		return;
	}
	buf_puts(f->out, "dec_ttl(le_1(");
	fmt_sub(f, tb[OVS_DEC_TTL_ATTR_ACTION]);
	buf_puts(f->out, "))");
}

static void fmt_psample(struct buf *b, const uint8_t *p, size_t len)
{
	static const int lens[] = { -1, 4, -2 };
	const struct nlattr *tb[3];

	if (!ot_parse_nested(p, len, tb, 2, lens) ||
	    !tb[ODP_PSAMPLE_ATTR_GROUP] ||
	    (tb[ODP_PSAMPLE_ATTR_COOKIE] &&
	     (!na_len(tb[ODP_PSAMPLE_ATTR_COOKIE]) ||
	      na_len(tb[ODP_PSAMPLE_ATTR_COOKIE]) > 16))) {
		buf_puts(b, "psample(error)");
		return;
	}
	buf_printf(b, "psample(group=%u", na_get_u32(tb[ODP_PSAMPLE_ATTR_GROUP]));
	if (tb[ODP_PSAMPLE_ATTR_COOKIE]) {
		buf_puts(b, ",cookie=0x");
		buf_put_hex(b, na_data(tb[ODP_PSAMPLE_ATTR_COOKIE]),
			    na_len(tb[ODP_PSAMPLE_ATTR_COOKIE]));
	}
	buf_putc(b, ')');
}

static void fmt_set(const struct ofmt *f, const uint8_t *p, size_t len,
		    bool masked)
{
	const struct nlattr *a = (const void *)p;
	struct ofmt sub = *f;
	struct mslice none = { NULL, 0, false };
	struct buf *b = f->out;

	sub.names = NULL;
	sub.flags = masked ? 0 : ODP_FMT_VERBOSE;
	if (!na_ok(a, len)) {
		buf_puts(b, "set(");
		ot_hex_spaced(b, p, len);
		buf_putc(b, ')');
		return;
	}
	if (masked && na_type(a) == OVS_KEY_ATTR_NSH) {
		ot_fmt_set_nsh(&sub, na_data(a), na_len(a));
		return;
	}
	buf_puts(b, "set(");
	if (masked && na_len(a) / 2 <= 40) {
		/* Value and mask halves, copied so that a nested value's
		 * mask starts aligned as attributes must. */
		uint32_t kv[10], mv[10];
		size_t size = na_len(a) / 2;
		struct mslice m = { (const uint8_t *)mv, size, false };

		memcpy(kv, na_data(a), size);
		memcpy(mv, (const uint8_t *)na_data(a) + size, size);
		ot_fmt_key_attr(&sub, na_type(a), (const uint8_t *)kv, size,
				&m);
	} else {
		ot_fmt_key_attr(&sub, na_type(a), na_data(a), na_len(a), &none);
	}
	buf_putc(b, ')');
}

static void fmt_action(const struct ofmt *f, const struct nlattr *a)
{
	uint16_t type = na_type(a);
	const uint8_t *p = na_data(a);
	size_t len = na_len(a);
	int expect = act_len(type);
	struct buf *b = f->out;

	if (expect == OT_LEN_UNKNOWN) {
		fmt_generic(b, type, p, len);
		return;
	}
	if (expect >= 0 && len != (size_t)expect) {
		buf_printf(b, "bad length %zu, expected %d for: ", len, expect);
		fmt_generic(b, type, p, len);
		return;
	}
	switch (type) {
	case OVS_ACTION_ATTR_OUTPUT:
		ot_port(f, ot_h32(p));
		break;
	case OVS_ACTION_ATTR_USERSPACE:
		fmt_userspace(f, p, len);
		break;
	case OVS_ACTION_ATTR_SET:
	case OVS_ACTION_ATTR_SET_MASKED:
		fmt_set(f, p, len, type == OVS_ACTION_ATTR_SET_MASKED);
		break;
	case OVS_ACTION_ATTR_PUSH_VLAN:
		buf_puts(b, "push_vlan(");
		if (ot_be16(p) != 0x8100)
			buf_printf(b, "tpid=0x%04x,", ot_be16(p));
		ot_fmt_vlan_tci(b, ot_be16(p + 2), 0xffff, false);
		buf_putc(b, ')');
		break;
	case OVS_ACTION_ATTR_POP_VLAN:
		buf_puts(b, "pop_vlan");
		break;
	case OVS_ACTION_ATTR_SAMPLE:
		fmt_sample(f, p, len);
		break;
	case OVS_ACTION_ATTR_RECIRC:
		buf_printf(b, "recirc(%#x)", ot_h32(p));
		break;
	case OVS_ACTION_ATTR_HASH:
		buf_puts(b, "hash(");
		if (ot_h32(p) == OVS_HASH_ALG_L4)
			buf_printf(b, "l4(%u)", ot_h32(p + 4));
		else if (ot_h32(p) == ODP_HASH_ALG_SYM_L4)
			buf_printf(b, "sym_l4(%u)", ot_h32(p + 4));
		else
			buf_printf(b, "Unknown hash algorithm(%u)", ot_h32(p));
		buf_putc(b, ')');
		break;
	case OVS_ACTION_ATTR_PUSH_MPLS:
	case OVS_ACTION_ATTR_ADD_MPLS:
		buf_puts(b, type == OVS_ACTION_ATTR_PUSH_MPLS ? "push_mpls(" :
			 "add_mpls(");
		ot_fmt_mpls_lse(b, ot_be32(p));
		buf_printf(b, ",eth_type=0x%x", ot_be16(p + 4));
		if (type == OVS_ACTION_ATTR_ADD_MPLS && ot_h16(p + 6))
			buf_printf(b, ",tun_flags=%#x", ot_h16(p + 6));
		buf_putc(b, ')');
		break;
	case OVS_ACTION_ATTR_POP_MPLS:
		buf_printf(b, "pop_mpls(eth_type=0x%x)", ot_be16(p));
		break;
	case OVS_ACTION_ATTR_CT:
		ot_fmt_ct(b, p, len);
		break;
	case OVS_ACTION_ATTR_TRUNC:
		buf_printf(b, "trunc(%u)", ot_h32(p));
		break;
	case OVS_ACTION_ATTR_PUSH_ETH:
		buf_puts(b, "push_eth(src=");
		ot_eth(b, p);
		buf_puts(b, ",dst=");
		ot_eth(b, p + 6);
		buf_putc(b, ')');
		break;
	case OVS_ACTION_ATTR_POP_ETH:
		buf_puts(b, "pop_eth");
		break;
	case OVS_ACTION_ATTR_CT_CLEAR:
		buf_puts(b, "ct_clear");
		break;
	case OVS_ACTION_ATTR_PUSH_NSH:
		ot_fmt_push_nsh(f, p, len);
		break;
	case OVS_ACTION_ATTR_POP_NSH:
		buf_puts(b, "pop_nsh()");
		break;
	case OVS_ACTION_ATTR_METER:
		buf_printf(b, "meter(%u)", ot_h32(p));
		break;
	case OVS_ACTION_ATTR_CLONE:
		buf_puts(b, "clone(");
		fmt_list(f, p, len);
		buf_putc(b, ')');
		break;
	case OVS_ACTION_ATTR_CHECK_PKT_LEN:
		fmt_check_pkt_len(f, p, len);
		break;
	case OVS_ACTION_ATTR_DEC_TTL:
		fmt_dec_ttl(f, p, len);
		break;
	case ODP_ACTION_ATTR_DROP:
		if (ot_h32(p))
			buf_printf(b, "drop(%u)", ot_h32(p));
		else
			buf_puts(b, "drop");
		break;
	case ODP_ACTION_ATTR_PSAMPLE:
		fmt_psample(b, p, len);
		break;
	case ODP_ACTION_ATTR_TUNNEL_PUSH:
		ot_fmt_tnl_push(f, p, len);
		break;
	case ODP_ACTION_ATTR_TUNNEL_POP:
		buf_puts(b, "tnl_pop(");
		ot_port(f, ot_h32(p));
		buf_putc(b, ')');
		break;
	case ODP_ACTION_ATTR_LB_OUTPUT:
		buf_printf(b, "lb_output(%u)", ot_h32(p));
		break;
	}
}

static void fmt_list(const struct ofmt *f, const uint8_t *p, size_t len)
{
	struct ofmt sub = *f;
	const struct nlattr *a;
	size_t rem;

	if (!len) {
		buf_puts(f->out, "drop");
		return;
	}
	if (f->depth >= OT_MAX_DEPTH) {
		buf_puts(f->out, "...");
		return;
	}
	sub.depth++;
	NA_FOR_EACH(a, p, len, rem) {
		if ((const uint8_t *)a != p)
			buf_putc(f->out, ',');
		fmt_action(&sub, a);
	}
	if (rem) {
		if (rem == len)
			buf_puts(f->out, "<empty>");
		buf_printf(f->out, ",***%zu leftover bytes*** (", rem);
		buf_put_hex(f->out, p + (len - rem), rem);
		buf_putc(f->out, ')');
	}
}

void odp_actions_to_text(struct buf *out, const void *acts, size_t len,
			 unsigned flags, const struct odp_names *names)
{
	struct ofmt f = { out, flags, names, 0 };

	fmt_list(&f, acts, len);
}

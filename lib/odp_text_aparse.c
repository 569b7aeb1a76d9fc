/*
 * odp_text_aparse.c - datapath actions from text, as ovs-dpctl add-flow
 * reads them, into OVS_ACTION_ATTR_* attributes.
 *
 * Beyond Open vSwitch 3.1: every action it prints reads back (hash(),
 * push_mpls(), pop_mpls(), push_eth(), pop_eth, set(nsh()), recirc(0x..),
 * ct_tuple6's src_port= and the names inside nested lists), userspace()
 * written without a cookie gets none (Open vSwitch attaches 48 zero bytes),
 * and numbers too large for their field are refused with the column.
 */
#include "odp_text_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <string.h>

static int close_paren(struct olx *lx)
{
	return olx_expect(lx, ')');
}

static bool at_delim_or_close(const struct olx *lx)
{
	return olx_done(lx) || strchr(OT_DELIMS ")", *lx->p);
}

/* "keyword(" number ")" */
static int u32_action(struct olx *lx, struct buf *acts, uint16_t type)
{
	uint64_t v;

	if (olx_uint(lx, UINT32_MAX, &v) || close_paren(lx))
		return -EINVAL;
	na_put_u32(acts, type, (uint32_t)v);
	return 0;
}

/* Hex digits with an optional "0x", as scanf's %x: mark=, rule_cookie=. */
int ot_hex_u64(struct olx *lx, uint64_t max, uint64_t *v)
{
	const char *tok = lx->p;
	size_t n = olx_toklen(lx, ",)/ \t\r\n"), i = 0;
	uint64_t x = 0;

	if (n > 2 && tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'X'))
		i = 2;
	if (i == n)
		return olx_fail(lx, tok, n ? n : 1, "expected hex digits");
	for (; i < n; i++) {
		int d = ot_hexdigit(tok[i]);

		if (d < 0)
			return olx_fail(lx, tok, n, "bad hex number '%.*s'",
					(int)n, tok);
		if (x >> 60)
			return olx_fail(lx, tok, n, "'%.*s' is out of range",
					(int)n, tok);
		x = x << 4 | (uint64_t)d;
	}
	if (x > max)
		return olx_fail(lx, tok, n, "'%.*s' is out of range", (int)n, tok);
	*v = x;
	lx->p += n;
	return 0;
}

/* --- userspace ------------------------------------------------------------ */

static int parse_cookie(struct olx *lx, uint8_t *c, size_t *clen)
{
	uint64_t v[7];
	uint32_t port, fl, fm;

	memset(c, 0, 48);
	*clen = 48;
	c[2] = c[3] = 0xff;     /* ofp_in_port: OFPP_NONE */
	if (olx_eat(lx, ",sFlow(vid=")) {
		uint16_t tci;

		if (olx_uint(lx, 0xfff, &v[0]) || !olx_eat(lx, ",pcp=") ||
		    olx_uint(lx, 7, &v[1]) || !olx_eat(lx, ",output=") ||
		    olx_uint(lx, UINT32_MAX, &v[2]) || close_paren(lx))
			return olx_fail(lx, lx->p, 1, "expected sFlow(vid=N,"
					"pcp=N,output=N)");
		tci = (uint16_t)(v[0] | v[1] << 13);
		if (tci)
			tci |= 0x1000;
		c[0] = 1;
		ot_put_be16(c + 24, tci);
		memcpy(c + 28, &(uint32_t){ (uint32_t)v[2] }, 4);
	} else if (olx_eat(lx, ",slow_path(")) {
		if (olx_flags(lx, ot_slow_path_name, 0x7f, ')', ',', &fl, &fm) ||
		    close_paren(lx))
			return -EINVAL;
		c[0] = 2;
		memcpy(c + 28, &fl, 4);
	} else if (olx_eat(lx, ",flow_sample(probability=")) {
		uint32_t dir = 0;

		if (olx_uint(lx, 0xffff, &v[0]) ||
		    !olx_eat(lx, ",collector_set_id=") ||
		    olx_uint(lx, UINT32_MAX, &v[1]) ||
		    !olx_eat(lx, ",obs_domain_id=") ||
		    olx_uint(lx, UINT32_MAX, &v[2]) ||
		    !olx_eat(lx, ",obs_point_id=") ||
		    olx_uint(lx, UINT32_MAX, &v[3]) ||
		    !olx_eat(lx, ",output_port=") ||
		    olx_port(lx, &port, ",)"))
			return olx_fail(lx, lx->p, 1, "expected flow_sample("
					"probability=N,collector_set_id=N,"
					"obs_domain_id=N,obs_point_id=N,"
					"output_port=N[,ingress|,egress])");
		if (olx_eat(lx, ",ingress"))
			dir = 1;
		else if (olx_eat(lx, ",egress"))
			dir = 2;
		if (close_paren(lx))
			return -EINVAL;
		c[0] = 3;
		memcpy(c + 24, &(uint16_t){ (uint16_t)v[0] }, 2);
		memcpy(c + 28, &(uint32_t){ (uint32_t)v[1] }, 4);
		memcpy(c + 32, &(uint32_t){ (uint32_t)v[2] }, 4);
		memcpy(c + 36, &(uint32_t){ (uint32_t)v[3] }, 4);
		memcpy(c + 40, &port, 4);
		memcpy(c + 44, &dir, 4);
	} else if (olx_eat(lx, ",ipfix(output_port=")) {
		if (olx_port(lx, &port, ")") || close_paren(lx))
			return -EINVAL;
		c[0] = 4;
		memcpy(c + 24, &port, 4);
	} else if (olx_eat(lx, ",controller(reason=")) {
		if (olx_uint(lx, 0xffff, &v[0]) ||
		    !olx_eat(lx, ",dont_send=") || olx_uint(lx, 0xff, &v[1]) ||
		    !olx_eat(lx, ",continuation=") || olx_uint(lx, 0xff, &v[2]) ||
		    !olx_eat(lx, ",recirc_id=") ||
		    olx_uint(lx, UINT32_MAX, &v[3]) ||
		    !olx_eat(lx, ",rule_cookie=") ||
		    ot_hex_u64(lx, UINT64_MAX, &v[4]) ||
		    !olx_eat(lx, ",controller_id=") ||
		    olx_uint(lx, 0xffff, &v[5]) || !olx_eat(lx, ",max_len=") ||
		    olx_uint(lx, 0xffff, &v[6]) || close_paren(lx))
			return olx_fail(lx, lx->p, 1, "expected controller("
					"reason=N,dont_send=N,continuation=N,"
					"recirc_id=N,rule_cookie=0xN,"
					"controller_id=N,max_len=N)");
		c[0] = 5;
		c[24] = !!v[1];
		c[25] = !!v[2];
		memcpy(c + 26, &(uint16_t){ (uint16_t)v[0] }, 2);
		memcpy(c + 28, &(uint32_t){ (uint32_t)v[3] }, 4);
		ot_put_be32(c + 32, (uint32_t)(v[4] >> 32));
		ot_put_be32(c + 36, (uint32_t)v[4]);
		memcpy(c + 40, &(uint16_t){ (uint16_t)v[5] }, 2);
		memcpy(c + 42, &(uint16_t){ (uint16_t)v[6] }, 2);
	} else if (olx_eat(lx, ",userdata(")) {
		if (olx_hexbytes(lx, c, 4000, clen) || close_paren(lx))
			return -EINVAL;
	} else {
		*clen = 0;
	}
	return 0;
}

static int parse_userspace(struct olx *lx, struct buf *acts)
{
	uint8_t cookie[4000];
	size_t clen, ofs;
	uint64_t pid;
	uint32_t tport = 0;
	bool with_actions, with_tport = false;

	if (!olx_eat(lx, "pid="))
		return olx_fail(lx, lx->p, 1, "expected pid=");
	if (olx_uint(lx, UINT32_MAX, &pid) || parse_cookie(lx, cookie, &clen))
		return -EINVAL;
	with_actions = olx_eat(lx, ",actions");
	if (olx_eat(lx, ",tunnel_out_port=")) {
		if (olx_port(lx, &tport, ")"))
			return -EINVAL;
		with_tport = true;
	}
	if (close_paren(lx))
		return -EINVAL;
	ofs = na_nest_start(acts, OVS_ACTION_ATTR_USERSPACE);
	na_put_u32(acts, OVS_USERSPACE_ATTR_PID, (uint32_t)pid);
	/* At least 8 bytes, zero padded, as Open vSwitch writes it (kernels
	 * before 3.10 required exactly 8). */
	if (clen) {
		uint8_t *p = na_put(acts, OVS_USERSPACE_ATTR_USERDATA, NULL,
				    clen < 8 ? 8 : clen);

		if (p)
			memcpy(p, cookie, clen);
	}
	if (with_tport)
		na_put_u32(acts, OVS_USERSPACE_ATTR_EGRESS_TUN_PORT, tport);
	if (with_actions)
		na_put_flag(acts, OVS_USERSPACE_ATTR_ACTIONS);
	na_nest_end(acts, ofs);
	return 0;
}

/* --- set ------------------------------------------------------------------- */

static void put_set(struct buf *acts, const struct nlattr *ka)
{
	size_t ofs = na_nest_start(acts, OVS_ACTION_ATTR_SET);

	buf_put(acts, ka, NA_ALIGN(ka->nla_len));
	na_nest_end(acts, ofs);
}

static int parse_set(struct olx *lx, struct buf *acts)
{
	struct buf k = BUF_INIT, m = BUF_INIT;
	const char *start = lx->p;
	const struct nlattr *ka, *ma;
	bool saved = lx->masks_ok;
	int r;

	if (olx_eat(lx, "nsh(")) {
		uint8_t v[24], vm[24];
		size_t ofs;
		bool md1;

		if (ot_parse_nsh(lx, v, vm, &md1) || close_paren(lx))
			return -EINVAL;
		ofs = na_nest_start(acts, OVS_ACTION_ATTR_SET_MASKED);
		ot_put_nsh(acts, OVS_KEY_ATTR_NSH, v, vm, md1, true);
		na_nest_end(acts, ofs);
		return 0;
	}
	lx->masks_ok = true;
	lx->saw_mask = false;
	r = ot_parse_key_attr(lx, &k, &m);
	lx->masks_ok = saved;
	if (r || close_paren(lx))
		goto out;
	r = -EINVAL;
	ka = k.len ? (const struct nlattr *)(const void *)k.data : NULL;
	ma = m.len ? (const struct nlattr *)(const void *)m.data : NULL;
	if (!ka || !ma) {
		olx_fail(lx, start, 1, "set() needs a value");
		goto out;
	}
	switch (na_type(ka)) {
	case OVS_KEY_ATTR_ENCAP:
		olx_fail(lx, start, 5, "encap() cannot be set");
		goto out;
	case OVS_KEY_ATTR_TUNNEL:
		if (lx->saw_mask) {
			olx_fail(lx, start, 6, "set(tunnel(...)) cannot be masked");
			goto out;
		}
		put_set(acts, ka);
		break;
	default:
		if (na_len(ma) == na_len(ka) &&
		    ot_all(na_data(ma), na_len(ma), 0xff)) {
			put_set(acts, ka);
		} else {
			size_t ofs = na_nest_start(acts,
						   OVS_ACTION_ATTR_SET_MASKED);
			uint8_t *p = na_put(acts, na_type(ka), NULL,
					    2 * na_len(ka));

			if (p) {
				memcpy(p, na_data(ka), na_len(ka));
				memcpy(p + na_len(ka), na_data(ma),
				       na_len(ma) < na_len(ka) ? na_len(ma) :
				       na_len(ka));
			}
			na_nest_end(acts, ofs);
		}
		break;
	}
	r = 0;
out:
	buf_free(&k);
	buf_free(&m);
	return r ? -EINVAL : 0;
}

/* --- the rest ------------------------------------------------------------------ */

static int nested_list(struct olx *lx, struct buf *acts, uint16_t type)
{
	size_t ofs = na_nest_start(acts, type);

	if (ot_parse_action_list(lx, acts))
		return -EINVAL;
	na_nest_end(acts, ofs);
	return close_paren(lx);
}

static int parse_sample(struct olx *lx, struct buf *acts)
{
	const char *tok;
	double pct, prob;
	size_t ofs;

	if (!olx_eat(lx, "sample="))
		return olx_fail(lx, lx->p, 1, "expected sample=N%%");
	tok = lx->p;
	if (olx_double(lx, &pct) || olx_expect(lx, '%'))
		return -EINVAL;
	if (pct > 100.0)
		return olx_fail(lx, tok, (size_t)(lx->p - tok), "%.*s is over 100%%",
				(int)(lx->p - tok), tok);
	if (!olx_eat(lx, ",actions("))
		return olx_fail(lx, lx->p, 1, "expected ',actions('");
	prob = floor(UINT32_MAX * (pct / 100.0) + .5);
	ofs = na_nest_start(acts, OVS_ACTION_ATTR_SAMPLE);
	na_put_u32(acts, OVS_SAMPLE_ATTR_PROBABILITY,
		   prob <= 0 ? 0 : prob >= UINT32_MAX ? UINT32_MAX :
		   (uint32_t)prob);
	if (nested_list(lx, acts, OVS_SAMPLE_ATTR_ACTIONS))
		return -EINVAL;
	na_nest_end(acts, ofs);
	return close_paren(lx);
}

static int parse_check_pkt_len(struct olx *lx, struct buf *acts)
{
	uint64_t size;
	size_t ofs;

	if (!olx_eat(lx, "size=") || olx_uint(lx, 0xffff, &size) ||
	    !olx_eat(lx, ",gt("))
		return olx_fail(lx, lx->p, 1,
				"expected size=N,gt(actions),le(actions)");
	ofs = na_nest_start(acts, OVS_ACTION_ATTR_CHECK_PKT_LEN);
	na_put_u16(acts, OVS_CHECK_PKT_LEN_ATTR_PKT_LEN, (uint16_t)size);
	if (nested_list(lx, acts, OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER))
		return -EINVAL;
	if (!olx_eat(lx, ",le("))
		return olx_fail(lx, lx->p, 1, "expected ',le('");
	if (nested_list(lx, acts, OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL))
		return -EINVAL;
	na_nest_end(acts, ofs);
	return close_paren(lx);
}

/* push_vlan(tpid=,vid=,pcp=,cfi=), push_mpls/add_mpls(label=,tc=,ttl=,
 * bos=,eth_type=[,tun_flags=]): fields by name, in any order. */
struct kv { const char *name; uint64_t max, v; bool seen; };

static int fields(struct olx *lx, struct kv *f, size_t n)
{
	for (;;) {
		const char *tok = lx->p;
		size_t i, l = olx_toklen(lx, "=,)");

		if (olx_at(lx, ')'))
			break;
		for (i = 0; i < n; i++)
			if (strlen(f[i].name) == l && !memcmp(f[i].name, tok, l))
				break;
		if (i == n)
			return olx_fail(lx, tok, l ? l : 1, "unknown field '%.*s'",
					(int)l, tok);
		lx->p += l;
		if (olx_expect(lx, '=') || olx_uint(lx, f[i].max, &f[i].v))
			return -EINVAL;
		f[i].seen = true;
		if (!olx_eat(lx, ","))
			break;
	}
	return close_paren(lx);
}

static int parse_push_vlan(struct olx *lx, struct buf *acts)
{
	struct kv f[] = { { "tpid", 0xffff, 0x8100, false },
			  { "vid", 0xfff, 0, false }, { "pcp", 7, 0, false },
			  { "cfi", 1, 1, false } };
	const char *start = lx->p;
	uint8_t p[4];

	if (fields(lx, f, 4))
		return -EINVAL;
	if (!f[1].seen || !f[2].seen)
		return olx_fail(lx, start, 1, "push_vlan needs vid= and pcp=");
	ot_put_be16(p, (uint16_t)f[0].v);
	ot_put_be16(p + 2, (uint16_t)(f[1].v | f[2].v << 13 |
				      (f[3].v ? 0x1000 : 0)));
	na_put(acts, OVS_ACTION_ATTR_PUSH_VLAN, p, 4);
	return 0;
}

static int parse_mpls_push(struct olx *lx, struct buf *acts, uint16_t type)
{
	struct kv f[] = { { "label", 0xfffff, 0, false }, { "tc", 7, 0, false },
			  { "ttl", 0xff, 0, false }, { "bos", 1, 0, false },
			  { "eth_type", 0xffff, 0, false },
			  { "tun_flags", 0xffff, 0, false } };
	const char *start = lx->p;
	uint8_t p[8];
	uint16_t tf;

	if (fields(lx, f, type == OVS_ACTION_ATTR_ADD_MPLS ? 6 : 5))
		return -EINVAL;
	if (!f[4].seen)
		return olx_fail(lx, start, 1, "eth_type= is required");
	ot_put_be32(p, (uint32_t)(f[0].v << 12 | f[1].v << 9 | f[3].v << 8 |
				  f[2].v));
	ot_put_be16(p + 4, (uint16_t)f[4].v);
	tf = (uint16_t)f[5].v;
	memcpy(p + 6, &tf, 2);
	na_put(acts, type, p, 8);
	return 0;
}

static int parse_hash(struct olx *lx, struct buf *acts)
{
	uint32_t h[2];
	uint64_t v;

	if (olx_eat(lx, "l4("))
		h[0] = OVS_HASH_ALG_L4;
	else if (olx_eat(lx, "sym_l4("))
		h[0] = ODP_HASH_ALG_SYM_L4;
	else
		return olx_fail(lx, lx->p, 1, "expected l4(N) or sym_l4(N)");
	if (olx_uint(lx, UINT32_MAX, &v) || close_paren(lx) || close_paren(lx))
		return -EINVAL;
	h[1] = (uint32_t)v;
	na_put(acts, OVS_ACTION_ATTR_HASH, h, 8);
	return 0;
}

static int parse_psample(struct olx *lx, struct buf *acts)
{
	uint8_t cookie[16];
	size_t n = 0, ofs;
	uint64_t group;

	if (!olx_eat(lx, "group=") || olx_uint(lx, UINT32_MAX, &group))
		return olx_fail(lx, lx->p, 1, "expected group=N");
	if (olx_eat(lx, ",cookie=0x") &&
	    olx_hexbytes(lx, cookie, sizeof cookie, &n))
		return -EINVAL;
	if (close_paren(lx))
		return -EINVAL;
	ofs = na_nest_start(acts, ODP_ACTION_ATTR_PSAMPLE);
	na_put_u32(acts, ODP_PSAMPLE_ATTR_GROUP, (uint32_t)group);
	if (n)
		na_put(acts, ODP_PSAMPLE_ATTR_COOKIE, cookie, n);
	na_nest_end(acts, ofs);
	return 0;
}

static int parse_push_eth(struct olx *lx, struct buf *acts)
{
	uint8_t p[12];

	if (!olx_eat(lx, "src=") || olx_eth(lx, p) || !olx_eat(lx, ",dst=") ||
	    olx_eth(lx, p + 6))
		return olx_fail(lx, lx->p, 1, "expected src=MAC,dst=MAC");
	if (close_paren(lx))
		return -EINVAL;
	na_put(acts, OVS_ACTION_ATTR_PUSH_ETH, p, 12);
	return 0;
}

static int parse_dec_ttl(struct olx *lx, struct buf *acts)
{
	size_t ofs;

	if (!olx_eat(lx, "le_1("))
		return olx_fail(lx, lx->p, 1, "expected le_1(actions)");
	ofs = na_nest_start(acts, OVS_ACTION_ATTR_DEC_TTL);
	if (nested_list(lx, acts, OVS_DEC_TTL_ATTR_ACTION))
		return -EINVAL;
	na_nest_end(acts, ofs);
	return close_paren(lx);
}

/* --- dispatch ------------------------------------------------------------------ */

static bool is_port_name(const struct olx *lx, size_t n)
{
	char name[128];
	uint32_t port;

	if (!lx->names || !lx->names->port_number || !n || n >= sizeof name)
		return false;
	memcpy(name, lx->p, n);
	name[n] = '\0';
	return lx->names->port_number(lx->names->aux, name, &port) == 0;
}

static int dispatch(struct olx *lx, struct buf *acts)
{
	const char *start = lx->p;
	size_t word = olx_word(lx), tok = olx_toklen(lx, OT_DELIMS ")");
	bool paren = start + word < lx->end && start[word] == '(';
	uint32_t port;

#define IS(s) (word == sizeof(s) - 1 && !memcmp(start, s, word))
	if (word && start[0] >= '0' && start[0] <= '9') {
		if (olx_port(lx, &port, OT_DELIMS ")"))
			return -EINVAL;
		na_put_u32(acts, OVS_ACTION_ATTR_OUTPUT, port);
		return 0;
	}
	/* Port names win over keywords, as in Open vSwitch. */
	if (!paren && is_port_name(lx, tok)) {
		if (olx_port(lx, &port, OT_DELIMS ")"))
			return -EINVAL;
		na_put_u32(acts, OVS_ACTION_ATTR_OUTPUT, port);
		return 0;
	}
	if (!paren) {
		uint16_t type = IS("pop_vlan") ? OVS_ACTION_ATTR_POP_VLAN :
				IS("ct_clear") ? OVS_ACTION_ATTR_CT_CLEAR :
				IS("pop_eth") ? OVS_ACTION_ATTR_POP_ETH :
				IS("ct") ? OVS_ACTION_ATTR_CT : 0;

		if (type == OVS_ACTION_ATTR_CT) {
			lx->p += word;
			return ot_parse_ct(lx, acts);
		}
		if (type) {
			lx->p += word;
			na_put_flag(acts, type);
			return 0;
		}
		if (IS("drop"))
			return olx_fail(lx, start, word,
					"'drop' must be the only action");
		lx->attr = NULL;
		if (olx_done(lx))
			return olx_fail(lx, start, 0, "expected an action, found "
					"the end");
		if (!tok)
			return olx_fail(lx, start, 1, "expected an action, "
					"found '%c'", *start);
		return olx_fail(lx, start, tok, "unknown action '%.*s'",
				(int)tok, start);
	}
	if (IS("pop_vlan") || IS("ct_clear") || IS("pop_eth"))
		return olx_fail(lx, start + word, 1, "'%.*s' takes no arguments",
				(int)word, start);
	lx->p += word + 1;
	if (IS("lb_output"))
		return u32_action(lx, acts, ODP_ACTION_ATTR_LB_OUTPUT);
	if (IS("trunc"))
		return u32_action(lx, acts, OVS_ACTION_ATTR_TRUNC);
	if (IS("recirc"))
		return u32_action(lx, acts, OVS_ACTION_ATTR_RECIRC);
	if (IS("meter"))
		return u32_action(lx, acts, OVS_ACTION_ATTR_METER);
	if (IS("drop"))
		return u32_action(lx, acts, ODP_ACTION_ATTR_DROP);
	if (IS("tnl_pop")) {
		if (olx_port(lx, &port, ")") || close_paren(lx))
			return -EINVAL;
		na_put_u32(acts, ODP_ACTION_ATTR_TUNNEL_POP, port);
		return 0;
	}
	if (IS("userspace"))
		return parse_userspace(lx, acts);
	if (IS("set"))
		return parse_set(lx, acts);
	if (IS("push_vlan"))
		return parse_push_vlan(lx, acts);
	if (IS("sample"))
		return parse_sample(lx, acts);
	if (IS("clone"))
		return nested_list(lx, acts, OVS_ACTION_ATTR_CLONE);
	if (IS("push_nsh"))
		return ot_parse_push_nsh(lx, acts);
	if (IS("pop_nsh")) {
		if (close_paren(lx))
			return -EINVAL;
		na_put_flag(acts, OVS_ACTION_ATTR_POP_NSH);
		return 0;
	}
	if (IS("check_pkt_len"))
		return parse_check_pkt_len(lx, acts);
	if (IS("ct")) {
		lx->p--;
		return ot_parse_ct(lx, acts);
	}
	if (IS("tnl_push"))
		return ot_parse_tnl_push(lx, acts);
	if (IS("hash"))
		return parse_hash(lx, acts);
	if (IS("push_mpls"))
		return parse_mpls_push(lx, acts, OVS_ACTION_ATTR_PUSH_MPLS);
	if (IS("add_mpls"))
		return parse_mpls_push(lx, acts, OVS_ACTION_ATTR_ADD_MPLS);
	if (IS("pop_mpls")) {
		uint64_t v;
		uint8_t p[2];

		if (!olx_eat(lx, "eth_type=") || olx_uint(lx, 0xffff, &v) ||
		    close_paren(lx))
			return olx_fail(lx, lx->p, 1, "expected eth_type=N");
		ot_put_be16(p, (uint16_t)v);
		na_put(acts, OVS_ACTION_ATTR_POP_MPLS, p, 2);
		return 0;
	}
	if (IS("push_eth"))
		return parse_push_eth(lx, acts);
	if (IS("dec_ttl"))
		return parse_dec_ttl(lx, acts);
	if (IS("psample"))
		return parse_psample(lx, acts);
#undef IS
	lx->p = start;
	lx->attr = NULL;
	return olx_fail(lx, start, word, "unknown action '%.*s'", (int)word,
			start);
}

int ot_parse_action(struct olx *lx, struct buf *acts)
{
	const char *saved = lx->attr;
	int r;

	if (lx->depth + 1 >= OT_MAX_DEPTH)
		return olx_fail(lx, lx->p, 1, "actions nested more than %d deep",
				OT_MAX_DEPTH - 1);
	lx->depth++;
	lx->attr = lx->p;
	r = dispatch(lx, acts);
	lx->attr = saved;
	lx->depth--;
	if (!r && !at_delim_or_close(lx))
		return olx_fail(lx, lx->p, 1, "expected ',' after an action, "
				"found '%c'", *lx->p);
	return r ? -EINVAL : 0;
}

int ot_parse_action_list(struct olx *lx, struct buf *acts)
{
	const char *p = lx->p;

	/* "drop" alone stands for the empty list, as at the top level. */
	if ((size_t)(lx->end - p) >= 5 && !strncasecmp(p, "drop", 4) &&
	    p[4] == ')') {
		lx->p += 4;
		return 0;
	}
	for (;;) {
		olx_skip(lx, OT_DELIMS);
		if (olx_done(lx))
			return olx_fail(lx, lx->p, 0, "missing ')'");
		if (olx_at(lx, ')'))
			return 0;
		if (ot_parse_action(lx, acts))
			return -EINVAL;
	}
}

int odp_actions_from_text(const char *s, size_t len, struct buf *acts,
			  const struct odp_names *names, struct dp_err *err)
{
	struct olx lx = { s, s, s + len, NULL, err, names, true, 0 };
	size_t a0 = acts->len;
	int oom = acts->oom, r = 0;
	const char *b = s, *e = s + len;

	while (b < e && strchr(OT_DELIMS, *b))
		b++;
	while (e > b && strchr(OT_DELIMS, e[-1]))
		e--;
	if (e - b == 4 && !strncasecmp(b, "drop", 4))
		return 0;
	for (;;) {
		olx_skip(&lx, OT_DELIMS);
		if (olx_done(&lx))
			break;
		if (olx_at(&lx, ')')) {
			r = olx_fail(&lx, lx.p, 1, "unbalanced ')'");
			break;
		}
		r = ot_parse_action(&lx, acts);
		if (r)
			break;
	}
	if (!r && !buf_ok(acts))
		r = dp_err_set(err, ENOMEM, "actions too long or out of memory");
	if (r) {
		buf_truncate(acts, a0);
		acts->oom = oom;
	}
	return r;
}

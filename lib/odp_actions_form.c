/*
 * odp_actions_form.c - actions as the Linux openvswitch module reports
 * them back (ovs_nla_put_actions).
 *
 * The kernel does not keep the list it was given: it keeps a compiled
 * copy and writes that back, which changes some actions:
 *  - set() of anything but a tunnel is compiled into a masked set with an
 *    all-ones mask and reported as set() of the value alone again; a
 *    set(tunnel) is kept as a tunnel descriptor and written out afresh, in
 *    the order and with the omissions of a flow key's tunnel;
 *  - sample(), clone(), check_pkt_len() and dec_ttl() are rebuilt around
 *    the compiled inner lists, in a fixed attribute order;
 *  - ct() is rebuilt from the conntrack template (odp_ct.c);
 *  - every other action is copied, but written back with the flag bits of
 *    its type cleared and fresh zero padding.
 * Rebuilt nests carry no NLA_F_NESTED bit, as in the kernel's replies.
 */
#include "odp_key.h"

#include <string.h>

#include "odp_kernel.h"

static void form(struct buf *b, const void *head, int len, unsigned depth);

static void put_copy(struct buf *b, const struct nlattr *a)
{
	na_put(b, na_type(a), na_data(a), na_len(a));
}

static void form_set(struct buf *b, const struct nlattr *a)
{
	const struct nlattr *k = na_data(a);
	struct dp_tun tun;
	uint8_t proto;
	bool bridge;
	size_t nest;

	if (!odp_attr_fits(k, (int)na_len(a))) {
		put_copy(b, a);
		return;
	}
	nest = odp_nest_start(b, OVS_ACTION_ATTR_SET);
	if (na_type(k) == OVS_KEY_ATTR_TUNNEL) {
		memset(&tun, 0, sizeof tun);
		if (odp_tun_parse(k, false, false, NULL, &tun, &proto, &bridge,
				  NULL) >= 0) {
			/* The kernel's descriptor is in bridge mode when an
			 * IPv4 tunnel has no destination. */
			bridge = proto == DP_TUN_IPV4 && !tun.addr.v4.dst;
			odp_tun_put(b, &tun, proto, tun.opts_type, tun.opts_len,
				    bridge);
		}
	} else {
		na_put(b, na_type(k), na_data(k), na_len(k));
	}
	na_nest_end(b, nest);
}

static void form_sample(struct buf *b, const struct nlattr *a, unsigned depth)
{
	const struct nlattr *s, *prob = NULL, *acts = NULL;
	size_t nest, inner;
	int rem;

	ODP_FOR_EACH(s, na_data(a), na_len(a), rem) {
		if (na_type(s) == OVS_SAMPLE_ATTR_PROBABILITY)
			prob = s;
		else if (na_type(s) == OVS_SAMPLE_ATTR_ACTIONS)
			acts = s;
	}
	nest = odp_nest_start(b, OVS_ACTION_ATTR_SAMPLE);
	na_put_u32(b, OVS_SAMPLE_ATTR_PROBABILITY,
		   prob && na_len(prob) >= 4 ? na_get_u32(prob) : 0);
	inner = odp_nest_start(b, OVS_SAMPLE_ATTR_ACTIONS);
	if (acts)
		form(b, na_data(acts), (int)na_len(acts), depth + 1);
	na_nest_end(b, inner);
	na_nest_end(b, nest);
}

static void form_list(struct buf *b, uint16_t type, const struct nlattr *acts,
		      unsigned depth)
{
	size_t nest = odp_nest_start(b, type);

	if (acts)
		form(b, na_data(acts), (int)na_len(acts), depth + 1);
	na_nest_end(b, nest);
}

static void form_cpl(struct buf *b, const struct nlattr *a, unsigned depth)
{
	const struct nlattr *s, *tb[OVS_CHECK_PKT_LEN_ATTR_MAX + 1];
	size_t nest;
	int rem;

	memset(tb, 0, sizeof tb);
	ODP_FOR_EACH(s, na_data(a), na_len(a), rem)
		if (na_type(s) <= OVS_CHECK_PKT_LEN_ATTR_MAX)
			tb[na_type(s)] = s;     /* the last one, as nla_parse */
	nest = odp_nest_start(b, OVS_ACTION_ATTR_CHECK_PKT_LEN);
	s = tb[OVS_CHECK_PKT_LEN_ATTR_PKT_LEN];
	na_put_u16(b, OVS_CHECK_PKT_LEN_ATTR_PKT_LEN,
		   s && na_len(s) >= 2 ? na_get_u16(s) : 0);
	form_list(b, OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL,
		  tb[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL], depth);
	form_list(b, OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER,
		  tb[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER], depth);
	na_nest_end(b, nest);
}

static void form_dec_ttl(struct buf *b, const struct nlattr *a, unsigned depth)
{
	const struct nlattr *s, *acts = NULL;
	size_t nest;
	int rem;

	ODP_FOR_EACH(s, na_data(a), na_len(a), rem)
		if (na_type(s) == OVS_DEC_TTL_ATTR_ACTION)
			acts = s;
	nest = odp_nest_start(b, OVS_ACTION_ATTR_DEC_TTL);
	form_list(b, OVS_DEC_TTL_ATTR_ACTION, acts, depth);
	na_nest_end(b, nest);
}

static void form(struct buf *b, const void *head, int len, unsigned depth)
{
	const struct nlattr *a;
	size_t nest;
	int rem;

	ODP_FOR_EACH(a, head, len, rem) {
		/* Deeper than a checked list can be: copy, do not recurse. */
		if (depth > ODP_COPY_ACTIONS_MAX_DEPTH) {
			put_copy(b, a);
			continue;
		}
		switch (na_type(a)) {
		case OVS_ACTION_ATTR_SET:
			form_set(b, a);
			break;
		case OVS_ACTION_ATTR_SAMPLE:
			form_sample(b, a, depth);
			break;
		case OVS_ACTION_ATTR_CT:
			odp_ct_put(b, a);
			break;
		case OVS_ACTION_ATTR_CLONE:
			nest = odp_nest_start(b, OVS_ACTION_ATTR_CLONE);
			form(b, na_data(a), (int)na_len(a), depth + 1);
			na_nest_end(b, nest);
			break;
		case OVS_ACTION_ATTR_CHECK_PKT_LEN:
			form_cpl(b, a, depth);
			break;
		case OVS_ACTION_ATTR_DEC_TTL:
			form_dec_ttl(b, a, depth);
			break;
		default:
			put_copy(b, a);
		}
	}
}

void odp_actions_to_kernel_form(struct buf *out, const void *acts, size_t len)
{
	form(out, acts, odp_len_int(len), 0);
}

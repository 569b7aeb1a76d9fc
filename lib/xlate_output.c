/*
 * xlate_output.c - where packets go: output to a port, in_port, flood,
 * all, local, the learning switch of "normal", and the controller.
 *
 * normal is a learning switch with VLANs, as Open vSwitch's normal action
 * on a bridge whose ports have no VLAN configuration (all trunks): a frame
 * belongs to the VLAN of its outer tag (0 untagged); its source address is
 * learned on its input port in that VLAN; a known unicast destination goes
 * out of the port it was learned on (unless that is the input port), an
 * unknown, multicast or broadcast one to every other port that is up and
 * floods; frames to the IEEE reserved group 01:80:c2:00:00:0x are
 * dropped.  Its decisions read the source and destination address and the
 * VLAN id, which the megaflow therefore matches.
 */
#include "xlate_int.h"

#include <string.h>

#include "odp_kernel.h"

/* --- to a datapath port ------------------------------------------------------- */

static void out_port(struct xctx *x, uint16_t ofp_port, uint32_t trunc)
{
	const struct xlate_port *p = xlate_port_by_ofp(x->br, ofp_port);

	if (!p) {
		XT(x, TRACE_WARN, "Nonexistent output port");
		return;
	}
	xl_commit(x);
	if (x->error || !xl_room(x))
		return;
	if (trunc)
		na_put_u32(x->odp, OVS_ACTION_ATTR_TRUNC, trunc);
	na_put_u32(x->odp, OVS_ACTION_ATTR_OUTPUT, p->dp_port);
}

static uint16_t in_port(const struct xctx *x)
{
	return (uint16_t)x->flow.key.in_port;
}

static void flood(struct xctx *x, bool all)
{
	size_t i;

	for (i = 0; i < x->br->n_ports && !x->error; i++) {
		const struct xlate_port *p = &x->br->ports[i];
		uint16_t ofp = ofp_port_from_dp(p->dp_port);

		if (ofp == in_port(x) || (p->flags & XLATE_PORT_DOWN) ||
		    (!all && (p->flags & XLATE_PORT_NO_FLOOD)))
			continue;
		out_port(x, ofp, 0);
	}
}

/* --- normal ------------------------------------------------------------------- */

static bool is_multicast(const uint8_t *mac)
{
	return mac[0] & 1;
}

static bool is_reserved(const uint8_t *mac)
{
	static const uint8_t ieee[5] = { 0x01, 0x80, 0xc2, 0x00, 0x00 };

	return !memcmp(mac, ieee, 5) && !(mac[5] & 0xf0);
}

static void learn(struct xctx *x, const uint8_t *mac, uint16_t vlan,
		  uint16_t port)
{
	struct xlate_out *o = x->out;
	unsigned i;

	for (i = 0; i < o->n_learn; i++)
		if (o->learn[i].vlan == vlan && !memcmp(o->learn[i].mac, mac, 6)) {
			o->learn[i].port = port;
			return;
		}
	if (o->n_learn == XLATE_MAX_LEARN)
		return;
	memcpy(o->learn[o->n_learn].mac, mac, 6);
	o->learn[o->n_learn].vlan = vlan;
	o->learn[o->n_learn].port = port;
	o->n_learn++;
}

/* Out of one port in normal's way: a priority-tagged frame (VLAN 0) leaves
 * untagged, as from an Open vSwitch trunk without use_priority_tags. */
static void out_normal(struct xctx *x, uint16_t port)
{
	struct dp_key *k = &x->flow.key;

	if ((k->vlan.tci & HTONS(DP_VLAN_CFI)) && !(k->vlan.tci & HTONS(0x0fff))) {
		struct dp_vlan v = k->vlan, c = k->cvlan;

		k->vlan = k->cvlan;
		memset(&k->cvlan, 0, sizeof k->cvlan);
		out_port(x, port, 0);
		k->vlan = v;
		k->cvlan = c;
		return;
	}
	out_port(x, port, 0);
}

static void normal(struct xctx *x)
{
	const struct dp_key *k = &x->flow.key;
	uint16_t inp = in_port(x), vlan, port;
	bool known_in;
	size_t i;

	if (k->mac_proto != DP_MAC_ETH) {
		XT(x, TRACE_WARN, "packet without an Ethernet header, dropping");
		return;
	}
	XL_WC(x, key.eth_src);
	XL_WC(x, key.eth_dst);
	x->wc.key.vlan.tci |= HTONS(0x0fff | DP_VLAN_CFI);
	vlan = k->vlan.tci & HTONS(DP_VLAN_CFI) ? NTOHS(k->vlan.tci) & 0x0fff : 0;

	known_in = xlate_port_by_ofp(x->br, inp) != NULL;
	if (!known_in && inp != OFPP_NONE && inp != OFPP_CONTROLLER) {
		XT(x, TRACE_WARN, "no input bundle, dropping");
		return;
	}
	if (is_reserved(k->eth_dst)) {
		XT(x, TRACE_DETAIL, "packet has reserved destination MAC, dropping");
		return;
	}
	if (known_in && !is_multicast(k->eth_src))
		learn(x, k->eth_src, vlan, inp);

	if (!is_multicast(k->eth_dst) && x->br->ml) {
		x->out->used_mac_table = true;
		x->out->mac_gen = mac_learn_gen(x->br->ml);
		if (mac_learn_lookup(x->br->ml, k->eth_dst, vlan, x->in->now_ms,
				     &port)) {
			if (port == inp) {
				XT(x, TRACE_DETAIL, "learned port is input port, dropping");
			} else if (!xlate_port_by_ofp(x->br, port)) {
				XT(x, TRACE_WARN, "learned port is unknown, dropping");
			} else {
				XT(x, TRACE_DETAIL, "forwarding to learned port");
				out_normal(x, port);
			}
			return;
		}
	}
	XT(x, TRACE_DETAIL, "no learned MAC for destination, flooding");
	for (i = 0; i < x->br->n_ports && !x->error; i++) {
		const struct xlate_port *p = &x->br->ports[i];
		uint16_t ofp = ofp_port_from_dp(p->dp_port);

		if (ofp == inp || (p->flags & (XLATE_PORT_DOWN | XLATE_PORT_NO_FLOOD)))
			continue;
		out_normal(x, ofp);
	}
}

/* --- the controller ---------------------------------------------------------------- */

static bool table_miss_rule(const struct ofp_rule *r)
{
	struct ofp_match m;
	size_t i;

	if (!r || r->priority)
		return false;
	cls_rule_get_match(&r->cr, &m);
	for (i = 0; i < sizeof m.mask; i++)
		if (((const uint8_t *)&m.mask)[i])
			return false;
	return true;
}

static void put16(uint8_t *c, size_t ofs, uint16_t v)
{
	memcpy(c + ofs, &v, 2);
}

static void put32(uint8_t *c, size_t ofs, uint32_t v)
{
	memcpy(c + ofs, &v, 4);
}

void xl_controller(struct xctx *x, uint8_t reason, uint16_t max_len,
		   uint16_t controller_id)
{
	bool dont_send = x->in->flags & XLATE_F_NO_SIDE_EFFECTS;
	uint8_t cookie[XL_COOKIE_LEN];
	uint64_t rc = __builtin_bswap64(x->rule_cookie);
	struct xlate_out *o = x->out;
	uint32_t id;
	size_t ofs;

	xl_commit(x);
	if (x->error)
		return;
	if (reason == OFPR_ACTION && table_miss_rule(x->rule))
		reason = XLATE_PIN_EXPLICIT_MISS;
	id = xl_freeze_id(x, x->table_id, NULL, 0, false);
	if (!id) {
		xl_error(x, XLATE_NO_RECIRC_CONTEXT,
			 "Failed to allocate recirculation id");
		return;
	}
	xl_add_recirc(x, id);
	if (o->n_pins < XLATE_MAX_PINS) {
		struct xlate_pin *p = &o->pins[o->n_pins++];

		memset(p, 0, sizeof *p);
		p->reason = reason;
		p->table_id = x->table_id;
		p->max_len = max_len;
		p->controller_id = controller_id;
		p->dont_send = dont_send;
		p->cookie = x->rule_cookie;
		p->recirc_id = id;
		p->in_port = in_port(x);
		p->metadata = x->flow.metadata;
		memcpy(p->regs, x->flow.regs, sizeof p->regs);
	}

	memset(cookie, 0, sizeof cookie);
	put16(cookie, XL_CK_TYPE, XL_COOKIE_CONTROLLER);
	put16(cookie, XL_CK_IN_PORT, OFPP_NONE);
	cookie[XL_CK_DONT_SEND] = dont_send;
	put16(cookie, XL_CK_REASON, reason);
	put32(cookie, XL_CK_RECIRC_ID, id);
	memcpy(cookie + XL_CK_RULE_COOKIE, &rc, 8);
	put16(cookie, XL_CK_CONTROLLER_ID, controller_id);
	put16(cookie, XL_CK_MAX_LEN, max_len);
	if (!xl_room(x))
		return;
	ofs = na_nest_start(x->odp, OVS_ACTION_ATTR_USERSPACE);
	na_put_u32(x->odp, OVS_USERSPACE_ATTR_PID, x->upcall_pid);
	na_put(x->odp, OVS_USERSPACE_ATTR_USERDATA, cookie, sizeof cookie);
	na_nest_end(x->odp, ofs);
}

/* --- output actions ---------------------------------------------------------------- */

void xl_output(struct xctx *x, uint16_t port, uint32_t trunc)
{
	switch (port) {
	case OFPP_IN_PORT:
		out_port(x, in_port(x), trunc);
		break;
	case OFPP_TABLE:
		xl_table(x, OFPP_IN_PORT, 0, true, false);
		break;
	case OFPP_NORMAL:
		normal(x);
		break;
	case OFPP_FLOOD:
		flood(x, false);
		break;
	case OFPP_ALL:
		flood(x, true);
		break;
	case OFPP_CONTROLLER:
		xl_controller(x, x->in_action_set ? OFPR_ACTION_SET : OFPR_ACTION,
			      UINT16_MAX, 0);
		break;
	case OFPP_NONE:
		break;
	default:
		if (port == in_port(x)) {
			XT(x, TRACE_WARN, "skipping output to input port");
			break;
		}
		out_port(x, port, trunc);
		break;
	}
}

void xl_output_action(struct xctx *x, const struct ofpact *a)
{
	switch (a->type) {
	case OFPACT_OUTPUT: {
		const struct ofpact_output *o = OFPACT_CAST(ofpact_output, a);

		if (o->port == OFPP_CONTROLLER)
			xl_controller(x, x->in_action_set ? OFPR_ACTION_SET
							  : OFPR_ACTION,
				      o->max_len, 0);
		else
			xl_output(x, o->port, 0);
		break;
	}
	case OFPACT_CONTROLLER: {
		const struct ofpact_controller *c = OFPACT_CAST(ofpact_controller, a);

		xl_controller(x, c->reason, c->max_len, c->controller_id);
		break;
	}
	case OFPACT_ENQUEUE:
		/* Queues are the port's business: the packet goes out. */
		xl_output(x, OFPACT_CAST(ofpact_enqueue, a)->port, 0);
		break;
	case OFPACT_OUTPUT_TRUNC: {
		const struct ofpact_output_trunc *t =
			OFPACT_CAST(ofpact_output_trunc, a);

		xl_output(x, t->port, t->max_len);
		break;
	}
	case OFPACT_OUTPUT_REG: {
		const struct ofpact_output_reg *r = OFPACT_CAST(ofpact_output_reg, a);
		const struct ofp_field *f = ofp_field_get(r->src.field);
		union ofp_value v, bits, mask;

		if (!f)
			break;
		memset(&mask, 0, sizeof mask);
		ofp_value_set_bits(&mask, r->src.ofs, r->src.n_bits);
		if (xl_prereq_ok(x, f->prereq))
			xl_wc_field(x, f, &mask);
		ofp_field_get_value(f, &x->flow, &v);
		ofp_value_bits(&bits, &v, r->src.ofs, r->src.n_bits);
		ofp_value_shift(&v, &bits, -(int)r->src.ofs);
		xl_output(x, (uint16_t)ofp_value_u64(&v), 0);
		break;
	}
	}
}

/*
 * xlate_ct.c - ct() and recirculation: freezing the pipeline into a
 * recirculation id, thawing it when the packet comes back, and decoding
 * the controller cookies that name such states.
 *
 * ct(..., table=N) is translated as Open vSwitch does: pending rewrites are
 * committed, the nested exec() actions run to collect the mark and labels
 * to set (only those, and nat, may appear there), the datapath ct() action
 * is emitted with commit, zone, mark, labels, helper and nat, then
 * recirc(ID) whose state resumes at table N with the registers, metadata,
 * action set and stack of the moment; the translation itself goes on with
 * the packet untracked, its conntrack fields cleared.
 */
#include "xlate_int.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "odp_kernel.h"

void xl_add_recirc(struct xctx *x, uint32_t id)
{
	struct xlate_out *o = x->out;
	unsigned i;

	for (i = 0; i < o->n_recircs; i++)
		if (o->recircs[i] == id)
			return;
	if (o->n_recircs < XLATE_MAX_RECIRCS)
		o->recircs[o->n_recircs++] = id;
}

/* --- freezing ------------------------------------------------------------------ */

uint32_t xl_freeze_id(struct xctx *x, uint8_t table, const void *acts,
		      size_t len, bool with_action_set)
{
	struct buf *b = &x->out->s.tmp;
	const struct buf *stack = &x->out->s.stack;
	const struct buf *set = &x->out->s.action_set;
	struct xl_frozen h;

	if (!x->br->recirc)
		return 0;
	memset(&h, 0, sizeof h);
	h.table_id = table;
	h.flags = x->conntracked ? XL_FZ_CONNTRACKED : 0;
	h.in_port = (uint16_t)x->flow.key.in_port;
	h.stack_len = (uint32_t)stack->len;
	h.set_len = with_action_set ? (uint32_t)set->len : 0;
	h.acts_len = (uint32_t)len;
	h.metadata = x->flow.metadata;
	memcpy(h.regs, x->flow.regs, sizeof h.regs);
	buf_clear(b);
	buf_put(b, &h, sizeof h);
	buf_put(b, stack->data, stack->len);
	if (with_action_set)
		buf_put(b, set->data, set->len);
	if (len)
		buf_put(b, acts, len);
	if (!buf_ok(b))
		return 0;
	return xlate_recirc_get_id(x->br->recirc, b->data, b->len,
				   x->in->now_ms);
}

void xl_trigger_freeze(struct xctx *x)
{
	if (!x->br->recirc) {
		xl_error(x, XLATE_NO_RECIRC_CONTEXT,
			 "recirculation needed but no recirculation table");
		return;
	}
	x->freezing = true;
	x->exit = true;
	buf_clear(&x->out->s.frozen);
}

/* The actions [a, end) of the level being unwound join the frozen ones.
 * A resubmit to "the current table" names the table it meant. */
void xl_freeze_unroll(struct xctx *x, const struct ofpact *a,
		      const struct ofpact *end)
{
	struct buf *fz = &x->out->s.frozen;

	for (; a < end; a = ofpact_next(a)) {
		size_t ofs = fz->len;

		buf_put(fz, a, a->len);
		if (a->type == OFPACT_RESUBMIT && buf_ok(fz)) {
			struct ofpact_resubmit *r =
				(struct ofpact_resubmit *)(void *)(fz->data + ofs);

			if (r->table == 255)
				r->table = x->table_id;
		}
	}
}

static void trace_recirc(struct xctx *x, uint32_t id, bool ct, uint16_t zone,
			 const struct dp_key *mark_labels,
			 const struct ofpact_nat *nat)
{
	struct trace_recirc r;
	struct dp_key *k = &r.key;

	memset(&r, 0, sizeof r);
	r.id = id;
	r.ct = ct;
	ofp_flow_to_dp_key(&x->flow, k);
	k->in_port = x->in->key->in_port;
	k->recirc_id = id;
	if (ct) {
		k->ct_state = OFP_CS_NEW | OFP_CS_TRK;
		k->ct_zone = zone;
		k->ct_mark = mark_labels->ct_mark;
		memcpy(k->ct_labels, mark_labels->ct_labels, 16);
	}
	r.pre_nat = *k;
	if (nat && (nat->flags & (OFP_NAT_SRC | OFP_NAT_DST)) && nat->af) {
		bool src = nat->flags & OFP_NAT_SRC;

		r.nat = src ? OFP_NAT_SRC : OFP_NAT_DST;
		if (nat->af == AF_INET)
			memcpy(src ? &k->l3.ipv4.src : &k->l3.ipv4.dst,
			       nat->addr_min, 4);
		else
			memcpy(src ? k->l3.ipv6.src : k->l3.ipv6.dst,
			       nat->addr_min, 16);
		if (nat->port_min) {
			if (src)
				k->tp_src = HTONS(nat->port_min);
			else
				k->tp_dst = HTONS(nat->port_min);
		}
	}
	buf_put(&x->tr->recircs, &r, sizeof r);
}

/* recirc(ID) for the state that resumes at 'table' with these actions;
 * 0 if there is no id to be had (the translation failed). */
static uint32_t emit_recirc(struct xctx *x, uint8_t table, const void *acts,
			    size_t len)
{
	uint32_t id = xl_freeze_id(x, table, acts, len, true);

	if (!id) {
		xl_error(x, XLATE_NO_RECIRC_CONTEXT,
			 "Failed to allocate recirculation id");
		return 0;
	}
	xl_add_recirc(x, id);
	if (!xl_room(x))
		return 0;
	na_put_u32(x->odp, OVS_ACTION_ATTR_RECIRC, id);
	return id;
}

void xl_finish_freeze(struct xctx *x, uint8_t table)
{
	const struct buf *fz = &x->out->s.frozen;
	uint32_t id;

	x->freezing = false;
	xl_commit(x);
	if (x->error)
		return;
	id = emit_recirc(x, table, fz->data, fz->len);
	if (id && x->tr)
		trace_recirc(x, id, false, 0, NULL, NULL);
}

int xl_thaw(struct xctx *x, const void **acts, size_t *len)
{
	struct buf *b = &x->out->s.thaw;
	struct xl_frozen h;
	const uint8_t *p;

	if (!x->br->recirc ||
	    xlate_recirc_find(x->br->recirc, x->in->key->recirc_id, b,
			      x->in->now_ms) || b->len < sizeof h)
		return -ENOENT;
	memcpy(&h, b->data, sizeof h);
	if (sizeof h + (size_t)h.stack_len + h.set_len + h.acts_len != b->len)
		return -ENOENT;
	p = b->data + sizeof h;
	x->table_id = h.table_id;
	x->conntracked = h.flags & XL_FZ_CONNTRACKED;
	x->flow.key.in_port = h.in_port;
	x->flow.metadata = h.metadata;
	memcpy(x->flow.regs, h.regs, sizeof h.regs);
	buf_put(&x->out->s.stack, p, h.stack_len);
	p += h.stack_len;
	buf_put(&x->out->s.action_set, p, h.set_len);
	p += h.set_len;
	*acts = p;
	*len = h.acts_len;
	if (x->tr) {
		int thaw = trace_add(x->tr, TRACE_THAW, "thaw", 4), old;

		old = trace_cur(x->tr);
		trace_set_cur(x->tr, thaw);
		if (h.acts_len)
			xl_trace_acts(x, TRACE_THAW, "Restoring actions: ", p,
				      h.acts_len);
		else
			XT(x, TRACE_THAW, "Resuming from table %u", h.table_id);
		trace_set_cur(x->tr, old);
	}
	return 0;
}

/* --- ct() --------------------------------------------------------------------------- */

static void put_nat(struct xctx *x, const struct ofpact_nat *n)
{
	size_t ofs = na_nest_start(x->odp, OVS_CT_ATTR_NAT);
	size_t alen = n->af == AF_INET ? 4 : 16;

	if (n->flags & (OFP_NAT_SRC | OFP_NAT_DST)) {
		na_put_flag(x->odp, n->flags & OFP_NAT_SRC ? OVS_NAT_ATTR_SRC
							   : OVS_NAT_ATTR_DST);
		if (n->flags & OFP_NAT_PERSISTENT)
			na_put_flag(x->odp, OVS_NAT_ATTR_PERSISTENT);
		if (n->flags & OFP_NAT_HASH)
			na_put_flag(x->odp, OVS_NAT_ATTR_PROTO_HASH);
		else if (n->flags & OFP_NAT_RANDOM)
			na_put_flag(x->odp, OVS_NAT_ATTR_PROTO_RANDOM);
		if (n->af == AF_INET || n->af == AF_INET6) {
			static const uint8_t zero[16];

			na_put(x->odp, OVS_NAT_ATTR_IP_MIN, n->addr_min, alen);
			/* A maximum only if it is above the minimum. */
			if (memcmp(n->addr_max, zero, alen) &&
			    memcmp(n->addr_max, n->addr_min, alen) > 0)
				na_put(x->odp, OVS_NAT_ATTR_IP_MAX, n->addr_max, alen);
			if (n->port_min) {
				na_put_u16(x->odp, OVS_NAT_ATTR_PROTO_MIN, n->port_min);
				if (n->port_max > n->port_min)
					na_put_u16(x->odp, OVS_NAT_ATTR_PROTO_MAX,
						   n->port_max);
			}
		}
	}
	na_nest_end(x->odp, ofs);
}

static bool zero_bytes(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

void xl_ct(struct xctx *x, const struct ofpact *a)
{
	const struct ofpact_ct *ct = OFPACT_CAST(ofpact_ct, a);
	struct dp_key *k = &x->flow.key;
	uint32_t old_mark_mask = x->wc.key.ct_mark;
	uint8_t old_label_mask[16];
	struct dp_key set;              /* mark and labels set by exec() */
	uint16_t zone = ct->zone_imm;
	size_t ofs;

	if (!xl_is_ip(&x->flow)) {
		XT(x, TRACE_WARN, "ct on a packet that is not IP, ignored");
		return;
	}
	xl_commit(x);
	if (x->error)
		return;
	/* exec()'s set_field of ct_mark and ct_label marks what it sets: the
	 * masks of the ct() action. */
	memcpy(old_label_mask, x->wc.key.ct_labels, 16);
	x->wc.key.ct_mark = 0;
	memset(x->wc.key.ct_labels, 0, 16);
	x->ct_nat = NULL;
	xl_do_actions(x, ofpact_nested(a), ofpact_nested_len(a));
	if (x->error)
		return;
	if (ct->zone_src.n_bits) {
		const struct ofp_field *f = ofp_field_get(ct->zone_src.field);
		union ofp_value v, bits, mask;

		if (f) {
			memset(&mask, 0, sizeof mask);
			ofp_value_set_bits(&mask, ct->zone_src.ofs,
					   ct->zone_src.n_bits);
			xl_wc_field(x, f, &mask);
			ofp_field_get_value(f, &x->flow, &v);
			ofp_value_bits(&bits, &v, ct->zone_src.ofs,
				       ct->zone_src.n_bits);
			ofp_value_shift(&v, &bits, -(int)ct->zone_src.ofs);
			zone = (uint16_t)ofp_value_u64(&v);
		}
	}

	memset(&set, 0, sizeof set);
	set.ct_mark = k->ct_mark & x->wc.key.ct_mark;
	if (!xl_room(x))
		return;
	ofs = na_nest_start(x->odp, OVS_ACTION_ATTR_CT);
	if (ct->flags & OFP_CT_COMMIT)
		na_put_flag(x->odp, ct->flags & OFP_CT_FORCE
				    ? OVS_CT_ATTR_FORCE_COMMIT : OVS_CT_ATTR_COMMIT);
	na_put_u16(x->odp, OVS_CT_ATTR_ZONE, zone);
	if (x->wc.key.ct_mark) {
		uint32_t m[2] = { set.ct_mark, x->wc.key.ct_mark };

		na_put(x->odp, OVS_CT_ATTR_MARK, m, sizeof m);
	}
	if (!zero_bytes(x->wc.key.ct_labels, 16)) {
		uint8_t l[32];
		int i;

		for (i = 0; i < 16; i++) {
			l[i] = k->ct_labels[i] & x->wc.key.ct_labels[i];
			l[16 + i] = x->wc.key.ct_labels[i];
			set.ct_labels[i] = l[i];
		}
		na_put(x->odp, OVS_CT_ATTR_LABELS, l, sizeof l);
	}
	if (ct->alg == 21)
		na_put(x->odp, OVS_CT_ATTR_HELPER, "ftp", 4);
	else if (ct->alg == 69)
		na_put(x->odp, OVS_CT_ATTR_HELPER, "tftp", 5);
	if (x->ct_nat)
		put_nat(x, x->ct_nat);
	na_nest_end(x->odp, ofs);
	x->wc.key.ct_mark = old_mark_mask;
	memcpy(x->wc.key.ct_labels, old_label_mask, 16);

	if (ct->table != OFP_CT_NO_TABLE) {
		uint32_t id;

		x->conntracked = true;
		id = emit_recirc(x, ct->table, NULL, 0);
		if (!id)
			return;
		XT(x, TRACE_DETAIL, "A clone of the packet is forked to recirculate. "
		   "The forked pipeline will be resumed at table %u.", ct->table);
		if (x->tr)
			trace_recirc(x, id, true, zone, &set, x->ct_nat);
	}
	x->ct_nat = NULL;
	xl_ct_clear_fields(x);
	XT(x, TRACE_DETAIL, "Sets the packet to an untracked state, and clears "
	   "all the conntrack fields.");
}

void xl_ct_clear_fields(struct xctx *x)
{
	struct dp_key *k = &x->flow.key;

	k->ct_state = 0;
	k->ct_zone = 0;
	k->ct_mark = 0;
	memset(k->ct_labels, 0, sizeof k->ct_labels);
	k->ct_orig_proto = 0;
	memset(&k->ct_orig, 0, sizeof k->ct_orig);
	k->ct_orig_tp_src = k->ct_orig_tp_dst = 0;
	x->conntracked = false;
}

void xl_ct_clear(struct xctx *x)
{
	xl_ct_clear_fields(x);
	if (xl_room(x))
		na_put_flag(x->odp, OVS_ACTION_ATTR_CT_CLEAR);
}

/* --- packet-ins ------------------------------------------------------------------- */

int xlate_pin_decode(struct xlate_recirc *rc, const void *userdata,
		     size_t len, struct xlate_pin *pin)
{
	const uint8_t *c = userdata;
	struct buf b = BUF_INIT;
	struct xl_frozen h;
	uint16_t type, u16;
	uint64_t be;
	int r = 0;

	memset(pin, 0, sizeof *pin);
	if (len != XL_COOKIE_LEN)
		return -EINVAL;
	memcpy(&type, c + XL_CK_TYPE, 2);
	if (type != XL_COOKIE_CONTROLLER)
		return -EINVAL;
	memcpy(&u16, c + XL_CK_REASON, 2);
	pin->reason = (uint8_t)u16;
	pin->dont_send = c[XL_CK_DONT_SEND];
	memcpy(&pin->recirc_id, c + XL_CK_RECIRC_ID, 4);
	memcpy(&be, c + XL_CK_RULE_COOKIE, 8);
	pin->cookie = __builtin_bswap64(be);
	memcpy(&pin->controller_id, c + XL_CK_CONTROLLER_ID, 2);
	memcpy(&pin->max_len, c + XL_CK_MAX_LEN, 2);
	pin->in_port = OFPP_NONE;
	if (!rc || xlate_recirc_find(rc, pin->recirc_id, &b, INT64_MIN) ||
	    b.len < sizeof h) {
		r = -ENOENT;
	} else {
		memcpy(&h, b.data, sizeof h);
		pin->table_id = h.table_id;
		pin->in_port = h.in_port;
		pin->metadata = h.metadata;
		memcpy(pin->regs, h.regs, sizeof pin->regs);
	}
	buf_free(&b);
	return r;
}

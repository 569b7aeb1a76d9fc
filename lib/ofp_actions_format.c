/*
 * ofp_actions_format.c - action records as ovs-ofctl 3.1 dump-flows
 * prints them (see ofp_actions_text.h for the rules).
 */
#include "ofp_actions_text.h"

#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

static void format_list(struct buf *out, const void *acts, size_t len,
			const struct ofp_names *names);

static void fmt_sf(struct buf *out, const struct ofpact_sf *s)
{
	struct ofp_subfield sf = { ofp_field_get(s->field), s->ofs, s->n_bits };

	if (sf.field)
		ofp_subfield_format(out, &sf);
}

static void fmt_hex_u64(struct buf *out, uint64_t x)
{
	buf_printf(out, x ? "%#llx" : "%llx", (unsigned long long)x);
}

/* load:VALUE->FIELD[a..b] for every run of mask bits, 64 bits at most. */
static void fmt_loads(struct buf *out, const struct ofp_field *f,
		      const union ofp_value *v, const union ofp_value *m)
{
	unsigned n = f->n_bits, i = 0;
	bool first = true;

	while (i < n) {
		unsigned start, len;
		union ofp_value bits;

		while (i < n && !(m->be[15 - i / 8] & (1u << (i % 8))))
			i++;
		if (i >= n)
			break;
		start = i;
		while (i < n && i - start < 64 && (m->be[15 - i / 8] & (1u << (i % 8))))
			i++;
		len = i - start;
		ofp_value_bits(&bits, v, start, len);
		ofp_value_shift(&bits, &bits, -(int)start);
		if (!first)
			buf_putc(out, ',');
		first = false;
		buf_puts(out, "load:");
		fmt_hex_u64(out, ofp_value_u64(&bits));
		buf_puts(out, "->");
		{
			struct ofp_subfield sf = { f, (uint8_t)start, (uint8_t)len };

			ofp_subfield_format(out, &sf);
		}
	}
}

static void fmt_set_field(struct buf *out, const struct ofpact_set_field *sf)
{
	const struct ofp_field *f = ofp_field_get(sf->field);
	union ofp_value ones;
	uint64_t x = ofp_value_u64(&sf->value);

	if (!f)
		return;
	ofp_value_ones(f, &ones);
	if (sf->a.spelling == OFPACT_SF_SET_FIELD &&
	    !memcmp(&ones, &sf->mask, sizeof ones)) {
		/* What OpenFlow 1.0 has an action for prints as that action. */
		switch (f->id) {
		case OFP_F_VLAN_TCI:
			if (x & DP_VLAN_CFI)
				buf_printf(out, "mod_vlan_vid:%u,mod_vlan_pcp:%u",
					   (unsigned)(x & 0xfff), (unsigned)(x >> 13));
			else
				buf_puts(out, "strip_vlan");
			return;
		case OFP_F_VLAN_VID:
		case OFP_F_DL_VLAN:
			buf_printf(out, "mod_vlan_vid:%u", (unsigned)(x & 0xfff));
			return;
		case OFP_F_VLAN_PCP:
		case OFP_F_DL_VLAN_PCP:
			buf_printf(out, "mod_vlan_pcp:%u", (unsigned)x);
			return;
		case OFP_F_ETH_SRC:
		case OFP_F_ETH_DST:
			buf_puts(out, f->id == OFP_F_ETH_SRC ? "mod_dl_src:" : "mod_dl_dst:");
			ofp_format_mac(out, sf->value.be + 10);
			return;
		case OFP_F_IP_SRC:
		case OFP_F_IP_DST: {
			uint32_t ip;

			memcpy(&ip, sf->value.be + 12, 4);
			buf_puts(out, f->id == OFP_F_IP_SRC ? "mod_nw_src:" : "mod_nw_dst:");
			ofp_format_ipv4(out, ip);
			return;
		}
		case OFP_F_NW_TOS:
			buf_printf(out, "mod_nw_tos:%u", (unsigned)x);
			return;
		case OFP_F_IP_DSCP:
			buf_printf(out, "mod_nw_tos:%u", (unsigned)(x << 2));
			return;
		case OFP_F_TCP_SRC:
		case OFP_F_UDP_SRC:
			buf_printf(out, "mod_tp_src:%u", (unsigned)x);
			return;
		case OFP_F_TCP_DST:
		case OFP_F_UDP_DST:
			buf_printf(out, "mod_tp_dst:%u", (unsigned)x);
			return;
		default:
			break;
		}
	}
	fmt_loads(out, f, &sf->value, &sf->mask);
}

static void fmt_load_u64(struct buf *out, enum ofp_field_id id, uint64_t x)
{
	const struct ofp_field *f = ofp_field_get(id);
	union ofp_value v, m;

	ofp_value_from_u64(&v, x);
	ofp_value_ones(f, &m);
	fmt_loads(out, f, &v, &m);
}

static void fmt_controller(struct buf *out, const struct ofpact_controller *c)
{
	static const char *const reasons[OFPR_N_REASONS] = {
		"no_match", "action", "invalid_ttl", "action_set", "group",
		"packet_out",
	};
	const uint8_t *ud = (const uint8_t *)(c + 1);
	size_t start, i;

	if (c->reason == OFPR_ACTION && !c->controller_id && !c->userdata_len &&
	    !c->pause) {
		buf_printf(out, "CONTROLLER:%u", c->max_len);
		return;
	}
	buf_puts(out, "controller(");
	start = out->len;
	if (c->reason != OFPR_ACTION && c->reason < OFPR_N_REASONS)
		buf_printf(out, "reason=%s,", reasons[c->reason]);
	if (c->max_len != UINT16_MAX)
		buf_printf(out, "max_len=%u,", c->max_len);
	if (c->controller_id)
		buf_printf(out, "id=%u,", c->controller_id);
	if (c->userdata_len) {
		buf_puts(out, "userdata=");
		for (i = 0; i < c->userdata_len; i++)
			buf_printf(out, "%s%02x", i ? "." : "", ud[i]);
		buf_putc(out, ',');
	}
	if (c->pause)
		buf_puts(out, "pause,");
	if (out->len > start)
		buf_truncate(out, out->len - 1);
	buf_putc(out, ')');
}

static void fmt_nat_addr(struct buf *out, const struct ofpact_nat *n,
			 const uint8_t *a)
{
	if (n->af == AF_INET) {
		uint32_t ip;

		memcpy(&ip, a, 4);
		ofp_format_ipv4(out, ip);
	} else if (n->port_min) {
		buf_putc(out, '[');
		ofp_format_ipv6(out, a);
		buf_putc(out, ']');
	} else {
		ofp_format_ipv6(out, a);
	}
}

static void fmt_nat(struct buf *out, const struct ofpact_nat *n)
{
	static const uint8_t zero[16];
	size_t alen = n->af == AF_INET ? 4 : 16;

	buf_puts(out, "nat");
	if (!(n->flags & (OFP_NAT_SRC | OFP_NAT_DST)))
		return;
	buf_puts(out, n->flags & OFP_NAT_SRC ? "(src" : "(dst");
	if (n->af) {
		buf_putc(out, '=');
		fmt_nat_addr(out, n, n->addr_min);
		if (memcmp(n->addr_max, zero, alen) &&
		    memcmp(n->addr_max, n->addr_min, alen)) {
			buf_putc(out, '-');
			fmt_nat_addr(out, n, n->addr_max);
		}
		if (n->port_min) {
			buf_printf(out, ":%u", n->port_min);
			if (n->port_max && n->port_max != n->port_min)
				buf_printf(out, "-%u", n->port_max);
		}
	}
	if (n->flags & OFP_NAT_PERSISTENT)
		buf_puts(out, ",persistent");
	if (n->flags & OFP_NAT_HASH)
		buf_puts(out, ",hash");
	if (n->flags & OFP_NAT_RANDOM)
		buf_puts(out, ",random");
	buf_putc(out, ')');
}

static void fmt_ct(struct buf *out, const struct ofpact *a,
		   const struct ofp_names *names)
{
	const struct ofpact_ct *ct = OFPACT_CAST(ofpact_ct, a);
	const void *nested = ofpact_nested(a);
	size_t nlen = ofpact_nested_len(a), start;
	const struct ofpact *first = nested;

	buf_puts(out, "ct(");
	start = out->len;
	if (ct->flags & OFP_CT_COMMIT)
		buf_puts(out, "commit,");
	if (ct->flags & OFP_CT_FORCE)
		buf_puts(out, "force,");
	if (ct->table != OFP_CT_NO_TABLE)
		buf_printf(out, "table=%u,", ct->table);
	if (ct->zone_src.n_bits) {
		buf_puts(out, "zone=");
		fmt_sf(out, &ct->zone_src);
		buf_putc(out, ',');
	} else if (ct->zone_imm) {
		buf_printf(out, "zone=%u,", ct->zone_imm);
	}
	if (nlen && first->type == OFPACT_NAT) {
		fmt_nat(out, OFPACT_CAST(ofpact_nat, first));
		buf_putc(out, ',');
		nlen -= first->len;
		nested = ofpact_next(first);
	}
	if (nlen) {
		buf_puts(out, "exec(");
		format_list(out, nested, nlen, names);
		buf_puts(out, "),");
	}
	if (ct->alg == 21)
		buf_puts(out, "alg=ftp,");
	else if (ct->alg == 69)
		buf_puts(out, "alg=tftp,");
	else if (ct->alg)
		buf_printf(out, "alg=%u,", ct->alg);
	if (out->len > start)
		buf_truncate(out, out->len - 1);
	buf_putc(out, ')');
}

static void fmt_port(struct buf *out, uint16_t port,
		     const struct ofp_names *names)
{
	ofp_port_format(out, port, names);
}

static void fmt_one(struct buf *out, const struct ofpact *a,
		    const struct ofp_names *names)
{
	const struct ofpact_u32 *u = OFPACT_CAST(ofpact_u32, a);
	size_t i;

	switch (a->type) {
	case OFPACT_OUTPUT: {
		const struct ofpact_output *o = OFPACT_CAST(ofpact_output, a);

		if (o->port < OFPP_MAX)
			buf_puts(out, "output:");
		fmt_port(out, o->port, names);
		if (o->port == OFPP_CONTROLLER)
			buf_printf(out, ":%u", o->max_len);
		break;
	}
	case OFPACT_CONTROLLER:
		fmt_controller(out, OFPACT_CAST(ofpact_controller, a));
		break;
	case OFPACT_ENQUEUE: {
		const struct ofpact_enqueue *e = OFPACT_CAST(ofpact_enqueue, a);

		buf_puts(out, "enqueue:");
		fmt_port(out, e->port, names);
		buf_printf(out, ":%u", e->queue);
		break;
	}
	case OFPACT_OUTPUT_REG:
		buf_puts(out, "output:");
		fmt_sf(out, &OFPACT_CAST(ofpact_output_reg, a)->src);
		break;
	case OFPACT_OUTPUT_TRUNC: {
		const struct ofpact_output_trunc *t = OFPACT_CAST(ofpact_output_trunc, a);

		buf_puts(out, "output(port=");
		fmt_port(out, t->port, names);
		buf_printf(out, ",max_len=%u)", t->max_len);
		break;
	}
	case OFPACT_RESUBMIT: {
		const struct ofpact_resubmit *r = OFPACT_CAST(ofpact_resubmit, a);

		if (r->in_port != OFPP_IN_PORT && r->table == 255 && !r->with_ct) {
			buf_puts(out, "resubmit:");
			fmt_port(out, r->in_port, names);
		} else {
			buf_puts(out, "resubmit(");
			if (r->in_port != OFPP_IN_PORT)
				fmt_port(out, r->in_port, names);
			buf_putc(out, ',');
			if (r->table != 255)
				buf_printf(out, "%u", r->table);
			if (r->with_ct)
				buf_puts(out, ",ct");
			buf_putc(out, ')');
		}
		break;
	}
	case OFPACT_SET_FIELD:
		fmt_set_field(out, OFPACT_CAST(ofpact_set_field, a));
		break;
	case OFPACT_REG_MOVE: {
		const struct ofpact_reg_move *m = OFPACT_CAST(ofpact_reg_move, a);

		buf_puts(out, "move:");
		fmt_sf(out, &m->src);
		buf_puts(out, "->");
		fmt_sf(out, &m->dst);
		break;
	}
	case OFPACT_STACK_PUSH:
	case OFPACT_STACK_POP:
		buf_puts(out, a->type == OFPACT_STACK_PUSH ? "push:" : "pop:");
		fmt_sf(out, &OFPACT_CAST(ofpact_stack, a)->sf);
		break;
	case OFPACT_SET_VLAN_VID:
		buf_printf(out, "mod_vlan_vid:%u", u->value);
		break;
	case OFPACT_SET_VLAN_PCP:
		buf_printf(out, "mod_vlan_pcp:%u", u->value);
		break;
	case OFPACT_STRIP_VLAN:
		buf_puts(out, "strip_vlan");
		break;
	case OFPACT_PUSH_VLAN:
		buf_printf(out, "push_vlan:0x%x", u->value);
		break;
	case OFPACT_SET_ETH_SRC:
	case OFPACT_SET_ETH_DST:
		buf_puts(out, a->type == OFPACT_SET_ETH_SRC ? "mod_dl_src:" :
			 "mod_dl_dst:");
		ofp_format_mac(out, OFPACT_CAST(ofpact_mac, a)->mac);
		break;
	case OFPACT_SET_IPV4_SRC:
	case OFPACT_SET_IPV4_DST:
		buf_puts(out, a->type == OFPACT_SET_IPV4_SRC ? "mod_nw_src:" :
			 "mod_nw_dst:");
		ofp_format_ipv4(out, u->value);
		break;
	case OFPACT_SET_IP_DSCP:
		buf_printf(out, "mod_nw_tos:%u", u->value);
		break;
	case OFPACT_SET_IP_ECN:
		fmt_load_u64(out, OFP_F_NW_ECN, u->value);
		break;
	case OFPACT_SET_IP_TTL:
		fmt_load_u64(out, OFP_F_NW_TTL, u->value);
		break;
	case OFPACT_SET_L4_SRC_PORT:
		buf_printf(out, "mod_tp_src:%u", u->value);
		break;
	case OFPACT_SET_L4_DST_PORT:
		buf_printf(out, "mod_tp_dst:%u", u->value);
		break;
	case OFPACT_PUSH_MPLS:
		buf_printf(out, "push_mpls:0x%04x", u->value);
		break;
	case OFPACT_POP_MPLS:
		buf_printf(out, "pop_mpls:0x%04x", u->value);
		break;
	case OFPACT_SET_MPLS_LABEL:
		buf_printf(out, "set_mpls_label(%u)", u->value);
		break;
	case OFPACT_SET_MPLS_TC:
		buf_printf(out, "set_mpls_tc(%u)", u->value);
		break;
	case OFPACT_SET_MPLS_TTL:
		buf_printf(out, "set_mpls_ttl(%u)", u->value);
		break;
	case OFPACT_DEC_MPLS_TTL:
		buf_puts(out, "dec_mpls_ttl");
		break;
	case OFPACT_DEC_TTL: {
		const struct ofpact_dec_ttl *d = OFPACT_CAST(ofpact_dec_ttl, a);

		buf_puts(out, "dec_ttl");
		if (a->spelling) {
			buf_putc(out, '(');
			for (i = 0; i < d->n_ids; i++)
				buf_printf(out, "%s%u", i ? "," : "", d->ids[i]);
			buf_putc(out, ')');
		}
		break;
	}
	case OFPACT_SET_TUNNEL: {
		uint64_t id = OFPACT_CAST(ofpact_u64, a)->value;

		buf_puts(out, a->spelling || id > UINT32_MAX ? "set_tunnel64:" :
			 "set_tunnel:");
		fmt_hex_u64(out, id);
		break;
	}
	case OFPACT_SET_QUEUE:
		buf_printf(out, "set_queue:%u", u->value);
		break;
	case OFPACT_POP_QUEUE:
		buf_puts(out, "pop_queue");
		break;
	case OFPACT_NOTE: {
		const struct ofpact_note *n = OFPACT_CAST(ofpact_note, a);

		buf_puts(out, "note:");
		for (i = 0; i < n->len; i++)
			buf_printf(out, "%s%02x", i ? "." : "", n->data[i]);
		break;
	}
	case OFPACT_EXIT:
		buf_puts(out, "exit");
		break;
	case OFPACT_FIN_TIMEOUT: {
		const struct ofpact_fin_timeout *f = OFPACT_CAST(ofpact_fin_timeout, a);
		size_t start;

		buf_puts(out, "fin_timeout(");
		start = out->len;
		if (f->idle)
			buf_printf(out, "idle_timeout=%u,", f->idle);
		if (f->hard)
			buf_printf(out, "hard_timeout=%u,", f->hard);
		if (out->len > start)
			buf_truncate(out, out->len - 1);
		buf_putc(out, ')');
		break;
	}
	case OFPACT_SAMPLE: {
		const struct ofpact_sample *s = OFPACT_CAST(ofpact_sample, a);

		buf_printf(out, "sample(probability=%u,collector_set_id=%u,"
			   "obs_domain_id=%u,obs_point_id=%u", s->probability,
			   s->collector_set_id, s->obs_domain_id, s->obs_point_id);
		if (s->sampling_port != OFPP_NONE) {
			buf_puts(out, ",sampling_port=");
			fmt_port(out, s->sampling_port, names);
		}
		if (s->direction == OFP_SAMPLE_INGRESS)
			buf_puts(out, ",ingress");
		else if (s->direction == OFP_SAMPLE_EGRESS)
			buf_puts(out, ",egress");
		buf_putc(out, ')');
		break;
	}
	case OFPACT_CHECK_PKT_LARGER: {
		const struct ofpact_check_pkt_larger *c =
			OFPACT_CAST(ofpact_check_pkt_larger, a);

		buf_printf(out, "check_pkt_larger(%u)->", c->pkt_len);
		fmt_sf(out, &c->dst);
		break;
	}
	case OFPACT_CLONE:
	case OFPACT_WRITE_ACTIONS:
		buf_puts(out, a->type == OFPACT_CLONE ? "clone(" : "write_actions(");
		ofpacts_format(out, ofpact_nested(a), ofpact_nested_len(a), names);
		buf_putc(out, ')');
		break;
	case OFPACT_CT:
		fmt_ct(out, a, names);
		break;
	case OFPACT_NAT:
		fmt_nat(out, OFPACT_CAST(ofpact_nat, a));
		break;
	case OFPACT_CT_CLEAR:
		buf_puts(out, "ct_clear");
		break;
	case OFPACT_CLEAR_ACTIONS:
		buf_puts(out, "clear_actions");
		break;
	case OFPACT_WRITE_METADATA: {
		const struct ofpact_write_metadata *w =
			OFPACT_CAST(ofpact_write_metadata, a);

		buf_puts(out, "write_metadata:");
		fmt_hex_u64(out, w->metadata);
		if (w->mask != UINT64_MAX) {
			buf_putc(out, '/');
			fmt_hex_u64(out, w->mask);
		}
		break;
	}
	case OFPACT_GOTO_TABLE:
		buf_printf(out, "goto_table:%u", u->value);
		break;
	default:
		buf_printf(out, "<unknown action %u>", a->type);
		break;
	}
}

static void format_list(struct buf *out, const void *acts, size_t len,
			const struct ofp_names *names)
{
	const struct ofpact *a;
	bool first = true;

	OFPACT_FOR_EACH(a, acts, len) {
		if (!first)
			buf_putc(out, ',');
		first = false;
		fmt_one(out, a, names);
	}
}

void ofpacts_format(struct buf *out, const void *acts, size_t len,
		    const struct ofp_names *names)
{
	if (!len)
		buf_puts(out, "drop");
	else
		format_list(out, acts, len, names);
}

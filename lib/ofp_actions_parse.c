/*
 * ofp_actions_parse.c - ovs-ofctl action syntax into action records.
 */
#include "ofp_actions_text.h"
#include "ofp_actions_parse.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "ofp_match_text.h"

#define MAX_DEPTH 8

int ofpact_p_fail(struct ofpact_parser *p, const struct ofp_kv *kv,
		  const char *fmt, ...)
{
	char msg[DP_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return ofp_kv_err(p->err, kv, "%s", msg);
}

size_t ofpact_p_val_col(const struct ofp_kv *kv)
{
	return kv->col + (size_t)(kv->val - kv->key);
}

int ofpact_p_need_arg(struct ofpact_parser *p, const struct ofp_kv *kv,
		      const char *what)
{
	if (!kv->vlen)
		return ofpact_p_fail(p, kv, "expected %s.", what);
	return 0;
}

int ofpact_p_arg_u64(struct ofpact_parser *p, const struct ofp_kv *kv,
		     uint64_t max, uint64_t *x, const char *what)
{
	if (ofpact_p_need_arg(p, kv, what))
		return -EINVAL;
	if (ofp_parse_u64(kv->val, kv->vlen, max, x))
		return ofpact_p_fail(p, kv, "not a valid %s", what);
	return 0;
}

struct ofpact_u32 *ofpact_p_put_u32(struct ofpact_parser *p,
				    enum ofpact_type t, uint64_t v)
{
	struct ofpact_u32 *a = (struct ofpact_u32 *)(void *)
		ofpact_put(p->out, t, sizeof *a);

	if (a)
		a->value = (uint32_t)v;
	return a;
}

static int put_plain(struct ofpact_parser *p, enum ofpact_type t)
{
	ofpact_put(p->out, t, sizeof(struct ofpact));
	return 0;
}

int ofpact_p_find(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= len; i++)
		if (!memcmp(s + i, needle, n))
			return (int)i;
	return -1;
}

/* --- output-like actions ---------------------------------------------------- */

int ofpact_p_sf(struct ofpact_parser *p, const struct ofp_kv *kv,
		const char *s, size_t len, struct ofpact_sf *out)
{
	struct ofp_subfield sf;
	struct dp_err e;

	if (ofp_subfield_parse(s, len, &sf, &e))
		return ofpact_p_fail(p, kv, "%s", e.msg);
	/* Bit ranges are of fields with a header name (dl_vlan is not one:
	 * vlan_tci is). */
	if (!sf.field->nxm)
		return ofpact_p_fail(p, kv, "%s cannot be used in a bit range (use vlan_tci)",
				     sf.field->name);
	out->field = (uint8_t)sf.field->id;
	out->ofs = sf.ofs;
	out->n_bits = sf.n_bits;
	return 0;
}

static int parse_trunc(struct ofpact_parser *p, const struct ofp_kv *kv)
{
	struct ofpact_output_trunc *a;
	struct ofp_scan sc;
	struct ofp_kv it;
	uint16_t port = OFPP_NONE;
	uint64_t max_len = 0;
	bool have_len = false;

	ofp_scan_init(&sc, kv->val, kv->vlen, ofpact_p_val_col(kv));
	while (ofp_scan_next(&sc, &it)) {
		if (ofp_word_is(it.key, it.klen, "port")) {
			if (ofp_port_parse(it.val, it.vlen, p->names, &port))
				return ofpact_p_fail(p, kv, "output to unknown truncate port: %.*s",
					    (int)it.vlen, it.val);
		} else if (ofp_word_is(it.key, it.klen, "max_len")) {
			if (ofp_parse_u64(it.val, it.vlen, UINT32_MAX, &max_len))
				return ofpact_p_fail(p, kv, "bad max_len '%.*s'", (int)it.vlen,
					    it.val);
			have_len = true;
		} else {
			return ofpact_p_fail(p, kv, "invalid key '%.*s' in output_trunc argument",
				    (int)it.klen, it.key);
		}
	}
	if (port == OFPP_NONE || !have_len)
		return ofpact_p_fail(p, kv, "output(...) needs port= and max_len=");
	if (port >= OFPP_MAX && port != OFPP_LOCAL && port != OFPP_IN_PORT)
		return ofpact_p_fail(p, kv, "output to unsupported truncate port: %.*s",
			    (int)kv->vlen, kv->val);
	if (max_len < 14)
		return ofpact_p_fail(p, kv, "max_len %llu is less than the minimum value 14",
			    (unsigned long long)max_len);
	a = (struct ofpact_output_trunc *)(void *)
		ofpact_put(p->out, OFPACT_OUTPUT_TRUNC, sizeof *a);
	if (a) {
		a->port = port;
		a->max_len = (uint32_t)max_len;
	}
	return 0;
}

static int put_output(struct ofpact_parser *p, const struct ofp_kv *kv,
		      uint16_t port)
{
	struct ofpact_output *a;

	if (port == OFPP_NONE)
		return ofpact_p_fail(p, kv, "not a valid output port");
	a = (struct ofpact_output *)(void *)
		ofpact_put(p->out, OFPACT_OUTPUT, sizeof *a);
	if (a) {
		a->port = port;
		a->max_len = port == OFPP_CONTROLLER ? UINT16_MAX : 0;
	}
	return 0;
}

static int parse_output(struct ofpact_parser *p, const struct ofp_kv *kv)
{
	struct ofpact_output_reg *r;
	struct ofpact_sf sf = { 0, 0, 0, 0 };
	uint16_t port;

	if (kv->delim == '(' || (ofpact_p_find(kv->val, kv->vlen, "port") >= 0 &&
				 ofpact_p_find(kv->val, kv->vlen, "max_len") >= 0))
		return parse_trunc(p, kv);
	if (ofpact_p_need_arg(p, kv, "port"))
		return -EINVAL;
	if (!memchr(kv->val, '[', kv->vlen) &&
	    !ofp_port_parse(kv->val, kv->vlen, p->names, &port))
		return put_output(p, kv, port);
	if (!memchr(kv->val, '[', kv->vlen) &&
	    !ofp_field_by_name(kv->val, kv->vlen))
		return ofpact_p_fail(p, kv, "%.*s: output to unknown port", (int)kv->vlen,
			    kv->val);
	if (ofpact_p_sf(p, kv, kv->val, kv->vlen, &sf))
		return -EINVAL;
	r = (struct ofpact_output_reg *)(void *)
		ofpact_put(p->out, OFPACT_OUTPUT_REG, sizeof *r);
	if (r) {
		r->src = sf;
		r->max_len = UINT16_MAX;
	}
	return 0;
}

static const char *const reasons[OFPR_N_REASONS] = {
	"no_match", "action", "invalid_ttl", "action_set", "group", "packet_out",
};

static int parse_controller(struct ofpact_parser *p, const struct ofp_kv *kv)
{
	struct ofpact_controller c, *a;
	struct buf ud = BUF_INIT;
	uint64_t x;
	int r = 0;

	memset(&c, 0, sizeof c);
	c.max_len = UINT16_MAX;
	c.reason = OFPR_ACTION;
	if (kv->delim == '(') {
		struct ofp_scan sc;
		struct ofp_kv it;

		ofp_scan_init(&sc, kv->val, kv->vlen, ofpact_p_val_col(kv));
		while (ofp_scan_next(&sc, &it)) {
			if (ofp_word_is(it.key, it.klen, "reason")) {
				unsigned i;

				for (i = 0; i < OFPR_N_REASONS; i++)
					if (ofp_word_is(it.val, it.vlen, reasons[i]))
						break;
				if (i == OFPR_N_REASONS) {
					r = ofpact_p_fail(p, kv, "unknown reason \"%.*s\"",
						 (int)it.vlen, it.val);
					goto out;
				}
				c.reason = (uint8_t)i;
			} else if (ofp_word_is(it.key, it.klen, "max_len")) {
				if (ofp_parse_u64(it.val, it.vlen, UINT16_MAX, &x)) {
					r = ofpact_p_fail(p, kv, "bad max_len");
					goto out;
				}
				c.max_len = (uint16_t)x;
			} else if (ofp_word_is(it.key, it.klen, "id")) {
				if (ofp_parse_u64(it.val, it.vlen, UINT16_MAX, &x)) {
					r = ofpact_p_fail(p, kv, "bad id");
					goto out;
				}
				c.controller_id = (uint16_t)x;
			} else if (ofp_word_is(it.key, it.klen, "userdata")) {
				buf_clear(&ud);
				if (ofp_parse_hex_bytes(it.val, it.vlen, &ud)) {
					r = ofpact_p_fail(p, kv, "bad hex digit in `controller' action `userdata'");
					goto out;
				}
			} else if (ofp_word_is(it.key, it.klen, "pause")) {
				c.pause = 1;
			} else {
				r = ofpact_p_fail(p, kv, "unknown key \"%.*s\" parsing controller action",
					 (int)it.klen, it.key);
				goto out;
			}
		}
	} else if (kv->vlen) {
		if (ofp_parse_u64(kv->val, kv->vlen, UINT16_MAX, &x)) {
			r = ofpact_p_fail(p, kv, "bad max_len");
			goto out;
		}
		c.max_len = (uint16_t)x;
	}
	c.userdata_len = (uint16_t)ud.len;
	a = (struct ofpact_controller *)(void *)
		ofpact_put(p->out, OFPACT_CONTROLLER, sizeof c + ud.len);
	if (a) {
		c.a = a->a;
		memcpy(a, &c, sizeof c);
		if (ud.len)
			memcpy(a + 1, ud.data, ud.len);
	}
out:
	buf_free(&ud);
	return r;
}

static int parse_enqueue(struct ofpact_parser *p, const struct ofp_kv *kv)
{
	const char *sep = memchr(kv->val, kv->delim == '(' ? ',' : ':', kv->vlen);
	struct ofpact_enqueue *a;
	uint16_t port;
	uint64_t q;
	size_t pl;

	if (!sep)
		return ofpact_p_fail(p, kv, "\"enqueue\" syntax is \"enqueue:PORT:QUEUE\" or \"enqueue(PORT,QUEUE)\"");
	pl = (size_t)(sep - kv->val);
	if (ofp_port_parse(kv->val, pl, p->names, &port))
		return ofpact_p_fail(p, kv, "%.*s: enqueue to unknown port", (int)pl, kv->val);
	if (ofp_parse_u64(sep + 1, kv->vlen - pl - 1, UINT32_MAX, &q))
		return ofpact_p_fail(p, kv, "bad queue");
	a = (struct ofpact_enqueue *)(void *)
		ofpact_put(p->out, OFPACT_ENQUEUE, sizeof *a);
	if (a) {
		a->port = port;
		a->queue = (uint32_t)q;
	}
	return 0;
}

static int parse_table(const char *s, size_t len, uint8_t *table)
{
	uint64_t x;

	if (ofp_parse_u64(s, len, 254, &x))
		return -EINVAL;
	*table = (uint8_t)x;
	return 0;
}

static int parse_resubmit(struct ofpact_parser *p, const struct ofp_kv *kv)
{
	struct ofpact_resubmit *a;
	uint16_t port = OFPP_IN_PORT;
	uint8_t table = 255, ct = 0;

	if (kv->delim == '(') {
		const char *s = kv->val, *c1 = memchr(s, ',', kv->vlen);
		size_t l1 = c1 ? (size_t)(c1 - s) : kv->vlen;

		if (l1 && ofp_port_parse(s, l1, p->names, &port))
			return ofpact_p_fail(p, kv, "%.*s: resubmit to unknown port", (int)l1, s);
		if (c1) {
			const char *t = c1 + 1;
			size_t rest = kv->vlen - l1 - 1;
			const char *c2 = memchr(t, ',', rest);
			size_t l2 = c2 ? (size_t)(c2 - t) : rest;
			uint64_t x;

			if (l2 && (ofp_parse_u64(t, l2, 255, &x)))
				return ofpact_p_fail(p, kv, "%.*s: resubmit to unknown table",
					    (int)l2, t);
			if (l2)
				table = (uint8_t)x;
			if (c2) {
				size_t l3 = rest - l2 - 1;

				if (!ofp_word_is(c2 + 1, l3, "ct"))
					return ofpact_p_fail(p, kv, "%.*s: unknown parameter",
						    (int)l3, c2 + 1);
				ct = 1;
			}
		}
		if (port == OFPP_IN_PORT && table == 255)
			return ofpact_p_fail(p, kv, "at least one \"in_port\" or \"table\" must be specified on resubmit");
	} else {
		if (ofpact_p_need_arg(p, kv, "port"))
			return -EINVAL;
		if (ofp_port_parse(kv->val, kv->vlen, p->names, &port))
			return ofpact_p_fail(p, kv, "%.*s: resubmit to unknown port",
				    (int)kv->vlen, kv->val);
	}
	a = (struct ofpact_resubmit *)(void *)
		ofpact_put(p->out, OFPACT_RESUBMIT, sizeof *a);
	if (a) {
		a->in_port = port;
		a->table = table;
		a->with_ct = ct;
	}
	return 0;
}

/* --- fields ------------------------------------------------------------------ */

static int split_arrow(struct ofpact_parser *p, const struct ofp_kv *kv,
		       size_t *vl, const char **dst, size_t *dl)
{
	int i = ofpact_p_find(kv->val, kv->vlen, "->");

	if (i < 0)
		return ofpact_p_fail(p, kv, "%.*s: missing `->'", (int)kv->vlen, kv->val);
	*vl = (size_t)i;
	*dst = kv->val + i + 2;
	*dl = kv->vlen - (size_t)i - 2;
	if (!*dl)
		return ofpact_p_fail(p, kv, "%.*s: missing field name following `->'",
			    (int)kv->vlen, kv->val);
	return 0;
}

static void put_set_field(struct ofpact_parser *p,
			  const struct ofp_field *f, const union ofp_value *v,
			  const union ofp_value *m, uint8_t spelling)
{
	struct ofpact_set_field *a = (struct ofpact_set_field *)(void *)
		ofpact_put(p->out, OFPACT_SET_FIELD, sizeof *a);
	size_t i;

	if (!a)
		return;
	a->a.spelling = spelling;
	a->field = (uint8_t)f->id;
	a->mask = *m;
	for (i = 0; i < 16; i++)
		a->value.be[i] = v->be[i] & m->be[i];
}

static int parse_set_field(struct ofpact_parser *p, const struct ofp_kv *kv)
{
	const struct ofp_field *f;
	union ofp_value v, m;
	const char *dst, *why;
	size_t vl, dl;

	if (split_arrow(p, kv, &vl, &dst, &dl))
		return -EINVAL;
	f = ofp_field_by_name(dst, dl);
	if (!f)
		return ofpact_p_fail(p, kv, "%.*s is not a valid OXM field name", (int)dl, dst);
	if (!f->writable)
		return ofpact_p_fail(p, kv, "%.*s is read-only", (int)dl, dst);
	if (ofp_field_parse_value(f, kv->val, vl, p->names, &v, &m, &why))
		return ofpact_p_fail(p, kv, "%.*s: %s", (int)vl, kv->val, why);
	if (f->id == OFP_F_IP_DSCP && ofp_value_u64(&v) > 63)
		return ofpact_p_fail(p, kv, "%.*s is not a valid value for field ip_dscp",
			    (int)vl, kv->val);
	if (f->id == OFP_F_NW_TOS && (ofp_value_u64(&v) & 3))
		return ofpact_p_fail(p, kv, "%.*s is not a valid value for field nw_tos",
			    (int)vl, kv->val);
	put_set_field(p, f, &v, &m, OFPACT_SF_SET_FIELD);
	return 0;
}

static int parse_load(struct ofpact_parser *p, const struct ofp_kv *kv)
{
	const struct ofp_field *f;
	union ofp_value v, w, m;
	struct ofpact_sf sf = { 0, 0, 0, 0 };
	const char *dst;
	size_t vl, dl;

	if (split_arrow(p, kv, &vl, &dst, &dl))
		return -EINVAL;
	if (!vl)
		return ofpact_p_fail(p, kv, "missing source before `->'");
	if (ofpact_p_sf(p, kv, dst, dl, &sf))
		return -EINVAL;
	f = ofp_field_get(sf.field);
	if (!f->writable)
		return ofpact_p_fail(p, kv, "%s is read-only", f->name);
	if (ofp_parse_be128(kv->val, vl, v.be))
		return ofpact_p_fail(p, kv, "cannot parse integer value");
	ofp_value_bits(&w, &v, 0, sf.n_bits);
	if (memcmp(&w, &v, sizeof v))
		return ofpact_p_fail(p, kv, "value %.*s does not fit into %u bits", (int)vl,
			    kv->val, sf.n_bits);
	ofp_value_shift(&v, &v, sf.ofs);
	memset(&m, 0, sizeof m);
	ofp_value_set_bits(&m, sf.ofs, sf.n_bits);
	put_set_field(p, f, &v, &m, OFPACT_SF_LOAD);
	return 0;
}

static int parse_move(struct ofpact_parser *p, const struct ofp_kv *kv)
{
	struct ofpact_reg_move *a;
	struct ofpact_sf src = { 0, 0, 0, 0 }, dst = { 0, 0, 0, 0 };
	const char *d;
	size_t vl, dl;

	if (split_arrow(p, kv, &vl, &d, &dl))
		return -EINVAL;
	if (ofpact_p_sf(p, kv, kv->val, vl, &src) || ofpact_p_sf(p, kv, d, dl, &dst))
		return -EINVAL;
	if (!ofp_field_get(dst.field)->writable)
		return ofpact_p_fail(p, kv, "%s is read-only", ofp_field_get(dst.field)->name);
	if (src.n_bits != dst.n_bits)
		return ofpact_p_fail(p, kv, "bit widths of source (%u) and destination (%u) differ",
			    src.n_bits, dst.n_bits);
	a = (struct ofpact_reg_move *)(void *)
		ofpact_put(p->out, OFPACT_REG_MOVE, sizeof *a);
	if (a) {
		a->src = src;
		a->dst = dst;
	}
	return 0;
}

static int parse_stack(struct ofpact_parser *p, const struct ofp_kv *kv,
		       enum ofpact_type t)
{
	struct ofpact_stack *a;
	struct ofpact_sf sf = { 0, 0, 0, 0 };
	const char *br = memchr(kv->val, ']', kv->vlen);

	if (ofpact_p_need_arg(p, kv, "field"))
		return -EINVAL;
	if (br && (size_t)(br - kv->val) + 1 < kv->vlen)
		return ofpact_p_fail(p, kv, "%.*s: trailing garbage following push or pop",
			    (int)(kv->vlen - (size_t)(br - kv->val) - 1), br + 1);
	if (ofpact_p_sf(p, kv, kv->val, kv->vlen, &sf))
		return -EINVAL;
	if (t == OFPACT_STACK_POP && !ofp_field_get(sf.field)->writable)
		return ofpact_p_fail(p, kv, "%s is read-only", ofp_field_get(sf.field)->name);
	a = (struct ofpact_stack *)(void *)ofpact_put(p->out, t, sizeof *a);
	if (a)
		a->sf = sf;
	return 0;
}

/* --- legacy set actions ------------------------------------------------------- */

static int parse_mac_action(struct ofpact_parser *p,
			    const struct ofp_kv *kv, enum ofpact_type t)
{
	struct ofpact_mac *a;
	uint8_t mac[6];

	if (ofpact_p_need_arg(p, kv, "Ethernet address"))
		return -EINVAL;
	if (ofp_parse_mac(kv->val, kv->vlen, mac))
		return ofpact_p_fail(p, kv, "%.*s: invalid Ethernet address", (int)kv->vlen,
			    kv->val);
	a = (struct ofpact_mac *)(void *)ofpact_put(p->out, t, sizeof *a);
	if (a)
		memcpy(a->mac, mac, 6);
	return 0;
}

static int parse_ip_action(struct ofpact_parser *p, const struct ofp_kv *kv,
			   enum ofpact_type t)
{
	uint32_t ip;

	if (ofpact_p_need_arg(p, kv, "IP address"))
		return -EINVAL;
	if (ofp_parse_ipv4(kv->val, kv->vlen, &ip))
		return ofpact_p_fail(p, kv, "%.*s: invalid IP address", (int)kv->vlen,
			    kv->val);
	ofpact_p_put_u32(p, t, ip);
	return 0;
}

/* mod_vlan_vid:N and the like: an integer argument with a bound. */
static int parse_int_action(struct ofpact_parser *p,
			    const struct ofp_kv *kv, enum ofpact_type t,
			    uint64_t max, const char *what)
{
	uint64_t x;

	if (ofpact_p_arg_u64(p, kv, max, &x, what))
		return -EINVAL;
	if (t == OFPACT_SET_IP_DSCP && (x & 3))
		return ofpact_p_fail(p, kv, "not a valid TOS");
	ofpact_p_put_u32(p, t, x);
	return 0;
}

static int parse_ethertype_action(struct ofpact_parser *p,
				  const struct ofp_kv *kv, enum ofpact_type t)
{
	uint64_t x;

	if (ofpact_p_arg_u64(p, kv, UINT16_MAX, &x, "ethertype"))
		return -EINVAL;
	if (t == OFPACT_PUSH_VLAN && x != 0x8100 && x != 0x88a8)
		return ofpact_p_fail(p, kv, "not a valid VLAN ethertype");
	if (t == OFPACT_PUSH_MPLS && x != 0x8847 && x != 0x8848)
		return ofpact_p_fail(p, kv, "not a valid MPLS ethertype");
	ofpact_p_put_u32(p, t, x);
	return 0;
}

static int parse_nested(struct ofpact_parser *p, const struct ofp_kv *kv,
			enum ofpact_type t)
{
	size_t ofs = ofpact_nest_start(p->out, t, sizeof(struct ofpact));
	int r = ofpact_p_list(p, kv->val, kv->vlen, ofpact_p_val_col(kv));

	ofpact_nest_end(p->out, ofs);
	/* An empty action set changes nothing: write_actions(drop) is dropped,
	 * as Open vSwitch does. */
	if (!r && t == OFPACT_WRITE_ACTIONS && p->out->len == ofs + OFPACT_ALIGN)
		buf_truncate(p->out, ofs);
	return r;
}

static int parse_write_metadata(struct ofpact_parser *p,
				const struct ofp_kv *kv)
{
	const char *slash = memchr(kv->val, '/', kv->vlen);
	size_t vl = slash ? (size_t)(slash - kv->val) : kv->vlen;
	struct ofpact_write_metadata *a;
	uint64_t v, m = UINT64_MAX;

	if (ofpact_p_need_arg(p, kv, "metadata"))
		return -EINVAL;
	if (ofp_parse_u64(kv->val, vl, UINT64_MAX, &v) ||
	    (slash && ofp_parse_u64(slash + 1, kv->vlen - vl - 1, UINT64_MAX, &m)))
		return ofpact_p_fail(p, kv, "bad metadata value");
	a = (struct ofpact_write_metadata *)(void *)
		ofpact_put(p->out, OFPACT_WRITE_METADATA, sizeof *a);
	if (a) {
		a->metadata = v;
		a->mask = m;
	}
	return 0;
}

/* --- the list ----------------------------------------------------------------- */

static int parse_item(struct ofpact_parser *p, const struct ofp_kv *kv,
		      bool *drop)
{
	const char *k = kv->key;
	size_t n = kv->klen;
	uint64_t x;
	uint16_t port;
	uint8_t table;

#define IS(w) ofp_word_is(k, n, w)
	if (IS("output"))
		return parse_output(p, kv);
	if (IS("controller"))
		return parse_controller(p, kv);
	if (IS("enqueue"))
		return parse_enqueue(p, kv);
	if (IS("resubmit"))
		return parse_resubmit(p, kv);
	if (IS("set_field"))
		return parse_set_field(p, kv);
	if (IS("load"))
		return parse_load(p, kv);
	if (IS("move"))
		return parse_move(p, kv);
	if (IS("push"))
		return parse_stack(p, kv, OFPACT_STACK_PUSH);
	if (IS("pop"))
		return parse_stack(p, kv, OFPACT_STACK_POP);
	if (IS("mod_vlan_vid") || IS("set_vlan_vid"))
		return parse_int_action(p, kv, OFPACT_SET_VLAN_VID, 4095, "VLAN VID");
	if (IS("mod_vlan_pcp") || IS("set_vlan_pcp"))
		return parse_int_action(p, kv, OFPACT_SET_VLAN_PCP, 7, "VLAN PCP");
	if (IS("strip_vlan") || IS("pop_vlan"))
		return put_plain(p, OFPACT_STRIP_VLAN);
	if (IS("push_vlan"))
		return parse_ethertype_action(p, kv, OFPACT_PUSH_VLAN);
	if (IS("mod_dl_src"))
		return parse_mac_action(p, kv, OFPACT_SET_ETH_SRC);
	if (IS("mod_dl_dst"))
		return parse_mac_action(p, kv, OFPACT_SET_ETH_DST);
	if (IS("mod_nw_src"))
		return parse_ip_action(p, kv, OFPACT_SET_IPV4_SRC);
	if (IS("mod_nw_dst"))
		return parse_ip_action(p, kv, OFPACT_SET_IPV4_DST);
	if (IS("mod_nw_tos"))
		return parse_int_action(p, kv, OFPACT_SET_IP_DSCP, 255, "TOS");
	if (IS("mod_nw_ecn"))
		return parse_int_action(p, kv, OFPACT_SET_IP_ECN, 3, "ECN");
	if (IS("mod_nw_ttl") || IS("set_nw_ttl"))
		return parse_int_action(p, kv, OFPACT_SET_IP_TTL, 255, "TTL");
	if (IS("mod_tp_src"))
		return parse_int_action(p, kv, OFPACT_SET_L4_SRC_PORT, 65535, "port");
	if (IS("mod_tp_dst"))
		return parse_int_action(p, kv, OFPACT_SET_L4_DST_PORT, 65535, "port");
	if (IS("push_mpls"))
		return parse_ethertype_action(p, kv, OFPACT_PUSH_MPLS);
	if (IS("pop_mpls"))
		return parse_ethertype_action(p, kv, OFPACT_POP_MPLS);
	if (IS("set_mpls_label")) {
		if (ofpact_p_need_arg(p, kv, "label"))
			return -EINVAL;
		return parse_int_action(p, kv, OFPACT_SET_MPLS_LABEL, 0xfffff,
					"MPLS label");
	}
	if (IS("set_mpls_tc")) {
		if (ofpact_p_need_arg(p, kv, "tc"))
			return -EINVAL;
		return parse_int_action(p, kv, OFPACT_SET_MPLS_TC, 7, "MPLS TC");
	}
	if (IS("set_mpls_ttl")) {
		if (ofpact_p_need_arg(p, kv, "ttl"))
			return -EINVAL;
		if (ofp_parse_u64(kv->val, kv->vlen, 255, &x))
			return ofpact_p_fail(p, kv, "invalid MPLS TTL \"%.*s\"", (int)kv->vlen,
				    kv->val);
		ofpact_p_put_u32(p, OFPACT_SET_MPLS_TTL, x);
		return 0;
	}
	if (IS("dec_mpls_ttl"))
		return put_plain(p, OFPACT_DEC_MPLS_TTL);
	if (IS("dec_ttl"))
		return ofpact_p_dec_ttl(p, kv);
	if (IS("set_tunnel"))
		return ofpact_p_set_tunnel(p, kv, false);
	if (IS("set_tunnel64"))
		return ofpact_p_set_tunnel(p, kv, true);
	if (IS("set_queue"))
		return parse_int_action(p, kv, OFPACT_SET_QUEUE, UINT32_MAX, "queue");
	if (IS("pop_queue"))
		return put_plain(p, OFPACT_POP_QUEUE);
	if (IS("note"))
		return ofpact_p_note(p, kv);
	if (IS("exit"))
		return put_plain(p, OFPACT_EXIT);
	if (IS("fin_timeout"))
		return ofpact_p_fin_timeout(p, kv);
	if (IS("sample"))
		return ofpact_p_sample(p, kv);
	if (IS("check_pkt_larger"))
		return ofpact_p_check_pkt_larger(p, kv);
	if (IS("clone"))
		return parse_nested(p, kv, OFPACT_CLONE);
	if (IS("ct"))
		return ofpact_p_ct(p, kv);
	if (IS("nat"))
		return ofpact_p_fail(p, kv, "Cannot have NAT action outside of \"ct\" action");
	if (IS("ct_clear"))
		return put_plain(p, OFPACT_CT_CLEAR);
	if (IS("clear_actions"))
		return put_plain(p, OFPACT_CLEAR_ACTIONS);
	if (IS("write_actions"))
		return parse_nested(p, kv, OFPACT_WRITE_ACTIONS);
	if (IS("write_metadata"))
		return parse_write_metadata(p, kv);
	if (IS("goto_table")) {
		if (parse_table(kv->val, kv->vlen, &table))
			return ofpact_p_fail(p, kv, "unknown table \"%.*s\"", (int)kv->vlen,
				    kv->val);
		ofpact_p_put_u32(p, OFPACT_GOTO_TABLE, table);
		return 0;
	}
	if (IS("drop")) {
		*drop = true;
		return 0;
	}
	if (IS("apply_actions"))
		return ofpact_p_fail(p, kv, "apply_actions is the default instruction");
	if (IS("multipath") || IS("bundle") || IS("bundle_load") || IS("learn") ||
	    IS("conjunction") || IS("group") || IS("meter") || IS("encap") ||
	    IS("decap") || IS("dec_nsh_ttl") || IS("delete_field") ||
	    IS("unroll_xlate") || IS("debug_recirc") || IS("debug_slow"))
		return ofpact_p_fail(p, kv, "action %.*s is not supported by dpkit",
			    (int)n, k);
#undef IS
	if (!kv->delim && !ofp_port_parse(k, n, p->names, &port))
		return put_output(p, kv, port);
	return ofpact_p_fail(p, kv, "unknown action %.*s", (int)n, k);
}

int ofpact_p_list(struct ofpact_parser *p, const char *s, size_t len,
		  size_t col0)
{
	size_t start = p->out->len;
	struct ofp_scan sc;
	struct ofp_kv kv;
	bool drop = false;
	int r = 0;

	if (++p->depth > MAX_DEPTH) {
		p->depth--;
		return dp_err_set(p->err, EINVAL, "column %zu: actions nested too deeply",
				  col0);
	}
	ofp_scan_init(&sc, s, len, col0);
	while (ofp_scan_next(&sc, &kv)) {
		r = parse_item(p, &kv, &drop);
		if (r)
			break;
	}
	if (!r && drop && p->out->len > start)
		r = dp_err_set(p->err, EINVAL,
			       "column %zu: \"drop\" must not be accompanied by any other action or instruction",
			       col0);
	p->depth--;
	return r;
}

int ofpacts_from_text(const char *s, size_t len, size_t col0,
		      struct buf *out, const struct ofp_names *names,
		      struct dp_err *err)
{
	struct ofpact_parser p = { out, names, err, 0 };
	size_t start = out->len;
	int r = ofpact_p_list(&p, s, len, col0 ? col0 : 1);

	if (!r && !buf_ok(out))
		r = dp_err_set(err, ENOMEM, "out of memory");
	if (r)
		buf_truncate(out, start);
	return r;
}

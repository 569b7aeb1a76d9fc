/*
 * ofp_actions_parse.c - ovs-ofctl action syntax into action records.
 */
#include "ofp_actions_text.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "ofp_match_text.h"

#define MAX_DEPTH 8

struct parser {
	struct buf *out;
	const struct ofp_names *names;
	struct dp_err *err;
	int depth;
};

/* An error about item 'kv': "column N: KEY:VALUE: message". */
static int fail(struct parser *p, const struct ofp_kv *kv, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct parser *p, const struct ofp_kv *kv, const char *fmt, ...)
{
	char msg[DP_ERR_MSG_MAX];
	size_t end = kv->tlen;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return dp_err_set(p->err, EINVAL, "column %zu: %.*s: %s", kv->col,
			  (int)end, kv->key, msg);
}

static size_t val_col(const struct ofp_kv *kv)
{
	return kv->col + (size_t)(kv->val - kv->key);
}

static int parse_list(struct parser *p, const char *s, size_t len,
		      size_t col0);

static int need_arg(struct parser *p, const struct ofp_kv *kv, const char *what)
{
	if (!kv->vlen)
		return fail(p, kv, "expected %s.", what);
	return 0;
}

static int arg_u64(struct parser *p, const struct ofp_kv *kv, uint64_t max,
		   uint64_t *x, const char *what)
{
	if (need_arg(p, kv, what))
		return -EINVAL;
	if (ofp_parse_u64(kv->val, kv->vlen, max, x))
		return fail(p, kv, "not a valid %s", what);
	return 0;
}

static struct ofpact_u32 *put_u32(struct parser *p, enum ofpact_type t,
				  uint64_t v)
{
	struct ofpact_u32 *a = (struct ofpact_u32 *)(void *)
		ofpact_put(p->out, t, sizeof *a);

	if (a)
		a->value = (uint32_t)v;
	return a;
}

static int put_plain(struct parser *p, enum ofpact_type t)
{
	ofpact_put(p->out, t, sizeof(struct ofpact));
	return 0;
}

static int find(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= len; i++)
		if (!memcmp(s + i, needle, n))
			return (int)i;
	return -1;
}

/* --- output-like actions ---------------------------------------------------- */

static int parse_sf(struct parser *p, const struct ofp_kv *kv, const char *s,
		    size_t len, struct ofpact_sf *out)
{
	struct ofp_subfield sf;
	struct dp_err e;

	if (ofp_subfield_parse(s, len, &sf, &e))
		return fail(p, kv, "%s", e.msg);
	out->field = (uint8_t)sf.field->id;
	out->ofs = sf.ofs;
	out->n_bits = sf.n_bits;
	return 0;
}

static int parse_trunc(struct parser *p, const struct ofp_kv *kv)
{
	struct ofpact_output_trunc *a;
	struct ofp_scan sc;
	struct ofp_kv it;
	uint16_t port = OFPP_NONE;
	uint64_t max_len = 0;
	bool have_len = false;

	ofp_scan_init(&sc, kv->val, kv->vlen, val_col(kv));
	while (ofp_scan_next(&sc, &it)) {
		if (ofp_word_is(it.key, it.klen, "port")) {
			if (ofp_port_parse(it.val, it.vlen, p->names, &port))
				return fail(p, kv, "output to unknown truncate port: %.*s",
					    (int)it.vlen, it.val);
		} else if (ofp_word_is(it.key, it.klen, "max_len")) {
			if (ofp_parse_u64(it.val, it.vlen, UINT32_MAX, &max_len))
				return fail(p, kv, "bad max_len '%.*s'", (int)it.vlen,
					    it.val);
			have_len = true;
		} else {
			return fail(p, kv, "invalid key '%.*s' in output_trunc argument",
				    (int)it.klen, it.key);
		}
	}
	if (port == OFPP_NONE || !have_len)
		return fail(p, kv, "output(...) needs port= and max_len=");
	if (port >= OFPP_MAX && port != OFPP_LOCAL && port != OFPP_IN_PORT)
		return fail(p, kv, "output to unsupported truncate port: %.*s",
			    (int)kv->vlen, kv->val);
	if (max_len < 14)
		return fail(p, kv, "max_len %llu is less than the minimum value 14",
			    (unsigned long long)max_len);
	a = (struct ofpact_output_trunc *)(void *)
		ofpact_put(p->out, OFPACT_OUTPUT_TRUNC, sizeof *a);
	if (a) {
		a->port = port;
		a->max_len = (uint32_t)max_len;
	}
	return 0;
}

static int put_output(struct parser *p, const struct ofp_kv *kv, uint16_t port)
{
	struct ofpact_output *a;

	if (port == OFPP_NONE)
		return fail(p, kv, "not a valid output port");
	a = (struct ofpact_output *)(void *)
		ofpact_put(p->out, OFPACT_OUTPUT, sizeof *a);
	if (a) {
		a->port = port;
		a->max_len = port == OFPP_CONTROLLER ? UINT16_MAX : 0;
	}
	return 0;
}

static int parse_output(struct parser *p, const struct ofp_kv *kv)
{
	struct ofpact_output_reg *r;
	struct ofpact_sf sf = { 0, 0, 0, 0 };
	uint16_t port;

	if (kv->delim == '(' || (find(kv->val, kv->vlen, "port") >= 0 &&
				 find(kv->val, kv->vlen, "max_len") >= 0))
		return parse_trunc(p, kv);
	if (need_arg(p, kv, "port"))
		return -EINVAL;
	if (!memchr(kv->val, '[', kv->vlen) &&
	    !ofp_port_parse(kv->val, kv->vlen, p->names, &port))
		return put_output(p, kv, port);
	if (!memchr(kv->val, '[', kv->vlen) &&
	    !ofp_field_by_name(kv->val, kv->vlen))
		return fail(p, kv, "%.*s: output to unknown port", (int)kv->vlen,
			    kv->val);
	if (parse_sf(p, kv, kv->val, kv->vlen, &sf))
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

static int parse_controller(struct parser *p, const struct ofp_kv *kv)
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

		ofp_scan_init(&sc, kv->val, kv->vlen, val_col(kv));
		while (ofp_scan_next(&sc, &it)) {
			if (ofp_word_is(it.key, it.klen, "reason")) {
				unsigned i;

				for (i = 0; i < OFPR_N_REASONS; i++)
					if (ofp_word_is(it.val, it.vlen, reasons[i]))
						break;
				if (i == OFPR_N_REASONS) {
					r = fail(p, kv, "unknown reason \"%.*s\"",
						 (int)it.vlen, it.val);
					goto out;
				}
				c.reason = (uint8_t)i;
			} else if (ofp_word_is(it.key, it.klen, "max_len")) {
				if (ofp_parse_u64(it.val, it.vlen, UINT16_MAX, &x)) {
					r = fail(p, kv, "bad max_len");
					goto out;
				}
				c.max_len = (uint16_t)x;
			} else if (ofp_word_is(it.key, it.klen, "id")) {
				if (ofp_parse_u64(it.val, it.vlen, UINT16_MAX, &x)) {
					r = fail(p, kv, "bad id");
					goto out;
				}
				c.controller_id = (uint16_t)x;
			} else if (ofp_word_is(it.key, it.klen, "userdata")) {
				buf_clear(&ud);
				if (ofp_parse_hex_bytes(it.val, it.vlen, &ud)) {
					r = fail(p, kv, "bad hex digit in `controller' action `userdata'");
					goto out;
				}
			} else if (ofp_word_is(it.key, it.klen, "pause")) {
				c.pause = 1;
			} else {
				r = fail(p, kv, "unknown key \"%.*s\" parsing controller action",
					 (int)it.klen, it.key);
				goto out;
			}
		}
	} else if (kv->vlen) {
		if (ofp_parse_u64(kv->val, kv->vlen, UINT16_MAX, &x)) {
			r = fail(p, kv, "bad max_len");
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

static int parse_enqueue(struct parser *p, const struct ofp_kv *kv)
{
	const char *sep = memchr(kv->val, kv->delim == '(' ? ',' : ':', kv->vlen);
	struct ofpact_enqueue *a;
	uint16_t port;
	uint64_t q;
	size_t pl;

	if (!sep)
		return fail(p, kv, "\"enqueue\" syntax is \"enqueue:PORT:QUEUE\" or \"enqueue(PORT,QUEUE)\"");
	pl = (size_t)(sep - kv->val);
	if (ofp_port_parse(kv->val, pl, p->names, &port))
		return fail(p, kv, "%.*s: enqueue to unknown port", (int)pl, kv->val);
	if (ofp_parse_u64(sep + 1, kv->vlen - pl - 1, UINT32_MAX, &q))
		return fail(p, kv, "bad queue");
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

static int parse_resubmit(struct parser *p, const struct ofp_kv *kv)
{
	struct ofpact_resubmit *a;
	uint16_t port = OFPP_IN_PORT;
	uint8_t table = 255, ct = 0;

	if (kv->delim == '(') {
		const char *s = kv->val, *c1 = memchr(s, ',', kv->vlen);
		size_t l1 = c1 ? (size_t)(c1 - s) : kv->vlen;

		if (l1 && ofp_port_parse(s, l1, p->names, &port))
			return fail(p, kv, "%.*s: resubmit to unknown port", (int)l1, s);
		if (c1) {
			const char *t = c1 + 1;
			size_t rest = kv->vlen - l1 - 1;
			const char *c2 = memchr(t, ',', rest);
			size_t l2 = c2 ? (size_t)(c2 - t) : rest;
			uint64_t x;

			if (l2 && (ofp_parse_u64(t, l2, 255, &x)))
				return fail(p, kv, "%.*s: resubmit to unknown table",
					    (int)l2, t);
			if (l2)
				table = (uint8_t)x;
			if (c2) {
				size_t l3 = rest - l2 - 1;

				if (!ofp_word_is(c2 + 1, l3, "ct"))
					return fail(p, kv, "%.*s: unknown parameter",
						    (int)l3, c2 + 1);
				ct = 1;
			}
		}
		if (port == OFPP_IN_PORT && table == 255)
			return fail(p, kv, "at least one \"in_port\" or \"table\" must be specified on resubmit");
	} else {
		if (need_arg(p, kv, "port"))
			return -EINVAL;
		if (ofp_port_parse(kv->val, kv->vlen, p->names, &port))
			return fail(p, kv, "%.*s: resubmit to unknown port",
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

static int split_arrow(struct parser *p, const struct ofp_kv *kv, size_t *vl,
		       const char **dst, size_t *dl)
{
	int i = find(kv->val, kv->vlen, "->");

	if (i < 0)
		return fail(p, kv, "%.*s: missing `->'", (int)kv->vlen, kv->val);
	*vl = (size_t)i;
	*dst = kv->val + i + 2;
	*dl = kv->vlen - (size_t)i - 2;
	if (!*dl)
		return fail(p, kv, "%.*s: missing field name following `->'",
			    (int)kv->vlen, kv->val);
	return 0;
}

static void put_set_field(struct parser *p, const struct ofp_field *f,
			  const union ofp_value *v, const union ofp_value *m,
			  uint8_t spelling)
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

static int parse_set_field(struct parser *p, const struct ofp_kv *kv)
{
	const struct ofp_field *f;
	union ofp_value v, m;
	const char *dst, *why;
	size_t vl, dl;

	if (split_arrow(p, kv, &vl, &dst, &dl))
		return -EINVAL;
	f = ofp_field_by_name(dst, dl);
	if (!f)
		return fail(p, kv, "%.*s is not a valid OXM field name", (int)dl, dst);
	if (!f->writable)
		return fail(p, kv, "%.*s is read-only", (int)dl, dst);
	if (ofp_field_parse_value(f, kv->val, vl, p->names, &v, &m, &why))
		return fail(p, kv, "%.*s: %s", (int)vl, kv->val, why);
	if (f->id == OFP_F_IP_DSCP && ofp_value_u64(&v) > 63)
		return fail(p, kv, "%.*s is not a valid value for field ip_dscp",
			    (int)vl, kv->val);
	if (f->id == OFP_F_NW_TOS && (ofp_value_u64(&v) & 3))
		return fail(p, kv, "%.*s is not a valid value for field nw_tos",
			    (int)vl, kv->val);
	put_set_field(p, f, &v, &m, OFPACT_SF_SET_FIELD);
	return 0;
}

static int parse_load(struct parser *p, const struct ofp_kv *kv)
{
	const struct ofp_field *f;
	union ofp_value v, w, m;
	struct ofpact_sf sf = { 0, 0, 0, 0 };
	const char *dst;
	size_t vl, dl;

	if (split_arrow(p, kv, &vl, &dst, &dl))
		return -EINVAL;
	if (!vl)
		return fail(p, kv, "missing source before `->'");
	if (parse_sf(p, kv, dst, dl, &sf))
		return -EINVAL;
	f = ofp_field_get(sf.field);
	if (!f->writable)
		return fail(p, kv, "%s is read-only", f->name);
	if (ofp_parse_be128(kv->val, vl, v.be))
		return fail(p, kv, "cannot parse integer value");
	ofp_value_bits(&w, &v, 0, sf.n_bits);
	if (memcmp(&w, &v, sizeof v))
		return fail(p, kv, "value %.*s does not fit into %u bits", (int)vl,
			    kv->val, sf.n_bits);
	ofp_value_shift(&v, &v, sf.ofs);
	memset(&m, 0, sizeof m);
	ofp_value_set_bits(&m, sf.ofs, sf.n_bits);
	put_set_field(p, f, &v, &m, OFPACT_SF_LOAD);
	return 0;
}

static int parse_move(struct parser *p, const struct ofp_kv *kv)
{
	struct ofpact_reg_move *a;
	struct ofpact_sf src = { 0, 0, 0, 0 }, dst = { 0, 0, 0, 0 };
	const char *d;
	size_t vl, dl;

	if (split_arrow(p, kv, &vl, &d, &dl))
		return -EINVAL;
	if (parse_sf(p, kv, kv->val, vl, &src) || parse_sf(p, kv, d, dl, &dst))
		return -EINVAL;
	if (!ofp_field_get(src.field)->nxm || !ofp_field_get(dst.field)->nxm)
		return fail(p, kv, "move needs fields with an NXM or OXM name");
	if (!ofp_field_get(dst.field)->writable)
		return fail(p, kv, "%s is read-only", ofp_field_get(dst.field)->name);
	if (src.n_bits != dst.n_bits)
		return fail(p, kv, "bit widths of source (%u) and destination (%u) differ",
			    src.n_bits, dst.n_bits);
	a = (struct ofpact_reg_move *)(void *)
		ofpact_put(p->out, OFPACT_REG_MOVE, sizeof *a);
	if (a) {
		a->src = src;
		a->dst = dst;
	}
	return 0;
}

static int parse_stack(struct parser *p, const struct ofp_kv *kv,
		       enum ofpact_type t)
{
	struct ofpact_stack *a;
	struct ofpact_sf sf = { 0, 0, 0, 0 };
	const char *br = memchr(kv->val, ']', kv->vlen);

	if (need_arg(p, kv, "field"))
		return -EINVAL;
	if (br && (size_t)(br - kv->val) + 1 < kv->vlen)
		return fail(p, kv, "%.*s: trailing garbage following push or pop",
			    (int)(kv->vlen - (size_t)(br - kv->val) - 1), br + 1);
	if (parse_sf(p, kv, kv->val, kv->vlen, &sf))
		return -EINVAL;
	if (t == OFPACT_STACK_POP && !ofp_field_get(sf.field)->writable)
		return fail(p, kv, "%s is read-only", ofp_field_get(sf.field)->name);
	a = (struct ofpact_stack *)(void *)ofpact_put(p->out, t, sizeof *a);
	if (a)
		a->sf = sf;
	return 0;
}

static int parse_check_pkt_larger(struct parser *p, const struct ofp_kv *kv)
{
	struct ofpact_check_pkt_larger *a;
	int i = find(kv->val, kv->vlen, ")->");
	struct ofpact_sf sf = { 0, 0, 0, 0 };
	uint64_t n;

	if (kv->delim != '(' || i < 0)
		return fail(p, kv, "syntax is check_pkt_larger(LEN)->FIELD[BIT]");
	if (ofp_parse_u64(kv->val, (size_t)i, UINT16_MAX, &n))
		return fail(p, kv, "bad packet length");
	if (parse_sf(p, kv, kv->val + i + 3, kv->vlen - (size_t)i - 3, &sf))
		return -EINVAL;
	if (sf.n_bits != 1)
		return fail(p, kv, "Only 1-bit destination field is allowed");
	a = (struct ofpact_check_pkt_larger *)(void *)
		ofpact_put(p->out, OFPACT_CHECK_PKT_LARGER, sizeof *a);
	if (a) {
		a->pkt_len = (uint16_t)n;
		a->dst = sf;
	}
	return 0;
}

/* --- legacy set actions ------------------------------------------------------- */

static int parse_mac_action(struct parser *p, const struct ofp_kv *kv,
			    enum ofpact_type t)
{
	struct ofpact_mac *a;
	uint8_t mac[6];

	if (need_arg(p, kv, "Ethernet address"))
		return -EINVAL;
	if (ofp_parse_mac(kv->val, kv->vlen, mac))
		return fail(p, kv, "%.*s: invalid Ethernet address", (int)kv->vlen,
			    kv->val);
	a = (struct ofpact_mac *)(void *)ofpact_put(p->out, t, sizeof *a);
	if (a)
		memcpy(a->mac, mac, 6);
	return 0;
}

static int parse_ip_action(struct parser *p, const struct ofp_kv *kv,
			   enum ofpact_type t)
{
	uint32_t ip;

	if (need_arg(p, kv, "IP address"))
		return -EINVAL;
	if (ofp_parse_ipv4(kv->val, kv->vlen, &ip))
		return fail(p, kv, "%.*s: invalid IP address", (int)kv->vlen,
			    kv->val);
	put_u32(p, t, ip);
	return 0;
}

/* mod_vlan_vid:N and the like: an integer argument with a bound. */
static int parse_int_action(struct parser *p, const struct ofp_kv *kv,
			    enum ofpact_type t, uint64_t max, const char *what)
{
	uint64_t x;

	if (arg_u64(p, kv, max, &x, what))
		return -EINVAL;
	if (t == OFPACT_SET_IP_DSCP && (x & 3))
		return fail(p, kv, "not a valid TOS");
	put_u32(p, t, x);
	return 0;
}

static int parse_ethertype_action(struct parser *p, const struct ofp_kv *kv,
				  enum ofpact_type t)
{
	uint64_t x;

	if (arg_u64(p, kv, UINT16_MAX, &x, "ethertype"))
		return -EINVAL;
	if (t == OFPACT_PUSH_VLAN && x != 0x8100 && x != 0x88a8)
		return fail(p, kv, "not a valid VLAN ethertype");
	if (t == OFPACT_PUSH_MPLS && x != 0x8847 && x != 0x8848)
		return fail(p, kv, "not a valid MPLS ethertype");
	put_u32(p, t, x);
	return 0;
}

static int parse_dec_ttl(struct parser *p, const struct ofp_kv *kv)
{
	struct ofpact_dec_ttl *a;
	uint16_t ids[64];
	size_t n = 0, i;

	if (kv->delim == '(') {
		struct ofp_scan sc;
		struct ofp_kv it;
		uint64_t x;

		ofp_scan_init(&sc, kv->val, kv->vlen, val_col(kv));
		while (ofp_scan_next(&sc, &it)) {
			if (n == 64 || ofp_parse_u64(it.key, it.klen, UINT16_MAX, &x))
				return fail(p, kv, "bad controller id");
			ids[n++] = (uint16_t)x;
		}
		if (!n)
			return fail(p, kv, "dec_ttl_cnt_ids: expected at least one controller id.");
	} else {
		ids[n++] = 0;
	}
	a = (struct ofpact_dec_ttl *)(void *)
		ofpact_put(p->out, OFPACT_DEC_TTL, sizeof *a + n * 2);
	if (a) {
		a->a.spelling = kv->delim == '(';
		a->n_ids = (uint16_t)n;
		for (i = 0; i < n; i++)
			a->ids[i] = ids[i];
	}
	return 0;
}

static int parse_set_tunnel(struct parser *p, const struct ofp_kv *kv, bool is64)
{
	struct ofpact_u64 *a;
	uint64_t x;

	if (arg_u64(p, kv, UINT64_MAX, &x, "tunnel id"))
		return -EINVAL;
	a = (struct ofpact_u64 *)(void *)
		ofpact_put(p->out, OFPACT_SET_TUNNEL, sizeof *a);
	if (a) {
		a->a.spelling = is64;
		a->value = x;
	}
	return 0;
}

static int parse_note(struct parser *p, const struct ofp_kv *kv)
{
	struct buf b = BUF_INIT;
	struct ofpact_note *a;
	size_t padded;

	if (ofp_parse_hex_bytes(kv->val, kv->vlen, &b)) {
		buf_free(&b);
		return fail(p, kv, "bad hex digit in `note' argument");
	}
	/* The switch stores a note padded so that its 10-byte header and the
	 * data fill whole 8-byte units; ovs-ofctl shows the padding. */
	padded = ((10 + b.len + 7) / 8) * 8 - 10;
	a = (struct ofpact_note *)(void *)
		ofpact_put(p->out, OFPACT_NOTE, sizeof *a + padded);
	if (a) {
		a->len = (uint16_t)padded;
		if (b.len)
			memcpy(a->data, b.data, b.len);
	}
	buf_free(&b);
	return 0;
}

static int parse_fin_timeout(struct parser *p, const struct ofp_kv *kv)
{
	struct ofpact_fin_timeout *a;
	uint64_t idle = 0, hard = 0;
	struct ofp_scan sc;
	struct ofp_kv it;

	ofp_scan_init(&sc, kv->val, kv->vlen, val_col(kv));
	while (ofp_scan_next(&sc, &it)) {
		uint64_t *dst = ofp_word_is(it.key, it.klen, "idle_timeout") ? &idle :
				ofp_word_is(it.key, it.klen, "hard_timeout") ? &hard :
				NULL;

		if (!dst)
			return fail(p, kv, "invalid key '%.*s' in 'fin_timeout' argument",
				    (int)it.klen, it.key);
		if (ofp_parse_u64(it.val, it.vlen, UINT16_MAX, dst))
			return fail(p, kv, "bad timeout");
	}
	a = (struct ofpact_fin_timeout *)(void *)
		ofpact_put(p->out, OFPACT_FIN_TIMEOUT, sizeof *a);
	if (a) {
		a->idle = (uint16_t)idle;
		a->hard = (uint16_t)hard;
	}
	return 0;
}

static int parse_sample(struct parser *p, const struct ofp_kv *kv)
{
	struct ofpact_sample s, *a;
	struct ofp_scan sc;
	struct ofp_kv it;
	uint64_t x;

	memset(&s, 0, sizeof s);
	s.sampling_port = OFPP_NONE;
	ofp_scan_init(&sc, kv->val, kv->vlen, val_col(kv));
	while (ofp_scan_next(&sc, &it)) {
		if (ofp_word_is(it.key, it.klen, "probability")) {
			if (ofp_parse_u64(it.val, it.vlen, UINT16_MAX, &x) || !x)
				return fail(p, kv, "invalid probability value \"%.*s\"",
					    (int)it.vlen, it.val);
			s.probability = (uint16_t)x;
		} else if (ofp_word_is(it.key, it.klen, "collector_set_id")) {
			if (ofp_parse_u64(it.val, it.vlen, UINT32_MAX, &x))
				return fail(p, kv, "bad collector_set_id");
			s.collector_set_id = (uint32_t)x;
		} else if (ofp_word_is(it.key, it.klen, "obs_domain_id")) {
			if (ofp_parse_u64(it.val, it.vlen, UINT32_MAX, &x))
				return fail(p, kv, "bad obs_domain_id");
			s.obs_domain_id = (uint32_t)x;
		} else if (ofp_word_is(it.key, it.klen, "obs_point_id")) {
			if (ofp_parse_u64(it.val, it.vlen, UINT32_MAX, &x))
				return fail(p, kv, "bad obs_point_id");
			s.obs_point_id = (uint32_t)x;
		} else if (ofp_word_is(it.key, it.klen, "sampling_port")) {
			if (ofp_port_parse(it.val, it.vlen, p->names, &s.sampling_port))
				return fail(p, kv, "%.*s: unknown port", (int)it.vlen,
					    it.val);
		} else if (ofp_word_is(it.key, it.klen, "ingress")) {
			s.direction = OFP_SAMPLE_INGRESS;
		} else if (ofp_word_is(it.key, it.klen, "egress")) {
			s.direction = OFP_SAMPLE_EGRESS;
		} else {
			return fail(p, kv, "invalid key \"%.*s\" in \"sample\" argument",
				    (int)it.klen, it.key);
		}
	}
	if (!s.probability)
		return fail(p, kv, "non-zero \"probability\" must be specified on sample");
	a = (struct ofpact_sample *)(void *)
		ofpact_put(p->out, OFPACT_SAMPLE, sizeof *a);
	if (a) {
		s.a = a->a;
		*a = s;
	}
	return 0;
}

/* --- conntrack ------------------------------------------------------------------ */

/* "10.0.0.1-10.0.0.9:1000-2000", "[fe80::1]-[fe80::9]:80", "fe80::1". */
static int parse_nat_range(struct parser *p, const struct ofp_kv *kv,
			   const char *s, size_t len, struct ofpact_nat *n)
{
	size_t i = 0, a0, a1;
	bool v6 = memchr(s, ':', len) && (s[0] == '[' || !memchr(s, '.', len));
	bool br = len && s[0] == '[';
	uint64_t port;

	/* The address part ends at the port colon: for IPv6 only after ']'. */
	if (v6 && !br) {
		if (ofp_parse_ipv6(s, find(s, len, "-") < 0 ? len :
				   (size_t)find(s, len, "-"), n->addr_min))
			goto bad;
		if (find(s, len, "-") >= 0) {
			size_t d = (size_t)find(s, len, "-");

			if (ofp_parse_ipv6(s + d + 1, len - d - 1, n->addr_max))
				goto bad;
		}
		n->af = AF_INET6;
		goto check;
	}
	for (a0 = 0; a0 < 2; a0++) {
		uint8_t *dst = a0 ? n->addr_max : n->addr_min;

		if (br) {
			if (i >= len || s[i] != '[')
				goto bad;
			a1 = ++i;
			while (i < len && s[i] != ']')
				i++;
			if (i >= len || ofp_parse_ipv6(s + a1, i - a1, dst))
				goto bad;
			i++;
		} else {
			uint32_t ip;

			a1 = i;
			while (i < len && (s[i] == '.' || (s[i] >= '0' && s[i] <= '9')))
				i++;
			if (ofp_parse_ipv4(s + a1, i - a1, &ip))
				goto bad;
			memcpy(dst, &ip, 4);
		}
		if (i < len && s[i] == '-' && a0 == 0) {
			i++;
			continue;
		}
		break;
	}
	n->af = br ? AF_INET6 : AF_INET;
	if (i < len && s[i] == ':') {
		size_t p0 = ++i;

		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (ofp_parse_u64(s + p0, i - p0, UINT16_MAX, &port))
			goto bad;
		n->port_min = (uint16_t)port;
		if (i < len && s[i] == '-') {
			p0 = ++i;
			while (i < len && s[i] >= '0' && s[i] <= '9')
				i++;
			if (ofp_parse_u64(s + p0, i - p0, UINT16_MAX, &port))
				goto bad;
			n->port_max = (uint16_t)port;
		}
	}
	if (i < len)
		return fail(p, kv, "garbage (%.*s) after nat range \"%.*s\" (pos: %zu)",
			    (int)(len - i), s + i, (int)len, s, i);
check:
	if (memcmp(n->addr_max, (const uint8_t[16]){ 0 }, 16) &&
	    memcmp(n->addr_max, n->addr_min, n->af == AF_INET ? 4 : 16) < 0)
		return fail(p, kv, "invalid nat range \"%.*s\"", (int)len, s);
	if (n->port_max && n->port_max < n->port_min)
		return fail(p, kv, "invalid nat range \"%.*s\"", (int)len, s);
	return 0;
bad:
	return fail(p, kv, "invalid nat range \"%.*s\"", (int)len, s);
}

static int parse_nat(struct parser *p, const struct ofp_kv *kv)
{
	struct ofpact_nat n, *a;
	struct ofp_scan sc;
	struct ofp_kv it;

	memset(&n, 0, sizeof n);
	ofp_scan_init(&sc, kv->val, kv->vlen, val_col(kv));
	while (ofp_scan_next(&sc, &it)) {
		bool src = ofp_word_is(it.key, it.klen, "src");

		if (src || ofp_word_is(it.key, it.klen, "dst")) {
			if (n.flags & (OFP_NAT_SRC | OFP_NAT_DST))
				return fail(p, kv, "May only specify one of \"src\" or \"dst\".");
			n.flags |= src ? OFP_NAT_SRC : OFP_NAT_DST;
			if (it.vlen && parse_nat_range(p, kv, it.val, it.vlen, &n))
				return -EINVAL;
		} else if (ofp_word_is(it.key, it.klen, "persistent")) {
			n.flags |= OFP_NAT_PERSISTENT;
		} else if (ofp_word_is(it.key, it.klen, "hash")) {
			n.flags |= OFP_NAT_HASH;
		} else if (ofp_word_is(it.key, it.klen, "random")) {
			n.flags |= OFP_NAT_RANDOM;
		} else {
			return fail(p, kv, "invalid key \"%.*s\" in \"nat\" argument",
				    (int)it.klen, it.key);
		}
	}
	if (n.flags && !(n.flags & (OFP_NAT_SRC | OFP_NAT_DST)))
		return fail(p, kv, "Flags allowed only with \"src\" or \"dst\".");
	if ((n.flags & OFP_NAT_HASH) && (n.flags & OFP_NAT_RANDOM))
		return fail(p, kv, "Both \"hash\" and \"random\" are not allowed.");
	a = (struct ofpact_nat *)(void *)ofpact_put(p->out, OFPACT_NAT, sizeof *a);
	if (a) {
		n.a = a->a;
		*a = n;
	}
	return 0;
}

static int parse_ct(struct parser *p, const struct ofp_kv *kv)
{
	struct ofpact_ct ct, *a;
	struct ofp_scan sc;
	struct ofp_kv it;
	size_t ofs = ofpact_nest_start(p->out, OFPACT_CT, sizeof ct);
	struct buf exec = BUF_INIT;
	bool have_nat = false;
	uint64_t x;
	int r = 0;

	memset(&ct, 0, sizeof ct);
	ct.table = OFP_CT_NO_TABLE;
	ofp_scan_init(&sc, kv->val, kv->vlen, val_col(kv));
	while (ofp_scan_next(&sc, &it)) {
		if (ofp_word_is(it.key, it.klen, "commit")) {
			ct.flags |= OFP_CT_COMMIT;
		} else if (ofp_word_is(it.key, it.klen, "force")) {
			ct.flags |= OFP_CT_FORCE;
		} else if (ofp_word_is(it.key, it.klen, "table")) {
			if (ofp_parse_u64(it.val, it.vlen, 255, &x)) {
				r = fail(p, kv, "unknown table %.*s", (int)it.vlen, it.val);
				goto out;
			}
			if (x == 255) {
				r = fail(p, kv, "invalid table 0xff");
				goto out;
			}
			ct.table = (uint8_t)x;
		} else if (ofp_word_is(it.key, it.klen, "zone")) {
			if (it.vlen && it.val[0] >= '0' && it.val[0] <= '9') {
				if (ofp_parse_u64(it.val, it.vlen, UINT16_MAX, &x)) {
					r = fail(p, kv, "bad zone %.*s", (int)it.vlen, it.val);
					goto out;
				}
				ct.zone_imm = (uint16_t)x;
			} else if (parse_sf(p, kv, it.val, it.vlen, &ct.zone_src)) {
				r = -EINVAL;
				goto out;
			} else if (ct.zone_src.n_bits != 16) {
				r = fail(p, kv, "zone needs a 16-bit field");
				goto out;
			}
		} else if (ofp_word_is(it.key, it.klen, "alg")) {
			if (ofp_word_is(it.val, it.vlen, "ftp")) {
				ct.alg = 21;
			} else if (ofp_word_is(it.val, it.vlen, "tftp")) {
				ct.alg = 69;
			} else {
				r = fail(p, kv, "invalid conntrack helper \"%.*s\"",
					 (int)it.vlen, it.val);
				goto out;
			}
		} else if (ofp_word_is(it.key, it.klen, "nat")) {
			if (have_nat) {
				r = fail(p, kv, "only one nat is allowed in ct");
				goto out;
			}
			have_nat = true;
			if ((r = parse_nat(p, &it)))
				goto out;
		} else if (ofp_word_is(it.key, it.klen, "exec")) {
			struct buf *save = p->out;

			p->out = &exec;
			r = parse_list(p, it.val, it.vlen, val_col(&it));
			p->out = save;
			if (r)
				goto out;
		} else {
			r = fail(p, kv, "invalid argument to \"ct\" action: `%.*s'",
				 (int)it.klen, it.key);
			goto out;
		}
	}
	if ((ct.flags & OFP_CT_FORCE) && !(ct.flags & OFP_CT_COMMIT)) {
		r = fail(p, kv, "\"force\" flag requires \"commit\" flag.");
		goto out;
	}
	buf_put(p->out, exec.data, exec.len);
	ofpact_nest_end(p->out, ofs);
	if (buf_ok(p->out)) {
		a = (struct ofpact_ct *)(void *)(p->out->data + ofs);
		ct.a = a->a;
		*a = ct;
	}
out:
	buf_free(&exec);
	return r;
}

static int parse_nested(struct parser *p, const struct ofp_kv *kv,
			enum ofpact_type t)
{
	size_t ofs = ofpact_nest_start(p->out, t, sizeof(struct ofpact));
	int r = parse_list(p, kv->val, kv->vlen, val_col(kv));

	ofpact_nest_end(p->out, ofs);
	/* An empty action set changes nothing: write_actions(drop) is dropped,
	 * as Open vSwitch does. */
	if (!r && t == OFPACT_WRITE_ACTIONS && p->out->len == ofs + OFPACT_ALIGN)
		buf_truncate(p->out, ofs);
	return r;
}

static int parse_write_metadata(struct parser *p, const struct ofp_kv *kv)
{
	const char *slash = memchr(kv->val, '/', kv->vlen);
	size_t vl = slash ? (size_t)(slash - kv->val) : kv->vlen;
	struct ofpact_write_metadata *a;
	uint64_t v, m = UINT64_MAX;

	if (need_arg(p, kv, "metadata"))
		return -EINVAL;
	if (ofp_parse_u64(kv->val, vl, UINT64_MAX, &v) ||
	    (slash && ofp_parse_u64(slash + 1, kv->vlen - vl - 1, UINT64_MAX, &m)))
		return fail(p, kv, "bad metadata value");
	a = (struct ofpact_write_metadata *)(void *)
		ofpact_put(p->out, OFPACT_WRITE_METADATA, sizeof *a);
	if (a) {
		a->metadata = v;
		a->mask = m;
	}
	return 0;
}

/* --- the list ----------------------------------------------------------------- */

static int parse_item(struct parser *p, const struct ofp_kv *kv, bool *drop)
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
		if (need_arg(p, kv, "label"))
			return -EINVAL;
		return parse_int_action(p, kv, OFPACT_SET_MPLS_LABEL, 0xfffff,
					"MPLS label");
	}
	if (IS("set_mpls_tc")) {
		if (need_arg(p, kv, "tc"))
			return -EINVAL;
		return parse_int_action(p, kv, OFPACT_SET_MPLS_TC, 7, "MPLS TC");
	}
	if (IS("set_mpls_ttl")) {
		if (need_arg(p, kv, "ttl"))
			return -EINVAL;
		if (ofp_parse_u64(kv->val, kv->vlen, 255, &x))
			return fail(p, kv, "invalid MPLS TTL \"%.*s\"", (int)kv->vlen,
				    kv->val);
		put_u32(p, OFPACT_SET_MPLS_TTL, x);
		return 0;
	}
	if (IS("dec_mpls_ttl"))
		return put_plain(p, OFPACT_DEC_MPLS_TTL);
	if (IS("dec_ttl"))
		return parse_dec_ttl(p, kv);
	if (IS("set_tunnel"))
		return parse_set_tunnel(p, kv, false);
	if (IS("set_tunnel64"))
		return parse_set_tunnel(p, kv, true);
	if (IS("set_queue"))
		return parse_int_action(p, kv, OFPACT_SET_QUEUE, UINT32_MAX, "queue");
	if (IS("pop_queue"))
		return put_plain(p, OFPACT_POP_QUEUE);
	if (IS("note"))
		return parse_note(p, kv);
	if (IS("exit"))
		return put_plain(p, OFPACT_EXIT);
	if (IS("fin_timeout"))
		return parse_fin_timeout(p, kv);
	if (IS("sample"))
		return parse_sample(p, kv);
	if (IS("check_pkt_larger"))
		return parse_check_pkt_larger(p, kv);
	if (IS("clone"))
		return parse_nested(p, kv, OFPACT_CLONE);
	if (IS("ct"))
		return parse_ct(p, kv);
	if (IS("nat"))
		return fail(p, kv, "Cannot have NAT action outside of \"ct\" action");
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
			return fail(p, kv, "unknown table \"%.*s\"", (int)kv->vlen,
				    kv->val);
		put_u32(p, OFPACT_GOTO_TABLE, table);
		return 0;
	}
	if (IS("drop")) {
		*drop = true;
		return 0;
	}
	if (IS("apply_actions"))
		return fail(p, kv, "apply_actions is the default instruction");
	if (IS("multipath") || IS("bundle") || IS("bundle_load") || IS("learn") ||
	    IS("conjunction") || IS("group") || IS("meter") || IS("encap") ||
	    IS("decap") || IS("dec_nsh_ttl") || IS("delete_field") ||
	    IS("unroll_xlate") || IS("debug_recirc") || IS("debug_slow"))
		return fail(p, kv, "action %.*s is not supported by dpkit",
			    (int)n, k);
#undef IS
	if (!kv->delim && !ofp_port_parse(k, n, p->names, &port))
		return put_output(p, kv, port);
	return fail(p, kv, "unknown action %.*s", (int)n, k);
}

static int parse_list(struct parser *p, const char *s, size_t len, size_t col0)
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
	struct parser p = { out, names, err, 0 };
	size_t start = out->len;
	int r = parse_list(&p, s, len, col0 ? col0 : 1);

	if (!r && !buf_ok(out))
		r = dp_err_set(err, ENOMEM, "out of memory");
	if (r)
		buf_truncate(out, start);
	return r;
}

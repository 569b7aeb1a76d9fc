/*
 * xlate.c - the pipeline: table lookups, resubmit and goto_table, the
 * action walk, the action set, and the entry point.
 *
 * The walk follows Open vSwitch's ofproto-dpif-xlate: actions run in the
 * order written; a resubmit is a nested walk over the actions of the rule
 * it finds (depth and total count bounded); goto_table is the same at the
 * end of a rule's instructions; the action set is kept as written and run
 * once the pipeline ends (OpenFlow's order: pops, pushes, dec_ttl, field
 * writes, then one output).  When the walk must freeze (see xlate.h), the
 * actions not yet run at every level are collected as the levels unwind.
 */
#include "xlate_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classifier.h"
#include "odp_kernel.h"
#include "ofp_actions_text.h"
#include "ofp_match_text.h"

const char *xlate_strerror(enum xlate_error e)
{
	switch (e) {
	case XLATE_OK: return "OK";
	case XLATE_RECURSION_TOO_DEEP: return "Recursion too deep";
	case XLATE_TOO_MANY_RESUBMITS: return "Too many resubmits";
	case XLATE_TOO_MANY_ACTIONS: return "Too many datapath actions";
	case XLATE_STACK_OVERFLOW: return "Stack too deep";
	case XLATE_STACK_UNDERFLOW: return "Stack underflow";
	case XLATE_NO_RECIRC_CONTEXT: return "No recirculation context";
	case XLATE_TOO_MANY_MPLS_LABELS: return "Too many MPLS labels";
	case XLATE_UNSUPPORTED: return "Unsupported by the datapath";
	case XLATE_NO_MEMORY: return "Out of memory";
	}
	return "Unknown error";
}

/* --- the bridge ------------------------------------------------------------- */

void xlate_bridge_init(struct xlate_bridge *br, const char *name,
		       const struct ofp_tables *tables, struct mac_learn *ml,
		       struct xlate_recirc *recirc, uint32_t upcall_pid)
{
	memset(br, 0, sizeof *br);
	snprintf(br->name, sizeof br->name, "%s", name ? name : "br0");
	br->tables = tables;
	br->ml = ml;
	br->recirc = recirc;
	br->upcall_pid = upcall_pid;
}

static int cmp_port(const void *a_, const void *b_)
{
	const struct xlate_port *a = a_, *b = b_;

	return a->dp_port < b->dp_port ? -1 : a->dp_port > b->dp_port;
}

int xlate_bridge_set_ports(struct xlate_bridge *br,
			   const struct xlate_port *ports, size_t n,
			   struct dp_err *err)
{
	struct xlate_port *p = NULL;
	size_t i;

	if (n) {
		p = malloc(n * sizeof *p);
		if (!p)
			return dp_err_set(err, ENOMEM, "out of memory");
		memcpy(p, ports, n * sizeof *p);
		qsort(p, n, sizeof *p, cmp_port);
	}
	for (i = 0; i < n; i++) {
		if (p[i].dp_port >= DP_MAX_PORTS ||
		    (i && p[i].dp_port == p[i - 1].dp_port)) {
			uint32_t bad = p[i].dp_port;

			free(p);
			return dp_err_set(err, EINVAL, "port %u: %s", bad,
					  bad >= DP_MAX_PORTS ? "out of range"
							      : "given twice");
		}
		p[i].name[sizeof p[i].name - 1] = '\0';
	}
	free(br->ports);
	br->ports = p;
	br->n_ports = n;
	return 0;
}

void xlate_bridge_destroy(struct xlate_bridge *br)
{
	free(br->ports);
	br->ports = NULL;
	br->n_ports = 0;
}

const struct xlate_port *xlate_port_by_dp(const struct xlate_bridge *br,
					  uint32_t dp_port)
{
	size_t lo = 0, hi = br->n_ports;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (br->ports[mid].dp_port == dp_port)
			return &br->ports[mid];
		if (br->ports[mid].dp_port < dp_port)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct xlate_port *xlate_port_by_ofp(const struct xlate_bridge *br,
					   uint16_t ofp_port)
{
	uint32_t dp = ofp_port_to_dp(ofp_port);

	return dp == DP_PORT_NONE ? NULL : xlate_port_by_dp(br, dp);
}

static const char *name_of(void *aux, uint16_t port)
{
	const struct xlate_port *p = xlate_port_by_ofp(aux, port);

	return p && p->name[0] ? p->name : NULL;
}

static int number_of(void *aux, const char *name, size_t len, uint16_t *port)
{
	const struct xlate_bridge *br = aux;
	size_t i;

	for (i = 0; i < br->n_ports; i++)
		if (strlen(br->ports[i].name) == len &&
		    !memcmp(br->ports[i].name, name, len)) {
			*port = ofp_port_from_dp(br->ports[i].dp_port);
			return 0;
		}
	return -ENOENT;
}

void xlate_bridge_names(const struct xlate_bridge *br, struct ofp_names *n)
{
	n->port_name = name_of;
	n->port_number = number_of;
	n->aux = (void *)(uintptr_t)br;
}

int xlate_add_default_rule(struct ofp_tables *t, int64_t now_ms,
			   struct dp_err *err)
{
	static const char rule[] = "table=0,priority=0,actions=normal";
	struct ofp_flow_mod fm;
	int r;

	r = ofp_flow_mod_parse(&fm, rule, sizeof rule - 1, OFP_FM_ADD, false,
			       NULL, err);
	if (!r)
		r = ofp_tables_apply(t, &fm, now_ms, NULL, err);
	ofp_flow_mod_uninit(&fm);
	return r;
}

/* --- output structure --------------------------------------------------------- */

/* Every buffer of an xlate_out, for one loop to init, free or clear. */
static void each_buf(struct xlate_out *out, void (*fn)(struct buf *))
{
	struct buf *all[] = {
		&out->actions, &out->rules, &out->s.stack, &out->s.action_set,
		&out->s.frozen, &out->s.thaw, &out->s.tmp,
	};
	size_t i;

	for (i = 0; i < sizeof all / sizeof all[0]; i++)
		fn(all[i]);
}

void xlate_out_init(struct xlate_out *out)
{
	memset(out, 0, sizeof *out);
	each_buf(out, buf_init);
}

void xlate_out_uninit(struct xlate_out *out)
{
	each_buf(out, buf_free);
}

static void out_reset(struct xlate_out *out)
{
	each_buf(out, buf_clear);
	out->n_learn = out->n_pins = out->n_recircs = 0;
	out->used_mac_table = false;
	out->mac_gen = 0;
	out->error = XLATE_OK;
}

/* --- shared helpers ------------------------------------------------------------ */

void xl_error(struct xctx *x, enum xlate_error e, const char *why)
{
	if (!x->error)
		x->error = e;
	x->exit = true;
	if (why)
		XT(x, TRACE_ERROR, "%s", why);
}

bool xl_room(struct xctx *x)
{
	if (x->odp->len > XLATE_MAX_ACTIONS) {
		xl_error(x, XLATE_TOO_MANY_ACTIONS,
			 "resubmits yielded over 64 kB of actions");
		return false;
	}
	return true;
}

void xl_trace_acts(struct xctx *x, enum trace_type type, const char *prefix,
		   const void *acts, size_t len)
{
	struct buf *b = &x->out->s.tmp;

	if (!x->tr)
		return;
	buf_clear(b);
	buf_puts(b, prefix);
	ofpacts_format(b, len ? acts : "", len, NULL);
	trace_add(x->tr, type, (const char *)b->data, b->len);
}

void xl_trace_action(struct xctx *x, const struct ofpact *a)
{
	xl_trace_acts(x, TRACE_ACTION, "", a, a->len);
}

/* --- tables ------------------------------------------------------------------------ */

static void add_rule(struct xctx *x, const struct ofp_rule *r)
{
	buf_put(&x->out->rules, &r, sizeof r);
}

/* OR the bits a lookup consulted into wc, leaving out what is not the
 * packet's: the L3 area after an MPLS push; for a lookup on the conntrack
 * tuple, the tuple fields stand for the ct_orig ones. */
static void merge_wc(struct xctx *x, const struct ofp_flow *w, bool with_ct)
{
	const uint8_t *s = (const uint8_t *)w;
	uint8_t *d = (uint8_t *)&x->wc;
	size_t l3 = offsetof(struct ofp_flow, key.l3);
	size_t l3_end = l3 + sizeof w->key.l3, i;
	struct ofp_flow t = *w;

	if (with_ct) {
		struct dp_key *k = &t.key;

		if (k->eth_type == HTONS(OFP_ETH_IPV6)) {
			memcpy(x->wc.key.ct_orig.v6.src, k->l3.ipv6.src, 16);
			memcpy(x->wc.key.ct_orig.v6.dst, k->l3.ipv6.dst, 16);
			memset(k->l3.ipv6.src, 0, 16);
			memset(k->l3.ipv6.dst, 0, 16);
		} else {
			x->wc.key.ct_orig.v4.src |= k->l3.ipv4.src;
			x->wc.key.ct_orig.v4.dst |= k->l3.ipv4.dst;
			k->l3.ipv4.src = k->l3.ipv4.dst = 0;
		}
		x->wc.key.ct_orig_proto |= k->nw_proto;
		x->wc.key.ct_orig_tp_src |= k->tp_src;
		x->wc.key.ct_orig_tp_dst |= k->tp_dst;
		k->nw_proto = 0;
		k->tp_src = k->tp_dst = 0;
		s = (const uint8_t *)&t;
	}
	for (i = 0; i < sizeof x->wc; i++) {
		if (x->l3_synthetic && i >= l3 && i < l3_end)
			continue;
		d[i] |= s[i];
	}
}

static const struct ofp_rule *lookup(struct xctx *x, uint8_t table,
				     bool with_ct)
{
	const struct ofp_rule *r;
	struct ofp_flow w, f;

	if (!x->l3_synthetic && !with_ct)
		return ofp_tables_lookup(x->br->tables, table, &x->flow, &x->wc);
	memset(&w, 0, sizeof w);
	f = x->flow;
	if (with_ct) {
		struct dp_key *k = &f.key;

		if (k->eth_type == HTONS(OFP_ETH_IPV6)) {
			memcpy(k->l3.ipv6.src, k->ct_orig.v6.src, 16);
			memcpy(k->l3.ipv6.dst, k->ct_orig.v6.dst, 16);
		} else {
			k->l3.ipv4.src = k->ct_orig.v4.src;
			k->l3.ipv4.dst = k->ct_orig.v4.dst;
		}
		k->nw_proto = k->ct_orig_proto;
		k->tp_src = k->ct_orig_tp_src;
		k->tp_dst = k->ct_orig_tp_dst;
	}
	r = ofp_tables_lookup(x->br->tables, table, &f, &w);
	merge_wc(x, &w, with_ct);
	return r;
}

static void trace_table(struct xctx *x, uint8_t table,
			const struct ofp_rule *r)
{
	struct buf *b = &x->out->s.tmp;
	struct ofp_match m;
	size_t len;
	int node;

	buf_clear(b);
	buf_printf(b, "%2u. ", table);
	if (!r) {
		buf_puts(b, "No match.");
	} else {
		cls_rule_get_match(&r->cr, &m);
		len = b->len;
		ofp_match_format(b, &m, OFP_DEFAULT_PRIORITY, NULL);
		if (b->len > len)
			buf_puts(b, ", ");
		buf_printf(b, "priority %u", r->priority);
		if (r->cookie)
			buf_printf(b, ", cookie %#llx",
				   (unsigned long long)r->cookie);
	}
	node = trace_add(x->tr, TRACE_TABLE, (const char *)b->data, b->len);
	if (node >= 0)
		trace_set_cur(x->tr, node);
}

/* Run the rule 'r' found in 'table' (NULL: a miss).  The trace goes on
 * under the table's node; the caller restores it if it wants to. */
static void run_rule(struct xctx *x, uint8_t table, const struct ofp_rule *r)
{
	uint8_t old_table = x->table_id;
	const struct ofp_rule *old_rule = x->rule;
	uint64_t old_cookie = x->rule_cookie;

	if (x->tr)
		trace_table(x, table, r);
	if (!r) {
		XT(x, TRACE_ACTION, "drop");
		return;
	}
	add_rule(x, r);
	x->table_id = table;
	x->rule = r;
	x->rule_cookie = r->cookie;
	xl_do_actions(x, r->acts, r->acts_len);
	x->table_id = old_table;
	x->rule = old_rule;
	x->rule_cookie = old_cookie;
}

void xl_table(struct xctx *x, uint16_t in_port, uint8_t table, bool is_goto,
	      bool with_ct)
{
	uint32_t old_port = x->flow.key.in_port;
	int old_cur = x->tr ? trace_cur(x->tr) : 0;
	const struct ofp_rule *r;

	(void)is_goto;
	if (x->was_mpls) {
		xl_trigger_freeze(x);
		return;
	}
	if (x->depth >= XLATE_MAX_DEPTH) {
		xl_error(x, XLATE_RECURSION_TOO_DEEP, "over max translation depth 64");
		return;
	}
	if (x->resubmits >= XLATE_MAX_RESUBMITS) {
		xl_error(x, XLATE_TOO_MANY_RESUBMITS, "over 4096 resubmit actions");
		return;
	}
	x->resubmits++;
	if (table == 255)
		table = x->table_id;
	/* The other in_port serves the lookup only: normal and in_port in
	 * the rule found still see the packet's own, as in Open vSwitch. */
	if (in_port != OFPP_IN_PORT)
		x->flow.key.in_port = in_port;
	r = lookup(x, table, with_ct);
	x->flow.key.in_port = old_port;
	x->depth++;
	run_rule(x, table, r);
	x->depth--;
	if (x->tr)
		trace_set_cur(x->tr, old_cur);
}

/* --- the action set --------------------------------------------------------------- */

static bool is_set_or_move(uint16_t t)
{
	switch (t) {
	case OFPACT_SET_FIELD: case OFPACT_REG_MOVE:
	case OFPACT_SET_VLAN_VID: case OFPACT_SET_VLAN_PCP:
	case OFPACT_SET_ETH_SRC: case OFPACT_SET_ETH_DST:
	case OFPACT_SET_IPV4_SRC: case OFPACT_SET_IPV4_DST:
	case OFPACT_SET_IP_DSCP: case OFPACT_SET_IP_ECN: case OFPACT_SET_IP_TTL:
	case OFPACT_SET_L4_SRC_PORT: case OFPACT_SET_L4_DST_PORT:
	case OFPACT_SET_MPLS_LABEL: case OFPACT_SET_MPLS_TC:
	case OFPACT_SET_MPLS_TTL: case OFPACT_SET_TUNNEL:
		return true;
	}
	return false;
}

static bool is_output(uint16_t t)
{
	return t == OFPACT_OUTPUT || t == OFPACT_CONTROLLER ||
	       t == OFPACT_ENQUEUE || t == OFPACT_OUTPUT_REG ||
	       t == OFPACT_OUTPUT_TRUNC;
}

static const struct ofpact *last_of(const struct buf *set, bool (*pred)(uint16_t),
				    uint16_t type)
{
	const struct ofpact *a, *found = NULL;

	if (!set->len)
		return NULL;
	OFPACT_FOR_EACH(a, set->data, set->len)
		if (pred ? pred(a->type) : a->type == type)
			found = a;
	return found;
}

static void put_last(struct buf *out, const struct buf *set, uint16_t type)
{
	const struct ofpact *a = last_of(set, NULL, type);

	if (a)
		buf_put(out, a, a->len);
}

/* The action set as it will run, in OpenFlow's order. */
static void action_set_list(const struct buf *set, struct buf *out)
{
	static const uint16_t first[] = {
		OFPACT_STRIP_VLAN, OFPACT_POP_MPLS, OFPACT_PUSH_MPLS,
		OFPACT_PUSH_VLAN, OFPACT_DEC_TTL, OFPACT_DEC_MPLS_TTL,
	};
	const struct ofpact *a;
	size_t i, start = out->len;

	for (i = 0; i < sizeof first / sizeof first[0]; i++)
		put_last(out, set, first[i]);
	OFPACT_FOR_EACH(a, set->data, set->len)
		if (is_set_or_move(a->type))
			buf_put(out, a, a->len);
	put_last(out, set, OFPACT_SET_QUEUE);
	a = last_of(set, is_output, 0);
	if (!a)
		a = last_of(set, NULL, OFPACT_RESUBMIT);
	if (!a)
		a = last_of(set, NULL, OFPACT_CT);
	if (a)
		buf_put(out, a, a->len);
	else
		buf_truncate(out, start);       /* nothing goes anywhere */
}

static void trace_action_set(struct xctx *x, const char *what)
{
	struct buf list = BUF_INIT;

	if (!x->tr)
		return;
	if (!x->out->s.action_set.len) {
		XT(x, TRACE_DETAIL, "action set %s empty",
		   strcmp(what, "is") ? "was" : "is");
		return;
	}
	action_set_list(&x->out->s.action_set, &list);
	buf_clear(&x->out->s.tmp);
	{
		char prefix[32];

		snprintf(prefix, sizeof prefix, "action set %s: ", what);
		xl_trace_acts(x, TRACE_DETAIL, prefix, list.data, list.len);
	}
	buf_free(&list);
}

static void run_action_set(struct xctx *x)
{
	struct buf list = BUF_INIT;

	action_set_list(&x->out->s.action_set, &list);
	buf_clear(&x->out->s.action_set);
	if (list.len) {
		int node = -1;

		if (x->tr) {
			node = trace_add(x->tr, TRACE_TABLE,
					 "--. Executing action set:", 25);
			if (node >= 0)
				trace_set_cur(x->tr, node);
		}
		x->in_action_set = true;
		xl_do_actions(x, list.data, list.len);
		x->in_action_set = false;
	}
	buf_free(&list);
}

/* --- the walk ------------------------------------------------------------------------ */

static void clone_actions(struct xctx *x, const struct ofpact *a)
{
	struct ofp_flow flow = x->flow, base = x->base;
	bool conntracked = x->conntracked, was_mpls = x->was_mpls;
	bool synthetic = x->l3_synthetic, freezing = x->freezing;
	size_t stack = x->out->s.stack.len, set = x->out->s.action_set.len;
	size_t ofs = na_nest_start(x->odp, OVS_ACTION_ATTR_CLONE);

	xl_do_actions(x, ofpact_nested(a), ofpact_nested_len(a));
	/* The rest of a clone cannot be frozen apart from the clone. */
	if (x->freezing && !freezing)
		xl_error(x, XLATE_UNSUPPORTED,
			 "recirculation needed inside clone (pop_mpls?)");
	if (x->odp->len == ofs + NA_HDRLEN)
		na_nest_cancel(x->odp, ofs);
	else
		na_nest_end(x->odp, ofs);
	x->flow = flow;
	x->base = base;
	x->conntracked = conntracked;
	x->was_mpls = was_mpls;
	x->l3_synthetic = synthetic;
	buf_truncate(&x->out->s.stack, stack);
	buf_truncate(&x->out->s.action_set, set);
	if (!x->error && !x->freezing)
		x->exit = false;        /* exit ends the clone only */
}

void xl_do_actions(struct xctx *x, const void *acts, size_t len)
{
	const struct ofpact *a, *end;

	if (!len) {
		XT(x, TRACE_ACTION, "drop");
		return;
	}
	end = ofpact_end(acts, len);
	for (a = acts; a < end; a = ofpact_next(a)) {
		bool stop = false;

		if (x->error)
			break;
		if (x->was_mpls && !x->exit && xl_needs_l3(a))
			xl_trigger_freeze(x);
		if (x->exit) {
			if (x->freezing)
				xl_freeze_unroll(x, a, end);
			break;
		}
		if (x->tr)
			xl_trace_action(x, a);
		if (xl_field_action(x, a, &stop)) {
			if (stop)
				break;
			continue;
		}
		switch (a->type) {
		case OFPACT_OUTPUT:
		case OFPACT_CONTROLLER:
		case OFPACT_ENQUEUE:
		case OFPACT_OUTPUT_REG:
		case OFPACT_OUTPUT_TRUNC:
			xl_output_action(x, a);
			break;
		case OFPACT_RESUBMIT: {
			const struct ofpact_resubmit *r =
				OFPACT_CAST(ofpact_resubmit, a);

			xl_table(x, r->in_port, r->table, false, r->with_ct);
			break;
		}
		case OFPACT_GOTO_TABLE:
			xl_table(x, OFPP_IN_PORT,
				 (uint8_t)OFPACT_CAST(ofpact_u32, a)->value, true,
				 false);
			break;
		case OFPACT_EXIT:
			x->exit = true;
			break;
		case OFPACT_CLONE:
			clone_actions(x, a);
			break;
		case OFPACT_CT:
			xl_ct(x, a);
			break;
		case OFPACT_NAT:
			x->ct_nat = OFPACT_CAST(ofpact_nat, a);
			break;
		case OFPACT_CT_CLEAR:
			xl_ct_clear(x);
			break;
		case OFPACT_CHECK_PKT_LARGER:
			xl_error(x, XLATE_UNSUPPORTED,
				 "check_pkt_larger is not supported");
			break;
		case OFPACT_CLEAR_ACTIONS:
			trace_action_set(x, "was");
			buf_clear(&x->out->s.action_set);
			break;
		case OFPACT_WRITE_ACTIONS:
			buf_put(&x->out->s.action_set, ofpact_nested(a),
				ofpact_nested_len(a));
			trace_action_set(x, "is");
			break;
		default:
			/* note, fin_timeout, sample, set_queue, pop_queue:
			 * nothing for the datapath to do. */
			break;
		}
	}
}

/* --- entry points ------------------------------------------------------------------ */

int xlate_translate(const struct xlate_bridge *br, const struct xlate_in *in,
		    struct xlate_out *out)
{
	const struct xlate_port *inp;
	const void *thaw_acts = NULL;
	size_t thaw_len = 0;
	struct xctx x;
	bool thaw_run = false;

	out_reset(out);
	memset(&x, 0, sizeof x);
	x.br = br;
	x.in = in;
	x.out = out;
	x.tr = in->trace;
	x.odp = &out->actions;
	ofp_flow_from_dp_key(&x.flow, in->key);
	inp = xlate_port_by_dp(br, in->key->in_port);
	x.upcall_pid = inp && inp->upcall_pid ? inp->upcall_pid : br->upcall_pid;
	out->tables_version = br->tables->version;
	if (x.tr)
		trace_set_cur(x.tr, trace_addf(x.tr, TRACE_BRIDGE,
					       "bridge(\"%s\")", br->name));

	if (in->key->recirc_id) {
		if (xl_thaw(&x, &thaw_acts, &thaw_len)) {
			xl_error(&x, XLATE_NO_RECIRC_CONTEXT,
				 "no recirculation context for this recirc_id");
		} else {
			x.thawed = thaw_run = true;
		}
	}
	if (!x.conntracked)
		xl_ct_clear_fields(&x);
	x.base = x.flow;

	if (x.error) {
		/* nothing to run */
	} else if (in->acts) {
		xl_do_actions(&x, in->acts, in->acts_len);
	} else if (thaw_run && thaw_len) {
		xl_do_actions(&x, thaw_acts, thaw_len);
	} else {
		run_rule(&x, x.table_id, lookup(&x, x.table_id, false));
	}
	if (!x.freezing && !x.error && out->s.action_set.len)
		run_action_set(&x);
	if (x.freezing && !x.error)
		xl_finish_freeze(&x, x.table_id);
	if (x.error)
		buf_clear(&out->actions);
	out->error = x.error;
	out->final = x.flow;
	xl_finish_mask(&x);
	if (!buf_ok(&out->actions) || !buf_ok(&out->rules) ||
	    !buf_ok(&out->s.stack) || !buf_ok(&out->s.action_set) ||
	    !buf_ok(&out->s.frozen)) {
		buf_clear(&out->actions);
		out->error = XLATE_NO_MEMORY;
		return -ENOMEM;
	}
	return 0;
}

bool xlate_apply_learning(const struct xlate_bridge *br,
			  const struct xlate_out *out, int64_t now_ms)
{
	bool changed = false;
	unsigned i;

	if (!br->ml)
		return false;
	for (i = 0; i < out->n_learn; i++)
		changed |= mac_learn_update(br->ml, out->learn[i].mac,
					    out->learn[i].vlan,
					    out->learn[i].port, now_ms);
	return changed;
}

void xlate_credit(const struct xlate_out *out, uint64_t packets,
		  uint64_t bytes, int64_t used_ms)
{
	size_t i, n = xlate_out_n_rules(out);

	for (i = 0; i < n; i++)
		ofp_rule_credit((struct ofp_rule *)(uintptr_t)xlate_out_rule(out, i),
				packets, bytes, used_ms);
}

/*
 * trace.c - the translation trace: a tree of nodes in two flat buffers
 * (the nodes, and their text), printed the way ofproto/trace prints.
 */
#include "trace.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "odp_key.h"
#include "odp_text.h"
#include "ofp_match_text.h"
#include "xlate.h"

struct trace_node {
	int type;
	int first, last, next;          /* children, sibling: -1 ends */
	size_t ofs, len;                /* of the text */
};

static struct trace_node *node(const struct trace *tr, int i)
{
	return (struct trace_node *)(void *)tr->nodes.data + i;
}

static int n_nodes(const struct trace *tr)
{
	return (int)(tr->nodes.len / sizeof(struct trace_node));
}

void trace_init(struct trace *tr)
{
	buf_init(&tr->nodes);
	buf_init(&tr->text);
	buf_init(&tr->recircs);
	trace_clear(tr);
}

void trace_uninit(struct trace *tr)
{
	buf_free(&tr->nodes);
	buf_free(&tr->text);
	buf_free(&tr->recircs);
}

void trace_clear(struct trace *tr)
{
	struct trace_node root = { TRACE_BRIDGE, -1, -1, -1, 0, 0 };

	buf_clear(&tr->nodes);
	buf_clear(&tr->text);
	buf_clear(&tr->recircs);
	buf_put(&tr->nodes, &root, sizeof root);
	tr->cur = TRACE_TOP;
}

int trace_add(struct trace *tr, enum trace_type type, const char *text,
	      size_t len)
{
	struct trace_node n = { (int)type, -1, -1, -1, tr->text.len, len };
	int i = n_nodes(tr), parent = tr->cur;

	if (parent < 0 || parent >= i)
		parent = TRACE_TOP;
	buf_put(&tr->text, text, len);
	if (!buf_put(&tr->nodes, &n, sizeof n))
		return -1;
	if (node(tr, parent)->last < 0)
		node(tr, parent)->first = i;
	else
		node(tr, node(tr, parent)->last)->next = i;
	node(tr, parent)->last = i;
	return i;
}

int trace_addf(struct trace *tr, enum trace_type type, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof line)
		n = sizeof line - 1;
	return trace_add(tr, type, line, (size_t)n);
}

static bool terminal(int type)
{
	return type == TRACE_ACTION || type == TRACE_DETAIL ||
	       type == TRACE_WARN || type == TRACE_ERROR;
}

static void indent(struct buf *out, int n)
{
	while (n-- > 0)
		buf_putc(out, ' ');
}

static void print_list(const struct trace *tr, int first, int level,
		       struct buf *out)
{
	int i;

	for (i = first; i >= 0; i = node(tr, i)->next) {
		const struct trace_node *n = node(tr, i);
		const char *t = (const char *)tr->text.data + n->ofs;
		int more = n->next >= 0 || terminal(n->type);
		size_t k;

		if (n->type == TRACE_BRIDGE)
			buf_putc(out, '\n');
		indent(out, (level + more) * 4);
		switch (n->type) {
		case TRACE_DETAIL:
			buf_puts(out, " -> ");
			break;
		case TRACE_WARN:
			buf_puts(out, " >> ");
			break;
		case TRACE_ERROR:
			buf_puts(out, " >>>> ");
			break;
		default:
			break;
		}
		buf_put(out, t, n->len);
		if (n->type == TRACE_ERROR)
			buf_puts(out, " <<<<");
		buf_putc(out, '\n');
		if (n->type == TRACE_BRIDGE) {
			indent(out, (level + more) * 4);
			for (k = 0; k < n->len; k++)
				buf_putc(out, '-');
			buf_putc(out, '\n');
		}
		print_list(tr, n->first, level + 2 * more, out);
	}
}

void trace_format_tree(const struct trace *tr, struct buf *out)
{
	if (n_nodes(tr))
		print_list(tr, node(tr, TRACE_TOP)->first, 0, out);
}

/* Print a match as ofproto/trace does: the datapath metadata and
 * conntrack fields, then "eth" for an Ethernet packet if anything came
 * before it, then the rest.  (ofp_match_format() prints in Open vSwitch's
 * order but has no packet type.) */
static void format_split(struct buf *out, const struct ofp_match *m,
			 const struct ofp_names *names)
{
	struct ofp_match a, b = *m;
	const struct dp_key *k = &m->mask.key;
	size_t start = out->len, mark;

	ofp_match_init_catchall(&a);
	a.mask.key.skb_mark = k->skb_mark;
	a.mask.key.recirc_id = k->recirc_id;
	a.mask.key.dp_hash = k->dp_hash;
	a.mask.key.priority = k->priority;
	a.mask.key.ct_state = k->ct_state;
	a.mask.key.ct_zone = k->ct_zone;
	a.mask.key.ct_mark = k->ct_mark;
	memcpy(a.mask.key.ct_labels, k->ct_labels, 16);
	a.mask.key.ct_orig_proto = k->ct_orig_proto;
	a.mask.key.ct_orig = k->ct_orig;
	a.mask.key.ct_orig_tp_src = k->ct_orig_tp_src;
	a.mask.key.ct_orig_tp_dst = k->ct_orig_tp_dst;
	a.flow = m->flow;
	ofp_match_normalize(&a);
	b.mask.key.skb_mark = b.mask.key.recirc_id = 0;
	b.mask.key.dp_hash = b.mask.key.priority = 0;
	b.mask.key.ct_state = 0;
	b.mask.key.ct_zone = 0;
	b.mask.key.ct_mark = 0;
	memset(b.mask.key.ct_labels, 0, 16);
	b.mask.key.ct_orig_proto = 0;
	memset(&b.mask.key.ct_orig, 0, sizeof b.mask.key.ct_orig);
	b.mask.key.ct_orig_tp_src = b.mask.key.ct_orig_tp_dst = 0;
	ofp_match_normalize(&b);

	ofp_match_format(out, &a, OFP_DEFAULT_PRIORITY, names);
	if (out->len > start && m->flow.key.mac_proto == DP_MAC_ETH)
		buf_puts(out, ",eth");
	mark = out->len;
	if (out->len > start)
		buf_putc(out, ',');
	start = out->len;
	ofp_match_format(out, &b, OFP_DEFAULT_PRIORITY, names);
	if (out->len == start)
		buf_truncate(out, mark);
}

void xlate_format_megaflow(struct buf *out, const struct dp_key *key,
			   const struct dp_key *mask,
			   const struct ofp_names *names)
{
	struct ofp_match m;

	ofp_flow_from_dp_key(&m.flow, key);
	ofp_wc_from_dp_mask(&m.mask, mask);
	ofp_match_normalize(&m);
	format_split(out, &m, names);
}

/* A flow as ofproto/trace prints "Flow:" and "Final flow:": every field
 * of the packet's protocols, and the registers and metadata not zero. */
static void format_flow(struct buf *out, const struct ofp_flow *f,
			const struct ofp_names *names)
{
	struct ofp_match m;
	int i;

	ofp_match_init_exact(&m, f);
	for (i = 0; i < OFP_N_REGS; i++)
		if (f->regs[i])
			m.mask.regs[i] = UINT32_MAX;
	if (f->metadata)
		m.mask.metadata = UINT64_MAX;
	m.flow = *f;
	ofp_match_normalize(&m);
	format_split(out, &m, names);
}

/* Does the action set hold an output when the translation ends?  Open
 * vSwitch keeps that port in the flow (actset_output, which it does not
 * print), so its "Final flow:" is never "unchanged" then.  The trace
 * says what each write_actions and clear_actions left in the set. */
static bool actset_output(const struct trace *tr)
{
	static const char *const reserved[] = {
		"IN_PORT", "TABLE", "NORMAL", "FLOOD", "ALL", "LOCAL",
	};
	static const char is[] = "action set is: ";
	bool out = false;
	int i, n = n_nodes(tr);

	for (i = 1; i < n; i++) {
		const struct trace_node *nd = node(tr, i);
		const char *t = (const char *)tr->text.data + nd->ofs;
		size_t len = nd->len, k = sizeof is - 1, end, depth;

		if (nd->type != TRACE_DETAIL)
			continue;
		if (len >= 15 && !memcmp(t, "action set is e", 15)) {
			out = false;
			continue;
		}
		if (len < k || memcmp(t, is, k))
			continue;
		out = false;
		while (k < len) {
			size_t j;

			for (end = k, depth = 0; end < len; end++) {
				if (t[end] == '(')
					depth++;
				else if (t[end] == ')' && depth)
					depth--;
				else if (t[end] == ',' && !depth)
					break;
			}
			if (end - k > 7 && !memcmp(t + k, "output:", 7))
				out = true;
			for (j = 0; j < sizeof reserved / sizeof *reserved; j++)
				if (end - k == strlen(reserved[j]) &&
				    !memcmp(t + k, reserved[j], end - k))
					out = true;
			k = end + 1;
		}
	}
	return out;
}

static bool final_unchanged(const struct ofp_flow *f, const struct trace *tr,
			    const struct xlate_out *xo)
{
	return !memcmp(f, &xo->final, sizeof *f) && !actset_output(tr);
}

void trace_report(struct buf *out, const struct dp_key *key,
		  const struct trace *tr, const struct xlate_out *xo,
		  const struct ofp_names *names)
{
	struct ofp_flow f;

	ofp_flow_from_dp_key(&f, key);
	buf_puts(out, "Flow: ");
	format_flow(out, &f, names);
	buf_putc(out, '\n');
	trace_format_tree(tr, out);
	buf_puts(out, "\nFinal flow: ");
	if (final_unchanged(&f, tr, xo))
		buf_puts(out, "unchanged");
	else
		format_flow(out, &xo->final, names);
	buf_puts(out, "\nMegaflow: ");
	xlate_format_megaflow(out, key, &xo->mask, names);
	buf_puts(out, "\nDatapath actions: ");
	odp_actions_to_text(out, xo->actions.data, xo->actions.len, 0, NULL);
	buf_putc(out, '\n');
	if (xo->error)
		buf_printf(out, "Translation failed (%s), packet is dropped.\n",
			   xlate_strerror(xo->error));
}

int trace_key_from_text(const char *s, size_t len, struct dp_key *key,
			const struct ofp_names *names, struct dp_err *err)
{
	struct ofp_match m;
	int i, r;

	r = ofp_match_from_text(s, len, 1, &m, names, err);
	if (r)
		return r;
	ofp_flow_to_dp_key(&m.flow, key);
	if (key->vlan.tci & __builtin_bswap16(DP_VLAN_CFI))
		key->vlan.tpid = __builtin_bswap16(0x8100);
	if (key->cvlan.tci & __builtin_bswap16(DP_VLAN_CFI))
		key->cvlan.tpid = __builtin_bswap16(0x8100);
	if (key->eth_type == __builtin_bswap16(OFP_ETH_MPLS) ||
	    key->eth_type == __builtin_bswap16(OFP_ETH_MPLSM)) {
		key->l3.mpls.num_labels_mask = 0;
		for (i = 0; i < DP_MPLS_DEPTH; i++) {
			key->l3.mpls.num_labels_mask |= 1u << i;
			if (key->l3.mpls.lse[i] & __builtin_bswap32(0x100))
				break;
		}
	}
	return 0;
}

static void rule_line(struct buf *out)
{
	int i;

	for (i = 0; i < 79; i++)
		buf_putc(out, '=');
	buf_putc(out, '\n');
}

static void nat_fields(struct buf *out, const struct dp_key *k)
{
	/* Printed address then port, source then destination, as Open
	 * vSwitch does. */
	if (k->eth_type == __builtin_bswap16(OFP_ETH_IPV6)) {
		char a[64];

		buf_puts(out, "ipv6_src=");
		ofp_format_ipv6(out, k->l3.ipv6.src);
		snprintf(a, sizeof a, ",tp_src=%u,ipv6_dst=",
			 __builtin_bswap16(k->tp_src));
		buf_puts(out, a);
		ofp_format_ipv6(out, k->l3.ipv6.dst);
	} else {
		buf_puts(out, "nw_src=");
		ofp_format_ipv4(out, k->l3.ipv4.src);
		buf_printf(out, ",tp_src=%u,nw_dst=", __builtin_bswap16(k->tp_src));
		ofp_format_ipv4(out, k->l3.ipv4.dst);
	}
	buf_printf(out, ",tp_dst=%u", __builtin_bswap16(k->tp_dst));
}

static const char *const type_names[] = {
	[TRACE_BRIDGE] = "bridge", [TRACE_TABLE] = "table",
	[TRACE_THAW] = "thaw", [TRACE_ACTION] = "action",
	[TRACE_DETAIL] = "detail", [TRACE_WARN] = "warn",
	[TRACE_ERROR] = "error",
};

static void json_list(const struct trace *tr, int first, struct json *j)
{
	int i;

	json_arr_start(j);
	for (i = first; i >= 0; i = node(tr, i)->next) {
		const struct trace_node *n = node(tr, i);
		const char *t = (const char *)tr->text.data + n->ofs;
		size_t len = n->len;

		/* The text without the indentation the printed form gives
		 * it (" 0. priority 0"). */
		while (len && *t == ' ') {
			t++;
			len--;
		}
		json_obj_start(j);
		json_kv_str(j, "type", n->type >= 0 && n->type <= TRACE_ERROR ?
			    type_names[n->type] : "other");
		json_key(j, "text");
		json_strn(j, t, len);
		if (n->first >= 0) {
			json_key(j, "children");
			json_list(tr, n->first, j);
		}
		json_obj_end(j);
	}
	json_arr_end(j);
}

void trace_tree_json(const struct trace *tr, struct json *j)
{
	json_list(tr, n_nodes(tr) ? node(tr, TRACE_TOP)->first : -1, j);
}

/* One translation as a JSON object; 'rs' is the recirculation it resumes
 * (NULL for the packet itself).  'tmp' is scratch. */
static void report_json(struct json *j, struct buf *tmp,
			const struct dp_key *key, const struct trace *tr,
			const struct xlate_out *xo,
			const struct trace_recirc *rs)
{
	struct ofp_flow f;

	ofp_flow_from_dp_key(&f, key);
	json_obj_start(j);
	json_kv_u64(j, "recirc_id", key->recirc_id);
	if (rs) {
		json_key(j, "resume");
		json_obj_start(j);
		json_kv_u64(j, "recirc_id", rs->id);
		json_kv_bool(j, "conntrack", rs->ct);
		if (rs->nat) {
			buf_clear(tmp);
			nat_fields(tmp, &rs->pre_nat);
			json_key(j, "nat_initial");
			json_strn(j, (const char *)tmp->data, tmp->len);
			buf_clear(tmp);
			nat_fields(tmp, &rs->key);
			json_key(j, "nat_modified");
			json_strn(j, (const char *)tmp->data, tmp->len);
		}
		json_obj_end(j);
	}
	buf_clear(tmp);
	format_flow(tmp, &f, NULL);
	json_key(j, "flow");
	json_strn(j, (const char *)tmp->data, tmp->len);
	json_key(j, "trace");
	trace_tree_json(tr, j);
	json_key(j, "final_flow");
	if (final_unchanged(&f, tr, xo)) {
		json_null(j);
	} else {
		buf_clear(tmp);
		format_flow(tmp, &xo->final, NULL);
		json_strn(j, (const char *)tmp->data, tmp->len);
	}
	buf_clear(tmp);
	xlate_format_megaflow(tmp, key, &xo->mask, NULL);
	json_key(j, "megaflow");
	json_strn(j, (const char *)tmp->data, tmp->len);
	buf_clear(tmp);
	odp_actions_to_text(tmp, xo->actions.data, xo->actions.len, 0, NULL);
	json_key(j, "datapath_actions");
	json_strn(j, (const char *)tmp->data, tmp->len);
	if (xo->error)
		json_kv_str(j, "error", xlate_strerror(xo->error));
	json_obj_end(j);
}

/* The walk of trace_packet() and trace_packet_json(): text into 'out', or
 * JSON into 'j' if it is not NULL. */
static int walk(struct buf *out, struct json *j, const struct xlate_bridge *br,
		const struct dp_key *key, int64_t now_ms, unsigned max_recirc)
{
	struct trace_recirc *queue = NULL;
	const struct trace_recirc *resumed = NULL;
	struct buf tmp = BUF_INIT;
	struct xlate_out xo;
	struct trace tr;
	struct xlate_in in;
	size_t n_queue = 0, next = 0;
	struct dp_key cur = *key;
	int r = 0;

	xlate_out_init(&xo);
	trace_init(&tr);
	if (j)
		json_arr_start(j);
	for (;;) {
		const struct trace_recirc *rs;
		size_t i, n;

		memset(&in, 0, sizeof in);
		in.key = &cur;
		in.now_ms = now_ms;
		in.flags = XLATE_F_NO_SIDE_EFFECTS;
		in.trace = &tr;
		trace_clear(&tr);
		r = xlate_translate(br, &in, &xo);
		if (r)
			break;
		if (j)
			report_json(j, &tmp, &cur, &tr, &xo, resumed);
		else
			trace_report(out, &cur, &tr, &xo, NULL);
		rs = (const struct trace_recirc *)(const void *)tr.recircs.data;
		n = tr.recircs.len / sizeof *rs;
		for (i = 0; i < n && n_queue < max_recirc; i++) {
			struct trace_recirc *q = realloc(queue,
							 (n_queue + 1) * sizeof *q);

			if (!q) {
				r = -ENOMEM;
				goto done;
			}
			queue = q;
			queue[n_queue++] = rs[i];
		}
		if (next == n_queue)
			break;
		rs = resumed = &queue[next++];
		cur = rs->key;
		if (j)
			continue;
		buf_putc(out, '\n');
		rule_line(out);
		buf_printf(out, "recirc(%#x)", rs->id);
		if (rs->ct)
			buf_puts(out, " - resume conntrack with default "
				 "ct_state=trk|new (use --ct-next to customize)");
		buf_putc(out, '\n');
		if (rs->nat) {
			buf_puts(out, "Replacing src/dst IP/ports to simulate NAT:\n"
				 " Initial flow: ");
			nat_fields(out, &rs->pre_nat);
			buf_puts(out, "\n Modified flow: ");
			nat_fields(out, &rs->key);
			buf_putc(out, '\n');
		}
		rule_line(out);
		buf_putc(out, '\n');
	}
done:
	if (j)
		json_arr_end(j);
	free(queue);
	buf_free(&tmp);
	trace_uninit(&tr);
	xlate_out_uninit(&xo);
	if (!r && !buf_ok(j ? j->out : out))
		r = -ENOMEM;
	return r;
}

int trace_packet(struct buf *out, const struct xlate_bridge *br,
		 const struct dp_key *key, int64_t now_ms, unsigned max_recirc)
{
	return walk(out, NULL, br, key, now_ms, max_recirc);
}

int trace_packet_json(struct json *j, const struct xlate_bridge *br,
		      const struct dp_key *key, int64_t now_ms,
		      unsigned max_recirc)
{
	return walk(NULL, j, br, key, now_ms, max_recirc);
}

/*
 * ofp_rules_text.c - rules as dump-flows and diff-flows print them,
 * --sort/--rsort, and the entry comparison behind replace-flows and
 * diff-flows.
 */
#include "ofp_rules.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ofp_actions.h"
#include "ofp_actions_text.h"
#include "ofp_match_text.h"

static void fmt_duration(struct buf *out, int64_t ms)
{
	if (ms < 0)
		ms = 0;
	buf_printf(out, "%lld", (long long)(ms / 1000));
	if (ms % 1000)
		buf_printf(out, ".%03d", (int)(ms % 1000));
	buf_putc(out, 's');
}

void ofp_rule_format(struct buf *out, const struct ofp_rule *r,
		     int64_t now_ms, unsigned flags,
		     const struct ofp_names *names)
{
	bool stats = flags & OFP_FMT_STATS;
	int64_t dur = now_ms - r->created_ms;
	struct ofp_match m;
	size_t len;

	if (stats || r->cookie)
		buf_printf(out, "cookie=0x%llx, ", (unsigned long long)r->cookie);
	if (stats) {
		buf_puts(out, "duration=");
		fmt_duration(out, dur);
		buf_puts(out, ", ");
	}
	if (stats || r->table_id)
		buf_printf(out, "table=%u, ", r->table_id);
	if (stats)
		buf_printf(out, "n_packets=%llu, n_bytes=%llu, ",
			   (unsigned long long)r->n_packets,
			   (unsigned long long)r->n_bytes);
	if (r->idle_timeout)
		buf_printf(out, "idle_timeout=%u, ", r->idle_timeout);
	if (r->hard_timeout)
		buf_printf(out, "hard_timeout=%u, ", r->hard_timeout);
	if (flags & OFP_FMT_FLAGS) {
		ofp_flags_format(out, r->flags);
		if (r->importance)
			buf_printf(out, "importance=%u, ", r->importance);
	}
	if (stats) {
		int64_t idle = (now_ms - r->used_ms) / 1000;
		int64_t hard = (now_ms - r->modified_ms) / 1000;

		buf_printf(out, "idle_age=%lld, ", (long long)(idle < 0 ? 0 : idle));
		if (hard != dur / 1000 && hard >= 0)
			buf_printf(out, "hard_age=%lld, ", (long long)hard);
	}
	cls_rule_get_match(&r->cr, &m);
	len = out->len;
	ofp_match_format(out, &m, r->priority, names);
	if (out->len != len)
		buf_putc(out, ' ');
	buf_puts(out, "actions=");
	ofpacts_format(out, r->acts, r->acts_len, names);
}

/* --- sorting ------------------------------------------------------------------ */

struct sort_item {
	struct ofp_rule *rule;
	size_t index;
	union ofp_value *vals;          /* per key */
	bool *present;                  /* per key */
};

struct sort_ctx {
	const struct ofp_sort_key *keys;
	size_t n_keys;
};

static int cmp_items(const void *a_, const void *b_, void *ctx_)
{
	const struct sort_item *a = a_, *b = b_;
	const struct sort_ctx *ctx = ctx_;
	size_t k;

	for (k = 0; k < ctx->n_keys; k++) {
		int r;

		if (!ctx->keys[k].field) {
			r = a->rule->priority < b->rule->priority ? -1 :
			    a->rule->priority > b->rule->priority;
		} else if (a->present[k] != b->present[k]) {
			/* Rules without the field go last, in either order. */
			return a->present[k] ? -1 : 1;
		} else {
			r = memcmp(a->vals[k].be, b->vals[k].be, 16);
		}
		if (r)
			return ctx->keys[k].descending ? -r : r;
	}
	return a->index < b->index ? -1 : a->index > b->index;
}

void ofp_rules_sort(struct ofp_rule **rules, size_t n,
		    const struct ofp_sort_key *keys, size_t n_keys)
{
	struct sort_ctx ctx = { keys, n_keys };
	struct sort_item *items;
	union ofp_value *vals;
	bool *present;
	size_t i, k;

	if (n < 2 || !n_keys)
		return;
	items = calloc(n, sizeof *items);
	vals = calloc(n * n_keys, sizeof *vals);
	present = calloc(n * n_keys, sizeof *present);
	if (!items || !vals || !present)
		goto out;
	for (i = 0; i < n; i++) {
		struct ofp_match m;

		items[i].rule = rules[i];
		items[i].index = i;
		items[i].vals = vals + i * n_keys;
		items[i].present = present + i * n_keys;
		cls_rule_get_match(&rules[i]->cr, &m);
		for (k = 0; k < n_keys; k++) {
			const struct ofp_field *f = keys[k].field;
			union ofp_value v, mk;

			if (!f)
				continue;
			ofp_match_get_field(&m, f, &v, &mk);
			items[i].present[k] = ofp_match_prereq_ok(&m, f->prereq) &&
					      !ofp_value_is_zero(&mk);
			items[i].vals[k] = v;
		}
	}
	qsort_r(items, n, sizeof *items, cmp_items, &ctx);
	for (i = 0; i < n; i++)
		rules[i] = items[i].rule;
out:
	free(items);
	free(vals);
	free(present);
}

/* --- entries and differences ------------------------------------------------- */

size_t ofp_tables_snapshot(const struct ofp_tables *t,
			   struct ofp_flow_mod **out)
{
	struct ofp_flow_mod *fms;
	size_t n = 0, i, j;

	*out = NULL;
	if (!t->n_rules)
		return 0;
	fms = calloc(t->n_rules, sizeof *fms);
	if (!fms)
		return 0;
	for (i = 0; i < OFP_N_TABLES; i++) {
		struct cls_rule **all;
		size_t m = classifier_rules(&t->tables[i].cls, &all);

		for (j = 0; j < m && n < t->n_rules; j++) {
			const struct ofp_rule *r = (const struct ofp_rule *)
				(const void *)((const char *)all[j] -
					       offsetof(struct ofp_rule, cr));
			struct ofp_flow_mod *fm = &fms[n++];

			ofp_flow_mod_init(fm, OFP_FM_ADD);
			cls_rule_get_match(&r->cr, &fm->match);
			fm->priority = r->priority;
			fm->table_id = r->table_id;
			fm->new_cookie = r->cookie;
			fm->modify_cookie = true;
			fm->idle_timeout = r->idle_timeout;
			fm->hard_timeout = r->hard_timeout;
			fm->importance = r->importance;
			fm->flags = r->flags;
			buf_put(&fm->actions, r->acts, r->acts_len);
		}
		free(all);
	}
	*out = fms;
	return n;
}

static uint8_t fte_table(const struct ofp_flow_mod *f)
{
	return f->table_id == OFP_TABLE_ALL ? 0 : f->table_id;
}

static int cmp_key(const struct ofp_flow_mod *a, const struct ofp_flow_mod *b)
{
	if (fte_table(a) != fte_table(b))
		return fte_table(a) < fte_table(b) ? -1 : 1;
	if (a->priority != b->priority)
		return a->priority > b->priority ? -1 : 1;
	return memcmp(&a->match, &b->match, sizeof a->match);
}

static int cmp_idx(const void *a_, const void *b_, void *ctx)
{
	const struct ofp_flow_mod *v = ctx;
	size_t a = *(const size_t *)a_, b = *(const size_t *)b_;
	int r = cmp_key(&v[a], &v[b]);

	/* Equal keys: the later line wins, so sort it first. */
	return r ? r : (a > b ? -1 : a < b);
}

/* Indices of 'v' sorted by key, duplicates (all but the last) dropped. */
static size_t sorted_unique(const struct ofp_flow_mod *v, size_t n, size_t **out)
{
	size_t *ix = malloc((n ? n : 1) * sizeof *ix), i, m = 0;

	*out = ix;
	if (!ix)
		return 0;
	for (i = 0; i < n; i++)
		ix[i] = i;
	qsort_r(ix, n, sizeof *ix, cmp_idx, (void *)v);
	for (i = 0; i < n; i++)
		if (!m || cmp_key(&v[ix[m - 1]], &v[ix[i]]))
			ix[m++] = ix[i];
	return m;
}

static bool version_equal(const struct ofp_flow_mod *a,
			  const struct ofp_flow_mod *b)
{
	/* Flags are not compared: a switch cannot report all of them. */
	return a->new_cookie == b->new_cookie &&
	       a->idle_timeout == b->idle_timeout &&
	       a->hard_timeout == b->hard_timeout &&
	       a->importance == b->importance &&
	       ofpacts_equal(a->actions.data, a->actions.len,
			     b->actions.data, b->actions.len);
}

size_t ofp_diff(const struct ofp_flow_mod *old, size_t n_old,
		const struct ofp_flow_mod *new, size_t n_new,
		ofp_diff_cb *cb, void *aux)
{
	size_t *io, *in, no = sorted_unique(old, n_old, &io);
	size_t nn = sorted_unique(new, n_new, &in), i = 0, j = 0, d = 0;

	while (i < no || j < nn) {
		const struct ofp_flow_mod *a = i < no ? &old[io[i]] : NULL;
		const struct ofp_flow_mod *b = j < nn ? &new[in[j]] : NULL;
		int c = !a ? 1 : !b ? -1 : cmp_key(a, b);

		if (c < 0) {
			cb(aux, a, NULL);
			i++;
			d++;
		} else if (c > 0) {
			cb(aux, NULL, b);
			j++;
			d++;
		} else {
			if (!version_equal(a, b)) {
				cb(aux, a, b);
				d++;
			}
			i++;
			j++;
		}
	}
	free(io);
	free(in);
	return d;
}

struct fm_list {
	struct ofp_flow_mod *v;
	size_t n, alloc;
	bool adds;                      /* this pass collects adds */
};

static void collect(void *aux, const struct ofp_flow_mod *old,
		    const struct ofp_flow_mod *new)
{
	struct fm_list *l = aux;
	const struct ofp_flow_mod *src = l->adds ? new : old;
	struct ofp_flow_mod *fm;

	if (!src || (!l->adds && new))
		return;
	if (l->n == l->alloc) {
		size_t na = l->alloc ? l->alloc * 2 : 16;
		struct ofp_flow_mod *v = realloc(l->v, na * sizeof *v);

		if (!v)
			return;
		l->v = v;
		l->alloc = na;
	}
	fm = &l->v[l->n++];
	ofp_flow_mod_clone(fm, src);
	if (l->adds) {
		fm->command = OFP_FM_ADD;
	} else {
		fm->command = OFP_FM_DELETE_STRICT;
		fm->table_id = fte_table(src);
		fm->cookie = fm->cookie_mask = 0;
		fm->out_port = OFPP_NONE;
	}
}

size_t ofp_diff_flow_mods(const struct ofp_flow_mod *old, size_t n_old,
			  const struct ofp_flow_mod *new, size_t n_new,
			  struct ofp_flow_mod **out)
{
	struct fm_list l = { NULL, 0, 0, false };

	ofp_diff(old, n_old, new, n_new, collect, &l);
	l.adds = true;
	ofp_diff(old, n_old, new, n_new, collect, &l);
	*out = l.v;
	return l.n;
}

void ofp_fte_format(struct buf *out, const struct ofp_flow_mod *fte,
		    const struct ofp_names *names)
{
	if (fte_table(fte))
		buf_printf(out, "table=%u ", fte_table(fte));
	ofp_match_format(out, &fte->match, fte->priority, names);
	if (fte->new_cookie)
		buf_printf(out, " cookie=%#llx", (unsigned long long)fte->new_cookie);
	if (fte->idle_timeout)
		buf_printf(out, " idle_timeout=%u", fte->idle_timeout);
	if (fte->hard_timeout)
		buf_printf(out, " hard_timeout=%u", fte->hard_timeout);
	if (fte->importance)
		buf_printf(out, " importance=%u", fte->importance);
	buf_puts(out, " actions=");
	ofpacts_format(out, fte->actions.data, fte->actions.len, names);
}

/*
 * ofp_rules.c - rule tables and OpenFlow's add/modify/delete semantics.
 */
#include "ofp_rules.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ofp_actions.h"

#define RULE(CR) ((struct ofp_rule *)(void *)((char *)(CR) - \
			offsetof(struct ofp_rule, cr)))

void ofp_tables_init(struct ofp_tables *t)
{
	size_t i;

	memset(t, 0, sizeof *t);
	for (i = 0; i < OFP_N_TABLES; i++)
		classifier_init(&t->tables[i].cls);
}

static void rule_free(struct ofp_rule *r)
{
	if (r) {
		free(r->acts);
		free(r);
	}
}

void ofp_tables_destroy(struct ofp_tables *t)
{
	size_t i, j, n;

	for (i = 0; i < OFP_N_TABLES; i++) {
		struct cls_rule **all;

		n = classifier_rules(&t->tables[i].cls, &all);
		for (j = 0; j < n; j++) {
			struct ofp_rule *r = RULE(all[j]);

			classifier_remove(&t->tables[i].cls, all[j]);
			rule_free(r);
		}
		free(all);
		classifier_destroy(&t->tables[i].cls);
	}
	t->n_rules = 0;
}

static void notify(struct ofp_tables *t, enum ofp_rule_event ev,
		   const struct ofp_rule *r)
{
	if (t->observer)
		t->observer(t->observer_aux, ev, r);
}

static void rule_unlink(struct ofp_tables *t, struct ofp_rule *r,
			enum ofp_rule_event ev)
{
	classifier_remove(&t->tables[r->table_id].cls, &r->cr);
	t->n_rules--;
	t->version++;
	notify(t, ev, r);
	rule_free(r);
}

static bool cookie_ok(const struct ofp_flow_mod *fm, const struct ofp_rule *r)
{
	return !((r->cookie ^ fm->cookie) & fm->cookie_mask);
}

size_t ofp_tables_select(const struct ofp_tables *t,
			 const struct ofp_flow_mod *q, bool strict,
			 struct ofp_rule ***out)
{
	size_t first = q->table_id == OFP_TABLE_ALL ? 0 : q->table_id;
	size_t last = q->table_id == OFP_TABLE_ALL ? OFP_N_TABLES - 1 : q->table_id;
	struct ofp_rule **sel = NULL;
	size_t n = 0, alloc = 0, i, j;

	*out = NULL;
	for (i = first; i <= last; i++) {
		const struct classifier *cls = &t->tables[i].cls;
		struct cls_rule **all = NULL, *one;
		size_t m;

		if (!classifier_count(cls))
			continue;
		if (strict) {
			one = classifier_find_exact(cls, &q->match, q->priority);
			all = one ? malloc(sizeof *all) : NULL;
			m = all ? 1 : 0;
			if (all)
				all[0] = one;
		} else {
			m = classifier_rules(cls, &all);
		}
		for (j = 0; j < m; j++) {
			struct ofp_rule *r = RULE(all[j]);
			struct ofp_match rm;

			if (!cookie_ok(q, r))
				continue;
			if (q->out_port != OFPP_NONE &&
			    !ofpacts_output_to_port(r->acts, r->acts_len, q->out_port))
				continue;
			if (!strict) {
				cls_rule_get_match(&r->cr, &rm);
				if (!ofp_match_covers(&q->match, &rm))
					continue;
			}
			if (n == alloc) {
				size_t na = alloc ? alloc * 2 : 16;
				struct ofp_rule **s = realloc(sel, na * sizeof *s);

				if (!s) {
					free(all);
					free(sel);
					return 0;
				}
				sel = s;
				alloc = na;
			}
			sel[n++] = r;
		}
		free(all);
	}
	*out = sel;
	return n;
}

static bool overlaps_same_priority(const struct classifier *cls,
				   const struct ofp_flow_mod *fm)
{
	struct cls_rule **all;
	size_t n = classifier_rules(cls, &all), i;
	bool found = false;

	for (i = 0; i < n && !found; i++) {
		struct ofp_match m;

		if (all[i]->priority != fm->priority)
			continue;
		cls_rule_get_match(all[i], &m);
		found = ofp_match_overlaps(&m, &fm->match);
	}
	free(all);
	return found;
}

static int add_rule(struct ofp_tables *t, const struct ofp_flow_mod *fm,
		    int64_t now, struct ofp_fm_result *res, struct dp_err *err)
{
	uint8_t table = fm->table_id == OFP_TABLE_ALL ? 0 : fm->table_id;
	struct classifier *cls = &t->tables[table].cls;
	struct ofp_rule *r, *old = NULL;
	struct cls_rule *cr;

	if (fm->flags & OFP_FF_CHECK_OVERLAP && overlaps_same_priority(cls, fm))
		return dp_err_set(err, EEXIST,
				  "check_overlap: the rule overlaps a rule of the same priority in table %u",
				  table);
	r = calloc(1, sizeof *r);
	if (!r || !(r->acts = malloc(fm->actions.len ? fm->actions.len : 1))) {
		free(r);
		return dp_err_set(err, ENOMEM, "out of memory");
	}
	if (fm->actions.len)
		memcpy(r->acts, fm->actions.data, fm->actions.len);
	r->acts_len = fm->actions.len;
	r->table_id = table;
	r->priority = fm->priority;
	r->idle_timeout = fm->idle_timeout;
	r->hard_timeout = fm->hard_timeout;
	r->importance = fm->importance;
	r->flags = fm->flags;
	r->cookie = fm->modify_cookie ? fm->new_cookie : 0;
	r->created_ms = r->modified_ms = r->used_ms = now;

	cr = classifier_find_exact(cls, &fm->match, fm->priority);
	if (cr)
		old = RULE(cr);
	if (classifier_insert(cls, &r->cr, &fm->match, fm->priority,
			      t->next_seq++)) {
		rule_free(r);
		return dp_err_set(err, ENOMEM, "out of memory");
	}
	t->n_rules++;
	t->version++;
	if (old)
		rule_unlink(t, old, OFP_RULE_REPLACED);
	notify(t, OFP_RULE_ADDED, r);
	if (res)
		res->added++;
	return 0;
}

static int modify_rules(struct ofp_tables *t, const struct ofp_flow_mod *fm,
			bool strict, int64_t now, struct ofp_fm_result *res,
			struct dp_err *err)
{
	struct ofp_rule **sel;
	size_t n = ofp_tables_select(t, fm, strict, &sel), i;

	if (!n) {
		free(sel);
		if (fm->cookie_mask)
			return 0;
		return add_rule(t, fm, now, res, err);
	}
	for (i = 0; i < n; i++) {
		struct ofp_rule *r = sel[i];
		void *acts = malloc(fm->actions.len ? fm->actions.len : 1);

		if (!acts) {
			free(sel);
			return dp_err_set(err, ENOMEM, "out of memory");
		}
		if (fm->actions.len)
			memcpy(acts, fm->actions.data, fm->actions.len);
		free(r->acts);
		r->acts = acts;
		r->acts_len = fm->actions.len;
		if (fm->modify_cookie)
			r->cookie = fm->new_cookie;
		if (fm->flags & OFP_FF_RESET_COUNTS)
			r->n_packets = r->n_bytes = 0;
		r->modified_ms = now;
		t->version++;
		notify(t, OFP_RULE_MODIFIED, r);
		if (res)
			res->modified++;
	}
	free(sel);
	return 0;
}

static int delete_rules(struct ofp_tables *t, const struct ofp_flow_mod *fm,
			bool strict, struct ofp_fm_result *res)
{
	struct ofp_rule **sel;
	size_t n = ofp_tables_select(t, fm, strict, &sel), i;

	for (i = 0; i < n; i++)
		rule_unlink(t, sel[i], OFP_RULE_DELETED);
	if (res)
		res->deleted += n;
	free(sel);
	return 0;
}

int ofp_tables_apply(struct ofp_tables *t, const struct ofp_flow_mod *fm,
		     int64_t now_ms, struct ofp_fm_result *res,
		     struct dp_err *err)
{
	switch (fm->command) {
	case OFP_FM_ADD:
		return add_rule(t, fm, now_ms, res, err);
	case OFP_FM_MODIFY:
	case OFP_FM_MODIFY_STRICT:
		return modify_rules(t, fm, fm->command == OFP_FM_MODIFY_STRICT,
				    now_ms, res, err);
	case OFP_FM_DELETE:
	case OFP_FM_DELETE_STRICT:
		return delete_rules(t, fm, fm->command == OFP_FM_DELETE_STRICT, res);
	case OFP_FM_QUERY:
		break;
	}
	return dp_err_set(err, EINVAL, "not a flow mod: %s",
			  ofp_fm_command_name(fm->command));
}

const struct ofp_rule *ofp_tables_lookup(const struct ofp_tables *t,
					 uint8_t table,
					 const struct ofp_flow *flow,
					 struct ofp_flow *wc)
{
	const struct cls_rule *cr;

	if (table >= OFP_N_TABLES)
		return NULL;
	cr = classifier_lookup(&t->tables[table].cls, flow, wc);
	return cr ? RULE(cr) : NULL;
}

void ofp_rule_credit(struct ofp_rule *r, uint64_t packets, uint64_t bytes,
		     int64_t used_ms)
{
	if (!(r->flags & OFP_FF_NO_PKT_COUNTS))
		r->n_packets += packets;
	if (!(r->flags & OFP_FF_NO_BYT_COUNTS))
		r->n_bytes += bytes;
	if (packets && used_ms > r->used_ms)
		r->used_ms = used_ms;
}

size_t ofp_tables_expire(struct ofp_tables *t, int64_t now_ms)
{
	size_t i, j, n, expired = 0;

	for (i = 0; i < OFP_N_TABLES; i++) {
		struct cls_rule **all;

		if (!classifier_count(&t->tables[i].cls))
			continue;
		n = classifier_rules(&t->tables[i].cls, &all);
		for (j = 0; j < n; j++) {
			struct ofp_rule *r = RULE(all[j]);

			if (r->hard_timeout &&
			    now_ms >= r->modified_ms + r->hard_timeout * 1000LL) {
				rule_unlink(t, r, OFP_RULE_HARD_TIMEOUT);
				expired++;
			} else if (r->idle_timeout &&
				   now_ms >= r->used_ms + r->idle_timeout * 1000LL) {
				rule_unlink(t, r, OFP_RULE_IDLE_TIMEOUT);
				expired++;
			}
		}
		free(all);
	}
	return expired;
}

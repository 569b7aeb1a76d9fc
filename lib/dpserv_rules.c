/*
 * dpserv_rules.c - the slow path of dpd's datapaths: a struct sp_bridge
 * per datapath (slowpath.h), the misses and packet-ins for DS_PORTID_SP,
 * the revalidator's turns, and the dpkit_rules family (rules_proto.h)
 * that ofctl speaks.
 *
 * With dpserv_config.slowpath every datapath gets its slow path when it is
 * created; otherwise a datapath stays bare (as the kernel's: misses go to
 * the pids its ports name, or are lost) until DPR_CMD_ATTACH ("ofctl
 * add-br") makes it a bridge.
 */
#include "dpserv_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "ofp_flow_mod.h"
#include "ofp_rules.h"
#include "rules_proto.h"
#include "slowpath.h"

#define STR   { DS_POL_NUL_STRING, 0, false, 0, 0 }
#define STR15 { DS_POL_NUL_STRING, IFNAMSIZ - 1, false, 0, 0 }

const struct ds_policy ds_rules_policy[DPR_ATTR_MAX + 1] = {
	[DPR_ATTR_DP] = STR15,
	[DPR_ATTR_LINE] = STR,
	[DPR_ATTR_COMMAND] = { DS_POL_U8, 0, true, 0, OFP_FM_QUERY },
	[DPR_ATTR_FLAGS] = { DS_POL_U32, 0, false, 0, 0 },
	[DPR_ATTR_SORT] = STR,
	[DPR_ATTR_FIRST_LINE] = { DS_POL_U32, 0, false, 0, 0 },
	[DPR_ATTR_SYSTEM] = { DS_POL_FLAG, 0, false, 0, 0 },
};

/* --- notifications to ofctl monitor ------------------------------------------- */

static bool group_has_members(const struct dpserv *srv)
{
	const struct dpserv_client *c;

	for (c = srv->clients; c; c = c->next)
		if (!c->dead && (c->groups & (1u << DS_GRP_RULES)))
			return true;
	return false;
}

static size_t note_start(struct buf *b, const struct ds_dp *d, uint8_t cmd)
{
	size_t start;

	buf_clear(b);
	start = ds_msg_start(b, &ds_families[DS_FAM_RULES], 0, 0, 0, cmd);
	na_put_str(b, DPR_ATTR_DP, d->name);
	return start;
}

static void note_send(struct ds_dp *d, struct buf *b, size_t start)
{
	ds_msg_end(b, start);
	if (buf_ok(b))
		ds_multicast(d->srv, &ds_families[DS_FAM_RULES], b->data, b->len,
			     NULL);
}

static void on_pin(void *aux, const struct dp_upcall *u,
		   const struct xlate_pin *pin)
{
	struct ds_dp *d = aux;
	struct dp_key mask;
	struct buf b = BUF_INIT;
	size_t start;

	if (!group_has_members(d->srv) || !u->packet)
		return;
	start = note_start(&b, d, DPR_CMD_PACKET_IN);
	na_put_u8(&b, DPR_ATTR_TABLE, pin->table_id);
	na_put_u64(&b, DPR_ATTR_COOKIE, pin->cookie);
	na_put_u8(&b, DPR_ATTR_REASON, pin->reason);
	na_put_u32(&b, DPR_ATTR_IN_PORT, u->key.in_port);
	na_put_u64(&b, DPR_ATTR_BYTES, u->packet->len);
	/* The packet's whole flow, as a megaflow with every bit. */
	memset(&mask, 0xff, sizeof mask);
	{
		struct buf t = BUF_INIT;

		xlate_format_megaflow(&t, &u->key, &mask, NULL);
		buf_put(&t, "", 1);
		if (buf_ok(&t))
			na_put_str(&b, DPR_ATTR_TEXT, (const char *)t.data);
		buf_free(&t);
	}
	na_put(&b, DPR_ATTR_PACKET, u->packet->data,
	       u->packet->len < 65000 ? u->packet->len : 65000);
	note_send(d, &b, start);
	buf_free(&b);
}

static void on_rule(void *aux, enum ofp_rule_event ev,
		    const struct ofp_rule *r)
{
	struct ds_dp *d = aux;
	struct buf b = BUF_INIT, t = BUF_INIT;
	size_t start;

	if (!group_has_members(d->srv))
		return;
	start = note_start(&b, d, DPR_CMD_RULE_EVENT);
	na_put_u8(&b, DPR_ATTR_EVENT, (uint8_t)ev);
	na_put_u8(&b, DPR_ATTR_TABLE, r->table_id);
	na_put_u64(&b, DPR_ATTR_COOKIE, r->cookie);
	ofp_rule_format(&t, r, 0, 0, NULL);
	buf_put(&t, "", 1);
	if (buf_ok(&t))
		na_put_str(&b, DPR_ATTR_RULE, (const char *)t.data);
	note_send(d, &b, start);
	buf_free(&t);
	buf_free(&b);
}

/* --- the slow path of each datapath ------------------------------------------- */

int ds_sp_create(struct dpserv *srv, struct ds_dp *d, uint32_t upcall_pid)
{
	struct sp_config cfg;
	struct dp_err err;
	int e;

	memset(&cfg, 0, sizeof cfg);
	cfg.idle_ms = srv->cfg.sp_idle_ms;
	cfg.flow_limit = srv->cfg.sp_flow_limit;
	cfg.upcall_pid = upcall_pid;
	dp_err_clear(&err);
	e = sp_create(&d->sp, d->name, &cfg, (int64_t)dp_now_ms(), &err);
	if (e < 0)
		return e;
	d->srv = srv;
	sp_set_pin_cb(d->sp, on_pin, d);
	sp_set_rule_cb(d->sp, on_rule, d);
	return 0;
}

int ds_sp_attach(struct dpserv *srv, struct ds_dp *d, bool force)
{
	struct dp_err err;
	int e;

	if ((!srv->cfg.slowpath && !force) || d->sp)
		return 0;
	e = ds_sp_create(srv, d, DS_PORTID_SP);
	if (e < 0)
		return e;
	sp_datapath_of_dp(&d->spd, d->dp);
	dp_err_clear(&err);
	dp_set_fallback_pid(d->dp, DS_PORTID_SP);
	e = sp_sync_ports(d->sp, d->dp, &err);
	if (e < 0) {
		dp_set_fallback_pid(d->dp, 0);
		sp_destroy(d->sp);
		d->sp = NULL;
	}
	return e;
}

void ds_sp_ports_changed(struct dpserv *srv, struct ds_dp *d)
{
	struct dp_err err;

	if (!d->sp || !d->dp)
		return;
	dp_err_clear(&err);
	if (sp_sync_ports(d->sp, d->dp, &err) < 0)
		dp_log(srv->log, DP_LOG_ERR, "%s: ports for the slow path: %s",
		       d->name, dp_err_str(&err));
}

int ds_sp_run(struct dpserv *srv)
{
	int64_t now = (int64_t)dp_now_ms(), next = -1, t;
	size_t i;

	for (i = 0; i < srv->n_dps; i++) {
		struct ds_dp *d = srv->dps[i];

		if (!d->sp || !d->dp)
			continue;
		t = sp_run(d->sp, d->dp, now, false);
		if (next < 0 || t < next)
			next = t;
	}
	t = ds_sys_run(srv, now);
	if (t >= 0 && (next < 0 || now + t < next))
		next = now + t;
	if (next < 0)
		return -1;
	return next > now ? (int)(next - now) : 0;
}

/* An upcall for DS_PORTID_SP (dpserv_packet.c). */
void ds_sp_upcall(struct dpserv *srv, struct ds_dp *d,
		  const struct dp_upcall *u)
{
	int e = sp_handle_upcall(d->sp, d->dp, u, (int64_t)dp_now_ms());

	if (e < 0)
		dp_log_rl(srv->log, &srv->rl, DP_LOG_DBG, "%s: upcall: %s",
			  d->name, strerror(-e));
}

/* --- requests ------------------------------------------------------------------- */

static int req_dp(struct ds_req *r, struct ds_dp **out)
{
	const struct nlattr *a = r->tb[DPR_ATTR_DP];
	struct ds_dp *d;

	*out = NULL;
	if (!a)
		return ds_ext(r, EINVAL, NULL, "no datapath named");
	if (r->tb[DPR_ATTR_SYSTEM]) {
		d = ds_sys_by_name(r->srv, na_data(a));
		if (!d)
			return ds_ext(r, EOPNOTSUPP, a, "system@%s is not a "
				      "bridge (ofctl add-br system@%s makes it "
				      "one)", (const char *)na_data(a),
				      (const char *)na_data(a));
		*out = d;
		return 0;
	}
	d = ds_dp_by_name(r->srv, na_data(a));
	if (!d || !d->dp)
		return ds_ext(r, ENODEV, a, "no datapath %s",
			      (const char *)na_data(a));
	if (!d->sp && r->cmd != DPR_CMD_ATTACH)
		return ds_ext(r, EOPNOTSUPP, a, "%s is a bare datapath, not a "
			      "bridge (ofctl add-br %s makes it one)", d->name,
			      d->name);
	*out = d;
	return 0;
}

/* The flow mods of a request's LINE attributes, all parsed (or none:
 * the first error, "line N: ...", in the extended ACK). */
struct fm_vec {
	struct ofp_flow_mod *v;
	size_t n, cap;
};

static void fm_vec_free(struct fm_vec *fv)
{
	size_t i;

	for (i = 0; i < fv->n; i++)
		ofp_flow_mod_uninit(&fv->v[i]);
	free(fv->v);
	fv->v = NULL;
	fv->n = fv->cap = 0;
}

static int parse_lines(struct ds_req *r, struct ds_dp *d,
		       enum ofp_fm_command cmd, bool verbs, struct fm_vec *fv)
{
	size_t hdr = NLMSG_HDRLEN + GENL_HDRLEN;
	const uint8_t *head = (const uint8_t *)r->nlh + hdr;
	size_t len = r->nlh->nlmsg_len > hdr ? r->nlh->nlmsg_len - hdr : 0;
	uint32_t first = ds_get_u32(r->tb[DPR_ATTR_FIRST_LINE], 0);
	struct ofp_names names;
	const struct nlattr *a;
	struct dp_err err;
	size_t rem, lineno = 0;
	int e;

	sp_names(d->sp, &names);
	NA_FOR_EACH(a, head, len, rem) {
		const char *s = na_data(a);
		size_t l;

		if (na_type(a) != DPR_ATTR_LINE)
			continue;
		lineno++;
		l = strnlen(s, na_len(a));
		if (l == na_len(a))
			return ds_ext(r, EINVAL, a, "line not NUL-terminated");
		/* Flow files have blank lines and comments. */
		if (first && (!s[strspn(s, " \t\r")] ||
			      s[strspn(s, " \t\r")] == '#'))
			continue;
		if (fv->n == fv->cap) {
			size_t c = fv->cap ? fv->cap * 2 : 16;
			struct ofp_flow_mod *nv = realloc(fv->v, c * sizeof *nv);

			if (!nv)
				return -ENOMEM;
			fv->v = nv;
			fv->cap = c;
		}
		dp_err_clear(&err);
		e = ofp_flow_mod_parse(&fv->v[fv->n], s, l, cmd, verbs, &names,
				       &err);
		if (e < 0) {
			ofp_flow_mod_uninit(&fv->v[fv->n]);
			if (first)
				return ds_ext(r, -e, a, "line %zu: %s",
					      first + lineno - 1,
					      dp_err_str(&err));
			return ds_ext(r, -e, a, "%s", dp_err_str(&err));
		}
		fv->n++;
	}
	return 0;
}

static bool any_check_overlap(const struct fm_vec *fv)
{
	size_t i;

	for (i = 0; i < fv->n; i++)
		if (fv->v[i].flags & OFP_FF_CHECK_OVERLAP)
			return true;
	return false;
}

static void free_snapshot(struct ofp_flow_mod *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		ofp_flow_mod_uninit(&v[i]);
	free(v);
}

static int put_result(struct ds_req *r, const struct ofp_fm_result *res)
{
	size_t start = ds_reply_start(r, r->out, r->cmd);

	na_put_u32(r->out, DPR_ATTR_ADDED, (uint32_t)res->added);
	na_put_u32(r->out, DPR_ATTR_MODIFIED, (uint32_t)res->modified);
	na_put_u32(r->out, DPR_ATTR_DELETED, (uint32_t)res->deleted);
	ds_msg_end(r->out, start);
	return 0;
}

static int rules_mod(struct ds_req *r)
{
	uint32_t flags = ds_get_u32(r->tb[DPR_ATTR_FLAGS], 0);
	enum ofp_fm_command cmd = OFP_FM_ADD;
	struct fm_vec fv = { NULL, 0, 0 };
	struct ofp_fm_result res;
	struct dp_err err;
	struct ds_dp *d;
	int e = req_dp(r, &d);

	if (e < 0)
		return e;
	if (r->tb[DPR_ATTR_COMMAND])
		cmd = na_get_u8(r->tb[DPR_ATTR_COMMAND]);
	if (r->cmd == DPR_CMD_REPLACE)
		flags &= ~DPR_F_VERBS;
	e = parse_lines(r, d, r->cmd == DPR_CMD_REPLACE ? OFP_FM_ADD : cmd,
			flags & DPR_F_VERBS, &fv);
	memset(&res, 0, sizeof res);
	if (e == 0 && !(flags & DPR_F_CHECK)) {
		struct ofp_flow_mod *before = NULL;
		size_t n_before = 0;

		/* Only check_overlap can refuse a parsed flow mod (short of
		 * memory): then the tables go back to what they were, so that
		 * a request is all or nothing. */
		if (r->cmd == DPR_CMD_MOD && any_check_overlap(&fv))
			n_before = ofp_tables_snapshot(sp_tables(d->sp), &before);
		dp_err_clear(&err);
		if (r->cmd == DPR_CMD_REPLACE)
			e = sp_replace_flows_on(d->sp, &d->spd, fv.v, fv.n, (int64_t)dp_now_ms(), &res,
					     &err);
		else
			e = sp_flow_mods_on(d->sp, &d->spd, fv.v, fv.n, (int64_t)dp_now_ms(), &res,
					 &err);
		if (e < 0) {
			struct ofp_fm_result undo;
			struct dp_err e2;

			if (before)
				sp_replace_flows_on(d->sp, &d->spd, before, n_before,
						 (int64_t)dp_now_ms(), &undo, &e2);
			ds_ext(r, -e, NULL, "%s%s", fv.n > 1 && before ?
			       "nothing changed: " : "", dp_err_str(&err));
		}
		free_snapshot(before, n_before);
		/* Traffic follows at once, not at the next period. */
		sp_run_on(d->sp, &d->spd, (int64_t)dp_now_ms(), true);
	}
	fm_vec_free(&fv);
	if (e < 0)
		return e;
	return put_result(r, &res);
}

/* --- dump-flows ------------------------------------------------------------------ */

/* The dump's messages, made when it starts (so it is one snapshot) and
 * sent in chunks. */
struct rules_snap {
	struct buf msgs;
	size_t pos;
};

static void snap_free(void *p)
{
	struct rules_snap *s = p;

	if (!s)
		return;
	buf_free(&s->msgs);
	free(s);
}

static int filter_of(struct ds_req *r, struct ds_dp *d,
		     struct ofp_flow_mod *q)
{
	const struct nlattr *a = r->tb[DPR_ATTR_LINE];
	struct ofp_names names;
	struct dp_err err;
	int e;

	if (!a) {
		ofp_flow_mod_init(q, OFP_FM_QUERY);
		return 0;
	}
	sp_names(d->sp, &names);
	dp_err_clear(&err);
	e = ofp_flow_mod_parse(q, na_data(a), strlen(na_data(a)), OFP_FM_QUERY,
			       false, &names, &err);
	if (e < 0) {
		ofp_flow_mod_uninit(q);
		return ds_ext(r, -e, a, "%s", dp_err_str(&err));
	}
	return 0;
}

static int sort_of(struct ds_req *r, struct ofp_sort_key *k, bool *sort)
{
	const struct nlattr *a = r->tb[DPR_ATTR_SORT];
	const char *s;

	*sort = a != NULL;
	memset(k, 0, sizeof *k);
	k->descending = ds_get_u32(r->tb[DPR_ATTR_FLAGS], 0) & DPR_F_DESCEND;
	if (!a)
		return 0;
	s = na_data(a);
	if (*s && strcmp(s, "priority")) {
		k->field = ofp_field_by_name(s, strlen(s));
		if (!k->field)
			return ds_ext(r, EINVAL, a, "%s: unknown field to sort "
				      "by", s);
	}
	return 0;
}

static void put_rule(struct ds_req *r, struct buf *b, const struct ofp_rule *ru,
		     int64_t now, unsigned fmt, const struct ofp_names *names,
		     struct buf *tmp)
{
	size_t start = ds_msg_start(b, r->fam, NLM_F_MULTI,
				    r->nlh->nlmsg_seq, r->c->portid,
				    DPR_CMD_GET);

	buf_clear(tmp);
	ofp_rule_format(tmp, ru, now, fmt, names);
	buf_put(tmp, "", 1);
	na_put_str(b, DPR_ATTR_TEXT, (const char *)tmp->data);
	buf_clear(tmp);
	ofp_rule_format(tmp, ru, now, 0, NULL);
	buf_put(tmp, "", 1);
	na_put_str(b, DPR_ATTR_RULE, (const char *)tmp->data);
	na_put_u8(b, DPR_ATTR_TABLE, ru->table_id);
	na_put_u16(b, DPR_ATTR_PRIORITY, ru->priority);
	na_put_u64(b, DPR_ATTR_COOKIE, ru->cookie);
	na_put_u64(b, DPR_ATTR_PACKETS, ru->n_packets);
	na_put_u64(b, DPR_ATTR_BYTES, ru->n_bytes);
	na_put_u64(b, DPR_ATTR_DURATION_MS, (uint64_t)(now - ru->created_ms));
	na_put_u64(b, DPR_ATTR_IDLE_AGE_MS, (uint64_t)(now - ru->used_ms));
	ds_msg_end(b, start);
}

/* The datapath, sort key and filter of a GET (q to uninit on success). */
static int get_args(struct ds_req *r, struct ds_dp **d,
		    struct ofp_sort_key *key, bool *sort, struct ofp_flow_mod *q)
{
	int e = req_dp(r, d);

	if (e == 0)
		e = sort_of(r, key, sort);
	if (e == 0)
		e = filter_of(r, *d, q);
	return e;
}

static int rules_get_start(struct ds_req *r, struct ds_dump *dump)
{
	struct ds_dp *d;
	uint32_t flags = ds_get_u32(r->tb[DPR_ATTR_FLAGS], 0);
	struct ofp_flow_mod q;
	struct ofp_sort_key key;
	struct ofp_rule **rules = NULL;
	struct ofp_names names;
	struct rules_snap *s;
	struct buf tmp;
	int64_t now = (int64_t)dp_now_ms();
	size_t n, i;
	bool sort;
	int e = get_args(r, &d, &key, &sort, &q);

	if (e < 0)
		return e;
	s = calloc(1, sizeof *s);
	if (!s) {
		ofp_flow_mod_uninit(&q);
		return -ENOMEM;
	}
	/* Counters are the datapath's until the revalidator credits them:
	 * do that first, so a dump right after traffic shows it. */
	sp_run_on(d->sp, &d->spd, now, true);
	n = ofp_tables_select(sp_tables(d->sp), &q, flags & DPR_F_STRICT,
			      &rules);
	if (sort)
		ofp_rules_sort(rules, n, &key, 1);
	sp_names(d->sp, &names);
	buf_init(&tmp);
	for (i = 0; i < n; i++)
		put_rule(r, &s->msgs, rules[i], now,
			 flags & DPR_F_NO_STATS ? 0 : OFP_FMT_STATS,
			 flags & DPR_F_NAMES ? &names : NULL, &tmp);
	buf_free(&tmp);
	free(rules);
	ofp_flow_mod_uninit(&q);
	dump->priv = s;
	dump->priv_free = snap_free;
	return buf_ok(&s->msgs) ? 0 : -ENOMEM;
}

/* Send the snapshot's messages, whole, up to 'limit' per datagram. */
static int snap_dump(struct dpserv *srv, struct ds_dump *d, struct buf *out,
		     size_t limit)
{
	struct rules_snap *s = d->priv;

	(void)srv;
	if (!s)
		return 0;
	while (s->pos < s->msgs.len) {
		const struct nlmsghdr *h =
			(const void *)(s->msgs.data + s->pos);
		size_t l = NLMSG_ALIGN(h->nlmsg_len);

		if (out->len && out->len + l > limit)
			return 1;
		buf_put(out, h, l);
		s->pos += l;
	}
	return 0;
}

/* GET without NLM_F_DUMP: check a filter (ofctl does that before it
 * dumps, so a bad filter is reported with its token). */
static int rules_get_check(struct ds_req *r)
{
	struct ds_dp *d;
	struct ofp_sort_key key;
	struct ofp_flow_mod q;
	bool sort;
	int e = get_args(r, &d, &key, &sort, &q);

	if (e == 0)
		ofp_flow_mod_uninit(&q);
	return e;
}

/* --- dump-tables ------------------------------------------------------------------ */

static int rules_tables_start(struct ds_req *r, struct ds_dump *dump)
{
	struct ds_dp *d;
	const struct ofp_tables *t;
	struct rules_snap *s;
	unsigned i;
	int e;

	e = req_dp(r, &d);
	if (e < 0)
		return e;
	s = calloc(1, sizeof *s);
	if (!s)
		return -ENOMEM;
	sp_run_on(d->sp, &d->spd, (int64_t)dp_now_ms(), true);
	t = sp_tables(d->sp);
	for (i = 0; i < OFP_N_TABLES; i++) {
		const struct classifier *c = &t->tables[i].cls;
		size_t start;

		if (i && !classifier_count(c))
			continue;
		start = ds_msg_start(&s->msgs, r->fam, NLM_F_MULTI,
				     r->nlh->nlmsg_seq, r->c->portid,
				     DPR_CMD_TABLES);
		na_put_u8(&s->msgs, DPR_ATTR_TABLE, (uint8_t)i);
		na_put_u32(&s->msgs, DPR_ATTR_N_RULES,
			   (uint32_t)classifier_count(c));
		ds_msg_end(&s->msgs, start);
	}
	dump->priv = s;
	dump->priv_free = snap_free;
	return buf_ok(&s->msgs) ? 0 : -ENOMEM;
}

/* --- slow path counters ----------------------------------------------------------- */

static void put_stat(struct buf *b, const char *name, uint64_t v)
{
	size_t nest = na_nest_start(b, DPR_ATTR_STAT);

	na_put_str(b, DPR_ATTR_STAT_NAME, name);
	na_put_u64(b, DPR_ATTR_STAT_VALUE, v);
	na_nest_end(b, nest);
}

static int rules_stats(struct ds_req *r)
{
	struct ds_dp *d;
	struct sp_stats st;
	size_t start;
	int e;

	e = req_dp(r, &d);
	if (e < 0)
		return e;
	sp_get_stats(d->sp, &st);
	start = ds_reply_start(r, r->out, DPR_CMD_STATS);
	put_stat(r->out, "misses", st.n_misses);
	put_stat(r->out, "installed", st.n_installed);
	put_stat(r->out, "limited", st.n_limited);
	put_stat(r->out, "install_failed", st.n_install_failed);
	put_stat(r->out, "exec_failed", st.n_exec_failed);
	put_stat(r->out, "xlate_errors", st.n_xlate_errors);
	put_stat(r->out, "expired", st.n_expired);
	put_stat(r->out, "fixed", st.n_fixed);
	put_stat(r->out, "deleted", st.n_deleted);
	put_stat(r->out, "passes", st.n_passes);
	put_stat(r->out, "packet_ins", st.n_pins);
	put_stat(r->out, "megaflows", st.n_flows);
	put_stat(r->out, "rules", sp_tables(d->sp)->n_rules);
	ds_msg_end(r->out, start);
	return 0;
}

/* Make a datapath a bridge: rule tables (table 0 priority=0,
 * actions=normal) and the handler for misses no client listens for. */
static int rules_attach(struct ds_req *r)
{
	struct ds_dp *d;
	struct dp_err err;
	int e;

	if (r->tb[DPR_ATTR_SYSTEM] && r->tb[DPR_ATTR_DP]) {
		const char *name = na_data(r->tb[DPR_ATTR_DP]);

		if (ds_sys_by_name(r->srv, name))
			return 0;
		dp_err_clear(&err);
		e = ds_sys_attach(r->srv, name, &d, &err);
		if (e < 0)
			return ds_ext(r, -e, NULL, "cannot make system@%s a "
				      "bridge: %s", name, dp_err_str(&err));
		dp_log(r->srv->log, DP_LOG_INFO, "system@%s: now a bridge "
		       "(slow path on)", name);
		return 0;
	}
	e = req_dp(r, &d);

	if (e < 0)
		return e;
	if (d->sp)
		return 0;
	e = ds_sp_attach(r->srv, d, true);
	if (e < 0)
		return ds_ext(r, -e, NULL, "cannot make %s a bridge", d->name);
	dp_log(r->srv->log, DP_LOG_INFO, "%s: now a bridge (slow path on)",
	       d->name);
	return 0;
}

/* A kernel datapath is a bare datapath again. */
static int rules_detach(struct ds_req *r)
{
	struct ds_dp *d;
	int e;

	if (!r->tb[DPR_ATTR_SYSTEM])
		return ds_ext(r, EOPNOTSUPP, NULL, "only a system@ bridge can "
			      "be detached (del-br deletes a netdev@ one)");
	e = req_dp(r, &d);
	if (e < 0)
		return e;
	ds_sys_detach(r->srv, d);
	dp_log(r->srv->log, DP_LOG_INFO, "system@%s: no longer a bridge",
	       (const char *)na_data(r->tb[DPR_ATTR_DP]));
	return 0;
}

const struct ds_op ds_rules_ops[7] = {
	{ DPR_CMD_ATTACH, true, rules_attach, NULL, NULL },
	{ DPR_CMD_DETACH, true, rules_detach, NULL, NULL },
	{ DPR_CMD_MOD, true, rules_mod, NULL, NULL },
	{ DPR_CMD_REPLACE, true, rules_mod, NULL, NULL },
	{ DPR_CMD_GET, false, rules_get_check, snap_dump, rules_get_start },
	{ DPR_CMD_TABLES, false, NULL, snap_dump, rules_tables_start },
	{ DPR_CMD_STATS, false, rules_stats, NULL, NULL },
};

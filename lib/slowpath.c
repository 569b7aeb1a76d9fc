/*
 * slowpath.c - rule tables, miss handling and revalidation for one
 * userspace datapath (see slowpath.h).
 *
 * Megaflow records.  Every megaflow the bridge installs carries a ufid of
 * its own making: 8 bytes of sequence number and 8 bytes of a constant
 * that says "ours".  A record per megaflow, in a hash table by sequence
 * number, remembers what the revalidator needs between passes: the
 * counters already credited to rules, the rule-table version and MAC-table
 * generation it was translated for, and the recirculation ids it holds.
 * A record whose flow is gone from the datapath (deleted by dpctl, or the
 * datapath flushed) is found missing during a pass and freed.
 */
#include "slowpath.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mac_learn.h"
#include "xlate_recirc.h"

#define SP_UFID_MAGIC 0x5350646b6974ull     /* "tikdPS": ours */
#define SP_REVAL_SOON_MS 50                 /* after a change */

struct sp_rec {
	uint64_t seq;
	uint64_t packets, bytes;        /* credited so far */
	uint64_t version;               /* ofp_tables version translated for */
	uint64_t mac_gen;
	bool used_mac;
	bool seen;                      /* found in the current pass */
	int64_t created_ms;
	uint64_t mask_hash;             /* of the mask it was installed with */
	uint32_t recircs[XLATE_MAX_RECIRCS];
	unsigned n_recircs;
	struct sp_rec *next;
};

struct sp_bridge {
	struct sp_config cfg;
	struct ofp_tables tables;
	struct mac_learn ml;
	struct xlate_recirc *recirc;
	struct xlate_bridge br;
	struct xlate_out xo;
	struct sp_rec **recs;
	size_t n_buckets, n_recs;
	uint64_t next_seq;
	int64_t next_pass_ms;
	uint64_t reval_version;         /* tables version at the last pass */
	uint64_t reval_mac_gen;
	sp_pin_cb *pin_cb;
	void *pin_aux;
	struct sp_stats st;
};

/* --- megaflow records ------------------------------------------------------ */

static void make_ufid(uint8_t ufid[16], uint64_t seq)
{
	uint64_t m = SP_UFID_MAGIC;

	memcpy(ufid, &seq, 8);
	memcpy(ufid + 8, &m, 8);
}

static bool ufid_ours(const struct sp_flow *f, uint64_t *seq)
{
	uint64_t m;

	if (!f->has_ufid)
		return false;
	memcpy(&m, f->ufid + 8, 8);
	memcpy(seq, f->ufid, 8);
	return m == SP_UFID_MAGIC;
}

static struct sp_rec **rec_slot(struct sp_bridge *sp, uint64_t seq)
{
	struct sp_rec **p = &sp->recs[seq & (sp->n_buckets - 1)];

	while (*p && (*p)->seq != seq)
		p = &(*p)->next;
	return p;
}

static int rec_grow(struct sp_bridge *sp)
{
	size_t nb = sp->n_buckets * 2, i;
	struct sp_rec **b = calloc(nb, sizeof *b);

	if (!b)
		return -ENOMEM;
	for (i = 0; i < sp->n_buckets; i++) {
		struct sp_rec *r = sp->recs[i], *next;

		for (; r; r = next) {
			next = r->next;
			r->next = b[r->seq & (nb - 1)];
			b[r->seq & (nb - 1)] = r;
		}
	}
	free(sp->recs);
	sp->recs = b;
	sp->n_buckets = nb;
	return 0;
}

static void rec_free(struct sp_bridge *sp, struct sp_rec *r, int64_t now_ms)
{
	unsigned i;

	for (i = 0; i < r->n_recircs; i++)
		xlate_recirc_unref(sp->recirc, r->recircs[i], now_ms);
	free(r);
}

static void rec_remove(struct sp_bridge *sp, uint64_t seq, int64_t now_ms)
{
	struct sp_rec **p = rec_slot(sp, seq), *r = *p;

	if (!r)
		return;
	*p = r->next;
	sp->n_recs--;
	rec_free(sp, r, now_ms);
}

/* A datapath may read a mask back in a form of its own (the kernel's
 * dumps do), so a megaflow's mask is compared with the one it was
 * installed with, by hash. */
static uint64_t mask_hash(const struct dp_key *mask)
{
	const uint8_t *p = (const uint8_t *)mask;
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < sizeof *mask; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static void rec_note_xlate(struct sp_bridge *sp, struct sp_rec *r)
{
	r->version = sp->xo.tables_version;
	r->used_mac = sp->xo.used_mac_table;
	r->mac_gen = sp->xo.mac_gen;
}

/* --- the bridge ------------------------------------------------------------- */

int sp_create(struct sp_bridge **out, const char *name,
	      const struct sp_config *cfg, int64_t now_ms, struct dp_err *err)
{
	struct sp_bridge *sp = calloc(1, sizeof *sp);
	int e;

	*out = NULL;
	if (!sp)
		return -ENOMEM;
	if (cfg)
		sp->cfg = *cfg;
	if (sp->cfg.idle_ms <= 0)
		sp->cfg.idle_ms = SP_IDLE_MS_DEFAULT;
	if (!sp->cfg.flow_limit)
		sp->cfg.flow_limit = SP_FLOW_LIMIT_DEFAULT;
	if (sp->cfg.reval_ms <= 0)
		sp->cfg.reval_ms = SP_REVAL_MS_DEFAULT;
	ofp_tables_init(&sp->tables);
	xlate_out_init(&sp->xo);
	sp->n_buckets = 256;
	sp->recs = calloc(sp->n_buckets, sizeof *sp->recs);
	sp->recirc = xlate_recirc_create();
	e = mac_learn_init(&sp->ml, 0, 0);
	if (!sp->recs || !sp->recirc || e < 0) {
		if (e == 0)
			mac_learn_destroy(&sp->ml);
		free(sp->recs);
		if (sp->recirc)
			xlate_recirc_destroy(sp->recirc);
		xlate_out_uninit(&sp->xo);
		ofp_tables_destroy(&sp->tables);
		free(sp);
		return -ENOMEM;
	}
	xlate_bridge_init(&sp->br, name, &sp->tables, &sp->ml, sp->recirc,
			  sp->cfg.upcall_pid);
	e = xlate_add_default_rule(&sp->tables, now_ms, err);
	if (e < 0) {
		sp_destroy(sp);
		return e;
	}
	sp->reval_version = sp->tables.version;
	sp->next_pass_ms = now_ms + sp->cfg.reval_ms;
	*out = sp;
	return 0;
}

void sp_destroy(struct sp_bridge *sp)
{
	size_t i;

	if (!sp)
		return;
	for (i = 0; i < sp->n_buckets; i++) {
		struct sp_rec *r = sp->recs[i], *next;

		for (; r; r = next) {
			next = r->next;
			free(r);
		}
	}
	free(sp->recs);
	sp->tables.observer = NULL;     /* nobody to tell any more */
	xlate_bridge_destroy(&sp->br);
	xlate_recirc_destroy(sp->recirc);
	mac_learn_destroy(&sp->ml);
	xlate_out_uninit(&sp->xo);
	ofp_tables_destroy(&sp->tables);
	free(sp);
}

int sp_sync_ports(struct sp_bridge *sp, const struct dp *dp,
		  struct dp_err *err)
{
	struct sp_datapath spd;

	sp_datapath_of_dp(&spd, (struct dp *)dp);
	return sp_sync_ports_on(sp, &spd, err);
}

int sp_sync_ports_on(struct sp_bridge *sp, struct sp_datapath *spd,
		     struct dp_err *err)
{
	struct xlate_port *ps = NULL, *np;
	char pname[IFNAMSIZ];
	uint32_t cursor = 0, port_no;
	size_t n = 0, cap = 0, i;
	int e;

	while (spd->ops->port_next(spd, &cursor, &port_no, pname) == 0) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			np = realloc(ps, cap * sizeof *ps);
			if (!np) {
				free(ps);
				return -ENOMEM;
			}
			ps = np;
		}
		memset(&ps[n], 0, sizeof ps[n]);
		ps[n].dp_port = port_no;
		snprintf(ps[n].name, sizeof ps[n].name, "%s", pname);
		n++;
	}
	/* What was learned on a port that is gone is forgotten, as a bridge
	 * forgets it when a port is deleted. */
	for (i = 0; i < sp->br.n_ports; i++) {
		uint32_t old = sp->br.ports[i].dp_port;
		size_t j;

		for (j = 0; j < n && ps[j].dp_port != old; j++)
			;
		if (j == n)
			mac_learn_flush(&sp->ml, ofp_port_from_dp(old));
	}
	e = xlate_bridge_set_ports(&sp->br, ps, n, err);
	free(ps);
	/* Flooding decisions depend on the port list. */
	sp->tables.version++;
	sp->next_pass_ms = 0;
	return e;
}

const struct ofp_tables *sp_tables(const struct sp_bridge *sp)
{
	return &sp->tables;
}

void sp_names(const struct sp_bridge *sp, struct ofp_names *names)
{
	xlate_bridge_names(&sp->br, names);
}

void sp_set_pin_cb(struct sp_bridge *sp, sp_pin_cb *cb, void *aux)
{
	sp->pin_cb = cb;
	sp->pin_aux = aux;
}

void sp_set_rule_cb(struct sp_bridge *sp,
		    void (*cb)(void *aux, enum ofp_rule_event,
			       const struct ofp_rule *),
		    void *aux)
{
	sp->tables.observer = cb;
	sp->tables.observer_aux = aux;
}

void sp_set_idle(struct sp_bridge *sp, int64_t idle_ms)
{
	sp->cfg.idle_ms = idle_ms > 0 ? idle_ms : SP_IDLE_MS_DEFAULT;
}

void sp_get_stats(const struct sp_bridge *sp, struct sp_stats *s)
{
	*s = sp->st;
	s->n_flows = sp->n_recs;
}

static void reval_pass(struct sp_bridge *sp, struct sp_datapath *spd,
		       int64_t now_ms);

int sp_flow_mods(struct sp_bridge *sp, struct dp *dp,
		 const struct ofp_flow_mod *fms,
		 size_t n, int64_t now_ms, struct ofp_fm_result *res,
		 struct dp_err *err)
{
	struct sp_datapath spd;

	if (dp)
		sp_datapath_of_dp(&spd, dp);
	return sp_flow_mods_on(sp, dp ? &spd : NULL, fms, n, now_ms, res, err);
}

int sp_flow_mods_on(struct sp_bridge *sp, struct sp_datapath *spd,
		    const struct ofp_flow_mod *fms,
		    size_t n, int64_t now_ms, struct ofp_fm_result *res,
		    struct dp_err *err)
{
	struct ofp_fm_result one;
	size_t i;
	int e = 0;

	memset(res, 0, sizeof *res);
	/* Counters belong to the rules that made the megaflows: credit
	 * them while those rules are still there. */
	if (spd)
		reval_pass(sp, spd, now_ms);
	for (i = 0; i < n && e == 0; i++) {
		memset(&one, 0, sizeof one);
		e = ofp_tables_apply(&sp->tables, &fms[i], now_ms, &one, err);
		res->added += one.added;
		res->modified += one.modified;
		res->deleted += one.deleted;
	}
	if (res->added || res->modified || res->deleted)
		sp->next_pass_ms = 0;
	return e;
}

int sp_replace_flows(struct sp_bridge *sp, struct dp *dp,
		     const struct ofp_flow_mod *fms,
		     size_t n, int64_t now_ms, struct ofp_fm_result *res,
		     struct dp_err *err)
{
	struct sp_datapath spd;

	if (dp)
		sp_datapath_of_dp(&spd, dp);
	return sp_replace_flows_on(sp, dp ? &spd : NULL, fms, n, now_ms, res,
				   err);
}

int sp_replace_flows_on(struct sp_bridge *sp, struct sp_datapath *spd,
			const struct ofp_flow_mod *fms,
			size_t n, int64_t now_ms, struct ofp_fm_result *res,
			struct dp_err *err)
{
	struct ofp_flow_mod *old = NULL, *mods = NULL;
	size_t n_old, n_mods, i;
	int e;

	n_old = ofp_tables_snapshot(&sp->tables, &old);
	n_mods = ofp_diff_flow_mods(old, n_old, fms, n, &mods);
	e = sp_flow_mods_on(sp, spd, mods, n_mods, now_ms, res, err);
	for (i = 0; i < n_old; i++)
		ofp_flow_mod_uninit(&old[i]);
	for (i = 0; i < n_mods; i++)
		ofp_flow_mod_uninit(&mods[i]);
	free(old);
	free(mods);
	return e;
}

/* --- misses ----------------------------------------------------------------- */

static int install(struct sp_bridge *sp, struct sp_datapath *spd,
		   const struct dp_key *key, int64_t now_ms)
{
	struct sp_rec *r, **slot;
	struct dp_err err;
	uint8_t ufid[16];
	unsigned i;
	int e;

	if (spd->ops->flow_count(spd) >= sp->cfg.flow_limit) {
		sp->st.n_limited++;
		return 0;
	}
	if (sp->n_recs >= sp->n_buckets && rec_grow(sp) < 0)
		return -ENOMEM;
	r = calloc(1, sizeof *r);
	if (!r)
		return -ENOMEM;
	r->seq = ++sp->next_seq;
	r->created_ms = now_ms;
	r->mask_hash = mask_hash(&sp->xo.mask);
	rec_note_xlate(sp, r);
	make_ufid(ufid, r->seq);
	dp_err_clear(&err);
	e = spd->ops->flow_put(spd, key, &sp->xo.mask, sp->xo.actions.data,
			       sp->xo.actions.len, ufid, &err);
	if (e < 0) {
		/* -EEXIST: an earlier miss of the same megaflow, queued
		 * before it was installed. */
		if (e != -EEXIST)
			sp->st.n_install_failed++;
		free(r);
		return e == -EEXIST ? 0 : e;
	}
	for (i = 0; i < sp->xo.n_recircs; i++) {
		xlate_recirc_ref(sp->recirc, sp->xo.recircs[i]);
		r->recircs[r->n_recircs++] = sp->xo.recircs[i];
	}
	slot = rec_slot(sp, r->seq);
	*slot = r;
	sp->n_recs++;
	sp->st.n_installed++;
	return 0;
}

static void packet_in(struct sp_bridge *sp, const struct dp_upcall *u)
{
	struct xlate_pin pin;

	sp->st.n_pins++;
	if (!sp->pin_cb || !u->has_userdata)
		return;
	memset(&pin, 0, sizeof pin);
	if (xlate_pin_decode(sp->recirc, u->userdata, u->userdata_len,
			     &pin) == -EINVAL)
		return;
	sp->pin_cb(sp->pin_aux, u, &pin);
}

int sp_handle_upcall(struct sp_bridge *sp, struct dp *dp,
		     const struct dp_upcall *u, int64_t now_ms)
{
	struct sp_datapath spd;

	sp_datapath_of_dp(&spd, dp);
	return sp_handle_upcall_on(sp, &spd, u, now_ms);
}

int sp_handle_upcall_on(struct sp_bridge *sp, struct sp_datapath *spd,
			const struct dp_upcall *u, int64_t now_ms)
{
	struct xlate_in in;
	struct dp_err err;
	int e;

	if (u->cmd == OVS_PACKET_CMD_ACTION) {
		packet_in(sp, u);
		return 0;
	}
	sp->st.n_misses++;
	memset(&in, 0, sizeof in);
	in.key = &u->key;
	in.now_ms = now_ms;
	e = xlate_translate(&sp->br, &in, &sp->xo);
	if (e < 0)
		return e;
	if (sp->xo.error)
		sp->st.n_xlate_errors++;
	if (sp->xo.n_learn &&
	    xlate_apply_learning(&sp->br, &sp->xo, now_ms))
		sp->next_pass_ms = now_ms + SP_REVAL_SOON_MS < sp->next_pass_ms
				   ? now_ms + SP_REVAL_SOON_MS
				   : sp->next_pass_ms;
	/* The first packet counts for its rules as the later ones will. */
	if (u->packet)
		xlate_credit(&sp->xo, 1, u->packet->len, now_ms);
	e = install(sp, spd, &u->key, now_ms);
	if (!u->packet || !sp->xo.actions.len)
		return e;
	dp_err_clear(&err);
	if (spd->ops->execute(spd, u->packet->data, u->packet->len, &u->key,
			      sp->xo.actions.data, sp->xo.actions.len, u->mru,
			      &err) < 0)
		sp->st.n_exec_failed++;
	return e;
}

/* --- revalidation ----------------------------------------------------------- */

static bool same_actions(const struct sp_flow *f, const struct buf *a)
{
	return f->acts_len == a->len &&
	       (!a->len || !memcmp(f->acts, a->data, a->len));
}

/* One megaflow of ours: credit, expire, re-translate. */
static enum sp_verdict reval_flow(struct sp_bridge *sp,
				  const struct sp_flow *f, struct sp_rec *r,
				  int64_t now_ms, bool over_limit)
{
	int64_t used = f->used ? (int64_t)f->used : r->created_ms;
	uint64_t dp_ = f->packets - r->packets;
	uint64_t db = f->bytes - r->bytes;
	bool stale = r->version != sp->tables.version ||
		     (r->used_mac && r->mac_gen != mac_learn_gen(&sp->ml));
	bool expire = now_ms - used >= sp->cfg.idle_ms || over_limit;
	struct xlate_in in;

	if (!dp_ && !stale && !expire)
		return SP_KEEP;
	memset(&in, 0, sizeof in);
	in.key = f->key;
	in.now_ms = now_ms;
	if (xlate_translate(&sp->br, &in, &sp->xo) < 0)
		return SP_KEEP;
	if (dp_) {
		xlate_credit(&sp->xo, dp_, db, used);
		if (sp->xo.n_learn)
			xlate_apply_learning(&sp->br, &sp->xo, now_ms);
		r->packets = f->packets;
		r->bytes = f->bytes;
	}
	if (expire) {
		sp->st.n_expired++;
		return SP_REMOVE;
	}
	if (!stale)
		return SP_KEEP;
	if (sp->xo.error || mask_hash(&sp->xo.mask) != r->mask_hash) {
		sp->st.n_deleted++;
		return SP_REMOVE;
	}
	rec_note_xlate(sp, r);
	if (!same_actions(f, &sp->xo.actions)) {
		sp->st.n_fixed++;
		return SP_SET_ACTIONS;
	}
	return SP_KEEP;
}

struct reval_ctx {
	struct sp_bridge *sp;
	int64_t now_ms;
	size_t n;
};

static enum sp_verdict reval_visit(void *aux, const struct sp_flow *f,
				   const void **acts, size_t *len)
{
	struct reval_ctx *c = aux;
	struct sp_bridge *sp = c->sp;
	enum sp_verdict v;
	struct sp_rec *r;
	uint64_t seq;

	if (!ufid_ours(f, &seq))
		return SP_KEEP;
	r = *rec_slot(sp, seq);
	if (!r)
		return SP_KEEP;
	v = reval_flow(sp, f, r, c->now_ms, c->n > sp->cfg.flow_limit);
	if (v == SP_REMOVE) {
		c->n--;
		rec_remove(sp, seq, c->now_ms);
		return v;
	}
	r->seen = true;
	*acts = sp->xo.actions.data;
	*len = sp->xo.actions.len;
	return v;
}

static void reval_pass(struct sp_bridge *sp, struct sp_datapath *spd,
		       int64_t now_ms)
{
	struct reval_ctx c = { sp, now_ms, spd->ops->flow_count(spd) };
	struct sp_rec **p, *r;
	size_t i;

	sp->st.n_passes++;
	spd->ops->flow_walk(spd, reval_visit, &c);
	/* Records of flows deleted behind our back. */
	for (i = 0; i < sp->n_buckets; i++) {
		for (p = &sp->recs[i]; (r = *p);) {
			if (r->seen) {
				r->seen = false;
				p = &r->next;
				continue;
			}
			*p = r->next;
			sp->n_recs--;
			rec_free(sp, r, now_ms);
		}
	}
	ofp_tables_expire(&sp->tables, now_ms);
	mac_learn_expire(&sp->ml, now_ms);
	xlate_recirc_expire(sp->recirc, now_ms);
	sp->reval_version = sp->tables.version;
	sp->reval_mac_gen = mac_learn_gen(&sp->ml);
}

static enum sp_verdict flush_visit(void *aux, const struct sp_flow *f,
				   const void **acts, size_t *len)
{
	uint64_t seq;

	(void)aux;
	(void)acts;
	(void)len;
	return ufid_ours(f, &seq) ? SP_REMOVE : SP_KEEP;
}

void sp_flush_on(struct sp_bridge *sp, struct sp_datapath *spd,
		 int64_t now_ms)
{
	size_t i;

	spd->ops->flow_walk(spd, flush_visit, NULL);
	for (i = 0; i < sp->n_buckets; i++) {
		struct sp_rec *r = sp->recs[i], *next;

		for (; r; r = next) {
			next = r->next;
			rec_free(sp, r, now_ms);
		}
		sp->recs[i] = NULL;
	}
	sp->n_recs = 0;
}

int64_t sp_run(struct sp_bridge *sp, struct dp *dp, int64_t now_ms,
	       bool force)
{
	struct sp_datapath spd;

	sp_datapath_of_dp(&spd, dp);
	return sp_run_on(sp, &spd, now_ms, force);
}

int64_t sp_run_on(struct sp_bridge *sp, struct sp_datapath *spd,
		  int64_t now_ms, bool force)
{
	if (force || now_ms >= sp->next_pass_ms) {
		reval_pass(sp, spd, now_ms);
		sp->next_pass_ms = now_ms + sp->cfg.reval_ms;
	}
	return sp->next_pass_ms;
}

/*
 * sp_datapath_dpif.c - the slow path's view of a datapath reached through
 * dpif (the kernel's): megaflows go in with OVS_FLOW_CMD_NEW under a key
 * and mask, packets out with OVS_PACKET_CMD_EXECUTE.  A walk dumps the
 * flows first (no request can go on the socket in the middle of a dump),
 * then visits them and applies the verdicts by ufid.
 */
#include "sp_datapath.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "odp_key.h"

struct sp_dflow {
	struct dp_key key, mask;
	size_t acts_off, acts_len;      /* in st->acts */
	bool has_ufid;
	uint8_t ufid[16];
	struct dpif_flow_stats stats;
};

struct sp_dpif_state {
	struct dpif_port *ports;
	size_t n_ports;
	struct sp_dflow *flows;
	size_t n_flows, cap_flows;
	struct buf acts;
	size_t last_count;
};

static int put_key_mask(struct buf *k, struct buf *m, const struct dp_key *key,
			const struct dp_key *mask)
{
	odp_key_to_attrs(k, key);
	if (m)
		odp_mask_to_attrs(m, key, mask);
	return buf_ok(k) && (!m || buf_ok(m)) ? 0 : -ENOMEM;
}

static int df_exec(struct sp_datapath *spd, const void *frame, uint32_t len,
		   const struct dp_key *md, const void *acts, size_t acts_len,
		   uint16_t mru, struct dp_err *err)
{
	struct dpif_execute ex;
	struct buf k = BUF_INIT;
	int e = put_key_mask(&k, NULL, md, NULL);

	if (e == 0) {
		memset(&ex, 0, sizeof ex);
		ex.packet = frame;
		ex.packet_len = len;
		ex.key = k.data;
		ex.key_len = k.len;
		ex.actions = acts;
		ex.actions_len = acts_len;
		ex.mru = mru;
		e = dpif_execute(spd->dpif, &ex, err);
	}
	buf_free(&k);
	return e;
}

static int df_put_flags(struct sp_datapath *spd, unsigned flags,
			const struct dp_key *key, const struct dp_key *mask,
			const void *acts, size_t acts_len,
			const uint8_t ufid[16], struct dp_err *err)
{
	struct dpif_flow_put put;
	struct buf k = BUF_INIT, m = BUF_INIT;
	static const uint8_t none;
	int e = put_key_mask(&k, &m, key, mask);

	if (e == 0) {
		memset(&put, 0, sizeof put);
		put.flags = flags;
		put.key = k.data;
		put.key_len = k.len;
		put.mask = m.data;
		put.mask_len = m.len;
		put.actions = acts_len ? acts : &none;
		put.actions_len = acts_len;
		put.ufid = ufid;
		put.ufid_flags = OVS_UFID_F_OMIT_KEY | OVS_UFID_F_OMIT_MASK |
				 OVS_UFID_F_OMIT_ACTIONS;
		e = dpif_flow_put(spd->dpif, &put, err);
	}
	buf_free(&k);
	buf_free(&m);
	return e;
}

static int df_put(struct sp_datapath *spd, const struct dp_key *key,
		  const struct dp_key *mask, const void *acts, size_t acts_len,
		  const uint8_t ufid[16], struct dp_err *err)
{
	if (spd->st->last_count < SIZE_MAX)
		spd->st->last_count++;
	return df_put_flags(spd, DPIF_FP_CREATE, key, mask, acts, acts_len,
			    ufid, err);
}

/* The flow count as of the last dump, plus what went in since: the
 * kernel's count would cost a request per miss. */
static size_t df_count(struct sp_datapath *spd)
{
	return spd->st->last_count;
}

static int collect_flow(const struct dpif_flow *f, void *aux)
{
	struct sp_dpif_state *st = aux;
	struct sp_dflow *d;

	if (!f->has_ufid || !f->mask)
		return 0;               /* not one of the slow path's */
	if (st->n_flows == st->cap_flows) {
		size_t c = st->cap_flows ? st->cap_flows * 2 : 64;
		struct sp_dflow *v = realloc(st->flows, c * sizeof *v);

		if (!v)
			return -ENOMEM;
		st->flows = v;
		st->cap_flows = c;
	}
	d = &st->flows[st->n_flows];
	if (odp_match_from_attrs(f->key, f->key_len, f->mask, f->mask_len,
				 &d->key, &d->mask, NULL) < 0)
		return 0;
	d->acts_off = st->acts.len;
	d->acts_len = f->actions ? f->actions_len : 0;
	if (d->acts_len)
		buf_put(&st->acts, f->actions, d->acts_len);
	d->has_ufid = true;
	memcpy(d->ufid, f->ufid, 16);
	d->stats = f->stats;
	st->n_flows++;
	return 0;
}

static void df_walk(struct sp_datapath *spd, sp_flow_visit *cb, void *aux)
{
	struct sp_dpif_state *st = spd->st;
	struct sp_flow sf;
	const void *acts;
	size_t len, i, n;

	st->n_flows = 0;
	buf_clear(&st->acts);
	if (dpif_flow_dump(spd->dpif, 0, collect_flow, st, NULL) < 0 ||
	    !buf_ok(&st->acts))
		return;
	n = st->n_flows;
	for (i = 0; i < st->n_flows; i++) {
		struct sp_dflow *d = &st->flows[i];

		sf.key = &d->key;
		sf.mask = &d->mask;
		sf.acts = st->acts.data + d->acts_off;
		sf.acts_len = d->acts_len;
		sf.has_ufid = d->has_ufid;
		memcpy(sf.ufid, d->ufid, 16);
		sf.packets = d->stats.packets;
		sf.bytes = d->stats.bytes;
		sf.used = d->stats.used;
		switch (cb(aux, &sf, &acts, &len)) {
		case SP_KEEP:
			break;
		case SP_SET_ACTIONS:
			if (df_put_flags(spd, DPIF_FP_MODIFY, &d->key, &d->mask,
					 acts, len, d->ufid, NULL) == 0)
				break;
			/* fall through */
		case SP_REMOVE:
			if (dpif_flow_del(spd->dpif, NULL, 0, d->ufid, NULL,
					  NULL) == 0)
				n--;
			break;
		}
	}
	st->last_count = n;
}

static int df_port(struct sp_datapath *spd, uint32_t *cursor,
		   uint32_t *port_no, char name[IFNAMSIZ])
{
	const struct sp_dpif_state *st = spd->st;

	if (*cursor >= st->n_ports)
		return -ENOENT;
	*port_no = st->ports[*cursor].port_no;
	memcpy(name, st->ports[*cursor].name, IFNAMSIZ);
	(*cursor)++;
	return 0;
}

static const struct sp_datapath_ops dpif_ops = {
	df_exec, df_put, df_count, df_walk, df_port,
};

int sp_datapath_of_dpif(struct sp_datapath *spd, struct dpif *dpif)
{
	memset(spd, 0, sizeof *spd);
	spd->st = calloc(1, sizeof *spd->st);
	if (!spd->st)
		return -ENOMEM;
	buf_init(&spd->st->acts);
	spd->ops = &dpif_ops;
	spd->dpif = dpif;
	return 0;
}

void sp_datapath_dpif_free(struct sp_datapath *spd)
{
	if (!spd->st)
		return;
	free(spd->st->ports);
	free(spd->st->flows);
	buf_free(&spd->st->acts);
	free(spd->st);
	spd->st = NULL;
}

struct port_vec {
	struct dpif_port *v;
	size_t n, cap;
};

static int collect_port(const struct dpif_port *p, void *aux)
{
	struct port_vec *pv = aux;

	if (pv->n == pv->cap) {
		size_t c = pv->cap ? pv->cap * 2 : 8;
		struct dpif_port *v = realloc(pv->v, c * sizeof *v);

		if (!v)
			return -ENOMEM;
		pv->v = v;
		pv->cap = c;
	}
	pv->v[pv->n++] = *p;
	return 0;
}

static bool same_ports(const struct port_vec *pv,
		       const struct sp_dpif_state *st)
{
	size_t i;

	if (pv->n != st->n_ports)
		return false;
	for (i = 0; i < pv->n; i++)
		if (pv->v[i].port_no != st->ports[i].port_no ||
		    strcmp(pv->v[i].name, st->ports[i].name) ||
		    pv->v[i].n_upcall_pids != st->ports[i].n_upcall_pids ||
		    (pv->v[i].n_upcall_pids &&
		     pv->v[i].upcall_pids[0] != st->ports[i].upcall_pids[0]))
			return false;
	return true;
}

int sp_datapath_dpif_ports(struct sp_datapath *spd, bool *changed,
			   struct dp_err *err)
{
	struct port_vec pv = { NULL, 0, 0 };
	int e = dpif_port_dump(spd->dpif, collect_port, &pv, err);

	*changed = false;
	if (e < 0) {
		free(pv.v);
		return e;
	}
	if (same_ports(&pv, spd->st)) {
		free(pv.v);
		return 0;
	}
	free(spd->st->ports);
	spd->st->ports = pv.v;
	spd->st->n_ports = pv.n;
	*changed = true;
	return 0;
}

size_t sp_datapath_dpif_port_list(const struct sp_datapath *spd,
				  const struct dpif_port **ports)
{
	*ports = spd->st->ports;
	return spd->st->n_ports;
}

/*
 * dpserv_flow.c - the ovs_flow family, as net/openvswitch/datapath.c of
 * Linux 6.1 serves it, over the engine's flow table (lib/flowtab).
 *
 * A flow is identified by its ufid if it was installed with one, else by
 * its unmasked key (the key as the client gave it).  The engine's table
 * finds flows by ufid, by mask and masked key, and as a packet would; the
 * kernel also finds a key-identified flow from the unmasked key alone
 * (GET and DEL carry no mask), so this module keeps an index of those
 * flows by unmasked key.
 *
 * OVS_FLOW_CMD_NEW follows the kernel closely, including what surprises:
 * the duplicate check looks the new flow's masked key up as a packet
 * would, so a flow that an installed flow would match is "existing"
 * (EEXIST with NLM_F_CREATE or NLM_F_EXCL; without them its actions are
 * replaced if it is the same flow, else ENOENT).
 */
#include "dpserv_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "execute.h"
#include "flowtab.h"
#include "odp_key.h"

/* --- the index of key-identified flows ------------------------------------ */

struct kx_node {
	struct flowtab_flow *f;
	uint32_t hash;
	struct kx_node *next;
};

struct ds_keyidx {
	struct kx_node **b;
	size_t n_buckets;               /* a power of 2 */
	size_t n;
};

static uint32_t key_hash(const struct dp_key *k)
{
	const dp_key_word *w = (const dp_key_word *)(const void *)k;
	size_t n = (k->tun_proto ? DP_KEY_SIZE : DP_KEY_OFS_TUN) / 8, i;
	uint64_t h = 0x9e3779b97f4a7c15ull;

	for (i = 0; i < n; i++) {
		h ^= w[i];
		h *= 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	return (uint32_t)h;
}

struct ds_keyidx *ds_keyidx_new(void)
{
	struct ds_keyidx *x = calloc(1, sizeof *x);

	if (!x)
		return NULL;
	x->n_buckets = 64;
	x->b = calloc(x->n_buckets, sizeof *x->b);
	if (!x->b) {
		free(x);
		return NULL;
	}
	return x;
}

static void kx_clear(struct ds_keyidx *x)
{
	size_t i;

	for (i = 0; i < x->n_buckets; i++) {
		while (x->b[i]) {
			struct kx_node *n = x->b[i];

			x->b[i] = n->next;
			free(n);
		}
	}
	x->n = 0;
}

void ds_keyidx_free(struct ds_keyidx *x)
{
	if (!x)
		return;
	kx_clear(x);
	free(x->b);
	free(x);
}

static void kx_grow(struct ds_keyidx *x)
{
	size_t n = x->n_buckets * 2, i;
	struct kx_node **b = calloc(n, sizeof *b);

	if (!b)
		return;                 /* longer chains, still correct */
	for (i = 0; i < x->n_buckets; i++) {
		while (x->b[i]) {
			struct kx_node *e = x->b[i];

			x->b[i] = e->next;
			e->next = b[e->hash & (n - 1)];
			b[e->hash & (n - 1)] = e;
		}
	}
	free(x->b);
	x->b = b;
	x->n_buckets = n;
}

static int kx_add(struct ds_keyidx *x, struct flowtab_flow *f)
{
	struct kx_node *e = malloc(sizeof *e);

	if (!e)
		return -ENOMEM;
	e->f = f;
	e->hash = key_hash(&f->key);
	e->next = x->b[e->hash & (x->n_buckets - 1)];
	x->b[e->hash & (x->n_buckets - 1)] = e;
	if (++x->n > x->n_buckets * 2)
		kx_grow(x);
	return 0;
}

static struct flowtab_flow *kx_find(const struct ds_keyidx *x,
				    const struct dp_key *key)
{
	uint32_t h = key_hash(key);
	const struct kx_node *e;

	for (e = x->b[h & (x->n_buckets - 1)]; e; e = e->next)
		if (e->hash == h && !memcmp(&e->f->key, key, sizeof *key))
			return e->f;
	return NULL;
}

static void kx_del(struct ds_keyidx *x, const struct flowtab_flow *f)
{
	uint32_t h = key_hash(&f->key);
	struct kx_node **pe;

	for (pe = &x->b[h & (x->n_buckets - 1)]; *pe; pe = &(*pe)->next) {
		if ((*pe)->f == f) {
			struct kx_node *e = *pe;

			*pe = e->next;
			free(e);
			x->n--;
			return;
		}
	}
}

/* --- replies --------------------------------------------------------------- */

static void put_key_nest(struct buf *b, uint16_t type, const struct dp_key *key,
			 const struct dp_key *mask)
{
	size_t nest = b->len;

	/* The kernel's nests here carry no NLA_F_NESTED. */
	na_put(b, type, NULL, 0);
	if (mask)
		odp_mask_to_attrs(b, key, mask);
	else
		odp_key_to_attrs(b, key);
	na_nest_end(b, nest);
}

/* ovs_flow_cmd_fill_info() */
static void put_flow(struct buf *b, const struct ds_dp *d,
		     const struct flowtab_flow *f, uint16_t flags, uint32_t seq,
		     uint32_t portid, uint8_t cmd, uint32_t ufid_flags)
{
	size_t start = ds_msg_start(b, &ds_families[DS_FAM_FLOW], flags, seq,
				    portid, cmd);
	struct ovs_header *h = ds_msg_hdr(b, start);
	uint8_t tcp_flags = (uint8_t)ntohs(f->stats.tcp_flags);
	size_t nest;

	if (h)
		h->dp_ifindex = d->ifindex;
	if (f->has_ufid)
		na_put(b, OVS_FLOW_ATTR_UFID, f->ufid, sizeof f->ufid);
	else
		put_key_nest(b, OVS_FLOW_ATTR_KEY, &f->key, NULL);
	if (f->has_ufid && !(ufid_flags & OVS_UFID_F_OMIT_KEY))
		put_key_nest(b, OVS_FLOW_ATTR_KEY, &f->mkey, NULL);
	if (!(ufid_flags & OVS_UFID_F_OMIT_MASK))
		put_key_nest(b, OVS_FLOW_ATTR_MASK, &f->key,
			     flowtab_flow_mask(f));
	if (f->stats.used)
		na_put_u64(b, OVS_FLOW_ATTR_USED, f->stats.used);
	if (f->stats.packets) {
		struct ovs_flow_stats st = {
			.n_packets = f->stats.packets,
			.n_bytes = f->stats.bytes,
		};

		na_put(b, OVS_FLOW_ATTR_STATS, &st, sizeof st);
	}
	if (tcp_flags)
		na_put_u8(b, OVS_FLOW_ATTR_TCP_FLAGS, tcp_flags);
	if (!(ufid_flags & OVS_UFID_F_OMIT_ACTIONS)) {
		nest = b->len;
		na_put(b, OVS_FLOW_ATTR_ACTIONS, NULL, 0);
		odp_actions_to_kernel_form(b, f->acts, f->acts_len);
		na_nest_end(b, nest);
	}
	ds_msg_end(b, start);
}

/* Build the reply to 'r' about 'f' and hand it to ds_notify(). */
static void notify_flow(struct ds_req *r, const struct ds_dp *d,
			const struct flowtab_flow *f, uint8_t cmd)
{
	struct buf *b = &r->srv->note;

	buf_clear(b);
	put_flow(b, d, f, 0, r->nlh->nlmsg_seq, r->c->portid, cmd,
		 ds_get_u32(r->tb[OVS_FLOW_ATTR_UFID_FLAGS], 0));
	ds_notify(r, b, 0);
}

/* --- request pieces ---------------------------------------------------------- */

static int get_match(struct ds_req *r, struct dp_key *key, struct dp_key *mask,
		     bool with_mask)
{
	const struct nlattr *ka = r->tb[OVS_FLOW_ATTR_KEY];
	const struct nlattr *ma = with_mask ? r->tb[OVS_FLOW_ATTR_MASK] : NULL;
	struct dp_err err;
	int e;

	dp_err_clear(&err);
	e = odp_match_from_nlattrs(ka, ma, key, mask, &err);
	if (e < 0)
		return ds_err(r, e, ma && !strncmp(err.msg, "mask", 4) ? ma : ka,
			      "%s", dp_err_str(&err));
	return 0;
}

/* ovs_nla_get_ufid(): a ufid of 1 to 16 bytes, or none (a bad length is
 * logged by the kernel and the flow is then identified by its key). */
static bool get_ufid(struct ds_req *r, uint8_t ufid[16])
{
	const struct nlattr *a = r->tb[OVS_FLOW_ATTR_UFID];

	memset(ufid, 0, 16);
	if (!a)
		return false;
	if (!na_len(a) || na_len(a) > 16) {
		ds_err(r, 0, NULL, "ufid size %zu bytes exceeds the range "
		       "(1, 16)", na_len(a));
		return false;
	}
	memcpy(ufid, na_data(a), na_len(a));
	return true;
}

static int check_actions(struct ds_req *r, const struct dp_key *key,
			 const struct dp_key *mask)
{
	const struct nlattr *a = r->tb[OVS_FLOW_ATTR_ACTIONS];
	struct dp_err err;
	int e;

	dp_err_clear(&err);
	e = odp_actions_check(na_data(a), na_len(a), key, mask, &err);
	if (e < 0)
		return ds_err(r, e, a, "%s", dp_err_str(&err));
	/* What the kernel would take but this datapath cannot do. */
	e = dp_exec_check_supported(na_data(a), na_len(a), &err);
	if (e < 0)
		return ds_ext(r, e, a, "%s", dp_err_str(&err));
	return 0;
}

static struct ds_dp *req_dp(struct ds_req *r)
{
	struct ds_dp *d = ds_dp_by_ifindex(r->srv, ds_req_ifindex(r));

	if (!d)
		ds_err(r, ENODEV, NULL, "no datapath with dp_ifindex %d",
		       ds_req_ifindex(r));
	return d;
}

static struct flowtab_flow *find_flow(struct ds_dp *d, bool has_ufid,
				      const uint8_t *ufid,
				      const struct dp_key *key)
{
	if (has_ufid)
		return flowtab_find_ufid(dp_flowtab(d->dp), ufid);
	return kx_find(d->kidx, key);
}

static void clear_stats(struct flowtab_flow *f)
{
	memset(&f->stats, 0, sizeof f->stats);
}

/* --- commands ------------------------------------------------------------------- */

static int flow_new(struct ds_req *r)
{
	const struct nlattr *aa = r->tb[OVS_FLOW_ATTR_ACTIONS];
	struct dp_key key, mask, mkey;
	struct flowtab_flow *f = NULL;
	struct flowtab *ft;
	struct dp_err err;
	uint8_t ufid[16];
	bool has_ufid;
	struct ds_dp *d;
	int e;

	if (!r->tb[OVS_FLOW_ATTR_KEY])
		return ds_missing(r, OVS_FLOW_ATTR_KEY, "Flow key attr not "
				  "present in new flow.");
	if (!aa)
		return ds_missing(r, OVS_FLOW_ATTR_ACTIONS, "Flow actions attr "
				  "not present in new flow.");
	e = get_match(r, &key, &mask, true);
	if (e < 0)
		return e;
	has_ufid = get_ufid(r, ufid);
	dp_key_apply_mask(&mkey, &key, &mask);
	e = check_actions(r, &key, &mask);
	if (e < 0)
		return e;
	d = req_dp(r);
	if (!d)
		return -ENODEV;
	ft = dp_flowtab(d->dp);
	if (has_ufid)
		f = flowtab_find_ufid(ft, ufid);
	if (!f)
		f = flowtab_lookup(ft, &mkey, NULL, NULL);
	if (!f) {
		dp_err_clear(&err);
		e = dp_flow_put(d->dp, &key, &mask, na_data(aa), na_len(aa),
				has_ufid ? ufid : NULL, &f, &err);
		if (e < 0)
			return ds_ext(r, e, NULL, "%s", dp_err_str(&err));
		if (!has_ufid && kx_add(d->kidx, f) < 0) {
			flowtab_remove(ft, f);
			return -ENOMEM;
		}
	} else {
		/* NLM_F_CREATE stands for NLM_F_EXCL, which generic netlink
		 * would take for a dump. */
		if (r->nlh->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL))
			return ds_err(r, EEXIST, NULL, "a flow matching this "
				      "one exists");
		if (f->has_ufid ? memcmp(&f->mkey, &mkey, sizeof mkey)
				: memcmp(&f->key, &key, sizeof key)) {
			f = f->has_ufid ? NULL : kx_find(d->kidx, &key);
			if (!f)
				return ds_err(r, ENOENT, NULL, "the flow found "
					      "is not this one");
		}
		if (flowtab_set_actions(ft, f, na_data(aa), na_len(aa)) < 0)
			return -ENOMEM;
	}
	if (ds_must_notify(r))
		notify_flow(r, d, f, OVS_FLOW_CMD_NEW);
	return 0;
}

static int flow_set(struct ds_req *r)
{
	const struct nlattr *aa = r->tb[OVS_FLOW_ATTR_ACTIONS];
	const struct nlattr *ka = r->tb[OVS_FLOW_ATTR_KEY];
	struct dp_key key, mask;
	struct flowtab_flow *f;
	uint8_t ufid[16];
	bool has_ufid;
	struct ds_dp *d;
	int e;

	dp_key_init(&key);
	dp_key_init(&mask);
	has_ufid = get_ufid(r, ufid);
	if (!ka && !has_ufid)
		return ds_missing(r, OVS_FLOW_ATTR_KEY, "Flow set message "
				  "rejected, Key attribute missing.");
	if (ka) {
		e = get_match(r, &key, &mask, true);
		if (e < 0)
			return e;
	}
	if (aa) {
		if (!ka)
			return ds_missing(r, OVS_FLOW_ATTR_KEY, "Flow key "
					  "attribute not present in set flow.");
		e = check_actions(r, &key, &mask);
		if (e < 0)
			return e;
	}
	d = req_dp(r);
	if (!d)
		return -ENODEV;
	f = find_flow(d, has_ufid, ufid, &key);
	if (!f)
		return ds_err(r, ENOENT, NULL, "no such flow");
	if (aa && flowtab_set_actions(dp_flowtab(d->dp), f, na_data(aa),
				      na_len(aa)) < 0)
		return -ENOMEM;
	/* The reply shows the statistics as they were. */
	if (ds_must_notify(r)) {
		struct buf *b = &r->srv->note;

		buf_clear(b);
		put_flow(b, d, f, 0, r->nlh->nlmsg_seq, r->c->portid,
			 OVS_FLOW_CMD_SET,
			 ds_get_u32(r->tb[OVS_FLOW_ATTR_UFID_FLAGS], 0));
		if (r->tb[OVS_FLOW_ATTR_CLEAR])
			clear_stats(f);
		ds_notify(r, b, 0);
	} else if (r->tb[OVS_FLOW_ATTR_CLEAR]) {
		clear_stats(f);
	}
	return 0;
}

/* What GET and DEL are about: a ufid, or a key (without a mask), parsed
 * (and the key checked) before anything else. */
struct flow_id {
	struct dp_key key;
	uint8_t ufid[16];
	bool has_ufid;
	bool has_key;
};

static int get_flow_id(struct ds_req *r, struct flow_id *id)
{
	struct dp_key mask;

	dp_key_init(&id->key);
	id->has_ufid = get_ufid(r, id->ufid);
	id->has_key = r->tb[OVS_FLOW_ATTR_KEY] != NULL;
	return id->has_key ? get_match(r, &id->key, &mask, false) : 0;
}

static int flow_get(struct ds_req *r)
{
	struct flowtab_flow *f;
	struct flow_id id;
	struct ds_dp *d;
	int e = get_flow_id(r, &id);

	if (e < 0)
		return e;
	if (!id.has_key && !id.has_ufid)
		return ds_missing(r, OVS_FLOW_ATTR_KEY, "Flow get message "
				  "rejected, Key attribute missing.");
	d = req_dp(r);
	if (!d)
		return -ENODEV;
	f = find_flow(d, id.has_ufid, id.ufid, &id.key);
	if (!f)
		return ds_err(r, ENOENT, NULL, "no such flow");
	put_flow(r->out, d, f, 0, r->nlh->nlmsg_seq, r->c->portid,
		 OVS_FLOW_CMD_GET, ds_get_u32(r->tb[OVS_FLOW_ATTR_UFID_FLAGS], 0));
	return 0;
}

static int flow_del(struct ds_req *r)
{
	struct flowtab_flow *f;
	struct flow_id id;
	struct ds_dp *d;
	int e = get_flow_id(r, &id);

	if (e < 0)
		return e;
	d = req_dp(r);
	if (!d)
		return -ENODEV;
	if (!id.has_key && !id.has_ufid) {
		flowtab_flush(dp_flowtab(d->dp));
		kx_clear(d->kidx);
		return 0;
	}
	f = find_flow(d, id.has_ufid, id.ufid, &id.key);
	if (!f)
		return ds_err(r, ENOENT, NULL, "no such flow");
	if (ds_must_notify(r))
		notify_flow(r, d, f, OVS_FLOW_CMD_DEL);
	if (!f->has_ufid)
		kx_del(d->kidx, f);
	flowtab_remove(dp_flowtab(d->dp), f);
	return 0;
}

static int flow_dump(struct dpserv *srv, struct ds_dump *dd, struct buf *out,
		     size_t limit)
{
	struct ds_dp *d = ds_dp_by_ifindex(srv, dd->dp_ifindex);

	if (!d)
		return -ENODEV;
	for (;;) {
		uint64_t cur = dd->cur[0];
		const struct flowtab_flow *f = flowtab_next(dp_flowtab(d->dp),
							    &cur);
		size_t before = out->len;

		if (!f)
			return 0;
		put_flow(out, d, f, NLM_F_MULTI, dd->seq, dd->portid,
			 OVS_FLOW_CMD_GET, dd->ufid_flags);
		if (out->len > limit && before) {
			buf_truncate(out, before);
			return 1;
		}
		dd->cur[0] = cur;
	}
}

const struct ds_op ds_flow_ops[4] = {
	{ OVS_FLOW_CMD_NEW, true, flow_new, NULL },
	{ OVS_FLOW_CMD_DEL, true, flow_del, NULL },
	{ OVS_FLOW_CMD_GET, false, flow_get, flow_dump },
	{ OVS_FLOW_CMD_SET, true, flow_set, NULL },
};

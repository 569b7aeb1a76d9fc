/* execute.c - running an action list on a packet; see execute.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/openvswitch.h>
#include <string.h>

#include "dp_gso.h"
#include "execute.h"
#include "nlattr.h"

/* Symmetric L4 hash: newer uapi headers name it; the value is fixed. */
#define DP_HASH_ALG_SYM_L4 1

/* Per-packet state of one run of an action list. */
struct xpkt {
	struct dp_packet *p;
	struct dp_key *key;
	bool key_ok;                    /* key matches the packet's bytes */
	uint32_t cutlen;                /* bytes the next output leaves off */
	const void *egress_tun;         /* set(tunnel) attributes */
	size_t egress_tun_len;
};

static int run(struct dp_exec *x, struct xpkt *xp, const void *acts, size_t len);

void dp_exec_init(struct dp_exec *x, const struct dp_exec_cb *cb, void *aux,
		  uint64_t seed)
{
	memset(x, 0, sizeof *x);
	x->cb = cb;
	x->aux = aux;
	x->rng = seed ? seed : 0x853c49e6748fea9bull;
}

static uint32_t next_random(struct dp_exec *x)
{
	/* xorshift64*: good enough for sampling, no global state. */
	x->rng ^= x->rng >> 12;
	x->rng ^= x->rng << 25;
	x->rng ^= x->rng >> 27;
	return (uint32_t)((x->rng * 0x2545f4914f6cdd1dull) >> 32);
}

static void fresh_key(struct xpkt *xp)
{
	if (!xp->key_ok) {
		dp_packet_extract_reuse(xp->p, xp->key);
		xp->key_ok = true;
	}
}

static uint32_t out_len(const struct xpkt *xp)
{
	/* As the kernel's OVS_CB(skb)->cutlen: an amount, fixed when trunc
	 * ran, so headers pushed since then are still sent. */
	return xp->cutlen < xp->p->len ? xp->p->len - xp->cutlen : 0;
}

static int do_userspace(struct dp_exec *x, struct xpkt *xp, const struct nlattr *a,
			const void *acts, size_t acts_len)
{
	const struct nlattr *tb[OVS_USERSPACE_ATTR_MAX + 1];
	struct dp_exec_upcall u;

	if (na_parse(tb, OVS_USERSPACE_ATTR_MAX, na_data(a), na_len(a), NULL) < 0 ||
	    !tb[OVS_USERSPACE_ATTR_PID] || na_len(tb[OVS_USERSPACE_ATTR_PID]) != 4)
		return -EINVAL;
	memset(&u, 0, sizeof u);
	u.pid = na_get_u32(tb[OVS_USERSPACE_ATTR_PID]);
	if (tb[OVS_USERSPACE_ATTR_USERDATA]) {
		u.has_userdata = true;
		u.userdata = na_data(tb[OVS_USERSPACE_ATTR_USERDATA]);
		u.userdata_len = na_len(tb[OVS_USERSPACE_ATTR_USERDATA]);
	}
	if (tb[OVS_USERSPACE_ATTR_ACTIONS]) {
		u.has_actions = true;
		u.actions = acts;
		u.actions_len = acts_len;
	}
	if (tb[OVS_USERSPACE_ATTR_EGRESS_TUN_PORT] &&
	    na_len(tb[OVS_USERSPACE_ATTR_EGRESS_TUN_PORT]) == 4) {
		u.has_egress_tun_port = true;
		u.egress_tun_port = na_get_u32(tb[OVS_USERSPACE_ATTR_EGRESS_TUN_PORT]);
		u.egress_tun = xp->egress_tun;
		u.egress_tun_len = xp->egress_tun_len;
	}
	u.len = out_len(xp);
	u.orig_len = xp->p->len;
	u.mru = xp->p->mru;
	fresh_key(xp);
	if (x->cb->userspace)
		x->cb->userspace(x->aux, &u, xp->p, xp->key);
	xp->cutlen = 0;
	return 0;
}

/* Queue actions (or a recirculation, acts NULL) on a copy of the packet. */
static int defer(struct dp_exec *x, struct xpkt *xp, const void *acts, size_t len)
{
	struct dp_exec_deferred *d;

	if (x->fifo_n == DP_EXEC_FIFO) {
		x->stats.fifo_drops++;
		return 0;
	}
	d = &x->fifo[(x->fifo_head + x->fifo_n) % DP_EXEC_FIFO];
	d->p = dp_packet_clone(xp->p);
	if (!d->p)
		return -ENOMEM;
	fresh_key(xp);
	d->key = *xp->key;
	d->acts = acts;
	d->acts_len = len;
	d->trunc = xp->cutlen;
	x->fifo_n++;
	return 0;
}

/* Run a nested list (or recirculate, acts NULL) on the packet: on the
 * packet itself if this is the list's last action, else on a copy. */
static int nest(struct dp_exec *x, struct xpkt *xp, const void *acts, size_t len,
		bool last)
{
	struct dp_packet *c;
	struct dp_key ckey;
	struct xpkt cx;
	int err;

	if (x->level > DP_EXEC_DEFER_LEVEL)
		return defer(x, xp, acts, len);
	if (last) {
		cx = *xp;
	} else {
		c = dp_packet_clone(xp->p);
		if (!c)
			return -ENOMEM;
		fresh_key(xp);
		ckey = *xp->key;
		cx = *xp;
		cx.p = c;
		cx.key = &ckey;
	}
	if (acts) {
		x->level++;
		err = run(x, &cx, acts, len);
		x->level--;
	} else {
		/* The flow's actions run one level deeper through
		 * dp_execute_nested(), as the kernel's ovs_execute_actions(). */
		fresh_key(&cx);
		err = 0;
		if (x->cb->recirc)
			x->cb->recirc(x->aux, x, cx.p, cx.key);
	}
	if (!last)
		dp_packet_delete(cx.p);
	else
		*xp = cx;
	return err < 0 && last ? err : 0;
}

static int do_sample(struct dp_exec *x, struct xpkt *xp, const struct nlattr *a,
		     bool last)
{
	const struct nlattr *tb[OVS_SAMPLE_ATTR_MAX + 1];
	uint32_t prob;

	if (na_parse(tb, OVS_SAMPLE_ATTR_MAX, na_data(a), na_len(a), NULL) < 0 ||
	    !tb[OVS_SAMPLE_ATTR_PROBABILITY] ||
	    na_len(tb[OVS_SAMPLE_ATTR_PROBABILITY]) != 4)
		return -EINVAL;
	prob = na_get_u32(tb[OVS_SAMPLE_ATTR_PROBABILITY]);
	if (!prob || (prob != UINT32_MAX && next_random(x) > prob))
		return 0;
	if (!tb[OVS_SAMPLE_ATTR_ACTIONS])
		return 0;
	return nest(x, xp, na_data(tb[OVS_SAMPLE_ATTR_ACTIONS]),
		    na_len(tb[OVS_SAMPLE_ATTR_ACTIONS]), last);
}

static int do_check_pkt_len(struct dp_exec *x, struct xpkt *xp,
			    const struct nlattr *a, bool last)
{
	const struct nlattr *tb[OVS_CHECK_PKT_LEN_ATTR_MAX + 1], *branch;
	uint32_t len;

	if (na_parse(tb, OVS_CHECK_PKT_LEN_ATTR_MAX, na_data(a), na_len(a), NULL) < 0 ||
	    !tb[OVS_CHECK_PKT_LEN_ATTR_PKT_LEN] ||
	    na_len(tb[OVS_CHECK_PKT_LEN_ATTR_PKT_LEN]) != 2)
		return -EINVAL;
	/* A reassembled packet is judged by its largest fragment. */
	len = xp->p->mru ? xp->p->mru + (xp->p->l3 != DP_OFS_NONE ? xp->p->l3 : 0u)
			 : xp->p->len;
	/* A GSO packet by its segments, as skb_gso_validate_mac_len(). */
	if (xp->p->gso_type && xp->p->gso_size && dp_gso_hdr_len(xp->p) &&
	    dp_gso_hdr_len(xp->p) + xp->p->gso_size < len)
		len = dp_gso_hdr_len(xp->p) + xp->p->gso_size;
	if (len > na_get_u16(tb[OVS_CHECK_PKT_LEN_ATTR_PKT_LEN]))
		branch = tb[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER];
	else
		branch = tb[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL];
	if (!branch)
		return 0;
	return nest(x, xp, na_data(branch), na_len(branch), last);
}

/* The L4 hash that hash(l4(...)) and upcall selection use. */
static uint32_t l4_hash(const struct dp_key *k, bool sym)
{
	uint64_t a = 0, b = 0, pa = ntohs(k->tp_src), pb = ntohs(k->tp_dst), h;
	uint16_t t = ntohs(k->eth_type);

	if (t == 0x0800) {
		a = ntohl(k->l3.ipv4.src);
		b = ntohl(k->l3.ipv4.dst);
	} else if (t == 0x86dd) {
		uint64_t w[4];

		memcpy(w, k->l3.ipv6.src, 16);
		memcpy(w + 2, k->l3.ipv6.dst, 16);
		a = w[0] * 31 + w[1];
		b = w[2] * 31 + w[3];
	} else {
		return 0;
	}
	if (k->nw_proto != 6 && k->nw_proto != 17 && k->nw_proto != 132)
		pa = pb = 0;
	if (sym && (a > b || (a == b && pa > pb))) {
		uint64_t s = a;

		a = b;
		b = s;
		s = pa;
		pa = pb;
		pb = s;
	}
	h = (a * 0x9e3779b97f4a7c15ull) ^ (b * 0xc2b2ae3d27d4eb4full);
	h ^= (pa << 16 | pb) * 0x165667b19e3779f9ull ^ k->nw_proto;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	return (uint32_t)(h ^ (h >> 32));
}

static int do_hash(struct xpkt *xp, const struct nlattr *a)
{
	struct ovs_action_hash ah;
	uint64_t h;

	if (na_len(a) != sizeof ah)
		return -EINVAL;
	memcpy(&ah, na_data(a), sizeof ah);
	if (ah.hash_alg != OVS_HASH_ALG_L4 && ah.hash_alg != DP_HASH_ALG_SYM_L4)
		return -EINVAL;
	fresh_key(xp);
	h = l4_hash(xp->key, ah.hash_alg == DP_HASH_ALG_SYM_L4);
	h = (h ^ ah.hash_basis) * 0x9e3779b1u;
	h ^= h >> 16;
	if (!(uint32_t)h)
		h = 1;
	xp->p->md.dp_hash = xp->key->dp_hash = (uint32_t)h;
	return 0;
}

static void ct_clear(struct xpkt *xp)
{
	struct dp_packet_md *md = &xp->p->md;

	md->ct_state = 0;
	md->ct_zone = 0;
	md->ct_mark = 0;
	md->ct_orig_proto = 0;
	memset(md->ct_labels, 0, sizeof md->ct_labels);
	xp->key->ct_state = 0;
	xp->key->ct_zone = 0;
	xp->key->ct_mark = 0;
	xp->key->ct_orig_proto = 0;
	memset(xp->key->ct_labels, 0, sizeof xp->key->ct_labels);
	memset(&xp->key->ct_orig, 0, sizeof xp->key->ct_orig);
	xp->key->ct_orig_tp_src = xp->key->ct_orig_tp_dst = 0;
}

/* One action; 'last': nothing follows it.  Returns 0, 1 to stop the list
 * (the packet was consumed), or a negative errno (drop). */
static int action(struct dp_exec *x, struct xpkt *xp, const struct nlattr *a,
		  bool last, const void *acts, size_t acts_len)
{
	struct dp_packet *p = xp->p;
	size_t n = na_len(a);
	int err;

	switch (na_type(a)) {
	case OVS_ACTION_ATTR_OUTPUT:
		if (n != 4)
			return -EINVAL;
		if (x->cb->output)
			x->cb->output(x->aux, na_get_u32(a), p, out_len(xp));
		xp->cutlen = 0;
		return 0;
	case OVS_ACTION_ATTR_USERSPACE:
		return do_userspace(x, xp, a, acts, acts_len);
	case OVS_ACTION_ATTR_SET:
	case OVS_ACTION_ATTR_SET_MASKED:
		return dp_exec_set(p, xp->key, &xp->key_ok, na_data(a), n,
				   na_type(a) == OVS_ACTION_ATTR_SET_MASKED,
				   &xp->egress_tun, &xp->egress_tun_len);
	case OVS_ACTION_ATTR_PUSH_VLAN: {
		struct ovs_action_push_vlan v;

		if (n != sizeof v)
			return -EINVAL;
		memcpy(&v, na_data(a), sizeof v);
		xp->key_ok = false;
		return dp_exec_push_vlan(p, v.vlan_tpid, v.vlan_tci);
	}
	case OVS_ACTION_ATTR_POP_VLAN:
		xp->key_ok = false;
		return dp_exec_pop_vlan(p);
	case OVS_ACTION_ATTR_PUSH_MPLS:
	case OVS_ACTION_ATTR_ADD_MPLS: {
		struct ovs_action_add_mpls m = { 0, 0, 0 };

		if (n != (na_type(a) == OVS_ACTION_ATTR_ADD_MPLS ? sizeof m
			  : sizeof(struct ovs_action_push_mpls)))
			return -EINVAL;
		memcpy(&m, na_data(a), n);
		xp->key_ok = false;
		return dp_exec_push_mpls(p, m.mpls_lse, m.mpls_ethertype,
					 na_type(a) == OVS_ACTION_ATTR_ADD_MPLS &&
					 (m.tun_flags & OVS_MPLS_L3_TUNNEL_FLAG_MASK));
	}
	case OVS_ACTION_ATTR_POP_MPLS:
		if (n != 2)
			return -EINVAL;
		xp->key_ok = false;
		return dp_exec_pop_mpls(p, na_get_u16(a));
	case OVS_ACTION_ATTR_PUSH_ETH: {
		struct ovs_action_push_eth e;

		if (n != sizeof e)
			return -EINVAL;
		memcpy(&e, na_data(a), sizeof e);
		fresh_key(xp);
		xp->key_ok = false;
		return dp_exec_push_eth(p, e.addresses.eth_src, e.addresses.eth_dst,
					xp->key->eth_type);
	}
	case OVS_ACTION_ATTR_POP_ETH:
		xp->key_ok = false;
		return dp_exec_pop_eth(p);
	case OVS_ACTION_ATTR_RECIRC:
		if (n != 4)
			return -EINVAL;
		fresh_key(xp);
		p->md.recirc_id = xp->key->recirc_id = na_get_u32(a);
		err = nest(x, xp, NULL, 0, last);
		return err < 0 ? err : last;
	case OVS_ACTION_ATTR_HASH:
		return do_hash(xp, a);
	case OVS_ACTION_ATTR_SAMPLE:
		err = do_sample(x, xp, a, last);
		return err < 0 ? err : 0;
	case OVS_ACTION_ATTR_CLONE:
		err = nest(x, xp, na_data(a), n, last);
		return err < 0 ? err : 0;
	case OVS_ACTION_ATTR_CHECK_PKT_LEN:
		err = do_check_pkt_len(x, xp, a, last);
		return err < 0 ? err : 0;
	case OVS_ACTION_ATTR_TRUNC: {
		struct ovs_action_trunc t;

		if (n != sizeof t)
			return -EINVAL;
		memcpy(&t, na_data(a), sizeof t);
		if (p->len > t.max_len)
			xp->cutlen = p->len - t.max_len;
		return 0;
	}
	case OVS_ACTION_ATTR_DEC_TTL: {
		const struct nlattr *acts_le1;

		fresh_key(xp);
		err = dp_exec_dec_ttl(p, xp->key);
		if (err != -EHOSTUNREACH)
			return err;
		/* TTL expired: the nested actions get the packet, nothing
		 * after dec_ttl runs. */
		acts_le1 = na_find(na_data(a), n, OVS_DEC_TTL_ATTR_ACTION);
		if (acts_le1 && na_len(acts_le1))
			nest(x, xp, na_data(acts_le1), na_len(acts_le1), true);
		return 1;
	}
	case OVS_ACTION_ATTR_METER:
		/* No meters in the uapi dpd serves yet (no OVS_METER_FAMILY):
		 * nothing can have created one, so a meter action meters
		 * nothing and the packet goes on, as with an unlimited band. */
		return n == 4 ? 0 : -EINVAL;
	case OVS_ACTION_ATTR_CT_CLEAR:
		ct_clear(xp);
		return 0;
	case OVS_ACTION_ATTR_CT:
	case OVS_ACTION_ATTR_PUSH_NSH:
	case OVS_ACTION_ATTR_POP_NSH:
		return -EOPNOTSUPP;
	default:
		return -EINVAL;
	}
}

static int run(struct dp_exec *x, struct xpkt *xp, const void *acts, size_t len)
{
	const struct nlattr *a;
	size_t rem;
	int err;

	if (x->level > DP_EXEC_MAX_LEVEL) {
		x->stats.recursion_drops++;
		return -ELOOP;
	}
	NA_FOR_EACH(a, acts, len, rem) {
		size_t step = NA_ALIGN(a->nla_len);
		bool last = step >= rem;

		err = action(x, xp, a, last, acts, len);
		if (err < 0) {
			x->stats.errors++;
			return err;
		}
		if (err > 0)
			return 0;
	}
	return 0;
}

static void drain(struct dp_exec *x)
{
	while (x->fifo_n) {
		struct dp_exec_deferred d = x->fifo[x->fifo_head];
		struct xpkt xp = { d.p, &d.key, true, d.trunc, NULL, 0 };

		x->fifo_head = (x->fifo_head + 1) % DP_EXEC_FIFO;
		x->fifo_n--;
		if (++x->passes > DP_EXEC_MAX_PASSES) {
			x->stats.recursion_drops++;
		} else {
			x->level = 1;
			if (d.acts)
				run(x, &xp, d.acts, d.acts_len);
			else if (x->cb->recirc)
				x->cb->recirc(x->aux, x, xp.p, xp.key);
			x->level = 0;
		}
		dp_packet_delete(d.p);
	}
}

int dp_execute(struct dp_exec *x, struct dp_packet *p, struct dp_key *key,
	       const void *acts, size_t len)
{
	struct xpkt xp = { p, key, true, 0, NULL, 0 };
	int err;

	if (x->level)           /* called from a callback: nested */
		return dp_execute_nested(x, p, key, acts, len);
	x->passes = 0;
	x->level = 1;
	err = run(x, &xp, acts, len);
	x->level = 0;
	drain(x);
	return err;
}

int dp_execute_nested(struct dp_exec *x, struct dp_packet *p,
		      struct dp_key *key, const void *acts, size_t len)
{
	struct xpkt xp = { p, key, true, 0, NULL, 0 };
	int err;

	x->level++;
	err = run(x, &xp, acts, len);
	x->level--;
	return err;
}

static int check_list(const void *acts, size_t len, int depth,
		      struct dp_err *err);

static int check_nested(const struct nlattr *a, int depth, struct dp_err *err)
{
	const struct nlattr *n;
	size_t rem;
	int r;

	switch (na_type(a)) {
	case OVS_ACTION_ATTR_CLONE:
		return check_list(na_data(a), na_len(a), depth + 1, err);
	case OVS_ACTION_ATTR_SAMPLE:
	case OVS_ACTION_ATTR_CHECK_PKT_LEN:
	case OVS_ACTION_ATTR_DEC_TTL:
		NA_FOR_EACH_NESTED(n, a, rem) {
			bool is_list = na_type(a) == OVS_ACTION_ATTR_SAMPLE ?
				na_type(n) == OVS_SAMPLE_ATTR_ACTIONS :
				na_type(a) == OVS_ACTION_ATTR_DEC_TTL ?
				na_type(n) == OVS_DEC_TTL_ATTR_ACTION :
				na_type(n) != OVS_CHECK_PKT_LEN_ATTR_PKT_LEN;

			if (is_list) {
				r = check_list(na_data(n), na_len(n), depth + 1, err);
				if (r < 0)
					return r;
			}
		}
		return 0;
	}
	return 0;
}

static int check_list(const void *acts, size_t len, int depth, struct dp_err *err)
{
	const struct nlattr *a;
	size_t rem;
	int r;

	if (depth > 16)
		return dp_err_set(err, EINVAL, "actions nested too deeply");
	NA_FOR_EACH(a, acts, len, rem) {
		switch (na_type(a)) {
		case OVS_ACTION_ATTR_CT:
			return dp_err_set(err, EOPNOTSUPP,
					  "ct: connection tracking is not supported by the userspace datapath yet");
		case OVS_ACTION_ATTR_PUSH_NSH:
		case OVS_ACTION_ATTR_POP_NSH:
			return dp_err_set(err, EOPNOTSUPP,
					  "%s: NSH is not supported by the userspace datapath",
					  na_type(a) == OVS_ACTION_ATTR_PUSH_NSH ? "push_nsh" : "pop_nsh");
		case OVS_ACTION_ATTR_SET:
		case OVS_ACTION_ATTR_SET_MASKED: {
			const struct nlattr *k = na_data(a);

			if (na_len(a) >= NA_HDRLEN && na_ok(k, na_len(a)) &&
			    (na_type(k) == OVS_KEY_ATTR_NSH ||
			     na_type(k) == OVS_KEY_ATTR_ARP ||
			     na_type(k) == OVS_KEY_ATTR_ND))
				return dp_err_set(err, EOPNOTSUPP,
						  "set(%s): not supported by the userspace datapath",
						  na_type(k) == OVS_KEY_ATTR_NSH ? "nsh" :
						  na_type(k) == OVS_KEY_ATTR_ARP ? "arp" : "nd");
			break;
		}
		default:
			r = check_nested(a, depth, err);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

int dp_exec_check_supported(const void *acts, size_t len, struct dp_err *err)
{
	return check_list(acts, len, 0, err);
}

/* dp_pipeline.c - the datapath's per-packet path: parse, look up, execute,
 * transmit; misses and userspace() actions become queued upcalls. */
#include <arpa/inet.h>
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dp_csum.h"
#include "dp_gso.h"
#include "dp_offload.h"
#include "dp_private.h"

uint64_t dp_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static struct dp_port *port_get(const struct dp *dp, uint32_t no)
{
	return no < dp->n_port_slots ? dp->ports[no] : NULL;
}

void dp_flush_ports(struct dp *dp)
{
	unsigned i;

	for (i = 0; i < dp->n_flush; i++) {
		netdev_flush(dp->flush[i]->nd);
		dp->flush[i]->tx_pending = false;
	}
	dp->n_flush = 0;
}

/* --- upcalls ---------------------------------------------------------- */

static uint32_t key_hash(const struct dp_key *k)
{
	uint64_t h = k->l3.ipv4.src ^ ((uint64_t)k->l3.ipv4.dst << 32);

	h ^= (uint64_t)k->tp_src << 16 ^ k->tp_dst ^ (uint64_t)k->nw_proto << 40;
	h *= 0x9e3779b97f4a7c15ull;
	return (uint32_t)(h >> 32);
}

/* The pid a miss on 'in_port' goes to, as ovs_dp_process_packet() picks
 * it: per CPU with OVS_DP_F_DISPATCH_UPCALL_PER_CPU, else from the port's
 * pids (spread by flow hash when there are several).  0: none. */
static uint32_t miss_pid(const struct dp *dp, const struct dp_key *key)
{
	const struct dp_port *port = key->in_port != DP_PORT_NONE
				     ? port_get(dp, key->in_port) : NULL;

	if (dp->features & OVS_DP_F_DISPATCH_UPCALL_PER_CPU) {
		int cpu = sched_getcpu();

		if (!dp->n_cpu_pids)
			return dp->fallback_pid;
		return dp->cpu_pids[(unsigned)(cpu < 0 ? 0 : cpu) % dp->n_cpu_pids];
	}
	if (!port || !port->n_pids || (port->n_pids == 1 && !port->pids[0]))
		return dp->fallback_pid;
	if (port->n_pids == 1)
		return port->pids[0];
	return port->pids[key_hash(key) % port->n_pids];
}

static void *dup_bytes(const void *p, size_t n)
{
	void *c = malloc(n ? n : 1);

	if (c && n)
		memcpy(c, p, n);
	return c;
}

/* Queue an upcall, or count it lost.  Takes 'u' (freed on failure). */
static void queue_upcall(struct dp *dp, struct dp_upcall *u)
{
	if (!u->pid || dp->q_n == DP_UPCALL_QLEN || !u->packet) {
		dp->stats.n_lost++;
		dp_upcall_free(u);
		return;
	}
	dp->q[(dp->q_head + dp->q_n) % DP_UPCALL_QLEN] = u;
	dp->q_n++;
}

/* What an upcall of a packet carries: a copy with complete checksums.  A
 * GSO packet is cut into its wire segments first, one upcall each, as
 * queue_gso_packets() does; 'u' is the template for them.  'trim' bytes
 * at most of each (0: all). */
struct upcall_seg {
	struct dp *dp;
	const struct dp_upcall *tmpl;
	uint32_t trim;
	int failed;
};

static struct dp_upcall *upcall_dup(const struct dp_upcall *t)
{
	struct dp_upcall *u = malloc(sizeof *u);

	if (!u)
		return NULL;
	*u = *t;
	u->packet = NULL;
	u->userdata = t->has_userdata ? dup_bytes(t->userdata, t->userdata_len) : NULL;
	u->actions = t->has_actions ? dup_bytes(t->actions, t->actions_len) : NULL;
	u->egress_tun = NULL;
	u->has_egress_tun = false;
	if ((t->has_userdata && !u->userdata) || (t->has_actions && !u->actions)) {
		free(u->userdata);
		free(u->actions);
		free(u);
		return NULL;
	}
	return u;
}

static void queue_copy(struct upcall_seg *s, const struct dp_packet *p)
{
	struct dp_upcall *u = upcall_dup(s->tmpl);

	if (!u) {
		s->dp->stats.n_lost++;
		return;
	}
	u->packet = dp_packet_clone(p);
	if (u->packet) {
		dp_csum_complete(u->packet);    /* as queue_userspace_packet() */
		u->packet->ol_flags = 0;
		u->packet->gso_type = DP_GSO_NONE;
		u->packet->gso_size = 0;
		if (s->trim && s->trim < u->packet->len) {
			u->orig_len = u->packet->len;
			dp_packet_trim(u->packet, s->trim);
		}
	}
	queue_upcall(s->dp, u);
}

static void queue_seg(void *aux, const struct dp_packet *seg)
{
	queue_copy(aux, seg);
}

static void queue_packet(struct dp *dp, const struct dp_upcall *tmpl,
			 const struct dp_packet *p, uint32_t trim)
{
	struct upcall_seg s = { dp, tmpl, trim, 0 };

	if (p->gso_type) {
		uint32_t mss = p->gso_size;

		if (dp_gso_segment(p, mss, queue_seg, &s) < 0)
			dp->stats.n_lost++;
		return;
	}
	queue_copy(&s, p);
}

static void upcall_miss(struct dp *dp, const struct dp_packet *p,
			const struct dp_key *key)
{
	struct dp_upcall u;

	dp->stats.n_missed++;
	if (dp->q_n == DP_UPCALL_QLEN) {
		dp->stats.n_lost++;
		return;
	}
	memset(&u, 0, sizeof u);
	u.cmd = OVS_PACKET_CMD_MISS;
	u.pid = miss_pid(dp, key);
	u.key = *key;
	u.mru = p->mru;
	u.hash = p->ol_flags & DP_OL_HASH_VALID ? p->hash : 0;
	if (!u.pid) {
		dp->stats.n_lost++;
		return;
	}
	queue_packet(dp, &u, p, 0);
}

static void cb_userspace(void *aux, const struct dp_exec_upcall *a,
			 const struct dp_packet *p, const struct dp_key *key)
{
	struct dp *dp = aux;
	struct dp_upcall u;

	memset(&u, 0, sizeof u);
	u.cmd = OVS_PACKET_CMD_ACTION;
	u.pid = a->pid;
	u.key = *key;
	u.mru = a->mru;
	u.hash = p->ol_flags & DP_OL_HASH_VALID ? p->hash : 0;
	if (a->has_userdata) {
		u.has_userdata = true;
		u.userdata_len = a->userdata_len;
		u.userdata = (void *)(uintptr_t)a->userdata;
	}
	if (a->has_actions) {
		u.has_actions = true;
		u.actions_len = a->actions_len;
		u.actions = (void *)(uintptr_t)a->actions;
	}
	/* Egress tunnel info exists only for tunnel ports, which this
	 * datapath does not have: never sent, as the kernel with a
	 * non-tunnel egress port.  A truncated packet says how long it
	 * was (queue_copy()). */
	queue_packet(dp, &u, p, a->len < p->len ? a->len : 0);
}

int dp_upcall_pop(struct dp *dp, struct dp_upcall **u)
{
	if (!dp->q_n)
		return 0;
	*u = dp->q[dp->q_head];
	dp->q_head = (dp->q_head + 1) % DP_UPCALL_QLEN;
	dp->q_n--;
	return 1;
}

void dp_upcall_free(struct dp_upcall *u)
{
	if (!u)
		return;
	dp_packet_delete(u->packet);
	free(u->userdata);
	free(u->actions);
	free(u->egress_tun);
	free(u);
}

size_t dp_upcall_pending(const struct dp *dp)
{
	return dp->q_n;
}

/* --- execution callbacks --------------------------------------------- */

struct out_seg {
	struct dp_port *port;
	uint32_t len;                   /* at most this much of each */
};

static void send_segment(void *aux, const struct dp_packet *seg)
{
	const struct out_seg *o = aux;

	netdev_send(o->port->nd, seg, seg->len < o->len ? seg->len : o->len);
}

/* A GSO packet to a port that cannot take it whole: its wire segments,
 * no larger than the port's MTU allows. */
static void output_segments(struct dp *dp, struct dp_port *port,
			    const struct dp_packet *p, uint32_t len)
{
	struct out_seg o = { port, len };
	uint32_t mss = p->gso_size;
	uint32_t fit = dp_gso_mss_for_mtu(p, (uint32_t)netdev_mtu(port->nd));

	if (fit && fit < mss)
		mss = fit;
	if (len != p->len)              /* trunc: each segment cut after len */
		o.len = len;
	if (dp_gso_segment(p, mss, send_segment, &o) < 0)
		dp->exec.stats.errors++;
}

static void cb_output(void *aux, uint32_t no, struct dp_packet *p,
		      uint32_t len)
{
	struct dp *dp = aux;
	struct dp_port *port = port_get(dp, no);
	bool whole;

	if (!port)
		return;                 /* no such port: dropped, as the kernel */
	if (p->mac_proto != DP_MAC_ETH) {
		/* An L3 packet cannot leave by an Ethernet device. */
		dp->stats.n_exec_errors++;
		return;
	}
	/* A port with virtio-net headers takes the offload state as it is;
	 * otherwise (or for a truncated copy) the work is done here. */
	whole = netdev_vnet(port->nd) && len == p->len;
	if (p->gso_type && !whole) {
		output_segments(dp, port, p, len);
	} else {
		if (!whole)
			dp_csum_complete(p);
		netdev_send(port->nd, p, len);
	}
	if (!port->tx_pending) {
		if (dp->n_flush == sizeof dp->flush / sizeof dp->flush[0])
			dp_flush_ports(dp);
		port->tx_pending = true;
		dp->flush[dp->n_flush++] = port;
	}
}

/* Look up and run (or upcall) one packet whose key is known. */
static void lookup_execute(struct dp *dp, struct dp_exec *x, struct dp_packet *p,
			   struct dp_key *key, bool nested)
{
	uint32_t n_mask_hit = 0;
	bool cache_hit;
	struct flowtab_flow *f = flowtab_lookup(dp->ft, key, &n_mask_hit, &cache_hit);

	dp->stats.n_mask_hit += n_mask_hit;
	if (!f) {
		upcall_miss(dp, p, key);
		return;
	}
	dp->stats.n_hit++;
	dp->stats.n_cache_hit += cache_hit;
	if (p->gso_type) {
		/* Counted as the segments it stands for on the wire. */
		uint64_t bytes;
		uint32_t segs = dp_gso_segs(p, &bytes);

		flowtab_flow_used(f, segs, bytes, key->tcp_flags, dp->now_ms);
	} else {
		flowtab_flow_used(f, 1, p->len, key->tcp_flags, dp->now_ms);
	}
	if (nested)
		dp_execute_nested(x, p, key, f->acts, f->acts_len);
	else
		dp_execute(x, p, key, f->acts, f->acts_len);
}

static void cb_recirc(void *aux, struct dp_exec *x, struct dp_packet *p,
		      struct dp_key *key)
{
	lookup_execute(aux, x, p, key, true);
}

const struct dp_exec_cb dp_exec_callbacks = {
	.output = cb_output,
	.userspace = cb_userspace,
	.recirc = cb_recirc,
};

static int rx_offload(struct dp *dp, struct dp_packet *p, const struct dp_key *key)
{
	const struct dp_port *in = port_get(dp, p->md.in_port);

	return dp_offload_rx(p, key, in ? (uint32_t)netdev_mtu(in->nd) : 1500);
}

void dp_process_batch_noflush(struct dp *dp, struct dp_batch *b)
{
	struct dp_key *key = &dp->key;
	unsigned i;

	dp->now_ms = dp_now_ms();
	for (i = 0; i < b->n; i++) {
		struct dp_packet *p = b->pkts[i];

		if (dp_packet_extract_reuse(p, key) < 0)
			continue;       /* runt: dropped, as key_extract fails */
		if ((p->ol_flags || p->gso_type) && rx_offload(dp, p, key) < 0) {
			dp->exec.stats.errors++;
			continue;       /* offload state that lies: dropped */
		}
		lookup_execute(dp, &dp->exec, p, key, false);
	}
	dp->stats.n_exec_errors = dp->exec.stats.errors;
	dp->stats.n_loop_drops = dp->exec.stats.recursion_drops +
				 dp->exec.stats.fifo_drops;
}

void dp_process_batch(struct dp *dp, struct dp_batch *b)
{
	dp_process_batch_noflush(dp, b);
	dp_flush_ports(dp);
}

/* A packet from userspace, with the metadata of key 'md'. */
static struct dp_packet *packet_from(const void *frame, uint32_t len,
				     const struct dp_key *md)
{
	struct dp_packet *p = dp_packet_new(frame, len, DP_PACKET_HEADROOM);

	if (!p)
		return NULL;
	p->mac_proto = md->mac_proto;
	if (md->mac_proto != DP_MAC_ETH)
		p->eth_type = md->eth_type;
	p->md.in_port = md->in_port;
	p->md.recirc_id = md->recirc_id;
	p->md.dp_hash = md->dp_hash;
	p->md.priority = md->priority;
	p->md.skb_mark = md->skb_mark;
	p->md.ct_state = md->ct_state;
	p->md.ct_zone = md->ct_zone;
	p->md.ct_mark = md->ct_mark;
	p->md.ct_orig_proto = md->ct_orig_proto;
	memcpy(p->md.ct_labels, md->ct_labels, sizeof md->ct_labels);
	if (md->tun_proto) {
		p->md.tun = &md->tun;
		p->md.tun_proto = md->tun_proto;
	}
	return p;
}

int dp_packet_key(const void *frame, uint32_t len, const struct dp_key *md,
		  struct dp_key *key)
{
	struct dp_packet *p = packet_from(frame, len, md);
	int r;

	if (!p)
		return -ENOMEM;
	r = dp_packet_extract(p, key);
	dp_packet_delete(p);
	return r;
}

int dp_execute_packet(struct dp *dp, const void *frame, uint32_t len,
		      const struct dp_key *md, const void *acts, size_t acts_len,
		      uint16_t mru, struct dp_err *err)
{
	struct dp_packet *p;
	struct dp_key key;
	int r;

	r = dp_exec_check_supported(acts, acts_len, err);
	if (r < 0)
		return r;
	p = packet_from(frame, len, md);
	if (!p)
		return dp_err_set(err, ENOMEM, "out of memory");
	p->mru = mru;
	if (dp_packet_extract(p, &key) < 0) {
		dp_packet_delete(p);
		return dp_err_set(err, EINVAL, "packet too short for its key");
	}
	dp->now_ms = dp_now_ms();
	dp_execute(&dp->exec, p, &key, acts, acts_len);
	dp_flush_ports(dp);
	dp_packet_delete(p);
	return 0;
}

int dp_flow_put(struct dp *dp, const struct dp_key *key, const struct dp_key *mask,
		const void *acts, size_t acts_len, const uint8_t *ufid,
		struct flowtab_flow **out, struct dp_err *err)
{
	int r = dp_exec_check_supported(acts, acts_len, err);

	if (r < 0)
		return r;
	return flowtab_insert(dp->ft, key, mask, acts, acts_len, ufid, out, err);
}

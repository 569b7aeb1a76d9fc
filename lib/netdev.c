/* netdev.c - ports: dispatch to the kind, and dummy ports; see netdev.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dp_offload.h"
#include "link.h"
#include "netdev_provider.h"

int netdev_open(struct netdev **out, const char *name, enum netdev_type type,
		unsigned flags, struct dp_err *err)
{
	struct netdev *nd;
	int r;

	*out = NULL;
	if (!name[0] || strlen(name) >= IFNAMSIZ)
		return dp_err_set(err, EINVAL, "'%s': bad interface name", name);
	nd = calloc(1, sizeof *nd);
	if (!nd)
		return dp_err_set(err, ENOMEM, "out of memory");
	strcpy(nd->name, name);
	nd->type = type;
	nd->flags = flags;
	nd->fd = -1;
	nd->mtu = 1500;
	nd->vnet = !(flags & NETDEV_F_NO_VNET);
	switch (type) {
	case NETDEV_AFPACKET: nd->cls = &netdev_afpacket_class; break;
	case NETDEV_TAP: nd->cls = &netdev_tap_class; break;
	case NETDEV_DUMMY: nd->cls = &netdev_dummy_class; break;
	default:
		free(nd);
		return dp_err_set(err, EINVAL, "%s: unknown port type %d", name, type);
	}
	r = nd->cls->open(nd, err);
	if (r < 0) {
		free(nd);
		return r;
	}
	*out = nd;
	return 0;
}

void netdev_close(struct netdev *nd)
{
	if (nd) {
		nd->cls->close(nd);
		free(nd);
	}
}

const char *netdev_name(const struct netdev *nd) { return nd->name; }
enum netdev_type netdev_type(const struct netdev *nd) { return nd->type; }
int netdev_fd(const struct netdev *nd) { return nd->fd; }
int netdev_ifindex(const struct netdev *nd) { return nd->ifindex; }
int netdev_mtu(const struct netdev *nd) { return nd->mtu; }
bool netdev_vnet(const struct netdev *nd) { return nd->vnet; }

int netdev_refresh_mtu(struct netdev *nd)
{
	int r;

	if (nd->type == NETDEV_DUMMY)
		return nd->mtu;
	r = link_mtu(nd->name, NULL);
	if (r > 0)
		nd->mtu = r;
	return r;
}

int netdev_rx(struct netdev *nd, struct dp_batch *b, uint32_t port)
{
	int n = nd->cls->rx(nd, b, port);

	if (n > 0 && nd->type != NETDEV_DUMMY)
		nd->n_rx = (unsigned)n;
	return n;
}

void netdev_rx_done(struct netdev *nd)
{
	unsigned i;

	/* A push that outgrew the ring's headroom moved a packet to the
	 * heap (dp_packet_own()). */
	for (i = 0; i < nd->n_rx; i++)
		if (nd->pkts[i].owned)
			dp_packet_uninit(&nd->pkts[i]);
	nd->n_rx = 0;
	nd->cls->rx_done(nd);
}

/* Frame length without its L2 header, as the kernel compares to the MTU. */
static uint32_t l3_len(const struct dp_packet *p, uint32_t len)
{
	const uint8_t *t = dp_packet_at(p, 12, 2);
	uint32_t hdr = p->mac_proto == DP_MAC_ETH ? 14 : 0;

	if (hdr && t && ((t[0] == 0x81 && t[1] == 0x00) || (t[0] == 0x88 && t[1] == 0xa8)))
		hdr += 4;
	return len > hdr ? len - hdr : 0;
}

void netdev_send(struct netdev *nd, const struct dp_packet *p, uint32_t len)
{
	if (nd->type != NETDEV_DUMMY && !p->gso_type &&
	    l3_len(p, len) > (uint32_t)nd->mtu) {
		nd->stats.tx_errors++;          /* the kernel: over-MTU drop */
		return;
	}
	nd->cls->send(nd, p, len);
}

void netdev_flush(struct netdev *nd)
{
	if (nd->cls->flush)
		nd->cls->flush(nd);
}

void netdev_get_stats(const struct netdev *nd, struct ovs_vport_stats *s)
{
	*s = nd->stats;
	if (nd->cls->stats)
		nd->cls->stats(nd, s);
}

/* --- dummy ports ---------------------------------------------------------- */

#define DUMMY_QLEN 1024

struct dummy {
	struct dp_packet *q[DUMMY_QLEN];        /* injected, not yet received */
	unsigned head, n;
	struct dp_packet *taken[DP_BATCH_MAX];  /* received, until rx_done */
	unsigned n_taken;
	struct dp_packet **sent;
	unsigned n_sent, cap_sent;
};

static int dummy_open(struct netdev *nd, struct dp_err *err)
{
	nd->priv = calloc(1, sizeof(struct dummy));
	return nd->priv ? 0 : dp_err_set(err, ENOMEM, "out of memory");
}

static void dummy_close(struct netdev *nd)
{
	struct dummy *d = nd->priv;

	nd->cls->rx_done(nd);
	while (d->n) {
		dp_packet_delete(d->q[d->head]);
		d->head = (d->head + 1) % DUMMY_QLEN;
		d->n--;
	}
	netdev_dummy_clear_sent(nd);
	free(d->sent);
	free(d);
}

static int dummy_rx(struct netdev *nd, struct dp_batch *b, uint32_t port)
{
	struct dummy *d = nd->priv;
	int n = 0;

	while (d->n && b->n < DP_BATCH_MAX && d->n_taken < DP_BATCH_MAX) {
		struct dp_packet *p = d->q[d->head];

		d->head = (d->head + 1) % DUMMY_QLEN;
		d->n--;
		p->md.in_port = port;
		d->taken[d->n_taken++] = p;
		dp_batch_add(b, p);
		nd->stats.rx_packets++;
		nd->stats.rx_bytes += p->len;
		n++;
	}
	return n;
}

static void dummy_rx_done(struct netdev *nd)
{
	struct dummy *d = nd->priv;

	while (d->n_taken)
		dp_packet_delete(d->taken[--d->n_taken]);
}

static void dummy_send(struct netdev *nd, const struct dp_packet *p, uint32_t len)
{
	struct dummy *d = nd->priv;

	nd->stats.tx_packets++;
	nd->stats.tx_bytes += len;
	if (!(nd->flags & NETDEV_F_KEEP_TX))
		return;
	if (d->n_sent == d->cap_sent) {
		unsigned cap = d->cap_sent ? d->cap_sent * 2 : 16;
		struct dp_packet **v = realloc(d->sent, cap * sizeof *v);

		if (!v) {
			nd->stats.tx_dropped++;
			return;
		}
		d->sent = v;
		d->cap_sent = cap;
	}
	d->sent[d->n_sent] = dp_packet_clone(p);
	if (!d->sent[d->n_sent]) {
		nd->stats.tx_dropped++;
		return;
	}
	dp_packet_trim(d->sent[d->n_sent], len);
	d->n_sent++;
}

const struct netdev_class netdev_dummy_class = {
	.open = dummy_open,
	.close = dummy_close,
	.rx = dummy_rx,
	.rx_done = dummy_rx_done,
	.send = dummy_send,
};

int netdev_dummy_inject(struct netdev *nd, const void *frame, uint32_t len)
{
	return netdev_dummy_inject_vnet(nd, NULL, frame, len);
}

int netdev_dummy_inject_vnet(struct netdev *nd, const void *vh,
			     const void *frame, uint32_t len)
{
	struct dummy *d = nd->priv;
	struct dp_packet *p;

	if (nd->type != NETDEV_DUMMY)
		return -EINVAL;
	if (d->n == DUMMY_QLEN) {
		nd->stats.rx_dropped++;
		return -ENOBUFS;
	}
	p = dp_packet_new(frame, len, DP_PACKET_HEADROOM);
	if (!p)
		return -ENOMEM;
	if (vh && nd->vnet)
		dp_offload_from_vnet(p, vh);
	d->q[(d->head + d->n) % DUMMY_QLEN] = p;
	d->n++;
	return 0;
}

const struct dp_packet *netdev_dummy_sent(const struct netdev *nd, unsigned i)
{
	const struct dummy *d = nd->priv;

	return nd->type == NETDEV_DUMMY && i < d->n_sent ? d->sent[i] : NULL;
}

unsigned netdev_dummy_n_sent(const struct netdev *nd)
{
	return nd->type == NETDEV_DUMMY ? ((const struct dummy *)nd->priv)->n_sent : 0;
}

void netdev_dummy_clear_sent(struct netdev *nd)
{
	struct dummy *d = nd->priv;

	if (nd->type != NETDEV_DUMMY)
		return;
	while (d->n_sent)
		dp_packet_delete(d->sent[--d->n_sent]);
}

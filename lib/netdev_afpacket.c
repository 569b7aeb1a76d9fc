/* netdev_afpacket.c - "netdev" ports: an interface through AF_PACKET with
 * TPACKET_V3 rx and tx rings; see netdev.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dp_offload.h"
#include "link.h"
#include "netdev_provider.h"

#define RX_BLOCK_SIZE  (1u << 18)
#define RX_BLOCK_NR    16u
#define TX_BLOCK_SIZE  (1u << 16)
#define TX_BLOCK_NR    8u
#define FRAME_SIZE     2048u
#define MM_MAX         64u              /* sendmmsg batch */
#define ARENA_SIZE     (1u << 20)       /* vnet: frames queued for sendmmsg */
#define VNET_LEN       sizeof(struct virtio_net_hdr)
#define DIRECT_MIN     4096u            /* vnet: sent without queueing */

/* Where a V3 frame's data may start: after the header, sockaddr_ll and
 * PACKET_RESERVE.  For tx the data starts right after the sockaddr_ll. */
#define HDR_ALIGNED    TPACKET_ALIGN(sizeof(struct tpacket3_hdr))
/* With virtio-net headers the receive ring is TPACKET_V2 with slots that
 * hold a 64 KiB super-frame: V3 hands a block over only when it is full or
 * its timer (a jiffy at least) fires, and a TCP stream's ACKs, sparse and
 * small, would wait for the timer every time; V2 wakes us per frame. */
#define V2_BLOCK_SIZE  (1u << 20)       /* a power of two: no waste */
#define V2_FRAME_SIZE  69904u           /* 64 KiB + headers, 16-aligned */
#define V2_PER_BLOCK   (V2_BLOCK_SIZE / V2_FRAME_SIZE)
#define V2_BLOCK_NR    16u
#define V2_FRAME_NR    (V2_BLOCK_NR * V2_PER_BLOCK)
#define HDR2_ALIGNED   TPACKET_ALIGN(sizeof(struct tpacket2_hdr))
#define TX_DATA_OFS    (TPACKET3_HDRLEN - sizeof(struct sockaddr_ll))

struct afp {
	/* rx: nd->fd, its ring mapped at map */
	uint8_t *map;
	size_t map_len;
	unsigned rx_blk;                /* block being read */
	unsigned rx_left;               /* its packets not yet read */
	struct tpacket3_hdr *rx_next;
	int release;                    /* release rx_blk at rx_done */
	unsigned v2_next, v2_taken;     /* V2: next slot, slots in the batch */
	/* tx: a socket of its own (see afp_open), its ring mapped at tx */
	int txfd;
	uint8_t *tx;
	size_t tx_len;
	unsigned tx_idx, tx_nr, tx_pending;
	/* sendmmsg mode: frames in mbuf, MM_MAX slots of FRAME_SIZE, or with
	 * vnet headers packed in an arena of ARENA_SIZE (super-frames) */
	uint8_t *mbuf;
	uint32_t arena_used;
	struct mmsghdr mm[MM_MAX];
	struct iovec iov[MM_MAX][2];
	struct virtio_net_hdr vh[MM_MAX];
	unsigned n_mm;
};

static struct tpacket_block_desc *block(const struct afp *a, unsigned i)
{
	return (struct tpacket_block_desc *)(void *)(a->map + (size_t)i * RX_BLOCK_SIZE);
}

static void afp_close(struct netdev *nd)
{
	struct afp *a = nd->priv;

	if (a) {
		if (a->map)
			munmap(a->map, a->map_len);
		if (a->tx)
			munmap(a->tx, a->tx_len);
		if (a->txfd >= 0)
			close(a->txfd);
		free(a->mbuf);
		free(a);
	}
	if (nd->fd >= 0)
		close(nd->fd);
	nd->fd = -1;
}

/* Map a ring of 'len' bytes of socket 'fd'; NULL on failure. */
static uint8_t *map_ring(int fd, size_t len)
{
	void *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_LOCKED | MAP_POPULATE, fd, 0);

	if (m == MAP_FAILED)    /* RLIMIT_MEMLOCK: unlocked is fine too */
		m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	return m == MAP_FAILED ? NULL : m;
}

static int bind_to(int fd, int ifindex, uint16_t proto)
{
	struct sockaddr_ll sll;

	memset(&sll, 0, sizeof sll);
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(proto);
	sll.sll_ifindex = ifindex;
	return bind(fd, (struct sockaddr *)&sll, sizeof sll);
}

/* The transmit socket.  It is apart from the receive socket so that no
 * epoll waits on it: every transmitted frame's destructor wakes the
 * socket's waiters, which would be the datapath's epoll on a shared
 * socket.  Bound with protocol 0, it receives nothing. */
static int open_tx(struct netdev *nd, struct afp *a)
{
	struct tpacket_req3 tx = {
		.tp_block_size = TX_BLOCK_SIZE, .tp_block_nr = TX_BLOCK_NR,
		.tp_frame_size = FRAME_SIZE,
		.tp_frame_nr = TX_BLOCK_SIZE / FRAME_SIZE * TX_BLOCK_NR,
	};
	int ver = TPACKET_V3, one = 1;
	unsigned i;

	a->txfd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (a->txfd < 0)
		return -errno;
	/* The qdisc adds nothing but cost in front of a veth or tap.  But a
	 * packet socket that bypasses it drops a GSO packet that the device
	 * cannot take whole (TSO or checksumming turned off) instead of
	 * segmenting it: with vnet headers, the qdisc path stays. */
	if (!nd->vnet)
		setsockopt(a->txfd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one);
	if (nd->vnet) {
		int sndbuf = 8 << 20;   /* room for a batch of super-frames */

		if (setsockopt(a->txfd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof one) < 0)
			return -errno;
		if (setsockopt(a->txfd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof sndbuf) < 0)
			setsockopt(a->txfd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
	}
	if (nd->flags & NETDEV_F_SENDMMSG || nd->vnet) {
		/* The tx ring's slots are too small for GSO super-frames. */
		a->mbuf = malloc(nd->vnet ? ARENA_SIZE : (size_t)MM_MAX * FRAME_SIZE);
		if (!a->mbuf)
			return -ENOMEM;
		for (i = 0; i < MM_MAX; i++) {
			a->iov[i][0].iov_base = &a->vh[i];
			a->iov[i][0].iov_len = VNET_LEN;
			a->iov[i][1].iov_base = a->mbuf + (size_t)i * FRAME_SIZE;
			a->mm[i].msg_hdr.msg_iov = nd->vnet ? a->iov[i] : &a->iov[i][1];
			a->mm[i].msg_hdr.msg_iovlen = nd->vnet ? 2 : 1;
		}
	} else {
		if (setsockopt(a->txfd, SOL_PACKET, PACKET_VERSION, &ver, sizeof ver) < 0 ||
		    setsockopt(a->txfd, SOL_PACKET, PACKET_TX_RING, &tx, sizeof tx) < 0)
			return -errno;
		a->tx_len = (size_t)TX_BLOCK_SIZE * TX_BLOCK_NR;
		a->tx = map_ring(a->txfd, a->tx_len);
		if (!a->tx)
			return -errno;
		a->tx_nr = tx.tp_frame_nr;
	}
	return bind_to(a->txfd, nd->ifindex, 0) < 0 ? -errno : 0;
}

static int afp_open(struct netdev *nd, struct dp_err *err)
{
	struct tpacket_req3 rx = {
		.tp_block_size = RX_BLOCK_SIZE, .tp_block_nr = RX_BLOCK_NR,
		.tp_frame_size = FRAME_SIZE,
		.tp_frame_nr = RX_BLOCK_SIZE / FRAME_SIZE * RX_BLOCK_NR,
		.tp_retire_blk_tov = 1,         /* ms: bounds latency */
	};
	struct tpacket_req rx2 = {
		.tp_block_size = V2_BLOCK_SIZE, .tp_block_nr = V2_BLOCK_NR,
		.tp_frame_size = V2_FRAME_SIZE, .tp_frame_nr = V2_FRAME_NR,
	};
	int ver = nd->vnet ? TPACKET_V2 : TPACKET_V3;
	int reserve = DP_PACKET_HEADROOM, one = 1, r;
	struct packet_mreq mr;
	struct afp *a;

	r = link_ifindex(nd->name, err);
	if (r < 0)
		return r;
	nd->ifindex = r;
	r = link_mtu(nd->name, err);
	if (r > 0)
		nd->mtu = r;
	a = calloc(1, sizeof *a);
	if (!a)
		return dp_err_set(err, ENOMEM, "out of memory");
	a->txfd = -1;
	nd->priv = a;
	nd->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (nd->fd < 0) {
		r = -errno;
		goto fail;
	}
	/* The virtio-net header must be asked for before the ring exists. */
	if ((nd->vnet &&
	     setsockopt(nd->fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof one) < 0) ||
	    setsockopt(nd->fd, SOL_PACKET, PACKET_VERSION, &ver, sizeof ver) < 0 ||
	    setsockopt(nd->fd, SOL_PACKET, PACKET_RESERVE, &reserve, sizeof reserve) < 0 ||
	    (nd->vnet ? setsockopt(nd->fd, SOL_PACKET, PACKET_RX_RING, &rx2, sizeof rx2)
		      : setsockopt(nd->fd, SOL_PACKET, PACKET_RX_RING, &rx, sizeof rx)) < 0) {
		r = -errno;
		goto fail;
	}
	a->map_len = nd->vnet ? (size_t)V2_BLOCK_SIZE * V2_BLOCK_NR
			      : (size_t)RX_BLOCK_SIZE * RX_BLOCK_NR;
	a->map = map_ring(nd->fd, a->map_len);
	if (!a->map) {
		r = -errno;
		goto fail;
	}
	r = open_tx(nd, a);
	if (r < 0)
		goto fail;
	/* Frames we send on this interface are not ours to receive. */
	setsockopt(nd->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
	if (bind_to(nd->fd, nd->ifindex, ETH_P_ALL) < 0) {
		r = -errno;
		goto fail;
	}
	memset(&mr, 0, sizeof mr);
	mr.mr_ifindex = nd->ifindex;
	mr.mr_type = PACKET_MR_PROMISC;
	if (setsockopt(nd->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr) < 0) {
		r = -errno;
		goto fail;
	}
	return 0;

fail:
	afp_close(nd);
	nd->priv = NULL;
	return dp_err_set(err, -r, "%s: packet socket: %s", nd->name, strerror(-r));
}

/* Fold the socket's drop counter (reset by each read) into rx_dropped. */
static void read_drops(struct netdev *nd)
{
	struct tpacket_stats_v3 st;
	socklen_t len = sizeof st;

	if (getsockopt(nd->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0)
		nd->stats.rx_dropped += st.tp_drops;
}

/* Take one received frame into p: 'base' is where the slot's data may
 * start ('hdr' bytes into it), the frame is at 'mac' from the slot.  False
 * if it is to be dropped. */
static bool frame_in(struct netdev *nd, struct dp_packet *p, uint8_t *base,
		     uint32_t hdr, uint32_t mac, uint32_t snaplen, uint32_t len,
		     uint32_t status, uint16_t tci, uint16_t tpid, uint32_t port)
{
	if (len != snaplen || mac < hdr + (nd->vnet ? VNET_LEN : 0)) {
		/* Cut short: larger than a ring slot. */
		nd->stats.rx_errors++;
		return false;
	}
	dp_packet_use(p, base, mac - hdr + snaplen, mac - hdr, snaplen);
	p->md.in_port = port;
	if (nd->vnet) {
		/* Right in front of the frame; headroom from now on. */
		struct virtio_net_hdr vh;

		memcpy(&vh, p->data - VNET_LEN, VNET_LEN);
		dp_offload_from_vnet(p, &vh);
	} else if (status & TP_STATUS_CSUMNOTREADY) {
		p->ol_flags |= DP_OL_CSUM_PARTIAL | DP_OL_INFER;
	} else if (status & TP_STATUS_CSUM_VALID) {
		p->ol_flags |= DP_OL_CSUM_VALID;
	}
	if (status & TP_STATUS_VLAN_VALID) {
		uint8_t *tag = dp_packet_insert(p, 12, 4);

		if (!(status & TP_STATUS_VLAN_TPID_VALID))
			tpid = ETH_P_8021Q;
		if (!tag) {
			nd->stats.rx_errors++;
			return false;
		}
		tpid = htons(tpid);
		tci = htons(tci);
		memcpy(tag, &tpid, 2);
		memcpy(tag + 2, &tci, 2);
	}
	return true;
}

static struct tpacket2_hdr *v2_frame(const struct afp *a, unsigned i)
{
	return (struct tpacket2_hdr *)(void *)(a->map + (size_t)(i / V2_PER_BLOCK) *
					       V2_BLOCK_SIZE +
					       (size_t)(i % V2_PER_BLOCK) * V2_FRAME_SIZE);
}

static int afp_rx_v2(struct netdev *nd, struct dp_batch *b, uint32_t port)
{
	struct afp *a = nd->priv;
	unsigned k = 0;

	if (a->v2_taken)
		return 0;               /* netdev_rx_done() first */
	while (b->n < DP_BATCH_MAX && k < DP_BATCH_MAX && a->v2_taken < V2_FRAME_NR) {
		unsigned i = (a->v2_next + a->v2_taken) % V2_FRAME_NR;
		struct tpacket2_hdr *h = v2_frame(a, i);
		uint32_t st = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
		struct dp_packet *p = &nd->pkts[k];

		if (!(st & TP_STATUS_USER))
			break;
		a->v2_taken++;
		if (!frame_in(nd, p, (uint8_t *)h + HDR2_ALIGNED, HDR2_ALIGNED,
			      h->tp_mac, h->tp_snaplen, h->tp_len, st,
			      h->tp_vlan_tci, h->tp_vlan_tpid, port))
			continue;
		nd->stats.rx_packets++;
		nd->stats.rx_bytes += p->len;
		dp_batch_add(b, p);
		k++;
	}
	return (int)k;
}

static int afp_rx(struct netdev *nd, struct dp_batch *b, uint32_t port)
{
	struct afp *a = nd->priv;
	unsigned k = 0;

	if (nd->vnet)
		return afp_rx_v2(nd, b, port);
	if (a->release)
		return 0;               /* netdev_rx_done() first */
	if (!a->rx_left) {
		struct tpacket_block_desc *bd = block(a, a->rx_blk);

		if (!(__atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) &
		      TP_STATUS_USER))
			return 0;
		a->rx_left = bd->hdr.bh1.num_pkts;
		a->rx_next = (struct tpacket3_hdr *)(void *)
			((uint8_t *)bd + bd->hdr.bh1.offset_to_first_pkt);
		if (!a->rx_left) {
			a->release = 1;
			return 0;
		}
	}
	while (a->rx_left && b->n < DP_BATCH_MAX && k < DP_BATCH_MAX) {
		struct tpacket3_hdr *h = a->rx_next;
		uint8_t *base = (uint8_t *)h + HDR_ALIGNED;
		struct dp_packet *p = &nd->pkts[k];

		a->rx_left--;
		a->rx_next = (struct tpacket3_hdr *)(void *)((uint8_t *)h + h->tp_next_offset);
		if (!frame_in(nd, p, base, HDR_ALIGNED, h->tp_mac, h->tp_snaplen,
			      h->tp_len, h->tp_status, (uint16_t)h->hv1.tp_vlan_tci,
			      h->hv1.tp_vlan_tpid, port))
			continue;
		nd->stats.rx_packets++;
		nd->stats.rx_bytes += p->len;
		dp_batch_add(b, p);
		k++;
	}
	if (!a->rx_left)
		a->release = 1;
	return (int)k;
}

static void afp_rx_done(struct netdev *nd)
{
	struct afp *a = nd->priv;

	if (a->v2_taken) {
		while (a->v2_taken) {
			__atomic_store_n(&v2_frame(a, a->v2_next)->tp_status,
					 TP_STATUS_KERNEL, __ATOMIC_RELEASE);
			a->v2_next = (a->v2_next + 1) % V2_FRAME_NR;
			a->v2_taken--;
		}
		read_drops(nd);
		return;
	}
	if (a->release && !a->rx_left) {
		__atomic_store_n(&block(a, a->rx_blk)->hdr.bh1.block_status,
				 TP_STATUS_KERNEL, __ATOMIC_RELEASE);
		a->rx_blk = (a->rx_blk + 1) % RX_BLOCK_NR;
		a->release = 0;
		read_drops(nd);
	}
}

static void afp_flush(struct netdev *nd)
{
	struct afp *a = nd->priv;

	if (a->tx) {
		if (a->tx_pending &&
		    send(a->txfd, NULL, 0, MSG_DONTWAIT) < 0 && errno != EAGAIN &&
		    errno != ENOBUFS)
			nd->stats.tx_errors++;
		a->tx_pending = 0;
	} else if (a->n_mm) {
		unsigned done = 0;

		while (done < a->n_mm) {
			int r = sendmmsg(a->txfd, a->mm + done, a->n_mm - done,
					 MSG_DONTWAIT);

			if (r <= 0) {
				nd->stats.tx_dropped += a->n_mm - done;
				nd->stats.tx_packets -= a->n_mm - done;
				break;
			}
			done += (unsigned)r;
		}
		a->n_mm = 0;
		a->arena_used = 0;
	}
}

static struct tpacket3_hdr *tx_frame(const struct afp *a, unsigned i)
{
	return (struct tpacket3_hdr *)(void *)(a->tx + (size_t)i * FRAME_SIZE);
}

/* A super-frame goes out at once, from where it is: the kernel copies it
 * during the call, which spares the copy into the arena (the bulk of the
 * cost of forwarding it) and leaves the caller free to change p after.
 * What is queued before it goes first, to keep the order. */
static void afp_send_direct(struct netdev *nd, const struct dp_packet *p,
			    uint32_t len)
{
	struct afp *a = nd->priv;
	struct virtio_net_hdr vh;
	struct iovec iov[2] = { { &vh, VNET_LEN }, { p->data, len } };
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = 2 };

	if (a->n_mm)
		afp_flush(nd);
	dp_offload_to_vnet(p, &vh);
	if (len != p->len)
		memset(&vh, 0, VNET_LEN);
	if (sendmsg(a->txfd, &m, MSG_DONTWAIT) < 0) {
		nd->stats.tx_dropped++;
		return;
	}
	nd->stats.tx_packets++;
	nd->stats.tx_bytes += len;
}

static void afp_send(struct netdev *nd, const struct dp_packet *p, uint32_t len)
{
	struct afp *a = nd->priv;
	struct tpacket3_hdr *h;
	uint32_t st;

	if (nd->vnet) {
		struct iovec *v;

		if (len >= DIRECT_MIN) {
			afp_send_direct(nd, p, len);
			return;
		}
		if (a->n_mm == MM_MAX || a->arena_used + len > ARENA_SIZE)
			afp_flush(nd);
		v = a->iov[a->n_mm];
		dp_offload_to_vnet(p, &a->vh[a->n_mm]);
		if (len != p->len)      /* truncated: no offload */
			memset(&a->vh[a->n_mm], 0, VNET_LEN);
		v[1].iov_base = a->mbuf + a->arena_used;
		v[1].iov_len = len;
		memcpy(v[1].iov_base, p->data, len);
		a->arena_used += (len + 63) & ~63u;
		a->n_mm++;
		goto sent;
	}
	if (len > FRAME_SIZE - TX_DATA_OFS) {
		nd->stats.tx_errors++;  /* larger than a ring slot */
		return;
	}
	if (!a->tx) {
		if (a->n_mm == MM_MAX)
			afp_flush(nd);
		memcpy(a->iov[a->n_mm][1].iov_base, p->data, len);
		a->iov[a->n_mm][1].iov_len = len;
		a->n_mm++;
		goto sent;
	}
	h = tx_frame(a, a->tx_idx);
	st = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
	if (st & TP_STATUS_WRONG_FORMAT) {
		nd->stats.tx_errors++;
		st = TP_STATUS_AVAILABLE;
	} else if (st != TP_STATUS_AVAILABLE) {
		afp_flush(nd);          /* ring full: let the kernel catch up */
		st = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
		if (st != TP_STATUS_AVAILABLE) {
			nd->stats.tx_dropped++;
			return;
		}
	}
	memcpy((uint8_t *)h + TX_DATA_OFS, p->data, len);
	h->tp_len = len;
	h->tp_snaplen = len;
	h->tp_next_offset = 0;
	__atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
	a->tx_idx = (a->tx_idx + 1) % a->tx_nr;
	if (++a->tx_pending >= 4 * DP_BATCH_MAX)
		afp_flush(nd);
sent:
	nd->stats.tx_packets++;
	nd->stats.tx_bytes += len;
}

const struct netdev_class netdev_afpacket_class = {
	.open = afp_open,
	.close = afp_close,
	.rx = afp_rx,
	.rx_done = afp_rx_done,
	.send = afp_send,
	.flush = afp_flush,
};

/* netdev_tap.c - "internal" ports: a tap device owned by the port; see
 * netdev.h. */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <stdlib.h>
#include <string.h>
#include <linux/virtio_net.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "dp_offload.h"
#include "link.h"
#include "netdev_provider.h"

struct tap {
	uint8_t *bufs;                  /* DP_BATCH_MAX receive buffers */
	uint32_t buf_size;
};

static void tap_close(struct netdev *nd)
{
	struct tap *t = nd->priv;

	/* Not persistent: closing the last descriptor removes the device. */
	if (nd->fd >= 0)
		close(nd->fd);
	nd->fd = -1;
	if (t)
		free(t->bufs);
	free(t);
}

static int tap_open(struct netdev *nd, struct dp_err *err)
{
	struct ifreq ifr;
	struct tap *t;
	int r;

	t = calloc(1, sizeof *t);
	if (!t)
		return dp_err_set(err, ENOMEM, "out of memory");
	nd->priv = t;
	nd->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (nd->fd < 0) {
		r = errno;
		tap_close(nd);
		return dp_err_set(err, r, "/dev/net/tun: %s", strerror(r));
	}
	memset(&ifr, 0, sizeof ifr);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | (nd->vnet ? IFF_VNET_HDR : 0);
	strcpy(ifr.ifr_name, nd->name);
	if (ioctl(nd->fd, TUNSETIFF, &ifr) < 0) {
		r = errno;
		tap_close(nd);
		return dp_err_set(err, r, "%s: cannot create tap: %s", nd->name,
				  strerror(r));
	}
	/* The stack may then hand us partial checksums and TSO frames. */
	if (nd->vnet && ioctl(nd->fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 |
			      TUN_F_TSO6 | TUN_F_TSO_ECN) < 0) {
		r = errno;
		tap_close(nd);
		return dp_err_set(err, r, "%s: tap offloads: %s", nd->name,
				  strerror(r));
	}
	r = link_set_up(nd->name, true, err);
	if (r >= 0)
		r = link_ifindex(nd->name, err);
	if (r < 0) {
		tap_close(nd);
		return r;
	}
	nd->ifindex = r;
	r = link_mtu(nd->name, NULL);
	if (r > 0)
		nd->mtu = r;
	/* Room for the MTU plus Ethernet and two VLAN headers, or for a
	 * TSO super-frame. */
	t->buf_size = DP_PACKET_HEADROOM + (nd->vnet ? 65536u + 64 : (uint32_t)nd->mtu + 22);
	if (t->buf_size < DP_PACKET_HEADROOM + 2048)
		t->buf_size = DP_PACKET_HEADROOM + 2048;
	t->bufs = malloc((size_t)t->buf_size * DP_BATCH_MAX);
	if (!t->bufs) {
		tap_close(nd);
		return dp_err_set(err, ENOMEM, "out of memory");
	}
	return 0;
}

static int tap_rx(struct netdev *nd, struct dp_batch *b, uint32_t port)
{
	struct tap *t = nd->priv;
	unsigned k = 0;

	while (b->n < DP_BATCH_MAX && k < DP_BATCH_MAX) {
		uint8_t *buf = t->bufs + (size_t)k * t->buf_size;
		struct virtio_net_hdr vh;
		struct iovec iov[2] = {
			{ &vh, sizeof vh },
			{ buf + DP_PACKET_HEADROOM, t->buf_size - DP_PACKET_HEADROOM },
		};
		ssize_t n = nd->vnet ? readv(nd->fd, iov, 2)
				     : readv(nd->fd, iov + 1, 1);
		struct dp_packet *p = &nd->pkts[k];

		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				nd->stats.rx_errors++;
			break;
		}
		if (nd->vnet) {
			if (n < (ssize_t)sizeof vh) {
				nd->stats.rx_errors++;
				continue;
			}
			n -= (ssize_t)sizeof vh;
		}
		dp_packet_use(p, buf, t->buf_size, DP_PACKET_HEADROOM, (uint32_t)n);
		p->md.in_port = port;
		if (nd->vnet)
			dp_offload_from_vnet(p, &vh);
		nd->stats.rx_packets++;
		nd->stats.rx_bytes += (uint64_t)n;
		dp_batch_add(b, p);
		k++;
	}
	return (int)k;
}

static void tap_rx_done(struct netdev *nd)
{
	(void)nd;               /* buffers are reused by the next rx */
}

static void tap_send(struct netdev *nd, const struct dp_packet *p, uint32_t len)
{
	struct virtio_net_hdr vh;
	struct iovec iov[2] = { { &vh, sizeof vh }, { p->data, len } };
	ssize_t want = (ssize_t)len;

	if (nd->vnet) {
		dp_offload_to_vnet(p, &vh);
		if (len != p->len)      /* truncated: no offload */
			memset(&vh, 0, sizeof vh);
		want += (ssize_t)sizeof vh;
	}
	if ((nd->vnet ? writev(nd->fd, iov, 2) : writev(nd->fd, iov + 1, 1)) != want) {
		/* EAGAIN: nobody reads the tap (it is down, or full). */
		nd->stats.tx_dropped++;
		return;
	}
	nd->stats.tx_packets++;
	nd->stats.tx_bytes += len;
}

const struct netdev_class netdev_tap_class = {
	.open = tap_open,
	.close = tap_close,
	.rx = tap_rx,
	.rx_done = tap_rx_done,
	.send = tap_send,
};

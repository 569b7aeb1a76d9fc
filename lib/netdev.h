/*
 * netdev.h - the ports of the userspace datapath: where packets come in
 * and go out.
 *
 * Three kinds, one interface:
 *  - NETDEV_AFPACKET ("netdev" vports): an existing interface (a veth end,
 *    a tap) read through an AF_PACKET socket with a TPACKET_V3 mmap'ed
 *    receive ring (the kernel fills whole blocks; one poll wakeup hands over
 *    hundreds of frames) and written through a second socket's TPACKET_V3
 *    transmit ring (or sendmmsg, NETDEV_F_SENDMMSG: measured the same on
 *    veths here), flushed with one send() per receive round, bypassing the
 *    qdisc.  The receive socket ignores outgoing frames and puts the
 *    interface in promiscuous mode.  VLAN tags that the kernel stripped are
 *    put back in the frame.
 *  - NETDEV_TAP ("internal" vports): a tap device created with the port's
 *    name, up, nonblocking; it disappears when the port is closed.
 *  - NETDEV_DUMMY: no device.  Frames are injected by the caller and
 *    transmitted frames are counted (and kept, if asked): for unit tests
 *    and benchmarks of the pipeline without a kernel in the way.
 *
 * Receiving is zero-copy where the device allows: netdev_rx() fills a batch
 * with packets that point into the receive ring (with headroom for
 * pushes); they stay valid until netdev_rx_done().  Sending copies the
 * frame into the transmit ring at once (so the caller may change or free
 * the packet right after), and netdev_flush() hands the queued frames to
 * the kernel.
 *
 * Offload (lib/dp_offload.h): unless opened with NETDEV_F_NO_VNET, a port
 * exchanges a struct virtio_net_hdr with the kernel in front of every frame
 * (PACKET_VNET_HDR on both packet sockets, set before the ring, as the
 * kernel requires; IFF_VNET_HDR and TUNSETOFFLOAD with checksum and TSO on
 * a tap), so received packets carry their checksum and GSO state and
 * netdev_send() hands that state back: a 64 KiB TCP super-frame crosses as
 * one packet.  Such a packet socket receives through a TPACKET_V2 ring of
 * 68 KiB slots (V3 releases a block only when it is full or its timer
 * fires: a TCP stream's sparse ACKs waited a jiffy each), sends
 * super-frames with one sendmsg each straight from the packet and small
 * frames with sendmmsg, both through the qdisc (a socket that bypasses it
 * drops a GSO packet its device cannot take instead of segmenting it).
 * Without vnet headers, a frame the kernel marks "checksum not ready" gets
 * DP_OL_INFER, and the datapath must not hand such a port partial
 * checksums or GSO packets (netdev_vnet() tells).
 *
 * A netdev is used by one thread (the datapath's).
 */
#ifndef DPKIT_NETDEV_H
#define DPKIT_NETDEV_H

#include <linux/openvswitch.h>
#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "packet.h"

enum netdev_type {
	NETDEV_AFPACKET,
	NETDEV_TAP,
	NETDEV_DUMMY,
};

/* netdev_open() flags. */
enum {
	NETDEV_F_SENDMMSG = 1 << 0,     /* AF_PACKET: sendmmsg, not a tx ring */
	NETDEV_F_KEEP_TX  = 1 << 1,     /* dummy: keep sent frames */
	NETDEV_F_NO_VNET  = 1 << 2,     /* no virtio-net headers (offload off) */
};

struct netdev;

int netdev_open(struct netdev **out, const char *name, enum netdev_type type,
		unsigned flags, struct dp_err *err);
/* Close (a tap is removed with it). */
void netdev_close(struct netdev *nd);

const char *netdev_name(const struct netdev *nd);
enum netdev_type netdev_type(const struct netdev *nd);
/* File descriptor to poll for input, or -1 (dummy). */
int netdev_fd(const struct netdev *nd);
int netdev_ifindex(const struct netdev *nd);
/* MTU as read at open (refreshed by netdev_refresh_mtu()). */
int netdev_mtu(const struct netdev *nd);
int netdev_refresh_mtu(struct netdev *nd);
/* Whether the port carries offload state (virtio-net headers) both ways:
 * it takes partial checksums and GSO packets on netdev_send(). */
bool netdev_vnet(const struct netdev *nd);

/* Receive up to DP_BATCH_MAX packets into 'b' (appended).  Each packet's
 * md.in_port is 'port'.  Returns the number received (0: nothing now). */
int netdev_rx(struct netdev *nd, struct dp_batch *b, uint32_t port);
/* The packets of the last netdev_rx() are no longer used. */
void netdev_rx_done(struct netdev *nd);

/* Queue the first 'len' bytes of p for transmission (copied). */
void netdev_send(struct netdev *nd, const struct dp_packet *p, uint32_t len);
/* Transmit what is queued. */
void netdev_flush(struct netdev *nd);

void netdev_get_stats(const struct netdev *nd, struct ovs_vport_stats *s);

/* Dummy devices. */
int netdev_dummy_inject(struct netdev *nd, const void *frame, uint32_t len);
/* The same with the offload state a virtio-net header gives it, as a port
 * with vnet headers receives it (vh: a struct virtio_net_hdr). */
int netdev_dummy_inject_vnet(struct netdev *nd, const void *vh,
			     const void *frame, uint32_t len);
/* Frames sent so far (with NETDEV_F_KEEP_TX): the i-th, or NULL. */
const struct dp_packet *netdev_dummy_sent(const struct netdev *nd, unsigned i);
unsigned netdev_dummy_n_sent(const struct netdev *nd);
void netdev_dummy_clear_sent(struct netdev *nd);

#endif

/*
 * dp_offload.h - checksum and segmentation offload state between ports.
 *
 * Linux lets a packet travel between devices with work left undone: its L4
 * checksum "partial" (CHECKSUM_PARTIAL: the field holds the pseudo-header
 * sum, csum_start/csum_offset say what the device must sum and where to
 * put it) and, for TCP or UDP GSO, as one super-frame of up to 64 KiB that
 * the last device cuts into segments of gso_size payload bytes.  A packet
 * socket with PACKET_VNET_HDR or a tap with IFF_VNET_HDR hands that state
 * over in a struct virtio_net_hdr in front of each frame, and takes it
 * back the same way, so the datapath can forward a 64 KiB TCP super-frame
 * as one packet and leave both jobs to the kernel on the far side.  This
 * module converts between the header and struct dp_packet (packet.h) and
 * keeps the state such that the actions can rely on it.
 *
 * What the state holds between dp_offload_rx() and the output:
 *  - DP_OL_CSUM_PARTIAL only on an IPv4/IPv6 TCP or UDP packet that is not
 *    a fragment, with csum_start at its L4 header and csum_offset at the
 *    checksum field; anything else a device left partial (SCTP's CRC32c,
 *    which a virtio-net header cannot express, or a checksum somewhere
 *    unexpected) is completed on arrival;
 *  - gso_type only on a packet of that type (TCPV4: IPv4/TCP; TCPV6:
 *    IPv6/TCP; UDP_L4: UDP) with more than gso_size payload bytes, and
 *    always with its checksum partial: a GSO packet that breaks these rules
 *    is dropped.
 * set() actions keep a partial checksum partial by updating the
 * pseudo-header sum it holds (execute_set.c); push/pop move csum_start
 * with the headers (packet.c).  On output (dp_pipeline.c) a port that
 * takes virtio-net headers gets the state as it is; otherwise the datapath
 * completes the checksum or cuts the super-frame (dp_gso.h) itself.
 *
 * Frames received without a virtio-net header (a port opened with
 * vnet_hdr=false) carry DP_OL_INFER instead: the kernel said only
 * "checksum not ready" (TP_STATUS_CSUMNOTREADY), so dp_offload_rx() reads
 * where it goes from the headers, and takes a TCP frame longer than the
 * port's MTU for the TSO super-frame it is, with the gso_size that fills
 * that MTU.
 *
 * Header fields are in host byte order, as the legacy virtio-net header
 * that packet sockets and taps (without TUNSETVNETLE) use on a
 * little-endian host.
 */
#ifndef DPKIT_DP_OFFLOAD_H
#define DPKIT_DP_OFFLOAD_H

#include <linux/virtio_net.h>

#include "key.h"
#include "packet.h"

#ifndef VIRTIO_NET_HDR_GSO_UDP_L4
#define VIRTIO_NET_HDR_GSO_UDP_L4 5     /* not in 6.1's uapi headers */
#endif

/* Take the state of a received frame from its virtio-net header (before
 * any header is inserted in front of the frame: csum_start counts from
 * the first byte). */
void dp_offload_from_vnet(struct dp_packet *p, const struct virtio_net_hdr *vh);
/* The virtio-net header that sends p with its state.  A GSO packet that
 * has no TCP/UDP header inside the frame gets no GSO. */
void dp_offload_to_vnet(const struct dp_packet *p, struct virtio_net_hdr *vh);

/* Make p's state follow the rules above, once its headers are known
 * (dp_packet_extract() filled 'key' and the offsets).  'mtu' is the MTU
 * of the port it came in by, for DP_OL_INFER.  Returns 0, or -EINVAL if
 * the packet is to be dropped. */
int dp_offload_rx(struct dp_packet *p, const struct dp_key *key, uint32_t mtu);

#endif

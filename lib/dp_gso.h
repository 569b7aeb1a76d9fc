/*
 * dp_gso.h - GSO super-frames cut into wire segments in software.
 *
 * A port with virtio-net headers hands the datapath TCP (and UDP GSO)
 * "super-frames" of up to 64 KiB, one per skb, with gso_type and gso_size
 * saying how the kernel would cut them (packet.h).  Most outputs pass them
 * on whole, for the kernel to cut on the far side.  Where that cannot be
 * (a port without virtio-net headers, a packet to userspace, a trunc, an
 * MPLS label in front of the segments, an MTU below the segment size with
 * no GSO to defer to), the datapath cuts them here the way the kernel's
 * tcp_gso_segment() / __udp_gso_segment() do: headers copied (everything
 * in front of the L4 payload, VLAN and MPLS tags included), IPv4 total
 * length, id (+1 per segment) and header checksum and IPv6 payload length
 * fixed, TCP sequence numbers advanced with FIN and PSH on the last
 * segment only and CWR on the first only, UDP lengths set, and every
 * segment's L4 checksum computed in full.
 *
 * Where the L4 header is: a GSO packet's checksum is partial and starts at
 * it (dp_offload_rx() makes it so), and that offset moves with the
 * headers that actions push and pop, so it is still right after a
 * push_mpls, behind which the extractor does not look.
 */
#ifndef DPKIT_DP_GSO_H
#define DPKIT_DP_GSO_H

#include <stdint.h>

#include "packet.h"

/* The largest segment dp_gso_segment() builds, headers included. */
#define DP_GSO_MAX_FRAME 9216

/* The offset of p's L4 header (for a GSO or checksum-partial packet), or
 * DP_OFS_NONE. */
uint32_t dp_gso_l4(const struct dp_packet *p);
/* The length of p's headers up to the end of its TCP/UDP header, as a
 * virtio-net header's hdr_len; 0 if p is not a GSO packet with such a
 * header inside the frame. */
uint32_t dp_gso_hdr_len(const struct dp_packet *p);
/* The largest segment payload for which each segment's L3 packet fits
 * 'mtu' bytes; 0 if even the headers do not. */
uint32_t dp_gso_mss_for_mtu(const struct dp_packet *p, uint32_t mtu);

/* How many segments GSO packet p stands for on the wire (1 for a packet
 * that is not GSO), and in *wire_bytes their total length (the headers
 * repeated in each). */
uint32_t dp_gso_segs(const struct dp_packet *p, uint64_t *wire_bytes);

/* Cut GSO packet 'p' into segments of at most 'mss' bytes of L4 payload
 * each, calling emit(aux, segment) for each in order (the segment is
 * valid during the call only; its checksums are complete and it carries
 * no offload state).  Returns the number of segments, or -EINVAL if 'p'
 * is not a GSO packet whose headers say what its gso_type says, or a
 * segment would exceed DP_GSO_MAX_FRAME. */
int dp_gso_segment(const struct dp_packet *p, uint32_t mss,
		   void (*emit)(void *aux, const struct dp_packet *seg), void *aux);

#endif

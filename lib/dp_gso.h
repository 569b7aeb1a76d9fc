/*
 * dp_gso.h - TCP segmentation in software.
 *
 * A veth or tap peer with TSO hands the datapath TCP "super-frames" of up
 * to 64 KiB (one skb, one frame in the receive ring).  When such a frame
 * must leave by a port whose MTU it exceeds, and the port cannot take it
 * as GSO (version one's ports have no vnet headers), it is cut here into
 * MTU-sized segments as the kernel's tcp_gso_segment() would: headers
 * copied, IPv4 total length/id/checksum and IPv6 payload length fixed, TCP
 * sequence numbers advanced, FIN/PSH only on the last segment and CWR only
 * on the first, each segment's TCP checksum computed in full.
 */
#ifndef DPKIT_DP_GSO_H
#define DPKIT_DP_GSO_H

#include <stdint.h>

#include "packet.h"

/* The largest frame dp_gso_tcp() builds. */
#define DP_GSO_MAX_FRAME 9216

/* Cut TCP frame 'p' (IPv4, or IPv6 without extension headers; l3/l4
 * offsets set) into segments whose IP packets fit 'mtu' bytes, calling
 * emit(aux, segment) for each in order (the segment is valid for the call
 * only).  Returns the number of segments, or -EINVAL if 'p' is not such a
 * frame or a segment would exceed DP_GSO_MAX_FRAME. */
int dp_gso_tcp(const struct dp_packet *p, uint32_t mtu,
	       void (*emit)(void *aux, const struct dp_packet *seg), void *aux);

#endif

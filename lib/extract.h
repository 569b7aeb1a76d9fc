/*
 * extract.h - packet bytes to flow key, with the kernel datapath's semantics.
 *
 * dp_extract() is the one place where a packet becomes a struct dp_key: dpd's
 * userspace datapath calls it for every received packet, flowtrace for every
 * captured one, and kmod/ compiles the same extract.c into the kernel module.
 * It fills the L2-L4 part of the key exactly as Linux's openvswitch module
 * (net/openvswitch/flow.c, key_extract) does, including what it does with
 * truncated and malformed headers: the layer that is cut short or invalid,
 * and everything above it, is left zero.  What it covers: Ethernet II and
 * 802.3 LLC/SNAP, 802.1Q and 802.1ad tags (outer and inner), MPLS label
 * stacks, IPv4 (options skipped, fragments), IPv6 (extension headers walked
 * to the upper layer, fragments, the extension-header bits), TCP, UDP,
 * SCTP, ICMP, ICMPv6 with neighbour discovery, ARP and RARP.
 *
 * The module owns no state: it reads 'len' bytes at 'pkt' (never one more)
 * and writes the key.  It is freestanding (no allocation, no libc beyond the
 * memcpy/memset that key.h brings), so keep it that way.
 */
#ifndef DPKIT_EXTRACT_H
#define DPKIT_EXTRACT_H

#include "key.h"

/*
 * Extract the headers of the packet pkt[0..len) into 'key'.
 *
 * The caller owns the metadata: in_port, priority, skb_mark, recirc_id,
 * dp_hash, conntrack and tunnel fields are neither read nor written, except
 * that key->mac_proto says what the packet starts with:
 *  - DP_MAC_ETH: an Ethernet header (the usual case);
 *  - DP_MAC_NONE: an L3 packet (from an L3 tunnel or a raw IP capture);
 *    the caller then sets key->eth_type to its protocol (network order),
 *    as the kernel takes it from skb->protocol.
 * Every field from eth_src to the end of the l3 union is written: set from
 * the packet, or zero where the packet has no such header.
 *
 * Returns 0, or -EINVAL when the kernel would refuse the packet outright:
 * an Ethernet frame shorter than its 14-byte header, or an L3 packet whose
 * protocol is a VLAN ethertype.  The key is then zero from eth_src on.
 */
int dp_extract(const void *pkt, size_t len, struct dp_key *key);

/* Where a packet's headers start, in bytes from its first one, for the
 * actions that rewrite them; DP_HDR_NONE where there is none. */
#define DP_HDR_NONE 0xffff
struct dp_hdrs {
	uint16_t l2_5;  /* the MPLS label stack (MPLS packets only) */
	uint16_t l3;    /* the L2 payload: IP, ARP...; for MPLS, what follows
			 * the bottom of the stack, if the packet has it */
	uint16_t l4;    /* the transport header of an IPv4 packet with a
			 * valid header, or of an IPv6 packet whose extension
			 * headers lead to it; none for a later fragment */
};

/* dp_extract(), and where the headers are (as the kernel's skb header
 * offsets after key_extract), so a datapath parses each packet once.  An
 * offset is that of the header's first byte: the header itself may be cut
 * short (then its key fields are zero). */
int dp_extract_hdrs(const void *pkt, size_t len, struct dp_key *key,
		    struct dp_hdrs *hdrs);

/* The L2-L4 region dp_extract() writes: [DP_KEY_OFS_L2, DP_KEY_OFS_L2_END). */
#define DP_KEY_OFS_L2      offsetof(struct dp_key, eth_src)
#define DP_KEY_OFS_L2_END  offsetof(struct dp_key, ct_orig)

#endif /* DPKIT_EXTRACT_H */

/*
 * dp_csum.h - Internet checksums for the userspace datapath: full
 * computation (to complete a partial checksum, or to verify) and the
 * incremental updates (RFC 1624) that set() actions use so that rewriting a
 * field never re-reads the payload.
 *
 * Values are raw 16-bit words as they sit in the packet (network order read
 * with memcpy): the one's complement sum does not care about byte order as
 * long as every operand is read the same way.
 */
#ifndef DPKIT_DP_CSUM_H
#define DPKIT_DP_CSUM_H

#include <stddef.h>
#include <stdint.h>

#include "packet.h"

/* One's complement sum of data[0..len) added to 'sum' (32-bit accumulator,
 * not folded). */
uint32_t dp_csum_add(uint32_t sum, const void *data, size_t len);
/* Fold a 32-bit accumulator to 16 bits (not complemented). */
static inline uint16_t dp_csum_fold(uint32_t s)
{
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* Incremental update of the checksum field at 'check' (unaligned ok) for a
 * 16- or 32-bit word changing from 'from' to 'to'.  'partial': the field
 * holds a pseudo-header sum for a device to complete (CHECKSUM_PARTIAL), so
 * it is updated without complementing. */
void dp_csum_replace16(void *check, uint16_t from, uint16_t to, int partial);
void dp_csum_replace32(void *check, uint32_t from, uint32_t to, int partial);

/* Sum of the IPv4 / IPv6 pseudo header (not folded). */
uint32_t dp_csum_pseudo4(const void *ip4hdr, uint8_t proto, uint32_t l4len);
uint32_t dp_csum_pseudo6(const void *ip6hdr, uint8_t proto, uint32_t l4len);

/* The IPv4 header checksum of hdr[0..ihl) as it should be (the checksum
 * field counts as zero). */
uint16_t dp_csum_ipv4_hdr(const void *hdr, size_t ihl);
/* The L4 checksum (TCP, UDP, ICMP, ICMPv6) of the packet as it should be,
 * from its l3/l4 offsets; ip_version 4 or 6.  UDP's 0 is returned as
 * 0xffff.  Returns -1 if the headers are not there. */
int dp_csum_l4(const struct dp_packet *p, int ip_version, uint8_t proto);
/* CRC32c of SCTP (the checksum field counts as zero), or -1.  The wire
 * carries it least significant byte first. */
int64_t dp_csum_sctp(const struct dp_packet *p);

/* Fill in a partial checksum (DP_OL_CSUM_PARTIAL: sum over csum_start..end
 * stored at csum_start + csum_offset) and clear the flag.  Returns 0 or
 * -EINVAL if the offsets are outside the frame. */
int dp_csum_complete(struct dp_packet *p);

#endif

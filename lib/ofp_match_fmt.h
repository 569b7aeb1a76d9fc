/*
 * ofp_match_fmt.h - flow keys and masks as ovs-ofctl match text.
 *
 * Prints a struct dp_key, with or without a mask, in the OpenFlow match
 * syntax of ovs-ofctl ("tcp,in_port=1,vlan_tci=0x0000,dl_src=...,
 * nw_src=10.0.0.1,...,tp_dst=80,tcp_flags=syn"), byte for byte as Open
 * vSwitch 3.1 prints the same match:
 *
 *  - without a mask, a key is shown the way "ovs-ofctl parse-pcap" shows a
 *    packet (OVS's flow_format()): every header field the packet's protocols
 *    have, exactly, and metadata only where it is not zero;
 *  - with a mask, only fields whose mask is not zero are shown, partial
 *    masks as value/mask (OVS's match_format()): for megaflows, and for the
 *    OpenFlow rule tools.
 *
 * The key's kernel conventions are translated to OVS's OpenFlow ones on the
 * way: 802.2 frames (eth_type 0x0004) print as dl_type=0x05ff, a key
 * without in_port prints in_port=ANY, the fragment type maps to OVS's
 * nw_frag bits, an L3 key (DP_MAC_NONE) prints a packet_type.
 *
 * The module only formats: it owns no state.  It is tuned for speed (one
 * line per packet in flowtrace), so it writes digits itself instead of
 * going through printf.
 */
#ifndef DPKIT_OFP_MATCH_FMT_H
#define DPKIT_OFP_MATCH_FMT_H

#include "buf.h"
#include "key.h"

/* Append the key (and mask, or NULL for a packet's exact key) to 'out', no
 * newline.  Nothing is appended for an empty match. */
void ofp_match_format(struct buf *out, const struct dp_key *key,
		      const struct dp_key *mask);

/* The mask OVS would show for a packet with this key: all header fields of
 * the packet's protocols, metadata where it is not zero. */
void ofp_match_packet_mask(const struct dp_key *key, struct dp_key *mask);

/* Text helpers other formatters reuse.  Each appends to 'out'. */
void ofp_put_mac(struct buf *out, const uint8_t mac[6]);
void ofp_put_ipv4(struct buf *out, uint32_t be_addr);
/* An IPv6 address as inet_ntop() writes it (RFC 5952 zero compression,
 * "::ffff:a.b.c.d" for mapped addresses). */
void ofp_put_ipv6(struct buf *out, const uint8_t addr[16]);
/* TCP flags as ovs-ofctl names them ("syn|ack"; "0" for none); 'flags'
 * in host order. */
void ofp_put_tcp_flags(struct buf *out, unsigned int flags, char sep);

#endif /* DPKIT_OFP_MATCH_FMT_H */

/*
 * odp_text_exact.h - the ovs-dpctl text of an exact flow, straight from
 * the key, for the keys packets commonly have.
 *
 * Printing the flow that matches exactly one packet's key the general way
 * takes three steps: the key and its all-ones mask to netlink attributes
 * (odp_key.h), a check that the kernel would take them back, and the
 * attributes to text (odp_text.h), about 18,000 instructions.  Programs
 * that print a flow per packet (flowtrace) spend most of their time
 * there.  This module writes the same bytes directly for the keys that an
 * untunnelled Ethernet frame without conntrack state, untagged or with
 * one or two VLAN tags, gives: IPv4 and IPv6 (any protocol and fragment type; TCP, UDP, SCTP, ICMP,
 * ICMPv6 and neighbour discovery), in about a tenth of the time.  Any
 * other key is declined, and the caller takes the general way.
 *
 * It owns nothing.  tests/unit/odp_text_exact.c holds it to the general
 * way byte for byte over many generated keys.
 */
#ifndef DPKIT_ODP_TEXT_EXACT_H
#define DPKIT_ODP_TEXT_EXACT_H

#include <stdbool.h>

#include "buf.h"
#include "key.h"

/* Append the text that odp_key_to_text() prints for the attributes of
 * 'key' with an all-ones mask (odp_key_to_attrs(), odp_mask_to_attrs())
 * and return true; or return false, appending nothing, for a key outside
 * the common cases. */
bool odp_exact_key_to_text(struct buf *out, const struct dp_key *key);

#endif

/*
 * odp_key.h - netlink flow keys, masks and actions with the kernel's
 * semantics.
 *
 * Converts between OVS_KEY_ATTR_* attribute streams and struct dp_key
 * (key.h), and checks action lists, the way the Linux openvswitch module
 * does when it handles OVS_FLOW_CMD_NEW and reports flows back:
 *
 *  - odp_match_from_attrs() is the kernel's reading of OVS_FLOW_ATTR_KEY
 *    and OVS_FLOW_ATTR_MASK: the same fields accepted, the same defaults
 *    (no mask: exact match on what the key gives; in_port always exact), the
 *    same refusals (a mask bit outside the key's protocol, eth_type missing
 *    before ipv4, a vlan without encap, bad lengths, duplicate attributes),
 *    each refusal explained in the dp_err as the kernel's log would.
 *  - odp_key_to_attrs() / odp_mask_to_attrs() are what the kernel sends back
 *    in OVS_FLOW_ATTR_KEY / OVS_FLOW_ATTR_MASK (and in upcall keys): its
 *    attributes, in its order, with its implied fields.
 *  - odp_actions_check() is the kernel's validation of OVS_FLOW_ATTR_ACTIONS
 *    against a flow's key; odp_actions_to_kernel_form() is the form the
 *    kernel reports those actions back in.
 *
 * So the userspace datapath (dpd) answers byte for byte as the kernel does,
 * and "dpctl parse-flows" shows a flow as dump-flows would after the kernel
 * took it.  The kernel is Linux 6.1 as Debian 12 ships it; tests/kernel/
 * odp_kdiff.sh checks the claim against that module, in a VM.
 *
 * Messages are the kernel's log text (the OVS_NLERR lines, e.g. "Port
 * 99999 exceeds max allowable 65535") after the attribute they are about
 * ("in_port: ...", "mask vlan: ...", "action 2 (clone) > action 1 (set):
 * ...").  Where the kernel refuses without a word, the text is ours.
 *
 * Where dpkit differs from the kernel, on purpose:
 *  - NSH flow keys (eth_type 0x894f) are refused with -EOPNOTSUPP once the
 *    kernel's own checks pass: struct dp_key has no NSH fields;
 *  - a mask covers the tunnel option type with tun.opts_type 0xff; one
 *    whose options are of another type than its key's keeps that type
 *    there instead, so that it is reported as the kernel reports it, but
 *    a flow table then matches that odd flow on part of the type only
 *    (the kernel: on the absence of the mask's type);
 *  - tunnel options are kept from byte 0 of tun.opts, as the window of
 *    the key's option length the kernel reads from the end of its array
 *    (see odp_key_tun.c); options of a mask or of erspan metadata that are
 *    longer than that window are matched by the kernel on their leading
 *    bytes too, dpkit only on the window.
 *
 * The files: odp_key.c reads keys and masks, odp_key_put.c writes them,
 * odp_key_tun.c does tunnel metadata, odp_key_attrs.c the attribute
 * tables, odp_nsh.c NSH checks, odp_actions.c checks actions, odp_ct.c
 * the ct() action, odp_actions_form.c writes actions in kernel form;
 * odp_kernel.h is what they share.
 */
#ifndef DPKIT_ODP_KEY_H
#define DPKIT_ODP_KEY_H

#include <stddef.h>

#include <linux/netlink.h>

#include "buf.h"
#include "err.h"
#include "key.h"

/* Read a flow's key and optional mask (mask NULL or mask_len 0: none).
 * Fills *key with the key as given (unmasked) and *mask.  Returns 0 or
 * -EINVAL with the reason in 'err' (-EOPNOTSUPP for an NSH flow).  No
 * allocation; time linear in the number of attributes. */
int odp_match_from_attrs(const void *key_attrs, size_t key_len,
			 const void *mask_attrs, size_t mask_len,
			 struct dp_key *key, struct dp_key *mask,
			 struct dp_err *err);

/* The same, from the OVS_FLOW_ATTR_KEY and OVS_FLOW_ATTR_MASK attributes
 * themselves (mask_nest NULL: absent).  Unlike the call above it tells an
 * absent mask (exact match on what the key gives) from an empty one, which
 * the kernel reads as a mask that wildcards every field it may: dpd, which
 * has the attributes at hand, should use this one. */
int odp_match_from_nlattrs(const struct nlattr *key_nest,
			   const struct nlattr *mask_nest, struct dp_key *key,
			   struct dp_key *mask, struct dp_err *err);

/* Read a packet key (OVS_PACKET_ATTR_KEY, or a key without mask) into *key.
 * Same checks as odp_match_from_attrs() for the key itself. */
int odp_key_from_attrs(const void *attrs, size_t len, struct dp_key *key,
		       struct dp_err *err);

/* Read only the metadata of a key, as the kernel does with the key of
 * OVS_PACKET_CMD_EXECUTE before it extracts the rest from the packet:
 * in_port, skb_priority, skb_mark, recirc_id, dp_hash, tunnel, ct_* and
 * the original tuple; mac_proto, and eth_type for an L3 packet (no eth
 * attribute).  The other attributes are only checked for range, length
 * and duplicates. */
int odp_key_metadata_from_attrs(const void *attrs, size_t len,
				struct dp_key *key, struct dp_err *err);

/* Append the key's attributes as the kernel reports a flow key or an upcall
 * key (recirc_id, dp_hash, skb_priority, in_port, skb_mark, ct_*, eth...).
 * The attributes are appended directly to 'out' (no enclosing nest). */
void odp_key_to_attrs(struct buf *out, const struct dp_key *key);

/* Append the mask's attributes as the kernel reports OVS_FLOW_ATTR_MASK for
 * a flow whose (unmasked) key is 'key'. */
void odp_mask_to_attrs(struct buf *out, const struct dp_key *key,
		       const struct dp_key *mask);

/* Check an OVS_ACTION_ATTR_* list for a flow with this key and mask as the
 * kernel does (ports in range, set() of a header the flow matches on with
 * a valid length, push/pop nesting, ct/nat arguments, sample/clone/
 * check_pkt_len nesting depth...).  The kernel checks actions against the
 * masked key, and so does this; mask NULL means an exact key (a packet's,
 * for OVS_PACKET_CMD_EXECUTE).  Returns 0, or the kernel's error for the
 * same list with the reason in 'err': -EINVAL mostly, -ERANGE for some
 * malformed nested arguments, -EOVERFLOW for action lists nested more than
 * 16 deep. */
int odp_actions_check(const void *acts, size_t len, const struct dp_key *key,
		      const struct dp_key *mask, struct dp_err *err);

/* Append the actions in the form the kernel reports them back in dumps
 * (for example its own attribute order inside ct()).  The list must have
 * passed odp_actions_check(); anything else is written out in some form
 * without reading out of bounds. */
void odp_actions_to_kernel_form(struct buf *out, const void *acts, size_t len);

#endif

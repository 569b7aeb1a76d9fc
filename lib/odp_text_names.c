/*
 * odp_text_names.c - UFIDs ("ufid:" and a UUID) and the names of key
 * attributes and actions, for dump lines, completion and messages.
 */
#include "odp_text_int.h"

#include <errno.h>
#include <string.h>

/* Length of the run of hex digits and dashes at s. */
static size_t olx_span(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && (ot_hexdigit(s[i]) >= 0 || s[i] == '-'))
		i++;
	return i;
}

/* --- UFIDs ----------------------------------------------------------------- */

/* A UFID is 16 bytes that Open vSwitch reads as four host-order 32-bit
 * words of a UUID; dpkit does the same so both tools show one flow's UFID
 * alike. */
int odp_ufid_from_text(const char *s, size_t len, uint8_t ufid[16],
		       size_t *consumed, struct dp_err *err)
{
	uint32_t w[4] = { 0, 0, 0, 0 };
	size_t i = 5, j, nd = 0, span;
	bool dashed;

	*consumed = 0;
	if (len < 5 || memcmp(s, "ufid:", 5))
		return 0;
	span = olx_span(s + i, len - i);
	dashed = span == 36;
	if (span != 32 && span != 36)
		goto bad;
	for (j = 0; j < span; j++) {
		char c = s[i + j];

		if (dashed && (j == 8 || j == 13 || j == 18 || j == 23)) {
			if (c != '-')
				goto bad;
			continue;
		}
		if (ot_hexdigit(c) < 0)
			goto bad;
		w[nd / 8] = w[nd / 8] << 4 | (uint32_t)ot_hexdigit(c);
		nd++;
	}
	i += span;
	if (i < len && s[i] == ',')
		i++;
	while (i < len && strchr(" \t\r\n", s[i]))
		i++;
	memcpy(ufid, w, 16);
	*consumed = i;
	return 0;
bad:
	return dp_err_set(err, EINVAL,
			  "column 6: bad ufid '%.*s': expected a UUID "
			  "(xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
			  (int)(len - 5 > 40 ? 40 : len - 5), s + 5);
}

void odp_ufid_to_text(struct buf *out, const uint8_t u[16])
{
	uint32_t w[4];

	memcpy(w, u, 16);
	buf_printf(out, "ufid:%08x-%04x-%04x-%04x-%04x%08x", w[0], w[1] >> 16,
		   w[1] & 0xffff, w[2] >> 16, w[2] & 0xffff, w[3]);
}

/* --- names ------------------------------------------------------------------ */

const char *const odp_key_keywords[] = {
	"skb_priority", "skb_mark", "recirc_id", "dp_hash", "ct_state",
	"ct_zone", "ct_mark", "ct_label", "ct_tuple4", "ct_tuple6", "tunnel",
	"in_port", "packet_type", "eth", "vlan", "encap", "eth_type", "mpls",
	"ipv4", "ipv6", "tcp", "tcp_flags", "udp", "sctp", "icmp", "icmpv6",
	"arp", "nd", "nd_ext", "nsh", "ipv6_exthdrs", NULL
};

const char *const odp_action_keywords[] = {
	"drop", "userspace", "set", "push_vlan", "pop_vlan", "sample",
	"recirc", "hash", "push_mpls", "pop_mpls", "add_mpls", "ct",
	"ct_clear", "trunc", "push_eth", "pop_eth", "push_nsh", "pop_nsh",
	"meter", "clone", "check_pkt_len", "dec_ttl", "psample", "tnl_push",
	"tnl_pop", "lb_output", NULL
};

const char *odp_key_attr_name(uint16_t type)
{
	return ot_key_name(type);
}

const char *odp_action_name(uint16_t type)
{
	static const char *const names[] = {
		[OVS_ACTION_ATTR_OUTPUT] = "output",
		[OVS_ACTION_ATTR_USERSPACE] = "userspace",
		[OVS_ACTION_ATTR_SET] = "set",
		[OVS_ACTION_ATTR_PUSH_VLAN] = "push_vlan",
		[OVS_ACTION_ATTR_POP_VLAN] = "pop_vlan",
		[OVS_ACTION_ATTR_SAMPLE] = "sample",
		[OVS_ACTION_ATTR_RECIRC] = "recirc",
		[OVS_ACTION_ATTR_HASH] = "hash",
		[OVS_ACTION_ATTR_PUSH_MPLS] = "push_mpls",
		[OVS_ACTION_ATTR_POP_MPLS] = "pop_mpls",
		[OVS_ACTION_ATTR_SET_MASKED] = "set",
		[OVS_ACTION_ATTR_CT] = "ct",
		[OVS_ACTION_ATTR_TRUNC] = "trunc",
		[OVS_ACTION_ATTR_PUSH_ETH] = "push_eth",
		[OVS_ACTION_ATTR_POP_ETH] = "pop_eth",
		[OVS_ACTION_ATTR_CT_CLEAR] = "ct_clear",
		[OVS_ACTION_ATTR_PUSH_NSH] = "push_nsh",
		[OVS_ACTION_ATTR_POP_NSH] = "pop_nsh",
		[OVS_ACTION_ATTR_METER] = "meter",
		[OVS_ACTION_ATTR_CLONE] = "clone",
		[OVS_ACTION_ATTR_CHECK_PKT_LEN] = "check_pkt_len",
		[OVS_ACTION_ATTR_ADD_MPLS] = "add_mpls",
		[OVS_ACTION_ATTR_DEC_TTL] = "dec_ttl",
		[ODP_ACTION_ATTR_DROP] = "drop",
		[ODP_ACTION_ATTR_PSAMPLE] = "psample",
	};

	switch (type) {
	case ODP_ACTION_ATTR_TUNNEL_PUSH:
		return "tnl_push";
	case ODP_ACTION_ATTR_TUNNEL_POP:
		return "tnl_pop";
	case ODP_ACTION_ATTR_LB_OUTPUT:
		return "lb_output";
	}
	return type < sizeof names / sizeof names[0] ? names[type] : NULL;
}

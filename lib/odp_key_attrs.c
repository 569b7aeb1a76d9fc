/*
 * odp_key_attrs.c - what the kernel knows about each OVS_KEY_ATTR_*: the
 * payload length it requires, and the name ovs-dpctl gives it (for our
 * messages); and the message formatting the odp_key files share.
 */
#include <stdarg.h>
#include <stdio.h>

#include "odp_kernel.h"

#define ATTR_LEN_NESTED  ODP_LEN_NESTED
#define ATTR_LEN_VAR     ODP_LEN_VAR

/* Payload length of each OVS_KEY_ATTR_* (0 for the types the kernel does
 * not list: their attributes must then be empty). */
static const int key_lens[OVS_KEY_ATTR_MAX + 1] = {
	[OVS_KEY_ATTR_ENCAP] = ATTR_LEN_NESTED,
	[OVS_KEY_ATTR_PRIORITY] = 4,
	[OVS_KEY_ATTR_IN_PORT] = 4,
	[OVS_KEY_ATTR_SKB_MARK] = 4,
	[OVS_KEY_ATTR_ETHERNET] = sizeof(struct ovs_key_ethernet),
	[OVS_KEY_ATTR_VLAN] = 2,
	[OVS_KEY_ATTR_ETHERTYPE] = 2,
	[OVS_KEY_ATTR_IPV4] = sizeof(struct ovs_key_ipv4),
	[OVS_KEY_ATTR_IPV6] = sizeof(struct ovs_key_ipv6),
	[OVS_KEY_ATTR_TCP] = sizeof(struct ovs_key_tcp),
	[OVS_KEY_ATTR_TCP_FLAGS] = 2,
	[OVS_KEY_ATTR_UDP] = sizeof(struct ovs_key_udp),
	[OVS_KEY_ATTR_SCTP] = sizeof(struct ovs_key_sctp),
	[OVS_KEY_ATTR_ICMP] = sizeof(struct ovs_key_icmp),
	[OVS_KEY_ATTR_ICMPV6] = sizeof(struct ovs_key_icmpv6),
	[OVS_KEY_ATTR_ARP] = sizeof(struct ovs_key_arp),
	[OVS_KEY_ATTR_ND] = sizeof(struct ovs_key_nd),
	[OVS_KEY_ATTR_RECIRC_ID] = 4,
	[OVS_KEY_ATTR_DP_HASH] = 4,
	[OVS_KEY_ATTR_TUNNEL] = ATTR_LEN_NESTED,
	[OVS_KEY_ATTR_MPLS] = ATTR_LEN_VAR,
	[OVS_KEY_ATTR_CT_STATE] = 4,
	[OVS_KEY_ATTR_CT_ZONE] = 2,
	[OVS_KEY_ATTR_CT_MARK] = 4,
	[OVS_KEY_ATTR_CT_LABELS] = sizeof(struct ovs_key_ct_labels),
	[OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4] = sizeof(struct ovs_key_ct_tuple_ipv4),
	[OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6] = sizeof(struct ovs_key_ct_tuple_ipv6),
	[OVS_KEY_ATTR_NSH] = ATTR_LEN_NESTED,
	[OVS_KEY_ATTR_IPV6_EXTHDRS] = sizeof(struct ovs_key_ipv6_exthdrs),
};

static const char *const kattr_names[OVS_KEY_ATTR_MAX + 1] = {
	[OVS_KEY_ATTR_ENCAP] = "encap",
	[OVS_KEY_ATTR_PRIORITY] = "skb_priority",
	[OVS_KEY_ATTR_IN_PORT] = "in_port",
	[OVS_KEY_ATTR_ETHERNET] = "eth",
	[OVS_KEY_ATTR_VLAN] = "vlan",
	[OVS_KEY_ATTR_ETHERTYPE] = "eth_type",
	[OVS_KEY_ATTR_IPV4] = "ipv4",
	[OVS_KEY_ATTR_IPV6] = "ipv6",
	[OVS_KEY_ATTR_TCP] = "tcp",
	[OVS_KEY_ATTR_UDP] = "udp",
	[OVS_KEY_ATTR_ICMP] = "icmp",
	[OVS_KEY_ATTR_ICMPV6] = "icmpv6",
	[OVS_KEY_ATTR_ARP] = "arp",
	[OVS_KEY_ATTR_ND] = "nd",
	[OVS_KEY_ATTR_SKB_MARK] = "skb_mark",
	[OVS_KEY_ATTR_TUNNEL] = "tunnel",
	[OVS_KEY_ATTR_SCTP] = "sctp",
	[OVS_KEY_ATTR_TCP_FLAGS] = "tcp_flags",
	[OVS_KEY_ATTR_DP_HASH] = "dp_hash",
	[OVS_KEY_ATTR_RECIRC_ID] = "recirc_id",
	[OVS_KEY_ATTR_MPLS] = "mpls",
	[OVS_KEY_ATTR_CT_STATE] = "ct_state",
	[OVS_KEY_ATTR_CT_ZONE] = "ct_zone",
	[OVS_KEY_ATTR_CT_MARK] = "ct_mark",
	[OVS_KEY_ATTR_CT_LABELS] = "ct_label",
	[OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4] = "ct_tuple4",
	[OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6] = "ct_tuple6",
	[OVS_KEY_ATTR_NSH] = "nsh",
	[OVS_KEY_ATTR_PACKET_TYPE] = "packet_type",
	[OVS_KEY_ATTR_ND_EXTENSIONS] = "nd_ext",
	[OVS_KEY_ATTR_TUNNEL_INFO] = "tunnel_info",
	[OVS_KEY_ATTR_IPV6_EXTHDRS] = "ipv6_exthdrs",
};

int odp_kattr_len(unsigned type)
{
	return type <= OVS_KEY_ATTR_MAX ? key_lens[type] : 0;
}

const char *odp_kattr_name(unsigned type)
{
	if (type <= OVS_KEY_ATTR_MAX && kattr_names[type])
		return kattr_names[type];
	return "key attribute";
}

int odp_fail(struct dp_err *err, int code, const char *where,
	     const char *fmt, ...)
{
	char text[DP_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (where)
		return dp_err_set(err, code, "%s: %s", where, text);
	return dp_err_set(err, code, "%s", text);
}

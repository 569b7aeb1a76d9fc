/*
 * odp_key_attrs.c - what the kernel knows about each OVS_KEY_ATTR_*: the
 * payload length it requires, and the name ovs-dpctl gives it (for our
 * messages, from odp_text's table); and the message formatting the
 * odp_key files share.
 */
#include <stdarg.h>
#include <stdio.h>

#include "odp_kernel.h"
#include "odp_text.h"

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


int odp_kattr_len(unsigned type)
{
	return type <= OVS_KEY_ATTR_MAX ? key_lens[type] : 0;
}

const char *odp_kattr_name(unsigned type)
{
	/* The names are the text's (odp_text): one table for both. */
	const char *name = type <= 0xffff ? odp_key_attr_name((uint16_t)type) : NULL;

	if (name)
		return name;
	return type == OVS_KEY_ATTR_TUNNEL_INFO ? "tunnel_info" : "key attribute";
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

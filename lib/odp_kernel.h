/*
 * odp_kernel.h - internals shared by the odp_key module's files.
 *
 * Not a public interface: odp_key.h is.  This header holds what the parts
 * of the module (odp_key.c reads keys and masks, odp_key_put.c writes them,
 * odp_key_tun.c does tunnel metadata for both and for set(tunnel), odp_ct.c
 * the ct() action, odp_actions.c the action checks and odp_actions_form.c
 * the kernel's report of actions) need from each other: the kernel's
 * constants that <linux/openvswitch.h> does not export, its way of walking
 * attribute streams, and the error formatting all of them share.
 */
#ifndef DPKIT_ODP_KERNEL_H
#define DPKIT_ODP_KERNEL_H

#include <linux/netlink.h>
#include <linux/openvswitch.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "key.h"
#include "nlattr.h"

/* The kernel keeps in_port in a u16 and reserves its largest value for "no
 * port", so the largest port a flow or an output action may name is 65534:
 * key.h's DP_MAX_PORTS, which the kernel's refusals quote. */
#define ODP_KMAX_PORTS          DP_MAX_PORTS

/* Lengths of the kernel's own structures (include/net, not uapi). */
#define ODP_ERSPAN_MD_LEN       12      /* sizeof(struct erspan_metadata) */
#define ODP_TUN_OPTS_KMAX       255     /* IP_TUNNEL_OPTS_MAX */
#define ODP_NSH_CTX_MAX         248     /* NSH_CTX_HDRS_MAX_LEN */
#define ODP_CT_HELPER_MAX       16      /* NF_CT_HELPER_NAME_LEN */
#define ODP_CT_TIMEOUT_MAX      32      /* CTNL_TIMEOUT_NAME_MAX */
#define ODP_COPY_ACTIONS_MAX_DEPTH 16   /* nested action lists */

/* Ethertypes (host order). */
#define ODP_ETH_P_IP    0x0800
#define ODP_ETH_P_ARP   0x0806
#define ODP_ETH_P_RARP  0x8035
#define ODP_ETH_P_IPV6  0x86dd
#define ODP_ETH_P_8021Q 0x8100
#define ODP_ETH_P_8021AD 0x88a8
#define ODP_ETH_P_MPLS_UC 0x8847
#define ODP_ETH_P_MPLS_MC 0x8848
#define ODP_ETH_P_NSH   0x894f
#define ODP_ETH_P_TEB   0x6558

static inline bool odp_eth_p_vlan(uint16_t be_type)
{
	return be_type == __builtin_bswap16(ODP_ETH_P_8021Q) ||
	       be_type == __builtin_bswap16(ODP_ETH_P_8021AD);
}

static inline bool odp_eth_p_mpls(uint16_t be_type)
{
	return be_type == __builtin_bswap16(ODP_ETH_P_MPLS_UC) ||
	       be_type == __builtin_bswap16(ODP_ETH_P_MPLS_MC);
}

/*
 * Walking an attribute stream the kernel's way.  The kernel keeps the bytes
 * left in a signed int: after the last attribute the remainder is negative
 * when that attribute's padding runs past the end of the stream.  Some of
 * its loops refuse any non-zero remainder, others only a positive one, so
 * to accept exactly what it accepts we keep the same arithmetic rather
 * than nlattr.h's NA_FOR_EACH (which clamps at zero).
 */
static inline bool odp_attr_fits(const struct nlattr *a, int rem)
{
	return rem >= (int)sizeof(*a) && a->nla_len >= sizeof(*a) &&
	       (int)a->nla_len <= rem;
}

static inline const struct nlattr *odp_attr_next(const struct nlattr *a,
						 int *rem)
{
	int step = (int)NA_ALIGN(a->nla_len);

	*rem -= step;
	if (*rem < (int)sizeof(*a))
		return a;       /* the loop stops; never point past the end */
	return (const struct nlattr *)(const void *)((const char *)a + step);
}

#define ODP_FOR_EACH(a, head, len, rem) \
	for ((rem) = (int)(len), (a) = (const struct nlattr *)(const void *)(head); \
	     odp_attr_fits((a), (rem)); (a) = odp_attr_next((a), &(rem)))

static inline int odp_len_int(size_t len)
{
	return len > 0x7fffffff ? 0x7fffffff : (int)len;
}

/* Is this the last attribute of the stream (nla_is_last)? */
static inline bool odp_attr_is_last(const struct nlattr *a, int rem)
{
	return (int)NA_ALIGN(a->nla_len) >= rem;
}

/* Open a nest as the kernel's replies do (nla_nest_start_noflag: no
 * NLA_F_NESTED bit in the type); close it with na_nest_end(). */
static inline size_t odp_nest_start(struct buf *b, uint16_t type)
{
	size_t ofs = b->len;

	na_put(b, type, NULL, 0);
	return ofs;
}

/* Names of key attributes as ovs-dpctl writes them, for messages. */
const char *odp_kattr_name(unsigned type);

/* The payload length the kernel requires of an OVS_KEY_ATTR_* (type at
 * most OVS_KEY_ATTR_MAX), or ODP_LEN_NESTED / ODP_LEN_VAR when any. */
#define ODP_LEN_NESTED  (-1)
#define ODP_LEN_VAR     (-2)
int odp_kattr_len(unsigned type);

/*
 * Tunnel metadata (odp_key_tun.c).
 *
 * odp_tun_parse() reads an OVS_KEY_ATTR_TUNNEL nest into 't' the way the
 * kernel's ip_tun_from_nlattr() does, for a key (is_mask false) or a mask.
 * 'ones' reads every value as all-ones bits: the mask the kernel builds
 * from a key when none is given.  'key' is the key's tunnel, for a mask
 * (whose geneve options must repeat the key's length, and whose options
 * are kept in the key's option window); NULL for a key.  '*tun_proto' gets
 * AF_INET/AF_INET6 for a key, 0xff for a mask; '*bridge' whether
 * IPV4_INFO_BRIDGE was given.  Returns the OVS_TUNNEL_KEY_ATTR_* type of
 * the options given (0 if none) or a negative errno with 'err' set.
 */
int odp_tun_parse(const struct nlattr *nest, bool is_mask, bool ones,
		  const struct dp_tun *key, struct dp_tun *t, uint8_t *tun_proto,
		  bool *bridge, struct dp_err *err);

/* Append OVS_KEY_ATTR_TUNNEL for 'out' as __ip_tun_to_nlattr does.  The
 * addresses follow 'tun_proto' and the options 'opts_len' bytes of
 * 'opts_type' (the structure's key, which for a mask is the masked key,
 * unless the mask names a type of its own); 'bridge' is the set(tunnel)
 * "info bridge" mode. */
void odp_tun_put(struct buf *b, const struct dp_tun *out, uint8_t tun_proto,
		 uint8_t opts_type, uint8_t opts_len, bool bridge);

/* ct() (odp_ct.c): check as ovs_ct_copy_action() does for a flow whose
 * masked key is 'key'; write the kernel's report of a checked ct(). */
int odp_ct_check(const struct nlattr *ct, const struct dp_key *key,
		 struct dp_err *err);
void odp_ct_put(struct buf *b, const struct nlattr *ct);

/* An OVS_KEY_ATTR_NSH nest checked as the kernel checks a key's, a
 * mask's or push_nsh()'s (odp_nsh.c). */
int odp_nsh_check(const struct nlattr *nsh, bool is_mask, bool is_push,
		  const char *where, struct dp_err *err);

/* Messages: "<where>: <text>", 'where' naming the attribute. */
int odp_fail(struct dp_err *err, int code, const char *where,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif

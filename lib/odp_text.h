/*
 * odp_text.h - datapath flows as text, in ovs-dpctl syntax.
 *
 * Converts between the text users type and read,
 *     in_port(1),eth(src=00:01:02:03:04:05/ff:ff:ff:ff:ff:f0),eth_type(0x0800),
 *     ipv4(src=10.0.0.0/255.255.255.0,frag=no)      actions: set(ipv4(ttl=63)),2
 * and streams of netlink attributes: OVS_KEY_ATTR_* for keys and masks,
 * OVS_ACTION_ATTR_* for actions, exactly as <linux/openvswitch.h> defines
 * them and as ovs-dpctl reads and prints them.
 *
 * Text -> attributes appends attributes in the order the text gives them;
 * attributes -> text prints them in the order the stream holds them, as
 * ovs-dpctl does, so what a datapath returns is shown as it returned it.
 * Bringing a flow into the kernel's canonical form (order, implied fields)
 * is odp_key.h's job, not this module's.
 *
 * Printing follows ovs-dpctl dump-flows byte for byte: the short form omits
 * fully wildcarded fields and attributes and shows "/mask" only for partial
 * masks; ODP_FMT_VERBOSE (dump-flows -m) prints every attribute the key has
 * and every field with its mask.  A key printed without a mask (mask NULL)
 * prints every field exactly.
 *
 * Attribute streams are read with bounds checks, whatever their contents,
 * and must start 4-byte aligned, as netlink delivers them.
 *
 * Parsing rejects bad input with a dp_err naming the offending token and its
 * 1-based column, e.g. "column 23: ipv4(src=1.2.3): bad IPv4 address
 * '1.2.3'".  Nothing is appended to the output buffers on failure.
 */
#ifndef DPKIT_ODP_TEXT_H
#define DPKIT_ODP_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

/* Port names, optional: with them in_port(NAME) and output to NAME parse,
 * and port numbers print as names where a name is known. */
struct odp_names {
	/* Name of datapath port 'port', or NULL to print the number. */
	const char *(*port_name)(void *aux, uint32_t port);
	/* Number of the port named 'name': 0, or -ENOENT if unknown. */
	int (*port_number)(void *aux, const char *name, uint32_t *port);
	void *aux;
};

enum odp_fmt_flags {
	ODP_FMT_VERBOSE = 1 << 0,   /* dump-flows -m: all attributes, all masks */
	ODP_FMT_NAMES   = 1 << 1,   /* print port names (needs odp_names) */
};

/* Parse a flow key with optional masks from s[0..len).  Key attributes are
 * appended to 'key'; if 'mask' is not NULL the mask attributes are appended
 * to it (a field written without "/mask" gets an exact mask, an attribute
 * not written gets none: ovs-dpctl's rules).  With 'mask' NULL a "/mask" in
 * the text is an error.  The whole span must be a key: trailing text is an
 * error.  'names' may be NULL.  Returns 0 or a negative errno. */
int odp_key_from_text(const char *s, size_t len, struct buf *key,
		      struct buf *mask, const struct odp_names *names,
		      struct dp_err *err);

/* Print a key (and its mask, if mask_len > 0) as ovs-dpctl does. */
void odp_key_to_text(struct buf *out, const void *key, size_t key_len,
		     const void *mask, size_t mask_len, unsigned flags,
		     const struct odp_names *names);

/* Parse a list of actions ("2,set(ipv4(ttl=63)),ct(commit),drop") from
 * s[0..len) into OVS_ACTION_ATTR_* attributes appended to 'acts'.  "drop"
 * alone (or an empty string) is the empty list. */
int odp_actions_from_text(const char *s, size_t len, struct buf *acts,
			  const struct odp_names *names, struct dp_err *err);

/* Print actions as ovs-dpctl does ("drop" for the empty list). */
void odp_actions_to_text(struct buf *out, const void *acts, size_t len,
			 unsigned flags, const struct odp_names *names);

/* A unique flow identifier: "ufid:" and a UUID
 * (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx) or 32 hex digits.  If s starts with
 * "ufid:", parses it into ufid[16] and sets *consumed (including one
 * following comma or blanks, if any); otherwise *consumed = 0.  Returns 0 or
 * -EINVAL for a malformed ufid. */
int odp_ufid_from_text(const char *s, size_t len, uint8_t ufid[16],
		       size_t *consumed, struct dp_err *err);
/* "ufid:" and the UUID form, as ovs-dpctl prints it. */
void odp_ufid_to_text(struct buf *out, const uint8_t ufid[16]);

/* The name of an OVS_KEY_ATTR_* / OVS_ACTION_ATTR_* type as the text uses
 * it ("ipv4", "set"), or NULL; for completion and error messages. */
const char *odp_key_attr_name(uint16_t type);
const char *odp_action_name(uint16_t type);
/* All key attribute / action keywords the parser accepts, NULL-terminated,
 * for readline completion. */
extern const char *const odp_key_keywords[];
extern const char *const odp_action_keywords[];

/* Attribute numbers beyond <linux/openvswitch.h> of Linux 6.1, which the
 * text knows.  DROP and PSAMPLE are upstream Linux's (6.4, 6.11).  The
 * userspace-only ones (Open vSwitch's netdev datapath has the same actions,
 * under numbers that collide with newer kernels) lie far above anything the
 * kernel defines: a kernel never sees them, dpd may implement them. */
#define ODP_ACTION_ATTR_DROP            24   /* u32 error code, 0: none */
#define ODP_ACTION_ATTR_PSAMPLE         25   /* nested ODP_PSAMPLE_ATTR_* */
#define ODP_PSAMPLE_ATTR_GROUP          1    /* u32 */
#define ODP_PSAMPLE_ATTR_COOKIE         2    /* 1..16 bytes */
#define ODP_ACTION_ATTR_TUNNEL_PUSH     1000 /* struct odp_tnl_push */
#define ODP_ACTION_ATTR_TUNNEL_POP      1001 /* u32 tunnel port */
#define ODP_ACTION_ATTR_LB_OUTPUT       1002 /* u32 bond id */
#define ODP_TUNNEL_KEY_ATTR_GTPU_OPTS   1000 /* u8 flags, u8 msgtype */
#define ODP_HASH_ALG_SYM_L4             1    /* OVS_HASH_ALG_L4 is 0 */

/* OVS_KEY_ATTR_ND_EXTENSIONS payload (the uapi has no struct for it). */
struct odp_key_nd_ext {
	uint32_t nd_reserved;           /* network order */
	uint8_t nd_options_type;
	uint8_t pad[3];
};

/* ODP_ACTION_ATTR_TUNNEL_PUSH payload: the header to push, as Open
 * vSwitch's struct ovs_action_push_tnl.  The attribute carries the fixed
 * part and header_len bytes of header. */
struct odp_tnl_push {
	uint32_t tnl_port;
	uint32_t out_port;
	uint32_t header_len;
	uint32_t tnl_type;              /* Open vSwitch's OVS_VPORT_TYPE_* */
	uint8_t header[512];
};
#define ODP_TNL_PUSH_FIXED 16           /* bytes before header[] */

#endif

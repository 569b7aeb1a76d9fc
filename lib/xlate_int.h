/*
 * xlate_int.h - what the translator's files share: the context of one
 * translation and the functions each file provides to the others.
 *
 * Three views of the packet travel together:
 *  - flow: the packet as the pipeline sees it now (OpenFlow view:
 *    registers, metadata, rewritten headers);
 *  - base: the packet as the datapath actions emitted so far leave it;
 *    xl_commit() emits the set/push/pop actions that bring base up to
 *    flow, so rewrites reach the datapath lazily and once;
 *  - wc: the bits of the packet as it arrived that anything consulted, at
 *    their original positions.  Actions that move headers (push/pop of
 *    VLAN or MPLS) make the shifted headers exact rather than track the
 *    shift, as Open vSwitch does; and after an MPLS push onto a non-MPLS
 *    packet the L3 area of the flow holds labels, not the packet's L3
 *    header, so bits consulted there are not the packet's (l3_synthetic).
 */
#ifndef DPKIT_XLATE_INT_H
#define DPKIT_XLATE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "nlattr.h"
#include "ofp_actions.h"
#include "trace.h"
#include "xlate.h"
#include "xlate_recirc.h"

#define HTONS(x) ((uint16_t)__builtin_bswap16((uint16_t)(x)))
#define NTOHS(x) HTONS(x)
#define HTONL(x) ((uint32_t)__builtin_bswap32((uint32_t)(x)))
#define NTOHL(x) HTONL(x)

struct xctx {
	const struct xlate_bridge *br;
	const struct xlate_in *in;
	struct xlate_out *out;
	struct trace *tr;
	struct buf *odp;                /* == &out->actions */

	struct ofp_flow flow;
	struct ofp_flow base;
	struct ofp_flow wc;

	uint8_t table_id;
	const struct ofp_rule *rule;
	uint64_t rule_cookie;
	unsigned depth;
	unsigned resubmits;

	bool exit;                      /* stop: exit action, error, freeze */
	bool freezing;                  /* collecting the actions to resume */
	bool conntracked;               /* ct fields are valid */
	bool was_mpls;                  /* L3 unknown until recirculation */
	bool l3_synthetic;
	bool in_action_set;
	bool thawed;
	enum xlate_error error;

	const struct ofpact_nat *ct_nat;        /* inside ct(): its nat */
	uint32_t upcall_pid;
};

/* A frozen pipeline state, as kept in the recirculation table: this
 * header (zero padding, so equal states are equal bytes), then stack_len
 * bytes of stack, set_len of action set, acts_len of actions to run. */
struct xl_frozen {
	uint8_t table_id;
	uint8_t flags;                  /* XL_FZ_* */
	uint16_t in_port;               /* OpenFlow */
	uint32_t stack_len;
	uint32_t set_len;
	uint32_t acts_len;
	uint64_t metadata;
	uint32_t regs[OFP_N_REGS];
};
enum { XL_FZ_CONNTRACKED = 1 << 0 };

/* Open vSwitch's userspace() cookie (struct user_action_cookie, x86-64
 * layout, host order): what dpctl prints as controller(...). */
#define XL_COOKIE_LEN           48
#define XL_COOKIE_CONTROLLER    5
#define XL_CK_TYPE              0       /* u16 */
#define XL_CK_IN_PORT           2       /* u16 OpenFlow port */
#define XL_CK_DONT_SEND         24      /* u8 */
#define XL_CK_CONTINUATION      25      /* u8 */
#define XL_CK_REASON            26      /* u16 */
#define XL_CK_RECIRC_ID         28      /* u32 */
#define XL_CK_RULE_COOKIE       32      /* be64 */
#define XL_CK_CONTROLLER_ID     40      /* u16 */
#define XL_CK_MAX_LEN           42      /* u16 */

/* Tracing, only when asked for. */
#define XT(x, type, ...)                                                 \
	do {                                                             \
		if ((x)->tr)                                             \
			trace_addf((x)->tr, (type), __VA_ARGS__);        \
	} while (0)
void xl_trace_action(struct xctx *x, const struct ofpact *a);
void xl_trace_acts(struct xctx *x, enum trace_type type, const char *prefix,
		   const void *acts, size_t len);

void xl_error(struct xctx *x, enum xlate_error e, const char *why);

/* wc: make bits of the original packet exact. */
void xl_wc_field(struct xctx *x, const struct ofp_field *f,
		 const union ofp_value *mask);
void xl_wc_whole(struct xctx *x, enum ofp_field_id id);
void xl_wc_bytes(struct xctx *x, size_t ofs, size_t len);
void xl_wc_or(struct xctx *x, size_t ofs, uint8_t bits);
#define XL_WC(x, member) \
	xl_wc_bytes((x), offsetof(struct ofp_flow, member), \
		    sizeof(((struct ofp_flow *)0)->member))

/* Packet classification helpers on the current flow. */
static inline uint16_t xl_dl_type(const struct ofp_flow *f)
{
	return NTOHS(f->key.eth_type);
}
static inline bool xl_is_ip(const struct ofp_flow *f)
{
	return xl_dl_type(f) == OFP_ETH_IP || xl_dl_type(f) == OFP_ETH_IPV6;
}
static inline bool xl_is_mpls(const struct ofp_flow *f)
{
	return xl_dl_type(f) == OFP_ETH_MPLS || xl_dl_type(f) == OFP_ETH_MPLSM;
}
static inline int xl_mpls_count(const struct ofp_flow *f)
{
	return xl_is_mpls(f) ? __builtin_popcount(f->key.l3.mpls.num_labels_mask &
						  ((1u << DP_MPLS_DEPTH) - 1))
			     : 0;
}
/* Does the field's prerequisite hold for the flow?  Makes exact what it
 * reads. */
bool xl_prereq_ok(struct xctx *x, enum ofp_prereq p);

/* xlate.c: the pipeline. */
void xl_do_actions(struct xctx *x, const void *acts, size_t len);
void xl_table(struct xctx *x, uint16_t in_port, uint8_t table,
	      bool is_goto, bool with_ct);

/* xlate_fields.c: actions that change the flow.  Returns true if the
 * action was one of them; *stop set when the current list must end
 * (dec_ttl at TTL 1). */
bool xl_field_action(struct xctx *x, const struct ofpact *a, bool *stop);
/* Does the action need the L3 header (so must wait for recirculation
 * after pop_mpls)? */
bool xl_needs_l3(const struct ofpact *a);

/* xlate_commit.c. */
void xl_commit(struct xctx *x);

/* xlate_output.c: outputs, normal, flood, controller. */
void xl_output(struct xctx *x, uint16_t port, uint32_t trunc_len);
void xl_output_action(struct xctx *x, const struct ofpact *a);
void xl_controller(struct xctx *x, uint8_t reason, uint16_t max_len,
		   uint16_t controller_id);

/* xlate_ct.c: ct(), freezing and thawing. */
void xl_ct(struct xctx *x, const struct ofpact *a);
void xl_ct_clear(struct xctx *x);
void xl_ct_clear_fields(struct xctx *x);
void xl_trigger_freeze(struct xctx *x);
void xl_freeze_unroll(struct xctx *x, const struct ofpact *a,
		      const struct ofpact *end);
void xl_finish_freeze(struct xctx *x, uint8_t table);
/* The id of the frozen state for resuming at 'table' with the given
 * actions (NULL: none), with or without the action set. */
uint32_t xl_freeze_id(struct xctx *x, uint8_t table, const void *acts,
		      size_t len, bool with_action_set);
/* Restore a frozen state for a packet with recirc_id; 0 or -ENOENT. */
int xl_thaw(struct xctx *x, const void **acts, size_t *len);
void xl_add_recirc(struct xctx *x, uint32_t id);

/* xlate_mask.c. */
void xl_finish_mask(struct xctx *x);

/* Emit a datapath action, keeping to XLATE_MAX_ACTIONS. */
bool xl_room(struct xctx *x);

#endif /* DPKIT_XLATE_INT_H */

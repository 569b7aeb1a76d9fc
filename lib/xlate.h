/*
 * xlate.h - a packet's trip through the rule tables, as datapath actions
 * and the megaflow that makes them valid.
 *
 * When a packet misses the datapath's flow table, the daemon looks it up
 * in its OpenFlow-style rule tables (ofp_rules.h) and runs the actions of
 * the rules it meets: outputs, header rewrites, resubmits, the learning
 * switch of "normal", conntrack...  This module does that walk for one
 * packet and returns what the datapath needs to handle every packet like
 * it without asking again:
 *
 *  - the datapath actions (OVS_ACTION_ATTR_* stream): header rewrites as
 *    set/set_masked actions, emitted lazily just before the output,
 *    userspace, ct or recirc that needs them and only for the fields that
 *    changed since the last commit, so that outputs of one modified packet
 *    to many ports carry the rewrite once; a flow that sends nothing
 *    anywhere has no actions ("drop");
 *  - the megaflow mask: every bit of the packet that any rule lookup or any
 *    decision of the walk depended on (classifier wildcards, the fields
 *    normal, dec_ttl, load, move and set_field read or overwrite, ...) and
 *    nothing else, made valid for the kernel's flow-key rules (ethertype,
 *    in_port and recirc_id exact; nw_proto exact under L4 fields; the
 *    presence of each VLAN tag exact);
 *  - the rules the packet went through, to credit their statistics;
 *  - side effects for the caller to apply: the MAC addresses normal would
 *    learn (xlate_apply_learning()), and the controller actions met on the
 *    way (packet-ins: see below);
 *  - optionally a trace (trace.h) in the shape of ovs-appctl ofproto/trace.
 *
 * Translation is a pure function of the packet's key and of a read-only
 * view of the switch (struct xlate_bridge: rule tables, ports, MAC table),
 * except for two shared tables with locks of their own: the MAC table is
 * only read, and the recirculation table (xlate_recirc.h) hands out ids for
 * the states that recirculation resumes from.  Many threads may translate
 * at once while nobody changes the rule tables or the port list (a read
 * lock in the caller).
 *
 * Controller and packet-ins.  A controller action (or dec_ttl at TTL 1,
 * as Open vSwitch) becomes userspace(pid, cookie) in the datapath actions,
 * with Open vSwitch's 48-byte controller cookie (dpctl prints it as
 * "controller(reason=...,recirc_id=...,rule_cookie=...)").  The packet-in
 * is thus raised by the datapath when it runs the actions, for the first
 * packet (executed by the daemon) as for every later one, with the packet
 * as modified up to that point.  The cookie names a recirculation id whose
 * frozen state holds the table, registers and metadata of the moment:
 * xlate_pin_decode() turns an upcall's userdata back into the packet-in
 * fields.  xlate_out.pins lists the controller actions of a translation
 * for traces and tests; it is not a second delivery path.
 *
 * Recirculation.  ct(..., table=N) becomes ct(...),recirc(ID) and the
 * translation goes on with the packet untracked (as Open vSwitch: the
 * conntracked copy is forked).  A packet that comes back with recirc_id ID
 * in its key resumes from the frozen state of ID (table N, registers,
 * metadata, action set, stack).  After pop_mpls to a non-MPLS ethertype
 * the datapath cannot see the L3 header until it parses the packet again,
 * so the first action that needs it freezes the rest of the pipeline
 * (the remaining actions of every resubmit level) and recirculates.
 *
 * Where dpkit differs from Open vSwitch 3.1 (tests/unit/xlate_ovs.c shows
 * both): the megaflow of a VLAN-tagged packet always matches the tag's
 * presence and TPID, which the kernel needs to read past it (Open vSwitch
 * may leave the tag out entirely); a rewrite of the IP TOS bits makes
 * nw_proto exact, since whether it is committed depends on it; an MPLS
 * TTL change is a masked set of the TTL, not a set of the whole label;
 * rewrites the kernel has no set() for (ICMP type and code, ARP fields,
 * neighbour discovery fields) and MPLS push/pop under a VLAN tag fail
 * with XLATE_UNSUPPORTED instead of going to a slow path; normal does not
 * read ARP fields (Open vSwitch does, for the gratuitous ARP lock of
 * bonds, which dpkit has not); controller(pause) and controller userdata
 * are not kept; check_pkt_larger fails.
 *
 * Megaflows and change.  The megaflow is valid for the rule tables at
 * xlate_out.tables_version and, if xlate_out.used_mac_table, for the MAC
 * table at xlate_out.mac_gen: the revalidator translates again when either
 * moved.  Recirculation ids in xlate_out.recircs must outlive the
 * megaflows that use them: take a reference (xlate_recirc_ref()) when
 * installing one, drop it when the flow goes.
 */
#ifndef DPKIT_XLATE_H
#define DPKIT_XLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "key.h"
#include "mac_learn.h"
#include "ofp_match.h"
#include "ofp_parse.h"
#include "ofp_rules.h"

struct trace;
struct xlate_recirc;

#define XLATE_MAX_DEPTH      64     /* nested resubmit/goto_table levels */
#define XLATE_MAX_RESUBMITS  4096   /* resubmits in one translation */
#define XLATE_MAX_ACTIONS    65535  /* bytes of datapath actions */
#define XLATE_MAX_STACK      65536  /* bytes of push:FIELD stack */
#define XLATE_MAX_LEARN      8
#define XLATE_MAX_PINS       8
#define XLATE_MAX_RECIRCS    8

/* --- the switch, as a translation sees it ------------------------------- */

enum {
	XLATE_PORT_DOWN     = 1 << 0,   /* link or admin down: flood, all and
					 * normal leave it out */
	XLATE_PORT_NO_FLOOD = 1 << 1,   /* flood and normal leave it out */
};

/* A datapath port.  Its OpenFlow number is ofp_port_from_dp(dp_port)
 * (ofp_match.h): port 0 is LOCAL, the others keep their number. */
struct xlate_port {
	uint32_t dp_port;
	uint16_t flags;                 /* XLATE_PORT_* */
	uint32_t upcall_pid;            /* userspace() pid for packets from this
					 * port; 0: the bridge's */
	char name[32];
};

struct xlate_bridge {
	char name[32];                  /* "br0", for traces */
	const struct ofp_tables *tables;
	struct xlate_port *ports;       /* sorted by dp_port; owned */
	size_t n_ports;
	struct mac_learn *ml;           /* NULL: normal floods everything */
	struct xlate_recirc *recirc;    /* required for ct, controller, pop_mpls */
	uint32_t upcall_pid;            /* default userspace() pid */
};

/* Set up a bridge view over 'tables' (which it does not own). */
void xlate_bridge_init(struct xlate_bridge *br, const char *name,
		       const struct ofp_tables *tables, struct mac_learn *ml,
		       struct xlate_recirc *recirc, uint32_t upcall_pid);
/* Replace the port list with a copy of ports[0..n).  Returns 0, -EINVAL
 * for a port number repeated or not below DP_MAX_PORTS (named in 'err'),
 * or -ENOMEM. */
int xlate_bridge_set_ports(struct xlate_bridge *br,
			   const struct xlate_port *ports, size_t n,
			   struct dp_err *err);
void xlate_bridge_destroy(struct xlate_bridge *br);
const struct xlate_port *xlate_port_by_dp(const struct xlate_bridge *br,
					  uint32_t dp_port);
const struct xlate_port *xlate_port_by_ofp(const struct xlate_bridge *br,
					   uint16_t ofp_port);
/* Port names for rule text and traces ("in_port=p1", "output:p2"). */
void xlate_bridge_names(const struct xlate_bridge *br, struct ofp_names *n);

/* The rule a fresh Open vSwitch bridge has: table 0, priority 0,
 * actions=normal.  Adds it to 't' (the caller decides when). */
int xlate_add_default_rule(struct ofp_tables *t, int64_t now_ms,
			   struct dp_err *err);

/* --- one translation --------------------------------------------------- */

enum {
	/* No side effects wanted (a trace): controller cookies say
	 * dont_send=1, as Open vSwitch's ofproto/trace shows them. */
	XLATE_F_NO_SIDE_EFFECTS = 1 << 0,
};

struct xlate_in {
	const struct dp_key *key;       /* the packet's flow, as in the upcall */
	int64_t now_ms;                 /* for MAC aging and recirc ids */
	unsigned flags;                 /* XLATE_F_* */
	struct trace *trace;            /* NULL: no trace */
	/* Actions to run instead of a lookup in table 0 (a packet-out), or
	 * NULL. */
	const void *acts;
	size_t acts_len;
};

enum xlate_error {
	XLATE_OK,
	XLATE_RECURSION_TOO_DEEP,       /* XLATE_MAX_DEPTH */
	XLATE_TOO_MANY_RESUBMITS,       /* XLATE_MAX_RESUBMITS */
	XLATE_TOO_MANY_ACTIONS,         /* XLATE_MAX_ACTIONS */
	XLATE_STACK_OVERFLOW,           /* XLATE_MAX_STACK */
	XLATE_STACK_UNDERFLOW,          /* pop: from an empty stack */
	XLATE_NO_RECIRC_CONTEXT,        /* unknown recirc_id, or no table */
	XLATE_TOO_MANY_MPLS_LABELS,
	XLATE_UNSUPPORTED,              /* something the datapath cannot do */
	XLATE_NO_MEMORY,
};
const char *xlate_strerror(enum xlate_error e);

/* What normal learned: 'mac' in 'vlan' is on OpenFlow port 'port'. */
struct xlate_learn {
	uint8_t mac[6];
	uint16_t vlan;
	uint16_t port;
};

/* Open vSwitch's packet-in reason for a controller action in a table-miss
 * rule (priority 0, matching everything); OpenFlow 1.0 reports it as
 * no_match. */
#define XLATE_PIN_EXPLICIT_MISS 6

/* A packet-in: what a controller action says (and, decoded from an
 * upcall, the pipeline state it was frozen with). */
struct xlate_pin {
	uint8_t reason;                 /* enum ofp_pin_reason, or
					 * XLATE_PIN_EXPLICIT_MISS */
	uint8_t table_id;
	uint16_t max_len;               /* bytes of packet to send */
	uint16_t controller_id;
	bool dont_send;
	uint64_t cookie;                /* of the rule */
	uint32_t recirc_id;
	uint16_t in_port;               /* OpenFlow */
	uint64_t metadata;
	uint32_t regs[OFP_N_REGS];
};

/* Scratch storage a translation reuses between calls (private). */
struct xlate_scratch {
	struct buf stack, action_set, frozen, thaw, tmp;
};

struct xlate_out {
	struct buf actions;             /* OVS_ACTION_ATTR_* */
	struct dp_key mask;             /* the megaflow's mask */
	struct ofp_flow final;          /* the flow as the pipeline left it */
	struct buf rules;               /* const struct ofp_rule *[], in order */
	struct xlate_learn learn[XLATE_MAX_LEARN];
	unsigned n_learn;
	struct xlate_pin pins[XLATE_MAX_PINS];
	unsigned n_pins;
	uint32_t recircs[XLATE_MAX_RECIRCS];
	unsigned n_recircs;
	bool used_mac_table;
	uint64_t mac_gen;               /* mac_learn_gen() when it was read */
	uint64_t tables_version;        /* ofp_tables version */
	enum xlate_error error;         /* actions are empty if set */
	struct xlate_scratch s;
};

void xlate_out_init(struct xlate_out *out);
void xlate_out_uninit(struct xlate_out *out);

static inline size_t xlate_out_n_rules(const struct xlate_out *out)
{
	return out->rules.len / sizeof(const struct ofp_rule *);
}

static inline const struct ofp_rule *xlate_out_rule(const struct xlate_out *out,
						    size_t i)
{
	const struct ofp_rule *r;

	memcpy(&r, out->rules.data + i * sizeof r, sizeof r);
	return r;
}

/* Translate one packet.  'out' (initialized once, reused across calls) is
 * overwritten.  Returns 0, or -ENOMEM; a translation that failed for
 * another reason returns 0 with out->error set, no actions (the packet is
 * dropped) and a megaflow that still covers what was read, as Open
 * vSwitch installs a drop flow for it. */
int xlate_translate(const struct xlate_bridge *br, const struct xlate_in *in,
		    struct xlate_out *out);

/* Apply what normal learned (out->learn) to the bridge's MAC table; with
 * the same 'out' again later (a revalidator that saw the flow used) it
 * refreshes the entries' age.  Returns true if a forwarding decision
 * changed, i.e. megaflows that used the MAC table need revalidation. */
bool xlate_apply_learning(const struct xlate_bridge *br,
			  const struct xlate_out *out, int64_t now_ms);

/* Credit 'packets' and 'bytes' to every rule of out->rules (the tables
 * must be at out->tables_version, and the caller must hold them for
 * writing). */
void xlate_credit(const struct xlate_out *out, uint64_t packets,
		  uint64_t bytes, int64_t used_ms);

/* Decode the userdata of a userspace() action that xlate made for a
 * controller action (the OVS_PACKET_ATTR_USERDATA of the upcall) into the
 * packet-in fields, with the pipeline state from the recirculation table.
 * Returns 0, -EINVAL for userdata that is not a controller cookie, or
 * -ENOENT if its recirculation id is gone (fields from the cookie only). */
int xlate_pin_decode(struct xlate_recirc *rc, const void *userdata,
		     size_t len, struct xlate_pin *pin);

/* The megaflow as ofproto/trace prints it ("recirc_id=0,eth,tcp,
 * in_port=2,nw_dst=10.0.0.2,nw_frag=no"). */
void xlate_format_megaflow(struct buf *out, const struct dp_key *key,
			   const struct dp_key *mask,
			   const struct ofp_names *names);

#endif /* DPKIT_XLATE_H */

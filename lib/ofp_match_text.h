/*
 * ofp_match_text.h - matches in ovs-ofctl syntax.
 *
 * Parses the match part of a rule ("tcp,in_port=1,nw_dst=10.0.0.0/8,
 * tp_dst=0x50/0xfff0,reg3[4..7]=5") into a struct ofp_match, and prints a
 * match exactly as ovs-ofctl 3.1 dump-flows does: its field order, its
 * shorthands (tcp, arp, icmp6...), its names (nw_src for IPv4, arp_spa for
 * ARP, icmp_type for ICMP ports) and its number styles.  This is also the
 * printer for a single packet's flow (ofp_match_init_exact() first), so
 * dpkit has one formatter of flows in ovs-ofctl syntax.
 *
 * Unlike ovs-ofctl, which silently drops a field whose prerequisites the
 * match does not meet (tp_dst=80 without tcp), the parser refuses it and
 * names the token: "column 1: tp_dst=80: field tcp_dst needs tcp, udp,
 * sctp, icmp (or their IPv6 forms) in the match".
 */
#ifndef DPKIT_OFP_MATCH_TEXT_H
#define DPKIT_OFP_MATCH_TEXT_H

#include "ofp_match.h"
#include "ofp_parse.h"

#define OFP_DEFAULT_PRIORITY 32768

/* Names of the TCP flags (bit 0: fin ... bit 8: ns, then [200], [400],
 * [800]) and of the conntrack state bits (bit 0: new ... bit 7: dnat). */
extern const char *const ofp_tcp_flag_names[12];
extern const char *const ofp_ct_state_names[8];

/* State while the items of one match are parsed. */
struct ofp_match_parser {
	struct ofp_match *m;
	const struct ofp_names *names;
	struct {
		const char *tok;
		size_t len;
		size_t col;
	} set[OFP_F_N_FIELDS];  /* the item that last set each field */
};

void ofp_match_parser_init(struct ofp_match_parser *p, struct ofp_match *m,
			   const struct ofp_names *names);
/* Apply one item: 1 if it was a match item, 0 if it is something else
 * (priority=, actions=...: the caller's business), negative on error. */
int ofp_match_parse_item(struct ofp_match_parser *p, const struct ofp_kv *kv,
			 struct dp_err *err);
/* After the last item: check prerequisites. */
int ofp_match_parse_finish(struct ofp_match_parser *p, struct dp_err *err);

/* A whole match from s[0..len) (column numbers start at col0). */
int ofp_match_from_text(const char *s, size_t len, size_t col0,
			struct ofp_match *m, const struct ofp_names *names,
			struct dp_err *err);

/* Parse a field value as a match or set_field writes it ("10.0.0.0/8",
 * "+syn-ack", "0x5/0xff"), for the field's text form.  *why explains a
 * failure. */
int ofp_field_parse_value(const struct ofp_field *f, const char *s,
			  size_t len, const struct ofp_names *names,
			  union ofp_value *v, union ofp_value *mask,
			  const char **why);

/* Print the match ("priority=N," first unless it is 32768), no trailing
 * comma; nothing at all for a catch-all match at the default priority. */
void ofp_match_format(struct buf *out, const struct ofp_match *m,
		      int priority, const struct ofp_names *names);

/* The same for a datapath key: with a mask, only the masked fields (a
 * megaflow); with mask NULL, the packet as ovs-ofctl parse-pcap shows it
 * (every field of its protocols, metadata where not zero). */
void ofp_match_format_dp(struct buf *out, const struct dp_key *key,
			 const struct dp_key *mask,
			 const struct ofp_names *names);

#endif /* DPKIT_OFP_MATCH_TEXT_H */

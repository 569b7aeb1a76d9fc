/*
 * ofp_actions_parse.h - internals of the action parser, shared by
 * ofp_actions_parse.c (the list, output, field and legacy actions) and
 * ofp_actions_parse_more.c (conntrack, NAT and the other actions with
 * arguments of their own).  Not for use outside those two files: the
 * public interface is ofp_actions_text.h.
 */
#ifndef DPKIT_OFP_ACTIONS_PARSE_H
#define DPKIT_OFP_ACTIONS_PARSE_H

#include "ofp_actions.h"
#include "ofp_parse.h"

struct ofpact_parser {
	struct buf *out;
	const struct ofp_names *names;
	struct dp_err *err;
	int depth;
};

/* An error about item 'kv': "column N: KEY:VALUE: message". */
int ofpact_p_fail(struct ofpact_parser *p, const struct ofp_kv *kv,
		  const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The column where the item's value starts. */
size_t ofpact_p_val_col(const struct ofp_kv *kv);
/* A (nested) list of actions. */
int ofpact_p_list(struct ofpact_parser *p, const char *s, size_t len,
		  size_t col0);
int ofpact_p_need_arg(struct ofpact_parser *p, const struct ofp_kv *kv,
		      const char *what);
int ofpact_p_arg_u64(struct ofpact_parser *p, const struct ofp_kv *kv,
		     uint64_t max, uint64_t *x, const char *what);
struct ofpact_u32 *ofpact_p_put_u32(struct ofpact_parser *p,
				    enum ofpact_type t, uint64_t v);
int ofpact_p_sf(struct ofpact_parser *p, const struct ofp_kv *kv,
		const char *s, size_t len, struct ofpact_sf *out);
/* Offset of 'needle' in s[0..len), or -1. */
int ofpact_p_find(const char *s, size_t len, const char *needle);

/* Actions with arguments of their own (ofp_actions_parse_more.c). */
int ofpact_p_dec_ttl(struct ofpact_parser *p, const struct ofp_kv *kv);
int ofpact_p_set_tunnel(struct ofpact_parser *p, const struct ofp_kv *kv,
			bool is64);
int ofpact_p_note(struct ofpact_parser *p, const struct ofp_kv *kv);
int ofpact_p_fin_timeout(struct ofpact_parser *p, const struct ofp_kv *kv);
int ofpact_p_sample(struct ofpact_parser *p, const struct ofp_kv *kv);
int ofpact_p_check_pkt_larger(struct ofpact_parser *p,
			      const struct ofp_kv *kv);
int ofpact_p_ct(struct ofpact_parser *p, const struct ofp_kv *kv);

#endif /* DPKIT_OFP_ACTIONS_PARSE_H */

/*
 * ofp_flow_mod.c - parse one rule line of ovs-ofctl syntax.
 */
#include "ofp_flow_mod.h"

#include <errno.h>
#include <string.h>

#include "ofp_actions.h"
#include "ofp_actions_text.h"
#include "ofp_match_text.h"

void ofp_flow_mod_init(struct ofp_flow_mod *fm, enum ofp_fm_command cmd)
{
	memset(fm, 0, sizeof *fm);
	fm->command = cmd;
	fm->priority = OFP_DEFAULT_PRIORITY;
	fm->table_id = OFP_TABLE_ALL;
	fm->out_port = OFPP_NONE;
	buf_init(&fm->actions);
}

void ofp_flow_mod_uninit(struct ofp_flow_mod *fm)
{
	buf_free(&fm->actions);
}

void ofp_flow_mod_clone(struct ofp_flow_mod *dst, const struct ofp_flow_mod *src)
{
	*dst = *src;
	buf_init(&dst->actions);
	buf_put(&dst->actions, src->actions.data, src->actions.len);
}

const char *ofp_fm_command_name(enum ofp_fm_command cmd)
{
	switch (cmd) {
	case OFP_FM_ADD: return "add";
	case OFP_FM_MODIFY: return "modify";
	case OFP_FM_MODIFY_STRICT: return "modify_strict";
	case OFP_FM_DELETE: return "delete";
	case OFP_FM_DELETE_STRICT: return "delete_strict";
	case OFP_FM_QUERY: return "query";
	}
	return "?";
}

void ofp_flags_format(struct buf *out, uint16_t flags)
{
	static const char *const names[] = {
		"send_flow_rem", "check_overlap", "reset_counts",
		"no_packet_counts", "no_byte_counts",
	};
	unsigned i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (flags & (1u << i))
			buf_printf(out, "%s ", names[i]);
}

enum {
	F_OUT_PORT = 1 << 0,
	F_ACTIONS = 1 << 1,
	F_IMPORTANCE = 1 << 2,
	F_TIMEOUT = 1 << 3,
	F_PRIORITY = 1 << 4,
	F_FLAGS = 1 << 5,
};

static unsigned allowed(enum ofp_fm_command cmd)
{
	switch (cmd) {
	case OFP_FM_ADD:
		return F_ACTIONS | F_TIMEOUT | F_PRIORITY | F_FLAGS | F_IMPORTANCE;
	case OFP_FM_MODIFY:
	case OFP_FM_MODIFY_STRICT:
		return F_ACTIONS | F_TIMEOUT | F_PRIORITY | F_FLAGS;
	case OFP_FM_DELETE:
	case OFP_FM_QUERY:
		return F_OUT_PORT;
	case OFP_FM_DELETE_STRICT:
		return F_OUT_PORT | F_PRIORITY;
	}
	return 0;
}

/* Fields Open vSwitch knows that a dpkit rule cannot match. */
static const char *const unmatchable[] = {
	"skb_priority", "tun_tos", "tun_ttl", "recirc_id", "dp_hash",
	"conj_id", "actset_output", "packet_type", "tun_flags", "tun_gbp_id",
	"tun_gbp_flags", "tun_erspan_ver", "tun_erspan_idx", "tun_erspan_dir",
	"tun_erspan_hwid", "igmp", "in_port_oxm", "mpls_lse1", "mpls_lse2",
	"nsh_flags", "nsh_mdtype", "nsh_np", "nsh_spi", "nsh_si",
};

static int kv_err(struct dp_err *err, const struct ofp_kv *kv, const char *msg)
{
	return ofp_kv_err(err, kv, "%s", msg);
}

static int find_actions(const char *s, size_t len, size_t *kw, size_t *val)
{
	size_t i;

	for (i = 0; i + 6 <= len; i++) {
		if (!memcmp(s + i, "action", 6)) {
			size_t j = i + 6;

			while (j < len && s[j] != '=')
				j++;
			*kw = i;
			*val = j < len ? j + 1 : len;
			return j < len ? 0 : -1;
		}
	}
	return 1;
}

static int parse_u16(const struct ofp_kv *kv, uint16_t *out, struct dp_err *err)
{
	uint64_t x;

	if (ofp_parse_u64(kv->val, kv->vlen, UINT16_MAX, &x))
		return kv_err(err, kv, "not a 16-bit number");
	*out = (uint16_t)x;
	return 0;
}

static int parse_cookie(struct ofp_flow_mod *fm, const struct ofp_kv *kv,
			struct dp_err *err)
{
	const char *slash = memchr(kv->val, '/', kv->vlen);
	size_t vl = slash ? (size_t)(slash - kv->val) : kv->vlen;
	uint64_t v, m;

	if (ofp_parse_u64(kv->val, vl, UINT64_MAX, &v))
		return kv_err(err, kv, "bad cookie");
	if (slash) {
		if (fm->command == OFP_FM_ADD)
			return kv_err(err, kv, "flow additions cannot use a cookie mask");
		if (ofp_parse_u64(slash + 1, kv->vlen - vl - 1, UINT64_MAX, &m))
			return kv_err(err, kv, "bad cookie mask");
		fm->cookie = v & m;
		fm->cookie_mask = m;
		return 0;
	}
	if (fm->command != OFP_FM_ADD && fm->command != OFP_FM_MODIFY &&
	    fm->command != OFP_FM_MODIFY_STRICT)
		return kv_err(err, kv, "cannot set cookie (give a mask to select rules by cookie)");
	fm->new_cookie = v;
	fm->modify_cookie = true;
	return 0;
}

static int parse_keyword(struct ofp_flow_mod *fm, const struct ofp_kv *kv,
			 unsigned fields, const struct ofp_names *names,
			 struct dp_err *err)
{
	static const struct { const char *name; uint16_t flag; } flagnames[] = {
		{ "send_flow_rem", OFP_FF_SEND_FLOW_REM },
		{ "check_overlap", OFP_FF_CHECK_OVERLAP },
		{ "reset_counts", OFP_FF_RESET_COUNTS },
		{ "no_packet_counts", OFP_FF_NO_PKT_COUNTS },
		{ "no_byte_counts", OFP_FF_NO_BYT_COUNTS },
	};
	const char *k = kv->key;
	size_t n = kv->klen, i;
	uint64_t x;

	if (fields & F_FLAGS) {
		for (i = 0; i < sizeof flagnames / sizeof flagnames[0]; i++) {
			if (ofp_word_is(k, n, flagnames[i].name)) {
				fm->flags |= flagnames[i].flag;
				return 0;
			}
		}
	}
	if (ofp_word_is(k, n, "no_readonly_table") ||
	    ofp_word_is(k, n, "allow_hidden_fields"))
		return 0;
	for (i = 0; i < sizeof unmatchable / sizeof unmatchable[0]; i++)
		if (ofp_word_is(k, n, unmatchable[i]))
			return kv_err(err, kv, "field cannot be matched in dpkit rules");
	if (n > 12 && !memcmp(k, "tun_metadata", 12))
		return kv_err(err, kv, "field cannot be matched in dpkit rules");
	if (!kv->vlen) {
		if (ofp_word_is(k, n, "table") || ofp_word_is(k, n, "priority") ||
		    ofp_word_is(k, n, "cookie") || ofp_word_is(k, n, "out_port") ||
		    ofp_word_is(k, n, "idle_timeout") ||
		    ofp_word_is(k, n, "hard_timeout") ||
		    ofp_word_is(k, n, "importance"))
			return kv_err(err, kv, "field missing value");
		return kv_err(err, kv, "unknown keyword");
	}
	if (ofp_word_is(k, n, "table")) {
		if (ofp_parse_u64(kv->val, kv->vlen, 255, &x))
			return kv_err(err, kv, "unknown table");
		fm->table_id = (uint8_t)x;
	} else if ((fields & F_OUT_PORT) && ofp_word_is(k, n, "out_port")) {
		if (ofp_port_parse(kv->val, kv->vlen, names, &fm->out_port))
			return kv_err(err, kv, "not a valid OpenFlow port");
	} else if ((fields & F_PRIORITY) && ofp_word_is(k, n, "priority")) {
		return parse_u16(kv, &fm->priority, err);
	} else if ((fields & F_TIMEOUT) && ofp_word_is(k, n, "idle_timeout")) {
		return parse_u16(kv, &fm->idle_timeout, err);
	} else if ((fields & F_TIMEOUT) && ofp_word_is(k, n, "hard_timeout")) {
		return parse_u16(kv, &fm->hard_timeout, err);
	} else if ((fields & F_IMPORTANCE) && ofp_word_is(k, n, "importance")) {
		return parse_u16(kv, &fm->importance, err);
	} else if (ofp_word_is(k, n, "cookie")) {
		return parse_cookie(fm, kv, err);
	} else if (ofp_word_is(k, n, "duration") || ofp_word_is(k, n, "n_packets") ||
		   ofp_word_is(k, n, "n_bytes") || ofp_word_is(k, n, "idle_age") ||
		   ofp_word_is(k, n, "hard_age")) {
		/* dump-flows output fed back in: ignore the statistics. */
	} else {
		return kv_err(err, kv, "unknown keyword");
	}
	return 0;
}

/* Prefix a check error with the text of the bad-th action. */
static void point_at_action(struct dp_err *err, const char *a, size_t alen,
			    size_t col0, size_t bad)
{
	struct ofp_scan sc;
	struct ofp_kv kv;
	size_t i = 0;

	ofp_scan_init(&sc, a, alen, col0);
	while (ofp_scan_next(&sc, &kv)) {
		if (ofp_word_is(kv.key, kv.klen, "drop"))
			continue;
		if (i++ == bad) {
			dp_err_prefix(err, "column %zu: %.*s", kv.col,
				      (int)kv.tlen, kv.key);
			return;
		}
	}
	dp_err_prefix(err, "actions");
}

static enum ofp_fm_command verb(const char *s, size_t len, size_t *used,
				enum ofp_fm_command dflt)
{
	static const struct { const char *w; enum ofp_fm_command c; } verbs[] = {
		{ "add", OFP_FM_ADD }, { "modify", OFP_FM_MODIFY },
		{ "modify_strict", OFP_FM_MODIFY_STRICT },
		{ "delete", OFP_FM_DELETE },
		{ "delete_strict", OFP_FM_DELETE_STRICT },
	};
	size_t i = 0, j, k;

	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	j = i;
	while (j < len && s[j] != ' ' && s[j] != '\t' && s[j] != ',')
		j++;
	for (k = 0; k < sizeof verbs / sizeof verbs[0]; k++) {
		if (ofp_word_is(s + i, j - i, verbs[k].w)) {
			*used = j;
			return verbs[k].c;
		}
	}
	*used = 0;
	return dflt;
}

int ofp_flow_mod_parse(struct ofp_flow_mod *fm, const char *s, size_t len,
		       enum ofp_fm_command cmd, bool allow_verb,
		       const struct ofp_names *names, struct dp_err *err)
{
	const char *hash = memchr(s, '#', len);
	struct ofp_match_parser mp;
	size_t skip = 0, kw = 0, av = 0, mlen;
	struct ofp_scan sc;
	struct ofp_kv kv;
	unsigned fields;
	size_t bad = 0;
	int r, has_acts;

	if (hash)
		len = (size_t)(hash - s);
	if (allow_verb)
		cmd = verb(s, len, &skip, cmd);
	ofp_flow_mod_init(fm, cmd);
	fields = allowed(cmd);

	mlen = len;
	has_acts = -1;
	if (fields & F_ACTIONS) {
		has_acts = find_actions(s + skip, len - skip, &kw, &av);
		if (has_acts)
			return dp_err_set(err, EINVAL, "must specify an action");
		mlen = skip + kw;
	}
	ofp_match_parser_init(&mp, &fm->match, names);
	ofp_scan_init(&sc, s + skip, mlen - skip, skip + 1);
	while (ofp_scan_next(&sc, &kv)) {
		r = ofp_match_parse_item(&mp, &kv, err);
		if (r < 0)
			return r;
		if (r == 0 && (r = parse_keyword(fm, &kv, fields, names, err)))
			return r;
	}
	if ((r = ofp_match_parse_finish(&mp, err)))
		return r;
	if (cmd == OFP_FM_ADD) {
		fm->modify_cookie = true;       /* an add always sets it */
	}
	if (has_acts == 0) {
		uint8_t table = fm->table_id;
		const char *a = s + skip + av;
		size_t alen = len - skip - av;

		if (cmd == OFP_FM_ADD && table == OFP_TABLE_ALL)
			table = 0;
		r = ofpacts_from_text(a, alen, skip + av + 1, &fm->actions, names, err);
		if (r)
			return r;
		r = ofpacts_check(fm->actions.data, fm->actions.len, &fm->match,
				  table, err, &bad);
		if (r) {
			point_at_action(err, a, alen, skip + av + 1, bad);
			return r;
		}
	}
	return 0;
}

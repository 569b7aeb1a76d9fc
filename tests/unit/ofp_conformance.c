/*
 * ofp_conformance.c - rule text against what Open vSwitch 3.1 printed.
 *
 * Reads $DPKIT_CONFORMANCE/ofctl-flows (default ../shared/conformance
 * beside the source tree; skipped with a reason when absent):
 *  - accepted.tsv: every row is parsed, added to fresh tables and dumped
 *    without statistics; the line must equal what ovs-ofctl dump-flows
 *    --no-stats printed.  Rows using what dpkit does not support are
 *    counted and listed by reason.  A few rows print what OpenFlow 1.0
 *    cannot carry; for those (decided from the parsed rule, not from a
 *    list of rows) the reference is the OpenFlow 1.3 dump in
 *    accepted-O13.tsv.
 *  - rejects.tsv: dpkit must refuse every row too, naming the token with
 *    its column, except rows Open vSwitch refused only because OpenFlow
 *    1.0 cannot encode them (dpkit has no wire protocol): those must be
 *    accepted and print as the OpenFlow 1.3 dump did.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "ofp_actions.h"
#include "ofp_flow_mod.h"
#include "ofp_rules.h"
#include "tap.h"

#define MAX_ROWS 4096
#define MAX_COLS 8

struct table {
	char *text;
	size_t n;
	char *cell[MAX_ROWS][MAX_COLS];
};

static void unescape(char *s)
{
	char *d = s;

	for (; *s; s++) {
		if (s[0] == '\\' && (s[1] == 'n' || s[1] == 't' || s[1] == '\\')) {
			*d++ = s[1] == 'n' ? '\n' : s[1] == 't' ? '\t' : '\\';
			s++;
		} else {
			*d++ = *s;
		}
	}
	*d = '\0';
}

static int load(struct table *t, const char *dir, const char *name)
{
	char path[4096];
	FILE *f;
	long len;
	char *p, *line;

	snprintf(path, sizeof path, "%s/ofctl-flows/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	t->text = calloc(1, (size_t)len + 1);
	if (!t->text || fread(t->text, 1, (size_t)len, f) != (size_t)len) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	t->n = 0;
	p = strchr(t->text, '\n');      /* skip the header */
	while (p && *++p && t->n < MAX_ROWS) {
		size_t c = 0;

		line = p;
		p = strchr(p, '\n');
		if (p)
			*p = '\0';
		memset(t->cell[t->n], 0, sizeof t->cell[t->n]);
		while (line && c < MAX_COLS) {
			char *tab = strchr(line, '\t');

			if (tab)
				*tab = '\0';
			unescape(line);
			t->cell[t->n][c++] = line;
			line = tab ? tab + 1 : NULL;
		}
		t->n++;
		if (!p)
			break;
	}
	return 0;
}

static const char *o13_dump(const struct table *o13, const char *input)
{
	size_t i;

	for (i = 0; i < o13->n; i++)
		if (o13->cell[i][0] && !strcmp(o13->cell[i][0], input))
			return o13->cell[i][2];
	return NULL;
}

/* Does the rule hold something OpenFlow 1.0 cannot carry, so that
 * ovs-ofctl's default dump shows a translation instead? */
static const char *beyond_of10(const struct ofp_flow_mod *fm)
{
	const struct ofpact *a;
	uint16_t tci = ntohs(fm->match.flow.key.vlan.tci);
	uint16_t tcim = ntohs(fm->match.mask.key.vlan.tci);

	if ((tcim & 0x1000) && !(tci & 0x1000) && (tci & 0x0fff))
		return "a VLAN match no packet can satisfy (OpenFlow 1.0 rewrites it)";
	OFPACT_FOR_EACH(a, fm->actions.data, fm->actions.len) {
		switch (a->type) {
		case OFPACT_GOTO_TABLE:
		case OFPACT_CLEAR_ACTIONS:
		case OFPACT_WRITE_ACTIONS:
			return "an OpenFlow 1.1+ instruction";
		case OFPACT_PUSH_VLAN:
			return "push_vlan (OpenFlow 1.1+)";
		case OFPACT_SET_FIELD: {
			const struct ofpact_set_field *sf =
				OFPACT_CAST(ofpact_set_field, a);
			const struct ofp_field *f = ofp_field_get(sf->field);
			union ofp_value ones;

			ofp_value_ones(f, &ones);
			if (a->spelling == OFPACT_SF_SET_FIELD &&
			    memcmp(&ones, &sf->mask, sizeof ones) &&
			    (f->id == OFP_F_ETH_SRC || f->id == OFP_F_ETH_DST ||
			     f->id == OFP_F_IP_SRC || f->id == OFP_F_IP_DST ||
			     f->id == OFP_F_TCP_SRC || f->id == OFP_F_TCP_DST ||
			     f->id == OFP_F_UDP_SRC || f->id == OFP_F_UDP_DST ||
			     f->id == OFP_F_VLAN_VID))
				return "a masked set_field OpenFlow 1.0 would apply unmasked";
			break;
		}
		default:
			break;
		}
	}
	return NULL;
}

/* Parse, add to empty tables, dump without statistics. */
static int dump_one(const char *input, struct buf *out, struct dp_err *err,
		    struct ofp_flow_mod *fm)
{
	struct ofp_tables t;
	struct ofp_rule **rules;
	size_t n;
	struct ofp_flow_mod q;
	int r;

	r = ofp_flow_mod_parse(fm, input, strlen(input), OFP_FM_ADD, false,
			       NULL, err);
	if (r)
		return r;
	ofp_tables_init(&t);
	r = ofp_tables_apply(&t, fm, 0, NULL, err);
	if (!r) {
		ofp_flow_mod_init(&q, OFP_FM_QUERY);
		n = ofp_tables_select(&t, &q, false, &rules);
		if (n == 1)
			ofp_rule_format(out, rules[0], 0, 0, NULL);
		else
			r = dp_err_set(err, EINVAL, "%zu rules after one add", n);
		free(rules);
		ofp_flow_mod_uninit(&q);
	}
	ofp_tables_destroy(&t);
	return r;
}

struct reason {
	char text[128];
	unsigned n;
};

static void count_reason(struct reason *rs, size_t *n, const char *why)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		if (!strcmp(rs[i].text, why)) {
			rs[i].n++;
			return;
		}
	}
	if (*n < 64) {
		snprintf(rs[*n].text, sizeof rs[*n].text, "%s", why);
		rs[(*n)++].n = 1;
	}
}

/* "column 9: bundle(...): action bundle is not supported by dpkit" ->
 * "action bundle"; NULL if the error is not an unsupported feature. */
static const char *unsupported(const char *msg, char *buf, size_t len)
{
	const char *p = strstr(msg, ": action ");
	const char *q;

	if (p && strstr(msg, "is not supported by dpkit")) {
		q = strstr(p + 9, " is not");
		snprintf(buf, len, "action %.*s", (int)(q - p - 9), p + 9);
		return buf;
	}
	if (strstr(msg, "cannot be matched in dpkit rules")) {
		p = strchr(msg, ':');
		q = p ? strpbrk(p + 2, "=:,") : NULL;
		if (p && q) {
			const char *d = p + 2;
			size_t l = (size_t)(q - d);

			if (l > 12 && !strncmp(d, "tun_metadata", 12))
				l = 12;
			snprintf(buf, len, "field %.*s", (int)l, d);
			return buf;
		}
	}
	return NULL;
}

static void accepted(const struct table *acc, const struct table *o13)
{
	struct reason rs[64];
	size_t nr = 0, i;
	unsigned good = 0, bad = 0, unsup = 0, of13 = 0, of13_bad = 0;

	for (i = 0; i < acc->n; i++) {
		const char *in = acc->cell[i][0], *want = acc->cell[i][2];
		struct ofp_flow_mod fm;
		struct buf out = BUF_INIT;
		struct dp_err err = { 0, "" };
		char why[128];
		const char *beyond;

		if (!in || !want)
			continue;
		if (dump_one(in, &out, &err, &fm)) {
			if (unsupported(err.msg, why, sizeof why)) {
				unsup++;
				count_reason(rs, &nr, why);
			} else {
				bad++;
				note("refused: %s", in);
				note("  error: %s", err.msg);
			}
			ofp_flow_mod_uninit(&fm);
			continue;
		}
		beyond = beyond_of10(&fm);
		if (beyond) {
			const char *w13 = o13_dump(o13, in);

			of13++;
			if (!w13 || strcmp(buf_cstr(&out), w13)) {
				of13_bad++;
				note("%s (%s)", in, beyond);
				note("  dpkit: %s", buf_cstr(&out));
				note("  OF1.3: %s", w13 ? w13 : "(no row)");
			}
		} else if (!strcmp(buf_cstr(&out), want)) {
			good++;
		} else {
			bad++;
			note("input: %s", in);
			note("  dpkit: %s", buf_cstr(&out));
			note("  ovs:   %s", want);
		}
		buf_free(&out);
		ofp_flow_mod_uninit(&fm);
	}
	ok(!bad && good > 0,
	   "accepted.tsv: %u rows print exactly as ovs-ofctl dump-flows --no-stats (%u differ)",
	   good, bad);
	ok(!of13_bad,
	   "accepted.tsv: %u rows holding what OpenFlow 1.0 cannot carry print as the OpenFlow 1.3 dump (%u differ)",
	   of13, of13_bad);
	note("%u rows use features dpkit does not support:", unsup);
	for (i = 0; i < nr; i++)
		note("  %3u  %s", rs[i].n, rs[i].text);
}

static void rejected(const struct table *rej, const struct table *o13acc)
{
	unsigned refused = 0, named = 0, explained = 0, wrong = 0;
	size_t i;

	for (i = 0; i < rej->n; i++) {
		const char *in = rej->cell[i][0], *ovs = rej->cell[i][3];
		struct ofp_flow_mod fm;
		struct buf out = BUF_INIT;
		struct dp_err err = { 0, "" };

		if (!in || !ovs)
			continue;
		if (dump_one(in, &out, &err, &fm)) {
			refused++;
			if (!strncmp(err.msg, "column ", 7))
				named++;
			else
				note("refused without naming a token: %s: %s", in, err.msg);
		} else if (strstr(ovs, "no usable protocol") ||
			   strstr(ovs, "UNENCODABLE")) {
			/* Refused by Open vSwitch for its OpenFlow 1.0 encoding
			 * only; the OpenFlow 1.3 run took it. */
			const char *w13 = o13_dump(o13acc, in);

			if (w13 && !strcmp(w13, buf_cstr(&out))) {
				explained++;
				note("accepted (OpenFlow 1.0 cannot encode it, dpkit has no wire format): %s",
				     in);
			} else {
				wrong++;
				note("accepted %s as %s, OpenFlow 1.3 dump: %s", in,
				     buf_cstr(&out), w13 ? w13 : "(none)");
			}
		} else {
			wrong++;
			note("accepted what Open vSwitch refuses: %s", in);
			note("  ovs: %s", ovs);
		}
		buf_free(&out);
		ofp_flow_mod_uninit(&fm);
	}
	ok(!wrong && refused > 0,
	   "rejects.tsv: %u refused, %u accepted for a documented reason, %u wrongly accepted",
	   refused, explained, wrong);
	ok(named == refused, "rejects.tsv: %u of %u refusals name the token and its column",
	   named, refused);
}

int main(void)
{
	static struct table acc, o13, rej;
	const char *dir = getenv("DPKIT_CONFORMANCE");
	const char *top = getenv("DPKIT_TOP");
	char path[4096];

	if (!dir) {
		/* Beside the tree; a git worktree under wt/ sits one level
		 * deeper. */
		snprintf(path, sizeof path, "%s/../shared/conformance",
			 top ? top : ".");
		if (access(path, R_OK))
			snprintf(path, sizeof path, "%s/../../shared/conformance",
				 top ? top : ".");
		dir = path;
	}
	if (load(&acc, dir, "accepted.tsv") || load(&o13, dir, "accepted-O13.tsv") ||
	    load(&rej, dir, "rejects.tsv")) {
		skip("conformance data not found (set DPKIT_CONFORMANCE or put shared/conformance beside the tree)");
		return done();
	}
	accepted(&acc, &o13);
	rejected(&rej, &o13);
	free(acc.text);
	free(o13.text);
	free(rej.text);
	return done();
}

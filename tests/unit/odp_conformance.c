/* Conformance of lib/odp_text against what Open vSwitch 3.1 printed.
 *
 * Reads ../shared/conformance/odp-keys (or $DPKIT_CONFORMANCE/odp-keys):
 * for every flow ovs-vswitchd accepted, the -m dump must read back and
 * print identically, the same attributes must print as the short dump, the
 * dumped actions must read back and print identically (with port names
 * too), and the text that was given to ovs-appctl must read, its actions
 * printing as dumped.  Inputs Open vSwitch refused while parsing must be
 * refused here too, except its known 3.1 quirks.  One test point per
 * check and file; every mismatch is noted with its file and line. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "odp_text.h"
#include "tap.h"
#include "conformance.h"

/* Inputs on which dpkit differs from Open vSwitch 3.1 on purpose. */
static const struct {
	const char *input;      /* substring of input_key or input_actions */
	const char *why;
} exceptions[] = {
	{ "ipv4(src=10.0.0.256)", "OVS wraps an out-of-range number (10.0.0.0); dpkit refuses it" },
	{ "ipv4(ttl=256)", "OVS wraps ttl=256 to 0; dpkit refuses it" },
	{ "ct_zone(0x10000)", "OVS wraps ct_zone to 0; dpkit refuses it" },
	{ "recirc_id(0x100000000)", "OVS wraps recirc_id to 0; dpkit refuses it" },
	{ "tcp(src=65536", "OVS wraps the port to 0; dpkit refuses it" },
	{ "icmp(type=256", "OVS wraps the type to 0; dpkit refuses it" },
	{ "ct(commit,zone=70000)", "OVS wraps the zone to 4464; dpkit refuses it" },
	{ "userspace(pid=0)", "OVS attaches a 48-byte zero cookie to a userspace() written without one; dpkit adds none" },
	{ "actions(userspace(pid=1))", "same: OVS attaches a zero cookie" },
};

/* Open vSwitch 3.1 prints these but cannot read them back; reading them is
 * fine (conformance README). */
static const char *const quirks[] = {
	"recirc(0x", "hash(", "push_mpls(", "pop_mpls(", "push_eth(",
	"pop_eth", "set(nsh(",
};

static const char *exception(const char *key, const char *acts)
{
	size_t i;

	for (i = 0; i < sizeof exceptions / sizeof exceptions[0]; i++)
		if (strstr(key, exceptions[i].input) ||
		    strstr(acts, exceptions[i].input))
			return exceptions[i].why;
	return NULL;
}

static bool quirk(const char *acts)
{
	size_t i;

	for (i = 0; i < sizeof quirks / sizeof quirks[0]; i++)
		if (strstr(acts, quirks[i]))
			return true;
	return false;
}

struct tally {
	const char *what;
	int pass, fail, excused;
};

static void check(struct tally *t, bool good, const char *file, int line,
		  const char *sep, const char *a, const char *b)
{
	if (good) {
		t->pass++;
		return;
	}
	t->fail++;
	if (t->fail <= 40)
		printf("#   %s:%d: %s: got %s%s%s\n", file, line, t->what, a,
		       sep, b);
}

/* Key text -> attributes -> text. */
static bool key_round(const char *text, unsigned flags, const char *expect_m,
		      const char *expect_s, char *got, size_t gotsz,
		      bool *short_ok)
{
	struct buf k = BUF_INIT, m = BUF_INIT, out = BUF_INIT;
	struct dp_err err;
	bool ok;

	dp_err_clear(&err);
	if (odp_key_from_text(text, strlen(text), &k, &m, &names, &err)) {
		snprintf(got, gotsz, "parse error: %s", dp_err_str(&err));
		*short_ok = false;
		buf_free(&k);
		buf_free(&m);
		return false;
	}
	odp_key_to_text(&out, k.data, k.len, m.data, m.len,
			ODP_FMT_VERBOSE | flags, &names);
	ok = !strcmp(buf_cstr(&out), expect_m);
	snprintf(got, gotsz, "%s", buf_cstr(&out));
	if (expect_s) {
		buf_clear(&out);
		odp_key_to_text(&out, k.data, k.len, m.data, m.len, flags,
				&names);
		*short_ok = !strcmp(buf_cstr(&out), expect_s);
		if (!*short_ok)
			snprintf(got, gotsz, "%s", buf_cstr(&out));
	}
	buf_free(&k);
	buf_free(&m);
	buf_free(&out);
	return ok;
}

static bool acts_round(const char *text, unsigned flags, const char *expect,
		       char *got, size_t gotsz)
{
	struct buf a = BUF_INIT, out = BUF_INIT;
	struct dp_err err;
	bool ok;

	dp_err_clear(&err);
	if (odp_actions_from_text(text, strlen(text), &a, &names, &err)) {
		snprintf(got, gotsz, "parse error: %s", dp_err_str(&err));
		buf_free(&a);
		return false;
	}
	odp_actions_to_text(&out, a.data, a.len, flags, &names);
	ok = !strcmp(buf_cstr(&out), expect);
	snprintf(got, gotsz, "%s", buf_cstr(&out));
	buf_free(&a);
	buf_free(&out);
	return ok;
}

enum { T_KEY_M, T_KEY_S, T_KEY_NAMES, T_ACTS, T_ACTS_PLAIN, T_ACTS_NAMES,
       T_IN_KEY, T_IN_ACTS, T_N };

static void accepted(const char *dir, const char *file)
{
	static const char *const what[T_N] = {
		"dumped_key_m reads back and prints identically (-m)",
		"the same attributes print as dumped_key (short form)",
		"dumped_key_m_names reads and prints with port names",
		"dumped_actions read back and print identically",
		"dumped_actions_plain read back and print identically",
		"dumped_actions_m_names read and print with port names",
		"input_key reads",
		"input_actions read and print as dumped_actions",
	};
	struct tally t[T_N];
	char line[65536], got[65536], *hdr[MAXCOL], *c[MAXCOL];
	char hline[4096];
	int nh, n, lineno = 1, i, rows = 0;
	int ik, ia, km, da, ks, dp, kn, an;
	FILE *f;

	f = open_tsv(dir, file, hline, sizeof hline, hdr, &nh);
	if (!f)
		return;
	ik = col(hdr, nh, "input_key");
	ia = col(hdr, nh, "input_actions");
	km = col(hdr, nh, "dumped_key_m");
	da = col(hdr, nh, "dumped_actions");
	ks = col(hdr, nh, "dumped_key");
	dp = col(hdr, nh, "dumped_actions_plain");
	kn = col(hdr, nh, "dumped_key_m_names");
	an = col(hdr, nh, "dumped_actions_m_names");
	for (i = 0; i < T_N; i++) {
		t[i].what = what[i];
		t[i].pass = t[i].fail = t[i].excused = 0;
	}
	while (fgets(line, sizeof line, f)) {
		bool sok;
		const char *why;
		struct buf k = BUF_INIT, m = BUF_INIT;
		struct dp_err err;

		lineno++;
		n = split(line, c);
		if (n < nh)
			continue;
		rows++;
		check(&t[T_KEY_M], key_round(c[km], 0, c[km], c[ks], got,
					     sizeof got, &sok),
		      file, lineno, ", want ", got, c[km]);
		check(&t[T_KEY_S], sok, file, lineno, ", want ", got,
		      c[ks]);
		check(&t[T_KEY_NAMES], key_round(c[kn], ODP_FMT_NAMES, c[kn],
						 NULL, got, sizeof got, &sok),
		      file, lineno, ", want ", got, c[kn]);
		check(&t[T_ACTS], acts_round(c[da], 0, c[da], got, sizeof got),
		      file, lineno, ", want ", got, c[da]);
		check(&t[T_ACTS_PLAIN], acts_round(c[dp], 0, c[dp], got,
						   sizeof got),
		      file, lineno, ", want ", got, c[dp]);
		check(&t[T_ACTS_NAMES], acts_round(c[an], ODP_FMT_NAMES, c[an],
						   got, sizeof got),
		      file, lineno, ", want ", got, c[an]);

		why = exception(c[ik], c[ia]);
		dp_err_clear(&err);
		if (odp_key_from_text(c[ik], strlen(c[ik]), &k, &m, &names,
				      &err)) {
			if (why) {
				t[T_IN_KEY].excused++;
				printf("#   %s:%d: excused: %s (%s)\n", file,
				       lineno, why, dp_err_str(&err));
			} else {
				check(&t[T_IN_KEY], false, file, lineno,
				      ": ", c[ik], dp_err_str(&err));
			}
		} else {
			t[T_IN_KEY].pass++;
		}
		buf_free(&k);
		buf_free(&m);
		if (acts_round(c[ia], 0, c[da], got, sizeof got)) {
			t[T_IN_ACTS].pass++;
		} else if (why) {
			t[T_IN_ACTS].excused++;
			printf("#   %s:%d: excused: %s (got %s)\n", file, lineno,
			       why, got);
		} else {
			check(&t[T_IN_ACTS], false, file, lineno,
			      ", want ", got, c[da]);
		}
	}
	fclose(f);
	for (i = 0; i < T_N; i++)
		ok(t[i].fail == 0, "%s: %s: %d/%d rows%s", file, t[i].what,
		   t[i].pass, rows, t[i].excused ? " (the rest excused above)" :
		   "");
}

static void rejects(const char *dir, const char *file)
{
	char line[65536], hline[4096], *hdr[MAXCOL], *c[MAXCOL];
	int nh, lineno = 1, ik, ia, em;
	int key_rej = 0, key_bad = 0, act_rej = 0, act_bad = 0, quirky = 0;
	int later = 0, later_bad = 0;
	FILE *f;

	f = open_tsv(dir, file, hline, sizeof hline, hdr, &nh);
	if (!f)
		return;
	ik = col(hdr, nh, "input_key");
	ia = col(hdr, nh, "input_actions");
	em = col(hdr, nh, "error_message");
	while (fgets(line, sizeof line, f)) {
		struct buf k = BUF_INIT, m = BUF_INIT, a = BUF_INIT;
		struct dp_err err;
		int rk, ra;

		lineno++;
		if (split(line, c) < nh)
			continue;
		dp_err_clear(&err);
		rk = odp_key_from_text(c[ik], strlen(c[ik]), &k, &m, &names,
				       &err);
		ra = odp_actions_from_text(c[ia], strlen(c[ia]), &a, &names,
					   &err);
		if (strstr(c[em], "parsing flow key")) {
			key_rej++;
			if (!rk) {
				key_bad++;
				printf("#   %s:%d: key accepted: %s\n", file,
				       lineno, c[ik]);
			}
		} else if (strstr(c[em], "parsing actions")) {
			act_rej++;
			if (!ra && quirk(c[ia])) {
				quirky++;
			} else if (!ra) {
				act_bad++;
				printf("#   %s:%d: actions accepted: %s\n", file,
				       lineno, c[ia]);
			}
		} else {
			/* Refused by the datapath: well-formed text. */
			later++;
			if (rk || ra) {
				later_bad++;
				printf("#   %s:%d: well-formed flow refused: "
				       "%s %s (%s)\n", file, lineno, c[ik], c[ia],
				       dp_err_str(&err));
			}
		}
		buf_free(&k);
		buf_free(&m);
		buf_free(&a);
	}
	fclose(f);
	ok(key_bad == 0, "%s: %d/%d keys OVS refused to parse are refused",
	   file, key_rej - key_bad, key_rej);
	ok(act_bad == 0, "%s: %d/%d actions OVS refused to parse are refused "
	   "(%d known OVS 3.1 quirks read)", file, act_rej - act_bad - quirky,
	   act_rej - quirky, quirky);
	ok(later_bad == 0, "%s: %d/%d flows the datapath refused are "
	   "well-formed text", file, later - later_bad, later);
}

int main(void)
{
	char dir[1024];

	if (!conformance_dir(dir, sizeof dir))
		return done();
	accepted(dir, "accepted.tsv");
	accepted(dir, "accepted-vlan-limit-2.tsv");
	rejects(dir, "rejects.tsv");
	rejects(dir, "rejects-vlan-limit-2.tsv");
	return done();
}

/*
 * The kernel's canonical form of the flows Open vSwitch 3.1 accepted.
 *
 * For every row of odp-keys/accepted*.tsv (see conformance.h): the input
 * text is read (odp_text) into the key, mask and actions ovs-dpctl would
 * send; odp_key reads them as the kernel would, writes them back as the
 * kernel would report them, and odp_text prints that.  It must print as
 * OVS's netdev datapath dumped the flow (dumped_key, dumped_actions_plain)
 * but for what differs between that datapath and the kernel:
 *  - the netdev datapath adds recirc_id(0), matched exactly; the kernel
 *    reports recirc_id with a zero mask, which the short form leaves out;
 *  - the order of the attributes (the kernel's: metadata, tunnel, in_port,
 *    skb_mark, ct_*, eth, vlan, eth_type, L3, L4): compared as sets;
 *  - the rows listed in kernel_differs[] below, each with its reason.
 * For rejects.tsv rows that ovs-vswitchd refused at "updating flow table"
 * (well-formed text the netdev datapath refused), odp_key must refuse too,
 * or the row is listed in kernel_accepts[] with why the kernel takes it.
 *
 * Every case is also left for tests/kernel/odp_kdiff (odp_cases.h), which
 * checks odp_key's answers against the kernel itself.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "odp_key.h"
#include "odp_text.h"
#include "tap.h"
#include "conformance.h"
#include "odp_cases.h"

/* Accepted rows the kernel refuses: the refusal must name 'text' (an
 * entry that matches a row the kernel accepts, such as tcp() with
 * tcp_flags(), does not apply).  Each is also checked against the kernel
 * itself by tests/kernel/odp_kdiff. */
static const struct {
	const char *input;      /* in "\tKEY\tACTIONS\t" */
	const char *text;
	const char *why;
} kernel_refuses[] = {
	{ "tcp(", "tcp_flags: Missing key", "the kernel requires tcp_flags "
	  "with tcp; OVS text without it is refused, where the netdev "
	  "datapath fills it in" },
	{ "packet_type(", "Key type 29 is not supported",
	  "the kernel refuses packet_type from userspace" },
	{ "nd_ext(", "Key type 30 is not supported",
	  "the kernel refuses nd_ext from userspace" },
	{ "ct_state(0x22)", "ct_state flags ffffffff unsupported", "OVS text "
	  "gives an exact ct_state a 32-bit mask, beyond the kernel's 8 bits" },
	{ "ct_state(new|trk)", "ct_state flags ffffffff unsupported", "same" },
	{ "dst=0.0.0.0,ttl=64,flags(-df-csum-key)",
	  "IPv4 tunnel dst address is zero",
	  "the kernel refuses a tunnel without destination" },
	{ "gtpu(", "out of range max 16",
	  "the kernel knows no GTP-U tunnel options" },
	{ "\t\t", "Either Ethernet header or EtherType is required.",
	  "an empty key: the netdev datapath matches everything" },
	{ "userspace(pid=0)", "needs a non-zero netlink pid",
	  "the kernel refuses upcalls to netlink pid 0" },
	/* Actions the netdev datapath takes and the kernel checks, by the
	 * kernel's reason (any row). */
	{ "\t", "exceeds max allowable 65535", "the kernel's ports stop at 65534" },
	{ "\t", "lacks the CFI bit", "push_vlan needs the CFI bit in the kernel" },
	{ "\t", "is not 0x8100 or 0x88a8", "the kernel pushes only 802.1Q/802.1ad tags" },
	{ "\t", "must be the flow's", "set(ipv4/ipv6) may not change proto or frag" },
	{ "\t", "value has bits outside its mask", "the kernel refuses set_masked "
	  "values outside their mask, which the netdev datapath just masks" },
	{ "\t", "on a flow that is not", "set() of another L4 protocol than the flow's" },
	{ "\t", "on a packet that is not", "set() of another L3 protocol than the packet's" },
	{ "\t", "cannot be set", "the kernel sets no such field" },
	{ "\t", "Unknown helper", "no such conntrack helper for the flow's protocol" },
	{ "\t", "NAT attribute type 3 has unexpected length",
	  "a NAT address of the other family than the flow's" },
	{ "\t", "unknown action type 10", "an action only OVS's userspace datapath has" },
	{ "\t", "no NSH header to pop", "pop_nsh on a flow that is not NSH" },
};

/* Action lists whose text reads otherwise in dpkit than in OVS (as in
 * odp_conformance), so their kernel form prints otherwise too. */
static const struct {
	const char *input;
	const char *why;
} text_differs[] = {
	{ "actions(userspace(pid=1))", "OVS attaches a 48-byte zero cookie to "
	  "a userspace() written without one; dpkit adds none" },
};

/* Accepted rows the kernel reports otherwise, and why. */
static const struct {
	const char *input;
	const char *why;
} kernel_prints[] = {
	{ "arp(", "the kernel keeps the ARP opcode in 8 bits: its mask reads "
	  "back as 0xff" },
	{ "eth_type(0x1234/0xfff0)", "the kernel always matches eth_type "
	  "exactly" },
	{ "erspan(", "the kernel matches erspan options; the netdev datapath "
	  "does not (mask 0)" },
};

/* Rows the netdev datapath refused that the kernel accepts, and why. */
static const struct {
	const char *input;
	const char *why;
} kernel_accepts[] = {
	{ "encap(eth_type(0x8100),vlan(", "the kernel takes two VLAN headers; "
	  "OVS's netdev datapath only one by default (vlan-limit)" },
	{ "mpls(label=", "the kernel takes any label stack entry; the netdev "
	  "datapath refuses a bottom-of-stack bit of 0 with no label below" },
	{ "in_port(2/0xff)", "the kernel makes any in_port mask exact" },
	{ "\tin_port(2),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15)\t",
	  "eth without eth_type is an 802.3 frame to the kernel" },
	{ "\teth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x1234)\t",
	  "the kernel takes a flow without in_port" },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Index of the first entry whose input occurs in "\tKEY\tACTIONS\t", or -1;
 * the entries' first member is their input. */
#define FIND(table, key, acts) \
	find_row((key), (acts), (const char *)(table), N(table), sizeof((table)[0]))
static int find_row(const char *key, const char *acts, const char *table,
		    size_t n, size_t stride)
{
	char row[8192];
	size_t i;

	snprintf(row, sizeof row, "\t%s\t%s\t", key, acts);
	for (i = 0; i < n; i++) {
		const char *in;

		memcpy(&in, table + i * stride, sizeof in);
		if (strstr(row, in))
			return (int)i;
	}
	return -1;
}

/* Why the kernel refuses this accepted row with this message, or NULL. */
static const char *refusal(const char *key, const char *acts, const char *msg)
{
	char row[8192];
	size_t i;

	snprintf(row, sizeof row, "\t%s\t%s\t", key, acts);
	for (i = 0; i < N(kernel_refuses); i++)
		if (strstr(row, kernel_refuses[i].input) &&
		    strstr(msg, kernel_refuses[i].text))
			return kernel_refuses[i].why;
	return NULL;
}

/* Split printed text into its top-level attributes (at commas outside
 * parentheses) and sort them: the kernel's order is not OVS's. */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void canon(const char *text, struct buf *out)
{
	char *copy = strdup(text), *tok[64], *p, *start;
	int n = 0, depth = 0, i;

	for (start = p = copy; ; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		if ((*p == ',' && !depth) || !*p) {
			int end = !*p;

			*p = '\0';
			/* The netdev datapath adds recirc_id(0). */
			if (*start && n < 64 && strcmp(start, "recirc_id(0)"))
				tok[n++] = start;
			if (end)
				break;
			start = p + 1;
		}
	}
	qsort(tok, (size_t)n, sizeof tok[0], cmp_str);
	buf_clear(out);
	for (i = 0; i < n; i++)
		buf_printf(out, "%s%s", i ? "," : "", tok[i]);
	free(copy);
}

/* Explained rows, counted by reason and printed once each at the end, so
 * the test's output shows what differs without a line per row. */
static struct {
	const char *why;
	const char *file;
	int line, n;
} reasons[64];

static void explained(const char *why, const char *file, int line)
{
	size_t i;

	for (i = 0; i < N(reasons) && reasons[i].why; i++)
		if (reasons[i].why == why)
			break;
	if (i == N(reasons))
		return;
	if (!reasons[i].why) {
		reasons[i].why = why;
		reasons[i].file = file;
		reasons[i].line = line;
	}
	reasons[i].n++;
}

static void print_reasons(void)
{
	size_t i;

	for (i = 0; i < N(reasons) && reasons[i].why; i++)
		printf("#   %d row%s (first %s:%d): %s\n", reasons[i].n,
		       reasons[i].n > 1 ? "s" : "", reasons[i].file,
		       reasons[i].line, reasons[i].why);
	memset(reasons, 0, sizeof reasons);
}

struct tally {
	int rows, same, explained, bad;
	int fixed;      /* print as dumped once tcp_flags(0/0) is added */
};

/* The key text with tcp_flags(0/0) after its tcp(...): what a user of the
 * kernel datapath writes for a TCP flow; NULL if there is no tcp(). */
static char *with_tcp_flags(const char *key)
{
	const char *t = strstr(key, "tcp("), *e;
	char *out;
	size_t n;

	if (!t)
		return NULL;
	e = strchr(t, ')');
	if (!e)
		return NULL;
	n = (size_t)(e + 1 - key);
	out = malloc(strlen(key) + 32);
	if (!out)
		return NULL;
	memcpy(out, key, n);
	sprintf(out + n, ",tcp_flags(0/0)%s", e + 1);
	return out;
}

/* Read key text and actions, and check them as the kernel would. */
static int kernel_reads(const char *ktext, const struct buf *a, struct buf *k,
			struct buf *m, struct dp_key *key, struct dp_key *mask,
			struct dp_err *err)
{
	buf_clear(k);
	buf_clear(m);
	if (odp_key_from_text(ktext, strlen(ktext), k, m, NULL, err))
		return -1;
	case_dump(k, m, a);
	if (odp_match_from_attrs(k->data, k->len, m->data, m->len, key, mask, err) ||
	    odp_actions_check(a->data, a->len, key, mask, err))
		return 1;
	return 0;
}

/* A row the kernel refuses: explained, or a failure.  Returns true if,
 * refused only for want of tcp_flags, it reads with tcp_flags(0/0) added
 * (k, m, key and mask are then that reading), to compare the rest. */
static bool refused_row(const char *file, int line, char **c, int ik, int ia,
			const struct buf *a, struct buf *k, struct buf *m,
			struct dp_key *key, struct dp_key *mask,
			struct dp_err *err, struct tally *tk)
{
	const char *why = refusal(c[ik], c[ia], err->msg);
	char *fixed;
	int r;

	if (!why) {
		tk->bad++;
		printf("#   %s:%d: refused: %s\n", file, line, err->msg);
		return false;
	}
	tk->explained++;
	explained(why, file, line);
	if (!strstr(err->msg, "tcp_flags: Missing key"))
		return false;
	/* The rest as a kernel datapath's user has to write it. */
	fixed = with_tcp_flags(c[ik]);
	r = fixed ? kernel_reads(fixed, a, k, m, key, mask, err) : -1;
	free(fixed);
	if (r > 0) {
		why = refusal(c[ik], c[ia], err->msg);
		if (why) {
			explained(why, file, line);
		} else {
			tk->bad++;
			printf("#   %s:%d: refused with tcp_flags too: %s\n", file,
			       line, err->msg);
		}
	}
	return r == 0;
}

static void compare_key(const char *file, int line, const char *dumped,
			const struct dp_key *key, const struct dp_key *mask,
			int prints, bool fixed, struct tally *tk)
{
	struct buf rk = BUF_INIT, rm = BUF_INIT, text = BUF_INIT, x = BUF_INIT,
		   y = BUF_INIT;

	odp_key_to_attrs(&rk, key);
	odp_mask_to_attrs(&rm, key, mask);
	odp_key_to_text(&text, rk.data, rk.len, rm.data, rm.len, 0, NULL);
	canon(buf_cstr(&text), &x);
	canon(dumped, &y);
	if (!strcmp(buf_cstr(&x), buf_cstr(&y))) {
		if (fixed)
			tk->fixed++;
		else
			tk->same++;
	} else if (prints >= 0) {
		if (!fixed)
			tk->explained++;
		explained(kernel_prints[prints].why, file, line);
	} else {
		tk->bad++;
		printf("#   %s:%d: key %s, want %s\n", file, line, buf_cstr(&x),
		       buf_cstr(&y));
	}
	buf_free(&rk);
	buf_free(&rm);
	buf_free(&text);
	buf_free(&x);
	buf_free(&y);
}

static void compare_actions(const char *file, int line, char **c, int ik,
			    int ia, int da, const struct buf *a, struct tally *ta)
{
	struct buf ra = BUF_INIT, text = BUF_INIT;
	int i = FIND(text_differs, c[ik], c[ia]);

	ta->rows++;
	odp_actions_to_kernel_form(&ra, a->data, a->len);
	odp_actions_to_text(&text, ra.data, ra.len, 0, NULL);
	if (!strcmp(buf_cstr(&text), c[da])) {
		ta->same++;
	} else if (i >= 0) {
		ta->explained++;
		explained(text_differs[i].why, file, line);
	} else {
		ta->bad++;
		printf("#   %s:%d: actions %s, want %s\n", file, line,
		       buf_cstr(&text), c[da]);
	}
	buf_free(&ra);
	buf_free(&text);
}

/* One accepted row: the kernel form of its key and actions, printed. */
static void accepted_row(const char *file, int line, char **c, int ik, int ia,
			 int dk, int da, struct tally *tk, struct tally *ta)
{
	struct buf k = BUF_INIT, m = BUF_INIT, a = BUF_INIT;
	struct dp_key key, mask;
	struct dp_err err;
	int r;

	dp_err_clear(&err);
	if (odp_actions_from_text(c[ia], strlen(c[ia]), &a, NULL, &err))
		goto out;       /* odp_conformance's business, not ours */
	r = kernel_reads(c[ik], &a, &k, &m, &key, &mask, &err);
	if (r < 0)
		goto out;
	tk->rows++;
	if (r > 0 && !refused_row(file, line, c, ik, ia, &a, &k, &m, &key,
				  &mask, &err, tk))
		goto out;
	compare_key(file, line, c[dk], &key, &mask,
		    FIND(kernel_prints, c[ik], c[ia]), r > 0, tk);
	compare_actions(file, line, c, ik, ia, da, &a, ta);
out:
	buf_free(&k);
	buf_free(&m);
	buf_free(&a);
}

static void accepted(const char *dir, const char *file)
{
	char line[65536], hline[4096], *hdr[MAXCOL], *c[MAXCOL];
	struct tally tk = { 0 }, ta = { 0 };
	int nh, lineno = 1, ik, ia, dk, da;
	FILE *f = open_tsv(dir, file, hline, sizeof hline, hdr, &nh);

	if (!f)
		return;
	ik = col(hdr, nh, "input_key");
	ia = col(hdr, nh, "input_actions");
	dk = col(hdr, nh, "dumped_key");
	da = col(hdr, nh, "dumped_actions_plain");
	while (fgets(line, sizeof line, f)) {
		lineno++;
		if (split(line, c) < nh)
			continue;
		accepted_row(file, lineno, c, ik, ia, dk, da, &tk, &ta);
	}
	fclose(f);
	print_reasons();
	ok(tk.bad == 0, "%s: kernel form of %d/%d keys prints as dumped, %d more "
	   "once tcp_flags(0/0) is added (%d refused or reported otherwise by "
	   "the kernel, as explained above)", file, tk.same, tk.rows, tk.fixed,
	   tk.explained);
	ok(ta.bad == 0, "%s: kernel form of %d/%d action lists prints as dumped "
	   "(on their flow, with tcp_flags(0/0) added where the kernel needs it; "
	   "%d read otherwise, as explained above)", file, ta.same, ta.rows,
	   ta.explained);
}

static void rejects(const char *dir, const char *file)
{
	char line[65536], hline[4096], *hdr[MAXCOL], *c[MAXCOL];
	int nh, lineno = 1, ik, ia, em, rows = 0, refused = 0, n_explained = 0;
	FILE *f = open_tsv(dir, file, hline, sizeof hline, hdr, &nh);

	if (!f)
		return;
	ik = col(hdr, nh, "input_key");
	ia = col(hdr, nh, "input_actions");
	em = col(hdr, nh, "error_message");
	while (fgets(line, sizeof line, f)) {
		struct buf k = BUF_INIT, m = BUF_INIT, a = BUF_INIT;
		struct dp_key key, mask;
		struct dp_err err;
		const char *why;
		int i;

		lineno++;
		if (split(line, c) < nh || !strstr(c[em], "updating flow table"))
			continue;
		dp_err_clear(&err);
		if (odp_key_from_text(c[ik], strlen(c[ik]), &k, &m, NULL, &err) ||
		    odp_actions_from_text(c[ia], strlen(c[ia]), &a, NULL, &err))
			goto next;
		rows++;
		case_dump(&k, &m, &a);
		i = FIND(kernel_accepts, c[ik], c[ia]);
		why = i >= 0 ? kernel_accepts[i].why : NULL;
		if (odp_match_from_attrs(k.data, k.len, m.data, m.len, &key,
					 &mask, &err) ||
		    odp_actions_check(a.data, a.len, &key, &mask, &err)) {
			refused++;
		} else if (why) {
			n_explained++;
			explained(why, file, lineno);
		} else {
			printf("#   %s:%d: accepted: %s %s\n", file, lineno, c[ik], c[ia]);
		}
next:
		buf_free(&k);
		buf_free(&m);
		buf_free(&a);
	}
	fclose(f);
	print_reasons();
	ok(refused + n_explained == rows, "%s: %d/%d flows the datapath refused are "
	   "refused by odp_key, %d accepted as the kernel does (explained above)",
	   file, refused, rows, n_explained);
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

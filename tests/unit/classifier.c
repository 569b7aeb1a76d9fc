/*
 * classifier.c - the classifier against a linear search, and the megaflow
 * wildcards it reports: sufficient (every packet that agrees on the
 * reported bits gets the same rule) and narrow (no bits a rule set does
 * not need).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "classifier.h"
#include "classifier_trie.h"
#include "ofp_match.h"
#include "ofp_match_text.h"
#include "tap.h"

/* A small deterministic generator (xorshift64*). */
static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static unsigned rn(unsigned n)
{
	return (unsigned)(rnd() % n);
}

struct trule {
	struct cls_rule cr;
	struct ofp_match m;
	int priority;
	uint64_t seq;
	bool live;
};

/* Field choices a mask is made of; values come from small domains so
 * that random packets hit rules often. */
enum { T_INPORT, T_REG0, T_ETHSRC, T_VLAN, T_NWSRC, T_NWDST, T_PROTO,
       T_TPSRC, T_TPDST, T_TPDST_MASKED, T_METADATA, T_N };

static void set_u(struct ofp_match *m, enum ofp_field_id id, uint64_t v,
		  uint64_t mask)
{
	union ofp_value a, b;

	ofp_value_from_u64(&a, v);
	ofp_value_from_u64(&b, mask);
	ofp_match_set_field(m, ofp_field_get(id), &a, &b);
}

static uint32_t rand_addr(void)
{
	return 0x0a000000u | rn(4) << 16 | rn(4) << 8 | rn(4);
}

/* A packet from the same domains as the rules. */
static void rand_packet(struct ofp_flow *f)
{
	struct ofp_match m;

	ofp_match_init_catchall(&m);
	set_u(&m, OFP_F_IN_PORT, 1 + rn(4), 0xffff);
	set_u(&m, OFP_F_REG0, rn(4), UINT32_MAX);
	set_u(&m, OFP_F_METADATA, rn(3), UINT64_MAX);
	set_u(&m, OFP_F_ETH_SRC, 0x020000000000ull | rn(4), 0xffffffffffffull);
	set_u(&m, OFP_F_VLAN_TCI, rn(2) ? 0 : 0x1000 | rn(3), 0xffff);
	set_u(&m, OFP_F_ETH_TYPE, 0x0800, 0xffff);
	set_u(&m, OFP_F_IP_SRC, rand_addr(), UINT32_MAX);
	set_u(&m, OFP_F_IP_DST, rand_addr(), UINT32_MAX);
	set_u(&m, OFP_F_NW_PROTO, rn(2) ? 6 : 17, 0xff);
	set_u(&m, OFP_F_TCP_SRC, 1000 + rn(4), 0xffff);
	set_u(&m, OFP_F_TCP_DST, (unsigned[]){ 22, 53, 80, 443 }[rn(4)], 0xffff);
	*f = m.flow;
}

static void rand_mask_rule(struct ofp_match *m, unsigned fields)
{
	static const int plens[] = { 8, 16, 24, 30, 32 };

	ofp_match_init_catchall(m);
	if (fields & (1u << T_INPORT))
		set_u(m, OFP_F_IN_PORT, 1 + rn(4), 0xffff);
	if (fields & (1u << T_REG0))
		set_u(m, OFP_F_REG0, rn(4), UINT32_MAX);
	if (fields & (1u << T_METADATA))
		set_u(m, OFP_F_METADATA, rn(3), 0xff);
	if (fields & (1u << T_ETHSRC))
		set_u(m, OFP_F_ETH_SRC, 0x020000000000ull | rn(4), 0xffffffffffffull);
	if (fields & (1u << T_VLAN))
		set_u(m, OFP_F_VLAN_TCI, 0x1000 | rn(3), 0x1fff);
	if (fields & ((1u << T_NWSRC) | (1u << T_NWDST) | (1u << T_PROTO) |
		      (1u << T_TPSRC) | (1u << T_TPDST) | (1u << T_TPDST_MASKED)))
		set_u(m, OFP_F_ETH_TYPE, 0x0800, 0xffff);
	if (fields & (1u << T_NWSRC)) {
		int p = plens[(fields >> 16) % 5];

		set_u(m, OFP_F_IP_SRC, rand_addr(), p ? UINT32_MAX << (32 - p) : 0);
	}
	if (fields & (1u << T_NWDST)) {
		int p = plens[(fields >> 20) % 5];

		set_u(m, OFP_F_IP_DST, rand_addr(), p ? UINT32_MAX << (32 - p) : 0);
	}
	if (fields & ((1u << T_PROTO) | (1u << T_TPSRC) | (1u << T_TPDST) |
		      (1u << T_TPDST_MASKED)))
		set_u(m, OFP_F_NW_PROTO, rn(2) ? 6 : 17, 0xff);
	if (fields & (1u << T_TPSRC))
		set_u(m, OFP_F_TCP_SRC, 1000 + rn(4), 0xffff);
	if (fields & (1u << T_TPDST))
		set_u(m, OFP_F_TCP_DST, (unsigned[]){ 22, 53, 80, 443 }[rn(4)], 0xffff);
	if (fields & (1u << T_TPDST_MASKED))
		set_u(m, OFP_F_TCP_DST, (unsigned[]){ 16, 48, 80, 440 }[rn(4)], 0xfff0);
}

/* The reference: highest priority, then lowest seq, by looking at all. */
static const struct trule *linear(const struct trule *r, size_t n,
				  const struct ofp_flow *f)
{
	const struct trule *best = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!r[i].live || !ofp_match_matches(&r[i].m, f))
			continue;
		if (!best || r[i].priority > best->priority ||
		    (r[i].priority == best->priority && r[i].seq < best->seq))
			best = &r[i];
	}
	return best;
}

static const struct trule *as_trule(const struct cls_rule *cr)
{
	return cr ? (const struct trule *)(const void *)
		    ((const char *)cr - offsetof(struct trule, cr)) : NULL;
}

/* (p & wc) | (q & ~wc) */
static void blend(struct ofp_flow *out, const struct ofp_flow *p,
		  const struct ofp_flow *q, const struct ofp_flow *wc)
{
	const dp_key_word *a = (const void *)p, *b = (const void *)q,
			  *w = (const void *)wc;
	dp_key_word *o = (void *)out;
	size_t i;

	for (i = 0; i < OFP_FLOW_WORDS; i++)
		o[i] = (a[i] & w[i]) | (b[i] & ~w[i]);
}

/* One random rule set: lookups agree with the linear search, and the
 * wildcards are sufficient under probing; then half the rules go and the
 * same checks run again. */
static void random_set(unsigned n_rules, unsigned n_masks, unsigned n_prio,
		       unsigned n_lookups)
{
	struct trule *r = calloc(n_rules, sizeof *r);
	unsigned *masks = calloc(n_masks, sizeof *masks);
	struct classifier cls;
	unsigned i, k, phase, wrong, insuff, probes;

	classifier_init(&cls);
	for (i = 0; i < n_masks; i++)
		masks[i] = (unsigned)(rnd() & ((1u << T_N) - 1)) |
			   (unsigned)(rn(5) << 16) | (unsigned)(rn(5) << 20);
	for (i = 0; i < n_rules; i++) {
		rand_mask_rule(&r[i].m, masks[rn(n_masks)]);
		r[i].priority = (int)rn(n_prio);
		r[i].seq = i;
		r[i].live = true;
		if (classifier_insert(&cls, &r[i].cr, &r[i].m, r[i].priority,
				      r[i].seq))
			r[i].live = false;
	}
	for (phase = 0; phase < 2; phase++) {
		wrong = insuff = probes = 0;
		for (k = 0; k < n_lookups; k++) {
			struct ofp_flow p, q, p2, wc;
			const struct trule *got, *want;
			unsigned j;

			rand_packet(&p);
			memset(&wc, 0, sizeof wc);
			got = as_trule(classifier_lookup(&cls, &p, &wc));
			want = linear(r, n_rules, &p);
			if (got != want)
				wrong++;
			for (j = 0; j < 8; j++) {
				rand_packet(&q);
				blend(&p2, &p, &q, &wc);
				probes++;
				if (linear(r, n_rules, &p2) != want)
					insuff++;
			}
		}
		ok(!wrong, "%u rules, %u masks, %u priorities%s: %u lookups agree with a linear search (%u wrong)",
		   n_rules, n_masks, n_prio, phase ? " (after removing half)" : "",
		   n_lookups, wrong);
		ok(!insuff, "... and %u probes agreeing on the wildcards get the same rule (%u differ)",
		   probes, insuff);
		if (phase == 0) {
			for (i = 0; i < n_rules; i += 2) {
				if (r[i].live) {
					classifier_remove(&cls, &r[i].cr);
					r[i].live = false;
				}
			}
		}
	}
	classifier_destroy(&cls);
	free(r);
	free(masks);
}

static void match_text(struct ofp_match *m, const char *s)
{
	struct dp_err err;

	if (ofp_match_from_text(s, strlen(s), 1, m, NULL, &err)) {
		note("bad match %s: %s", s, err.msg);
		abort();
	}
}

static void packet_text(struct ofp_flow *f, const char *s)
{
	struct ofp_match m;

	match_text(&m, s);
	*f = m.flow;
}

static bool wc_has(const struct ofp_flow *wc, enum ofp_field_id id)
{
	union ofp_value v;

	ofp_field_get_value(ofp_field_get(id), wc, &v);
	return !ofp_value_is_zero(&v);
}

static uint32_t wc_u32(const struct ofp_flow *wc, enum ofp_field_id id)
{
	union ofp_value v;

	ofp_field_get_value(ofp_field_get(id), wc, &v);
	return (uint32_t)ofp_value_u64(&v);
}

static struct trule *add(struct classifier *cls, const char *m, int prio)
{
	static uint64_t seq;
	struct trule *r = calloc(1, sizeof *r);

	match_text(&r->m, m);
	r->priority = prio;
	r->seq = seq++;
	r->live = !classifier_insert(cls, &r->cr, &r->m, prio, r->seq);
	return r;
}

static void narrowness(void)
{
	struct classifier cls;
	struct trule *rs[8];
	struct ofp_flow p, wc;
	const struct trule *got;
	size_t i;

	/* Routes: longest prefix by priority. */
	classifier_init(&cls);
	rs[0] = add(&cls, "ip,nw_dst=10.0.0.0/8", 8);
	rs[1] = add(&cls, "ip,nw_dst=10.1.0.0/16", 16);
	rs[2] = add(&cls, "ip,nw_dst=10.1.1.0/24", 24);
	rs[3] = add(&cls, "", 0);
	packet_text(&p, "tcp,in_port=3,nw_src=192.168.1.1,nw_dst=10.1.9.9,tp_src=1234,tp_dst=80");
	memset(&wc, 0, sizeof wc);
	got = as_trule(classifier_lookup(&cls, &p, &wc));
	ok(got == rs[1], "10.1.9.9 takes the /16 route");
	ok(wc_u32(&wc, OFP_F_IP_DST) == 0xfffff800,
	   "the trie keeps nw_dst at /21, not the /24 a hash probe needs (got %08x)",
	   wc_u32(&wc, OFP_F_IP_DST));
	ok(!wc_has(&wc, OFP_F_TCP_SRC) && !wc_has(&wc, OFP_F_TCP_DST) &&
	   !wc_has(&wc, OFP_F_IN_PORT) && !wc_has(&wc, OFP_F_IP_SRC) &&
	   !wc_has(&wc, OFP_F_NW_PROTO),
	   "a rule set on nw_dst un-wildcards neither ports, in_port, nw_src nor nw_proto");
	packet_text(&p, "udp,nw_dst=172.16.0.1,tp_src=5,tp_dst=7");
	memset(&wc, 0, sizeof wc);
	got = as_trule(classifier_lookup(&cls, &p, &wc));
	ok(got == rs[3] && wc_u32(&wc, OFP_F_IP_DST) == 0x80000000,
	   "172.16.0.1 misses all three routes by its first bit (wc %08x)",
	   wc_u32(&wc, OFP_F_IP_DST));
	for (i = 0; i < 4; i++) {
		classifier_remove(&cls, &rs[i]->cr);
		free(rs[i]);
	}
	classifier_destroy(&cls);

	/* Staged: the port rule only costs tp_dst for packets that pass the
	 * metadata stage. */
	classifier_init(&cls);
	rs[0] = add(&cls, "in_port=1,tcp,tp_dst=80", 100);
	rs[1] = add(&cls, "ip,nw_dst=10.0.0.0/8", 50);
	packet_text(&p, "tcp,in_port=2,nw_dst=10.2.3.4,tp_src=99,tp_dst=80");
	memset(&wc, 0, sizeof wc);
	got = as_trule(classifier_lookup(&cls, &p, &wc));
	ok(got == rs[1] && wc_has(&wc, OFP_F_IN_PORT) && !wc_has(&wc, OFP_F_TCP_DST),
	   "a packet from another port does not un-wildcard tp_dst");
	packet_text(&p, "tcp,in_port=1,nw_dst=10.2.3.4,tp_src=99,tp_dst=81");
	memset(&wc, 0, sizeof wc);
	got = as_trule(classifier_lookup(&cls, &p, &wc));
	ok(got == rs[1] && wc_has(&wc, OFP_F_TCP_DST) && !wc_has(&wc, OFP_F_TCP_SRC),
	   "from port 1 it needs tp_dst, still not tp_src");
	for (i = 0; i < 2; i++) {
		classifier_remove(&cls, &rs[i]->cr);
		free(rs[i]);
	}
	classifier_destroy(&cls);

	/* Early exit: a high-priority hit hides lower subtables' fields. */
	classifier_init(&cls);
	rs[0] = add(&cls, "in_port=1", 200);
	rs[1] = add(&cls, "tcp,tp_src=5", 100);
	packet_text(&p, "tcp,in_port=1,tp_src=5,tp_dst=6");
	memset(&wc, 0, sizeof wc);
	got = as_trule(classifier_lookup(&cls, &p, &wc));
	ok(got == rs[0] && !wc_has(&wc, OFP_F_TCP_SRC) && !wc_has(&wc, OFP_F_ETH_TYPE),
	   "priority order stops before lower subtables: their fields stay wild");
	for (i = 0; i < 2; i++) {
		classifier_remove(&cls, &rs[i]->cr);
		free(rs[i]);
	}
	classifier_destroy(&cls);
}

static void ties_and_exact(void)
{
	struct classifier cls;
	struct trule *a, *b, *c;
	struct ofp_flow p;
	struct ofp_match m;
	const struct trule *got;

	classifier_init(&cls);
	a = add(&cls, "tcp", 10);
	b = add(&cls, "ip,nw_src=1.2.3.4", 10);
	c = add(&cls, "tcp", 10);      /* identical to a, inserted later */
	packet_text(&p, "tcp,nw_src=1.2.3.4,tp_src=1,tp_dst=2");
	got = as_trule(classifier_lookup(&cls, &p, NULL));
	ok(got == a, "equal priorities: the first inserted wins");
	ok(classifier_find_exact(&cls, &b->m, 10) == &b->cr &&
	   !classifier_find_exact(&cls, &b->m, 11),
	   "find_exact finds by match and priority only");
	cls_rule_get_match(&c->cr, &m);
	ok(ofp_match_equal(&m, &c->m), "a rule's match is rebuilt exactly");
	classifier_remove(&cls, &a->cr);
	got = as_trule(classifier_lookup(&cls, &p, NULL));
	ok(got == b, "after removing the first, the next by insertion order wins");
	ok(classifier_count(&cls) == 2 && classifier_n_subtables(&cls) == 2,
	   "two rules in two subtables remain");
	classifier_remove(&cls, &b->cr);
	classifier_remove(&cls, &c->cr);
	ok(classifier_count(&cls) == 0 && classifier_n_subtables(&cls) == 0,
	   "empty subtables are dropped");
	free(a);
	free(b);
	free(c);
	classifier_destroy(&cls);
}

/* The trie alone: random prefixes in and out, every walk against the
 * prefixes themselves, and the bits a walk reports as consulted really are
 * all it depended on. */
static void trie_walks(void)
{
	enum { N = 400, W = 4000 };
	static struct { uint32_t addr; unsigned plen; bool in; } px[N];
	struct cls_trie t;
	struct ofp_flow f, g;
	unsigned i, k, wrong = 0, moved = 0;
	size_t ofs = offsetof(struct ofp_flow, key.l3.ipv4.dst);

	cls_trie_init(&t, (uint16_t)ofs, 4);
	memset(&f, 0, sizeof f);
	for (i = 0; i < N; i++) {
		px[i].addr = htonl(0x0a000000u | (uint32_t)(rnd() & 0x00ffffff));
		px[i].plen = 1 + rn(32);
		memcpy((uint8_t *)&f + ofs, &px[i].addr, 4);
		px[i].in = !cls_trie_insert(&t, &f, px[i].plen);
	}
	for (i = 0; i < N; i += 3) {     /* take a third out again */
		memcpy((uint8_t *)&f + ofs, &px[i].addr, 4);
		cls_trie_remove(&t, &f, px[i].plen);
		px[i].in = false;
	}
	for (k = 0; k < W; k++) {
		uint32_t a = htonl(0x0a000000u | (uint32_t)(rnd() & 0x00ffffff)), b;
		struct cls_trie_result r, r2;
		uint64_t want[3] = { 0, 0, 0 };
		unsigned keep;

		if (k % 2) {            /* near a stored prefix */
			i = rn(N);
			a = px[i].addr ^ htonl((uint32_t)(((uint64_t)(uint32_t)rnd() >>
							 px[i].plen) >> 1));
		}
		for (i = 0; i < N; i++) {
			uint32_t m = htonl(px[i].plen ? UINT32_MAX << (32 - px[i].plen) : 0);

			if (px[i].in && !((a ^ px[i].addr) & m))
				want[px[i].plen / 64] |= 1ull << (px[i].plen % 64);
		}
		memcpy((uint8_t *)&f + ofs, &a, 4);
		cls_trie_lookup(&t, &f, &r);
		if (memcmp(want, r.plens, sizeof want))
			wrong++;
		/* Another address with the same first nbits bits: same answer. */
		keep = r.nbits;
		b = (uint32_t)rnd();
		if (keep)
			b = (a & htonl(UINT32_MAX << (32 - keep))) |
			    (b & ~htonl(UINT32_MAX << (32 - keep)));
		memset(&g, 0, sizeof g);
		memcpy((uint8_t *)&g + ofs, &b, 4);
		cls_trie_lookup(&t, &g, &r2);
		if (memcmp(r.plens, r2.plens, sizeof r.plens))
			moved++;
	}
	ok(!wrong, "trie walks report exactly the stored prefixes that match (%u of %u wrong)",
	   wrong, W);
	ok(!moved, "addresses agreeing on the bits a walk consulted get the same answer (%u differ)",
	   moved);
	cls_trie_destroy(&t);
}

int main(void)
{
	trie_walks();
	random_set(300, 12, 5, 1500);
	random_set(600, 30, 40, 1500);
	random_set(200, 6, 1, 1000);    /* every priority tied */
	narrowness();
	ties_and_exact();
	return done();
}

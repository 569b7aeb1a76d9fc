/* Unit tests for flowtab.c: the masked flow table against a brute-force
 * reference, identity, overlap, deletion, and dumps with a cursor. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "flowtab.h"
#include "tap.h"

static uint64_t rng = 88172645463325252ull;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

/* A random packet key drawn from small pools, so flows get hit. */
static void random_key(struct dp_key *k)
{
	static const uint32_t addrs[] = { 0x0a000001, 0x0a000002, 0x0a000103,
					   0xc0a80001, 0xc0a80102, 0x0a0000fe,
					   0xc0a801ff, 0xac100001 };
	static const uint16_t ports[] = { 22, 53, 80, 443, 8080, 123, 25, 993 };

	dp_key_init(k);
	k->in_port = 1 + rnd(16);
	k->eth_src[5] = (uint8_t)rnd(3);
	k->eth_dst[5] = (uint8_t)rnd(64);
	k->eth_type = htons(0x0800);
	k->nw_proto = rnd(2) ? 6 : 17;
	k->nw_ttl = (uint8_t)(60 + rnd(5));
	k->l3.ipv4.src = htonl(addrs[rnd(8)]);
	k->l3.ipv4.dst = htonl(addrs[rnd(8)]);
	k->tp_src = htons(ports[rnd(8)]);
	k->tp_dst = htons(ports[rnd(8)]);
	if (rnd(8) == 0)
		k->tun.id = 1 + rnd(2);         /* a tunnel-range field */
}

/* One of a few mask shapes (as megaflows come in few shapes). */
static void random_mask(struct dp_key *m)
{
	memset(m, 0, sizeof *m);
	switch (rnd(7)) {
	case 0:
		m->in_port = 0xffffffff;
		break;
	case 1:
		m->in_port = 0xffffffff;
		m->eth_type = 0xffff;
		m->l3.ipv4.dst = htonl(0xffffff00);
		break;
	case 2:
		m->eth_type = 0xffff;
		m->nw_proto = 0xff;
		m->tp_dst = 0xffff;
		break;
	case 3:
		m->in_port = 0xffffffff;
		m->eth_type = 0xffff;
		m->l3.ipv4.src = 0xffffffff;
		m->l3.ipv4.dst = 0xffffffff;
		m->nw_proto = 0xff;
		m->tp_src = 0xffff;
		m->tp_dst = 0xffff;
		break;
	case 4:
		memset(m->eth_dst, 0xff, 6);
		break;
	case 5:
		m->tun.id = ~0ull;
		m->in_port = 0xffffffff;
		break;
	default:
		m->eth_type = 0xffff;
		m->nw_ttl = 0xfc;
		break;
	}
}

struct ref {
	struct dp_key key, mask;
	struct flowtab_flow *f;
	int live;
};

static int ref_matches(const struct ref *r, const struct dp_key *q)
{
	struct dp_key a, b;

	dp_key_apply_mask(&a, q, &r->mask);
	dp_key_apply_mask(&b, &r->key, &r->mask);
	return !memcmp(&a, &b, sizeof a);
}

static int ref_same(const struct ref *r, const struct dp_key *key,
		    const struct dp_key *mask)
{
	struct dp_key a, b;

	if (memcmp(&r->mask, mask, sizeof *mask))
		return 0;
	dp_key_apply_mask(&a, key, mask);
	dp_key_apply_mask(&b, &r->key, mask);
	return !memcmp(&a, &b, sizeof a);
}

#define NREF 600

/* Check n random lookups against the reference; returns mismatches. */
static int check_lookups(struct flowtab *t, const struct ref *refs, int n_refs,
			 int n)
{
	int bad = 0, i, j;

	for (i = 0; i < n; i++) {
		struct dp_key q;
		struct flowtab_flow *f;
		int any = 0, found_ok = 0;

		random_key(&q);
		f = flowtab_lookup(t, &q, NULL, NULL);
		for (j = 0; j < n_refs; j++) {
			if (!refs[j].live || !ref_matches(&refs[j], &q))
				continue;
			any = 1;
			if (refs[j].f == f)
				found_ok = 1;
		}
		if (any ? !found_ok : f != NULL)
			bad++;
	}
	return bad;
}

static int distinct_masks(const struct ref *refs, int n)
{
	int i, j, count = 0;

	for (i = 0; i < n; i++) {
		if (!refs[i].live)
			continue;
		for (j = 0; j < i; j++)
			if (refs[j].live && !memcmp(&refs[j].mask, &refs[i].mask,
						    sizeof refs[i].mask))
				break;
		if (j == i)
			count++;
	}
	return count;
}

static void test_random(void)
{
	static struct ref refs[NREF];
	struct flowtab *t = flowtab_create();
	int i, j, n = 0, eexist_ok = 1, bad, removed = 0;

	for (i = 0; i < NREF; i++) {
		struct dp_key key, mask;
		int dup = 0, r;
		uint32_t act = (uint32_t)i;

		random_key(&key);
		random_mask(&mask);
		for (j = 0; j < n; j++)
			if (refs[j].live && ref_same(&refs[j], &key, &mask))
				dup = 1;
		r = flowtab_insert(t, &key, &mask, &act, sizeof act, NULL,
				   &refs[n].f, NULL);
		if (dup) {
			if (r != -EEXIST)
				eexist_ok = 0;
			continue;
		}
		if (r != 0)
			eexist_ok = 0;
		refs[n].key = key;
		refs[n].mask = mask;
		refs[n].live = 1;
		n++;
	}
	ok(eexist_ok, "insert: %d flows, EEXIST exactly for duplicates", n);
	ok(flowtab_count(t) == (size_t)n, "count is %zu", flowtab_count(t));
	ok(flowtab_mask_stats(t).n_masks == (uint32_t)distinct_masks(refs, n),
	   "n_masks %u = distinct masks", flowtab_mask_stats(t).n_masks);
	bad = check_lookups(t, refs, n, 20000);
	ok(bad == 0, "20000 random lookups agree with brute force (%d bad)", bad);

	for (i = 0, bad = 0; i < n; i++) {
		if (flowtab_find_exact(t, &refs[i].key, &refs[i].mask) != refs[i].f)
			bad++;
	}
	ok(bad == 0, "find_exact finds every flow");

	/* Remove about half, then compare again. */
	for (i = 0; i < n; i++) {
		if (rnd(2)) {
			flowtab_remove(t, refs[i].f);
			refs[i].live = 0;
			removed++;
		}
	}
	bad = check_lookups(t, refs, n, 20000);
	ok(bad == 0 && flowtab_count(t) == (size_t)(n - removed),
	   "after removing %d: lookups agree (%d bad)", removed, bad);
	ok(flowtab_mask_stats(t).n_masks == (uint32_t)distinct_masks(refs, n),
	   "masks without flows are gone");
	flowtab_flush(t);
	ok(flowtab_count(t) == 0 && flowtab_mask_stats(t).n_masks == 0 &&
	   !flowtab_lookup(t, &refs[0].key, NULL, NULL), "flush empties the table");
	flowtab_destroy(t);
}

static void test_basic(void)
{
	struct flowtab *t = flowtab_create();
	struct dp_key k, m, q;
	struct flowtab_flow *f, *g;
	uint8_t ufid[16] = { 1, 2, 3 }, ufid2[16] = { 9 };
	struct dp_err err;
	uint32_t hits = 0;
	bool cache = false;
	int r;

	dp_key_init(&k);
	k.in_port = 1;
	memset(&m, 0, sizeof m);
	m.in_port = 0xffffffff;
	r = flowtab_insert(t, &k, &m, "\x08\x00\x01\x00\x02\x00\x00\x00", 8,
			   ufid, &f, NULL);
	ok(r == 0 && f && f->acts_len == 8, "insert in_port(1)");
	k.nw_ttl = 9;           /* outside the mask: same masked key */
	r = flowtab_insert(t, &k, &m, NULL, 0, NULL, NULL, &err);
	ok(r == -EEXIST && strstr(err.msg, "exists"), "same masked key: EEXIST (%s)",
	   err.msg);
	k.in_port = 2;
	r = flowtab_insert(t, &k, &m, NULL, 0, ufid, NULL, NULL);
	ok(r == -EEXIST, "same ufid: EEXIST");
	r = flowtab_insert(t, &k, &m, NULL, 0, ufid2, &g, NULL);
	ok(r == 0, "in_port(2) with another ufid");
	ok(flowtab_find_ufid(t, ufid) == f && flowtab_find_ufid(t, ufid2) == g,
	   "find by ufid");

	dp_key_init(&q);
	q.in_port = 2;
	q.eth_type = htons(0x0800);
	ok(flowtab_lookup(t, &q, &hits, &cache) == g && hits == 1,
	   "lookup in_port 2 -> flow 2, 1 mask probed");
	q.in_port = 3;
	ok(!flowtab_lookup(t, &q, NULL, NULL), "in_port 3 misses");

	ok(flowtab_set_actions(t, g, "abcd", 4) == 0 && g->acts_len == 4 &&
	   !memcmp(g->acts, "abcd", 4), "set actions");

	/* A second mask turns the cache on; hits must still be right. */
	memset(&m, 0, sizeof m);
	m.eth_type = 0xffff;
	dp_key_init(&k);
	k.eth_type = htons(0x86dd);
	ok(flowtab_insert(t, &k, &m, NULL, 0, NULL, NULL, NULL) == 0, "second mask");
	q.in_port = 2;
	flowtab_lookup(t, &q, NULL, NULL);
	cache = false;
	ok(flowtab_lookup(t, &q, NULL, &cache) == g && cache,
	   "second lookup of the same key hits the cache");
	flowtab_remove(t, g);
	ok(!flowtab_lookup(t, &q, NULL, NULL), "removed flow is not found via the cache");
	ok(!flowtab_find_ufid(t, ufid2), "removed flow's ufid is gone");
	flowtab_destroy(t);
}

static void test_dump_cursor(void)
{
	struct flowtab *t = flowtab_create();
	struct flowtab_flow *fl[200], *f;
	int seen[400] = { 0 }, i, bad = 0, steps = 0, next_key = 200;
	int removed[400] = { 0 };
	uint64_t cursor = 0;
	struct dp_key k, m;

	memset(&m, 0, sizeof m);
	m.skb_mark = 0xffffffff;
	for (i = 0; i < 200; i++) {
		dp_key_init(&k);
		k.skb_mark = (uint32_t)i;
		flowtab_insert(t, &k, &m, NULL, 0, NULL, &fl[i], NULL);
	}
	/* Between dump calls: delete a random flow and insert a new one. */
	while ((f = flowtab_next(t, &cursor))) {
		int id = (int)f->key.skb_mark;

		if (removed[id])
			bad++;
		seen[id]++;
		steps++;
		if (steps % 3 == 0) {
			int v = (int)rnd(200);

			if (!removed[v]) {
				flowtab_remove(t, fl[v]);
				removed[v] = 1;
			}
		}
		if (steps % 5 == 0 && next_key < 400) {
			dp_key_init(&k);
			k.skb_mark = (uint32_t)next_key++;
			flowtab_insert(t, &k, &m, NULL, 0, NULL, NULL, NULL);
		}
	}
	for (i = 0; i < 200; i++)
		if (!removed[i] && seen[i] != 1)
			bad++;
	for (i = 0; i < 400; i++)
		if (seen[i] > 1)
			bad++;
	ok(bad == 0, "dump with deletes/inserts between calls: every surviving flow once (%d steps)",
	   steps);
	flowtab_destroy(t);
}

static void test_range(void)
{
	struct dp_key m;
	struct dp_key_range r;

	memset(&m, 0, sizeof m);
	r = dp_key_range(&m);
	ok(r.start == 0 && r.end == 0, "empty mask: empty range");
	m.eth_type = 0xffff;
	r = dp_key_range(&m);
	ok(r.start <= offsetof(struct dp_key, eth_type) &&
	   r.end >= offsetof(struct dp_key, eth_type) + 2 && r.end - r.start == 8,
	   "eth_type: one word [%u,%u)", r.start, r.end);
	m.in_port = 1;
	m.tun.tp_dst = 0xffff;
	r = dp_key_range(&m);
	ok(r.start == 0 && r.end > DP_KEY_OFS_TUN, "in_port..tunnel: [%u,%u)", r.start,
	   r.end);
}

int main(void)
{
	test_range();
	test_basic();
	test_random();
	test_dump_cursor();
	return done();
}

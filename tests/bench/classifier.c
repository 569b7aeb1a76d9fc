/*
 * classifier.c - lookups per second of lib/classifier with many rules over
 * many masks (tests/bench/classifier.sh builds and runs it).
 *
 *   classifier [RULES [MASKS [LOOKUPS]]]     default 10000 20 2000000
 *
 * Rules get random priorities and values; half of the packets are built
 * from a rule's match (so they hit something), half are random.  Prints
 * insertions per second and lookups per second without and with megaflow
 * wildcard accumulation, best of three runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "classifier.h"
#include "ofp_match_text.h"

static uint64_t s = 88172645463325252ull;

static uint64_t rnd(void)
{
	s ^= s << 13;
	s ^= s >> 7;
	s ^= s << 17;
	return s;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Mask shapes, as ovs-ofctl match text with %u placeholders filled in. */
static const char *const shapes[] = {
	"in_port=%u",
	"in_port=%u,dl_dst=02:00:00:00:%02x:%02x",
	"ip,nw_dst=10.%u.%u.0/24",
	"ip,nw_dst=10.%u.0.0/16",
	"ip,nw_src=10.%u.%u.%u,nw_dst=10.%u.%u.%u",
	"tcp,tp_dst=%u",
	"tcp,nw_dst=10.%u.%u.%u,tp_dst=%u",
	"udp,tp_dst=%u",
	"ip,nw_proto=%u",
	"metadata=%u,reg0=%u",
	"dl_src=02:00:00:00:%02x:%02x,dl_dst=02:00:00:00:%02x:%02x",
	"dl_vlan=%u",
	"arp,arp_tpa=10.%u.%u.%u",
	"ipv6,ipv6_dst=2001:db8:%x::/48",
	"in_port=%u,ip,nw_src=10.%u.0.0/16",
	"tcp,tp_src=%u,tp_dst=%u",
	"udp,nw_dst=10.%u.%u.%u,tp_dst=%u",
	"reg1=%u",
	"ip,nw_tos=%u",
	"in_port=%u,dl_vlan=%u,ip",
};

static void make_match(struct ofp_match *m, unsigned shape)
{
	char text[256];
	struct dp_err err;
	unsigned v[6];
	int i;

	for (i = 0; i < 6; i++)
		v[i] = (unsigned)(rnd() % 200) + 1;
	if (shape == 18)
		v[0] = (v[0] % 63) * 4;
	if (shape == 11 || shape == 19)
		v[1] %= 4095;
	snprintf(text, sizeof text, shapes[shape], v[0], v[1], v[2], v[3], v[4], v[5]);
	if (ofp_match_from_text(text, strlen(text), 1, m, NULL, &err)) {
		fprintf(stderr, "bench: %s: %s\n", text, err.msg);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	size_t n_rules = argc > 1 ? strtoul(argv[1], NULL, 0) : 10000;
	size_t n_masks = argc > 2 ? strtoul(argv[2], NULL, 0) : 20;
	size_t n_lookups = argc > 3 ? strtoul(argv[3], NULL, 0) : 2000000;
	size_t n_pkts = 1024, i, hits = 0;
	struct cls_rule *rules = calloc(n_rules, sizeof *rules);
	struct ofp_flow *pkts = calloc(n_pkts, sizeof *pkts);
	struct ofp_match m;
	struct classifier cls;
	double t0, best[2] = { 1e9, 1e9 }, ins;
	int run, wc;

	if (n_masks > sizeof shapes / sizeof shapes[0])
		n_masks = sizeof shapes / sizeof shapes[0];
	classifier_init(&cls);
	t0 = now();
	for (i = 0; i < n_rules; i++) {
		make_match(&m, (unsigned)(i % n_masks));
		if (classifier_insert(&cls, &rules[i], &m, (int)(rnd() % 1000), i)) {
			fprintf(stderr, "bench: out of memory\n");
			return 1;
		}
	}
	ins = now() - t0;
	for (i = 0; i < n_pkts; i++) {
		struct ofp_match a, b;

		/* A packet that agrees with a random rule where the rule cares,
		 * and with another random match elsewhere. */
		make_match(&a, (unsigned)(rnd() % n_masks));
		make_match(&b, (unsigned)(rnd() % n_masks));
		if (i % 2) {
			cls_rule_get_match(&rules[rnd() % n_rules], &a);
			{
				dp_key_word *p = (dp_key_word *)(void *)&pkts[i];
				const dp_key_word *av = (const void *)&a.flow,
						  *am = (const void *)&a.mask,
						  *bv = (const void *)&b.flow;
				size_t w;

				for (w = 0; w < OFP_FLOW_WORDS; w++)
					p[w] = av[w] | (bv[w] & ~am[w]);
			}
		} else {
			pkts[i] = b.flow;
		}
	}
	for (run = 0; run < 3; run++) {
		for (wc = 0; wc < 2; wc++) {
			struct ofp_flow mask;

			hits = 0;
			t0 = now();
			for (i = 0; i < n_lookups; i++) {
				if (wc)
					memset(&mask, 0, sizeof mask);
				hits += classifier_lookup(&cls, &pkts[i & (n_pkts - 1)],
							  wc ? &mask : NULL) != NULL;
			}
			t0 = now() - t0;
			if (t0 < best[wc])
				best[wc] = t0;
		}
	}
	printf("classifier: %zu rules, %zu masks (%zu subtables), %.0f%% of lookups hit\n",
	       n_rules, n_masks, classifier_n_subtables(&cls),
	       100.0 * (double)hits / (double)n_lookups);
	printf("classifier: %.0f insertions/s\n", (double)n_rules / ins);
	printf("classifier: %.2f M lookups/s without wildcards, %.2f M lookups/s with megaflow wildcards (best of 3, %zu lookups)\n",
	       (double)n_lookups / best[0] / 1e6, (double)n_lookups / best[1] / 1e6,
	       n_lookups);
	for (i = 0; i < n_rules; i++)
		classifier_remove(&cls, &rules[i]);
	classifier_destroy(&cls);
	free(rules);
	free(pkts);
	return 0;
}

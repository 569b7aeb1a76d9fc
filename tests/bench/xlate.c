/*
 * xlate.c - translations per second (lib/xlate), one thread:
 *  - l3: 1,000 routes (nw_dst /24 prefixes) in table 0, each rewriting
 *    the destination MAC and decrementing the TTL before resubmitting to
 *    table 1, which outputs by a register loaded in table 0; packets to
 *    random hosts behind the routes;
 *  - normal: table 0 "actions=normal" with 1,000 addresses learned on 8
 *    ports; packets between random pairs of them (and 1 in 16 to an
 *    unknown address, which floods).
 * It also counts heap allocations during the timed loop (malloc is
 * wrapped): translation should not allocate once its output buffers have
 * grown.
 *
 *   build/bench/xlate [SECONDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ofp_flow_mod.h"
#include "ofp_rules.h"
#include "xlate.h"
#include "xlate_recirc.h"

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
static unsigned long n_alloc;

void *malloc(size_t n);
void *calloc(size_t a, size_t b);
void *realloc(void *p, size_t n);

void *malloc(size_t n)
{
	n_alloc++;
	return __libc_malloc(n);
}

void *calloc(size_t a, size_t b)
{
	n_alloc++;
	return __libc_calloc(a, b);
}

void *realloc(void *p, size_t n)
{
	n_alloc++;
	return __libc_realloc(p, n);
}

static uint64_t rng = 88172645463325252ull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void add(struct ofp_tables *t, const char *line)
{
	struct ofp_flow_mod fm;
	struct dp_err err;

	if (ofp_flow_mod_parse(&fm, line, strlen(line), OFP_FM_ADD, false, NULL,
			       &err) || ofp_tables_apply(t, &fm, 0, NULL, &err)) {
		fprintf(stderr, "xlate bench: %s: %s\n", line, err.msg);
		exit(1);
	}
	ofp_flow_mod_uninit(&fm);
}

#define N_KEYS 4096

static void run(const char *name, const struct xlate_bridge *br,
		const struct dp_key *keys, double secs)
{
	struct xlate_out xo;
	struct xlate_in in;
	unsigned long n = 0, allocs, out_bytes = 0;
	double t0, t;

	xlate_out_init(&xo);
	memset(&in, 0, sizeof in);
	in.now_ms = 1000;
	for (n = 0; n < N_KEYS; n++) {         /* warm up the buffers */
		in.key = &keys[n];
		xlate_translate(br, &in, &xo);
	}
	n = 0;
	allocs = n_alloc;
	t0 = now_s();
	do {
		int i;

		for (i = 0; i < 1024; i++, n++) {
			in.key = &keys[n % N_KEYS];
			xlate_translate(br, &in, &xo);
			out_bytes += xo.actions.len;
		}
		t = now_s() - t0;
	} while (t < secs);
	allocs = n_alloc - allocs;
	printf("%-7s %10.0f translations/s  %6.0f ns each  %.2f allocations each"
	       "  (%lu in %.2f s, %.1f action bytes avg)\n", name, n / t,
	       t * 1e9 / n, (double)allocs / n, n, t, (double)out_bytes / n);
	xlate_out_uninit(&xo);
}

int main(int argc, char **argv)
{
	static struct ofp_tables t;
	static struct dp_key keys[N_KEYS];
	struct xlate_port ports[9];
	struct mac_learn ml;
	struct xlate_recirc *rc = xlate_recirc_create();
	struct xlate_bridge br;
	uint8_t macs[1000][6];
	double secs = argc > 1 ? atof(argv[1]) : 2.0;
	char line[256];
	int i;

	memset(ports, 0, sizeof ports);
	for (i = 0; i < 9; i++)
		ports[i].dp_port = (uint32_t)i;
	mac_learn_init(&ml, 0, 0);

	/* l3 */
	ofp_tables_init(&t);
	for (i = 0; i < 1000; i++) {
		snprintf(line, sizeof line,
			 "priority=100,ip,nw_dst=10.%d.%d.0/24,actions="
			 "mod_dl_dst:02:00:00:00:%02x:%02x,dec_ttl,"
			 "load:%d->NXM_NX_REG0[0..15],resubmit(,1)",
			 i / 256, i % 256, i / 256, i % 256, 1 + i % 8);
		add(&t, line);
	}
	add(&t, "priority=0,actions=drop");
	for (i = 1; i <= 8; i++) {
		snprintf(line, sizeof line, "table=1,reg0=%d,actions=output:%d", i, i);
		add(&t, line);
	}
	xlate_bridge_init(&br, "br0", &t, &ml, rc, 1);
	xlate_bridge_set_ports(&br, ports, 9, NULL);
	for (i = 0; i < N_KEYS; i++) {
		struct dp_key *k = &keys[i];
		uint32_t r = rnd() % 1000;

		dp_key_init(k);
		k->in_port = 1 + rnd() % 8;
		k->eth_type = htobe16(0x0800);
		k->eth_src[5] = 1;
		k->eth_dst[5] = 2;
		k->nw_proto = 17;
		k->nw_ttl = 64;
		k->l3.ipv4.src = htobe32(0xc0a80001);
		k->l3.ipv4.dst = htobe32(0x0a000000 | r << 8 | (rnd() & 0xff));
		k->tp_src = htobe16((uint16_t)rnd());
		k->tp_dst = htobe16(53);
	}
	printf("rules: %zu (l3: 1,000 routes, /24 each, in table 0)\n", t.n_rules);
	run("l3", &br, keys, secs);
	ofp_tables_destroy(&t);

	/* normal */
	ofp_tables_init(&t);
	xlate_add_default_rule(&t, 0, NULL);
	for (i = 0; i < 1000; i++) {
		macs[i][0] = 2;
		macs[i][1] = 0;
		macs[i][2] = (uint8_t)(i >> 16);
		macs[i][3] = (uint8_t)(i >> 8);
		macs[i][4] = (uint8_t)i;
		macs[i][5] = 7;
		mac_learn_update(&ml, macs[i], 0, (uint16_t)(1 + i % 8), 1000);
	}
	for (i = 0; i < N_KEYS; i++) {
		struct dp_key *k = &keys[i];
		int s = (int)(rnd() % 1000), d = (int)(rnd() % 1000);

		dp_key_init(k);
		k->in_port = (uint32_t)(1 + s % 8);
		k->eth_type = htobe16(0x0800);
		memcpy(k->eth_src, macs[s], 6);
		memcpy(k->eth_dst, macs[d], 6);
		if (!(rnd() % 16))
			k->eth_dst[5] = 9;      /* unknown: flood */
		k->nw_proto = 6;
		k->nw_ttl = 64;
	}
	run("normal", &br, keys, secs);

	ofp_tables_destroy(&t);
	xlate_bridge_destroy(&br);
	xlate_recirc_destroy(rc);
	mac_learn_destroy(&ml);
	return 0;
}

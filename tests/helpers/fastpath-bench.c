/*
 * fastpath-bench - the datapath's per-packet cost without a kernel in the
 * way: parse, flow lookup and execute (output to a null port) on 64-byte
 * UDP frames held in memory, through dp_process_batch().
 *
 *   fastpath-bench [-n PACKETS] [-m MASKS] [-f FLOWS]
 *
 * -m MASKS (default 1): the flow table holds flows under that many masks
 * (in_port; in_port+eth_type+ipv4 dst; ...+nw_proto+tp_dst; ...), and the
 * packets hit flows of the last, most specific mask, so lookups without
 * the cache would probe them all.  -f: extra non-matching flows per mask.
 * Prints packets, seconds and ns/packet.  Run it under callgrind with two
 * packet counts and divide the difference to get instructions per packet.
 */
#include <arpa/inet.h>
#include <linux/openvswitch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dp.h"
#include "nlattr.h"

#define NBUF 32

static void mask_for(int level, struct dp_key *m)
{
	memset(m, 0, sizeof *m);
	m->in_port = 0xffffffff;
	if (level >= 1) {
		m->eth_type = 0xffff;
		m->l3.ipv4.dst = 0xffffffff;
	}
	if (level >= 2) {
		m->nw_proto = 0xff;
		m->tp_dst = 0xffff;
	}
	if (level >= 3)
		m->l3.ipv4.src = 0xffffffff;
	if (level >= 4)
		m->nw_ttl = 0xff;
	if (level >= 5)
		m->nw_tos = 0xff;
	if (level >= 6)
		memset(m->eth_dst, 0xff, 6);
	if (level >= 7)
		memset(m->eth_src, 0xff, 6);
}

static size_t frame(uint8_t *f, uint16_t sport)
{
	static const uint8_t hdr[] = {
		2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00,
		0x45, 0, 0, 46, 0, 1, 0, 0, 64, 17, 0, 0,
		10, 0, 0, 1, 10, 0, 0, 2,
	};

	memset(f, 0, 64);
	memcpy(f, hdr, sizeof hdr);
	f[34] = (uint8_t)(sport >> 8);
	f[35] = (uint8_t)sport;
	f[36] = 0;
	f[37] = 9;
	f[39] = 26;
	return 60;
}

int main(int argc, char **argv)
{
	static uint8_t bufs[NBUF][256];
	struct dp_packet pkts[NBUF];
	long n = 10000000, done = 0;
	int masks = 1, extra = 0, opt, i, k;
	struct buf acts = BUF_INIT;
	struct timespec t0, t1;
	struct dp_stats st;
	struct dp *dp;
	uint32_t no;
	uint8_t f[64];
	double secs;

	while ((opt = getopt(argc, argv, "n:m:f:")) != -1) {
		switch (opt) {
		case 'n': n = atol(optarg); break;
		case 'm': masks = atoi(optarg); break;
		case 'f': extra = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: fastpath-bench [-n PACKETS] [-m MASKS] [-f FLOWS]\n");
			return 2;
		}
	}
	if (masks < 1 || masks > 8) {
		fprintf(stderr, "fastpath-bench: -m: 1 to 8\n");
		return 2;
	}
	if (dp_create(&dp, "bench0", DP_F_LOCAL_DUMMY, NULL) < 0)
		return 1;
	no = 1;
	dp_port_add(dp, "in", DP_VPORT_TYPE_DUMMY, &no, NULL, 0, 0, NULL);
	no = 2;
	dp_port_add(dp, "null", DP_VPORT_TYPE_DUMMY, &no, NULL, 0, 0, NULL);
	na_put_u32(&acts, OVS_ACTION_ATTR_OUTPUT, 2);

	/* Masks 0..masks-1; the packets' flow is under the last one. */
	for (i = 0; i < masks; i++) {
		for (k = 0; k <= extra; k++) {
			struct dp_key key, mask;
			int hit = i == masks - 1 && k == 0;

			dp_key_init(&key);
			key.in_port = hit ? 1 : 100 + (uint32_t)k;
			key.eth_type = htons(0x0800);
			key.l3.ipv4.src = htonl(0x0a000001);
			key.l3.ipv4.dst = htonl(0x0a000002);
			key.nw_proto = 17;
			key.tp_dst = htons(9);
			key.nw_ttl = 64;
			key.eth_src[0] = 2;
			key.eth_src[5] = 1;
			key.eth_dst[0] = 2;
			key.eth_dst[5] = 2;
			mask_for(i, &mask);
			dp_flow_put(dp, &key, &mask, acts.data, acts.len, NULL, NULL, NULL);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (done < n) {
		struct dp_batch b;

		dp_batch_init(&b);
		for (i = 0; i < NBUF && done + i < n; i++) {
			size_t len = frame(f, (uint16_t)(1000 + i));

			/* A receive ring hands over fresh frames; so do we. */
			memcpy(bufs[i] + 64, f, len);
			dp_packet_use(&pkts[i], bufs[i], sizeof bufs[i], 64, (uint32_t)len);
			pkts[i].md.in_port = 1;
			dp_batch_add(&b, &pkts[i]);
		}
		dp_process_batch(dp, &b);
		done += b.n;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	dp_get_stats(dp, &st);
	printf("packets %ld hit %llu masks %u seconds %.3f ns/packet %.1f\n", done,
	       (unsigned long long)st.n_hit, st.n_masks, secs, secs * 1e9 / (double)done);
	buf_free(&acts);
	dp_destroy(dp);
	return st.n_hit == (unsigned long long)done ? 0 : 1;
}

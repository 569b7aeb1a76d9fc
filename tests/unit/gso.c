/* Unit tests for dp_gso.c: TCP super-frames cut to the MTU, checked
 * segment by segment against from-scratch checksums and the original
 * byte stream. */
#include <string.h>

#include "dp_gso.h"
#include "packet.h"
#include "pktgen.h"
#include "tap.h"

struct segs {
	int n;
	uint8_t data[16][2048];
	uint32_t len[16];
};

static void collect(void *aux, const struct dp_packet *seg)
{
	struct segs *s = aux;

	if (s->n < 16 && seg->len <= sizeof s->data[0]) {
		memcpy(s->data[s->n], seg->data, seg->len);
		s->len[s->n] = seg->len;
	}
	s->n++;
}

static void check(int v6)
{
	static uint8_t f[9000], stream[6000];
	static struct segs s;
	size_t n = v6 ? build_ipv6(f, 6, 1000, 80, 5000)
		      : build_ipv4(f, 6, "10.0.0.1", "10.0.0.2", 1000, 80, 5000);
	size_t ipl = v6 ? 40 : 20, hl = 14 + ipl + 20, got = 0;
	uint8_t *th = f + 14 + ipl;
	struct dp_packet *p;
	struct dp_key key;
	int i, r, bad_csum = 0, bad_seq = 0, bad_flags = 0, bad_len = 0;
	uint32_t seq0;

	/* seq 0xfffffc00 wraps inside the stream; flags CWR|ACK|PSH|FIN. */
	th[4] = 0xff; th[5] = 0xff; th[6] = 0xfc; th[7] = 0x00;
	th[13] = 0x80 | 0x10 | 0x08 | 0x01;
	wr16be(th + 16, ref_l4_csum(f + 14, v6, 6, th, n - 14 - ipl, 16));
	seq0 = 0xfffffc00u;
	p = dp_packet_new(f, (uint32_t)n, 64);
	dp_packet_extract(p, &key);
	p->gso_type = v6 ? DP_GSO_TCPV6 : DP_GSO_TCPV4;
	p->gso_size = 1448;
	memset(&s, 0, sizeof s);
	r = dp_gso_segment(p, dp_gso_mss_for_mtu(p, 1500), collect, &s);
	ok(r == 4 && s.n == 4, "IPv%d: 5000 bytes at MTU 1500: 4 segments (%d)", v6 ? 6 : 4, r);
	for (i = 0; i < s.n && i < 16; i++) {
		const uint8_t *ip = s.data[i] + 14, *t = ip + ipl;
		uint32_t plen = s.len[i] - (uint32_t)hl;
		uint32_t seq = (uint32_t)t[4] << 24 | (uint32_t)t[5] << 16 | t[6] << 8 | t[7];

		if (s.len[i] - 14 > 1500 || (v6 ? rd16be(ip + 4) != s.len[i] - 54u
					     : rd16be(ip + 2) != s.len[i] - 14u))
			bad_len++;
		if ((!v6 && !ref_ipv4_ok(ip)) ||
		    rd16be(t + 16) != ref_l4_csum(ip, v6, 6, t, s.len[i] - 14 - ipl, 16))
			bad_csum++;
		if (seq != seq0 + (uint32_t)got)
			bad_seq++;
		if ((i == 0) != !!(t[13] & 0x80) || (i == s.n - 1) != !!(t[13] & 0x01) ||
		    (i == s.n - 1) != !!(t[13] & 0x08) || !(t[13] & 0x10))
			bad_flags++;
		memcpy(stream + got, s.data[i] + hl, plen);
		got += plen;
	}
	ok(!bad_len && !bad_csum, "IPv%d: lengths and checksums of every segment", v6 ? 6 : 4);
	ok(!bad_seq && !bad_flags, "IPv%d: sequence numbers (across the wrap) and flags",
	   v6 ? 6 : 4);
	ok(got == 5000 && !memcmp(stream, f + hl, 5000), "IPv%d: the payload is the original",
	   v6 ? 6 : 4);
	dp_packet_delete(p);
}

int main(void)
{
	uint8_t f[128];
	size_t n = build_ipv4(f, 17, "10.0.0.1", "10.0.0.2", 1, 2, 40);
	struct dp_packet *p = dp_packet_new(f, (uint32_t)n, 64);
	struct dp_key key;
	struct segs s;

	check(0);
	check(1);
	dp_packet_extract(p, &key);
	s.n = 0;
	p->gso_type = DP_GSO_TCPV4;
	p->gso_size = 20;
	ok(dp_gso_segment(p, 20, collect, &s) < 0 && s.n == 0,
	   "a UDP packet that claims TCPv4 GSO is refused");
	dp_packet_delete(p);
	return done();
}

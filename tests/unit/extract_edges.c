/*
 * Unit tests for extract.c at its edges: every prefix of several frames,
 * read from a buffer that ends at a guard page (so a read past 'len' faults
 * even without ASan), and the header offsets of dp_extract_hdrs().
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "extract.h"
#include "frames.h"
#include "tap.h"

/*
 * Every prefix of a frame, read from a buffer whose end is the end of a
 * readable page: a read past 'len' hits the guard page and kills the test.
 * Fields of layers that are whole in the prefix must match the full frame.
 */
static int sweep(const struct frame *f, const char *what)
{
	long pg = sysconf(_SC_PAGESIZE);
	uint8_t *area = mmap(NULL, (size_t)pg * 2, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct dp_key full, k;
	size_t n;
	int bad = 0;

	if (area == MAP_FAILED || mprotect(area + pg, (size_t)pg, PROT_NONE)) {
		note("mmap: %s", strerror(errno));
		return 0;
	}
	extract(f, &full);
	for (n = 0; n <= f->len; n++) {
		uint8_t *p = area + pg - n;

		memcpy(p, f->b, n);
		dp_key_init(&k);
		if (dp_extract(p, n, &k) != (n < 14 ? -EINVAL : 0))
			bad++;
		if (n >= 14 && (memcmp(k.eth_src, full.eth_src, 6) ||
				memcmp(k.eth_dst, full.eth_dst, 6)))
			bad++;
		if (n == f->len && memcmp(&k, &full, sizeof k))
			bad++;
	}
	munmap(area, (size_t)pg * 2);
	if (bad)
		note("%s: %d bad prefixes", what, bad);
	return !bad;
}

static void test_truncation(void)
{
	struct frame f;
	size_t ip;

	eth_hdr(&f, 0x8100);
	put16(&f, 5);
	put16(&f, 0x0800);
	ip = ip4_hdr(&f, 6, 6, 0);
	tcp_hdr(&f, 1, 2, 6, 0x2);
	ip4_fix(&f, ip);
	ok(sweep(&f, "vlan tcp4"), "every prefix of VLAN/IPv4+options/TCP");

	eth_hdr(&f, 0x86dd);
	ip = ip6_hdr(&f, 0);
	ext8(&f, 44);
	frag6(&f, 58, 0, 1);
	put8(&f, 135);
	put8(&f, 0);
	put16(&f, 0);
	put32(&f, 0);
	put(&f, V6_B, 16);
	lla(&f, 1, MAC_A);
	lla(&f, 2, MAC_B);
	ip6_fix(&f, ip);
	ok(sweep(&f, "nd"), "every prefix of IPv6/hop/fragment/ND with options");

	eth_hdr(&f, 0x88a8);
	put16(&f, 1);
	put16(&f, 0x8100);
	put16(&f, 2);
	put16(&f, 0x0806);
	put16(&f, 1);
	put16(&f, 0x0800);
	put8(&f, 6);
	put8(&f, 4);
	put16(&f, 1);
	put(&f, MAC_A, 6);
	put32(&f, 1);
	put(&f, MAC_B, 6);
	put32(&f, 2);
	ok(sweep(&f, "qinq arp"), "every prefix of QinQ/ARP");

	eth_hdr(&f, 0x0030);
	put8(&f, 0xaa);
	put8(&f, 0xaa);
	put8(&f, 3);
	put8(&f, 0);
	put16(&f, 0);
	put16(&f, 0x8847);
	put32(&f, 1 << 12);
	put32(&f, 2 << 12 | 1 << 8);
	ok(sweep(&f, "snap mpls"), "every prefix of SNAP/MPLS");

	eth_hdr(&f, 0x86dd);
	ip = ip6_hdr(&f, 60);
	put8(&f, 43);
	put8(&f, 1);                    /* 16 bytes */
	put16(&f, 0);
	put32(&f, 0);
	put32(&f, 0);
	put32(&f, 0);
	ext8(&f, 51);
	put8(&f, 17);
	put8(&f, 1);
	put16(&f, 0);
	put32(&f, 0);
	put32(&f, 0);
	udp_hdr(&f, 1, 2);
	ip6_fix(&f, ip);
	ok(sweep(&f, "v6 chain"), "every prefix of IPv6/dest/routing/AH/UDP");
}

static int hdrs_are(const struct frame *f, unsigned int l2_5,
		     unsigned int l3, unsigned int l4)
{
	struct dp_key k, k2;
	struct dp_hdrs h;

	dp_key_init(&k);
	dp_key_init(&k2);
	dp_extract_hdrs(f->b, f->len, &k, &h);
	dp_extract(f->b, f->len, &k2);
	if (h.l2_5 == l2_5 && h.l3 == l3 && h.l4 == l4 &&
	    !memcmp(&k, &k2, sizeof k))
		return 1;
	note("l2_5 %u l3 %u l4 %u, want %u %u %u", h.l2_5, h.l3, h.l4,
	     l2_5, l3, l4);
	return 0;
}

static void test_hdrs(void)
{
	const unsigned int N = DP_HDR_NONE;
	struct frame f;
	size_t ip;

	eth_hdr(&f, 0x0800);
	ip = ip4_hdr(&f, 6, 6, 0);
	tcp_hdr(&f, 1, 2, 5, 0);
	ip4_fix(&f, ip);
	ok(hdrs_are(&f, N, 14, 38), "offsets: IPv4 with options, TCP");
	f.b[ip + 7] = 0x10;             /* fragment offset 16: later */
	ok(hdrs_are(&f, N, 14, N), "offsets: a later fragment has no L4");
	f.b[ip] = 0x43;                 /* ihl 3 */
	ok(hdrs_are(&f, N, 14, N), "offsets: a bad IPv4 header has no L4");

	eth_hdr(&f, 0x8100);
	put16(&f, 1);
	put16(&f, 0x86dd);
	ip = ip6_hdr(&f, 0);
	ext8(&f, 17);
	udp_hdr(&f, 1, 2);
	ip6_fix(&f, ip);
	ok(hdrs_are(&f, N, 18, 66), "offsets: VLAN, IPv6, hop-by-hop, UDP");

	eth_hdr(&f, 0x8847);
	put32(&f, 1 << 12);
	put32(&f, 2 << 12 | 1 << 8);
	ok(hdrs_are(&f, 14, 22, N), "offsets: MPLS stack and what follows");
	f.len -= 4;
	ok(hdrs_are(&f, 14, N, N), "offsets: MPLS without its bottom");

	eth_hdr(&f, 0x0026);
	put8(&f, 0xaa);
	put8(&f, 0xaa);
	put8(&f, 3);
	put8(&f, 0);
	put16(&f, 0);
	put16(&f, 0x0806);
	ok(hdrs_are(&f, N, 22, N), "offsets: SNAP, then ARP");

	f.len = 10;
	ok(hdrs_are(&f, N, N, N), "offsets: none for a runt");
}

int main(void)
{
	test_truncation();
	test_hdrs();
	return done();
}

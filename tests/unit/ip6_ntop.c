/*
 * ip6_ntop.c - lib/ip6_ntop against glibc's inet_ntop(), on addresses of
 * every shape: zero runs of each length at each place (two runs of equal
 * length, runs at either end), IPv4-compatible and -mapped forms and
 * their near misses, and random ones.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "ip6_ntop.h"
#include "tap.h"

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static unsigned bad;

static void check(const uint8_t a[16])
{
	char want[INET6_ADDRSTRLEN], got[IP6_NTOP_MAX];
	size_t n;

	inet_ntop(AF_INET6, a, want, sizeof want);
	n = ip6_ntop(a, got);
	got[n] = '\0';
	if (strcmp(want, got) && bad++ < 5)
		note("inet_ntop %s, ip6_ntop %s", want, got);
}

int main(void)
{
	uint8_t a[16];
	unsigned mask, i, j, n = 0;

	/* Each group zero, one, a small value or full: 4^8 patterns. */
	for (mask = 0; mask < 65536; mask++) {
		for (i = 0; i < 8; i++) {
			static const unsigned v[] = { 0, 1, 0xab, 0xffff };
			unsigned x = v[(mask >> (2 * i)) & 3];

			a[2 * i] = (uint8_t)(x >> 8);
			a[2 * i + 1] = (uint8_t)x;
		}
		check(a);
		n++;
	}
	ok(!bad, "%u addresses made of 0, 1, 0xab and 0xffff groups: as inet_ntop", n);

	bad = 0;
	for (i = 0; i < 200000; i++) {
		for (j = 0; j < 16; j++)
			a[j] = (uint8_t)rnd();
		/* Some zero bytes and groups, some v4 forms. */
		for (j = rnd() % 12; j; j--)
			a[rnd() % 16] = 0;
		if (rnd() % 8 == 0) {
			memset(a, 0, 10);
			if (rnd() % 2)
				a[10] = a[11] = 0xff;
			else if (rnd() % 2)
				a[10] = a[11] = 0;
		}
		check(a);
	}
	ok(!bad, "200,000 random addresses with zero runs and IPv4 forms: as inet_ntop");
	return done();
}

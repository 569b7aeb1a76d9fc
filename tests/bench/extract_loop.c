/*
 * extract_loop - dp_extract() over every packet of a capture held in memory,
 * for measuring the extractor alone (tests/bench/flowtrace.sh runs it under
 * callgrind, collecting only inside dp_extract).
 *
 *   extract_loop FILE.pcap [ROUNDS [MAX]]
 *
 * ROUNDS passes over the first MAX packets (all by default): with a few
 * thousand packets they stay in cache, and the rate is the extractor's own.
 * Reads a classic little-endian Ethernet pcap itself (no libpcap, so the
 * loop is nothing but extraction) and prints packets and a checksum of the
 * keys, so the work cannot be optimised away.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"

struct pkt {
	const unsigned char *p;
	uint32_t len;
};

int main(int argc, char **argv)
{
	long size, rounds = argc > 2 ? atol(argv[2]) : 1, r, ofs;
	long max = argc > 3 ? atol(argv[3]) : 0, np = 0, i;
	struct dp_key key;
	uint64_t sum = 0, n = 0;
	unsigned char *data;
	struct pkt *pk;
	FILE *f;

	if (argc < 2 || !(f = fopen(argv[1], "rb"))) {
		fprintf(stderr, "usage: extract_loop FILE.pcap [ROUNDS]\n");
		return 2;
	}
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	data = malloc((size_t)size);
	if (!data || fread(data, 1, (size_t)size, f) != (size_t)size ||
	    size < 24 || memcmp(data, "\xd4\xc3\xb2\xa1", 4)) {
		fprintf(stderr, "extract_loop: %s: not a little-endian pcap\n",
			argv[1]);
		return 1;
	}
	fclose(f);
	pk = calloc((size_t)size / 16 + 1, sizeof *pk);
	if (!pk)
		return 1;
	for (ofs = 24; ofs + 16 <= size && (!max || np < max); np++) {
		uint32_t caplen;

		memcpy(&caplen, data + ofs + 8, 4);
		if (ofs + 16 + (long)caplen > size)
			break;
		pk[np].p = data + ofs + 16;
		pk[np].len = caplen;
		ofs += 16 + (long)caplen;
	}
	dp_key_init(&key);
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < np; i++) {
			dp_extract(pk[i].p, pk[i].len, &key);
			sum += key.tp_src ^ key.l3.ipv4.src ^ key.eth_type;
			n++;
		}
	}
	printf("%llu packets, checksum %llx\n", (unsigned long long)n,
	       (unsigned long long)sum);
	free(pk);
	free(data);
	return 0;
}

/*
 * extract_loop - dp_extract() over every packet of a capture held in memory,
 * for measuring the extractor alone (tests/bench/flowtrace.sh runs it under
 * callgrind, collecting only inside dp_extract).
 *
 *   extract_loop FILE.pcap [ROUNDS]
 *
 * Reads a classic little-endian Ethernet pcap itself (no libpcap, so the
 * loop is nothing but extraction) and prints packets and a checksum of the
 * keys, so the work cannot be optimised away.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"

int main(int argc, char **argv)
{
	struct dp_key key;
	uint64_t sum = 0, n = 0;
	unsigned char *data;
	long size, rounds = argc > 2 ? atol(argv[2]) : 1, r;
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
	dp_key_init(&key);
	for (r = 0; r < rounds; r++) {
		long ofs = 24;

		while (ofs + 16 <= size) {
			uint32_t caplen;

			memcpy(&caplen, data + ofs + 8, 4);
			if (ofs + 16 + (long)caplen > size)
				break;
			dp_extract(data + ofs + 16, caplen, &key);
			sum += key.tp_src ^ key.l3.ipv4.src ^ key.eth_type;
			n++;
			ofs += 16 + (long)caplen;
		}
	}
	printf("%llu packets, checksum %llx\n", (unsigned long long)n,
	       (unsigned long long)sum);
	free(data);
	return 0;
}

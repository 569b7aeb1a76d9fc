/*
 * Fuzz target: bytes as a capture file -> flowtrace's keys -> text.
 *
 * The input goes through the path "flowtrace -r FILE" takes (libpcap's
 * pcap/pcapng reader, the link-type handling of capture.c, dp_extract())
 * and every key is printed in each format, one line per packet and with
 * --unique, into /dev/null; the bytes after a pcap file header also go
 * through capture_records(), flowtrace's own reader of plain pcap files.
 * flowtrace's own sources are compiled in here,
 * as make fuzz builds a target from its file and lib/ only.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../cmd/flowtrace/capture.c"
#include "../../cmd/flowtrace/json.c"
#include "../../cmd/flowtrace/keytab.c"
#include "../../cmd/flowtrace/output.c"

#include "extract.h"

#define MAX_PACKETS 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void run(const uint8_t *data, size_t size, enum out_format f,
		bool unique, int devnull)
{
	struct dp_err err = { 0, "" };
	struct pcap_pkthdr *h;
	const u_char *frame;
	struct capture cap;
	struct output out;
	struct dp_key key;
	int n = 0;
	FILE *fp;

	output_init(&out, f, "drop", unique, devnull);
	fp = fmemopen((void *)(uintptr_t)data, size, "rb");
	if (!fp) {
		output_free(&out);
		return;
	}
	if (capture_open_stream(&cap, fp, "fuzz", &err)) {
		if (!cap.pcap)
			fclose(fp);
		capture_close(&cap);
		output_free(&out);
		return;
	}
	dp_key_init(&key);
	key.in_port = 3;
	while (n++ < MAX_PACKETS && pcap_next_ex(cap.pcap, &h, &frame) == 1) {
		const uint8_t *pkt;
		size_t len;
		bool refused;

		capture_frame(&cap, frame, h->caplen, &pkt, &len, &key);
		refused = dp_extract(pkt, len, &key) != 0;
		output_packet(&out, &key, h->len, refused, h->caplen < h->len);
	}
	output_finish(&out);
	capture_close(&cap);
	output_free(&out);
}

struct rec_state {
	struct capture cap;
	struct output out;
	struct dp_key key;
	int n, stop;
};

static void on_record(u_char *user, const struct pcap_pkthdr *h,
		      const u_char *frame)
{
	struct rec_state *s = (struct rec_state *)(void *)user;
	const uint8_t *pkt;
	size_t len;
	bool refused;

	capture_frame(&s->cap, frame, h->caplen, &pkt, &len, &s->key);
	refused = dp_extract(pkt, len, &s->key) != 0;
	output_packet(&s->out, &s->key, h->len, refused, h->caplen < h->len);
	if (++s->n >= MAX_PACKETS)
		s->stop = 1;
}

/* The records after a 24-byte file header, by capture_records(), in both
 * byte orders, with a snap length from the header's bytes. */
static void run_records(const uint8_t *data, size_t size, int devnull)
{
	struct rec_state *s;
	uint32_t limit;
	int swap;

	if (size < 24)
		return;
	s = calloc(1, sizeof *s);
	if (!s)
		return;
	memcpy(&limit, data + 16, 4);
	limit %= 262145;
	s->cap.dlt = data[20] % 2 ? DLT_EN10MB : DLT_LINUX_SLL;
	dp_key_init(&s->key);
	for (swap = 0; swap < 2; swap++) {
		size_t used;

		output_init(&s->out, OUT_DPCTL, "drop", false, devnull);
		s->n = s->stop = 0;
		used = capture_records(data + 24, size - 24, swap, limit,
				       on_record, (u_char *)s, &s->stop);
		if (used > size - 24)
			abort();
		output_finish(&s->out);
		output_free(&s->out);
	}
	free(s->cap.scratch);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int devnull = -1;

	if (devnull < 0)
		devnull = open("/dev/null", O_WRONLY);
	if (!size)
		return 0;
	run(data, size, OUT_OF, false, devnull);
	run(data, size, OUT_JSON, false, devnull);
	run(data, size, OUT_OF, true, devnull);
	run(data, size, OUT_DPCTL, false, devnull);
	run_records(data, size, devnull);
	return 0;
}

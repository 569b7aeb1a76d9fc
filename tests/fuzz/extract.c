/*
 * Fuzz target: bytes -> dp_extract() -> ovs-ofctl text.
 *
 * The input is a frame; its first byte (when there is one) also picks the
 * mode: odd means an L3 packet whose protocol is the next two bytes, as an
 * L3 port hands it over (the frame then starts after them).  libFuzzer's
 * buffer is exactly the input's size, so ASan catches any read past 'len'.
 * Checked beyond not crashing: the extractor leaves metadata and tunnel
 * fields alone, gives the same key twice, and fails only where the kernel
 * would.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "extract.h"
#include "ofp_match_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dp_key k1, k2;
	struct buf b = BUF_INIT;
	const uint8_t *pkt = data;
	size_t len = size;
	uint8_t *copy;
	int rc1, rc2;

	dp_key_init(&k1);
	k1.in_port = 5;
	k1.skb_mark = 0xabcd;
	k1.tun.id = 77;
	k1.ct_orig.v4.src = 0x01020304;
	if (size >= 3 && (data[0] & 1)) {
		k1.mac_proto = DP_MAC_NONE;
		memcpy(&k1.eth_type, data + 1, 2);
		pkt = data + 3;
		len = size - 3;
	}
	k2 = k1;

	/* An exact-size heap copy, so a read past the end is caught even
	 * where libFuzzer's own buffer has slack (pkt + len is its end). */
	copy = malloc(len ? len : 1);
	if (!copy)
		return 0;
	memcpy(copy, pkt, len);
	rc1 = dp_extract(copy, len, &k1);
	rc2 = dp_extract(copy, len, &k2);
	free(copy);

	if (rc1 != rc2 || memcmp(&k1, &k2, sizeof k1))
		abort();                        /* not deterministic */
	if (rc1 && rc1 != -EINVAL)
		abort();
	if (k1.in_port != 5 || k1.skb_mark != 0xabcd || k1.tun.id != 77 ||
	    k1.ct_orig.v4.src != 0x01020304)
		abort();                        /* metadata touched */
	if (k1.mac_proto == DP_MAC_ETH && (len < 14) != (rc1 != 0))
		abort();

	ofp_match_format_dp(&b, &k1, NULL, NULL);
	if (!buf_ok(&b))
		abort();
	buf_free(&b);
	return 0;
}

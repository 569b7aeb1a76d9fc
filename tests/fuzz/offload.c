/*
 * Fuzz target: a virtio-net header and a frame, as a port with vnet
 * headers receives them (both untrusted: the header's gso_size, csum_start
 * and csum_offset may say anything) -> dp_offload_from_vnet() ->
 * dp_packet_extract() -> dp_offload_rx(); what it keeps is then cut into
 * segments (dp_gso_segment()), counted (dp_gso_segs()), written back into
 * a header (dp_offload_to_vnet()) and completed (dp_csum_complete()).
 *
 * Input: 10 bytes of struct virtio_net_hdr, 2 bytes of MTU, the frame.
 * Checked beyond not crashing: whatever dp_offload_rx() accepts follows its
 * rules (a GSO packet is partial at its L4 header, with a header length
 * inside the frame), and every segment fits DP_GSO_MAX_FRAME and carries
 * no offload state.
 */
#include <linux/virtio_net.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dp_csum.h"
#include "dp_gso.h"
#include "dp_offload.h"
#include "packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void emit(void *aux, const struct dp_packet *seg)
{
	unsigned *n = aux;

	if (seg->len > DP_GSO_MAX_FRAME || seg->gso_type ||
	    (seg->ol_flags & DP_OL_CSUM_PARTIAL))
		abort();
	(*n)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct virtio_net_hdr vh, back;
	struct dp_packet *p;
	struct dp_key key;
	uint64_t bytes;
	unsigned n = 0;
	uint32_t mtu;
	int r;

	if (size < sizeof vh + 2)
		return 0;
	memcpy(&vh, data, sizeof vh);
	mtu = (uint32_t)data[sizeof vh] << 8 | data[sizeof vh + 1];
	p = dp_packet_new(data + sizeof vh + 2, (uint32_t)(size - sizeof vh - 2),
			  DP_PACKET_HEADROOM);
	if (!p)
		return 0;
	p->md.in_port = 1;
	dp_offload_from_vnet(p, &vh);
	if (vh.flags & 0x80)            /* the no-vnet-header path */
		p->ol_flags = (p->ol_flags & DP_OL_CSUM_PARTIAL) | DP_OL_INFER,
		p->gso_type = 0, p->gso_size = 0;
	if (dp_packet_extract(p, &key) == 0) {
		r = dp_offload_rx(p, &key, mtu);
		if (r == 0 && p->gso_type &&
		    (!(p->ol_flags & DP_OL_CSUM_PARTIAL) || !p->gso_size ||
		     !dp_gso_hdr_len(p) || dp_gso_hdr_len(p) > p->len))
			abort();
		if (r == 0) {
			dp_gso_segs(p, &bytes);
			dp_offload_to_vnet(p, &back);
			if (p->gso_type && p->gso_size >= 64)
				dp_gso_segment(p, p->gso_size, emit, &n);
			dp_csum_complete(p);
		}
	}
	dp_packet_delete(p);
	return 0;
}

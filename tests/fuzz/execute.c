/*
 * Fuzz target: arbitrary packets x arbitrary (unchecked) action lists.
 * Parsing, every action, nested lists, recirculation and TCP segmentation
 * must never crash or touch memory outside the packet; ASan/UBSan check
 * that.
 *
 * Input: byte 0 flags (bit 0: L3 packet, bit 1: partial checksum), bytes
 * 1-2 packet length L (little endian, capped by what is there), then L
 * packet bytes, then the action attribute stream.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dp_csum.h"
#include "dp_gso.h"
#include "packet.h"
#include "execute.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile uint8_t sink;

static void touch(const struct dp_packet *p, uint32_t len)
{
	uint32_t i;
	uint8_t x = 0;

	for (i = 0; i < len; i++)
		x ^= p->data[i];
	sink = x;
}

static void cb_output(void *aux, uint32_t port, struct dp_packet *p,
		      uint32_t len)
{
	(void)aux;
	(void)port;
	touch(p, len);
}

static void cb_userspace(void *aux, const struct dp_exec_upcall *u,
			 const struct dp_packet *p, const struct dp_key *key)
{
	(void)aux;
	(void)key;
	touch(p, u->len);
	if (u->userdata_len)
		sink = ((const uint8_t *)u->userdata)[u->userdata_len - 1];
}

struct ctx {
	const void *acts;
	size_t len;
};

static void cb_recirc(void *aux, struct dp_exec *x, struct dp_packet *p,
		      struct dp_key *key)
{
	struct ctx *c = aux;

	/* Every recirculation "matches" a flow with the same actions. */
	dp_execute_nested(x, p, key, c->acts, c->len);
}

static void emit(void *aux, const struct dp_packet *seg)
{
	(void)aux;
	touch(seg, seg->len);
}

static const struct dp_exec_cb cbs = { cb_output, cb_userspace, cb_recirc };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dp_packet *p;
	struct dp_exec x;
	struct dp_key key;
	struct ctx c;
	size_t plen;

	if (size < 3)
		return 0;
	plen = (size_t)data[1] | (size_t)data[2] << 8;
	if (plen > size - 3)
		plen = size - 3;
	p = dp_packet_new(data + 3, (uint32_t)plen, (data[0] & 4) ? 0 : DP_PACKET_HEADROOM);
	if (!p)
		return 0;
	if (data[0] & 1)
		p->mac_proto = DP_MAC_NONE;
	p->md.in_port = 1;
	c.acts = data + 3 + plen;
	c.len = size - 3 - plen;
	if (dp_packet_extract(p, &key) == 0) {
		if (data[0] & 2) {
			p->ol_flags |= DP_OL_CSUM_PARTIAL;
			p->csum_start = p->l4 != DP_OFS_NONE ? p->l4 : 0;
			p->csum_offset = data[0] >> 4;
		}
		dp_exec_check_supported(c.acts, c.len, NULL);
		dp_exec_init(&x, &cbs, &c, 1);
		dp_execute(&x, p, &key, c.acts, c.len);
		dp_csum_complete(p);
		touch(p, p->len);
		/* Segmentation of whatever the actions left. */
		dp_packet_extract(p, &key);
		p->gso_type = data[0] & 8 ? DP_GSO_TCPV6 : DP_GSO_TCPV4;
		p->gso_size = (uint16_t)(8u + data[0] * 8u);
		dp_gso_segment(p, p->gso_size, emit, NULL);
	}
	dp_packet_delete(p);
	return 0;
}

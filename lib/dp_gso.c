/* dp_gso.c - TCP segmentation in software; see dp_gso.h. */
#include <errno.h>
#include <string.h>

#include "dp_csum.h"
#include "dp_gso.h"

static uint32_t rd32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static void wr32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

static void wr16(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

int dp_gso_tcp(const struct dp_packet *p, uint32_t mtu,
	       void (*emit)(void *aux, const struct dp_packet *seg), void *aux)
{
	uint8_t buf[DP_GSO_MAX_FRAME];
	const uint8_t *ip, *th;
	uint32_t hlen, end, payload, off, seq, mss, id = 0;
	struct dp_packet seg;
	int v6, n = 0;
	uint16_t c;

	if (p->l3 == DP_OFS_NONE || p->l4 == DP_OFS_NONE ||
	    !(ip = dp_packet_at(p, p->l3, 20)))
		return -EINVAL;
	v6 = ip[0] >> 4 == 6;
	if (v6) {
		if (!dp_packet_at(p, p->l3, 40) || ip[6] != 6 || p->l4 != p->l3 + 40u)
			return -EINVAL;
		end = p->l3 + 40u + ((uint32_t)ip[4] << 8 | ip[5]);
	} else {
		if (ip[0] >> 4 != 4 || ip[9] != 6 || (ip[6] & 0x3f) || ip[7])
			return -EINVAL;         /* not TCP, or a fragment */
		end = p->l3 + ((uint32_t)ip[2] << 8 | ip[3]);
		id = (uint32_t)ip[4] << 8 | ip[5];
	}
	th = dp_packet_at(p, p->l4, 20);
	if (!th || end > p->len)
		return -EINVAL;
	hlen = p->l4 + (th[12] >> 4) * 4u;
	if ((th[12] >> 4) < 5 || hlen > end || mtu <= hlen - p->l3)
		return -EINVAL;
	mss = mtu - (hlen - p->l3);
	if (hlen + mss > sizeof buf)
		return -EINVAL;
	payload = end - hlen;
	seq = rd32(th + 4);
	for (off = 0; off < payload || (payload == 0 && n == 0); off += mss) {
		uint32_t len = payload - off < mss ? payload - off : mss;
		int last = off + len >= payload;
		uint8_t *sip = buf + p->l3, *st = buf + p->l4;

		memcpy(buf, p->data, hlen);
		memcpy(buf + hlen, p->data + hlen + off, len);
		if (v6) {
			wr16(sip + 4, hlen - p->l3 - 40 + len);
		} else {
			wr16(sip + 2, hlen - p->l3 + len);
			wr16(sip + 4, id + (uint32_t)n);
			c = dp_csum_ipv4_hdr(sip, (sip[0] & 15) * 4u);
			memcpy(sip + 10, &c, 2);
		}
		wr32(st + 4, seq + off);
		if (!last)
			st[13] &= (uint8_t)~0x09;       /* FIN, PSH */
		if (n)
			st[13] &= (uint8_t)~0x80;       /* CWR */
		dp_packet_use(&seg, buf, sizeof buf, 0, hlen + len);
		seg.mac_proto = p->mac_proto;
		seg.l2_5 = p->l2_5;
		seg.l3 = p->l3;
		seg.l4 = p->l4;
		seg.md = p->md;
		c = (uint16_t)dp_csum_l4(&seg, v6 ? 6 : 4, 6);
		memcpy(st + 16, &c, 2);
		emit(aux, &seg);
		n++;
		if (last)
			break;
	}
	return n;
}

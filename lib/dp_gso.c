/* dp_gso.c - GSO super-frames cut in software; see dp_gso.h. */
#include <errno.h>
#include <string.h>

#include "dp_csum.h"
#include "dp_gso.h"

static uint32_t rd16(const uint8_t *b)
{
	return (uint32_t)b[0] << 8 | b[1];
}

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

uint32_t dp_gso_l4(const struct dp_packet *p)
{
	return p->ol_flags & DP_OL_CSUM_PARTIAL ? p->csum_start : p->l4;
}

static int is_tcp(const struct dp_packet *p)
{
	return p->gso_type == DP_GSO_TCPV4 || p->gso_type == DP_GSO_TCPV6;
}

uint32_t dp_gso_hdr_len(const struct dp_packet *p)
{
	uint32_t l4 = dp_gso_l4(p), n;
	const uint8_t *h;

	if (l4 == DP_OFS_NONE)
		return 0;
	if (is_tcp(p)) {
		h = dp_packet_at(p, l4, 20);
		n = h ? (h[12] >> 4) * 4u : 0;
	} else if (p->gso_type == DP_GSO_UDP_L4) {
		n = 8;
	} else {
		return 0;
	}
	return n >= 8 && dp_packet_at(p, l4, n) ? l4 + n : 0;
}

uint32_t dp_gso_mss_for_mtu(const struct dp_packet *p, uint32_t mtu)
{
	uint32_t hlen = dp_gso_hdr_len(p);

	if (!hlen || p->l3 == DP_OFS_NONE || hlen <= p->l3 || mtu <= hlen - p->l3)
		return 0;
	return mtu - (hlen - p->l3);
}

uint32_t dp_gso_segs(const struct dp_packet *p, uint64_t *wire_bytes)
{
	uint32_t hlen = p->gso_type && p->gso_size ? dp_gso_hdr_len(p) : 0, n;

	*wire_bytes = p->len;
	if (!hlen || p->len <= hlen)
		return 1;
	n = (p->len - hlen + p->gso_size - 1) / p->gso_size;
	*wire_bytes += (uint64_t)(n - 1) * hlen;
	return n;
}

int dp_gso_segment(const struct dp_packet *p, uint32_t mss,
		   void (*emit)(void *aux, const struct dp_packet *seg), void *aux)
{
	uint8_t buf[DP_GSO_MAX_FRAME];
	uint32_t l3 = p->l3, l4 = dp_gso_l4(p), hlen = dp_gso_hdr_len(p);
	uint32_t end, payload, off, seq = 0, id = 0;
	const uint8_t *ip;
	struct dp_packet seg;
	int v6, tcp = is_tcp(p), n = 0;
	uint16_t c;

	if (!hlen || !mss || l3 == DP_OFS_NONE || l3 + 20 > l4 ||
	    !(ip = dp_packet_at(p, l3, 20)))
		return -EINVAL;
	v6 = ip[0] >> 4 == 6;
	if (v6) {
		if (l3 + 40 > l4 || p->gso_type == DP_GSO_TCPV4)
			return -EINVAL;
		end = l3 + 40 + rd16(ip + 4);
	} else {
		if (ip[0] >> 4 != 4 || p->gso_type == DP_GSO_TCPV6 ||
		    ip[9] != (tcp ? 6 : 17) || (ip[6] & 0x3f) || ip[7] ||
		    l3 + (ip[0] & 15) * 4u != l4)
			return -EINVAL;         /* not what gso_type says */
		end = l3 + rd16(ip + 2);
		id = rd16(ip + 4);
	}
	if (end > p->len || end < hlen || hlen + mss > sizeof buf)
		return -EINVAL;
	payload = end - hlen;
	if (tcp)
		seq = rd32(p->data + l4 + 4);
	for (off = 0; off < payload || n == 0; off += mss) {
		uint32_t len = payload - off < mss ? payload - off : mss;
		int last = off + len >= payload;
		uint8_t *sip = buf + l3, *sl4 = buf + l4;

		memcpy(buf, p->data, hlen);
		memcpy(buf + hlen, p->data + hlen + off, len);
		if (v6) {
			wr16(sip + 4, hlen - l3 - 40 + len);
		} else {
			wr16(sip + 2, hlen - l3 + len);
			wr16(sip + 4, id + (uint32_t)n);
			c = dp_csum_ipv4_hdr(sip, (sip[0] & 15) * 4u);
			memcpy(sip + 10, &c, 2);
		}
		if (tcp) {
			wr32(sl4 + 4, seq + off);
			if (!last)
				sl4[13] &= (uint8_t)~0x09;      /* FIN, PSH */
			if (n)
				sl4[13] &= (uint8_t)~0x80;      /* CWR */
		} else {
			wr16(sl4 + 4, 8 + len);
		}
		dp_packet_use(&seg, buf, sizeof buf, 0, hlen + len);
		seg.mac_proto = p->mac_proto;
		seg.eth_type = p->eth_type;
		seg.l2_5 = p->l2_5;
		seg.l3 = (uint16_t)l3;
		seg.l4 = (uint16_t)l4;
		seg.md = p->md;
		seg.mru = p->mru;
		c = (uint16_t)dp_csum_l4(&seg, v6 ? 6 : 4, tcp ? 6 : 17);
		memcpy(sl4 + (tcp ? 16 : 6), &c, 2);
		seg.ol_flags = DP_OL_CSUM_VALID;
		emit(aux, &seg);
		n++;
		if (last)
			break;
	}
	return n;
}

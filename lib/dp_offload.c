/* dp_offload.c - offload state of packets between ports; see dp_offload.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/openvswitch.h>
#include <string.h>

#include "dp_csum.h"
#include "dp_gso.h"
#include "dp_offload.h"

void dp_offload_from_vnet(struct dp_packet *p, const struct virtio_net_hdr *vh)
{
	if (vh->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
		p->ol_flags |= DP_OL_CSUM_PARTIAL;
		p->csum_start = vh->csum_start;
		p->csum_offset = vh->csum_offset;
	} else if (vh->flags & VIRTIO_NET_HDR_F_DATA_VALID) {
		p->ol_flags |= DP_OL_CSUM_VALID;
	}
	if (vh->gso_type != VIRTIO_NET_HDR_GSO_NONE) {
		p->gso_type = vh->gso_type & (uint8_t)~VIRTIO_NET_HDR_GSO_ECN;
		p->gso_size = vh->gso_size;
		if (vh->gso_type & VIRTIO_NET_HDR_GSO_ECN)
			p->ol_flags |= DP_OL_GSO_ECN;
	}
}

void dp_offload_to_vnet(const struct dp_packet *p, struct virtio_net_hdr *vh)
{
	uint32_t hlen;

	memset(vh, 0, sizeof *vh);
	if (p->ol_flags & DP_OL_CSUM_PARTIAL) {
		vh->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		vh->csum_start = p->csum_start;
		vh->csum_offset = p->csum_offset;
		vh->hdr_len = (uint16_t)(p->csum_start + p->csum_offset + 2);
	}
	if (p->gso_type && (hlen = dp_gso_hdr_len(p)) != 0) {
		vh->gso_type = p->gso_type;
		if (p->ol_flags & DP_OL_GSO_ECN)
			vh->gso_type |= VIRTIO_NET_HDR_GSO_ECN;
		vh->gso_size = p->gso_size;
		vh->hdr_len = (uint16_t)hlen;
	}
}

/* Where the IP packet at p->l3 ends, by its length field; 0 if that is
 * past the frame. */
static uint32_t ip_end(const struct dp_packet *p, int v6)
{
	const uint8_t *ip = dp_packet_at(p, p->l3, v6 ? 40 : 20);
	uint32_t end;

	if (!ip)
		return 0;
	end = v6 ? p->l3 + 40u + ((uint32_t)ip[4] << 8 | ip[5])
		 : p->l3 + ((uint32_t)ip[2] << 8 | ip[3]);
	return end <= p->len ? end : 0;
}

/* Make p's L4 checksum partial at p->l4, from scratch: the field gets the
 * pseudo-header sum over the L4 length, as the kernel's TCP and UDP leave
 * it for a device. */
static int set_partial(struct dp_packet *p, int v6, uint8_t proto, uint32_t ofs)
{
	uint32_t end = ip_end(p, v6), s;
	uint16_t c;

	if (!end || end < p->l4 + ofs + 2)
		return -EINVAL;
	s = v6 ? dp_csum_pseudo6(p->data + p->l3, proto, end - p->l4)
	       : dp_csum_pseudo4(p->data + p->l3, proto, end - p->l4);
	c = dp_csum_fold(s);
	memcpy(p->data + p->l4 + ofs, &c, 2);
	p->ol_flags |= DP_OL_CSUM_PARTIAL;
	p->csum_start = p->l4;
	p->csum_offset = (uint16_t)ofs;
	return 0;
}

/* SCTP's CRC32c, which a device was to fill in. */
static int fill_sctp(struct dp_packet *p)
{
	int64_t crc = dp_csum_sctp(p);
	uint8_t *h = dp_packet_at(p, p->l4, 12);

	if (crc < 0 || !h)
		return -EINVAL;
	h[8] = (uint8_t)crc;
	h[9] = (uint8_t)(crc >> 8);
	h[10] = (uint8_t)(crc >> 16);
	h[11] = (uint8_t)(crc >> 24);
	p->ol_flags &= (uint8_t)~DP_OL_CSUM_PARTIAL;
	p->ol_flags |= DP_OL_CSUM_VALID;
	return 0;
}

static void no_gso(struct dp_packet *p)
{
	p->gso_type = DP_GSO_NONE;
	p->gso_size = 0;
	p->ol_flags &= (uint8_t)~DP_OL_GSO_ECN;
}

/* DP_OL_INFER: the kernel said "checksum not ready" and nothing more. */
static void infer(struct dp_packet *p, int l4_csum_ofs, bool sctp, int v6,
		  uint32_t mtu)
{
	p->ol_flags &= (uint8_t)~DP_OL_INFER;
	if (!(p->ol_flags & DP_OL_CSUM_PARTIAL))
		return;
	if (sctp) {
		fill_sctp(p);
		return;
	}
	if (l4_csum_ofs < 0) {
		/* Nowhere to be known: left as it came, as before. */
		p->ol_flags &= (uint8_t)~DP_OL_CSUM_PARTIAL;
		return;
	}
	p->csum_start = p->l4;
	p->csum_offset = (uint16_t)l4_csum_ofs;
	/* Only TSO makes a TCP frame longer than the MTU. */
	if (l4_csum_ofs == 16 && p->len - p->l3 > mtu) {
		p->gso_type = v6 ? DP_GSO_TCPV6 : DP_GSO_TCPV4;
		p->gso_size = (uint16_t)dp_gso_mss_for_mtu(p, mtu);
		if (!p->gso_size)
			no_gso(p);
	}
}

int dp_offload_rx(struct dp_packet *p, const struct dp_key *key, uint32_t mtu)
{
	int v6 = key->eth_type == htons(0x86dd);
	bool l4ok = (v6 || key->eth_type == htons(0x0800)) && p->l4 != DP_OFS_NONE &&
		    p->l3 != DP_OFS_NONE && key->nw_frag == OVS_FRAG_TYPE_NONE;
	uint8_t proto = key->nw_proto;
	int ofs = !l4ok ? -1 : proto == 6 ? 16 : proto == 17 ? 6 : -1;
	bool sctp = l4ok && proto == 132;

	if (p->ol_flags & DP_OL_INFER)
		infer(p, ofs, sctp, v6, mtu);
	if (p->gso_type) {
		bool type_ok = p->gso_type == DP_GSO_UDP_L4 ? proto == 17
			     : p->gso_type == DP_GSO_TCPV4 ? !v6 && proto == 6
			     : p->gso_type == DP_GSO_TCPV6 ? v6 && proto == 6 : false;
		uint32_t hlen, end;

		if (ofs < 0 || !type_ok || !p->gso_size)
			return -EINVAL;
		if ((!(p->ol_flags & DP_OL_CSUM_PARTIAL) || p->csum_start != p->l4 ||
		     p->csum_offset != ofs) && set_partial(p, v6, proto, (uint32_t)ofs) < 0)
			return -EINVAL;
		hlen = dp_gso_hdr_len(p);
		end = ip_end(p, v6);
		if (!hlen || end < hlen)
			return -EINVAL;
		if (end - hlen <= p->gso_size)
			no_gso(p);      /* one segment: not really GSO */
	}
	if (!(p->ol_flags & DP_OL_CSUM_PARTIAL) ||
	    (ofs >= 0 && p->csum_start == p->l4 && p->csum_offset == ofs))
		return 0;
	/* Partial somewhere a set() would not keep right: complete it now. */
	if (sctp && p->csum_start == p->l4 && p->csum_offset == 8)
		return fill_sctp(p);
	return dp_csum_complete(p) < 0 ? -EINVAL : 0;
}

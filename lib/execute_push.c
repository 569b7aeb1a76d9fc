/* execute_push.c - actions that add or remove headers (VLAN, MPLS,
 * Ethernet) and dec_ttl, keeping the packet's header offsets right. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "dp_csum.h"
#include "execute.h"

static uint16_t rd16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static bool is_vlan(uint16_t t)
{
	return t == 0x8100 || t == 0x88a8;
}

uint32_t dp_exec_l2_end(const struct dp_packet *p)
{
	uint32_t ofs = 12;
	const uint8_t *h;

	if (p->mac_proto != DP_MAC_ETH)
		return 0;
	while ((h = dp_packet_at(p, ofs, 2)) && is_vlan(rd16(h)) &&
	       dp_packet_at(p, ofs, 6))
		ofs += 4;
	return ofs + 2 <= p->len ? ofs + 2 : p->len;
}

int dp_exec_push_vlan(struct dp_packet *p, uint16_t tpid, uint16_t tci)
{
	uint16_t t = tci & htons((uint16_t)~DP_VLAN_CFI);
	uint8_t *h;

	if (p->mac_proto != DP_MAC_ETH || p->len < 12)
		return -EINVAL;
	h = dp_packet_insert(p, 12, 4);
	if (!h)
		return -ENOMEM;
	memcpy(h, &tpid, 2);
	memcpy(h + 2, &t, 2);
	return 0;
}

int dp_exec_pop_vlan(struct dp_packet *p)
{
	const uint8_t *h = dp_packet_at(p, 12, 6);

	if (p->mac_proto != DP_MAC_ETH || !h || !is_vlan(rd16(h)))
		return 0;               /* nothing to pop: not an error */
	return dp_packet_remove(p, 12, 4);
}

int dp_exec_pop_eth(struct dp_packet *p)
{
	if (p->mac_proto != DP_MAC_ETH || p->len < 14)
		return -EINVAL;
	if (dp_exec_l2_end(p) != 14)
		return -EPROTO;         /* VLAN tagged: the kernel refuses */
	memcpy(&p->eth_type, p->data + 12, 2);
	if (dp_packet_remove(p, 0, 14) < 0)
		return -EINVAL;
	p->mac_proto = DP_MAC_NONE;
	return 0;
}

int dp_exec_push_eth(struct dp_packet *p, const uint8_t src[6],
		     const uint8_t dst[6], uint16_t ethertype)
{
	uint8_t *h;

	if (p->mac_proto != DP_MAC_NONE)
		return -EINVAL;
	h = dp_packet_insert(p, 0, 14);
	if (!h)
		return -ENOMEM;
	memcpy(h, dst, 6);
	memcpy(h + 6, src, 6);
	memcpy(h + 12, &ethertype, 2);
	p->mac_proto = DP_MAC_ETH;
	return 0;
}

int dp_exec_push_mpls(struct dp_packet *p, uint32_t lse, uint16_t ethertype,
		      bool l3_tunnel)
{
	uint32_t pos;
	uint8_t *h;
	int err;

	if (l3_tunnel && p->mac_proto == DP_MAC_ETH) {
		err = dp_exec_pop_eth(p);
		if (err < 0)
			return err;
	}
	pos = dp_exec_l2_end(p);
	if (p->mac_proto == DP_MAC_ETH && pos < 14)
		return -EINVAL;
	h = dp_packet_insert(p, pos, 4);
	if (!h)
		return -ENOMEM;
	memcpy(h, &lse, 4);
	if (p->mac_proto == DP_MAC_ETH)
		memcpy(p->data + pos - 2, &ethertype, 2);
	else
		p->eth_type = ethertype;
	p->l2_5 = (uint16_t)pos;
	return 0;
}

int dp_exec_pop_mpls(struct dp_packet *p, uint16_t ethertype)
{
	uint32_t pos = dp_exec_l2_end(p);
	const uint8_t *h;
	bool more;

	if (p->mac_proto == DP_MAC_ETH) {
		if (pos < 14 || !(rd16(p->data + pos - 2) == 0x8847 ||
				  rd16(p->data + pos - 2) == 0x8848))
			return 0;       /* not MPLS: nothing to pop */
	} else if (p->l2_5 != pos) {
		return 0;
	}
	h = dp_packet_at(p, pos, 4);
	if (!h)
		return -EINVAL;
	more = !(h[2] & 1);
	if (dp_packet_remove(p, pos, 4) < 0)
		return -EINVAL;
	if (p->mac_proto == DP_MAC_ETH)
		memcpy(p->data + pos - 2, &ethertype, 2);
	else
		p->eth_type = ethertype;
	p->l2_5 = more ? (uint16_t)pos : DP_OFS_NONE;
	if (!more)
		p->l3 = (uint16_t)pos;
	return 0;
}

int dp_exec_dec_ttl(struct dp_packet *p, const struct dp_key *key)
{
	uint16_t t = ntohs(key->eth_type), ow, nw;
	uint8_t *ip;

	if (t == 0x0800) {
		ip = p->l3 != DP_OFS_NONE ? dp_packet_at(p, p->l3, 20) : NULL;
		if (!ip)
			return -EINVAL;
		if (ip[8] <= 1)
			return -EHOSTUNREACH;
		memcpy(&ow, ip + 8, 2);
		ip[8]--;
		memcpy(&nw, ip + 8, 2);
		dp_csum_replace16(ip + 10, ow, nw, 0);
	} else if (t == 0x86dd) {
		ip = p->l3 != DP_OFS_NONE ? dp_packet_at(p, p->l3, 40) : NULL;
		if (!ip)
			return -EINVAL;
		if (ip[7] <= 1)
			return -EHOSTUNREACH;
		ip[7]--;
	}
	return 0;
}

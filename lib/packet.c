/* packet.c - packet buffers with headroom; see packet.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "packet.h"

_Static_assert(DP_HDR_NONE == DP_OFS_NONE, "extract and packet agree on 'none'");

void dp_packet_md_init(struct dp_packet_md *md, uint32_t port)
{
	memset(md, 0, sizeof *md);
	md->in_port = port;
}

/* The metadata part of the key, [0, DP_KEY_OFS_L2), from the packet. */
static void key_md(struct dp_key *key, const struct dp_packet *p)
{
	const struct dp_packet_md *md = &p->md;

	key->in_port = md->in_port;
	key->recirc_id = md->recirc_id;
	key->dp_hash = md->dp_hash;
	key->priority = md->priority;
	key->skb_mark = md->skb_mark;
	key->mac_proto = p->mac_proto;
	key->tun_proto = md->tun && md->tun_proto ? md->tun_proto : 0;
	key->ct_state = md->ct_state;
	key->ct_orig_proto = md->ct_orig_proto;
	key->ct_zone = md->ct_zone;
	key->pad0 = 0;
	key->ct_mark = md->ct_mark;
	memcpy(key->ct_labels, md->ct_labels, sizeof key->ct_labels);
}

/* Metadata, L2-L4 and header offsets; the caller has set the regions
 * after the L2-L4 one (conntrack original tuple, tunnel). */
static int extract_common(struct dp_packet *p, struct dp_key *key)
{
	struct dp_hdrs h;
	int r;

	key_md(key, p);
	/* The kernel takes an L3 packet's type from skb->protocol. */
	if (p->mac_proto != DP_MAC_ETH)
		key->eth_type = p->eth_type ? p->eth_type : !p->len ? 0
			      : (p->data[0] >> 4) == 6 ? htons(0x86dd) : htons(0x0800);
	r = dp_extract_hdrs(p->data, p->len, key, &h);
	p->l2_5 = h.l2_5;
	p->l3 = h.l3;
	p->l4 = h.l4;
	return r < 0 || !p->len ? -EINVAL : 0;
}

int dp_packet_extract(struct dp_packet *p, struct dp_key *key)
{
	memset((char *)key + DP_KEY_OFS_L2_END, 0, DP_KEY_SIZE - DP_KEY_OFS_L2_END);
	if (p->md.tun && p->md.tun_proto)
		key->tun = *p->md.tun;
	return extract_common(p, key);
}

int dp_packet_extract_reuse(struct dp_packet *p, struct dp_key *key)
{
	bool had_tun = key->tun_proto != 0;

	memset((char *)key + DP_KEY_OFS_L2_END, 0, DP_KEY_OFS_TUN - DP_KEY_OFS_L2_END);
	if (p->md.tun && p->md.tun_proto)
		key->tun = *p->md.tun;
	else if (had_tun)
		memset(&key->tun, 0, sizeof key->tun);
	return extract_common(p, key);
}

static void reset_meta(struct dp_packet *p)
{
	p->mac_proto = DP_MAC_ETH;
	p->eth_type = 0;
	p->l2_5 = p->l3 = p->l4 = DP_OFS_NONE;
	p->ol_flags = 0;
	p->gso_type = DP_GSO_NONE;
	p->gso_size = 0;
	p->csum_start = p->csum_offset = 0;
	p->hash = 0;
	p->mru = 0;
	dp_packet_md_init(&p->md, DP_PORT_NONE);
}

void dp_packet_use(struct dp_packet *p, void *base, uint32_t size,
		   uint32_t headroom, uint32_t len)
{
	p->base = base;
	p->data = p->base + headroom;
	p->len = len;
	p->size = size;
	p->owned = 0;
	reset_meta(p);
}

struct dp_packet *dp_packet_new(const void *data, uint32_t len,
				uint32_t headroom)
{
	struct dp_packet *p = malloc(sizeof *p);
	uint8_t *base = malloc((size_t)headroom + len + 1);

	if (!p || !base) {
		free(p);
		free(base);
		return NULL;
	}
	dp_packet_use(p, base, headroom + len + 1, headroom, len);
	p->owned = 1;
	if (len)
		memcpy(p->data, data, len);
	return p;
}

struct dp_packet *dp_packet_clone(const struct dp_packet *p)
{
	struct dp_packet *c = dp_packet_new(p->data, p->len, DP_PACKET_HEADROOM);
	uint8_t *base, *data;
	uint32_t size;

	if (!c)
		return NULL;
	base = c->base;
	data = c->data;
	size = c->size;
	*c = *p;
	c->base = base;
	c->data = data;
	c->size = size;
	c->owned = 1;
	return c;
}

void dp_packet_uninit(struct dp_packet *p)
{
	if (p->owned)
		free(p->base);
	p->base = p->data = NULL;
	p->len = p->size = 0;
	p->owned = 0;
}

void dp_packet_delete(struct dp_packet *p)
{
	if (p) {
		dp_packet_uninit(p);
		free(p);
	}
}

int dp_packet_own(struct dp_packet *p, uint32_t headroom)
{
	uint32_t size = headroom + p->len + 1;
	uint8_t *base = malloc(size);

	if (!base)
		return -ENOMEM;
	memcpy(base + headroom, p->data, p->len);
	if (p->owned)
		free(p->base);
	p->base = base;
	p->data = base + headroom;
	p->size = size;
	p->owned = 1;
	return 0;
}

static uint16_t shift_ofs(uint16_t o, uint32_t at, uint32_t n)
{
	return o != DP_OFS_NONE && o >= at ? (uint16_t)(o + n) : o;
}

void *dp_packet_insert(struct dp_packet *p, uint32_t ofs, uint32_t n)
{
	if (ofs > p->len || n > DP_PACKET_MAX_LEN || p->len + n > DP_PACKET_MAX_LEN)
		return NULL;
	if (dp_packet_headroom(p) < n &&
	    dp_packet_own(p, DP_PACKET_HEADROOM + n) < 0)
		return NULL;
	memmove(p->data - n, p->data, ofs);
	p->data -= n;
	p->len += n;
	p->l2_5 = shift_ofs(p->l2_5, ofs, n);
	p->l3 = shift_ofs(p->l3, ofs, n);
	p->l4 = shift_ofs(p->l4, ofs, n);
	if (p->ol_flags & DP_OL_CSUM_PARTIAL && p->csum_start >= ofs)
		p->csum_start = (uint16_t)(p->csum_start + n);
	return p->data + ofs;
}

static uint16_t unshift_ofs(uint16_t o, uint32_t at, uint32_t n)
{
	if (o == DP_OFS_NONE || o < at)
		return o;
	if (o < at + n)
		return DP_OFS_NONE;
	return (uint16_t)(o - n);
}

int dp_packet_remove(struct dp_packet *p, uint32_t ofs, uint32_t n)
{
	if (ofs > p->len || n > p->len - ofs)
		return -EINVAL;
	memmove(p->data + n, p->data, ofs);
	p->data += n;
	p->len -= n;
	p->l2_5 = unshift_ofs(p->l2_5, ofs, n);
	p->l3 = unshift_ofs(p->l3, ofs, n);
	p->l4 = unshift_ofs(p->l4, ofs, n);
	if (p->ol_flags & DP_OL_CSUM_PARTIAL && p->csum_start >= ofs + n)
		p->csum_start = (uint16_t)(p->csum_start - n);
	return 0;
}

void dp_packet_trim(struct dp_packet *p, uint32_t len)
{
	if (len < p->len) {
		p->len = len;
		if (p->l3 != DP_OFS_NONE && p->l3 > len)
			p->l3 = DP_OFS_NONE;
		if (p->l4 != DP_OFS_NONE && p->l4 > len)
			p->l4 = DP_OFS_NONE;
	}
}

void dp_batch_delete_all(struct dp_batch *b)
{
	unsigned i;

	for (i = 0; i < b->n; i++)
		dp_packet_delete(b->pkts[i]);
	b->n = 0;
}

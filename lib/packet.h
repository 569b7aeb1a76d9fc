/*
 * packet.h - a packet in the userspace datapath, and batches of them.
 *
 * A struct dp_packet is a frame plus what the datapath knows about it: the
 * metadata a flow key carries (in_port, recirc_id, dp_hash, skb_mark,
 * priority, conntrack state), the offsets of its L2.5/L3/L4 headers (set
 * by dp_packet_extract(), kept up to date by the actions that move headers),
 * and the offload state a virtio-net header describes: GSO type and size (a
 * "super-frame" of up to 64 KiB that stands for several segments of
 * gso_size bytes of L4 payload each), checksum start/offset, and whether
 * the L4 checksum is partial (it holds the pseudo-header sum, for whoever
 * sends the packet on to complete).  Ports with virtio-net headers
 * (netdev.h) carry that state in and out; lib/dp_offload.h says what it may
 * hold in between, lib/dp_gso.h cuts a super-frame where it must be cut.
 *
 * The bytes live in a buffer with headroom in front of the frame, so that
 * push_vlan, push_mpls and push_eth prepend without moving the payload.  The
 * buffer is either borrowed (a slot of a port's mmap'ed receive ring, valid
 * until the port's batch is released) or owned (malloc'ed, freed with the
 * packet).  Anything that must outlive a batch (an upcall, a deferred
 * recirculation) is copied with dp_packet_clone().  When a push needs more
 * headroom than a borrowed buffer has, the packet is moved into an owned
 * buffer transparently.
 *
 * A packet belongs to one thread at a time: the datapath's thread.
 */
#ifndef DPKIT_PACKET_H
#define DPKIT_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "key.h"

#define DP_PACKET_HEADROOM   64       /* default headroom for pushes */
#define DP_BATCH_MAX         32       /* packets per batch */
#define DP_OFS_NONE          0xffff   /* header not present / not known */
#define DP_PACKET_MAX_LEN    (1u << 18) /* dp_packet_insert() grows no more */

/* Offload flags (dp_packet.ol_flags). */
enum {
	DP_OL_CSUM_PARTIAL = 1 << 0, /* L4 checksum field holds the pseudo
				      * header sum; csum_start/offset say where
				      * (CHECKSUM_PARTIAL, VIRTIO_NET_HDR_F_
				      * NEEDS_CSUM) */
	DP_OL_CSUM_VALID   = 1 << 1, /* receiver verified the L4 checksum
				      * (CHECKSUM_UNNECESSARY, DATA_VALID) */
	DP_OL_HASH_VALID   = 1 << 2, /* 'hash' holds an L4 hash */
	DP_OL_GSO_ECN      = 1 << 3, /* GSO: TCP segments carry ECN (CWR on
				      * the first), VIRTIO_NET_HDR_GSO_ECN */
	DP_OL_INFER        = 1 << 4, /* received without a virtio-net header:
				      * where a partial checksum goes, and
				      * whether the frame is GSO, are read
				      * from its headers (dp_offload_rx()) */
};

/* GSO types, as virtio_net_hdr's gso_type without the ECN bit. */
enum dp_gso_type {
	DP_GSO_NONE  = 0,
	DP_GSO_TCPV4 = 1,
	DP_GSO_UDP   = 3,
	DP_GSO_TCPV6 = 4,
	DP_GSO_UDP_L4 = 5,
};

/* What a flow key's metadata holds, per packet. */
struct dp_packet_md {
	uint32_t in_port;               /* DP_PORT_NONE if none */
	uint32_t recirc_id;
	uint32_t dp_hash;
	uint32_t priority;
	uint32_t skb_mark;
	uint8_t  ct_state;
	uint8_t  ct_orig_proto;
	uint16_t ct_zone;
	uint8_t  tun_proto;             /* DP_TUN_*: what 'tun' holds */
	uint32_t ct_mark;
	uint8_t  ct_labels[16];
	/* Tunnel metadata this packet arrived with (NULL: none); owned by
	 * whoever set it and valid while the packet is processed. */
	const struct dp_tun *tun;
};

struct dp_packet {
	uint8_t *base;                  /* start of the buffer */
	uint8_t *data;                  /* start of the frame */
	uint32_t len;                   /* frame length */
	uint32_t size;                  /* buffer size from base */
	uint8_t  owned;                 /* base is malloc'ed by us */
	uint8_t  mac_proto;             /* DP_MAC_ETH or DP_MAC_NONE */
	uint16_t eth_type;              /* be16: what an L3 packet (DP_MAC_NONE)
					 * carries, as the kernel's skb->protocol;
					 * 0: guess IPv4/IPv6 from its first byte */

	/* Header offsets from data, DP_OFS_NONE if absent.  l2_5 is the
	 * MPLS label stack, l3 the IP/ARP header, l4 the transport header. */
	uint16_t l2_5;
	uint16_t l3;
	uint16_t l4;

	/* Offload state (virtio_net_hdr, in host order). */
	uint8_t  ol_flags;              /* DP_OL_* */
	uint8_t  gso_type;              /* DP_GSO_* */
	uint16_t gso_size;
	uint16_t csum_start;            /* from data */
	uint16_t csum_offset;           /* from csum_start */
	uint32_t hash;                  /* L4 hash if DP_OL_HASH_VALID */

	uint16_t mru;                   /* max received fragment size, 0 */
	struct dp_packet_md md;
};

struct dp_batch {
	unsigned n;
	struct dp_packet *pkts[DP_BATCH_MAX];
};

/* The flow key of 'p' and the offsets of its headers, in one pass: the
 * packet's metadata (md, mac_proto; for an L3 packet its eth_type) copied
 * into 'key', then lib/extract's dp_extract_hdrs() for the L2-L4 fields
 * (the kernel's key_extract semantics) and p->l2_5/l3/l4.  Every field of
 * 'key' is written.  Returns 0, or -EINVAL when the kernel would drop the
 * packet (an Ethernet frame shorter than 14 bytes, an empty L3 packet). */
int dp_packet_extract(struct dp_packet *p, struct dp_key *key);
/* The same for a 'key' that dp_packet_extract() (or dp_key_init()) filled
 * before, and which only actions changed since (so its tunnel region is
 * zero unless key->tun_proto says otherwise): it skips clearing the large
 * tunnel region when it is already clear.  The per-packet path reuses one
 * key this way. */
int dp_packet_extract_reuse(struct dp_packet *p, struct dp_key *key);

/* Metadata of a packet received on 'port'. */
void dp_packet_md_init(struct dp_packet_md *md, uint32_t port);

/* A packet over a borrowed buffer: the frame is base[headroom..+len). */
void dp_packet_use(struct dp_packet *p, void *base, uint32_t size,
		   uint32_t headroom, uint32_t len);

/* A new owned packet holding a copy of data[0..len) with 'headroom' bytes
 * in front; NULL on allocation failure.  Metadata: no in_port. */
struct dp_packet *dp_packet_new(const void *data, uint32_t len,
				uint32_t headroom);
/* A deep, owned copy (bytes, metadata, offsets, offload state). */
struct dp_packet *dp_packet_clone(const struct dp_packet *p);
/* Free a packet from dp_packet_new()/clone() (its struct and its buffer). */
void dp_packet_delete(struct dp_packet *p);
/* Release an owned buffer of a packet whose struct the caller owns. */
void dp_packet_uninit(struct dp_packet *p);

static inline uint32_t dp_packet_headroom(const struct dp_packet *p)
{
	return (uint32_t)(p->data - p->base);
}
static inline uint32_t dp_packet_tailroom(const struct dp_packet *p)
{
	return p->size - dp_packet_headroom(p) - p->len;
}
/* Pointer to 'n' bytes at offset 'ofs' of the frame, or NULL if the frame
 * is shorter: every header access goes through this. */
static inline void *dp_packet_at(const struct dp_packet *p, uint32_t ofs,
				 uint32_t n)
{
	return ofs <= p->len && n <= p->len - ofs ? p->data + ofs : NULL;
}

/* Open a gap of 'n' bytes at frame offset 'ofs' (0 <= ofs <= len) by moving
 * the bytes in front of it towards the headroom, so the payload stays put.
 * Header offsets at or after 'ofs' move with their headers.  Returns a
 * pointer to the gap (uninitialised) or NULL on allocation failure. */
void *dp_packet_insert(struct dp_packet *p, uint32_t ofs, uint32_t n);
/* Remove 'n' bytes at offset 'ofs', moving the bytes in front of them.
 * Offsets inside the removed span become DP_OFS_NONE.  Returns 0 or
 * -EINVAL if the span is not inside the frame. */
int dp_packet_remove(struct dp_packet *p, uint32_t ofs, uint32_t n);
/* Shorten the frame to 'len' bytes (no-op if it is not longer). */
void dp_packet_trim(struct dp_packet *p, uint32_t len);
/* Move a borrowed frame into an owned buffer with 'headroom' in front. */
int dp_packet_own(struct dp_packet *p, uint32_t headroom);

/* Batches. */
static inline void dp_batch_init(struct dp_batch *b)
{
	b->n = 0;
}
static inline bool dp_batch_add(struct dp_batch *b, struct dp_packet *p)
{
	if (b->n >= DP_BATCH_MAX)
		return false;
	b->pkts[b->n++] = p;
	return true;
}
/* Delete every (owned) packet of the batch and empty it. */
void dp_batch_delete_all(struct dp_batch *b);

#endif

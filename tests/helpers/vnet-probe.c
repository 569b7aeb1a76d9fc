/*
 * vnet-probe - what this kernel's packet sockets do with virtio-net headers
 * (PACKET_VNET_HDR) together with TPACKET rings, for lib/netdev_afpacket's
 * choice of receive and transmit paths.
 *
 *   vnet-probe IF_A IF_B       (IF_A and IF_B: the two ends of a veth pair, up)
 *
 * Sends a 30000-byte TCP/IPv4 GSO frame (gso_size 1448, checksum partial)
 * into IF_A with a virtio-net header and reads it back on IF_B with each
 * receive method (TPACKET_V3 ring, TPACKET_V2 ring, recvmmsg), then sends
 * it through each transmit method (TPACKET_V3 and V2 tx rings, sendmsg)
 * and reads it with recvmsg.  One line per case:
 *   rx v3-ring: ok len=30054 gso_type=1 gso_size=1448 flags=1 csum=34+16
 *   tx v3-ring: setsockopt(PACKET_TX_RING): Invalid argument
 * Exit status 0 if it could run at all.  Needs CAP_NET_RAW.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#define PAYLOAD 30000
#define FRAME (14 + 20 + 20 + PAYLOAD)

static uint8_t frame[FRAME];
static struct virtio_net_hdr vh;

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

static uint32_t sum16(const uint8_t *b, size_t n)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)b[i] << 8 | b[i + 1];
	if (n & 1)
		s += (uint32_t)b[n - 1] << 8;
	return s;
}

static void build(void)
{
	uint8_t *ip = frame + 14, *th = ip + 20;
	uint32_t s;
	size_t i;

	memset(frame, 0, sizeof frame);
	memcpy(frame, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00", 14);
	ip[0] = 0x45;
	ip[2] = (uint8_t)((FRAME - 14) >> 8);
	ip[3] = (uint8_t)(FRAME - 14);
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	s = (uint16_t)~fold(sum16(ip, 20));
	ip[10] = (uint8_t)(s >> 8);
	ip[11] = (uint8_t)s;
	th[0] = 0x30; th[1] = 0x39; th[2] = 0; th[3] = 80;
	th[12] = 5 << 4;
	th[13] = 0x18;
	th[15] = 0xff;
	for (i = 0; i < PAYLOAD; i++)
		th[20 + i] = (uint8_t)(i * 7);
	/* Partial: the pseudo header sum, not complemented. */
	s = sum16(ip + 12, 8) + 6 + (20 + PAYLOAD);
	s = fold(s);
	th[16] = (uint8_t)(s >> 8);
	th[17] = (uint8_t)s;
	memset(&vh, 0, sizeof vh);
	vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	vh.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	vh.hdr_len = 54;
	vh.gso_size = 1448;
	vh.csum_start = 34;
	vh.csum_offset = 16;
}

static int bind_if(int fd, int ifindex, int proto)
{
	struct sockaddr_ll sll;

	memset(&sll, 0, sizeof sll);
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons((uint16_t)proto);
	sll.sll_ifindex = ifindex;
	return bind(fd, (struct sockaddr *)&sll, sizeof sll);
}

/* A packet socket on ifindex with PACKET_VNET_HDR; -1 (and a printed
 * reason under 'name') on failure. */
static int vnet_socket(const char *name, int ifindex, int proto)
{
	int fd = socket(AF_PACKET, SOCK_RAW, 0), one = 1;

	if (fd < 0 || setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof one) < 0) {
		printf("%s: PACKET_VNET_HDR: %s\n", name, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (proto >= 0 && bind_if(fd, ifindex, proto) < 0) {
		printf("%s: bind: %s\n", name, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int send_plain(int ifa)
{
	struct iovec iov[2] = { { &vh, sizeof vh }, { frame, sizeof frame } };
	struct msghdr m;
	int fd = vnet_socket("send", ifa, 0), r;

	if (fd < 0)
		return -1;
	memset(&m, 0, sizeof m);
	m.msg_iov = iov;
	m.msg_iovlen = 2;
	r = (int)sendmsg(fd, &m, 0);
	if (r < 0)
		printf("send: sendmsg: %s\n", strerror(errno));
	close(fd);
	return r < 0 ? -1 : 0;
}

static void report(const char *name, const struct virtio_net_hdr *h, size_t len,
		   const uint8_t *data)
{
	printf("%s: ok len=%zu gso_type=%u gso_size=%u hdr_len=%u flags=%u csum=%u+%u%s\n",
	       name, len, h->gso_type, h->gso_size, h->hdr_len, h->flags,
	       h->csum_start, h->csum_offset,
	       len == FRAME && !memcmp(data, frame, FRAME) ? " bytes-match" : "");
}

/* Receive with a ring of 'version'. */
static void rx_ring(const char *name, int ifa, int ifb, int version)
{
	struct tpacket_req3 req;
	int fd = vnet_socket(name, 0, -1), ver = version;
	size_t map_len;
	uint8_t *map;
	struct pollfd pfd;
	int i;

	if (fd < 0)
		return;
	memset(&req, 0, sizeof req);
	req.tp_block_size = 1 << 18;
	req.tp_block_nr = 4;
	if (version == TPACKET_V3) {
		req.tp_frame_size = 2048;
		req.tp_frame_nr = req.tp_block_size / 2048 * req.tp_block_nr;
		req.tp_retire_blk_tov = 1;
	} else {
		req.tp_frame_size = 1 << 17;
		req.tp_frame_nr = req.tp_block_size / req.tp_frame_size * req.tp_block_nr;
	}
	if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &ver, sizeof ver) < 0 ||
	    setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req,
		       version == TPACKET_V3 ? sizeof req : sizeof(struct tpacket_req)) < 0) {
		printf("%s: setsockopt(PACKET_RX_RING): %s\n", name, strerror(errno));
		close(fd);
		return;
	}
	map_len = (size_t)req.tp_block_size * req.tp_block_nr;
	map = mmap(NULL, map_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED || bind_if(fd, ifb, ETH_P_ALL) < 0) {
		printf("%s: mmap/bind: %s\n", name, strerror(errno));
		close(fd);
		return;
	}
	if (send_plain(ifa) < 0)
		goto out;
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (i = 0; i < 20; i++) {
		poll(&pfd, 1, 100);
		if (version == TPACKET_V3) {
			struct tpacket_block_desc *bd = (void *)map;
			struct tpacket3_hdr *h;

			if (!(bd->hdr.bh1.block_status & TP_STATUS_USER))
				continue;
			h = (void *)(map + bd->hdr.bh1.offset_to_first_pkt);
			if (h->tp_len != h->tp_snaplen)
				printf("%s: cut: len %u snaplen %u\n", name, h->tp_len, h->tp_snaplen);
			else
				report(name, (void *)((uint8_t *)h + h->tp_mac - sizeof vh),
				       h->tp_snaplen, (uint8_t *)h + h->tp_mac);
			goto out;
		} else {
			struct tpacket2_hdr *h = (void *)map;

			if (!(h->tp_status & TP_STATUS_USER))
				continue;
			if (h->tp_len != h->tp_snaplen)
				printf("%s: cut: len %u snaplen %u\n", name, h->tp_len, h->tp_snaplen);
			else
				report(name, (void *)((uint8_t *)h + h->tp_mac - sizeof vh),
				       h->tp_snaplen, (uint8_t *)h + h->tp_mac);
			goto out;
		}
	}
	printf("%s: nothing received\n", name);
out:
	munmap(map, map_len);
	close(fd);
}

static void rx_recv(const char *name, int ifa, int ifb)
{
	static uint8_t buf[1 << 17];
	struct iovec iov[2];
	struct virtio_net_hdr h;
	struct mmsghdr mm;
	int fd = vnet_socket(name, ifb, ETH_P_ALL);
	struct pollfd pfd;

	if (fd < 0)
		return;
	if (send_plain(ifa) < 0)
		goto out;
	pfd.fd = fd;
	pfd.events = POLLIN;
	poll(&pfd, 1, 2000);
	iov[0].iov_base = &h;
	iov[0].iov_len = sizeof h;
	iov[1].iov_base = buf;
	iov[1].iov_len = sizeof buf;
	memset(&mm, 0, sizeof mm);
	mm.msg_hdr.msg_iov = iov;
	mm.msg_hdr.msg_iovlen = 2;
	if (recvmmsg(fd, &mm, 1, MSG_DONTWAIT, NULL) != 1)
		printf("%s: recvmmsg: %s\n", name, strerror(errno));
	else
		report(name, &h, mm.msg_len - sizeof h, buf);
out:
	close(fd);
}

/* Transmit through a ring of 'version' (0: sendmsg), receive with recv. */
static void tx(const char *name, int ifa, int ifb, int version)
{
	static uint8_t buf[1 << 17];
	struct tpacket_req3 req;
	struct iovec iov[2];
	struct virtio_net_hdr h;
	struct msghdr m;
	int rfd = vnet_socket("rx", ifb, ETH_P_ALL), fd = -1, ver = version;
	uint8_t *map = MAP_FAILED;
	size_t map_len = 0;
	struct pollfd pfd;
	ssize_t n;

	if (rfd < 0)
		return;
	if (!version) {
		if (send_plain(ifa) < 0)
			goto out;
	} else {
		fd = vnet_socket(name, 0, -1);
		if (fd < 0)
			goto out;
		memset(&req, 0, sizeof req);
		req.tp_frame_size = 1 << 17;
		req.tp_block_size = 1 << 17;
		req.tp_block_nr = 2;
		req.tp_frame_nr = 2;
		if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &ver, sizeof ver) < 0 ||
		    setsockopt(fd, SOL_PACKET, PACKET_TX_RING, &req,
			       version == TPACKET_V3 ? sizeof req
			       : sizeof(struct tpacket_req)) < 0) {
			printf("%s: setsockopt(PACKET_TX_RING): %s\n", name, strerror(errno));
			goto out;
		}
		map_len = (size_t)req.tp_block_size * req.tp_block_nr;
		map = mmap(NULL, map_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (map == MAP_FAILED || bind_if(fd, ifa, 0) < 0) {
			printf("%s: mmap/bind: %s\n", name, strerror(errno));
			goto out;
		}
		if (version == TPACKET_V3) {
			struct tpacket3_hdr *t = (void *)map;
			size_t ofs = TPACKET3_HDRLEN - sizeof(struct sockaddr_ll);

			memcpy(map + ofs, &vh, sizeof vh);
			memcpy(map + ofs + sizeof vh, frame, sizeof frame);
			t->tp_len = sizeof vh + sizeof frame;
			t->tp_snaplen = t->tp_len;
			t->tp_status = TP_STATUS_SEND_REQUEST;
		} else {
			struct tpacket2_hdr *t = (void *)map;
			size_t ofs = TPACKET2_HDRLEN - sizeof(struct sockaddr_ll);

			memcpy(map + ofs, &vh, sizeof vh);
			memcpy(map + ofs + sizeof vh, frame, sizeof frame);
			t->tp_len = sizeof vh + sizeof frame;
			t->tp_status = TP_STATUS_SEND_REQUEST;
		}
		if (send(fd, NULL, 0, 0) < 0) {
			printf("%s: send: %s\n", name, strerror(errno));
			goto out;
		}
	}
	pfd.fd = rfd;
	pfd.events = POLLIN;
	iov[0].iov_base = &h;
	iov[0].iov_len = sizeof h;
	iov[1].iov_base = buf;
	iov[1].iov_len = sizeof buf;
	memset(&m, 0, sizeof m);
	m.msg_iov = iov;
	m.msg_iovlen = 2;
	/* Skip what else the interface carries (IPv6 neighbour discovery
	 * on a link that just came up). */
	do {
		poll(&pfd, 1, 2000);
		n = recvmsg(rfd, &m, MSG_DONTWAIT);
	} while (n > 14 + (ssize_t)sizeof h && (buf[12] != 8 || buf[13] != 0));
	if (n < 0) {
		unsigned st = 0;

		if (version == TPACKET_V3)
			st = ((struct tpacket3_hdr *)(void *)map)->tp_status;
		else if (version)
			st = ((struct tpacket2_hdr *)(void *)map)->tp_status;
		printf("%s: nothing received (%s, ring status %#x)\n", name,
		       strerror(errno), st);
	} else {
		report(name, &h, (size_t)n - sizeof h, buf);
	}
out:
	if (map != MAP_FAILED)
		munmap(map, map_len);
	if (fd >= 0)
		close(fd);
	close(rfd);
}

int main(int argc, char **argv)
{
	int a, b, fd, one = 1, ver = TPACKET_V3;
	struct tpacket_req3 req;

	if (argc != 3) {
		fprintf(stderr, "usage: vnet-probe IF_A IF_B\n");
		return 2;
	}
	a = (int)if_nametoindex(argv[1]);
	b = (int)if_nametoindex(argv[2]);
	if (!a || !b) {
		fprintf(stderr, "vnet-probe: no such interface\n");
		return 1;
	}
	build();
	rx_ring("rx v3-ring", a, b, TPACKET_V3);
	rx_ring("rx v2-ring", a, b, TPACKET_V2);
	rx_recv("rx recvmmsg", a, b);
	tx("tx v3-ring", a, b, TPACKET_V3);
	tx("tx v2-ring", a, b, TPACKET_V2);
	tx("tx sendmsg", a, b, 0);

	/* The order: a ring first, then PACKET_VNET_HDR. */
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	memset(&req, 0, sizeof req);
	req.tp_block_size = 1 << 16;
	req.tp_block_nr = 1;
	req.tp_frame_size = 2048;
	req.tp_frame_nr = 32;
	if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &ver, sizeof ver) == 0 &&
	    setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof req) == 0)
		printf("vnet after ring: %s\n",
		       setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof one) < 0
		       ? strerror(errno) : "accepted");
	close(fd);
	return 0;
}

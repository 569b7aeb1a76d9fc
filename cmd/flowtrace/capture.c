/* capture.c - flowtrace's packet source (see capture.h). */
#include "capture.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SNAPLEN      262144
#define FILE_BUFSIZE (1 << 20)  /* stdio buffer for capture files */
#define READ_BLOCK   (2 << 20)  /* capture_loop()'s reads */
#define REC_HDR      16         /* a classic pcap record's header */

static int link_supported(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB:
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
	case DLT_NULL:
	case DLT_LOOP:
	case DLT_LINUX_SLL:
	case DLT_LINUX_SLL2:
		return 1;
	}
	return 0;
}

static int check_link(struct capture *c, const char *what, struct dp_err *err)
{
	const char *name;

	c->dlt = pcap_datalink(c->pcap);
	if (link_supported(c->dlt))
		return 0;
	name = pcap_datalink_val_to_name(c->dlt);
	return dp_err_set(err, EPROTONOSUPPORT,
			  "%s: unsupported link type %s (%d): flowtrace reads "
			  "Ethernet, raw IP, loopback and Linux cooked captures",
			  what, name ? name : "?", c->dlt);
}

int capture_open_stream(struct capture *c, FILE *f, const char *what,
			struct dp_err *err)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";

	memset(c, 0, sizeof *c);
	c->pcap = pcap_fopen_offline_with_tstamp_precision(
		f, PCAP_TSTAMP_PRECISION_MICRO, ebuf);
	if (!c->pcap) {
		if (strstr(ebuf, "unknown file format") ||
		    strstr(ebuf, "truncated dump file") ||
		    strstr(ebuf, "bad dump file format"))
			return dp_err_set(err, EPROTO,
					  "%s: not a pcap or pcapng capture (%s)",
					  what, ebuf);
		return dp_err_set(err, EIO, "%s: %s", what, ebuf);
	}
	c->file = f;
	c->what = what;
	return check_link(c, what, err);
}

int capture_open_file(struct capture *c, const char *path, struct dp_err *err)
{
	const char *what = strcmp(path, "-") ? path : "stdin";
	FILE *f;
	int rc;

	f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f)
		return dp_err_set(err, errno, "%s: %s", path, strerror(errno));
	/* libpcap reads a file through stdio, two fread() calls a record:
	 * a big buffer saves most of the system calls, and as no other
	 * thread touches the stream, stdio can skip its lock. */
	setvbuf(f, NULL, _IOFBF, FILE_BUFSIZE);
	__fsetlocking(f, FSETLOCKING_BYCALLER);
	rc = capture_open_stream(c, f, what, err);
	if (rc && !c->pcap && f != stdin)
		fclose(f);
	return rc;
}

int capture_open_live(struct capture *c, const char *iface, struct dp_err *err)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	int rc;

	memset(c, 0, sizeof *c);
	c->live = 1;
	c->what = iface;
	c->pcap = pcap_create(iface, ebuf);
	if (!c->pcap)
		return dp_err_set(err, EIO, "%s: %s", iface, ebuf);
	pcap_set_snaplen(c->pcap, SNAPLEN);
	pcap_set_promisc(c->pcap, 1);
	pcap_set_immediate_mode(c->pcap, 1);
	pcap_set_buffer_size(c->pcap, 8 << 20);
	rc = pcap_activate(c->pcap);
	if (rc < 0) {
		const char *why = pcap_geterr(c->pcap);

		if (rc == PCAP_ERROR_NO_SUCH_DEVICE)
			why = "no such interface";
		else if (rc == PCAP_ERROR_PERM_DENIED && !*why)
			why = "permission denied (capturing needs root or "
			      "CAP_NET_RAW)";
		else if (rc == PCAP_ERROR_IFACE_NOT_UP)
			why = "interface is down";
		dp_err_set(err, EIO, "%s: %s", iface, why);
		pcap_close(c->pcap);
		c->pcap = NULL;
		return -EIO;
	}
	return check_link(c, iface, err);
}

int capture_set_filter(struct capture *c, const char *expr, struct dp_err *err)
{
	struct bpf_program prog;

	if (pcap_compile(c->pcap, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0)
		return dp_err_set(err, EINVAL, "filter '%s': %s", expr,
				  pcap_geterr(c->pcap));
	if (pcap_setfilter(c->pcap, &prog) < 0) {
		dp_err_set(err, EINVAL, "filter '%s': %s", expr,
			   pcap_geterr(c->pcap));
		pcap_freecode(&prog);
		return -EINVAL;
	}
	pcap_freecode(&prog);
	c->filtered = 1;
	return 0;
}

void capture_break(struct capture *c)
{
	c->stop = 1;
	pcap_breakloop(c->pcap);
}

static uint32_t rd32(const uint8_t *p, int swap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

size_t capture_records(const uint8_t *buf, size_t len, int swap,
		       uint32_t limit, pcap_handler cb, u_char *user,
		       const int *stop)
{
	size_t at = 0;

	while (!*stop && len - at >= REC_HDR) {
		const uint8_t *r = buf + at;
		struct pcap_pkthdr h;

		h.caplen = rd32(r + 8, swap);
		if (h.caplen > limit || len - at - REC_HDR < h.caplen)
			break;
		h.ts.tv_sec = (time_t)rd32(r, swap);
		h.ts.tv_usec = (suseconds_t)rd32(r + 4, swap);
		h.len = rd32(r + 12, swap);
		cb(user, &h, r + REC_HDR);
		at += REC_HDR + h.caplen;
	}
	return at;
}

/* Is this a classic pcap file, version 2.4, that capture_loop() may read
 * itself with pread()?  Sets the byte order and the longest record. */
static int plain_pcap(struct capture *c, int *swap, uint32_t *limit)
{
	uint8_t g[24];
	uint32_t magic;
	struct stat st;
	int fd, snap;

	if (c->live || c->filtered || !c->file || c->file == stdin)
		return 0;
	fd = fileno(c->file);
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    pread(fd, g, sizeof g, 0) != (ssize_t)sizeof g)
		return 0;
	memcpy(&magic, g, 4);
	if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d)
		*swap = 0;
	else if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1)
		*swap = 1;
	else
		return 0;
	/* Version 2.4 (major and minor, 16 bits each). */
	if (rd32(g + 4, 0) != (*swap ? 0x04000200u : 0x00040002u))
		return 0;
	snap = pcap_snapshot(c->pcap);
	if (snap <= 0)
		return 0;
	*limit = (uint32_t)snap < SNAPLEN ? (uint32_t)snap : SNAPLEN;
	return 1;
}

int capture_loop(struct capture *c, pcap_handler cb, u_char *user)
{
	uint8_t *buf;
	off_t base = 24;                /* file offset of buf[0] */
	size_t have = 0, at = 0;
	uint32_t limit;
	int swap, fd;

	if (!plain_pcap(c, &swap, &limit) ||
	    !(buf = malloc(READ_BLOCK + SNAPLEN + REC_HDR)))
		return pcap_loop(c->pcap, -1, cb, user);
	fd = fileno(c->file);
	for (;;) {
		ssize_t n;

		at += capture_records(buf + at, have - at, swap, limit, cb,
				      user, &c->stop);
		if (c->stop) {
			free(buf);
			return PCAP_ERROR_BREAK;
		}
		/* What is left is a partial record, or one for libpcap. */
		if (have - at >= REC_HDR &&
		    rd32(buf + at + 8, swap) > limit)
			break;
		memmove(buf, buf + at, have - at);
		base += (off_t)at;
		have -= at;
		at = 0;
		n = pread(fd, buf + have, READ_BLOCK, base + (off_t)have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		have += (size_t)n;
	}
	free(buf);
	if (!have && !at) {
		/* The end of the file, at the end of a record.  (A read
		 * error is libpcap's to report, below.) */
		struct stat st;

		if (!fstat(fd, &st) && st.st_size == base)
			return 0;
	}
	/* libpcap goes on from the record it is to judge. */
	if (fseeko(c->file, base + (off_t)at, SEEK_SET))
		return PCAP_ERROR;
	return pcap_loop(c->pcap, -1, cb, user);
}

void capture_close(struct capture *c)
{
	if (c->pcap)
		pcap_close(c->pcap);        /* closes c->file too */
	free(c->scratch);
	memset(c, 0, sizeof *c);
}

static uint16_t ip_version_type(const uint8_t *p, size_t len)
{
	if (len && p[0] >> 4 == 4)
		return htons(0x0800);
	if (len && p[0] >> 4 == 6)
		return htons(0x86dd);
	return 0;
}

/* An Ethernet header in front of the payload: dst zero, src from the cooked
 * header's address (if it is 6 bytes), type from its protocol. */
static int rebuild_eth(struct capture *c, const uint8_t *addr, size_t alen,
		       const uint8_t *proto, const uint8_t *payload,
		       size_t plen, const uint8_t **pkt, size_t *len)
{
	if (c->scratch_len < plen + 14) {
		uint8_t *n = realloc(c->scratch, plen + 14 + 4096);

		if (!n)
			return -1;
		c->scratch = n;
		c->scratch_len = plen + 14 + 4096;
	}
	memset(c->scratch, 0, 12);
	if (alen == 6)
		memcpy(c->scratch + 6, addr, 6);
	memcpy(c->scratch + 12, proto, 2);
	memcpy(c->scratch + 14, payload, plen);
	*pkt = c->scratch;
	*len = plen + 14;
	return 0;
}

int capture_frame(struct capture *c, const uint8_t *data, uint32_t caplen,
		  const uint8_t **pkt, size_t *len, struct dp_key *key)
{
	uint32_t af;

	*pkt = data;
	*len = caplen;
	key->mac_proto = DP_MAC_ETH;
	switch (c->dlt) {
	case DLT_EN10MB:
		return 0;
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		key->mac_proto = DP_MAC_NONE;
		key->eth_type = ip_version_type(data, caplen);
		return 0;
	case DLT_NULL:
	case DLT_LOOP:
		if (caplen < 4)
			break;
		/* The address family, in the capturing host's order for
		 * DLT_NULL, in network order for DLT_LOOP. */
		memcpy(&af, data, 4);
		if (c->dlt == DLT_LOOP || (af & 0xffff) == 0)
			af = ntohl(af);
		key->mac_proto = DP_MAC_NONE;
		key->eth_type = af == 2 ? htons(0x0800) :
				af == 10 || af == 24 || af == 28 || af == 30 ?
				htons(0x86dd) : 0;
		*pkt = data + 4;
		*len = caplen - 4;
		return 0;
	case DLT_LINUX_SLL:
		if (caplen < 16)
			break;
		return rebuild_eth(c, data + 6, (size_t)data[4] << 8 | data[5],
				   data + 14, data + 16, caplen - 16, pkt, len);
	case DLT_LINUX_SLL2:
		if (caplen < 20)
			break;
		return rebuild_eth(c, data + 12, data[11], data, data + 20,
				   caplen - 20, pkt, len);
	}
	*len = 0;
	return -1;
}

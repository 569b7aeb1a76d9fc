/*
 * capture.h - flowtrace's packet source: a capture file or a live interface,
 * through libpcap.
 *
 * Owns the pcap handle and turns each captured frame into what a datapath
 * port would receive: an Ethernet frame, or an L3 packet with its protocol
 * (raw IP and BSD loopback captures).  Linux "cooked" captures (tcpdump -i
 * any) get an Ethernet header rebuilt from the SLL header the way
 * ovs-ofctl parse-pcap does it: source from the SLL address, destination
 * zero, type from the SLL protocol.
 */
#ifndef FLOWTRACE_CAPTURE_H
#define FLOWTRACE_CAPTURE_H

#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "key.h"

struct capture {
	pcap_t *pcap;
	FILE *file;             /* offline: the stream libpcap reads */
	int dlt;                /* pcap_datalink() */
	int live;
	int filtered;           /* a BPF filter is set */
	int stop;               /* capture_break() was called */
	const char *what;       /* the file or interface, for messages */
	uint8_t *scratch;       /* rebuilt frames (SLL) */
	size_t scratch_len;
};

/* Open a capture file (pcap or pcapng; "-" is stdin). */
int capture_open_file(struct capture *c, const char *path, struct dp_err *err);
/* Read a capture from an open stream (libpcap closes it with the capture);
 * 'what' names it in errors. */
int capture_open_stream(struct capture *c, FILE *f, const char *what,
			struct dp_err *err);
/* Start capturing on a network interface. */
int capture_open_live(struct capture *c, const char *iface, struct dp_err *err);
/* Apply a BPF filter expression (tcpdump syntax). */
int capture_set_filter(struct capture *c, const char *expr, struct dp_err *err);
void capture_close(struct capture *c);

/* Every packet, to 'cb', as pcap_loop(c->pcap, -1, cb, user) does and
 * with its return value.  A classic pcap file (not pcapng, not stdin, no
 * filter) is read here in large blocks, which costs a tenth of libpcap's
 * two fread() calls a record; from the first record that is not plain
 * (longer than the snap length, cut short at the end of the file) on,
 * libpcap reads, so its errors and its handling stay the same. */
int capture_loop(struct capture *c, pcap_handler cb, u_char *user);
/* Stop capture_loop() (from its callback), as pcap_breakloop(). */
void capture_break(struct capture *c);
/* The records of a classic pcap file in buf[0..len) (after the file
 * header), in the file's byte order ('swap': the other one): cb for each
 * complete one no longer than 'limit', stopping before the first that is
 * not, or when *stop is set.  Returns the bytes consumed. */
size_t capture_records(const uint8_t *buf, size_t len, int swap,
		       uint32_t limit, pcap_handler cb, u_char *user,
		       const int *stop);

/* The frame as the datapath would get it: sets *pkt and *len (which may
 * point into c->scratch), and key->mac_proto and, for an L3 packet,
 * key->eth_type.  Returns 0, or -1 for a frame too short for its link
 * header (it is then handed on as an empty Ethernet frame). */
int capture_frame(struct capture *c, const uint8_t *data, uint32_t caplen,
		  const uint8_t **pkt, size_t *len, struct dp_key *key);

#endif

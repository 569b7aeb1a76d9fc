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

/* The frame as the datapath would get it: sets *pkt and *len (which may
 * point into c->scratch), and key->mac_proto and, for an L3 packet,
 * key->eth_type.  Returns 0, or -1 for a frame too short for its link
 * header (it is then handed on as an empty Ethernet frame). */
int capture_frame(struct capture *c, const uint8_t *data, uint32_t caplen,
		  const uint8_t **pkt, size_t *len, struct dp_key *key);

#endif

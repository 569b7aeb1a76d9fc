/*
 * pipeline.h - a capture file on two threads.
 *
 * Reading a file, flowtrace's work splits into two halves of similar cost:
 * libpcap's reading plus the key extraction, and the formatting plus the
 * writing.  The pipeline runs them on two threads: the calling thread reads
 * and extracts, a second one formats and writes, and batches of keys go
 * from one to the other through a small ring, in order.  The pipeline owns
 * the ring and the second thread; the capture and the output stay the
 * caller's, and each is touched by one thread only while it runs.
 */
#ifndef FLOWTRACE_PIPELINE_H
#define FLOWTRACE_PIPELINE_H

#include <stdint.h>

#include "capture.h"
#include "key.h"
#include "output.h"

/* Read every packet of 'cap' (at most 'limit' if not 0), with 'key' as the
 * template for their metadata, into 'out'.  Returns what pcap_loop()
 * returns (PCAP_ERROR on a read error, PCAP_ERROR_BREAK after 'limit'), or
 * PIPELINE_NOT_STARTED if the thread could not be started (nothing was read
 * then). */
#define PIPELINE_NOT_STARTED (-1000)
int pipeline_run(struct capture *cap, struct output *out,
		 const struct dp_key *key, uint64_t limit);

#endif

/*
 * output.h - how flowtrace writes keys: one line per packet (or per
 * distinct key with --unique) in ovs-dpctl syntax, ovs-ofctl match syntax
 * or JSON, buffered and written to stdout in large blocks.
 *
 * Owns the output buffer, the table of distinct keys for --unique, the
 * cache of keys' texts and the counters for --stats.
 */
#ifndef FLOWTRACE_OUTPUT_H
#define FLOWTRACE_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "key.h"
#include "keytab.h"

enum out_format {
	OUT_DPCTL,              /* ovs-dpctl key syntax (the default) */
	OUT_OF,                 /* ovs-ofctl match syntax, as parse-pcap */
	OUT_JSON,               /* one JSON object per line */
};

struct out_stats {
	uint64_t packets;
	uint64_t bytes;         /* on the wire (pcap "len") */
	uint64_t short_frames;  /* refused by the datapath: under 14 bytes */
	uint64_t snapped;       /* captured shorter than on the wire */
};

struct output {
	enum out_format format;
	const char *actions;    /* dpctl format: appended, or NULL/"" */
	bool unique;
	bool live;              /* flush after every packet batch */
	int fd;
	struct buf text;        /* pending output */
	struct buf scratch;     /* key attributes, for the dpctl format */
	struct buf mask_attrs;  /* mask attributes, for the dpctl format */
	struct dp_key exact;    /* all ones: an exact flow's mask */
	struct out_stats stats;
	struct keytab uniq;     /* --unique: the keys and their counters */
	struct keytab cache;    /* the text of keys printed before */
	uint64_t cache_lookups; /* since the cache filled up, or last check */
	uint64_t cache_hits;
	bool cache_off;         /* keys keep changing: the cache is no use */
	int error;              /* a write or allocation failed (errno) */
};

void output_init(struct output *o, enum out_format f, const char *actions,
		bool unique, int fd);
/* One packet: its key, its wire length, whether the datapath would have
 * refused it (dp_extract() failed), whether the capture cut it short. */
void output_packet(struct output *o, const struct dp_key *key,
		   uint32_t wire_len, bool refused, bool snapped);
/* The same with keytab_hash(key) computed ahead (by the reading thread). */
void output_packet_hashed(struct output *o, const struct dp_key *key,
			  uint32_t hash, uint32_t wire_len, bool refused,
			  bool snapped);
/* Prefetch hints for packets to come (see keytab_prefetch_slot()). */
void output_prefetch_slot(const struct output *o, uint32_t hash);
void output_prefetch_entry(const struct output *o, uint32_t hash);
void output_prefetch_text(const struct output *o, uint32_t hash);
/* Write what is pending (and, with --unique, the table). Returns 0 or a
 * negative errno. */
int output_flush(struct output *o);
int output_finish(struct output *o);
void output_free(struct output *o);

/* A key as the members of a JSON object, without the braces:
 * "eth":{"src":...},"eth_type":"0x0800",... (json.c). */
void json_key_fields(struct buf *out, const struct dp_key *key);

#endif

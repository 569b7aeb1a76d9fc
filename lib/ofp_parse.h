/*
 * ofp_parse.h - lexical pieces shared by the ovs-ofctl syntax parsers.
 *
 * Rules, matches and actions in ovs-ofctl syntax are lists of KEY=VALUE,
 * KEY:VALUE, KEY(VALUE) or bare KEY items separated by commas or blanks,
 * where a value may hold nested parentheses.  This module owns that
 * tokenizer (with 1-based columns for error messages), the number, MAC and
 * IP address scanners the parsers share, and OpenFlow port names (LOCAL,
 * IN_PORT, ..., or a user's names through struct ofp_names).
 */
#ifndef DPKIT_OFP_PARSE_H
#define DPKIT_OFP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

/* Optional port names: "in_port=eth0", and names in output. */
struct ofp_names {
	/* Name of OpenFlow port 'port', or NULL to print the number. */
	const char *(*port_name)(void *aux, uint16_t port);
	/* Number of the port named 'name' (len bytes): 0, or -ENOENT. */
	int (*port_number)(void *aux, const char *name, size_t len,
			   uint16_t *port);
	void *aux;
};

/* One item of a list.  'key' and 'val' point into the scanned text. */
struct ofp_kv {
	const char *key;
	size_t klen;
	const char *val;        /* "" (vlen 0) for a bare key */
	size_t vlen;
	char delim;             /* '=', ':', '(' or 0 for a bare key */
	size_t col;             /* 1-based column of the key */
	size_t tlen;            /* the whole item, closing ')' included */
};

struct ofp_scan {
	const char *s;
	size_t len;
	size_t pos;
	size_t col0;            /* column of s[0], 1-based */
};

void ofp_scan_init(struct ofp_scan *sc, const char *s, size_t len,
		   size_t col0);
/* Next item, or false at the end.  A value after '=' or ':' runs to the
 * next comma or blank outside parentheses; after '(' to the matching ')'
 * (and, for "(x)->y", on to the next comma or blank). */
bool ofp_scan_next(struct ofp_scan *sc, struct ofp_kv *kv);

/* Record an error about item 'kv' in 'err' ("column N: ITEM: message")
 * and return -EINVAL. */
int ofp_kv_err(struct dp_err *err, const struct ofp_kv *kv, const char *fmt,
	       ...) __attribute__((format(printf, 3, 4)));

/* Does the text equal the word (ASCII case-insensitive)? */
bool ofp_word_is(const char *s, size_t len, const char *word);

/* An unsigned integer as ovs-ofctl reads it: 0x hex, 0 octal, decimal.
 * Fails (-EINVAL) on trailing text or a value above 'max'. */
int ofp_parse_u64(const char *s, size_t len, uint64_t max, uint64_t *out);
/* A big-endian integer of up to 16 bytes into be[16] (right-aligned):
 * "0x" followed by any number of hex digits, or a 64-bit number. */
int ofp_parse_be128(const char *s, size_t len, uint8_t be[16]);
int ofp_parse_mac(const char *s, size_t len, uint8_t mac[6]);
int ofp_parse_ipv4(const char *s, size_t len, uint32_t *be);
int ofp_parse_ipv6(const char *s, size_t len, uint8_t addr[16]);
/* Hex bytes "01.02.ab" or "0102ab" (dots optional between bytes). */
int ofp_parse_hex_bytes(const char *s, size_t len, struct buf *out);

/* printf-free number writers: formatting is on the per-packet path of
 * flowtrace and of megaflow dumps. */
void ofp_put_dec(struct buf *out, uint64_t v);
void ofp_put_hex(struct buf *out, uint64_t v, unsigned min_digits);
/* "%#llx": "0x1f", but "0" for zero. */
void ofp_put_0x(struct buf *out, uint64_t v);

void ofp_format_mac(struct buf *out, const uint8_t mac[6]);
void ofp_format_ipv4(struct buf *out, uint32_t be);
void ofp_format_ipv6(struct buf *out, const uint8_t addr[16]);
/* A big-endian number of n bytes as ovs-ofctl prints ct_label: "0x" and
 * the digits without leading zeros, or "0". */
void ofp_format_hexnum(struct buf *out, const uint8_t *be, size_t n);
/* Prefix length of a CIDR mask, or -1 if the mask is not a prefix. */
int ofp_cidr_bits(const uint8_t *mask, size_t n);

/* An OpenFlow port: a number below 65280, one of IN_PORT, TABLE, NORMAL,
 * FLOOD, ALL, CONTROLLER, LOCAL, NONE/ANY (any case), or a name 'names'
 * knows. */
int ofp_port_parse(const char *s, size_t len, const struct ofp_names *names,
		   uint16_t *port);
void ofp_port_format(struct buf *out, uint16_t port,
		     const struct ofp_names *names);

#endif /* DPKIT_OFP_PARSE_H */

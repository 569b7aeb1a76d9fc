/*
 * odp_text_int.h - what the odp_text*.c files share, and nothing else uses.
 *
 * The datapath-flow text module is split by concept:
 *   odp_text.c        numbers, addresses, flag sets, the lexer and its error
 *                     messages, UFIDs, keyword tables;
 *   odp_text_fields.c struct-shaped attributes (eth, ipv4, arp...) as tables
 *                     of fields, printed and read from the tables;
 *   odp_text_key.c    key/mask attributes -> text;
 *   odp_text_kparse.c text -> key/mask attributes;
 *   odp_text_tun.c    tunnel(...) keys, both directions;
 *   odp_text_nsh.c    nsh(...) keys, set(nsh(...)), push_nsh(...);
 *   odp_text_act.c    actions -> text;
 *   odp_text_aparse.c text -> actions;
 *   odp_text_ct.c     the ct(...) action, both directions;
 *   odp_text_tnl.c    tnl_push(...) headers, both directions.
 *
 * Formatting never allocates: it appends to the caller's struct buf and
 * reads attributes through bounds-checked views.  A mask is passed to the
 * per-attribute formatters as a struct mslice (payload or "none" or "all
 * wildcard"), which is how Open vSwitch's "generate an all-wildcard mask"
 * special cases are expressed without building one.
 */
#ifndef DPKIT_ODP_TEXT_INT_H
#define DPKIT_ODP_TEXT_INT_H

#include <linux/openvswitch.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "nlattr.h"
#include "odp_text.h"

/* Highest OVS_KEY_ATTR_* the formatter indexes directly. */
#define OT_KEY_MAX 40

/* Deepest nesting of encap(), sample(), clone()... accepted or printed, as
 * Open vSwitch (MAX_ODP_NESTED). */
#define OT_MAX_DEPTH 32

/* A buffer of zeros standing in for an all-wildcard mask. */
#define OT_ZEROS_LEN 1024
extern const uint8_t ot_zeros[OT_ZEROS_LEN];

/* The mask of one attribute. */
struct mslice {
	const uint8_t *p;       /* payload, or NULL: no mask (exact match) */
	size_t len;
	bool wild;              /* the mask stream lacks the attribute: every
				 * field, nested ones too, is wildcarded */
};

/* Formatting context. */
struct ofmt {
	struct buf *out;
	unsigned flags;                 /* ODP_FMT_* */
	const struct odp_names *names;  /* NULL: numbers */
	int depth;
};

static inline bool ofmt_verbose(const struct ofmt *f)
{
	return f->flags & ODP_FMT_VERBOSE;
}

/* --- output helpers (odp_text.c) ----------------------------------------- */
void ot_chomp(struct buf *b, char c);
void ot_hex_ovs(struct buf *b, const void *p, size_t n);   /* 0x1a02.., "0" */
void ot_hex_spaced(struct buf *b, const void *p, size_t n); /* "1a 02" */
void ot_dec(struct buf *b, uint64_t v);                 /* "%llu" */
void ot_hex(struct buf *b, uint64_t v);                 /* "%#llx" */
void ot_hexw(struct buf *b, uint64_t v, int width);     /* "0x%0*llx" */
void ot_eth(struct buf *b, const uint8_t *mac);
void ot_ipv4(struct buf *b, const uint8_t *be32);
void ot_ipv6(struct buf *b, const uint8_t *in6);
void ot_port(const struct ofmt *f, uint32_t port);
/* Open vSwitch's format_flags() and format_flags_masked(). */
void ot_flags(struct buf *b, const char *(*name)(uint32_t), uint32_t flags,
	      char delim);
void ot_flags_masked(struct buf *b, const char *(*name)(uint32_t),
		     uint32_t flags, uint32_t mask, uint32_t max);
const char *ot_tcp_flag_name(uint32_t bit);
const char *ot_ct_state_name(uint32_t bit);
const char *ot_tun_flag_name(uint32_t bit);
const char *ot_slow_path_name(uint32_t bit);

bool ot_all(const uint8_t *p, size_t n, uint8_t c);
/* Value of a hexadecimal digit, or -1. */
int ot_hexdigit(char c);

static inline uint16_t ot_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}
static inline uint32_t ot_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}
static inline uint64_t ot_be64(const uint8_t *p)
{
	return (uint64_t)ot_be32(p) << 32 | ot_be32(p + 4);
}
static inline uint16_t ot_h16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}
static inline uint32_t ot_h32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}
static inline void ot_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}
static inline void ot_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Struct-shaped attributes are described by tables of fields, used by both
 * the formatter and the parser. */
enum ot_kind {
	OK_U8U,         /* u8, decimal */
	OK_U8X,         /* u8, %#x */
	OK_BE16,        /* be16, decimal */
	OK_BE16X,       /* be16, %#x */
	OK_IPV4,
	OK_IPV6,
	OK_ETH,
	OK_LABEL,       /* be32 IPv6 flow label, 20 bits */
	OK_FRAG,        /* u8 enum ovs_frag_type: no, first, later */
	OK_NDRES,       /* be32 printed 0x%x, mask never shown */
};

struct ot_field {
	const char *name;
	uint8_t kind;
	uint8_t ofs;
	bool parse_only;        /* an alias accepted on input */
};

struct ot_struct {
	uint16_t type;
	uint8_t len;            /* payload length */
	uint8_t cmp_len;        /* bytes that decide exact/wildcard */
	const struct ot_field *fields;  /* ends with name NULL */
};

const struct ot_struct *ot_struct_for(uint16_t type);
/* Is the struct attribute's mask all 'c' (0xff: exact, 0: wildcard)? */
bool ot_struct_mask_is(const struct ot_struct *st, const uint8_t *m,
		       size_t len, uint8_t c);
void ot_fmt_field(const struct ofmt *f, const struct ot_field *fd,
		  const uint8_t *key, const uint8_t *mask);

/* --- the key formatter (odp_text_key.c) ---------------------------------- */
/* Expected payload length of a key attribute: >= 0, or OT_LEN_VAR, or
 * OT_LEN_NESTED, or OT_LEN_UNKNOWN. */
#define OT_LEN_VAR      (-2)
#define OT_LEN_NESTED   (-3)
#define OT_LEN_UNKNOWN  (-1)
int ot_key_len(uint16_t type);
const char *ot_key_name(uint16_t type);

/* One key attribute, "name(...)", with its mask (NULL: exact). */
void ot_fmt_key_attr(const struct ofmt *f, uint16_t type, const uint8_t *k,
		     size_t klen, const struct mslice *m);
/* A stream of key attributes with a mask stream (or none). */
void ot_fmt_key_stream(const struct ofmt *f, const void *key, size_t key_len,
		       const struct mslice *mask);
/* "name(bad key length N, expected E)(hex)..." for a wrong length. */
void ot_fmt_bad_len(struct buf *b, const char *name, const uint8_t *k,
		    size_t klen, const struct mslice *m, int expect);
/* The mask of child 'type' (of key length klen) within nested mask 'm'. */
struct mslice ot_mask_child(const struct mslice *m, uint16_t type,
			    size_t klen);
bool ot_mask_exact(uint16_t type, const struct mslice *m);
bool ot_mask_wild(uint16_t type, const struct mslice *m);

/* Pieces the action formatter shares. */
void ot_fmt_vlan_tci(struct buf *b, uint16_t tci, uint16_t mask, bool verbose);
void ot_fmt_mpls_lse(struct buf *b, uint32_t lse);
void ot_fmt_u128(struct buf *b, const uint8_t *v, const uint8_t *m,
		 bool verbose);

/* tunnel(...) and nsh(...) keys (odp_text_tun.c). */
void ot_fmt_tunnel(const struct ofmt *f, const uint8_t *k, size_t klen,
		   const struct mslice *m);
void ot_fmt_nsh(const struct ofmt *f, const uint8_t *k, size_t klen,
		const struct mslice *m);
/* set(nsh(...)): key and mask interleaved per child, as the kernel wants. */
void ot_fmt_set_nsh(const struct ofmt *f, const uint8_t *p, size_t len);
void ot_fmt_push_nsh(const struct ofmt *f, const uint8_t *p, size_t len);

/* --- the lexer (odp_text.c) ---------------------------------------------- */
struct olx {
	const char *base;       /* start of the text: columns count from here */
	const char *p;          /* cursor */
	const char *end;
	const char *attr;       /* the attribute or action being read */
	struct dp_err *err;
	const struct odp_names *names;
	bool masks_ok;          /* "/mask" allowed */
	int depth;
	bool saw_mask;          /* a "/mask" or "+flag-flag" was read */
};

#define OT_DELIMS ", \t\r\n"

int olx_fail(struct olx *lx, const char *tok, size_t toklen,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Length of the token at the cursor: up to one of 'stop' or the end. */
size_t olx_toklen(const struct olx *lx, const char *stop);
bool olx_eat(struct olx *lx, const char *lit);
bool olx_at(const struct olx *lx, char c);
bool olx_done(const struct olx *lx);
void olx_skip(struct olx *lx, const char *set);
int olx_expect(struct olx *lx, char c);
/* Length of the keyword (letters, digits, '_') at the cursor, 0 if none;
 * nothing is consumed. */
size_t olx_word(const struct olx *lx);

/* Unsigned number, scanf("%i") spelling (0x hex, 0 octal, decimal), at most
 * 'max'. */
int olx_uint(struct olx *lx, uint64_t max, uint64_t *v);
/* "value[/mask]"; without "/mask" *mask = max. */
int olx_uint_masked(struct olx *lx, uint64_t max, uint64_t *v,
		    uint64_t *mask);
/* A decimal number with an optional fraction, for sample=N%. */
int olx_double(struct olx *lx, double *v);
int olx_ipv4(struct olx *lx, uint8_t *be32);
int olx_ipv6(struct olx *lx, uint8_t *in6);
int olx_eth(struct olx *lx, uint8_t *mac);
/* Masked forms of the above ("addr/mask"; no mask: all ones). */
int olx_addr_masked(struct olx *lx, int kind, uint8_t *k, uint8_t *m);
/* A hex string, "0x..." or plain digits, right-aligned into n bytes, as
 * Open vSwitch's parse_int_string() (decimal too). */
int olx_bigint(struct olx *lx, uint8_t *out, size_t n);
/* Plain hex digit pairs into 'out' (userdata()); returns the byte count in
 * *n; max bytes 'cap'. */
int olx_hexbytes(struct olx *lx, uint8_t *out, size_t cap, size_t *n);
/* A flag set: "a|b|0x10", or masked "+a-b" / "0x1/0x3" when masks are
 * allowed (*mask gets the bits named; unmasked: all ones). */
int olx_flags(struct olx *lx, const char *(*name)(uint32_t), uint32_t allowed,
	      char end, char delim, uint32_t *flags, uint32_t *mask);
int olx_port(struct olx *lx, uint32_t *port, const char *stop);
/* Field list "name=value,..." of a struct attribute (after its '('). */
int olx_struct(struct olx *lx, const struct ot_struct *st, uint8_t *k,
	       uint8_t *m);
int olx_field(struct olx *lx, const struct ot_field *fd, uint8_t *k,
	      uint8_t *m);

/* --- parsers -------------------------------------------------------------- */
/* One key attribute at the cursor into key and mask buffers. */
int ot_parse_key_attr(struct olx *lx, struct buf *key, struct buf *mask);
int ot_parse_tunnel(struct olx *lx, struct buf *key, struct buf *mask);
int ot_parse_nsh(struct olx *lx, uint8_t *k, uint8_t *m, bool *md1);
void ot_put_nsh(struct buf *b, uint16_t type, const uint8_t *v,
		const uint8_t *m, bool with_md1, bool interleave);
int ot_parse_push_nsh(struct olx *lx, struct buf *acts);
/* One action at the cursor. */
int ot_parse_action(struct olx *lx, struct buf *acts);
/* A nested list up to ')' (not consumed); "drop" alone is empty. */
int ot_parse_action_list(struct olx *lx, struct buf *acts);

/* Actions (odp_text_act.c, odp_text_ct.c, odp_text_aparse.c). */
/* Index a nested stream by type; false if malformed or a length does not
 * match lens[type] (-1: any, -2: at least 1). */
bool ot_parse_nested(const uint8_t *p, size_t len, const struct nlattr **tb,
		     int max, const int *lens);
void ot_fmt_ct(struct buf *b, const uint8_t *p, size_t len);
int ot_parse_ct(struct olx *lx, struct buf *acts);
/* Hex digits with an optional "0x", as scanf's %x. */
int ot_hex_u64(struct olx *lx, uint64_t max, uint64_t *v);

/* tnl_push (odp_text_tnl.c). */
void ot_fmt_tnl_push(const struct ofmt *f, const uint8_t *p, size_t len);
int ot_parse_tnl_push(struct olx *lx, struct buf *acts);

#endif

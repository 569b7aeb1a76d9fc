/* output.c - flowtrace's key output (see output.h). */
#include "output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extract.h"
#include "odp_key.h"
#include "odp_text.h"
#include "odp_text_exact.h"
#include "ofp_match_text.h"
#include "ofp_match_text_exact.h"

#define FLUSH_AT   (256 * 1024)
#define CACHE_KEYS 65536        /* keys whose text is remembered */

void output_init(struct output *o, enum out_format f, const char *actions,
		 bool unique, int fd)
{
	memset(o, 0, sizeof *o);
	o->format = f;
	o->actions = actions;
	o->unique = unique;
	o->fd = fd;
	buf_init(&o->text);
	buf_init(&o->scratch);
	buf_init(&o->mask_attrs);
	memset(&o->exact, 0xff, sizeof o->exact);
	keytab_init(&o->uniq, 0);
	keytab_init(&o->cache, CACHE_KEYS);
}

void output_free(struct output *o)
{
	buf_free(&o->text);
	buf_free(&o->scratch);
	buf_free(&o->mask_attrs);
	keytab_free(&o->uniq);
	keytab_free(&o->cache);
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int output_flush(struct output *o)
{
	int rc;

	if (!buf_ok(&o->text) && !o->error)
		o->error = ENOMEM;
	if (o->error)
		return -o->error;
	rc = write_all(o->fd, o->text.data, o->text.len);
	buf_clear(&o->text);
	if (rc)
		o->error = -rc;
	return rc;
}

/* The flow of 'key' (attributes in o->scratch and o->mask_attrs) as
 * ovs-dpctl text, checked as dpctl add-flows would take it: the attributes
 * by the kernel's rules (lib/odp_key), and for a VLAN-tagged key, whose
 * text nests encap(), the text itself read back (lib/odp_text; reading
 * text costs twice as much as writing it, so not for every key).  A few
 * malformed or unusual frames get a key from the kernel that does not come
 * back as a flow (a VLAN ethertype whose tag is cut short, an MPLS stack
 * without its bottom, an 802.3 frame inside a VLAN tag): those come out as
 * a comment with the reason, which add-flows skips, so that one such frame
 * does not stop a whole file of flows.  (This runs once per distinct key:
 * the text is cached.) */
static void put_dpctl_flow(struct output *o, struct buf *b,
			   const struct dp_key *key)
{
	struct dp_err err = { 0, "" };
	size_t at = b->len;
	struct dp_key k, m;
	bool bad;

	bad = odp_match_from_attrs(o->scratch.data, o->scratch.len,
				   o->mask_attrs.data, o->mask_attrs.len, &k,
				   &m, &err) != 0;
	odp_key_to_text(b, o->scratch.data, o->scratch.len,
			o->mask_attrs.data, o->mask_attrs.len, 0, NULL);
	if (!bad && (key->vlan.tci || key->vlan.tpid) && buf_ok(b)) {
		buf_clear(&o->scratch);
		buf_clear(&o->mask_attrs);
		bad = odp_key_from_text((const char *)b->data + at, b->len - at,
					&o->scratch, &o->mask_attrs, NULL,
					&err) ||
		      odp_match_from_attrs(o->scratch.data, o->scratch.len,
					   o->mask_attrs.data,
					   o->mask_attrs.len, &k, &m, &err);
	}
	if (bad && buf_ok(b)) {
		buf_put(b, NULL, 2);
		memmove(b->data + at + 2, b->data + at, b->len - at - 2);
		memcpy(b->data + at, "# ", 2);
		buf_puts(b, " (not a flow the kernel takes back: ");
		buf_puts(b, dp_err_str(&err));
		buf_putc(b, ')');
	}
}

/* The text of one key in the chosen syntax, no newline; for JSON, the
 * key's members without braces. */
static void put_key(struct output *o, struct buf *b, const struct dp_key *key)
{
	switch (o->format) {
	case OUT_OF:
		if (!ofp_exact_key_to_text(b, key))
			ofp_match_format_dp(b, key, NULL, NULL);
		break;
	case OUT_JSON:
		json_key_fields(b, key);
		break;
	case OUT_DPCTL:
		/* Common keys straight to text: the same bytes, a tenth of
		 * the work. */
		if (odp_exact_key_to_text(b, key))
			break;
		/* The flow that matches exactly this packet, as the kernel
		 * reports it (dump-flows): the key's attributes with the mask
		 * of an exact flow.  The mask shows only where it is partial,
		 * ct_state for one, whose exact mask covers the defined flags:
		 * a bare ct_state(0) would be read back with a mask of all 32
		 * bits, which the kernel refuses. */
		buf_clear(&o->scratch);
		buf_clear(&o->mask_attrs);
		odp_key_to_attrs(&o->scratch, key);
		odp_mask_to_attrs(&o->mask_attrs, key, &o->exact);
		put_dpctl_flow(o, b, key);
		break;
	}
}

/* put_key() through the text cache: a key printed before is copied.
 * The text of a common key (lib/odp_text_exact, lib/ofp_match_text_exact)
 * takes about a thousand instructions, of any other ~12,000 in ovs-dpctl
 * syntax (lib/odp_key, then lib/odp_text) and ~5,000 in ovs-ofctl syntax
 * (lib/ofp_match_text); a lookup ~100 and some misses of the processor's
 * caches, which the pipeline's prefetching hides; our JSON is not worth
 * it.  Once the cache is full, a capture whose keys keep changing stops
 * using it (fewer than 1 in 8 lookups hit). */
static void put_key_cached(struct output *o, struct buf *b,
			   const struct dp_key *key, const uint32_t *hash)
{
	struct keytab_entry *e;
	size_t at = b->len;

	if (o->format == OUT_JSON || o->cache_off) {
		put_key(o, b, key);
		return;
	}
	e = hash ? keytab_get_hashed(&o->cache, key, *hash, NULL) :
		   keytab_get(&o->cache, key, NULL);
	if (o->cache.n == o->cache.max) {
		o->cache_hits += e && e->text_len;
		if (++o->cache_lookups == CACHE_KEYS) {
			o->cache_off = o->cache_hits * 8 < o->cache_lookups;
			o->cache_hits = o->cache_lookups = 0;
		}
	}
	if (e && e->text_len) {
		buf_put(b, o->cache.text.data + e->text_ofs, e->text_len);
		return;
	}
	put_key(o, b, key);
	if (e && b->len > at && b->len - at < UINT32_MAX &&
	    o->cache.text.len < UINT32_MAX - (b->len - at)) {
		e->text_ofs = (uint32_t)o->cache.text.len;
		e->text_len = (uint32_t)(b->len - at);
		buf_put(&o->cache.text, b->data + at, b->len - at);
	}
}

static void put_dec(struct buf *b, uint64_t v)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		buf_putc(b, tmp[--n]);
}

static void emit_packet(struct output *o, const struct dp_key *key,
			const uint32_t *hash, uint32_t wire_len, bool refused)
{
	struct buf *b = &o->text;
	size_t at;

	switch (o->format) {
	case OUT_JSON:
		buf_puts(b, "{\"packet\":");
		put_dec(b, o->stats.packets);
		buf_puts(b, ",\"len\":");
		put_dec(b, wire_len);
		if (refused)
			buf_puts(b, ",\"error\":\"shorter than an Ethernet "
				 "header: the datapath drops it\"");
		buf_putc(b, ',');
		put_key_cached(o, b, key, hash);
		buf_putc(b, '}');
		break;
	case OUT_DPCTL:
		if (refused) {
			/* No key: the datapath drops the frame.  A comment keeps
			 * one line per packet and dpctl add-flows skips it. */
			buf_puts(b, "# packet ");
			put_dec(b, o->stats.packets);
			buf_puts(b, ": ");
			put_dec(b, wire_len);
			buf_puts(b, " bytes, shorter than an Ethernet header: "
				 "dropped by the datapath");
			break;
		}
		at = b->len;
		put_key_cached(o, b, key, hash);
		if (o->actions && *o->actions && b->len > at &&
		    b->data[at] != '#') {
			buf_putc(b, ' ');
			buf_puts(b, o->actions);
		}
		break;
	case OUT_OF:
		put_key_cached(o, b, key, hash);
		break;
	}
	if (b->len < b->cap)            /* the common case, without a call */
		b->data[b->len++] = '\n';
	else
		buf_putc(b, '\n');
}

static void count_unique(struct output *o, const struct dp_key *key,
			 const uint32_t *hash, uint32_t wire_len, bool refused)
{
	bool oom = false;
	struct keytab_entry *e = hash ?
		keytab_get_hashed(&o->uniq, key, *hash, &oom) :
		keytab_get(&o->uniq, key, &oom);

	if (!e) {
		o->error = ENOMEM;
		return;
	}
	e->packets++;
	e->bytes += wire_len;
	e->refused = refused;
}

static void packet(struct output *o, const struct dp_key *key,
		   const uint32_t *hash, uint32_t wire_len, bool refused,
		   bool snapped)
{
	o->stats.packets++;
	o->stats.bytes += wire_len;
	o->stats.short_frames += refused;
	o->stats.snapped += snapped;
	if (o->unique) {
		count_unique(o, key, hash, wire_len, refused);
		return;
	}
	emit_packet(o, key, hash, wire_len, refused);
	if (o->text.len >= FLUSH_AT)
		output_flush(o);
}

void output_prefetch_slot(const struct output *o, uint32_t hash)
{
	keytab_prefetch_slot(o->unique ? &o->uniq : &o->cache, hash);
}

void output_prefetch_entry(const struct output *o, uint32_t hash)
{
	keytab_prefetch_entry(o->unique ? &o->uniq : &o->cache, hash);
}

void output_prefetch_text(const struct output *o, uint32_t hash)
{
	if (!o->unique)
		keytab_prefetch_text(&o->cache, hash);
}

void output_packet(struct output *o, const struct dp_key *key,
		   uint32_t wire_len, bool refused, bool snapped)
{
	packet(o, key, NULL, wire_len, refused, snapped);
}

void output_packet_hashed(struct output *o, const struct dp_key *key,
			  uint32_t hash, uint32_t wire_len, bool refused,
			  bool snapped)
{
	packet(o, key, &hash, wire_len, refused, snapped);
}

struct line {
	const char *s;
	size_t len;
	size_t idx;
};

static int line_cmp(const void *a, const void *b)
{
	const struct line *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->s, y->s, n);

	return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* --unique: every distinct key once, in byte order of its text, with its
 * counters placed as the matching dump-flows command shows them. */
static int write_unique(struct output *o)
{
	size_t n = o->uniq.n;
	struct buf keys = BUF_INIT;
	struct line *lines;
	size_t *ofs, i;
	struct dp_key k;
	int rc = 0;

	lines = calloc(n + 1, sizeof *lines);
	ofs = calloc(n + 1, sizeof *ofs);
	if (!lines || !ofs) {
		rc = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		const struct keytab_entry *e = keytab_at(&o->uniq, i);

		keytab_key(e, &k);
		ofs[i] = keys.len;
		if (e->refused && o->format == OUT_DPCTL)
			buf_puts(&keys, "# shorter than an Ethernet header");
		else
			put_key(o, &keys, &k);
	}
	ofs[n] = keys.len;
	if (!buf_ok(&keys)) {
		rc = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		lines[i].s = (const char *)keys.data + ofs[i];
		lines[i].len = ofs[i + 1] - ofs[i];
		lines[i].idx = i;
	}
	qsort(lines, n, sizeof *lines, line_cmp);

	for (i = 0; i < n && !rc; i++) {
		const struct keytab_entry *e = keytab_at(&o->uniq, lines[i].idx);
		struct buf *b = &o->text;

		switch (o->format) {
		case OUT_OF:
			buf_puts(b, "n_packets=");
			put_dec(b, e->packets);
			buf_puts(b, ", n_bytes=");
			put_dec(b, e->bytes);
			buf_puts(b, ", ");
			buf_put(b, lines[i].s, lines[i].len);
			break;
		case OUT_DPCTL:
			buf_put(b, lines[i].s, lines[i].len);
			buf_puts(b, ", packets:");
			put_dec(b, e->packets);
			buf_puts(b, ", bytes:");
			put_dec(b, e->bytes);
			if (o->actions && *o->actions && lines[i].s[0] != '#') {
				buf_puts(b, ", actions:");
				buf_puts(b, o->actions);
			}
			break;
		case OUT_JSON:
			buf_puts(b, "{\"packets\":");
			put_dec(b, e->packets);
			buf_puts(b, ",\"bytes\":");
			put_dec(b, e->bytes);
			if (e->refused)
				buf_puts(b, ",\"error\":\"shorter than an "
					 "Ethernet header: the datapath drops it\"");
			buf_putc(b, ',');
			buf_put(b, lines[i].s, lines[i].len);
			buf_putc(b, '}');
			break;
		}
		buf_putc(b, '\n');
		if (b->len >= FLUSH_AT)
			rc = output_flush(o);
	}
out:
	buf_free(&keys);
	free(lines);
	free(ofs);
	return rc;
}

int output_finish(struct output *o)
{
	int rc = 0;

	if (o->unique && !o->error)
		rc = write_unique(o);
	if (!rc)
		rc = output_flush(o);
	return rc ? rc : (o->error ? -o->error : 0);
}

/*
 * classifier_trie.c - prefix tries for the classifier.
 *
 * Path-compressed binary tries: a node exists only where some rule's
 * prefix ends or where two prefixes part ways, and holds the bits of the
 * whole path from the root (key) up to its depth.  A walk therefore costs
 * one step per branching, not per bit, which matters: the walk is on the
 * lookup path of every packet.
 */
#include "classifier_trie.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct cls_trie_node {
	struct cls_trie_node *child[2];
	uint8_t key[16];                /* bits [0, depth) are the path */
	uint8_t depth;                  /* bits from the root */
	uint32_t n_here;                /* rules whose prefix ends here */
	uint32_t n_below;               /* rules whose prefix goes deeper */
};

void cls_trie_init(struct cls_trie *t, uint16_t ofs, uint8_t n_bytes)
{
	t->root = NULL;
	t->ofs = ofs;
	t->n_bytes = n_bytes;
}

static void free_node(struct cls_trie_node *n)
{
	if (n) {
		free_node(n->child[0]);
		free_node(n->child[1]);
		free(n);
	}
}

void cls_trie_destroy(struct cls_trie *t)
{
	free_node(t->root);
	t->root = NULL;
}

static const uint8_t *range(const struct cls_trie *t, const struct ofp_flow *f)
{
	return (const uint8_t *)f + t->ofs;
}

static unsigned bit_at(const uint8_t *p, unsigned i)
{
	return (p[i / 8] >> (7 - i % 8)) & 1;
}

/* The first bit in [from, to) where a and b differ, or 'to'. */
static unsigned first_diff(const uint8_t *a, const uint8_t *b, unsigned from,
			   unsigned to)
{
	unsigned i = from;

	while (i < to) {
		uint8_t x = a[i / 8] ^ b[i / 8];

		if (i % 8 == 0 && !x) {
			i += 8;
			continue;
		}
		if ((x >> (7 - i % 8)) & 1)
			return i;
		i++;
	}
	return to;
}

int cls_trie_prefix_len(const struct cls_trie *t, const struct ofp_flow *mask)
{
	const uint8_t *m = range(t, mask);
	int bits = 0;
	unsigned i;

	for (i = 0; i < t->n_bytes && m[i] == 0xff; i++)
		bits += 8;
	if (i < t->n_bytes) {
		uint8_t b = m[i];

		while (b & 0x80) {
			bits++;
			b = (uint8_t)(b << 1);
		}
		if (b)
			return -1;
		for (i++; i < t->n_bytes; i++)
			if (m[i])
				return -1;
	}
	return bits;
}

static struct cls_trie_node *node_new(const uint8_t *key, unsigned depth,
				      unsigned n_bytes)
{
	struct cls_trie_node *n = calloc(1, sizeof *n);

	if (n) {
		memcpy(n->key, key, n_bytes);
		n->depth = (uint8_t)depth;
	}
	return n;
}

int cls_trie_insert(struct cls_trie *t, const struct ofp_flow *value,
		    unsigned plen)
{
	const uint8_t *v = range(t, value);
	struct cls_trie_node *path[130], *n, *c, *m, *l;
	unsigned np = 0, i, j, b;
	bool here = false;              /* the prefix ended at n itself */

	if (!t->root && !(t->root = node_new(v, 0, t->n_bytes)))
		return -ENOMEM;
	n = t->root;
	for (;;) {
		if (plen == n->depth) {
			n->n_here++;
			here = true;
			break;
		}
		b = bit_at(v, n->depth);
		c = n->child[b];
		if (!c) {
			l = node_new(v, plen, t->n_bytes);
			if (!l)
				return -ENOMEM;
			l->n_here = 1;
			n->child[b] = l;
			break;
		}
		i = first_diff(v, c->key, n->depth, plen < c->depth ? plen : c->depth);
		if (i == c->depth) {            /* c is on our path: go down */
			path[np++] = n;
			n = c;
			continue;
		}
		/* Split the edge to c at bit i: a node there, c below it. */
		m = node_new(v, i, t->n_bytes);
		if (!m)
			return -ENOMEM;
		m->child[bit_at(c->key, i)] = c;
		m->n_below = c->n_here + c->n_below;
		if (i == plen) {
			m->n_here = 1;          /* our prefix ends at the split */
		} else {
			l = node_new(v, plen, t->n_bytes);
			if (!l) {
				free(m);
				return -ENOMEM;
			}
			l->n_here = 1;
			m->child[bit_at(v, i)] = l;
			m->n_below++;
		}
		n->child[b] = m;
		break;
	}
	/* Every node above the one holding the prefix counts it below. */
	for (j = 0; j < np; j++)
		path[j]->n_below++;
	if (!here)
		n->n_below++;           /* it went into a new node under n */
	return 0;
}

/* Replace a node that no rule ends at and that has at most one child by
 * that child. */
static void splice(struct cls_trie_node **slot)
{
	struct cls_trie_node *n = *slot;

	if (!n || n->n_here || (n->child[0] && n->child[1]))
		return;
	*slot = n->child[0] ? n->child[0] : n->child[1];
	free(n);
}

void cls_trie_remove(struct cls_trie *t, const struct ofp_flow *value,
		     unsigned plen)
{
	const uint8_t *v = range(t, value);
	struct cls_trie_node **slot[130], **sp = &t->root;
	unsigned ns = 0, i;

	while (*sp && (*sp)->depth < plen) {
		slot[ns++] = sp;
		sp = &(*sp)->child[bit_at(v, (*sp)->depth)];
	}
	if (!*sp || (*sp)->depth != plen || !(*sp)->n_here ||
	    first_diff(v, (*sp)->key, 0, plen) != plen)
		return;                 /* not there: nothing to undo */
	(*sp)->n_here--;
	for (i = 0; i < ns; i++)
		(*slot[i])->n_below--;
	/* Tidy from the bottom: a node with no rule at or below it goes, a
	 * node that no longer branches is spliced out; never the root. */
	if (!(*sp)->n_here && !(*sp)->n_below && sp != &t->root) {
		free(*sp);
		*sp = NULL;
	} else if (sp != &t->root) {
		splice(sp);
	}
	if (ns > 1)
		splice(slot[ns - 1]);
	if (t->root && !t->root->n_here && !t->root->n_below) {
		free(t->root);
		t->root = NULL;
	}
}

void cls_trie_lookup(const struct cls_trie *t, const struct ofp_flow *flow,
		     struct cls_trie_result *r)
{
	const uint8_t *v = range(t, flow);
	const struct cls_trie_node *n = t->root;
	unsigned max = t->n_bytes * 8u, d = 0, i;

	memset(r, 0, sizeof *r);
	while (n) {
		/* The edge into n: bits [d, n->depth) must agree. */
		i = first_diff(v, n->key, d, n->depth);
		if (i < n->depth) {
			r->nbits = i + 1;
			return;
		}
		d = n->depth;
		if (n->n_here)
			r->plens[d / 64] |= 1ull << (d % 64);
		if (d == max || !n->n_below) {
			r->nbits = d;   /* nothing deeper: bit d does not matter */
			return;
		}
		n = n->child[bit_at(v, d)];
		d++;
	}
	r->nbits = d;           /* bit d-1 led nowhere: it mattered */
}

void cls_trie_unwildcard(const struct cls_trie *t, struct ofp_flow *wc,
			 unsigned n)
{
	uint8_t *m = (uint8_t *)wc + t->ofs;
	unsigned i;

	for (i = 0; i < n / 8; i++)
		m[i] = 0xff;
	if (n % 8)
		m[n / 8] |= (uint8_t)(0xff00 >> (n % 8));
}

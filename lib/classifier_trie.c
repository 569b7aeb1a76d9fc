/*
 * classifier_trie.c - prefix tries for the classifier.
 */
#include "classifier_trie.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct cls_trie_node {
	struct cls_trie_node *child[2];
	uint32_t n_here;                /* rules whose prefix ends here */
	uint32_t n_below;               /* rules whose prefix passes through */
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

int cls_trie_insert(struct cls_trie *t, const struct ofp_flow *value,
		    unsigned plen)
{
	const uint8_t *v = range(t, value);
	struct cls_trie_node **np = &t->root, *path[129];
	unsigned i;

	/* Create the path first, so that a failed allocation leaves the
	 * counts untouched. */
	for (i = 0; i <= plen; i++) {
		if (!*np) {
			*np = calloc(1, sizeof **np);
			if (!*np)
				return -ENOMEM;
		}
		path[i] = *np;
		if (i < plen)
			np = &(*np)->child[bit_at(v, i)];
	}
	for (i = 0; i < plen; i++)
		path[i]->n_below++;
	path[plen]->n_here++;
	return 0;
}

void cls_trie_remove(struct cls_trie *t, const struct ofp_flow *value,
		     unsigned plen)
{
	const uint8_t *v = range(t, value);
	struct cls_trie_node **slot[129];
	struct cls_trie_node **np = &t->root;
	unsigned i;

	for (i = 0; i <= plen; i++) {
		if (!*np)
			return;         /* not there: nothing to undo */
		slot[i] = np;
		if (i < plen)
			np = &(*np)->child[bit_at(v, i)];
	}
	(*slot[plen])->n_here--;
	for (i = 0; i < plen; i++)
		(*slot[i])->n_below--;
	/* Free the nodes no rule passes through any more, deepest first. */
	for (i = plen + 1; i-- > 0;) {
		struct cls_trie_node *n = *slot[i];

		if (n->n_here || n->n_below)
			break;
		free(n);
		*slot[i] = NULL;
	}
}

void cls_trie_lookup(const struct cls_trie *t, const struct ofp_flow *flow,
		     struct cls_trie_result *r)
{
	const uint8_t *v = range(t, flow);
	const struct cls_trie_node *n = t->root;
	unsigned max = t->n_bytes * 8u, d = 0;

	memset(r, 0, sizeof *r);
	while (n) {
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

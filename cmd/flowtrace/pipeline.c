/* pipeline.c - a capture file on two threads (see pipeline.h). */
#include "pipeline.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "keytab.h"

#define BATCH   1024            /* packets handed over at once */
#define NBATCH  4               /* batches in the ring */
#define PF_SLOT  24             /* prefetch a lookup's index slot, */
#define PF_ENTRY 12             /* then its entry, then its text, */
#define PF_TEXT  4              /* this many packets ahead */

/* A packet: its key is extracted right here, over the template's metadata
 * (which extraction leaves alone), and printed from here. */
struct slot {
	struct dp_key key;
	uint32_t hash;                  /* keytab_hash(&key), if want_hash */
	uint32_t wire_len;
	bool refused;
	bool snapped;
};

struct batch {
	size_t n;
	struct slot s[BATCH];
};

struct pipeline {
	pthread_mutex_t mu;
	pthread_cond_t filled;          /* a batch is ready, or done */
	pthread_cond_t freed;           /* a batch is free again */
	size_t head;                    /* batches published by the reader */
	size_t tail;                    /* batches the writer has finished */
	bool done;                      /* the reader has published its last */
	bool failed;                    /* the writer hit an error: stop */
	struct batch *ring;

	/* the reader's */
	bool want_hash;                 /* the writer looks keys up */
	struct capture *cap;
	uint64_t limit;
	uint64_t count;
	struct batch *cur;

	/* the writer's */
	struct output *out;
};

static void publish(struct pipeline *p)
{
	pthread_mutex_lock(&p->mu);
	p->head++;
	pthread_cond_signal(&p->filled);
	/* (after a write error the writer still frees batches: it skips
	 * their packets) */
	while (p->head - p->tail == NBATCH)
		pthread_cond_wait(&p->freed, &p->mu);
	p->cur = &p->ring[p->head % NBATCH];
	p->cur->n = 0;
	pthread_mutex_unlock(&p->mu);
}

static void on_packet(u_char *user, const struct pcap_pkthdr *h,
		      const u_char *data)
{
	struct pipeline *p = (struct pipeline *)(void *)user;
	struct slot *s = &p->cur->s[p->cur->n];
	const uint8_t *pkt;
	size_t len;

	capture_frame(p->cap, data, h->caplen, &pkt, &len, &s->key);
	s->refused = dp_extract(pkt, len, &s->key) != 0;
	s->snapped = h->caplen < h->len;
	s->wire_len = h->len;
	/* The lookup's hash here, where there is time to spare. */
	if (p->want_hash)
		s->hash = keytab_hash(&s->key);
	if (++p->cur->n == BATCH) {
		publish(p);
		if (__atomic_load_n(&p->failed, __ATOMIC_RELAXED))
			capture_break(p->cap);
	}
	if (p->limit && ++p->count >= p->limit)
		capture_break(p->cap);
}

static void *writer(void *arg)
{
	struct pipeline *p = arg;

	for (;;) {
		struct batch *b;
		size_t i;

		pthread_mutex_lock(&p->mu);
		while (p->tail == p->head && !p->done)
			pthread_cond_wait(&p->filled, &p->mu);
		if (p->tail == p->head) {
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		b = &p->ring[p->tail % NBATCH];
		pthread_mutex_unlock(&p->mu);

		for (i = 0; i < b->n && !p->out->error; i++) {
			const struct slot *s = &b->s[i];

			/* The lookups of the packets a little ahead, in two
			 * steps, so that memory is there when they come. */
			if (p->want_hash && i + PF_SLOT < b->n)
				output_prefetch_slot(p->out,
						     b->s[i + PF_SLOT].hash);
			if (p->want_hash && i + PF_ENTRY < b->n)
				output_prefetch_entry(p->out,
						      b->s[i + PF_ENTRY].hash);
			if (p->want_hash && i + PF_TEXT < b->n)
				output_prefetch_text(p->out,
						     b->s[i + PF_TEXT].hash);
			if (p->want_hash)
				output_packet_hashed(p->out, &s->key, s->hash,
						     s->wire_len, s->refused,
						     s->snapped);
			else
				output_packet(p->out, &s->key, s->wire_len,
					      s->refused, s->snapped);
		}

		pthread_mutex_lock(&p->mu);
		p->tail++;
		if (p->out->error)
			__atomic_store_n(&p->failed, true, __ATOMIC_RELAXED);
		pthread_cond_signal(&p->freed);
		pthread_mutex_unlock(&p->mu);
	}
}

int pipeline_run(struct capture *cap, struct output *out,
		 const struct dp_key *key, uint64_t limit)
{
	struct pipeline *p = calloc(1, sizeof *p);
	pthread_t t;
	size_t i, j;
	int rc;

	if (!p || !(p->ring = calloc(NBATCH, sizeof *p->ring))) {
		free(p);
		return PIPELINE_NOT_STARTED;
	}
	for (i = 0; i < NBATCH; i++)
		for (j = 0; j < BATCH; j++)
			p->ring[i].s[j].key = *key;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->filled, NULL);
	pthread_cond_init(&p->freed, NULL);
	p->cap = cap;
	p->out = out;
	p->limit = limit;
	p->want_hash = out->unique || out->format != OUT_JSON;
	p->cur = &p->ring[0];
	if (pthread_create(&t, NULL, writer, p)) {
		free(p->ring);
		free(p);
		return PIPELINE_NOT_STARTED;
	}

	rc = capture_loop(cap, on_packet, (u_char *)p);

	pthread_mutex_lock(&p->mu);
	if (p->cur->n)
		p->head++;
	p->done = true;
	pthread_cond_signal(&p->filled);
	pthread_mutex_unlock(&p->mu);
	pthread_join(t, NULL);

	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->filled);
	pthread_cond_destroy(&p->freed);
	free(p->ring);
	free(p);
	return rc;
}

/*
 * conformance.h - reading /work/shared/conformance from unit tests.
 *
 * The conformance data (what Open vSwitch 3.1 did with hundreds of flows)
 * lives outside the repository: $DPKIT_CONFORMANCE, or ../shared/
 * conformance beside the checkout.  conformance_dir() finds it or skips
 * with the reason; the TSV helpers split its lines.  The port names are
 * those of the datapath the data was taken from.  Include after tap.h.
 */
#ifndef DPKIT_TEST_CONFORMANCE_H
#define DPKIT_TEST_CONFORMANCE_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odp_text.h"

#define MAXCOL 16

/* The datapath the data was taken from: port 0 ovs-netdev, port 1 br0. */
static inline const char *port_name(void *aux, uint32_t port)
{
	(void)aux;
	return port == 0 ? "ovs-netdev" : port == 1 ? "br0" : NULL;
}

static inline int port_number(void *aux, const char *name, uint32_t *port)
{
	(void)aux;
	if (!strcmp(name, "ovs-netdev"))
		*port = 0;
	else if (!strcmp(name, "br0"))
		*port = 1;
	else
		return -ENOENT;
	return 0;
}

static const struct odp_names names = { port_name, port_number, NULL };

/* One TSV line split into cells, "\n" "\t" "\\" unescaped in place. */
static inline int split(char *line, char **cell)
{
	int n = 0;
	char *p = line, *w;

	line[strcspn(line, "\n")] = '\0';
	cell[n++] = p;
	for (w = p; *p; p++) {
		if (*p == '\t') {
			*w++ = '\0';
			if (n < MAXCOL)
				cell[n++] = w;
		} else if (*p == '\\' && p[1]) {
			p++;
			*w++ = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
	return n;
}

static inline int col(char **hdr, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(hdr[i], name))
			return i;
	return -1;
}

/* Open odp-keys/FILE and split its header line into hdr[]; NULL (and a
 * skipped test point) if it cannot be read. */
static inline FILE *open_tsv(const char *dir, const char *file, char *hline,
		      size_t hsize, char **hdr, int *nh)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof path, "%s/odp-keys/%s", dir, file);
	f = fopen(path, "r");
	if (!f || !fgets(hline, (int)hsize, f)) {
		char why[1200];

		snprintf(why, sizeof why, "cannot read %s", path);
		skip(why);
		if (f)
			fclose(f);
		return NULL;
	}
	*nh = split(hline, hdr);
	return f;
}

/* The conformance directory into dir[]; false (and a skipped test point
 * saying why) if there is none. */
static inline bool conformance_dir(char *dir, size_t n)
{
	const char *env = getenv("DPKIT_CONFORMANCE");
	const char *top = getenv("DPKIT_TOP");
	/* $DPKIT_TOP/../shared from the main checkout; a worktree under
	 * /work/wt/NAME is one level deeper. */
	const char *rel[] = { "../shared/conformance", "../../shared/conformance" };
	char probe[1100];
	FILE *f = NULL;
	size_t i;

	for (i = 0; i < (env ? 1 : 2) && !f; i++) {
		if (env)
			snprintf(dir, n, "%s", env);
		else
			snprintf(dir, n, "%s/%s", top ? top : ".", rel[i]);
		snprintf(probe, sizeof probe, "%s/odp-keys/accepted.tsv", dir);
		f = fopen(probe, "r");
	}
	if (!f) {
		char why[1200];

		snprintf(why, sizeof why, "no conformance data at %s "
			 "(set DPKIT_CONFORMANCE)", probe);
		skip(why);
		return false;
	}
	fclose(f);
	return true;
}

#endif

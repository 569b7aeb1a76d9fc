/*
 * xlate_harness.h - a bridge for the xlate unit tests: rule tables loaded
 * from ovs-ofctl text, ports 1..5 and LOCAL, a MAC table and a
 * recirculation table; packets written as ovs-ofctl flows; each
 * translation's datapath actions and megaflow as text, and a check that
 * the kernel would take both (odp_match_from_attrs, odp_actions_check).
 */
#ifndef DPKIT_TEST_XLATE_HARNESS_H
#define DPKIT_TEST_XLATE_HARNESS_H

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nlattr.h"
#include "odp_key.h"
#include "odp_text.h"
#include "ofp_match_text.h"
#include "ofp_rules.h"
#include "trace.h"
#include "xlate.h"
#include "xlate_recirc.h"
#include "tap.h"

static struct ofp_tables T;
static struct mac_learn ML;
static struct xlate_recirc *RC;
static struct xlate_bridge BR;
static struct xlate_out XO;
static int64_t NOW = 1000000;
static unsigned h_translations, h_kernel_bad;
static char h_actions[8192], h_megaflow[4096];
static struct dp_key h_key;

static void h_ports(const unsigned *dp, size_t n)
{
	struct xlate_port ps[16];
	size_t i;

	memset(ps, 0, sizeof ps);
	for (i = 0; i < n; i++) {
		ps[i].dp_port = dp[i];
		snprintf(ps[i].name, sizeof ps[i].name, dp[i] ? "p%u" : "br0",
			 dp[i]);
	}
	xlate_bridge_set_ports(&BR, ps, n, NULL);
}

static void h_init(void)
{
	static const unsigned dp[] = { 0, 1, 2, 3, 4, 5 };

	ofp_tables_init(&T);
	mac_learn_init(&ML, 0, 0);
	RC = xlate_recirc_create();
	xlate_bridge_init(&BR, "br0", &T, &ML, RC, 4242);
	h_ports(dp, 6);
	xlate_out_init(&XO);
}

static void h_fini(void)
{
	xlate_out_uninit(&XO);
	xlate_bridge_destroy(&BR);
	xlate_recirc_destroy(RC);
	mac_learn_destroy(&ML);
	ofp_tables_destroy(&T);
}

/* Replace the rules with these lines (ovs-ofctl add-flows syntax). */
static int h_rules(const char *text)
{
	struct dp_err err;
	const char *p = text;

	ofp_tables_destroy(&T);
	ofp_tables_init(&T);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		struct ofp_flow_mod fm;
		int r;

		if (len) {
			r = ofp_flow_mod_parse(&fm, p, len, OFP_FM_ADD, true, NULL,
					       &err);
			if (!r)
				r = ofp_tables_apply(&T, &fm, NOW, NULL, &err);
			ofp_flow_mod_uninit(&fm);
			if (r) {
				note("rule '%.*s': %s", (int)len, p, err.msg);
				return r;
			}
		}
		p += len + (nl ? 1 : 0);
	}
	return 0;
}

/* A packet's datapath key from an ovs-ofctl flow ("in_port=2,tcp,...");
 * in_port 1 if the flow names none. */
static int h_pkt(const char *flow, struct dp_key *k)
{
	struct dp_err err;

	if (trace_key_from_text(flow, strlen(flow), k, NULL, &err)) {
		note("packet '%s': %s", flow, err.msg);
		return -1;
	}
	if (!strstr(flow, "in_port="))
		k->in_port = 1;
	return 0;
}

/* Would the kernel install this megaflow with these actions? */
static int h_kernel_check(const struct dp_key *key, const struct dp_key *mask,
			  const struct buf *acts, struct dp_key *kmask,
			  struct dp_err *err)
{
	struct buf ka = BUF_INIT, ma = BUF_INIT;
	struct dp_key k2;
	int r;

	odp_key_to_attrs(&ka, key);
	odp_mask_to_attrs(&ma, key, mask);
	r = odp_match_from_attrs(ka.data, ka.len, ma.data, ma.len, &k2, kmask,
				 err);
	if (!r)
		r = odp_actions_check(acts->data, acts->len, key, mask, err);
	buf_free(&ka);
	buf_free(&ma);
	return r;
}

/* Translate; fills h_actions and h_megaflow.  Returns out->error, or -1. */
static int h_xlate_key(const struct dp_key *k, struct trace *tr, unsigned flags)
{
	struct xlate_in in;
	struct buf b = BUF_INIT;
	struct dp_key kmask;
	struct dp_err err;

	memset(&in, 0, sizeof in);
	in.key = k;
	in.now_ms = NOW;
	in.trace = tr;
	in.flags = flags;
	h_key = *k;
	if (xlate_translate(&BR, &in, &XO))
		return -1;
	h_translations++;
	odp_actions_to_text(&b, XO.actions.data, XO.actions.len, 0, NULL);
	snprintf(h_actions, sizeof h_actions, "%s", buf_cstr(&b));
	buf_clear(&b);
	xlate_format_megaflow(&b, k, &XO.mask, NULL);
	snprintf(h_megaflow, sizeof h_megaflow, "%s", buf_cstr(&b));
	buf_free(&b);
	if (h_kernel_check(k, &XO.mask, &XO.actions, &kmask, &err)) {
		h_kernel_bad++;
		note("kernel would refuse: %s", err.msg);
		note("  megaflow %s actions %s", h_megaflow, h_actions);
	}
	return XO.error;
}

static __attribute__((unused)) int h_xlate(const char *flow)
{
	struct dp_key k;

	if (h_pkt(flow, &k))
		return -1;
	return h_xlate_key(&k, NULL, 0);
}

/* One test point: the translation of 'flow' gives these actions and this
 * megaflow (NULL: not checked). */
static __attribute__((unused)) int h_is(const char *what, const char *flow, const char *actions,
		const char *megaflow)
{
	int good;

	h_xlate(flow);
	good = !strcmp(h_actions, actions) &&
	       (!megaflow || !strcmp(h_megaflow, megaflow));
	ok(good, "%s", what);
	if (!good) {
		note("packet   %s", flow);
		note("actions  got  %s", h_actions);
		note("         want %s", actions);
		if (megaflow) {
			note("megaflow got  %s", h_megaflow);
			note("         want %s", megaflow);
		}
	}
	return good;
}

#endif /* DPKIT_TEST_XLATE_HARNESS_H */

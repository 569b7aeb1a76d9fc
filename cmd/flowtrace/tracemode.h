/*
 * tracemode.h - flowtrace --trace: packets through OpenFlow-style rules,
 * told the way ovs-appctl ofproto/trace tells it.
 *
 * Builds a bridge as lib/xlate sees it (struct xlate_bridge) from the
 * command line: the rule tables (an ovs-ofctl add-flows file, or a fresh
 * bridge's single rule "table=0,priority=0,actions=normal"), the ports
 * (a --ports list, or the ports of a datapath with --dp), an empty MAC
 * table and a recirculation table; then traces each packet of a capture,
 * or each flow given in ovs-ofctl syntax, with lib/trace.  Owns the
 * bridge and everything in it for the length of one run.
 *
 * Where the rules come from is one function (load_rules() in tracemode.c)
 * with a source per kind; reading them from a running dpd, once ofctl's
 * protocol with dpd exists, is one more source there.
 */
#ifndef FLOWTRACE_TRACEMODE_H
#define FLOWTRACE_TRACEMODE_H

#include <stdbool.h>
#include <stdint.h>

struct trace_opts {
	const char *rules;      /* add-flows file, "-" for stdin; NULL: the
				 * fresh bridge's rule */
	const char *ports;      /* "NAME=N,..." or "N,...", or NULL */
	const char *dp;         /* "netdev@x": its ports; or NULL */
	const char *bridge;     /* name for the trace; NULL: "br0" (or the
				 * datapath's name with --dp) */
	const char *in_port;    /* packets of a capture: port name or
				 * number; NULL: none (in_port=ANY) */
	const char *file;       /* -r FILE, or NULL: flows in 'flows' */
	const char *filter;     /* BPF filter for 'file', or NULL */
	char **flows;           /* flows in ovs-ofctl syntax ("-": stdin) */
	int n_flows;
	bool json;
	uint32_t count;         /* -c: at most this many packets; 0: all */
};

/* Run flowtrace --trace; returns the exit status (messages printed on
 * stderr as "flowtrace: ..."). */
int trace_run(const struct trace_opts *o);

#endif

/*
 * flowtrace - the datapath flow key of every packet in a capture.
 *
 *   flowtrace [options] -r FILE [FILTER...]
 *   flowtrace [options] -i IFACE [FILTER...]
 *
 *   flowtrace --trace [options] [--rules FILE] (-r FILE [FILTER] | FLOW...)
 *
 * Each packet goes through lib/extract (the datapath's own key extraction)
 * and comes out as a key in ovs-dpctl syntax (ready for dpctl add-flows),
 * in ovs-ofctl match syntax (as ovs-ofctl parse-pcap prints it) or as JSON.
 * With --trace, each packet (or flow) goes through rule tables instead, as
 * ovs-appctl ofproto/trace shows it (tracemode.h).
 */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "capture.h"
#include "err.h"
#include "extract.h"
#include "odp_text.h"
#include "output.h"
#include "pipeline.h"
#include "tracemode.h"

#define PROG "flowtrace"

struct run {
	struct capture cap;
	struct output out;
	struct dp_key key;      /* metadata set once, headers per packet */
	uint64_t limit;         /* -c: 0 for no limit */
	int stop;
};

/* The live capture to stop on SIGINT/SIGTERM (a program may keep this). */
static pcap_t *live_pcap;

static void on_signal(int sig)
{
	(void)sig;
	if (live_pcap)
		pcap_breakloop(live_pcap);
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: " PROG " [options] -r FILE [FILTER...]\n"
"       " PROG " [options] -i IFACE [FILTER...]\n"
"       " PROG " --trace [trace options] -r FILE [FILTER...]\n"
"       " PROG " --trace [trace options] FLOW...\n"
"Print the datapath flow key of each packet, one line per packet; with\n"
"--trace, each packet's trip through OpenFlow rules, as ofproto/trace.\n"
"\n"
"  -r, --read FILE       read a pcap or pcapng capture (\"-\": stdin)\n"
"  -i, --interface IF    capture live on interface IF\n"
"  -f, --format FMT      dpctl: ovs-dpctl key syntax (default)\n"
"                        of: ovs-ofctl match syntax, as ovs-ofctl parse-pcap\n"
"                        json: one JSON object per line\n"
"  -o, --output json     same as -f json\n"
"      --actions ACTS    dpctl format: actions after each key (default drop;\n"
"                        \"\" prints keys alone)\n"
"      --in-port N       the datapath port the packets came in on\n"
"  -c, --count N         stop after N packets\n"
"  -u, --unique          each distinct key once, sorted, with packet and\n"
"                        byte counts\n"
"  -s, --stats           a summary on stderr at the end\n"
"  -h, --help            this help\n"
"FILTER is a BPF expression, as for tcpdump.\n"
"\n"
"Trace options (FLOW: ovs-ofctl syntax, \"-\" reads flows from stdin):\n"
"  -t, --trace           trace packets or flows through the rules\n"
"      --rules FILE      rules, an ovs-ofctl add-flows file (\"-\": stdin);\n"
"                        default: table 0 priority=0,actions=normal\n"
"      --ports LIST      the bridge's ports: NAME=N or N, comma-separated\n"
"                        (N: datapath port; 0 is LOCAL)\n"
"      --dp DP           take the ports of datapath DP (netdev@x, system@x)\n"
"      --bridge NAME     the bridge's name in the trace (default br0)\n"
"      --in-port PORT    -r: port name or number the packets came in on\n"
"  -o json, -c N, -r FILE as above\n");
}

static void on_packet(u_char *user, const struct pcap_pkthdr *h,
		      const u_char *data)
{
	struct run *r = (struct run *)(void *)user;
	const uint8_t *pkt;
	size_t len;
	bool refused;

	/* A frame too short for its link header comes back empty, and
	 * dp_extract() refuses it like any runt (and zeroes the key). */
	capture_frame(&r->cap, data, h->caplen, &pkt, &len, &r->key);
	refused = dp_extract(pkt, len, &r->key) != 0;
	output_packet(&r->out, &r->key, h->len, refused, h->caplen < h->len);
	if (r->limit && r->out.stats.packets >= r->limit)
		capture_break(&r->cap);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void print_stats(const struct run *r, double secs)
{
	const struct out_stats *s = &r->out.stats;

	fprintf(stderr, PROG ": %llu packets, %llu bytes",
		(unsigned long long)s->packets, (unsigned long long)s->bytes);
	if (r->out.unique)
		fprintf(stderr, ", %zu distinct keys", r->out.uniq.n);
	fprintf(stderr, ", %llu shorter than an Ethernet header, "
		"%llu cut short by the capture's snap length, %.3f s",
		(unsigned long long)s->short_frames,
		(unsigned long long)s->snapped, secs);
	if (secs > 0 && s->packets)
		fprintf(stderr, " (%.2f Mpps)", (double)s->packets / secs / 1e6);
	fputc('\n', stderr);
}

/* The filter: the remaining arguments joined by spaces, as tcpdump does. */
static char *join_args(int argc, char **argv)
{
	struct buf b = BUF_INIT;
	int i;

	for (i = 0; i < argc; i++) {
		if (i)
			buf_putc(&b, ' ');
		buf_puts(&b, argv[i]);
	}
	if (!buf_ok(&b)) {
		buf_free(&b);
		return NULL;
	}
	buf_cstr(&b);
	return (char *)b.data;
}

static int parse_u32(const char *s, uint32_t max, uint32_t *v)
{
	unsigned long long x;
	char *end;

	errno = 0;
	x = strtoull(s, &end, 0);
	if (!*s || *end || errno || x > max || *s == '-')
		return -1;
	*v = (uint32_t)x;
	return 0;
}

/* May this process run on more than one CPU? */
static bool many_cpus(void)
{
	cpu_set_t set;

	return !sched_getaffinity(0, sizeof set, &set) && CPU_COUNT(&set) > 1;
}

static int run_capture(struct run *r)
{
	int rc;

	if (!r->cap.live) {
		/* Two threads for a file, if it may use two CPUs. */
		rc = PIPELINE_NOT_STARTED;
		if (many_cpus())
			rc = pipeline_run(&r->cap, &r->out, &r->key, r->limit);
		if (rc == PIPELINE_NOT_STARTED)
			rc = capture_loop(&r->cap, on_packet, (u_char *)r);
	} else {
		do {
			rc = pcap_dispatch(r->cap.pcap, -1, on_packet,
					   (u_char *)r);
			output_flush(&r->out);
		} while (rc >= 0 && !r->out.error);
	}
	if (rc == PCAP_ERROR) {
		fprintf(stderr, PROG ": %s: %s\n", r->cap.what,
			pcap_geterr(r->cap.pcap));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	enum { OPT_ACTIONS = 256, OPT_IN_PORT, OPT_RULES, OPT_PORTS, OPT_DP,
	       OPT_BRIDGE };
	static const struct option opts[] = {
		{ "read", required_argument, NULL, 'r' },
		{ "interface", required_argument, NULL, 'i' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "actions", required_argument, NULL, OPT_ACTIONS },
		{ "in-port", required_argument, NULL, OPT_IN_PORT },
		{ "count", required_argument, NULL, 'c' },
		{ "unique", no_argument, NULL, 'u' },
		{ "stats", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "trace", no_argument, NULL, 't' },
		{ "rules", required_argument, NULL, OPT_RULES },
		{ "ports", required_argument, NULL, OPT_PORTS },
		{ "dp", required_argument, NULL, OPT_DP },
		{ "bridge", required_argument, NULL, OPT_BRIDGE },
		{ NULL, 0, NULL, 0 },
	};
	const char *file = NULL, *iface = NULL, *actions = "drop";
	enum out_format fmt = OUT_DPCTL;
	bool unique = false, stats = false, trace = false, fmt_given = false;
	struct trace_opts to;
	struct dp_err err = { 0, "" };
	uint32_t in_port = DP_PORT_NONE, count = 0;
	char *filter = NULL;
	struct run r;
	double t0;
	int c, rc, status = 0;

	memset(&r, 0, sizeof r);
	memset(&to, 0, sizeof to);
	while ((c = getopt_long(argc, argv, "+r:i:f:o:c:usht", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			file = optarg;
			break;
		case 'i':
			iface = optarg;
			break;
		case 'f':
		case 'o':
			fmt_given = fmt_given || c == 'f';
			if (!strcmp(optarg, "dpctl") && c == 'f') {
				fmt = OUT_DPCTL;
			} else if (!strcmp(optarg, "of") && c == 'f') {
				fmt = OUT_OF;
			} else if (!strcmp(optarg, "json")) {
				fmt = OUT_JSON;
			} else if (!strcmp(optarg, "text") && c == 'o') {
				break;
			} else {
				fprintf(stderr, PROG ": unknown %s '%s' "
					"(%s)\n", c == 'f' ? "format" : "output",
					optarg, c == 'f' ? "dpctl, of or json" :
					"text or json");
				return 2;
			}
			break;
		case OPT_ACTIONS:
			actions = optarg;
			break;
		case OPT_IN_PORT:
			/* A number, or with --trace also a port name:
			 * checked after the options. */
			to.in_port = optarg;
			break;
		case 'c':
			if (parse_u32(optarg, UINT32_MAX, &count) || !count) {
				fprintf(stderr, PROG ": -c '%s': not a positive "
					"count\n", optarg);
				return 2;
			}
			break;
		case 'u':
			unique = true;
			break;
		case 's':
			stats = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 't':
			trace = true;
			break;
		case OPT_RULES:
			to.rules = optarg;
			break;
		case OPT_PORTS:
			to.ports = optarg;
			break;
		case OPT_DP:
			to.dp = optarg;
			break;
		case OPT_BRIDGE:
			to.bridge = optarg;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (trace) {
		if (iface || unique || stats || fmt_given) {
			fprintf(stderr, PROG ": --trace takes -r FILE or "
				"flows, not %s\n", iface ? "-i" : unique ?
				"--unique" : stats ? "--stats" : "-f");
			return 2;
		}
		if (!file && optind == argc) {
			fprintf(stderr, PROG ": --trace: give -r FILE or a "
				"flow\n");
			usage(stderr);
			return 2;
		}
		to.json = fmt == OUT_JSON;
		to.count = count;
		to.file = file;
		if (file && optind < argc) {
			filter = join_args(argc - optind, argv + optind);
			if (!filter) {
				fprintf(stderr, PROG ": out of memory\n");
				return 1;
			}
			to.filter = filter;
		} else if (!file) {
			to.flows = argv + optind;
			to.n_flows = argc - optind;
		}
		status = trace_run(&to);
		free(filter);
		return status;
	}
	if (to.rules || to.ports || to.dp || to.bridge) {
		fprintf(stderr, PROG ": --rules, --ports, --dp and --bridge "
			"need --trace\n");
		return 2;
	}
	if (to.in_port && parse_u32(to.in_port, DP_MAX_PORTS - 1, &in_port)) {
		fprintf(stderr, PROG ": --in-port '%s': not a port number "
			"(0-%u)\n", to.in_port, DP_MAX_PORTS - 1);
		return 2;
	}
	if (!file == !iface) {
		fprintf(stderr, PROG ": give one of -r FILE or -i IFACE\n");
		usage(stderr);
		return 2;
	}
	if (fmt == OUT_DPCTL && *actions) {
		/* Check the actions now rather than at every line of dpctl's. */
		struct buf acts = BUF_INIT;

		rc = odp_actions_from_text(actions, strlen(actions), &acts,
					   NULL, &err);
		buf_free(&acts);
		if (rc) {
			fprintf(stderr, PROG ": --actions '%s': %s\n", actions,
				dp_err_str(&err));
			return 2;
		}
	}
	if (optind < argc) {
		filter = join_args(argc - optind, argv + optind);
		if (!filter) {
			fprintf(stderr, PROG ": out of memory\n");
			return 1;
		}
	}

	output_init(&r.out, fmt, actions, unique, STDOUT_FILENO);
	rc = file ? capture_open_file(&r.cap, file, &err) :
		    capture_open_live(&r.cap, iface, &err);
	if (!rc && filter)
		rc = capture_set_filter(&r.cap, filter, &err);
	if (rc) {
		fprintf(stderr, PROG ": %s\n", dp_err_str(&err));
		status = 1;
		goto out;
	}
	r.out.live = r.cap.live;
	r.limit = count;
	dp_key_init(&r.key);
	r.key.in_port = in_port;

	if (r.cap.live) {
		live_pcap = r.cap.pcap;
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
	}
	t0 = now();
	status = run_capture(&r);
	rc = output_finish(&r.out);
	if (rc && status == 0) {
		fprintf(stderr, PROG ": writing output: %s\n", strerror(-rc));
		status = 1;
	}
	if (stats)
		print_stats(&r, now() - t0);
out:
	live_pcap = NULL;
	capture_close(&r.cap);
	output_free(&r.out);
	free(filter);
	return status;
}

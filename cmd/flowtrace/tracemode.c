/*
 * tracemode.c - flowtrace --trace (see tracemode.h).
 */
#include "tracemode.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "capture.h"
#include "dpif.h"
#include "err.h"
#include "extract.h"
#include "json.h"
#include "mac_learn.h"
#include "odp_key.h"
#include "odp_text.h"
#include "ofp_flow_mod.h"
#include "ofp_match.h"
#include "ofp_rules.h"
#include "trace.h"
#include "xlate.h"
#include "xlate_recirc.h"

#define PROG "flowtrace"
#define MAX_RECIRC 32           /* recirculations followed per packet */
#define MAX_PORTS 4096

struct tracer {
	const struct trace_opts *o;
	struct ofp_tables tables;
	struct mac_learn ml;
	struct xlate_recirc *rc;
	struct xlate_bridge br;
	struct ofp_names names;
	char bridge[32];
	struct xlate_port *ports;
	size_t n_ports;
	int64_t now_ms;
	struct buf out;
	uint64_t n;             /* packets or flows traced */
};

static int64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int parse_num(const char *s, size_t len, uint32_t max, uint32_t *v)
{
	uint64_t x = 0;
	size_t i;

	if (!len || len > 10)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (uint64_t)(s[i] - '0');
	}
	if (x > max)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

static int add_port(struct tracer *t, uint32_t dp_port, const char *name,
		    size_t len)
{
	struct xlate_port *p;
	size_t i;

	for (i = 0; i < t->n_ports; i++) {
		if (t->ports[i].dp_port == dp_port) {
			/* LOCAL is there from the start: a name for it
			 * replaces the bridge's. */
			if (dp_port)
				return -EEXIST;
			p = &t->ports[i];
			goto named;
		}
	}
	if (t->n_ports >= MAX_PORTS)
		return -E2BIG;
	p = realloc(t->ports, (t->n_ports + 1) * sizeof *p);
	if (!p)
		return -ENOMEM;
	t->ports = p;
	p = &t->ports[t->n_ports++];
	memset(p, 0, sizeof *p);
	p->dp_port = dp_port;
named:
	if (len >= sizeof p->name)
		len = sizeof p->name - 1;
	memcpy(p->name, name, len);
	p->name[len] = '\0';
	return 0;
}

/* --ports: "NAME=N" or "N" items separated by commas (or blanks). */
static int ports_from_list(struct tracer *t, const char *s)
{
	while (*s) {
		size_t len = strcspn(s, ", \t"), nlen = 0;
		const char *eq = memchr(s, '=', len), *num = s;
		uint32_t n;
		int r;

		if (!len) {
			s++;
			continue;
		}
		if (eq) {
			nlen = (size_t)(eq - s);
			num = eq + 1;
		}
		if ((eq && !nlen) ||
		    parse_num(num, len - (size_t)(num - s), DP_MAX_PORTS - 1, &n)) {
			fprintf(stderr, PROG ": --ports: '%.*s': not NAME=NUMBER "
				"or NUMBER (a datapath port, 0-%u)\n", (int)len, s,
				DP_MAX_PORTS - 1);
			return -EINVAL;
		}
		r = add_port(t, n, s, nlen);
		if (r) {
			fprintf(stderr, PROG ": --ports: '%.*s': %s\n", (int)len,
				s, r == -EEXIST ? "port number given twice" :
				strerror(-r));
			return r;
		}
		s += len;
	}
	return 0;
}

static int dp_port_cb(const struct dpif_port *p, void *aux)
{
	return add_port(aux, p->port_no, p->name, strlen(p->name));
}

/* --dp: the datapath's ports, named as it names them. */
static int ports_from_dp(struct tracer *t, const char *name)
{
	struct dp_err err = { 0, "" };
	struct dpif_conn *c = dpif_conn_new();
	struct dpif *dp = NULL;
	int r;

	if (!c) {
		fprintf(stderr, PROG ": --dp %s: out of memory\n", name);
		return -ENOMEM;
	}
	dpif_conn_set_timeout(c, 5000);
	r = dpif_open(c, name, &dp, &err);
	if (!r) {
		if (!t->o->bridge)
			snprintf(t->bridge, sizeof t->bridge, "%s",
				 dpif_base_name(dp));
		r = dpif_port_dump(dp, dp_port_cb, t, &err);
		if (r && !err.msg[0])
			dp_err_set(&err, -r, "%s", strerror(-r));
	}
	if (r)
		fprintf(stderr, PROG ": --dp %s: %s\n", name, dp_err_str(&err));
	if (dp)
		dpif_close(dp);
	dpif_conn_free(c);
	return r;
}

static int cmp_port(const void *a, const void *b)
{
	const struct xlate_port *x = a, *y = b;

	return x->dp_port < y->dp_port ? -1 : x->dp_port > y->dp_port;
}

static bool blank(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return s[i] == '#';
	return true;
}

/* Rules from an add-flows file: one flow mod a line; '#' starts a
 * comment; a backslash at the end of a line continues it, as ovs-ofctl
 * reads such files. */
static int rules_from_file(struct tracer *t, const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	struct buf line = BUF_INIT;
	char *l = NULL;
	size_t cap = 0;
	unsigned lineno = 0, first = 0;
	ssize_t n;
	int r = 0;

	if (!f) {
		r = -errno;
		fprintf(stderr, PROG ": --rules %s: %s\n", path, strerror(-r));
		return r;
	}
	while ((n = getline(&l, &cap, f)) >= 0) {
		struct ofp_flow_mod fm;
		struct dp_err err = { 0, "" };

		lineno++;
		if (!line.len)
			first = lineno;
		while (n && (l[n - 1] == '\n' || l[n - 1] == '\r'))
			n--;
		if (n && l[n - 1] == '\\') {
			buf_put(&line, l, (size_t)n - 1);
			continue;
		}
		buf_put(&line, l, (size_t)n);
		if (!buf_ok(&line)) {
			r = -ENOMEM;
			break;
		}
		if (blank((const char *)line.data, line.len)) {
			buf_clear(&line);
			continue;
		}
		r = ofp_flow_mod_parse(&fm, (const char *)line.data, line.len,
				       OFP_FM_ADD, true, &t->names, &err);
		if (!r)
			r = ofp_tables_apply(&t->tables, &fm, t->now_ms, NULL,
					     &err);
		ofp_flow_mod_uninit(&fm);
		if (r) {
			fprintf(stderr, PROG ": --rules %s: line %u: %s\n",
				path, first, dp_err_str(&err));
			break;
		}
		buf_clear(&line);
	}
	if (!r && ferror(f)) {
		r = -EIO;
		fprintf(stderr, PROG ": --rules %s: %s\n", path,
			strerror(errno ? errno : EIO));
	}
	free(l);
	buf_free(&line);
	if (f != stdin)
		fclose(f);
	return r;
}

/* The rule tables.  Sources: a file, or the fresh bridge's one rule.
 * Reading the rules of a running dpd (ofctl's protocol) goes here. */
static int load_rules(struct tracer *t)
{
	struct dp_err err = { 0, "" };
	int r;

	if (t->o->rules)
		return rules_from_file(t, t->o->rules);
	r = xlate_add_default_rule(&t->tables, t->now_ms, &err);
	if (r)
		fprintf(stderr, PROG ": the default rule: %s\n",
			dp_err_str(&err));
	return r;
}

static int tracer_init(struct tracer *t, const struct trace_opts *o)
{
	struct dp_err err = { 0, "" };
	int r;

	memset(t, 0, sizeof *t);
	t->o = o;
	t->now_ms = wall_ms();
	buf_init(&t->out);
	ofp_tables_init(&t->tables);
	if (mac_learn_init(&t->ml, 0, 0) ||
	    !(t->rc = xlate_recirc_create())) {
		fprintf(stderr, PROG ": out of memory\n");
		return -ENOMEM;
	}
	snprintf(t->bridge, sizeof t->bridge, "%s", o->bridge ? o->bridge :
		 "br0");
	/* LOCAL, named after the bridge unless a port list names it. */
	r = add_port(t, 0, "", 0);
	if (!r && o->dp)
		r = ports_from_dp(t, o->dp);
	if (!r && o->ports)
		r = ports_from_list(t, o->ports);
	if (r)
		return r;
	if (!t->ports[0].name[0])
		snprintf(t->ports[0].name, sizeof t->ports[0].name, "%s",
			 t->bridge);
	qsort(t->ports, t->n_ports, sizeof *t->ports, cmp_port);
	xlate_bridge_init(&t->br, t->bridge, &t->tables, &t->ml, t->rc, 0);
	r = xlate_bridge_set_ports(&t->br, t->ports, t->n_ports, &err);
	if (r) {
		fprintf(stderr, PROG ": ports: %s\n", dp_err_str(&err));
		return r;
	}
	xlate_bridge_names(&t->br, &t->names);
	return load_rules(t);
}

static void tracer_destroy(struct tracer *t)
{
	if (t->rc) {
		xlate_bridge_destroy(&t->br);
		xlate_recirc_destroy(t->rc);
	}
	mac_learn_destroy(&t->ml);
	ofp_tables_destroy(&t->tables);
	free(t->ports);
	buf_free(&t->out);
}

static int flush(struct tracer *t)
{
	const char *p = (const char *)t->out.data;
	size_t left = t->out.len;

	if (!buf_ok(&t->out)) {
		fprintf(stderr, PROG ": out of memory\n");
		return -ENOMEM;
	}
	while (left) {
		ssize_t n = write(STDOUT_FILENO, p, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, PROG ": writing output: %s\n",
				strerror(n < 0 ? errno : EIO));
			return -EIO;
		}
		p += n;
		left -= (size_t)n;
	}
	buf_clear(&t->out);
	return 0;
}

/* Trace one key; 'packet' is the capture's packet number (0 for a flow
 * given as text) and 'len' its length on the wire. */
static int trace_one(struct tracer *t, const struct dp_key *key,
		     uint64_t packet, uint32_t len, const char *text)
{
	int r;

	if (t->o->json) {
		struct json j;

		json_init(&j, &t->out);
		json_obj_start(&j);
		if (packet) {
			json_kv_u64(&j, "packet", packet);
			json_kv_u64(&j, "bytes", len);
		} else {
			json_kv_str(&j, "input", text);
		}
		json_kv_str(&j, "bridge", t->bridge);
		json_key(&j, "translations");
		r = trace_packet_json(&j, &t->br, key, t->now_ms, MAX_RECIRC);
		json_obj_end(&j);
		buf_putc(&t->out, '\n');
	} else {
		if (t->n)
			buf_putc(&t->out, '\n');
		if (packet)
			buf_printf(&t->out, "Packet %llu, %u bytes:\n",
				   (unsigned long long)packet, len);
		r = trace_packet(&t->out, &t->br, key, t->now_ms, MAX_RECIRC);
	}
	t->n++;
	if (r) {
		fprintf(stderr, PROG ": %s\n", strerror(-r));
		return r;
	}
	return flush(t);
}

/* A datapath flow ("in_port(2),eth(...),..."), as ofproto/trace also
 * takes: the first item has a parenthesis before any '=' or ','. */
static bool dpctl_syntax(const char *s, size_t len)
{
	size_t n = strcspn(s, "(=,");

	return n < len && s[n] == '(';
}

/* The key of a datapath flow in ovs-dpctl syntax, masks allowed (a line
 * of flowtrace's default output, for one), actions after a blank
 * ignored. */
static int key_from_dpctl(const char *s, size_t len, struct dp_key *key,
			  struct dp_err *err)
{
	struct buf ka = BUF_INIT, ma = BUF_INIT;
	struct dp_key mask;
	size_t n = strcspn(s, " \t");
	int r;

	if (n < len)
		len = n;
	r = odp_key_from_text(s, len, &ka, &ma, NULL, err);
	if (!r)
		r = odp_match_from_attrs(ka.data, ka.len, ma.data, ma.len, key,
					 &mask, err);
	buf_free(&ka);
	buf_free(&ma);
	return r;
}

static int trace_text(struct tracer *t, const char *s, size_t len,
		      const char *where)
{
	struct dp_err err = { 0, "" };
	struct dp_key key;
	char *copy;
	int r;

	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
		       s[len - 1] == '\r'))
		len--;
	r = dpctl_syntax(s, len) ? key_from_dpctl(s, len, &key, &err) :
	    trace_key_from_text(s, len, &key, &t->names, &err);
	if (r) {
		fprintf(stderr, PROG ": %s'%.*s': %s\n", where, (int)len, s,
			dp_err_str(&err));
		return r;
	}
	copy = strndup(s, len);
	if (!copy) {
		fprintf(stderr, PROG ": out of memory\n");
		return -ENOMEM;
	}
	r = trace_one(t, &key, 0, 0, copy);
	free(copy);
	return r;
}

/* Flows given on the command line, or one a line from stdin for "-". */
static int trace_flows(struct tracer *t)
{
	int i, r = 0;

	for (i = 0; i < t->o->n_flows && !r; i++) {
		const char *f = t->o->flows[i];
		char *l = NULL, where[64];
		size_t cap = 0;
		unsigned lineno = 0;
		ssize_t n;

		if (strcmp(f, "-")) {
			r = trace_text(t, f, strlen(f), "");
			continue;
		}
		while (!r && (n = getline(&l, &cap, stdin)) >= 0) {
			lineno++;
			while (n && (l[n - 1] == '\n' || l[n - 1] == '\r'))
				n--;
			if (!n || l[strspn(l, " \t")] == '#' ||
			    (size_t)n == strspn(l, " \t"))
				continue;
			snprintf(where, sizeof where, "stdin line %u: ", lineno);
			r = trace_text(t, l, (size_t)n, where);
		}
		free(l);
	}
	return r;
}

static int trace_capture(struct tracer *t)
{
	const struct trace_opts *o = t->o;
	struct dp_err err = { 0, "" };
	struct capture cap;
	struct pcap_pkthdr *h;
	const u_char *data;
	uint32_t in_port = DP_PORT_NONE;
	struct dp_key key;
	uint64_t n = 0;
	int r;

	if (o->in_port) {
		uint16_t ofp;

		if (!t->names.port_number(t->names.aux, o->in_port,
					  strlen(o->in_port), &ofp)) {
			in_port = ofp_port_to_dp(ofp);
		} else if (parse_num(o->in_port, strlen(o->in_port),
				     DP_MAX_PORTS - 1, &in_port)) {
			fprintf(stderr, PROG ": --in-port '%s': not a port "
				"name or number (0-%u)\n", o->in_port,
				DP_MAX_PORTS - 1);
			return -EINVAL;
		}
	}
	memset(&cap, 0, sizeof cap);
	r = capture_open_file(&cap, o->file, &err);
	if (!r && o->filter)
		r = capture_set_filter(&cap, o->filter, &err);
	if (r) {
		fprintf(stderr, PROG ": %s\n", dp_err_str(&err));
		capture_close(&cap);
		return r;
	}
	r = 0;
	while (!r && (!o->count || n < o->count)) {
		const uint8_t *pkt;
		size_t len;
		int got = pcap_next_ex(cap.pcap, &h, &data);

		if (got == PCAP_ERROR) {
			fprintf(stderr, PROG ": %s: %s\n", cap.what,
				pcap_geterr(cap.pcap));
			r = -EIO;
		}
		if (got != 1)
			break;          /* the end, or an error */
		dp_key_init(&key);
		key.in_port = in_port;
		capture_frame(&cap, data, h->caplen, &pkt, &len, &key);
		dp_extract(pkt, len, &key);
		r = trace_one(t, &key, ++n, h->len, NULL);
	}
	capture_close(&cap);
	return r;
}

int trace_run(const struct trace_opts *o)
{
	struct tracer t;
	int r;

	r = tracer_init(&t, o);
	if (!r)
		r = o->file ? trace_capture(&t) : trace_flows(&t);
	tracer_destroy(&t);
	return r ? 1 : 0;
}

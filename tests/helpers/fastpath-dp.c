/*
 * fastpath-dp - run a userspace datapath on real interfaces, for the
 * integration tests and benchmarks of lib/dp (before dpd exists).
 *
 *   fastpath-dp [-b] [-M] [-u] [-t SECONDS] DPNAME NO=IFNAME... -- FLOW...
 *
 * Ports: "1=veth0" adds interface veth0 as netdev port 1.  Every port gets
 * upcall pid 1, so misses are queued.  Flows (a test-only syntax; dpctl's
 * ovs-dpctl syntax comes with lib/odp_text):
 *     IN[/ETHTYPE]:ACTION[,ACTION...]
 * matching in_port IN (and the hex ethertype), with actions N (output to
 * port N), dst=A.B.C.D / src=A.B.C.D (set(ipv4(...))), push=VID
 * (push_vlan 802.1Q) and pop (pop_vlan).
 *   -b  busy poll instead of sleeping in epoll
 *   -M  transmit with sendmmsg instead of the TX ring
 *   -u  print each upcall on stdout ("miss in_port=1 eth_type=0x0806 len=42")
 *   -t  exit after SECONDS (default: on SIGTERM/SIGINT)
 * Prints "ready" once the ports are open and, at exit, the datapath stats.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/openvswitch.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dp.h"
#include "nlattr.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int add_flow(struct dp *dp, const char *spec)
{
	struct dp_key key, mask;
	struct buf acts = BUF_INIT;
	char copy[256], *colon, *tok, *save = NULL;
	unsigned in, type = 0;
	struct dp_err err;
	int r;

	snprintf(copy, sizeof copy, "%s", spec);
	colon = strchr(copy, ':');
	if (!colon)
		return -EINVAL;
	*colon = '\0';
	if (sscanf(copy, "%u/%x", &in, &type) < 1)
		return -EINVAL;
	dp_key_init(&key);
	memset(&mask, 0, sizeof mask);
	key.in_port = in;
	mask.in_port = 0xffffffff;
	if (type) {
		key.eth_type = htons((uint16_t)type);
		mask.eth_type = 0xffff;
	}
	for (tok = strtok_r(colon + 1, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		struct ovs_key_ipv4 v, m;
		struct in_addr a;

		if (!strncmp(tok, "dst=", 4) || !strncmp(tok, "src=", 4)) {
			size_t ofs;
			uint8_t *d;

			if (inet_pton(AF_INET, tok + 4, &a) != 1)
				return -EINVAL;
			memset(&v, 0, sizeof v);
			memset(&m, 0, sizeof m);
			if (tok[0] == 'd') {
				v.ipv4_dst = a.s_addr;
				m.ipv4_dst = 0xffffffff;
			} else {
				v.ipv4_src = a.s_addr;
				m.ipv4_src = 0xffffffff;
			}
			ofs = na_nest_start(&acts, OVS_ACTION_ATTR_SET_MASKED);
			d = na_put_zero(&acts, OVS_KEY_ATTR_IPV4, 2 * sizeof v);
			memcpy(d, &v, sizeof v);
			memcpy(d + sizeof v, &m, sizeof m);
			na_nest_end(&acts, ofs);
		} else if (!strncmp(tok, "push=", 5)) {
			struct ovs_action_push_vlan pv;

			pv.vlan_tpid = htons(0x8100);
			pv.vlan_tci = htons((uint16_t)(DP_VLAN_CFI | (atoi(tok + 5) & 0xfff)));
			na_put(&acts, OVS_ACTION_ATTR_PUSH_VLAN, &pv, sizeof pv);
		} else if (!strcmp(tok, "pop")) {
			na_put_flag(&acts, OVS_ACTION_ATTR_POP_VLAN);
		} else {
			na_put_u32(&acts, OVS_ACTION_ATTR_OUTPUT, (uint32_t)atoi(tok));
		}
	}
	r = dp_flow_put(dp, &key, &mask, acts.data, acts.len, NULL, NULL, &err);
	if (r < 0)
		fprintf(stderr, "fastpath-dp: %s: %s\n", spec, dp_err_str(&err));
	buf_free(&acts);
	return r;
}

static void print_upcalls(struct dp *dp, int show)
{
	struct dp_upcall *u;

	while (dp_upcall_pop(dp, &u)) {
		if (show) {
			printf("%s in_port=%u eth_type=0x%04x len=%u\n",
			       u->cmd == OVS_PACKET_CMD_MISS ? "miss" : "action",
			       u->key.in_port, ntohs(u->key.eth_type), u->packet->len);
			fflush(stdout);
		}
		dp_upcall_free(u);
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int opt, busy = 0, show = 0, i;
	unsigned nflags = 0;
	double secs = 0, end;
	struct dp_port_info info;
	struct dp_stats st;
	struct dp_err err;
	uint32_t pid = 1, cursor = 0;
	struct dp *dp;

	while ((opt = getopt(argc, argv, "+bMut:")) != -1) {
		switch (opt) {
		case 'b': busy = 1; break;
		case 'M': nflags |= NETDEV_F_SENDMMSG; break;
		case 'u': show = 1; break;
		case 't': secs = atof(optarg); break;
		default:
			fprintf(stderr, "usage: fastpath-dp [-bMu] [-t SECS] DP NO=IF... -- FLOW...\n");
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "fastpath-dp: missing datapath name\n");
		return 2;
	}
	if (dp_create(&dp, argv[optind], 0, &err) < 0) {
		fprintf(stderr, "fastpath-dp: create: %s\n", dp_err_str(&err));
		return 1;
	}
	for (i = optind + 1; i < argc && strcmp(argv[i], "--"); i++) {
		char *eq = strchr(argv[i], '=');
		uint32_t no;

		if (!eq) {
			fprintf(stderr, "fastpath-dp: %s: expected NO=IFNAME\n", argv[i]);
			return 2;
		}
		no = (uint32_t)atoi(argv[i]);
		if (dp_port_add(dp, eq + 1, OVS_VPORT_TYPE_NETDEV, &no, &pid, 1, nflags,
				&err) < 0) {
			fprintf(stderr, "fastpath-dp: port %s: %s\n", argv[i], dp_err_str(&err));
			dp_destroy(dp);
			return 1;
		}
	}
	for (i++; i < argc; i++) {
		if (add_flow(dp, argv[i]) < 0) {
			fprintf(stderr, "fastpath-dp: bad flow '%s'\n", argv[i]);
			dp_destroy(dp);
			return 2;
		}
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	printf("ready\n");
	fflush(stdout);
	end = secs > 0 ? now() + secs : 0;
	while (!stop && (!end || now() < end)) {
		int n = busy ? dp_poll_ports(dp) : dp_run(dp, 100);

		if (n < 0 && n != -EINTR)
			break;
		if (dp_upcall_pending(dp))
			print_upcalls(dp, show);
	}
	dp_get_stats(dp, &st);
	printf("lookups: hit:%llu missed:%llu lost:%llu\n", (unsigned long long)st.n_hit,
	       (unsigned long long)st.n_missed, (unsigned long long)st.n_lost);
	while (dp_port_next(dp, &cursor, &info) == 0)
		printf("port %u: %s rx:%llu tx:%llu rx_dropped:%llu tx_dropped:%llu tx_errors:%llu\n",
		       info.port_no, info.name, (unsigned long long)info.stats.rx_packets,
		       (unsigned long long)info.stats.tx_packets,
		       (unsigned long long)info.stats.rx_dropped,
		       (unsigned long long)info.stats.tx_dropped,
		       (unsigned long long)info.stats.tx_errors);
	dp_destroy(dp);
	return 0;
}

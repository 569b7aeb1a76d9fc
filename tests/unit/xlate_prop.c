/*
 * xlate_prop.c - the megaflow property, on random rule sets and packets:
 * any packet that agrees with a translated packet on the bits its
 * megaflow matches (as the kernel reads that megaflow) translates to the
 * same datapath actions.  Also: the same packet translates to the same
 * bytes twice, and the kernel takes every megaflow and action list.
 *
 * Rules are random ovs-ofctl lines over a small pool of values (so that
 * packets hit them and rules overlap), in tables 0-3 with resubmit,
 * goto_table, normal with a populated MAC table, rewrites, VLAN and MPLS
 * pushes, registers moved from packet fields, the action set, dec_ttl,
 * controller and ct.  A line the rule layer refuses (prerequisites) is
 * simply skipped.
 */
#include "xlate_harness.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

#define PICK(a) ((a)[rnd(sizeof(a) / sizeof((a)[0]))])

static const char *const macs[] = {
	"00:00:00:00:00:0a", "00:00:00:00:00:0b", "00:00:00:00:00:0c",
	"ff:ff:ff:ff:ff:ff", "01:00:5e:00:00:01",
};
static const char *const ips[] = { "10.0.0.1", "10.0.0.2", "10.1.2.3", "192.168.0.9" };
static const char *const nets[] = {
	"10.0.0.1", "10.0.0.2", "10.0.0.0/24", "10.1.0.0/16", "10.0.0.0/8",
};
static const char *const protos[] = { "tcp", "udp", "icmp", "arp", "ip" };
static const char *const ports[] = { "80", "22", "53", "0x50/0xfff0", "1024" };

/* A random match for a rule in 'table'; *ip, *l4 say what it allows. */
static void rand_match(struct buf *b, int *proto)
{
	int k;

	*proto = rnd(6);        /* 5: no protocol */
	if (*proto < 5)
		buf_printf(b, "%s,", protos[*proto]);
	if (!rnd(3))
		buf_printf(b, "in_port=%u,", 1 + rnd(3));
	if (!rnd(4))
		buf_printf(b, "dl_dst=%s,", PICK(macs));
	if (!rnd(5))
		buf_printf(b, "dl_src=%s,", PICK(macs));
	if (!rnd(5))
		buf_printf(b, "dl_vlan=%u,", rnd(2) ? 5 : 7);
	if (!rnd(5))
		buf_printf(b, "reg0=%u,", rnd(3));
	if (*proto < 3 || *proto == 4) {
		if (!rnd(2))
			buf_printf(b, "nw_dst=%s,", PICK(nets));
		if (!rnd(4))
			buf_printf(b, "nw_src=%s,", PICK(nets));
		if (!rnd(6))
			buf_printf(b, "nw_ttl=%u,", rnd(2) ? 1 : 64);
	}
	if (*proto < 2) {
		k = rnd(4);
		if (k == 0)
			buf_printf(b, "tp_dst=%s,", PICK(ports));
		else if (k == 1)
			buf_printf(b, "tp_src=%s,", PICK(ports));
	}
	if (*proto == 3 && !rnd(3))
		buf_printf(b, "arp_op=%u,", 1 + rnd(2));
}

static void rand_action(struct buf *b, int proto, int table)
{
	bool ip = proto < 3 || proto == 4, l4 = proto < 2;

	switch (rnd(24)) {
	case 0: case 1: case 2:
		buf_printf(b, "output:%u", 1 + rnd(5));
		break;
	case 3:
		buf_puts(b, rnd(2) ? "normal" : (rnd(2) ? "flood" : "all"));
		break;
	case 4:
		buf_puts(b, rnd(2) ? "in_port" : "local");
		break;
	case 5:
		buf_printf(b, "mod_dl_dst:%s", PICK(macs));
		break;
	case 6:
		buf_printf(b, "mod_dl_src:%s", PICK(macs));
		break;
	case 7:
		buf_printf(b, ip ? "mod_nw_dst:%s" : "mod_dl_dst:%s",
			   ip ? PICK(ips) : PICK(macs));
		break;
	case 8:
		buf_puts(b, ip ? "dec_ttl" : "mod_vlan_pcp:3");
		break;
	case 9:
		buf_printf(b, l4 ? "mod_tp_dst:%s" : "mod_vlan_vid:%s",
			   rnd(2) ? "80" : "7");
		break;
	case 10:
		buf_printf(b, "load:%u->NXM_NX_REG0[]", rnd(3));
		break;
	case 11:
		buf_puts(b, rnd(2) ? "move:NXM_OF_ETH_DST[0..7]->NXM_NX_REG0[0..7]"
				   : "move:NXM_OF_IN_PORT[]->NXM_NX_REG0[0..15]");
		break;
	case 12:
		buf_puts(b, rnd(2) ? "strip_vlan" : "push_vlan:0x8100");
		break;
	case 13:
		buf_printf(b, "mod_vlan_vid:%u", rnd(2) ? 5 : 9);
		break;
	case 14: case 15: case 16:
		/* Mostly onward; sometimes back, which may loop. */
		buf_printf(b, "resubmit(,%u)", rnd(8) ? (unsigned)table + 1 : rnd(4));
		break;
	case 17:
		buf_printf(b, "resubmit(%u,%u)", 1 + rnd(3), table + 1);
		break;
	case 18:
		buf_puts(b, ip ? "mod_nw_tos:16" : "controller");
		break;
	case 19:
		buf_puts(b, "controller(max_len=64)");
		break;
	case 20:
		buf_puts(b, ip ? "mod_nw_ttl:9" : "output:2");
		break;
	case 21:
		buf_printf(b, "set_field:%s->eth_src", PICK(macs));
		break;
	case 22:
		buf_puts(b, proto == 4 || proto == 1 ? "ct(commit,table=3)" : "output:3");
		break;
	default:
		buf_puts(b, rnd(2) ? "push:NXM_OF_ETH_SRC[],pop:NXM_NX_REG1[0..31]"
				   : "push_mpls:0x8847,output:4");
		break;
	}
}

static void rand_rules(struct buf *all)
{
	int n = 2 + rnd(12), i, j;

	buf_clear(all);
	/* Catch-all rules, so that most packets meet some actions. */
	for (i = 0; i < 4; i++) {
		int na = 1 + rnd(3);

		if (i == 0 ? rnd(4) == 0 : rnd(2) == 0)
			continue;
		buf_printf(all, "table=%d,priority=0,actions=", i);
		for (j = 0; j < na; j++) {
			if (j)
				buf_putc(all, ',');
			rand_action(all, 5, i);
		}
		buf_putc(all, '\n');
	}
	for (i = 0; i < n; i++) {
		struct buf b = BUF_INIT;
		int proto, table = rnd(4), na = rnd(4);
		struct ofp_flow_mod fm;
		struct dp_err err;

		buf_printf(&b, "table=%d,priority=%u,", table, rnd(4));
		rand_match(&b, &proto);
		buf_puts(&b, "actions=");
		for (j = 0; j < na; j++) {
			if (j)
				buf_putc(&b, ',');
			rand_action(&b, proto, table);
		}
		if (!na)
			buf_puts(&b, "drop");
		if (table < 3 && !rnd(4))
			buf_printf(&b, ",write_actions(output:%u)", 1 + rnd(5));
		if (table < 3 && !rnd(3))
			buf_printf(&b, ",goto_table:%d", table + 1 + (int)rnd(3 - table));
		/* Keep only what the rule layer takes. */
		if (!ofp_flow_mod_parse(&fm, (const char *)b.data, b.len, OFP_FM_ADD,
					false, NULL, &err)) {
			buf_put(all, b.data, b.len);
			buf_putc(all, '\n');
		}
		ofp_flow_mod_uninit(&fm);
		buf_free(&b);
	}
	buf_cstr(all);
}

/* A random packet of protocol 'proto' (index into protos, or -1: any). */
static void rand_packet(struct buf *b, int proto)
{
	if (proto < 0)
		proto = rnd(5);
	buf_clear(b);
	buf_printf(b, "%s,in_port=%u,dl_src=%s,dl_dst=%s", protos[proto],
		   1 + rnd(3), PICK(macs), PICK(macs));
	if (!rnd(3))
		buf_printf(b, ",dl_vlan=%u", rnd(2) ? 5 : 7);
	if (proto == 3) {
		buf_printf(b, ",arp_spa=%s,arp_tpa=%s,arp_op=%u", PICK(ips),
			   PICK(ips), 1 + rnd(2));
	} else {
		buf_printf(b, ",nw_src=%s,nw_dst=%s,nw_ttl=%u,nw_tos=%u",
			   PICK(ips), PICK(ips), rnd(3) ? 64 : 1 + rnd(2),
			   rnd(2) ? 0 : 16);
		if (proto < 2)
			buf_printf(b, ",tp_src=%u,tp_dst=%s", 1 + rnd(3000),
				   rnd(2) ? "80" : "22");
		if (proto == 2)
			buf_printf(b, ",icmp_type=%u,icmp_code=0", rnd(2) ? 8 : 0);
	}
	buf_cstr(b);
}

/* Bytes of (a & m) | (b & ~m). */
static void blend(struct dp_key *out, const struct dp_key *a,
		  const struct dp_key *b, const struct dp_key *m)
{
	const uint8_t *pa = (const uint8_t *)a, *pb = (const uint8_t *)b;
	const uint8_t *pm = (const uint8_t *)m;
	uint8_t *po = (uint8_t *)out;
	size_t i;

	for (i = 0; i < sizeof *out; i++)
		po[i] = (uint8_t)((pa[i] & pm[i]) | (pb[i] & ~pm[i]));
}

struct stats {
	unsigned rule_sets, packets, variants, same, kernel_ok, determ;
	unsigned forwarded, errors;
};

static void run_round(struct stats *st, unsigned n_sets)
{
	struct buf rules = BUF_INIT, pkt = BUF_INIT;
	unsigned s, p, v;

	for (s = 0; s < n_sets; s++) {
		rand_rules(&rules);
		if (h_rules((const char *)rules.data))
			continue;
		st->rule_sets++;
		for (p = 0; p < 12; p++) {
			struct dp_key k, kmask, other, variant;
			struct dp_err err;
			char acts[8192];
			struct buf first = BUF_INIT;
			int proto = rnd(5);

			rand_packet(&pkt, proto);
			if (h_pkt((const char *)pkt.data, &k))
				continue;
			h_xlate_key(&k, NULL, 0);
			st->packets++;
			st->forwarded += strcmp(h_actions, "drop") != 0;
			st->errors += XO.error != XLATE_OK;
			if (getenv("PROP_DEBUG") && XO.error)
				note("error %s: %s", xlate_strerror(XO.error),
				     (const char *)pkt.data);
			snprintf(acts, sizeof acts, "%s", h_actions);
			buf_put(&first, XO.actions.data, XO.actions.len);
			if (!h_kernel_check(&k, &XO.mask, &XO.actions, &kmask, &err))
				st->kernel_ok++;
			{
				struct dp_key m1 = XO.mask;

				h_xlate_key(&k, NULL, 0);
				if (first.len == XO.actions.len &&
				    (!first.len || !memcmp(first.data, XO.actions.data,
							   first.len)) &&
				    !memcmp(&m1, &XO.mask, sizeof m1))
					st->determ++;
			}
			buf_free(&first);
			for (v = 0; v < 6; v++) {
				rand_packet(&pkt, proto);
				if (h_pkt((const char *)pkt.data, &other))
					continue;
				blend(&variant, &k, &other, &kmask);
				h_xlate_key(&variant, NULL, 0);
				st->variants++;
				if (!strcmp(h_actions, acts)) {
					st->same++;
				} else if (st->variants - st->same <= 3) {
					note("rules:\n%s", (const char *)rules.data);
					note("packet %s", (const char *)pkt.data);
					note("first: %s", acts);
					note("variant: %s", h_actions);
				}
			}
		}
	}
	buf_free(&rules);
	buf_free(&pkt);
}

int main(void)
{
	static const uint8_t a[6] = { 0, 0, 0, 0, 0, 0x0a }, b[6] = { 0, 0, 0, 0, 0, 0x0b };
	int i;

	h_init();
	mac_learn_update(&ML, a, 0, 1, NOW);
	mac_learn_update(&ML, b, 0, 2, NOW);
	mac_learn_update(&ML, b, 5, 3, NOW);
	for (i = 0; i < 4; i++) {
		struct stats st;

		memset(&st, 0, sizeof st);
		rng += (uint64_t)i * 0x1234567ull;
		run_round(&st, 150);
		note("round %d: %u rule sets, %u packets (%u with actions, %u failed), %u variants",
		     i, st.rule_sets, st.packets, st.forwarded, st.errors, st.variants);
		ok(st.variants > 1000 && st.same == st.variants,
		   "round %d: packets that agree on the megaflow translate alike (%u/%u)",
		   i, st.same, st.variants);
		ok(st.packets > 0 && st.kernel_ok == st.packets,
		   "round %d: the kernel takes every megaflow and action list (%u/%u)",
		   i, st.kernel_ok, st.packets);
		ok(st.determ == st.packets,
		   "round %d: translating twice gives the same bytes (%u/%u)",
		   i, st.determ, st.packets);
	}
	h_fini();
	return done();
}

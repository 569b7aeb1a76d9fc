/*
 * xlate.c - the translator: megaflow width, priorities, pipelines, limits,
 * the learning switch and its aging, lazy rewrites, the action set,
 * controller and packet-ins, ct and recirculation, MPLS, statistics, and
 * the MAC and recirculation tables on their own.  Every translation is
 * also checked against the kernel's rules (xlate_harness.h).
 */
#include <errno.h>
#include <linux/openvswitch.h>

#include "ofp_actions_text.h"
#include "xlate_harness.h"

#define P1 "in_port=1,dl_src=00:00:00:00:00:0a,dl_dst=00:00:00:00:00:0b"

static const uint8_t MAC_A[6] = { 0, 0, 0, 0, 0, 0x0a };

static void width(void)
{
	h_rules("priority=100,ip,nw_dst=10.0.0.2,actions=output:2\n"
		"priority=0,actions=drop");
	h_is("a rule on nw_dst: megaflow not exact on the ports",
	     "tcp," P1 ",nw_src=10.0.0.1,nw_dst=10.0.0.2,tp_src=1234,tp_dst=80",
	     "2", "recirc_id=0,eth,ip,in_port=1,nw_dst=10.0.0.2,nw_frag=no");
	ok(!XO.mask.tp_src && !XO.mask.tp_dst && !XO.mask.l3.ipv4.src &&
	   !memcmp(XO.mask.eth_src, "\0\0\0\0\0", 6),
	   "mask: no tp_src, tp_dst, nw_src, dl_src bits");
	h_is("the miss side of the same rule set is as wide",
	     "tcp," P1 ",nw_src=10.0.0.1,nw_dst=10.0.0.3,tp_src=1234,tp_dst=80",
	     "drop", "recirc_id=0,eth,ip,in_port=1,nw_dst=10.0.0.3,nw_frag=no");
	h_rules("priority=10,ip,nw_dst=10.0.0.0/8,actions=output:2\n"
		"priority=20,ip,nw_dst=10.1.0.0/16,actions=output:3\n"
		"priority=30,ip,nw_dst=10.1.1.0/24,actions=output:4\n");
	h_is("longest prefix: the megaflow is a prefix, not the address",
	     "udp," P1 ",nw_dst=10.1.9.9", "3",
	     "recirc_id=0,eth,ip,in_port=1,nw_dst=10.1.8.0/21,nw_frag=no");
	h_rules("in_port=3,actions=output:2\ntcp,tp_dst=80,actions=output:4");
	h_is("a port rule consulted on another port's packet: in_port only",
	     "udp," P1, "drop", "recirc_id=0,eth,udp,in_port=1,nw_frag=no");
	h_rules("arp,actions=output:2");
	h_is("non-IP: no nw_frag", "arp," P1 ",arp_op=1", "2",
	     "recirc_id=0,eth,arp,in_port=1");
}

static void priorities(void)
{
	h_rules("priority=10,ip,actions=output:2\n"
		"priority=20,tcp,actions=output:3\n"
		"priority=30,tcp,tp_dst=22,actions=output:4\n");
	h_is("the highest priority match wins (tcp)", "tcp," P1 ",tp_dst=80", "3", NULL);
	h_is("the highest priority match wins (ssh)", "tcp," P1 ",tp_dst=22", "4", NULL);
	h_is("the highest priority match wins (udp)", "udp," P1 ",tp_dst=22", "2", NULL);
	h_rules("priority=10,tcp,tp_dst=22,actions=output:4\n"
		"priority=20,tcp,actions=output:3\n");
	h_is("a lower-priority subtable is not consulted once a better match is found",
	     "tcp," P1 ",tp_dst=22", "3", "recirc_id=0,eth,tcp,in_port=1,nw_frag=no");
}

static void pipelines(void)
{
	char rules[8192];
	size_t n = 0;
	int i;

	h_rules("priority=10,ip,actions=goto_table:1\n"
		"table=1,tcp,actions=goto_table:2\n"
		"table=1,udp,actions=output:5\n"
		"table=2,tcp,tp_dst=80,actions=output:2\n"
		"table=2,priority=0,actions=output:3\n");
	h_is("goto_table chain to the web port", "tcp," P1 ",tp_dst=80", "2",
	     "recirc_id=0,eth,tcp,in_port=1,nw_frag=no,tp_dst=80");
	ok(xlate_out_n_rules(&XO) == 3 && xlate_out_rule(&XO, 0)->table_id == 0 &&
	   xlate_out_rule(&XO, 1)->table_id == 1 &&
	   xlate_out_rule(&XO, 2)->table_id == 2,
	   "the rules to credit are the three met, in order");
	xlate_credit(&XO, 3, 300, NOW);
	ok(xlate_out_rule(&XO, 2)->n_packets == 3 &&
	   xlate_out_rule(&XO, 2)->n_bytes == 300 &&
	   xlate_out_rule(&XO, 0)->n_packets == 3, "xlate_credit credits each of them");
	h_is("goto_table chain, other branch", "udp," P1, "5",
	     "recirc_id=0,eth,udp,in_port=1,nw_frag=no");

	h_rules("in_port=1,actions=resubmit(3,1),output:4\n"
		"table=1,in_port=3,actions=output:2,in_port,normal\n");
	h_xlate("ip," P1);
	ok(!strncmp(h_actions, "2,1,", 4) && strstr(h_actions, ",4") &&
	   XO.n_learn == 1 && XO.learn[0].port == 1,
	   "resubmit(3,1): the lookup sees port 3, in_port and normal the packet's: %s",
	   h_actions);

	h_rules("actions=note:61.62,write_metadata:0x5/0xff,goto_table:1\n"
		"table=1,metadata=0x5,actions=output:2\n"
		"table=1,priority=0,actions=output:3\n");
	h_is("write_metadata is matched in the next table, not in the megaflow",
	     "ip," P1, "2", "recirc_id=0,eth,ip,in_port=1,nw_frag=no");

	h_rules("actions=resubmit(,1),resubmit(,1)\n"
		"table=1,actions=output:2\n");
	h_is("the same table twice outputs twice", "ip," P1, "2,2", NULL);

	for (i = 0; i < 70; i++)
		n += (size_t)snprintf(rules + n, sizeof rules - n,
				      "table=%d,actions=resubmit(,%d)\n", i, i + 1);
	snprintf(rules + n, sizeof rules - n, "table=70,actions=output:2\n");
	h_rules(rules);
	ok(h_xlate("ip," P1) == XLATE_RECURSION_TOO_DEEP &&
	   !strcmp(h_actions, "drop"), "70 nested resubmits exceed the depth limit");
	n = 0;
	for (i = 0; i < 60; i++)
		n += (size_t)snprintf(rules + n, sizeof rules - n,
				      "table=%d,actions=resubmit(,%d)\n", i, i + 1);
	snprintf(rules + n, sizeof rules - n, "table=60,actions=output:2\n");
	h_rules(rules);
	ok(h_xlate("ip," P1) == XLATE_OK && !strcmp(h_actions, "2"),
	   "60 nested resubmits are fine");
	n = 0;
	for (i = 0; i < 2; i++) {
		int j;

		n += (size_t)snprintf(rules + n, sizeof rules - n,
				      "table=%d,actions=", i);
		for (j = 0; j < 65; j++)
			n += (size_t)snprintf(rules + n, sizeof rules - n,
					      "%sresubmit(,%d)", j ? "," : "",
					      i + 1);
		n += (size_t)snprintf(rules + n, sizeof rules - n, "\n");
	}
	h_rules(rules);
	ok(h_xlate("ip," P1) == XLATE_TOO_MANY_RESUBMITS,
	   "65 x 65 resubmits exceed the total of 4096");
}

static void learning(void)
{
	struct dp_key k;

	xlate_add_default_rule(&T, NOW, NULL);
	h_rules("");
	ok(xlate_add_default_rule(&T, NOW, NULL) == 0 && T.n_rules == 1,
	   "the default rule: table 0, priority 0, normal");
	h_is("a fresh bridge floods an unknown destination", "ip," P1, "0,2,3,4,5",
	     "recirc_id=0,eth,ip,in_port=1,dl_src=00:00:00:00:00:0a,dl_dst=00:00:00:00:00:0b,nw_frag=no");
	ok(XO.n_learn == 1 && !memcmp(XO.learn[0].mac, MAC_A, 6) &&
	   XO.learn[0].vlan == 0 && XO.learn[0].port == 1 && XO.used_mac_table,
	   "normal would learn A on port 1 and read the MAC table");
	ok(mac_learn_lookup(&ML, MAC_A, 0, NOW, &(uint16_t){0}) == false,
	   "translation alone learns nothing");
	ok(xlate_apply_learning(&BR, &XO, NOW), "applying it changes forwarding");
	ok(!xlate_apply_learning(&BR, &XO, NOW + 1000), "applying it again only refreshes");
	h_is("B answers A: forwarded to A's port only",
	     "ip,in_port=2,dl_src=00:00:00:00:00:0b,dl_dst=00:00:00:00:00:0a", "1", NULL);
	xlate_apply_learning(&BR, &XO, NOW);
	h_is("now A to B goes to B's port only", "ip," P1, "2", NULL);
	h_is("a frame to the port it came from is dropped",
	     "ip,in_port=2,dl_src=00:00:00:00:00:0c,dl_dst=00:00:00:00:00:0b", "drop", NULL);
	h_is("another VLAN does not know B", "ip," P1 ",dl_vlan=7", "0,2,3,4,5", NULL);
	h_is("broadcast floods",
	     "arp,in_port=1,dl_src=00:00:00:00:00:0a,dl_dst=ff:ff:ff:ff:ff:ff", "0,2,3,4,5", NULL);
	h_is("the IEEE reserved group is dropped",
	     "in_port=1,dl_type=0x88cc,dl_src=00:00:00:00:00:0a,dl_dst=01:80:c2:00:00:0e",
	     "drop", NULL);
	h_pkt("ip,in_port=1,dl_src=01:00:00:00:00:0a,dl_dst=00:00:00:00:00:0b", &k);
	h_xlate_key(&k, NULL, 0);
	ok(XO.n_learn == 0 && !strcmp(h_actions, "2"), "a multicast source is not learned");

	NOW += 299 * 1000;
	h_is("B is still known after 299 s", "ip," P1, "2", NULL);
	NOW += 2 * 1000;
	h_is("and forgotten after 301 s (default aging)", "ip," P1, "0,2,3,4,5", NULL);
	ok(mac_learn_expire(&ML, NOW) == 2, "expiry reclaims A and B");
	mac_learn_set_aging(&ML, 10 * 1000);
	h_xlate("ip,in_port=2,dl_src=00:00:00:00:00:0b,dl_dst=00:00:00:00:00:0a");
	xlate_apply_learning(&BR, &XO, NOW);
	NOW += 11 * 1000;
	h_is("a configured aging of 10 s forgets after 11 s", "ip," P1, "0,2,3,4,5", NULL);
	mac_learn_set_aging(&ML, 0);
	mac_learn_flush(&ML, -1);

	{
		static const unsigned dp[] = { 0, 1, 2, 3, 4, 5 };
		struct xlate_port ps[6];
		size_t i;

		memset(ps, 0, sizeof ps);
		for (i = 0; i < 6; i++)
			ps[i].dp_port = dp[i];
		ps[3].flags = XLATE_PORT_DOWN;
		ps[4].flags = XLATE_PORT_NO_FLOOD;
		xlate_bridge_set_ports(&BR, ps, 6, NULL);
		h_is("flooding skips a down port and a no-flood port", "ip," P1, "0,2,5", NULL);
		h_rules("actions=all");
		h_is("all skips only the down port and the input", "ip," P1, "0,2,4,5", NULL);
		h_rules("actions=flood");
		h_is("flood skips no-flood and down ports", "ip," P1, "0,2,5", NULL);
		h_ports(dp, 6);
	}
	h_rules("actions=normal");
	h_is("a priority-tagged frame leaves untagged",
	     "ip," P1 ",vlan_tci=0x3000/0xffff", "pop_vlan,0,2,3,4,5", NULL);
	mac_learn_flush(&ML, -1);
}

static void rewrites(void)
{
	h_rules("ip,actions=mod_nw_dst:10.9.9.9,output:2,output:3,output:4");
	h_is("one rewrite for three outputs", "udp," P1 ",nw_dst=10.0.0.1",
	     "set(ipv4(dst=10.9.9.9)),2,3,4", NULL);
	h_rules("ip,actions=output:2,mod_nw_dst:10.9.9.9");
	h_is("a rewrite with no output after it is never emitted",
	     "udp," P1 ",nw_dst=10.0.0.1", "2", NULL);
	h_rules("ip,actions=mod_nw_dst:10.9.9.9,mod_nw_dst:10.0.0.1,output:2");
	h_is("a rewrite undone before the output is no rewrite",
	     "udp," P1 ",nw_dst=10.0.0.1", "2",
	     "recirc_id=0,eth,ip,in_port=1,nw_dst=10.0.0.1,nw_frag=no");
	h_rules("ip,actions=mod_nw_src:1.2.3.4");
	h_is("a flow that outputs nothing is a drop", "udp," P1, "drop", NULL);
	h_rules("ip,actions=mod_tp_dst:5,output:2");
	h_is("mod_tp_dst on ICMP does nothing, after reading nw_proto",
	     "icmp," P1 ",icmp_type=8", "2",
	     "recirc_id=0,eth,icmp,in_port=1,nw_frag=no");
	h_rules("ip,actions=move:NXM_OF_IP_SRC[]->NXM_NX_REG0[],resubmit(,1)\n"
		"table=1,reg0=0x0a000001,actions=output:3\n"
		"table=1,priority=0,actions=output:4\n");
	h_is("move makes its source exact; the register is not in the megaflow",
	     "udp," P1 ",nw_src=10.0.0.1", "3",
	     "recirc_id=0,eth,ip,in_port=1,nw_src=10.0.0.1,nw_frag=no");
	h_rules("actions=load:0x5->NXM_OF_ETH_DST[0..7],output:2");
	h_is("load of a bit range rewrites and matches those bits only",
	     "ip," P1, "set(eth(dst=00:00:00:00:00:05/00:00:00:00:00:ff)),2",
	     "recirc_id=0,eth,ip,in_port=1,dl_dst=00:00:00:00:00:0b/00:00:00:00:00:ff,nw_frag=no");
	h_rules("actions=push:NXM_OF_ETH_SRC[],push:NXM_OF_ETH_DST[],pop:NXM_OF_ETH_SRC[],pop:NXM_OF_ETH_DST[],output:2");
	h_is("the stack swaps the addresses", "ip," P1,
	     "set(eth(src=00:00:00:00:00:0b,dst=00:00:00:00:00:0a)),2", NULL);
	h_rules("ip,actions=load:0x50->NXM_NX_PKT_MARK[],output:2");
	h_is("pkt_mark is set with skb_mark", "ip," P1, "set(skb_mark(0x50)),2", NULL);
	h_rules("actions=output(port=3,max_len=100),enqueue:4:1");
	h_is("output with truncation, and enqueue", "ip," P1, "trunc(100),3,4", NULL);
	h_rules("actions=clone(mod_dl_dst:00:00:00:00:00:0c,output:3),output:4");
	h_is("clone keeps its rewrite to itself", "ip," P1,
	     "clone(set(eth(dst=00:00:00:00:00:0c)),3),4", NULL);
	h_rules("actions=ct_clear,output:3");
	h_is("ct_clear", "ip," P1, "ct_clear,3", NULL);
	h_rules("actions=load:3->NXM_NX_REG2[0..15],output:NXM_NX_REG2[0..15]");
	h_is("output to a port in a register", "ip," P1, "3", NULL);
	h_rules("ip,actions=mod_dl_src:00:00:00:00:00:0c,push_mpls:0x8847,output:3");
	h_is("a rewrite before a first MPLS push is committed before it",
	     "tcp," P1 ",nw_ttl=64", "set(eth(src=00:00:00:00:00:0c)),"
	     "push_mpls(label=0,tc=0,ttl=64,bos=1,eth_type=0x8847),3", NULL);
}

static void ports(void)
{
	h_rules("actions=output:1,output:2");
	h_is("output to the input port is skipped", "ip," P1, "2", NULL);
	h_rules("actions=in_port,local,output:9");
	h_is("in_port, local; a nonexistent port is skipped", "ip," P1, "1,0", NULL);
	h_rules("actions=local");
	h_is("local from local is skipped", "ip,in_port=LOCAL", "drop", NULL);
	{
		struct xlate_in in;
		struct dp_key k;
		struct buf acts = BUF_INIT;
		struct dp_err err;

		h_pkt("ip," P1, &k);
		{
			static const char t[] = "output:4,mod_vlan_vid:9,flood";

			ofpacts_from_text(t, sizeof t - 1, 1, &acts, NULL, &err);
		}
		memset(&in, 0, sizeof in);
		in.key = &k;
		in.now_ms = NOW;
		in.acts = acts.data;
		in.acts_len = acts.len;
		xlate_translate(&BR, &in, &XO);
		buf_clear(&acts);
		odp_actions_to_text(&acts, XO.actions.data, XO.actions.len, 0, NULL);
		ok(!strcmp(buf_cstr(&acts), "4,push_vlan(vid=9,pcp=0),0,2,3,4,5"),
		   "packet-out actions instead of table 0: %s", buf_cstr(&acts));
		buf_free(&acts);
	}
}

static void controller(void)
{
	struct xlate_pin pin;
	const struct nlattr *a;
	size_t rem;
	int r = -1;

	h_rules("cookie=0x1234,table=0,ip,actions=load:0x99->NXM_NX_REG3[],goto_table:7\n"
		"cookie=0x55,table=7,ip,actions=controller(max_len=128,id=4),output:2\n");
	h_xlate("ip," P1);
	ok(XO.n_pins == 1 && XO.pins[0].reason == OFPR_ACTION &&
	   XO.pins[0].table_id == 7 && XO.pins[0].cookie == 0x55 &&
	   XO.pins[0].max_len == 128 && XO.pins[0].controller_id == 4 &&
	   XO.pins[0].regs[3] == 0x99 && XO.n_recircs == 1,
	   "the controller action is listed with table, cookie and registers");
	NA_FOR_EACH(a, XO.actions.data, XO.actions.len, rem) {
		if (na_type(a) == OVS_ACTION_ATTR_USERSPACE) {
			const struct nlattr *ud = na_find(na_data(a), na_len(a),
							  OVS_USERSPACE_ATTR_USERDATA);

			r = ud ? xlate_pin_decode(RC, na_data(ud), na_len(ud), &pin) : -1;
		}
	}
	ok(r == 0 && pin.reason == OFPR_ACTION && pin.table_id == 7 &&
	   pin.cookie == 0x55 && pin.max_len == 128 && pin.controller_id == 4 &&
	   pin.regs[3] == 0x99 && pin.in_port == 1 && !pin.dont_send,
	   "the upcall's userdata decodes back into the packet-in");
	ok(xlate_pin_decode(RC, "abc", 3, &pin) == -EINVAL,
	   "other userdata is not a packet-in");
	h_rules("ip,actions=dec_ttl(1,2),output:2");
	h_xlate("ip," P1 ",nw_ttl=1");
	ok(XO.n_pins == 2 && XO.pins[0].controller_id == 1 &&
	   XO.pins[1].controller_id == 2 && XO.pins[0].reason == OFPR_INVALID_TTL &&
	   !strstr(h_actions, "),2"),
	   "dec_ttl(1,2) at TTL 1: one packet-in per controller id, no output");
	h_rules("ip,actions=write_actions(output:CONTROLLER)");
	h_xlate("ip," P1);
	ok(XO.n_pins == 1 && XO.pins[0].reason == OFPR_ACTION_SET,
	   "output:CONTROLLER from the action set says action_set");
}

static void action_set(void)
{
	h_rules("actions=write_actions(output:2,mod_dl_src:00:00:00:00:00:01,strip_vlan),goto_table:1\n"
		"table=1,actions=write_actions(mod_dl_dst:00:00:00:00:00:02),goto_table:2\n"
		"table=2,actions=write_actions(push_vlan:0x8100)\n");
	h_is("the action set runs pops, pushes, sets, then the output",
	     "ip," P1 ",dl_vlan=5",
	     "set(eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:02)),pop_vlan,push_vlan(vid=0,pcp=0),2",
	     NULL);
	h_rules("actions=write_actions(mod_dl_src:00:00:00:00:00:01)");
	h_is("an action set without output does nothing", "ip," P1, "drop", NULL);
	h_rules("actions=write_actions(output:2),goto_table:1\n"
		"table=1,actions=clear_actions,write_actions(output:4)");
	h_is("clear_actions empties the set, write_actions refills it",
	     "ip," P1, "4", NULL);
}

static void ct_recirc(void)
{
	struct dp_key k;
	uint32_t id, id2;
	char want[160];

	h_rules("table=0,ip,actions=load:5->NXM_NX_REG0[],write_actions(output:4),goto_table:1\n"
		"table=1,ip,actions=ct(commit,zone=3,table=2),output:2\n"
		"table=2,ip,reg0=5,ct_state=+trk+est,actions=output:3\n"
		"table=2,ip,priority=0,actions=drop\n");
	h_xlate("udp," P1);
	id = XO.recircs[0];
	snprintf(want, sizeof want, "ct(commit,zone=3),recirc(%#x),2,4", id);
	ok(XO.n_recircs == 1 && !strcmp(h_actions, want),
	   "ct(table=2) forks a recirculation and goes on untracked: %s", h_actions);
	h_xlate("udp," P1);
	ok(XO.recircs[0] == id, "the same state gets the same recirculation id");
	k = h_key;
	k.recirc_id = id;
	k.ct_state = OFP_CS_TRK | OFP_CS_EST;
	h_xlate_key(&k, NULL, 0);
	snprintf(want, sizeof want,
		 "recirc_id=%#x,ct_state=+est+trk,eth,ip,in_port=1,nw_frag=no", id);
	ok(!strcmp(h_actions, "3,4") && !strcmp(h_megaflow, want),
	   "after recirculation: table 2, the register and action set restored: %s %s",
	   h_actions, h_megaflow);
	k.ct_state = OFP_CS_TRK | OFP_CS_NEW;
	h_xlate_key(&k, NULL, 0);
	ok(!strcmp(h_actions, "4"), "a new connection takes the other rule: %s", h_actions);
	k.recirc_id = 0xdead;
	ok(h_xlate_key(&k, NULL, 0) == XLATE_NO_RECIRC_CONTEXT &&
	   !strcmp(h_actions, "drop"), "an unknown recirc_id drops");

	h_rules("table=0,ip,actions=ct(table=1)\n"
		"table=1,ip,actions=ct(commit,exec(set_field:0x5/0xff->ct_mark)),output:2\n");
	h_xlate("udp," P1);
	k = h_key;
	k.recirc_id = XO.recircs[0];
	k.ct_state = OFP_CS_TRK | OFP_CS_NEW;
	k.ct_mark = 0x1234;
	h_xlate_key(&k, NULL, 0);
	ok(!strcmp(h_actions, "ct(commit,mark=0x5/0xff),2"),
	   "ct(commit,exec(set_field ct_mark)): the mark with its mask: %s", h_actions);

	h_rules("mpls,actions=pop_mpls:0x0800,resubmit(,1),output:5\n"
		"table=1,ip,nw_dst=10.0.0.1,actions=output:4\n");
	h_xlate("mpls," P1 ",mpls_label=7,mpls_bos=1");
	id2 = XO.recircs[0];
	snprintf(want, sizeof want, "pop_mpls(eth_type=0x800),recirc(%#x)", id2);
	ok(!strcmp(h_actions, want),
	   "after pop_mpls a lookup waits for the datapath to parse IP: %s", h_actions);
	h_pkt("udp," P1 ",nw_dst=10.0.0.1", &k);
	k.recirc_id = id2;
	h_xlate_key(&k, NULL, 0);
	ok(!strcmp(h_actions, "4,5"),
	   "the frozen actions (resubmit, output) resume on the parsed packet: %s",
	   h_actions);
	h_rules("mpls,actions=pop_mpls:0x0800,output:5");
	h_is("pop_mpls with only an output needs no recirculation",
	     "mpls," P1 ",mpls_label=7,mpls_bos=1", "pop_mpls(eth_type=0x800),5", NULL);
}

static void tables_alone(void)
{
	struct xlate_recirc *rc = xlate_recirc_create();
	struct mac_learn ml;
	struct mac_entry es[8];
	uint8_t mac[6] = { 2, 0, 0, 0, 0, 0 };
	struct buf b = BUF_INIT;
	uint32_t a1, a2, b1;
	uint16_t port;
	int i;

	a1 = xlate_recirc_get_id(rc, "state-a", 7, 0);
	a2 = xlate_recirc_get_id(rc, "state-a", 7, 5);
	b1 = xlate_recirc_get_id(rc, "state-b", 7, 0);
	ok(a1 && a1 == a2 && b1 && b1 != a1, "recirc: one id per distinct state");
	ok(!xlate_recirc_find(rc, b1, &b, 0) && b.len == 7 && !memcmp(b.data, "state-b", 7),
	   "recirc: an id gives its state back");
	xlate_recirc_ref(rc, a1);
	ok(xlate_recirc_expire(rc, XLATE_RECIRC_GRACE_MS - 1) == 0 &&
	   xlate_recirc_expire(rc, XLATE_RECIRC_GRACE_MS + 10) == 1 &&
	   xlate_recirc_find(rc, b1, &b, 0) == -ENOENT &&
	   xlate_recirc_count(rc) == 1,
	   "recirc: unreferenced ids go after the grace period, referenced stay");
	xlate_recirc_unref(rc, a1, 100000);
	ok(xlate_recirc_expire(rc, 100000 + XLATE_RECIRC_GRACE_MS) == 1 &&
	   xlate_recirc_count(rc) == 0, "recirc: and go once unreferenced");
	for (i = 0; i < 1000; i++) {
		char s[16];

		snprintf(s, sizeof s, "s%d", i);
		if (!xlate_recirc_get_id(rc, s, strlen(s), 0))
			break;
	}
	ok(i == 1000 && xlate_recirc_count(rc) == 1000, "recirc: grows to 1000 states");
	xlate_recirc_destroy(rc);
	buf_free(&b);

	mac_learn_init(&ml, 4, 1000);
	for (i = 0; i < 5; i++) {
		mac[5] = (uint8_t)i;
		mac_learn_update(&ml, mac, 0, (uint16_t)(i + 1), i);
	}
	mac[5] = 0;
	ok(!mac_learn_lookup(&ml, mac, 0, 10, &port), "mac: a full table evicts the oldest");
	mac[5] = 4;
	ok(mac_learn_lookup(&ml, mac, 0, 10, &port) && port == 5, "mac: the newest is there");
	mac[5] = 1;
	mac_learn_update(&ml, mac, 0, 2, 500);  /* refreshed */
	ok(mac_learn_expire(&ml, 1003) == 2 && mac_learn_dump(&ml, 1003, es, 8) == 2,
	   "mac: expiry by age, refreshed entries stay");
	mac_learn_flush(&ml, 5);
	ok(mac_learn_dump(&ml, 1003, es, 8) == 1 && es[0].port == 2,
	   "mac: flush by port");
	mac_learn_destroy(&ml);
}

static void unsupported(void)
{
	h_rules("icmp,actions=set_field:3->icmp_type,output:2");
	ok(h_xlate("icmp," P1 ",icmp_type=8") == XLATE_UNSUPPORTED &&
	   !strcmp(h_actions, "drop"), "an ICMP type rewrite fails: no set(icmp) in the kernel");
	h_rules("arp,actions=set_field:1.2.3.4->arp_spa,output:2");
	ok(h_xlate("arp," P1 ",arp_op=1") == XLATE_UNSUPPORTED,
	   "an ARP rewrite fails: no set(arp) in the kernel");
	h_rules("icmp6,icmp_type=135,actions=set_field:::1->nd_target,output:2");
	ok(h_xlate("icmp6," P1 ",icmp_type=135,icmp_code=0,nd_target=::5") ==
	   XLATE_UNSUPPORTED, "an ND rewrite fails: no set(nd) in the kernel");
	h_rules("actions=push_mpls:0x8847,output:2");
	ok(h_xlate("ip," P1 ",dl_vlan=4") == XLATE_UNSUPPORTED,
	   "push_mpls under a VLAN tag fails: the kernel refuses it");
	h_rules("mpls,actions=clone(pop_mpls:0x0800,resubmit(,1)),output:2\n"
		"table=1,actions=output:3");
	ok(h_xlate("mpls," P1 ",mpls_label=3,mpls_bos=1") == XLATE_UNSUPPORTED,
	   "a recirculation inside clone fails rather than lose the clone");
	h_rules("tun_id=5,actions=output:2\npriority=0,actions=output:3");
	h_is("a tunnel rule on a packet without tunnel: matches tun_id=0",
	     "ip," P1, "3", "recirc_id=0,eth,ip,tun_id=0,in_port=1,nw_frag=no");
}

static void traces(void)
{
	struct trace tr;
	struct buf b = BUF_INIT;
	struct dp_key k;

	trace_init(&tr);
	h_rules("actions=output:3,resubmit(,0)");
	h_pkt("ip," P1, &k);
	h_xlate_key(&k, &tr, 0);
	trace_report(&b, &k, &tr, &XO, NULL);
	ok(strstr(buf_cstr(&b), "    output:3\n    resubmit(,0)\n 0. priority 32768\n") &&
	   strstr(buf_cstr(&b), "     >>>> over max translation depth 64 <<<<\n") &&
	   strstr(buf_cstr(&b), "Translation failed (Recursion too deep), packet is dropped.\n"),
	   "trace of a resubmit loop: flat chain, error, failure line");
	trace_uninit(&tr);
	buf_free(&b);
}

int main(void)
{
	h_init();
	width();
	priorities();
	pipelines();
	learning();
	rewrites();
	ports();
	controller();
	action_set();
	ct_recirc();
	unsupported();
	traces();
	tables_alone();
	ok(h_kernel_bad == 0, "the kernel takes all %u megaflows and action lists",
	   h_translations);
	h_fini();
	return done();
}

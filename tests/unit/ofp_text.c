/*
 * ofp_text.c - rule text beyond the shared conformance data: cases whose
 * expected output was taken from ovs-ofctl 3.1 parse-flows (dump form) on
 * this machine, errors that must name the offending item, prerequisites
 * dpkit enforces where ovs-ofctl silently drops fields, and datapath keys
 * through the same formatter.
 */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "ofp_actions_text.h"
#include "ofp_flow_mod.h"
#include "ofp_match_text.h"
#include "ofp_rules.h"
#include "tap.h"

static const struct {
	const char *in, *out;
} golden[] = {
	{ "ip,actions=ct(commit,force,zone=NXM_NX_REG0[0..15],table=5,exec(set_field:1->ct_mark))",
	  "ip actions=ct(commit,force,table=5,zone=NXM_NX_REG0[0..15],exec(load:0x1->NXM_NX_CT_MARK[]))" },
	{ "tcp,actions=ct(commit,zone=5,nat,alg=ftp)",
	  "tcp actions=ct(commit,zone=5,nat,alg=ftp)" },
	{ "ip,actions=ct(commit,nat(src=1.1.1.1-1.1.1.9:100-200,persistent,random))",
	  "ip actions=ct(commit,nat(src=1.1.1.1-1.1.1.9:100-200,persistent,random))" },
	{ "ip,actions=ct(commit,nat(dst=1.1.1.1:80))",
	  "ip actions=ct(commit,nat(dst=1.1.1.1:80))" },
	{ "ip,actions=ct(commit,nat(src=1.1.1.1-1.1.1.1))",
	  "ip actions=ct(commit,nat(src=1.1.1.1))" },
	{ "ip,actions=ct(commit,nat(src=1.1.1.1:80-80))",
	  "ip actions=ct(commit,nat(src=1.1.1.1:80))" },
	{ "ipv6,actions=ct(commit,nat(dst=[::1]:80))",
	  "ipv6 actions=ct(commit,nat(dst=[::1]:80))" },
	{ "ip,actions=ct(commit,nat(src=1.1.1.1,hash,persistent))",
	  "ip actions=ct(commit,nat(src=1.1.1.1,persistent,hash))" },
	{ "ip,actions=ct()",
	  "ip actions=ct()" },
	{ "ip,actions=ct(commit,exec(set_field:1/1->ct_mark,set_field:0x3->ct_label))",
	  "ip actions=ct(commit,exec(load:0x1->NXM_NX_CT_MARK[0],load:0x3->NXM_NX_CT_LABEL[0..63],load:0->NXM_NX_CT_LABEL[64..127]))" },
	{ "udp,actions=ct(commit,alg=tftp)",
	  "udp actions=ct(commit,alg=tftp)" },
	{ "actions=controller(reason=no_match),controller(max_len=100),controller(id=3),controller(reason=action,max_len=65535),controller(pause),controller(userdata=01.02)",
	  "actions=controller(reason=no_match),CONTROLLER:100,controller(id=3),CONTROLLER:65535,controller(pause),controller(userdata=01.02)" },
	{ "actions=controller(reason=action_set),controller(reason=group),controller(reason=packet_out,id=1)",
	  "actions=controller(reason=action_set),controller(reason=group),controller(reason=packet_out,id=1)" },
	{ "actions=sample(probability=5,collector_set_id=1,obs_domain_id=2,obs_point_id=3,sampling_port=LOCAL,ingress)",
	  "actions=sample(probability=5,collector_set_id=1,obs_domain_id=2,obs_point_id=3,sampling_port=LOCAL,ingress)" },
	{ "actions=fin_timeout(idle_timeout=5),fin_timeout(hard_timeout=7),fin_timeout()",
	  "actions=fin_timeout(idle_timeout=5),fin_timeout(hard_timeout=7),fin_timeout()" },
	{ "actions=note:,note:0102030405,note:010203040506,note:01020304050607",
	  "actions=note:00.00.00.00.00.00,note:01.02.03.04.05.00,note:01.02.03.04.05.06,note:01.02.03.04.05.06.07.00.00.00.00.00.00.00" },
	{ "actions=enqueue(LOCAL,2),enqueue:IN_PORT:7",
	  "actions=enqueue:LOCAL:2,enqueue:IN_PORT:7" },
	{ "actions=output:LOCAL,output:IN_PORT,output:NORMAL,output:FLOOD,output:ALL,output:TABLE,output:CONTROLLER,output:65279,output:0",
	  "actions=LOCAL,IN_PORT,NORMAL,FLOOD,ALL,TABLE,CONTROLLER:65535,output:65279,output:0" },
	{ "ct_state=+trk-inv,ip,actions=resubmit(,2,ct),resubmit(4,2,ct)",
	  "ct_state=-inv+trk,ip actions=resubmit(,2,ct),resubmit(4,2,ct)" },
	{ "actions=set_tunnel:0xffffffff,set_tunnel:5,set_tunnel64:5,set_tunnel:0",
	  "actions=set_tunnel:0xffffffff,set_tunnel:0x5,set_tunnel64:0x5,set_tunnel:0" },
	{ "actions=move:NXM_OF_ETH_SRC[0..15]->NXM_NX_REG0[0..15],move:reg0->reg1,push:NXM_NX_REG2[0..7],pop:reg3[8..15]",
	  "actions=move:NXM_OF_ETH_SRC[0..15]->NXM_NX_REG0[0..15],move:NXM_NX_REG0[]->NXM_NX_REG1[],push:NXM_NX_REG2[0..7],pop:NXM_NX_REG3[8..15]" },
	{ "actions=load:0->NXM_NX_REG0[],load:0xffffffff->reg1,load:1->reg2[31],load:0x123456789abcdef0->metadata,load:3->NXM_OF_VLAN_TCI[0..11]",
	  "actions=load:0->NXM_NX_REG0[],load:0xffffffff->NXM_NX_REG1[],load:0x1->NXM_NX_REG2[31],load:0x123456789abcdef0->OXM_OF_METADATA[],load:0x3->NXM_OF_VLAN_TCI[0..11]" },
	{ "actions=set_field:0x1/0x1->metadata,set_field:0xffffffffffffffff->metadata,set_field:0->reg5",
	  "actions=load:0x1->OXM_OF_METADATA[0],load:0xffffffffffffffff->OXM_OF_METADATA[],load:0->NXM_NX_REG5[]" },
	{ "actions=dec_ttl(1),dec_ttl(5,6),dec_mpls_ttl,set_mpls_ttl:1",
	  "actions=dec_ttl(1),dec_ttl(5,6),dec_mpls_ttl,set_mpls_ttl(1)" },
	{ "actions=output:NXM_OF_IN_PORT[],output:reg15[0..15],output:NXM_NX_REG0[16..31]",
	  "actions=output:NXM_OF_IN_PORT[],output:NXM_NX_REG15[0..15],output:NXM_NX_REG0[16..31]" },
	{ "actions=check_pkt_larger(100)->NXM_NX_REG0[5],check_pkt_larger(65535)->reg1[31]",
	  "actions=check_pkt_larger(100)->NXM_NX_REG0[5],check_pkt_larger(65535)->NXM_NX_REG1[31]" },
	{ "actions=clone(output:1,clone(output:2)),clone()",
	  "actions=clone(output:1,clone(output:2)),clone(drop)" },
	{ "actions=mod_dl_src:00:00:00:00:00:00,mod_nw_src:0.0.0.0,mod_nw_tos:0,mod_tp_src:0,mod_tp_dst:65535",
	  "actions=mod_dl_src:00:00:00:00:00:00,mod_nw_src:0.0.0.0,mod_nw_tos:0,mod_tp_src:0,mod_tp_dst:65535" },
	{ "ip,actions=mod_nw_ttl:0,mod_nw_ecn:0,mod_nw_ecn:3",
	  "ip actions=load:0->NXM_NX_IP_TTL[],load:0->NXM_NX_IP_ECN[],load:0x3->NXM_NX_IP_ECN[]" },
	{ "mpls,actions=pop_mpls:0x8847,push_mpls:0x8847,set_mpls_label:0,set_mpls_tc:0",
	  "mpls actions=pop_mpls:0x8847,push_mpls:0x8847,set_mpls_label(0),set_mpls_tc(0)" },
	{ "in_port=65534,dl_src=01:00:00:00:00:00/01:00:00:00:00:00,dl_dst=ff:ff:ff:ff:ff:ff,dl_type=0x0805,actions=drop",
	  "in_port=LOCAL,dl_src=01:00:00:00:00:00/01:00:00:00:00:00,dl_dst=ff:ff:ff:ff:ff:ff,dl_type=0x0805 actions=drop" },
	{ "priority=0,in_port=1,dl_vlan=0xffff,actions=drop",
	  "priority=0,in_port=1,vlan_tci=0x0000 actions=drop" },
	{ "dl_vlan=4095,dl_vlan_pcp=7,actions=drop",
	  "dl_vlan=4095,dl_vlan_pcp=7 actions=drop" },
	{ "vlan_tci=0x1000/0x1000,actions=drop",
	  "vlan_tci=0x1000/0x1000 actions=drop" },
	{ "vlan_tci=0x0000/0x1000,actions=drop",
	  "vlan_tci=0x0000/0x1000 actions=drop" },
	{ "vlan_tci=0xf123/0xffff,actions=drop",
	  "dl_vlan=291,dl_vlan_pcp=7 actions=drop" },
	{ "vlan_tci=0xf123/0xefff,actions=drop",
	  "vlan_tci=0xe123/0xefff actions=drop" },
	{ "ip,nw_tos=252,nw_ecn=3,nw_ttl=0,actions=drop",
	  "ip,nw_tos=252,nw_ecn=3,nw_ttl=0 actions=drop" },
	{ "ip,ip_dscp=63,actions=drop",
	  "ip,nw_tos=252 actions=drop" },
	{ "ipv6,ipv6_src=2001:db8::/32,ipv6_dst=::/1,ipv6_label=0xfffff/0x00001,actions=drop",
	  "ipv6,ipv6_src=2001:db8::/32,ipv6_dst=::/1,ipv6_label=0x00001/0x00001 actions=drop" },
	{ "tcp,tcp_flags=+fin+syn+rst+psh+ack+urg+ece+cwr+ns,actions=drop",
	  "tcp,tcp_flags=+fin+syn+rst+psh+ack+urg+ece+cwr+ns actions=drop" },
	{ "tcp,tcp_flags=-fin,actions=drop",
	  "tcp,tcp_flags=-fin actions=drop" },
	{ "tcp6,tcp_flags=0x3/0x7,actions=drop",
	  "tcp6,tcp_flags=+fin+syn-rst actions=drop" },
	{ "icmp,icmp_type=8,icmp_code=0,actions=drop",
	  "icmp,icmp_type=8,icmp_code=0 actions=drop" },
	{ "icmp6,icmp_type=136,icmp_code=0,nd_target=fe80::1,nd_tll=00:11:22:33:44:55/ff:ff:ff:00:00:00,actions=drop",
	  "icmp6,icmp_type=136,icmp_code=0,nd_target=fe80::1,nd_tll=00:11:22:00:00:00/ff:ff:ff:00:00:00 actions=drop" },
	{ "arp,arp_op=2,arp_spa=10.0.0.0/8,arp_tpa=10.1.1.1,arp_sha=00:00:00:00:00:01,arp_tha=00:00:00:00:00:02/00:00:00:00:00:ff,actions=drop",
	  "arp,arp_spa=10.0.0.0/8,arp_tpa=10.1.1.1,arp_op=2,arp_sha=00:00:00:00:00:01,arp_tha=00:00:00:00:00:02/00:00:00:00:00:ff actions=drop" },
	{ "rarp,arp_op=3,actions=drop",
	  "rarp,arp_op=3 actions=drop" },
	{ "mplsm,mpls_label=1048575,mpls_tc=7,mpls_bos=1,mpls_ttl=255,actions=drop",
	  "mplsm,mpls_label=1048575,mpls_tc=7,mpls_ttl=255,mpls_bos=1 actions=drop" },
	{ "metadata=0xffffffffffffffff,reg15=0xffffffff,reg7=0x80000000/0x80000000,actions=drop",
	  "reg7=0x80000000/0x80000000,reg15=0xffffffff,metadata=0xffffffffffffffff actions=drop" },
	{ "xreg3=0x100000002/0x100000003,actions=drop",
	  "reg6=0x1/0x1,reg7=0x2/0x3 actions=drop" },
	{ "pkt_mark=0xffffffff,pkt_mark=0/0,actions=drop",
	  "actions=drop" },
	{ "ct_state=-new-est-rel-rpl-inv-trk-snat-dnat,actions=drop",
	  "ct_state=0 actions=drop" },
	{ "ct_state=+new,ct_zone=65535,ct_mark=0xffffffff/0x1,ct_label=0xffffffffffffffffffffffffffffffff,actions=drop",
	  "ct_state=+new,ct_zone=65535,ct_mark=0x1/0x1,ct_label=0xffffffffffffffffffffffffffffffff actions=drop" },
	{ "ct_label=0x1/0xffffffffffffffffffffffffffffffff,actions=drop",
	  "ct_label=0x1 actions=drop" },
	{ "tun_id=0xffffffffffffffff,tun_src=1.1.1.1,tun_dst=2.2.2.0/24,actions=drop",
	  "tun_id=0xffffffffffffffff,tun_src=1.1.1.1,tun_dst=2.2.2.0/24 actions=drop" },
	{ "tun_ipv6_src=::1,tun_ipv6_dst=::/64,actions=drop",
	  "tun_ipv6_src=::1,tun_ipv6_dst=::/64 actions=drop" },
	{ "tcp,tp_src=0/0xffff,tp_dst=0xffff/0,actions=drop",
	  "tcp,tp_src=0 actions=drop" },
	{ "udp,udp_src=1,udp_dst=2,sctp_src=3,actions=drop",
	  "udp,tp_src=3,tp_dst=2 actions=drop" },
	{ "sctp6,sctp_src=1,sctp_dst=0x8000/0x8000,actions=drop",
	  "sctp6,tp_src=1,tp_dst=0x8000/0x8000 actions=drop" },
	{ "ip,ip_frag=no,nw_proto=47,actions=drop",
	  "ip,nw_proto=47,nw_frag=no actions=drop" },
	{ "ipv6,ip_frag=later,actions=drop",
	  "ipv6,nw_frag=later actions=drop" },
	{ "reg0[0..15]=0xffff,reg0[16..31]=1,actions=drop",
	  "reg0=0x1ffff actions=drop" },
	{ "eth_src[0..7]=5,actions=drop",
	  "dl_src=00:00:00:00:00:05/00:00:00:00:00:ff actions=drop" },
	{ "nw_src[0..7]=5,ip,actions=drop",
	  "ip,nw_src=0.0.0.5/0.0.0.255 actions=drop" },
	{ "ct_state=+new,ipv6,ct_nw_proto=6,ct_tp_dst=0x10/0xf0,ct_tp_src=3,ct_ipv6_dst=::2/127,ct_ipv6_src=::1,ct_zone=3,ct_mark=1,actions=drop",
	  "ct_state=+new,ct_zone=3,ct_mark=0x1,ct_ipv6_src=::1,ct_ipv6_dst=::2/127,ct_nw_proto=6,ct_tp_src=3,ct_tp_dst=0x10/0xf0,ipv6 actions=drop" },
	{ "ct_state=+new,ip,ct_nw_proto=6,ct_tp_dst=0x10/0xf0,ct_tp_src=3,ct_nw_dst=1.1.1.0/24,ct_nw_src=2.2.2.2,ct_label=1,reg0=5,actions=drop",
	  "ct_state=+new,ct_label=0x1,ct_nw_src=2.2.2.2,ct_nw_dst=1.1.1.0/24,ct_nw_proto=6,ct_tp_src=3,ct_tp_dst=0x10/0xf0,ip,reg0=0x5 actions=drop" },
	{ "ct_state=-inv+trk,ip,ct_nw_proto=6,actions=drop",
	  "ct_state=-inv+trk,ct_nw_proto=6,ip actions=drop" },
	{ "priority=0,in_port=1,dl_vlan=0xffff,actions=drop",
	  "priority=0,in_port=1,vlan_tci=0x0000 actions=drop" },
	{ "actions=clone(output:1,clone(output:2)),clone()",
	  "actions=clone(output:1,clone(output:2)),clone(drop)" },
};

static const struct {
	const char *in, *err;
} errors[] = {
	{ "tp_dst=80,actions=drop",
	  "column 1: tp_dst=80: field tcp_dst needs tcp, udp, sctp, icmp" },
	{ "ip,nw_src=1.2.3.4,tcp_flags=+syn,actions=drop",
	  "column 19: tcp_flags=+syn: field tcp_flags needs tcp or tcp6" },
	{ "ipv6,nw_dst=10.0.0.1,actions=drop",
	  "column 6: nw_dst=10.0.0.1: field ip_dst needs ip, arp or rarp" },
	{ "icmp6,nd_target=::1,actions=drop",
	  "field nd_target needs icmp6 with icmp_type=135 or 136" },
	{ "arp_sha=00:00:00:00:00:01,actions=drop",
	  "column 1: arp_sha=00:00:00:00:00:01: field arp_sha needs arp or rarp" },
	{ "mpls_label=5,actions=drop", "field mpls_label needs mpls or mplsm" },
	{ "ip,ct_nw_src=1.2.3.4,actions=drop",
	  "field ct_nw_src needs ip and a valid connection" },
	{ "ip,nw_ttl=300,actions=drop", "column 4: nw_ttl=300: value too large" },
	{ "in_port=7/1,actions=drop", "in_port=7/1: not a valid OpenFlow port" },
	{ "nw_tos=1,ip,actions=drop", "nw_tos=1: 1 is not a valid value" },
	{ "tcp,actions=output:1,mod_vlan_vid:5000",
	  "column 22: mod_vlan_vid:5000: not a valid VLAN VID" },
	{ "tcp,actions=load:0x100->NXM_NX_REG0[0..7]",
	  "column 13: load:0x100->NXM_NX_REG0[0..7]: value 0x100 does not fit into 8 bits" },
	{ "actions=move:reg0[0..40]->reg1[]",
	  "reg0[0..40]: ending bit 40 is not valid because field is only 32 bits wide" },
	{ "actions=move:reg0[0..7]->reg1[0..6]",
	  "bit widths of source (8) and destination (7) differ" },
	{ "actions=set_field:1->ip_src",
	  "column 9: set_field:1->ip_src: 1: invalid IP address" },
	{ "actions=set_field:1.2.3.4->ip_src",
	  "column 9: set_field:1.2.3.4->ip_src: set_field: ip_src: field ip_src needs ip, arp or rarp" },
	{ "dl_vlan=3,actions=set_field:5->vlan_pcp,set_field:1->tcp_dst",
	  "column 41: set_field:1->tcp_dst: set_field: tcp_dst: field tcp_dst needs tcp" },
	{ "ip,actions=ct(zone=reg0[0..7])", "zone needs a 16-bit field" },
	{ "ip,actions=ct(exec(set_field:1->ct_mark))",
	  "CT action requires commit flag" },
	{ "table=3,actions=goto_table:2",
	  "goto_table:2: must go to a table after this rule's table 3" },
	{ "priority=70000,actions=drop", "column 1: priority=70000: not a 16-bit number" },
	{ "tcp,tp_dst=80", "must specify an action" },
	{ "foo=1,actions=drop", "column 1: foo=1: unknown keyword" },
	{ "cookie=1/1,actions=drop", "flow additions cannot use a cookie mask" },
	{ "actions=clone(clone(clone(clone(clone(clone(clone(clone(drop))))))))",
	  "actions nested too deeply" },
};

static void test_golden(void)
{
	unsigned i, bad = 0;

	for (i = 0; i < sizeof golden / sizeof golden[0]; i++) {
		struct ofp_flow_mod fm;
		struct dp_err err = { 0, "" };
		struct buf b = BUF_INIT;
		size_t l;

		if (ofp_flow_mod_parse(&fm, golden[i].in, strlen(golden[i].in),
				       OFP_FM_ADD, false, NULL, &err)) {
			note("%s: %s", golden[i].in, err.msg);
			bad++;
		} else {
			ofp_match_format(&b, &fm.match, fm.priority, NULL);
			l = b.len;
			if (l)
				buf_putc(&b, ' ');
			buf_puts(&b, "actions=");
			ofpacts_format(&b, fm.actions.data, fm.actions.len, NULL);
			if (strcmp(buf_cstr(&b), golden[i].out)) {
				note("%s", golden[i].in);
				note("  got  %s", buf_cstr(&b));
				note("  want %s", golden[i].out);
				bad++;
			}
		}
		buf_free(&b);
		ofp_flow_mod_uninit(&fm);
	}
	ok(!bad, "%u cases print as ovs-ofctl 3.1 printed them (%u differ)",
	   (unsigned)(sizeof golden / sizeof golden[0]), bad);
}

static void test_errors(void)
{
	unsigned i, bad = 0;

	for (i = 0; i < sizeof errors / sizeof errors[0]; i++) {
		struct ofp_flow_mod fm;
		struct dp_err err = { 0, "" };
		int r = ofp_flow_mod_parse(&fm, errors[i].in, strlen(errors[i].in),
					   OFP_FM_ADD, false, NULL, &err);

		if (!r || !strstr(err.msg, errors[i].err)) {
			note("%s", errors[i].in);
			note("  got  %s", r ? err.msg : "(accepted)");
			note("  want ...%s...", errors[i].err);
			bad++;
		}
		ofp_flow_mod_uninit(&fm);
	}
	ok(!bad, "%u bad rules are refused with the item and column named (%u not)",
	   (unsigned)(sizeof errors / sizeof errors[0]), bad);
}

/* A datapath key prints as parse-pcap prints the packet, a megaflow as
 * ofproto/trace prints one. */
static void test_dp_keys(void)
{
	struct dp_key k, m;
	struct buf b = BUF_INIT;

	dp_key_init(&k);
	k.in_port = 0;
	k.eth_src[5] = 1;
	k.eth_dst[5] = 2;
	k.eth_type = htons(0x0800);
	k.l3.ipv4.src = htonl(0x0a000001);
	k.l3.ipv4.dst = htonl(0x0a000002);
	k.nw_proto = 17;
	k.nw_ttl = 64;
	k.tp_src = htons(1000);
	k.tp_dst = htons(53);
	ofp_match_format_dp(&b, &k, NULL, NULL);
	ok(!strcmp(buf_cstr(&b),
		   "udp,in_port=LOCAL,vlan_tci=0x0000,dl_src=00:00:00:00:00:01,"
		   "dl_dst=00:00:00:00:00:02,nw_src=10.0.0.1,nw_dst=10.0.0.2,"
		   "nw_tos=0,nw_ecn=0,nw_ttl=64,nw_frag=no,tp_src=1000,tp_dst=53"),
	   "a packet key prints as parse-pcap prints it (datapath port 0 is LOCAL)");
	memset(&m, 0, sizeof m);
	m.recirc_id = UINT32_MAX;
	m.in_port = UINT32_MAX;
	m.eth_type = 0xffff;
	m.l3.ipv4.dst = htonl(0xffffff00);
	m.nw_frag = 0xff;
	k.in_port = 3;
	buf_clear(&b);
	ofp_match_format_dp(&b, &k, &m, NULL);
	ok(!strcmp(buf_cstr(&b), "recirc_id=0,ip,in_port=3,nw_dst=10.0.0.0/24,nw_frag=no"),
	   "a megaflow prints only its masked fields");
	buf_free(&b);
}

int main(void)
{
	test_golden();
	test_errors();
	test_dp_keys();
	return done();
}

/*
 * xlate.c - libFuzzer target for the translator (lib/xlate*, lib/trace).
 *
 * Input: rule lines in ovs-ofctl syntax (lines the rule layer refuses are
 * skipped), a NUL byte, a byte B, then a frame's bytes, which dp_packet_extract()
 * turns into the packet's key.  The packet comes in on port B % 6, and
 * canned rule set B / 6 % N (below) goes into the tables before the
 * input's lines, so that even garbage text meets real pipelines.  The packet is translated with
 * a trace; if that recirculates, the packet comes back with each
 * recirc_id as conntrack would send it.  Whatever the input:
 *  - nothing crashes or reads out of bounds (ASan/UBSan);
 *  - every megaflow and action list is one the kernel takes
 *    (odp_match_from_attrs, odp_actions_check), or the translation
 *    reported why it could not do better (an error, and no actions);
 *  - translating the same packet again gives the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packet.h"
#include "odp_key.h"
#include "ofp_flow_mod.h"
#include "ofp_rules.h"
#include "trace.h"
#include "xlate.h"
#include "xlate_recirc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const canned[] = {
	"",
	"priority=0,actions=normal",
	"ip,nw_dst=10.0.0.0/8,actions=mod_dl_src:00:00:00:00:00:01,dec_ttl,resubmit(,1)\n"
	"priority=0,actions=normal\n"
	"table=1,tcp,tp_dst=80,actions=mod_tp_dst:8080,output:2,output:3\n"
	"table=1,priority=0,actions=mod_nw_tos:8,load:1->NXM_NX_REG0[],resubmit(,2)\n"
	"table=2,reg0=1,actions=output:1,in_port,flood\n",
	"ip,actions=ct(commit,zone=1,exec(set_field:1->ct_mark),table=1),output:2\n"
	"table=1,ct_state=+trk+new,actions=ct(commit,nat(src=10.0.0.1-10.0.0.9:100-200)),output:3\n"
	"table=1,ct_state=+trk+est,actions=ct_clear,output:4\n",
	"mpls,actions=pop_mpls:0x0800,resubmit(,1)\n"
	"ip,actions=push_mpls:0x8847,set_field:5->mpls_label,output:2,pop_mpls:0x0800,resubmit(,1)\n"
	"table=1,ip,actions=dec_mpls_ttl,dec_ttl,output:3\n",
	"dl_vlan=5,actions=strip_vlan,push_vlan:0x88a8,mod_vlan_vid:7,output:2,normal\n"
	"priority=0,actions=mod_vlan_vid:9,mod_vlan_pcp:3,output:3,strip_vlan,output:4\n",
	"priority=0,actions=controller(max_len=64,id=2),dec_ttl(1,2),output:2\n"
	"ip,actions=write_actions(output:3,mod_dl_dst:00:00:00:00:00:09),goto_table:1\n"
	"table=1,actions=clear_actions,write_actions(output:CONTROLLER),goto_table:2\n"
	"table=2,priority=0,actions=push:NXM_OF_ETH_SRC[],pop:NXM_NX_REG1[0..31],exit\n",
	"actions=resubmit(,1),resubmit(,1)\ntable=1,actions=resubmit(,0),output:2\n",
	"actions=move:NXM_OF_ETH_SRC[0..15]->NXM_NX_REG2[0..15],output:NXM_NX_REG2[0..3],"
	"clone(mod_nw_dst:1.2.3.4,output:1),output(port=3,max_len=64),enqueue:4:1\n",
};
#define N_CANNED (sizeof canned / sizeof canned[0])

static void load_rules(struct ofp_tables *t, const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t j = i;
		struct ofp_flow_mod fm;
		struct dp_err err;

		while (j < len && s[j] != '\n')
			j++;
		if (j > i) {
			if (!ofp_flow_mod_parse(&fm, s + i, j - i, OFP_FM_ADD,
						true, NULL, &err))
				ofp_tables_apply(t, &fm, 0, NULL, &err);
			ofp_flow_mod_uninit(&fm);
		}
		i = j + 1;
	}
}

static void check(const struct dp_key *key, const struct xlate_out *xo)
{
	struct buf ka = BUF_INIT, ma = BUF_INIT;
	struct dp_key k2, m2;
	struct dp_err err;

	odp_key_to_attrs(&ka, key);
	/* A key the kernel would not take back even as an exact match (a
	 * truncated VLAN tag is reported with ethertype 0) gets no flow,
	 * whatever its mask. */
	if (odp_match_from_attrs(ka.data, ka.len, NULL, 0, &k2, &m2, &err)) {
		buf_free(&ka);
		return;
	}
	odp_mask_to_attrs(&ma, key, &xo->mask);
	if (odp_match_from_attrs(ka.data, ka.len, ma.data, ma.len, &k2, &m2,
				 &err))
		__builtin_trap();       /* a megaflow the kernel refuses */
	if (odp_actions_check(xo->actions.data, xo->actions.len, key,
			      &xo->mask, &err))
		__builtin_trap();       /* actions the kernel refuses */
	if (xo->error && xo->actions.len)
		__builtin_trap();
	buf_free(&ka);
	buf_free(&ma);
}

static void translate(const struct xlate_bridge *br, const struct dp_key *key,
		      struct xlate_out *xo, struct xlate_out *again)
{
	struct xlate_in in;

	memset(&in, 0, sizeof in);
	in.key = key;
	in.now_ms = 1000;
	if (xlate_translate(br, &in, xo))
		return;
	check(key, xo);
	xlate_apply_learning(br, xo, 1000);
	if (xlate_translate(br, &in, again))
		return;
	/* The MAC table may have learned in between: compare only what
	 * cannot depend on it. */
	if (!xo->used_mac_table &&
	    (xo->actions.len != again->actions.len ||
	     (xo->actions.len && memcmp(xo->actions.data, again->actions.data,
					xo->actions.len)) ||
	     memcmp(&xo->mask, &again->mask, sizeof xo->mask)))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t dp_ports[] = { 0, 1, 2, 3, 4 };
	const uint8_t *nul = memchr(data, 0, size);
	static struct ofp_tables t;
	static bool t_ready;
	struct ofp_flow_mod del;
	struct xlate_port ports[5];
	struct mac_learn ml;
	struct xlate_recirc *rc;
	struct xlate_bridge br;
	struct xlate_out xo, again;
	struct dp_packet p;
	struct dp_key key;
	struct buf text = BUF_INIT;
	uint8_t frame[2048];
	size_t flen, i;

	if (!nul || (size_t)(data + size - nul) < 2)
		return 0;
	flen = (size_t)(data + size - nul) - 2;
	if (flen > sizeof frame)
		flen = sizeof frame;
	memcpy(frame, nul + 2, flen);
	dp_packet_use(&p, frame, sizeof frame, 0, (uint32_t)flen);
	dp_packet_md_init(&p.md, nul[1] % 6u);
	if (dp_packet_extract(&p, &key))
		return 0;

	/* One set of tables for all inputs (255 classifiers are slow to set
	 * up): emptied by a delete-all each time. */
	if (!t_ready) {
		ofp_tables_init(&t);
		t_ready = true;
	}
	ofp_flow_mod_init(&del, OFP_FM_DELETE);
	del.table_id = OFP_TABLE_ALL;
	ofp_tables_apply(&t, &del, 0, NULL, NULL);
	ofp_flow_mod_uninit(&del);
	load_rules(&t, canned[nul[1] / 6u % N_CANNED],
		   strlen(canned[nul[1] / 6u % N_CANNED]));
	load_rules(&t, (const char *)data, (size_t)(nul - data));
	if (mac_learn_init(&ml, 64, 0))
		return 0;
	rc = xlate_recirc_create();
	xlate_bridge_init(&br, "br0", &t, &ml, rc, 7);
	memset(ports, 0, sizeof ports);
	for (i = 0; i < 5; i++) {
		ports[i].dp_port = dp_ports[i];
		ports[i].flags = i == 4 ? XLATE_PORT_NO_FLOOD : 0;
	}
	xlate_bridge_set_ports(&br, ports, 5, NULL);
	xlate_out_init(&xo);
	xlate_out_init(&again);

	translate(&br, &key, &xo, &again);
	/* Come back from each recirculation, as conntrack would send. */
	for (i = 0; i < xo.n_recircs && i < 4; i++) {
		struct xlate_out xr, ar;
		struct dp_key k = key;

		k.recirc_id = xo.recircs[i];
		k.ct_state = 0x21;
		xlate_out_init(&xr);
		xlate_out_init(&ar);
		translate(&br, &k, &xr, &ar);
		xlate_out_uninit(&xr);
		xlate_out_uninit(&ar);
	}
	trace_packet(&text, &br, &key, 1000, 4);

	buf_free(&text);
	xlate_out_uninit(&xo);
	xlate_out_uninit(&again);
	xlate_bridge_destroy(&br);
	xlate_recirc_destroy(rc);
	mac_learn_destroy(&ml);
	return 0;
}

/*
 * dpserv_packet.c - the ovs_packet family: OVS_PACKET_CMD_EXECUTE, and the
 * upcalls (OVS_PACKET_CMD_MISS / OVS_PACKET_CMD_ACTION) the engine queues,
 * sent to the connection whose portid they name, as
 * queue_userspace_packet() of Linux 6.1 builds them.
 */
#include "dpserv_int.h"

#include <errno.h>
#include <string.h>

#include "execute.h"
#include "log.h"
#include "odp_key.h"

#define HASH_SW_BIT (1ull << 32)        /* OVS_PACKET_HASH_SW_BIT */

static int packet_execute(struct ds_req *r)
{
	const struct nlattr *pa = r->tb[OVS_PACKET_ATTR_PACKET];
	const struct nlattr *ka = r->tb[OVS_PACKET_ATTR_KEY];
	const struct nlattr *aa = r->tb[OVS_PACKET_ATTR_ACTIONS];
	struct dp_key md, key;
	struct dp_err err;
	uint16_t mru;
	struct ds_dp *d;
	int e;

	if (!pa)
		return ds_missing(r, OVS_PACKET_ATTR_PACKET, "no packet");
	if (!ka)
		return ds_missing(r, OVS_PACKET_ATTR_KEY, "no key");
	if (!aa)
		return ds_missing(r, OVS_PACKET_ATTR_ACTIONS, "no actions");
	mru = r->tb[OVS_PACKET_ATTR_MRU] ?
	      na_get_u16(r->tb[OVS_PACKET_ATTR_MRU]) : 0;
	dp_err_clear(&err);
	e = odp_key_metadata_from_attrs(na_data(ka), na_len(ka), &md, &err);
	if (e < 0)
		return ds_err(r, e, ka, "%s", dp_err_str(&err));
	/* As ovs_flow_key_extract_userspace(): the metadata as given, the
	 * rest from the packet's bytes. */
	e = dp_packet_key(na_data(pa), (uint32_t)na_len(pa), &md, &key);
	if (e < 0)
		return ds_err(r, e, pa, "cannot parse the packet");
	e = odp_actions_check(na_data(aa), na_len(aa), &key, NULL, &err);
	if (e < 0)
		return ds_err(r, e, aa, "%s", dp_err_str(&err));
	e = dp_exec_check_supported(na_data(aa), na_len(aa), &err);
	if (e < 0)
		return ds_ext(r, e, aa, "%s", dp_err_str(&err));
	d = ds_dp_by_ifindex(r->srv, ds_req_ifindex(r));
	if (!d)
		return ds_err(r, ENODEV, NULL, "no datapath with dp_ifindex %d",
			      ds_req_ifindex(r));
	e = dp_execute_packet(d->dp, na_data(pa), (uint32_t)na_len(pa), &md,
			      na_data(aa), na_len(aa), mru, &err);
	ds_upcalls_flush(r->srv, d);
	if (e < 0)
		return ds_ext(r, e, NULL, "%s", dp_err_str(&err));
	return 0;
}

const struct ds_op ds_packet_ops[1] = {
	{ OVS_PACKET_CMD_EXECUTE, true, packet_execute, NULL },
};

/* --- upcalls ---------------------------------------------------------------- */

static int build_upcall(struct buf *b, const struct ds_dp *d,
			const struct dp_upcall *u)
{
	const struct dp_packet *p = u->packet;
	size_t start, nest, pad;
	struct ovs_header *h;
	uint64_t hash;

	buf_clear(b);
	start = ds_msg_start(b, &ds_families[DS_FAM_PACKET], 0, 0, 0, u->cmd);
	h = ds_msg_hdr(b, start);
	if (h)
		h->dp_ifindex = d->ifindex;
	nest = b->len;
	na_put(b, OVS_PACKET_ATTR_KEY, NULL, 0);
	odp_key_to_attrs(b, &u->key);
	na_nest_end(b, nest);
	if (u->has_userdata)
		na_put(b, OVS_PACKET_ATTR_USERDATA, u->userdata,
		       u->userdata_len);
	if (u->has_egress_tun)
		na_put(b, OVS_PACKET_ATTR_EGRESS_TUN_KEY, u->egress_tun,
		       u->egress_tun_len);
	if (u->has_actions && u->actions_len) {
		nest = b->len;
		na_put(b, OVS_PACKET_ATTR_ACTIONS, NULL, 0);
		odp_actions_to_kernel_form(b, u->actions, u->actions_len);
		na_nest_end(b, nest);
	}
	if (u->mru)
		na_put_u16(b, OVS_PACKET_ATTR_MRU, u->mru);
	if (u->orig_len)
		na_put_u32(b, OVS_PACKET_ATTR_LEN, u->orig_len);
	hash = u->hash ? u->hash | HASH_SW_BIT : 0;
	na_put(b, OVS_PACKET_ATTR_HASH, &hash, sizeof hash);
	if (p->len + NA_HDRLEN > UINT16_MAX)
		return -EFBIG;
	na_put(b, OVS_PACKET_ATTR_PACKET, p->data, p->len);
	/* OVS_DP_F_UNALIGNED: the packet is not padded to 4 bytes. */
	pad = NA_ALIGN(p->len) - p->len;
	if (pad && (dp_features(d->dp) & OVS_DP_F_UNALIGNED))
		buf_truncate(b, b->len - pad);
	if (!buf_ok(b))
		return -ENOMEM;
	ds_msg_end(b, start);
	return 0;
}

static void send_upcall(struct dpserv *srv, struct ds_dp *d,
			const struct dp_upcall *u)
{
	struct dpserv_client *c = ds_client_by_portid(srv, u->pid);
	int e;

	if (!c || !u->packet) {
		e = -ECONNREFUSED;
	} else {
		e = build_upcall(&srv->up, d, u);
		if (e == 0)
			e = ds_send(srv, c, srv->up.data, srv->up.len, DS_UPCALL);
	}
	if (e < 0) {
		d->n_lost++;
		srv->stats.n_upcalls_lost++;
		if (c)
			c->n_dropped++;
		dp_log_rl(srv->log, &srv->rl, DP_LOG_DBG, "%s: upcall to "
			  "portid %u lost: %s", d->name, u->pid, strerror(-e));
		return;
	}
	srv->stats.n_upcalls++;
}

void ds_upcalls_flush(struct dpserv *srv, struct ds_dp *d)
{
	struct dp_upcall *u;

	if (!d->dp)
		return;
	while (dp_upcall_pop(d->dp, &u)) {
		send_upcall(srv, d, u);
		dp_upcall_free(u);
	}
}

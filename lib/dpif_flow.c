/* dpif flows and packets: the ovs_flow and ovs_packet families. */
#include "dpif.h"

#include <errno.h>
#include <string.h>

#include "dpif_priv.h"
#include "nlattr.h"

int dpif_flow_from_msg(const struct nlmsghdr *nlh, struct dpif_flow *f)
{
	const struct nlattr *tb[OVS_FLOW_ATTR_MAX + 1], *a;
	const void *attrs;
	size_t len;

	memset(f, 0, sizeof *f);
	if (dpif_msg_attrs(nlh, NULL, NULL, &attrs, &len) < 0 ||
	    na_parse(tb, OVS_FLOW_ATTR_MAX, attrs, len, NULL) < 0)
		return -EINVAL;
	if ((a = tb[OVS_FLOW_ATTR_KEY])) {
		f->key = na_data(a);
		f->key_len = na_len(a);
	}
	if ((a = tb[OVS_FLOW_ATTR_MASK])) {
		f->mask = na_data(a);
		f->mask_len = na_len(a);
	}
	if ((a = tb[OVS_FLOW_ATTR_ACTIONS])) {
		f->actions = na_data(a);
		f->actions_len = na_len(a);
	}
	if ((a = tb[OVS_FLOW_ATTR_UFID]) && na_len(a) >= 1 && na_len(a) <= 16) {
		f->has_ufid = true;
		memcpy(f->ufid, na_data(a), na_len(a));
	}
	if ((a = tb[OVS_FLOW_ATTR_STATS]) &&
	    na_len(a) >= sizeof(struct ovs_flow_stats)) {
		struct ovs_flow_stats st;

		memcpy(&st, na_data(a), sizeof st);
		f->stats.packets = st.n_packets;
		f->stats.bytes = st.n_bytes;
	}
	if ((a = tb[OVS_FLOW_ATTR_USED]) && na_len(a) >= 8)
		f->stats.used = na_get_u64(a);
	if ((a = tb[OVS_FLOW_ATTR_TCP_FLAGS]) && na_len(a) >= 1)
		f->stats.tcp_flags = na_get_u8(a);
	/* Every stream must itself be well formed before anyone walks it. */
	if ((f->key && !na_stream_ok(f->key, f->key_len)) ||
	    (f->mask && !na_stream_ok(f->mask, f->mask_len)) ||
	    (f->actions && !na_stream_ok(f->actions, f->actions_len)))
		return -EINVAL;
	return 0;
}

struct flow_ctx {
	dpif_flow_cb cb;
	void *aux;
	struct dpif_flow_stats *stats;
	bool got;
};

static int flow_cb(const struct nlmsghdr *nlh, void *aux)
{
	struct flow_ctx *c = aux;
	struct dpif_flow f;

	if (dpif_flow_from_msg(nlh, &f) < 0)
		return -EPROTO;
	c->got = true;
	if (c->stats)
		*c->stats = f.stats;
	return c->cb ? c->cb(&f, c->aux) : 0;
}

static int flow_request(struct dpif *dp, struct buf *req, enum dpif_op op,
			struct flow_ctx *ctx, struct dp_err *err)
{
	int error = dpif_transact(dp, req, op, NULL, flow_cb, ctx, err);

	buf_free(req);
	if (error == -EPROTO && !ctx->got)
		return dp_err_set(err, EPROTO, "%s: malformed flow in reply",
				  dp->full);
	return error;
}

static void put_ufid(struct buf *req, const uint8_t *ufid)
{
	if (ufid)
		na_put(req, OVS_FLOW_ATTR_UFID, ufid, 16);
}

int dpif_flow_put(struct dpif *dp, const struct dpif_flow_put *put,
		  struct dp_err *err)
{
	struct flow_ctx ctx = { NULL, NULL, put->stats, false };
	struct buf req = BUF_INIT;
	uint16_t flags = 0;
	uint8_t cmd;

	if (!(put->flags & (DPIF_FP_CREATE | DPIF_FP_MODIFY)))
		return dp_err_set(err, EINVAL, "flow put without create or modify");
	if (put->flags & DPIF_FP_CREATE) {
		cmd = OVS_FLOW_CMD_NEW;
		flags = NLM_F_CREATE;
		if (!(put->flags & DPIF_FP_MODIFY))
			flags |= NLM_F_EXCL;
	} else {
		cmd = OVS_FLOW_CMD_SET;
	}
	if (put->stats) {
		flags |= NLM_F_ECHO;
		memset(put->stats, 0, sizeof *put->stats);
	}
	dpif_req(dp, &req, DPIF_FAM_FLOW, cmd, flags);
	na_put(&req, OVS_FLOW_ATTR_KEY, put->key, put->key_len);
	if (put->mask)
		na_put(&req, OVS_FLOW_ATTR_MASK, put->mask, put->mask_len);
	/* A new flow needs actions (none: drop); a modify without them
	 * keeps the old ones. */
	if (put->actions || cmd == OVS_FLOW_CMD_NEW)
		na_put(&req, OVS_FLOW_ATTR_ACTIONS, put->actions,
		       put->actions ? put->actions_len : 0);
	put_ufid(&req, put->ufid);
	if (put->ufid_flags)
		na_put_u32(&req, OVS_FLOW_ATTR_UFID_FLAGS, put->ufid_flags);
	if (put->flags & DPIF_FP_ZERO_STATS)
		na_put_flag(&req, OVS_FLOW_ATTR_CLEAR);
	return flow_request(dp, &req, cmd == OVS_FLOW_CMD_NEW ?
			    DPIF_OP_FLOW_NEW : DPIF_OP_FLOW_SET, &ctx, err);
}

int dpif_flow_del(struct dpif *dp, const void *key, size_t key_len,
		  const uint8_t *ufid, struct dpif_flow_stats *stats,
		  struct dp_err *err)
{
	struct flow_ctx ctx = { NULL, NULL, stats, false };
	struct buf req = BUF_INIT;

	/* Without either, the request would flush the whole table. */
	if (!ufid && (!key || !key_len))
		return dp_err_set(err, EINVAL, "deleting a flow needs its key "
				  "or its ufid");
	if (stats)
		memset(stats, 0, sizeof *stats);
	dpif_req(dp, &req, DPIF_FAM_FLOW, OVS_FLOW_CMD_DEL,
		 stats ? NLM_F_ECHO : 0);
	if (key && key_len)
		na_put(&req, OVS_FLOW_ATTR_KEY, key, key_len);
	put_ufid(&req, ufid);
	return flow_request(dp, &req, DPIF_OP_FLOW_DEL, &ctx, err);
}

int dpif_flow_get(struct dpif *dp, const void *key, size_t key_len,
		  const uint8_t *ufid, dpif_flow_cb cb, void *aux,
		  struct dp_err *err)
{
	struct flow_ctx ctx = { cb, aux, NULL, false };
	struct buf req = BUF_INIT;
	int error;

	if (!ufid && (!key || !key_len))
		return dp_err_set(err, EINVAL, "getting a flow needs its key "
				  "or its ufid");
	dpif_req(dp, &req, DPIF_FAM_FLOW, OVS_FLOW_CMD_GET, 0);
	if (key && key_len)
		na_put(&req, OVS_FLOW_ATTR_KEY, key, key_len);
	put_ufid(&req, ufid);
	error = flow_request(dp, &req, DPIF_OP_FLOW_GET, &ctx, err);
	if (!error && !ctx.got)
		error = dp_err_set(err, EPROTO, "%s: no reply to flow request",
				   dp->full);
	return error;
}

int dpif_flow_dump(struct dpif *dp, uint32_t ufid_flags, dpif_flow_cb cb,
		   void *aux, struct dp_err *err)
{
	struct flow_ctx ctx = { cb, aux, NULL, false };
	struct buf req = BUF_INIT;

	dpif_req(dp, &req, DPIF_FAM_FLOW, OVS_FLOW_CMD_GET, NLM_F_DUMP);
	if (ufid_flags)
		na_put_u32(&req, OVS_FLOW_ATTR_UFID_FLAGS, ufid_flags);
	return flow_request(dp, &req, DPIF_OP_FLOW_DUMP, &ctx, err);
}

int dpif_flow_flush(struct dpif *dp, struct dp_err *err)
{
	struct flow_ctx ctx = { NULL, NULL, NULL, false };
	struct buf req = BUF_INIT;

	dpif_req(dp, &req, DPIF_FAM_FLOW, OVS_FLOW_CMD_DEL, 0);
	return flow_request(dp, &req, DPIF_OP_FLOW_FLUSH, &ctx, err);
}

/* --- packets -------------------------------------------------------------- */

int dpif_execute(struct dpif *dp, const struct dpif_execute *ex,
		 struct dp_err *err)
{
	struct buf req = BUF_INIT;
	int error;

	dpif_req(dp, &req, DPIF_FAM_PACKET, OVS_PACKET_CMD_EXECUTE, 0);
	na_put(&req, OVS_PACKET_ATTR_PACKET, ex->packet, ex->packet_len);
	na_put(&req, OVS_PACKET_ATTR_KEY, ex->key, ex->key_len);
	na_put(&req, OVS_PACKET_ATTR_ACTIONS, ex->actions, ex->actions_len);
	if (ex->probe)
		na_put_flag(&req, OVS_PACKET_ATTR_PROBE);
	if (ex->mru)
		na_put_u16(&req, OVS_PACKET_ATTR_MRU, ex->mru);
	error = dpif_transact(dp, &req, DPIF_OP_EXECUTE, NULL, NULL, NULL, err);
	buf_free(&req);
	return error;
}

int dpif_upcall_parse(const struct nlmsghdr *nlh, struct dpif_upcall *up)
{
	const struct nlattr *tb[OVS_PACKET_ATTR_MAX + 1], *a;
	const void *attrs;
	size_t len;

	memset(up, 0, sizeof *up);
	if (dpif_msg_attrs(nlh, &up->dp_ifindex, &up->cmd, &attrs, &len) < 0 ||
	    na_parse(tb, OVS_PACKET_ATTR_MAX, attrs, len, NULL) < 0 ||
	    !tb[OVS_PACKET_ATTR_PACKET] || !tb[OVS_PACKET_ATTR_KEY])
		return -EINVAL;
	up->packet = na_data(tb[OVS_PACKET_ATTR_PACKET]);
	up->packet_len = na_len(tb[OVS_PACKET_ATTR_PACKET]);
	up->key = na_data(tb[OVS_PACKET_ATTR_KEY]);
	up->key_len = na_len(tb[OVS_PACKET_ATTR_KEY]);
	if (!na_stream_ok(up->key, up->key_len))
		return -EINVAL;
	if ((a = tb[OVS_PACKET_ATTR_USERDATA])) {
		up->userdata = na_data(a);
		up->userdata_len = na_len(a);
	}
	if ((a = tb[OVS_PACKET_ATTR_ACTIONS])) {
		up->actions = na_data(a);
		up->actions_len = na_len(a);
		if (!na_stream_ok(up->actions, up->actions_len))
			return -EINVAL;
	}
	if ((a = tb[OVS_PACKET_ATTR_EGRESS_TUN_KEY])) {
		up->egress_tun_key = na_data(a);
		up->egress_tun_key_len = na_len(a);
	}
	if ((a = tb[OVS_PACKET_ATTR_MRU]) && na_len(a) >= 2)
		up->mru = na_get_u16(a);
	if ((a = tb[OVS_PACKET_ATTR_LEN]) && na_len(a) >= 4)
		up->orig_len = na_get_u32(a);
	if ((a = tb[OVS_PACKET_ATTR_HASH]) && na_len(a) >= 8) {
		up->has_hash = true;
		up->hash = na_get_u64(a);
	}
	return 0;
}

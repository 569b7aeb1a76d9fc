#include "dpif.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dpif_priv.h"
#include "nlattr.h"

struct dpif_conn {
	struct nl_sock *sock[DPIF_N_TYPES];
	struct dpif_families fams[DPIF_N_TYPES];
	int timeout_ms;
	char *dpd_path;
};

static const char *const family_names[4] = {
	OVS_DATAPATH_FAMILY, OVS_VPORT_FAMILY, OVS_FLOW_FAMILY,
	OVS_PACKET_FAMILY,
};

struct dpif_conn *dpif_conn_new(void)
{
	struct dpif_conn *c = calloc(1, sizeof *c);

	if (c)
		c->timeout_ms = -1;
	return c;
}

void dpif_conn_free(struct dpif_conn *c)
{
	int i;

	if (!c)
		return;
	for (i = 0; i < DPIF_N_TYPES; i++)
		nl_sock_close(c->sock[i]);
	free(c->dpd_path);
	free(c);
}

void dpif_conn_set_timeout(struct dpif_conn *c, int ms)
{
	int i;

	c->timeout_ms = ms;
	for (i = 0; i < DPIF_N_TYPES; i++)
		if (c->sock[i])
			nl_set_timeout(c->sock[i], ms);
}

void dpif_conn_set_dpd_path(struct dpif_conn *c, const char *path)
{
	free(c->dpd_path);
	c->dpd_path = path ? strdup(path) : NULL;
}

static int resolve_families(struct nl_sock *s, enum dpif_type type,
			    struct dpif_families *f, struct dp_err *err)
{
	const struct nl_family *fam;
	int i, error;

	for (i = 0; i < 4; i++) {
		error = nl_family_get(s, family_names[i], &fam, err);
		if (error == -ENOENT) {
			if (type == DPIF_SYSTEM)
				return dp_err_set(err, ENOENT, "no openvswitch "
						  "kernel module on this host "
						  "(no generic netlink family %s)",
						  family_names[i]);
			return dp_err_set(err, ENOENT, "dpd does not serve "
					  "the %s family", family_names[i]);
		}
		if (error)
			return error;
		f->id[i] = fam->id;
		f->version[i] = fam->version;
	}
	f->resolved = true;
	return 0;
}

int dpif_conn_sock(struct dpif_conn *c, enum dpif_type type,
		   struct nl_sock **sock, struct dp_err *err)
{
	int error;

	*sock = NULL;
	if (!c->sock[type]) {
		if (type == DPIF_SYSTEM)
			error = nl_open_kernel(&c->sock[type], err);
		else
			error = nl_open_unix(&c->sock[type], c->dpd_path, err);
		if (error)
			return error;
		nl_set_timeout(c->sock[type], c->timeout_ms);
	}
	if (!c->fams[type].resolved) {
		error = resolve_families(c->sock[type], type, &c->fams[type], err);
		if (error) {
			/* The next try may find the module loaded or dpd up. */
			nl_sock_close(c->sock[type]);
			c->sock[type] = NULL;
			return error;
		}
	}
	*sock = c->sock[type];
	return 0;
}

/* --- names ---------------------------------------------------------------- */

const char *dpif_type_name(enum dpif_type type)
{
	return type == DPIF_NETDEV ? "netdev" : "system";
}

int dpif_parse_name(const char *s, enum dpif_type *type, const char **name,
		    struct dp_err *err)
{
	const char *at = strchr(s, '@');
	size_t i;

	*type = DPIF_SYSTEM;
	*name = s;
	if (at) {
		size_t tl = (size_t)(at - s);

		if (tl == 6 && !strncmp(s, "system", 6))
			*type = DPIF_SYSTEM;
		else if (tl == 6 && !strncmp(s, "netdev", 6))
			*type = DPIF_NETDEV;
		else
			return dp_err_set(err, EINVAL, "%s: unknown datapath "
					  "type '%.*s' (use system@NAME or "
					  "netdev@NAME)", s, (int)tl, s);
		*name = at + 1;
	}
	if (!**name)
		return dp_err_set(err, EINVAL, "%s: empty datapath name", s);
	if (strlen(*name) >= IFNAMSIZ)
		return dp_err_set(err, EINVAL, "%s: datapath name longer than "
				  "%d characters", s, IFNAMSIZ - 1);
	if (!strcmp(*name, ".") || !strcmp(*name, ".."))
		return dp_err_set(err, EINVAL, "%s: invalid datapath name", s);
	for (i = 0; (*name)[i]; i++) {
		unsigned char ch = (unsigned char)(*name)[i];

		if (ch == '/' || ch == ':' || ch == '@' || ch <= ' ' || ch == 0x7f)
			return dp_err_set(err, EINVAL, "%s: invalid character "
					  "in datapath name", s);
	}
	return 0;
}

/* --- requests and errors -------------------------------------------------- */

int dpif_req_sock(const struct dpif_families *fams, struct buf *b, int fam,
		  uint8_t cmd, uint16_t flags, int dp_ifindex)
{
	struct ovs_header *h;

	h = nl_msg_genl(b, fams->id[fam], flags, cmd, fams->version[fam],
			sizeof *h);
	if (!h)
		return -ENOMEM;
	h->dp_ifindex = dp_ifindex;
	return 0;
}

int dpif_req(const struct dpif *dp, struct buf *b, int fam, uint8_t cmd,
	     uint16_t flags)
{
	return dpif_req_sock(dp->fams, b, fam, cmd, flags, dp->dp_ifindex);
}

static const char *const attr_names[4][12] = {
	{ NULL, "name", "upcall_pid", "stats", "megaflow_stats",
	  "user_features", "pad", "masks_cache_size", "per_cpu_pids",
	  "ifindex" },
	{ NULL, "port_no", "type", "name", "options", "upcall_pid", "stats",
	  "pad", "ifindex", "netnsid" },
	{ NULL, "key", "actions", "stats", "tcp_flags", "used", "clear",
	  "mask", "probe", "ufid", "ufid_flags" },
	{ NULL, "packet", "key", "actions", "userdata", "egress_tun_key",
	  "unused1", "unused2", "probe", "mru", "len", "hash" },
};

static int op_family(enum dpif_op op)
{
	if (op <= DPIF_OP_DP_DUMP)
		return DPIF_FAM_DP;
	if (op <= DPIF_OP_PORT_DUMP)
		return DPIF_FAM_VPORT;
	if (op <= DPIF_OP_FLOW_FLUSH)
		return DPIF_FAM_FLOW;
	return DPIF_FAM_PACKET;
}

/* The meaning of an errno for one operation, or NULL for strerror(). */
static const char *op_meaning(enum dpif_op op, int code)
{
	if (code == EPERM || code == EACCES)
		return "permission denied (datapath changes need "
		       "CAP_NET_ADMIN: run as root)";
	switch (op) {
	case DPIF_OP_DP_NEW:
		if (code == EEXIST)
			return "a datapath or network device of that name "
			       "already exists";
		break;
	case DPIF_OP_DP_DEL: case DPIF_OP_DP_GET: case DPIF_OP_DP_SET:
		if (code == ENODEV || code == ENOENT)
			return "no such datapath";
		break;
	case DPIF_OP_PORT_NEW:
		if (code == ENODEV || code == ENOENT)
			return "no such network device";
		if (code == EBUSY)
			return "device busy (already a port of a datapath, or "
			       "the port number is taken)";
		if (code == EEXIST)
			return "a network device of that name already exists";
		if (code == EAFNOSUPPORT)
			return "port type not supported by this datapath";
		if (code == EFBIG)
			return "too many ports";
		if (code == EINVAL)
			return "invalid port (loopback, non-Ethernet and "
			       "datapath-internal devices cannot be ports)";
		break;
	case DPIF_OP_PORT_DEL: case DPIF_OP_PORT_GET: case DPIF_OP_PORT_SET:
		if (code == ENODEV || code == ENOENT)
			return "no such port";
		if (code == EOPNOTSUPP)
			return "the options of this port type cannot be changed";
		if (op == DPIF_OP_PORT_DEL && code == EINVAL)
			return "the local port cannot be deleted";
		break;
	case DPIF_OP_FLOW_NEW:
		if (code == EEXIST)
			return "flow already exists";
		if (code == ENOENT)
			return "no such flow";
		break;
	case DPIF_OP_FLOW_SET: case DPIF_OP_FLOW_DEL: case DPIF_OP_FLOW_GET:
		if (code == ENOENT)
			return "no such flow";
		break;
	default:
		break;
	}
	if (code == ENODEV)
		return "no such datapath";
	if (code == EMSGSIZE || code == E2BIG)
		return "message too long (too many actions?)";
	return NULL;
}

int dpif_explain(struct nl_sock *sock, enum dpif_op op, const char *subject,
		 const char *dpname, int error, struct dp_err *err)
{
	const struct nl_ext_ack *ack = sock ? nl_last_ack(sock) : NULL;
	int code = error < 0 ? -error : error;
	const char *meaning = op_meaning(op, code);
	struct buf b = BUF_INIT;
	int fam = op_family(op), i;

	/* Transport failures already carry their own explanation. */
	if (!ack || ack->error != code) {
		if (subject)
			dp_err_prefix(err, "%s", subject);
		return -code;
	}
	if (subject)
		buf_printf(&b, "%s: ", subject);
	buf_puts(&b, meaning ? meaning : strerror(code));
	if ((op == DPIF_OP_PORT_DEL || op == DPIF_OP_PORT_GET ||
	     op == DPIF_OP_PORT_SET) && meaning && code == ENODEV && dpname)
		buf_printf(&b, " in %s", dpname);
	if (ack->msg[0])
		buf_printf(&b, ": %s", ack->msg);
	if (ack->has_offs && ack->depth > 0) {
		uint16_t t = ack->path[0];
		const char *n = t < 12 ? attr_names[fam][t] : NULL;

		buf_puts(&b, " (attribute ");
		if (n)
			buf_puts(&b, n);
		else
			buf_printf(&b, "%u", t);
		for (i = 1; i < ack->depth; i++)
			buf_printf(&b, ".%u", ack->path[i]);
		buf_putc(&b, ')');
	}
	if (ack->has_miss) {
		uint32_t t = ack->miss_type;
		const char *n = t < 12 ? attr_names[fam][t] : NULL;

		if (n)
			buf_printf(&b, " (missing attribute %s)", n);
		else
			buf_printf(&b, " (missing attribute %u)", t);
	}
	dp_err_set(err, code, "%s", buf_cstr(&b));
	buf_free(&b);
	return -code;
}

int dpif_transact(struct dpif *dp, struct buf *req, enum dpif_op op,
		  const char *subject, nl_msg_cb cb, void *aux,
		  struct dp_err *err)
{
	int error = nl_transact(dp->sock, req, cb, aux, err);

	if (error)
		return dpif_explain(dp->sock, op, subject, dp->full, error, err);
	return 0;
}

int dpif_msg_attrs(const struct nlmsghdr *nlh, int *dp_ifindex,
		   uint8_t *cmd, const void **attrs, size_t *len)
{
	const struct genlmsghdr *g;
	const void *hdr;
	struct ovs_header h;

	if (nl_genl_parse(nlh, sizeof h, &g, &hdr, attrs, len) < 0)
		return -EINVAL;
	memcpy(&h, hdr, sizeof h);
	if (dp_ifindex)
		*dp_ifindex = h.dp_ifindex;
	if (cmd)
		*cmd = g->cmd;
	return 0;
}

/* --- datapaths ------------------------------------------------------------ */

int dpif_dp_from_msg(const struct nlmsghdr *nlh, struct dpif_dp_info *info)
{
	const struct nlattr *tb[OVS_DP_ATTR_MAX + 1];
	const void *attrs;
	size_t len, n;

	memset(info, 0, sizeof *info);
	if (dpif_msg_attrs(nlh, &info->dp_ifindex, NULL, &attrs, &len) < 0 ||
	    na_parse(tb, OVS_DP_ATTR_MAX, attrs, len, NULL) < 0 ||
	    !tb[OVS_DP_ATTR_NAME])
		return -EINVAL;
	n = strnlen(na_data(tb[OVS_DP_ATTR_NAME]), na_len(tb[OVS_DP_ATTR_NAME]));
	if (n >= sizeof info->name)
		n = sizeof info->name - 1;
	memcpy(info->name, na_data(tb[OVS_DP_ATTR_NAME]), n);
	if (tb[OVS_DP_ATTR_STATS] &&
	    na_len(tb[OVS_DP_ATTR_STATS]) >= sizeof info->stats) {
		info->has_stats = true;
		memcpy(&info->stats, na_data(tb[OVS_DP_ATTR_STATS]),
		       sizeof info->stats);
	}
	if (tb[OVS_DP_ATTR_MEGAFLOW_STATS]) {
		/* Older kernels send a shorter struct; take what is there. */
		n = na_len(tb[OVS_DP_ATTR_MEGAFLOW_STATS]);
		if (n >= 12) {
			info->has_megaflow_stats = true;
			memcpy(&info->megaflow_stats,
			       na_data(tb[OVS_DP_ATTR_MEGAFLOW_STATS]),
			       n < sizeof info->megaflow_stats ? n :
			       sizeof info->megaflow_stats);
		}
	}
	if (tb[OVS_DP_ATTR_USER_FEATURES] &&
	    na_len(tb[OVS_DP_ATTR_USER_FEATURES]) >= 4) {
		info->has_user_features = true;
		info->user_features = na_get_u32(tb[OVS_DP_ATTR_USER_FEATURES]);
	}
	if (tb[OVS_DP_ATTR_MASKS_CACHE_SIZE] &&
	    na_len(tb[OVS_DP_ATTR_MASKS_CACHE_SIZE]) >= 4) {
		info->has_masks_cache_size = true;
		info->masks_cache_size = na_get_u32(tb[OVS_DP_ATTR_MASKS_CACHE_SIZE]);
	}
	if (tb[OVS_DP_ATTR_PER_CPU_PIDS])
		info->n_per_cpu_pids = na_len(tb[OVS_DP_ATTR_PER_CPU_PIDS]) / 4;
	return 0;
}

static int dp_info_cb(const struct nlmsghdr *nlh, void *aux)
{
	return dpif_dp_from_msg(nlh, aux) < 0 ? -EPROTO : 0;
}

static int new_dpif(struct dpif_conn *c, const char *fullname,
		    struct dpif **dpp, struct dp_err *err)
{
	struct dpif *dp;
	enum dpif_type type;
	const char *name;
	int error;

	*dpp = NULL;
	error = dpif_parse_name(fullname, &type, &name, err);
	if (error)
		return error;
	dp = calloc(1, sizeof *dp);
	if (!dp)
		return dp_err_set(err, ENOMEM, "out of memory");
	dp->conn = c;
	dp->type = type;
	snprintf(dp->name, sizeof dp->name, "%s", name);
	snprintf(dp->full, sizeof dp->full, "%s@%s", dpif_type_name(type), name);
	error = dpif_conn_sock(c, type, &dp->sock, err);
	if (error) {
		free(dp);
		return error;
	}
	dp->fams = &c->fams[type];
	*dpp = dp;
	return 0;
}

/* GET or NEW by name; learns dp_ifindex from the reply. */
static int dp_request(struct dpif *dp, uint8_t cmd, uint16_t flags,
		      uint32_t features, struct dpif_dp_info *info,
		      struct dp_err *err)
{
	struct buf req = BUF_INIT;
	struct dpif_dp_info tmp;
	enum dpif_op op = cmd == OVS_DP_CMD_NEW ? DPIF_OP_DP_NEW :
			  cmd == OVS_DP_CMD_SET ? DPIF_OP_DP_SET : DPIF_OP_DP_GET;
	int error;

	if (!info)
		info = &tmp;
	memset(info, 0, sizeof *info);
	/* NEW and SET answer only with NLM_F_ECHO (GET always does). */
	if (cmd != OVS_DP_CMD_GET)
		flags |= NLM_F_ECHO;
	dpif_req_sock(dp->fams, &req, DPIF_FAM_DP, cmd, flags, 0);
	na_put_str(&req, OVS_DP_ATTR_NAME, dp->name);
	if (cmd == OVS_DP_CMD_NEW)
		na_put_u32(&req, OVS_DP_ATTR_UPCALL_PID, 0);
	if (features)
		na_put_u32(&req, OVS_DP_ATTR_USER_FEATURES, features);
	error = dpif_transact(dp, &req, op, dp->full, dp_info_cb, info, err);
	buf_free(&req);
	if (!error && !info->name[0])
		error = dp_err_set(err, EPROTO, "%s: no reply to datapath "
				   "request", dp->full);
	if (!error)
		dp->dp_ifindex = info->dp_ifindex;
	return error;
}

int dpif_open(struct dpif_conn *c, const char *fullname, struct dpif **dpp,
	      struct dp_err *err)
{
	struct dpif *dp;
	int error = new_dpif(c, fullname, &dp, err);

	if (error)
		return error;
	error = dp_request(dp, OVS_DP_CMD_GET, 0, 0, NULL, err);
	if (error) {
		dpif_close(dp);
		return error;
	}
	*dpp = dp;
	return 0;
}

int dpif_create(struct dpif_conn *c, const char *fullname, struct dpif **dpp,
		struct dp_err *err)
{
	struct dpif *dp;
	int error = new_dpif(c, fullname, &dp, err);

	if (error)
		return error;
	/* Per-cpu dispatch first, as ovs-dpctl does; kernels before 5.14
	 * refuse the feature bit with EOPNOTSUPP, then fall back to one
	 * upcall socket per port. */
	error = dp_request(dp, OVS_DP_CMD_NEW, NLM_F_CREATE | NLM_F_EXCL,
			   OVS_DP_F_UNALIGNED | OVS_DP_F_DISPATCH_UPCALL_PER_CPU,
			   NULL, err);
	if (error == -EOPNOTSUPP)
		error = dp_request(dp, OVS_DP_CMD_NEW, NLM_F_CREATE | NLM_F_EXCL,
				   OVS_DP_F_UNALIGNED | OVS_DP_F_VPORT_PIDS,
				   NULL, err);
	if (error) {
		dpif_close(dp);
		return error;
	}
	*dpp = dp;
	return 0;
}

void dpif_close(struct dpif *dp)
{
	free(dp);
}

const char *dpif_name(const struct dpif *dp) { return dp->full; }
const char *dpif_base_name(const struct dpif *dp) { return dp->name; }
enum dpif_type dpif_type(const struct dpif *dp) { return dp->type; }
struct nl_sock *dpif_sock(const struct dpif *dp) { return dp->sock; }
int dpif_ifindex(const struct dpif *dp) { return dp->dp_ifindex; }

int dpif_delete(struct dpif *dp, struct dp_err *err)
{
	struct buf req = BUF_INIT;
	int error;

	dpif_req_sock(dp->fams, &req, DPIF_FAM_DP, OVS_DP_CMD_DEL, 0, 0);
	na_put_str(&req, OVS_DP_ATTR_NAME, dp->name);
	error = dpif_transact(dp, &req, DPIF_OP_DP_DEL, dp->full, NULL, NULL,
			      err);
	buf_free(&req);
	return error;
}

int dpif_get(struct dpif *dp, struct dpif_dp_info *info, struct dp_err *err)
{
	return dp_request(dp, OVS_DP_CMD_GET, 0, 0, info, err);
}

int dpif_set_features(struct dpif *dp, uint32_t features, struct dp_err *err)
{
	return dp_request(dp, OVS_DP_CMD_SET, 0, features, NULL, err);
}

int dpif_set_upcall_pids(struct dpif *dp, const uint32_t *pids, size_t n,
			 struct dp_err *err)
{
	struct buf req = BUF_INIT;
	int error;

	if (n == 0 || n > 65536)
		return dp_err_set(err, EINVAL, "bad number of upcall pids: %zu", n);
	dpif_req_sock(dp->fams, &req, DPIF_FAM_DP, OVS_DP_CMD_SET, 0, 0);
	na_put_str(&req, OVS_DP_ATTR_NAME, dp->name);
	na_put(&req, OVS_DP_ATTR_PER_CPU_PIDS, pids, n * sizeof *pids);
	error = dpif_transact(dp, &req, DPIF_OP_DP_SET, dp->full, NULL, NULL,
			      err);
	buf_free(&req);
	return error;
}

struct enum_ctx {
	int (*cb)(const struct dpif_dp_info *, void *);
	void *aux;
};

static int enum_cb(const struct nlmsghdr *nlh, void *aux)
{
	struct enum_ctx *ctx = aux;
	struct dpif_dp_info info;

	if (dpif_dp_from_msg(nlh, &info) < 0)
		return -EPROTO;
	return ctx->cb(&info, ctx->aux);
}

int dpif_enumerate(struct dpif_conn *c, enum dpif_type type,
		   int (*cb)(const struct dpif_dp_info *, void *), void *aux,
		   struct dp_err *err)
{
	struct enum_ctx ctx = { cb, aux };
	struct buf req = BUF_INIT;
	struct nl_sock *s;
	int error;

	error = dpif_conn_sock(c, type, &s, err);
	if (error)
		return error;
	dpif_req_sock(&c->fams[type], &req, DPIF_FAM_DP, OVS_DP_CMD_GET,
		      NLM_F_DUMP, 0);
	error = nl_transact(s, &req, enum_cb, &ctx, err);
	buf_free(&req);
	if (error == -EPROTO)
		return dp_err_set(err, EPROTO, "malformed datapath in dump");
	if (error)
		return dpif_explain(s, DPIF_OP_DP_DUMP, NULL, NULL, error, err);
	return 0;
}

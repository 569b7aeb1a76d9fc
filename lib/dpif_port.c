/* dpif ports: the ovs_vport family. */
#include "dpif.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dpif_priv.h"
#include "nlattr.h"

static const char *const type_names[] = {
	[OVS_VPORT_TYPE_NETDEV] = "netdev",
	[OVS_VPORT_TYPE_INTERNAL] = "internal",
	[OVS_VPORT_TYPE_GRE] = "gre",
	[OVS_VPORT_TYPE_VXLAN] = "vxlan",
	[OVS_VPORT_TYPE_GENEVE] = "geneve",
};

const char *dpif_port_type_name(uint32_t type)
{
	if (type < sizeof type_names / sizeof type_names[0])
		return type_names[type];
	return NULL;
}

int dpif_port_type_from_name(const char *name, uint32_t *type)
{
	uint32_t i;

	if (!strcmp(name, "system")) {
		*type = OVS_VPORT_TYPE_NETDEV;
		return 0;
	}
	for (i = 1; i < sizeof type_names / sizeof type_names[0]; i++) {
		if (type_names[i] && !strcmp(name, type_names[i])) {
			*type = i;
			return 0;
		}
	}
	return -EINVAL;
}

int dpif_port_from_msg(const struct nlmsghdr *nlh, struct dpif_port *port)
{
	const struct nlattr *tb[OVS_VPORT_ATTR_MAX + 1], *a;
	const void *attrs;
	size_t len, n;

	memset(port, 0, sizeof *port);
	if (dpif_msg_attrs(nlh, NULL, NULL, &attrs, &len) < 0 ||
	    na_parse(tb, OVS_VPORT_ATTR_MAX, attrs, len, NULL) < 0 ||
	    !tb[OVS_VPORT_ATTR_PORT_NO] || na_len(tb[OVS_VPORT_ATTR_PORT_NO]) < 4 ||
	    !tb[OVS_VPORT_ATTR_TYPE] || na_len(tb[OVS_VPORT_ATTR_TYPE]) < 4 ||
	    !tb[OVS_VPORT_ATTR_NAME])
		return -EINVAL;
	port->port_no = na_get_u32(tb[OVS_VPORT_ATTR_PORT_NO]);
	port->type = na_get_u32(tb[OVS_VPORT_ATTR_TYPE]);
	a = tb[OVS_VPORT_ATTR_NAME];
	n = strnlen(na_data(a), na_len(a));
	if (n >= sizeof port->name)
		n = sizeof port->name - 1;
	memcpy(port->name, na_data(a), n);
	if ((a = tb[OVS_VPORT_ATTR_IFINDEX]) && na_len(a) >= 4) {
		port->has_ifindex = true;
		port->ifindex = (int32_t)na_get_u32(a);
	}
	if ((a = tb[OVS_VPORT_ATTR_NETNSID]) && na_len(a) >= 4) {
		port->has_netnsid = true;
		port->netnsid = (int32_t)na_get_u32(a);
	}
	if ((a = tb[OVS_VPORT_ATTR_STATS]) && na_len(a) >= sizeof port->stats) {
		port->has_stats = true;
		memcpy(&port->stats, na_data(a), sizeof port->stats);
	}
	if ((a = tb[OVS_VPORT_ATTR_UPCALL_PID])) {
		n = na_len(a) / 4;
		if (n > DPIF_MAX_UPCALL_PIDS)
			n = DPIF_MAX_UPCALL_PIDS;
		memcpy(port->upcall_pids, na_data(a), n * 4);
		port->n_upcall_pids = n;
	}
	if ((a = tb[OVS_VPORT_ATTR_OPTIONS])) {
		const struct nlattr *ot[OVS_TUNNEL_ATTR_MAX + 1];

		if (na_parse(ot, OVS_TUNNEL_ATTR_MAX, na_data(a), na_len(a),
			     NULL) < 0)
			return -EINVAL;
		if (ot[OVS_TUNNEL_ATTR_DST_PORT] &&
		    na_len(ot[OVS_TUNNEL_ATTR_DST_PORT]) >= 2) {
			port->has_dst_port = true;
			port->dst_port = na_get_u16(ot[OVS_TUNNEL_ATTR_DST_PORT]);
		}
		if (ot[OVS_TUNNEL_ATTR_EXTENSION] &&
		    na_find(na_data(ot[OVS_TUNNEL_ATTR_EXTENSION]),
			    na_len(ot[OVS_TUNNEL_ATTR_EXTENSION]),
			    OVS_VXLAN_EXT_GBP))
			port->gbp = true;
	}
	return 0;
}

static void put_options(struct buf *req, const struct dpif_port_spec *spec)
{
	size_t opts, ext;

	if (!spec->has_dst_port && !spec->gbp)
		return;
	opts = na_nest_start(req, OVS_VPORT_ATTR_OPTIONS);
	if (spec->has_dst_port)
		na_put_u16(req, OVS_TUNNEL_ATTR_DST_PORT, spec->dst_port);
	if (spec->gbp) {
		ext = na_nest_start(req, OVS_TUNNEL_ATTR_EXTENSION);
		na_put_flag(req, OVS_VXLAN_EXT_GBP);
		na_nest_end(req, ext);
	}
	na_nest_end(req, opts);
}

struct one_port {
	struct dpif_port *port;
	bool got;
};

static int one_port_cb(const struct nlmsghdr *nlh, void *aux)
{
	struct one_port *o = aux;

	if (dpif_port_from_msg(nlh, o->port) < 0)
		return -EPROTO;
	o->got = true;
	return 0;
}

int dpif_port_add(struct dpif *dp, const struct dpif_port_spec *spec,
		  uint32_t *port_no, struct dp_err *err)
{
	static const uint32_t no_pid;
	struct buf req = BUF_INIT;
	struct dpif_port port;
	struct one_port o = { &port, false };
	int error;

	if (!spec->name || !*spec->name || strlen(spec->name) >= IFNAMSIZ)
		return dp_err_set(err, EINVAL, "%s: invalid port name",
				  spec->name ? spec->name : "");
	dpif_req(dp, &req, DPIF_FAM_VPORT, OVS_VPORT_CMD_NEW,
		 NLM_F_CREATE | NLM_F_EXCL | NLM_F_ECHO);
	na_put_u32(&req, OVS_VPORT_ATTR_TYPE, spec->type);
	na_put_str(&req, OVS_VPORT_ATTR_NAME, spec->name);
	if (spec->port_no != DPIF_PORT_ANY)
		na_put_u32(&req, OVS_VPORT_ATTR_PORT_NO, spec->port_no);
	/* The kernel requires the attribute; a single 0 means no upcalls. */
	if (spec->n_upcall_pids)
		na_put(&req, OVS_VPORT_ATTR_UPCALL_PID, spec->upcall_pids,
		       spec->n_upcall_pids * sizeof(uint32_t));
	else
		na_put(&req, OVS_VPORT_ATTR_UPCALL_PID, &no_pid, sizeof no_pid);
	put_options(&req, spec);
	error = dpif_transact(dp, &req, DPIF_OP_PORT_NEW, spec->name,
			      one_port_cb, &o, err);
	buf_free(&req);
	if (error == -EPROTO && !o.got)
		return dp_err_set(err, EPROTO, "%s: malformed reply", spec->name);
	if (!error && port_no)
		*port_no = o.got ? port.port_no : DPIF_PORT_ANY;
	return error;
}

int dpif_port_del(struct dpif *dp, uint32_t port_no, struct dp_err *err)
{
	struct buf req = BUF_INIT;
	char subject[32];
	int error;

	snprintf(subject, sizeof subject, "port %u", port_no);
	dpif_req(dp, &req, DPIF_FAM_VPORT, OVS_VPORT_CMD_DEL, 0);
	na_put_u32(&req, OVS_VPORT_ATTR_PORT_NO, port_no);
	error = dpif_transact(dp, &req, DPIF_OP_PORT_DEL, subject, NULL, NULL,
			      err);
	buf_free(&req);
	return error;
}

int dpif_port_get(struct dpif *dp, const char *name, uint32_t port_no,
		  struct dpif_port *port, struct dp_err *err)
{
	struct buf req = BUF_INIT;
	struct one_port o = { port, false };
	char subject[32];
	int error;

	dpif_req(dp, &req, DPIF_FAM_VPORT, OVS_VPORT_CMD_GET, 0);
	if (name) {
		if (strlen(name) >= IFNAMSIZ) {
			buf_free(&req);
			return dp_err_set(err, ENOENT, "%s: no such port in %s",
					  name, dp->full);
		}
		na_put_str(&req, OVS_VPORT_ATTR_NAME, name);
	} else {
		snprintf(subject, sizeof subject, "port %u", port_no);
		na_put_u32(&req, OVS_VPORT_ATTR_PORT_NO, port_no);
	}
	error = dpif_transact(dp, &req, DPIF_OP_PORT_GET, name ? name : subject,
			      one_port_cb, &o, err);
	buf_free(&req);
	if (!error && !o.got)
		error = dp_err_set(err, EPROTO, "no reply to port request");
	/* By name, the kernel finds any datapath's port unless the request's
	 * dp_ifindex (always set here) restricts it to this one. */
	return error;
}

int dpif_port_set(struct dpif *dp, const struct dpif_port_spec *spec,
		  struct dp_err *err)
{
	struct buf req = BUF_INIT;
	char subject[32];
	int error;

	dpif_req(dp, &req, DPIF_FAM_VPORT, OVS_VPORT_CMD_SET, 0);
	if (spec->name) {
		na_put_str(&req, OVS_VPORT_ATTR_NAME, spec->name);
	} else {
		snprintf(subject, sizeof subject, "port %u", spec->port_no);
		na_put_u32(&req, OVS_VPORT_ATTR_PORT_NO, spec->port_no);
	}
	if (spec->type)
		na_put_u32(&req, OVS_VPORT_ATTR_TYPE, spec->type);
	if (spec->n_upcall_pids)
		na_put(&req, OVS_VPORT_ATTR_UPCALL_PID, spec->upcall_pids,
		       spec->n_upcall_pids * sizeof(uint32_t));
	put_options(&req, spec);
	error = dpif_transact(dp, &req, DPIF_OP_PORT_SET,
			      spec->name ? spec->name : subject, NULL, NULL, err);
	buf_free(&req);
	return error;
}

struct port_dump {
	int (*cb)(const struct dpif_port *, void *);
	void *aux;
	struct dpif_port port;
};

static int port_dump_cb(const struct nlmsghdr *nlh, void *aux)
{
	struct port_dump *d = aux;

	if (dpif_port_from_msg(nlh, &d->port) < 0)
		return -EPROTO;
	return d->cb(&d->port, d->aux);
}

int dpif_port_dump(struct dpif *dp,
		   int (*cb)(const struct dpif_port *, void *), void *aux,
		   struct dp_err *err)
{
	struct buf req = BUF_INIT;
	struct port_dump d = { cb, aux };
	int error;

	dpif_req(dp, &req, DPIF_FAM_VPORT, OVS_VPORT_CMD_GET, NLM_F_DUMP);
	error = dpif_transact(dp, &req, DPIF_OP_PORT_DUMP, dp->full,
			      port_dump_cb, &d, err);
	buf_free(&req);
	if (error == -EPROTO)
		return dp_err_set(err, EPROTO, "%s: malformed port in dump",
				  dp->full);
	return error;
}

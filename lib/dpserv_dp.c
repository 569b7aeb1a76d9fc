/*
 * dpserv_dp.c - the ovs_datapath and ovs_vport families, as
 * net/openvswitch/datapath.c of Linux 6.1 serves them, over lib/dp.
 *
 * A datapath is named after its local port (port 0), an internal port: a
 * tap device dpd creates.  Its dp_ifindex, which requests carry in their
 * ovs_header, is that tap's ifindex.  Port names are unique across all of
 * dpd's datapaths, as device names are in a network namespace: a device
 * can be a port of one datapath only (EBUSY; EEXIST for the same one), an
 * internal port cannot be made a netdev port (EINVAL), a new internal port
 * or datapath cannot take the name of an existing device (EEXIST).
 */
#include "dpserv_int.h"

#include <errno.h>
#include <stdio.h>
#include <sys/sysinfo.h>
#include <stdlib.h>
#include <string.h>

#include "link.h"
#include "log.h"
#include "slowpath.h"

#define ALL_FEATURES (OVS_DP_F_VPORT_PIDS | OVS_DP_F_UNALIGNED | \
		      OVS_DP_F_TC_RECIRC_SHARING | \
		      OVS_DP_F_DISPATCH_UPCALL_PER_CPU)

/* --- datapaths ------------------------------------------------------------ */

static void put_dp(struct buf *b, struct ds_dp *d, uint16_t flags, uint32_t seq,
		   uint32_t portid, uint8_t cmd)
{
	size_t start = ds_msg_start(b, &ds_families[DS_FAM_DP], flags, seq,
				    portid, cmd);
	struct ovs_header *h = ds_msg_hdr(b, start);
	struct ovs_dp_megaflow_stats ms;
	struct ovs_dp_stats st;
	struct dp_stats s;
	uint32_t feat = dp_features(d->dp);

	if (h)
		h->dp_ifindex = d->ifindex;
	na_put_str(b, OVS_DP_ATTR_NAME, d->name);
	dp_get_stats(d->dp, &s);
	memset(&st, 0, sizeof st);
	st.n_hit = s.n_hit;
	st.n_missed = s.n_missed;
	st.n_lost = s.n_lost + d->n_lost;
	st.n_flows = s.n_flows;
	na_put(b, OVS_DP_ATTR_STATS, &st, sizeof st);
	memset(&ms, 0, sizeof ms);
	ms.n_mask_hit = s.n_mask_hit;
	ms.n_masks = s.n_masks;
	ms.n_cache_hit = s.n_cache_hit;
	na_put(b, OVS_DP_ATTR_MEGAFLOW_STATS, &ms, sizeof ms);
	na_put_u32(b, OVS_DP_ATTR_USER_FEATURES, feat);
	na_put_u32(b, OVS_DP_ATTR_MASKS_CACHE_SIZE, d->masks_cache_size);
	if ((feat & OVS_DP_F_DISPATCH_UPCALL_PER_CPU) && d->cpu_pids)
		na_put(b, OVS_DP_ATTR_PER_CPU_PIDS, d->cpu_pids,
		       d->n_cpu_pids * sizeof *d->cpu_pids);
	ds_msg_end(b, start);
}

/* lookup_datapath(): by name (the local port's), else by dp_ifindex. */
static struct ds_dp *lookup_dp(struct ds_req *r)
{
	const struct nlattr *n = r->tb[OVS_DP_ATTR_NAME];

	if (n)
		return ds_dp_by_name(r->srv, na_data(n));
	return ds_dp_by_ifindex(r->srv, ds_req_ifindex(r));
}

static int no_dp(struct ds_req *r)
{
	if (r->tb[OVS_DP_ATTR_NAME])
		return ds_err(r, ENODEV, r->tb[OVS_DP_ATTR_NAME],
			      "no datapath named %s",
			      (const char *)na_data(r->tb[OVS_DP_ATTR_NAME]));
	return ds_err(r, ENODEV, NULL, "no datapath with dp_ifindex %d",
		      ds_req_ifindex(r));
}

/* ovs_dp_change(): features, masks cache size, per-CPU pids. */
static int dp_change(struct ds_req *r, struct ds_dp *d)
{
	const struct nlattr *fa = r->tb[OVS_DP_ATTR_USER_FEATURES];
	const struct nlattr *ca = r->tb[OVS_DP_ATTR_MASKS_CACHE_SIZE];
	const struct nlattr *pa = r->tb[OVS_DP_ATTR_PER_CPU_PIDS];
	uint32_t feat = 0;

	if (fa) {
		feat = na_get_u32(fa);
		if (feat & ~ALL_FEATURES)
			return ds_err(r, EOPNOTSUPP, fa, "unknown user "
				      "features 0x%x", feat & ~ALL_FEATURES);
	}
	if (ca) {
		uint32_t n = na_get_u32(ca);

		if (n != d->masks_cache_size && n & (n - 1))
			return ds_err(r, EINVAL, ca, "masks cache size %u is "
				      "not a power of 2", n);
		d->masks_cache_size = n;
	}
	dp_set_features(d->dp, feat);
	if ((feat & OVS_DP_F_DISPATCH_UPCALL_PER_CPU) && pa) {
		size_t n = na_len(pa) / sizeof(uint32_t);
		uint32_t *v = NULL;

		if (na_len(pa) % sizeof(uint32_t))
			return ds_err(r, EINVAL, pa, "per-CPU pids: length %zu "
				      "is not a multiple of 4", na_len(pa));
		if (n && !(v = malloc(n * sizeof *v)))
			return -ENOMEM;
		if (n)
			memcpy(v, na_data(pa), n * sizeof *v);
		if (dp_set_cpu_pids(d->dp, v, n) < 0) {
			free(v);
			return -ENOMEM;
		}
		free(d->cpu_pids);
		d->cpu_pids = v;
		d->n_cpu_pids = n;
	}
	return 0;
}

/* dev_valid_name() */
static bool valid_name(const char *s)
{
	if (!*s || strlen(s) >= IFNAMSIZ || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || *s == ' ' || *s == '\t' ||
		    *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v')
			return false;
	return true;
}

/* The port named 'name' in any datapath. */
static struct ds_dp *find_port(struct dpserv *srv, const char *name,
			       struct dp_port_info *pi)
{
	size_t i;

	for (i = 0; i < srv->n_dps; i++)
		if (dp_port_by_name(srv->dps[i]->dp, name, pi) == 0)
			return srv->dps[i];
	return NULL;
}

static bool device_exists(struct dpserv *srv, const char *name)
{
	struct dp_port_info pi;

	if (find_port(srv, name, &pi))
		return true;
	return !srv->cfg.dummy_ports && link_ifindex(name, NULL) > 0;
}

static int set_type(struct ds_dp *d, uint32_t port_no, uint32_t type)
{
	if (port_no >= d->n_types) {
		uint32_t n = d->n_types ? d->n_types : 64;
		uint8_t *v;

		while (n <= port_no)
			n *= 2;
		v = realloc(d->types, n);
		if (!v)
			return -ENOMEM;
		memset(v + d->n_types, 0, n - d->n_types);
		d->types = v;
		d->n_types = n;
	}
	d->types[port_no] = (uint8_t)type;
	return 0;
}

uint32_t ds_port_type(const struct ds_dp *d, const struct dp_port_info *pi)
{
	if (pi->port_no < d->n_types && d->types[pi->port_no])
		return d->types[pi->port_no];
	return pi->type;
}

void ds_dp_destroy(struct dpserv *srv, struct ds_dp *d)
{
	dp_log(srv->log, DP_LOG_INFO, "datapath %s deleted", d->name);
	ds_dp_remove(srv, d);
	sp_destroy(d->sp);
	d->sp = NULL;
	dp_destroy(d->dp);
	d->dp = NULL;
	ds_keyidx_free(d->kidx);
	d->kidx = NULL;
	free(d->types);
	d->types = NULL;
	free(d->cpu_pids);
	d->cpu_pids = NULL;
}

static int upcall_pids(struct ds_req *r, const struct nlattr *a,
		       const uint32_t **pids, size_t *n)
{
	if (!na_len(a) || na_len(a) % sizeof(uint32_t))
		return ds_err(r, EINVAL, a, "upcall pids: bad length %zu",
			      na_len(a));
	/* No more than there are CPUs (Linux 6.1.y stable). */
	if (na_len(a) / sizeof(uint32_t) > (size_t)get_nprocs_conf())
		return ds_err(r, EINVAL, a, "%zu upcall pids for %d CPUs",
			      na_len(a) / sizeof(uint32_t), get_nprocs_conf());
	*pids = na_data(a);
	*n = na_len(a) / sizeof(uint32_t);
	return 0;
}

static int dp_new(struct ds_req *r)
{
	const struct nlattr *na = r->tb[OVS_DP_ATTR_NAME];
	const struct nlattr *pa = r->tb[OVS_DP_ATTR_UPCALL_PID];
	struct dpserv *srv = r->srv;
	struct dp_port_info pi;
	const uint32_t *pids = NULL;
	struct ds_dp *d, *old;
	struct dp_err err;
	size_t n = 0, start;
	const char *name;
	int e;

	if (!na)
		return ds_missing(r, OVS_DP_ATTR_NAME, "datapath name missing");
	if (!pa)
		return ds_missing(r, OVS_DP_ATTR_UPCALL_PID, "upcall pid missing");
	name = na_data(na);
	if (r->tb[OVS_DP_ATTR_IFINDEX])
		return ds_ext(r, EOPNOTSUPP, r->tb[OVS_DP_ATTR_IFINDEX],
			      "dpd cannot choose the ifindex of a datapath's "
			      "local port");
	d = calloc(1, sizeof *d);
	if (!d)
		return -ENOMEM;
	snprintf(d->name, sizeof d->name, "%s", name);
	d->masks_cache_size = DS_MASKS_CACHE_DEFAULT;
	/* ovs_dp_change() runs on the new datapath before its local port
	 * exists; the engine needs the datapath, so check first. */
	if (r->tb[OVS_DP_ATTR_USER_FEATURES] &&
	    na_get_u32(r->tb[OVS_DP_ATTR_USER_FEATURES]) & ~ALL_FEATURES) {
		free(d);
		return ds_err(r, EOPNOTSUPP, r->tb[OVS_DP_ATTR_USER_FEATURES],
			      "unknown user features 0x%x",
			      na_get_u32(r->tb[OVS_DP_ATTR_USER_FEATURES]) &
			      ~ALL_FEATURES);
	}
	e = -EEXIST;
	if (!valid_name(name))
		e = ds_err(r, EINVAL, na, "'%s' is not a valid device name",
			   name);
	else if (device_exists(srv, name))
		e = ds_err(r, EEXIST, na, "a network device named %s exists",
			   name);
	else if ((e = upcall_pids(r, pa, &pids, &n)) == 0)
		e = dp_create(&d->dp, name, (srv->cfg.dummy_ports ?
			      DP_F_LOCAL_DUMMY : 0) |
			      (srv->cfg.no_offload ? DP_F_NO_OFFLOAD : 0), &err);
	if (e == -EEXIST || e == -EBUSY) {
		/* An old client without user features reuses the datapath:
		 * drop the features it would not understand. */
		old = ds_dp_by_name(srv, name);
		if (old && r->version < OVS_DP_VER_FEATURES)
			dp_set_features(old->dp, 0);
		free(d);
		if (!r->why[0])
			ds_err(r, EEXIST, na, "%s exists", name);
		return -EEXIST;
	}
	if (e < 0) {
		free(d);
		/* Not a refusal of the request: the engine failed. */
		if (!r->why[0])
			ds_ext(r, e, NULL, "%s", err.msg);
		return e;
	}
	d->kidx = ds_keyidx_new();
	e = d->kidx ? dp_change(r, d) : -ENOMEM;
	if (e == 0)
		e = dp_port_set_pids(d->dp, 0, pids, n);
	if (e == 0 && dp_port_get(d->dp, 0, &pi) == 0) {
		d->ifindex = pi.ifindex > 0 ? pi.ifindex
					    : srv->next_dummy_ifindex++;
		e = set_type(d, 0, OVS_VPORT_TYPE_INTERNAL);
	}
	if (e == 0)
		e = ds_sp_attach(srv, d, false);
	if (e == 0)
		e = ds_dp_add(srv, d);
	if (e < 0) {
		sp_destroy(d->sp);
		dp_destroy(d->dp);
		ds_keyidx_free(d->kidx);
		free(d->types);
		free(d->cpu_pids);
		free(d);
		return e;
	}
	dp_log(srv->log, DP_LOG_INFO, "datapath %s created (dp_ifindex %d)",
	       d->name, d->ifindex);
	buf_clear(&srv->note);
	start = srv->note.len;
	put_dp(&srv->note, d, 0, r->nlh->nlmsg_seq, r->c->portid,
	       OVS_DP_CMD_NEW);
	ds_notify(r, &srv->note, start);
	return 0;
}

static int dp_del(struct ds_req *r)
{
	struct ds_dp *d = lookup_dp(r);
	struct buf *b = &r->srv->note;

	if (!d)
		return no_dp(r);
	buf_clear(b);
	put_dp(b, d, 0, r->nlh->nlmsg_seq, r->c->portid, OVS_DP_CMD_DEL);
	ds_dp_destroy(r->srv, d);
	ds_notify(r, b, 0);
	return 0;
}

static int dp_set(struct ds_req *r)
{
	struct ds_dp *d = lookup_dp(r);
	struct buf *b = &r->srv->note;
	int e;

	if (!d)
		return no_dp(r);
	e = dp_change(r, d);
	if (e < 0)
		return e;
	buf_clear(b);
	put_dp(b, d, 0, r->nlh->nlmsg_seq, r->c->portid, OVS_DP_CMD_SET);
	ds_notify(r, b, 0);
	return 0;
}

static int dp_get(struct ds_req *r)
{
	struct ds_dp *d = lookup_dp(r);

	if (!d)
		return no_dp(r);
	put_dp(r->out, d, 0, r->nlh->nlmsg_seq, r->c->portid, OVS_DP_CMD_GET);
	return 0;
}

static int dp_dump(struct dpserv *srv, struct ds_dump *dd, struct buf *out,
		   size_t limit)
{
	while (dd->cur[0] < srv->n_dps) {
		size_t before = out->len;

		put_dp(out, srv->dps[dd->cur[0]], NLM_F_MULTI, dd->seq,
		       dd->portid, OVS_DP_CMD_GET);
		if (out->len > limit && before) {
			buf_truncate(out, before);
			return 1;
		}
		dd->cur[0]++;
	}
	return 0;
}

const struct ds_op ds_dp_ops[4] = {
	{ OVS_DP_CMD_NEW, true, dp_new, NULL },
	{ OVS_DP_CMD_DEL, true, dp_del, NULL },
	{ OVS_DP_CMD_GET, false, dp_get, dp_dump },
	{ OVS_DP_CMD_SET, true, dp_set, NULL },
};

/* --- vports ----------------------------------------------------------------- */

static void put_vport(struct buf *b, struct ds_dp *d,
		      const struct dp_port_info *pi, uint16_t flags,
		      uint32_t seq, uint32_t portid, uint8_t cmd)
{
	size_t start = ds_msg_start(b, &ds_families[DS_FAM_VPORT], flags, seq,
				    portid, cmd);
	struct ovs_header *h = ds_msg_hdr(b, start);
	static const uint32_t none = 0;

	if (h)
		h->dp_ifindex = d->ifindex;
	na_put_u32(b, OVS_VPORT_ATTR_PORT_NO, pi->port_no);
	na_put_u32(b, OVS_VPORT_ATTR_TYPE, ds_port_type(d, pi));
	na_put_str(b, OVS_VPORT_ATTR_NAME, pi->name);
	na_put_u32(b, OVS_VPORT_ATTR_IFINDEX, (uint32_t)(pi->ifindex > 0 ?
							 pi->ifindex : 0));
	na_put(b, OVS_VPORT_ATTR_STATS, &pi->stats, sizeof pi->stats);
	if (dp_features(d->dp) & OVS_DP_F_VPORT_PIDS)
		na_put(b, OVS_VPORT_ATTR_UPCALL_PID, pi->n_pids ? pi->pids : &none,
		       (pi->n_pids ? pi->n_pids : 1) * sizeof(uint32_t));
	else
		na_put_u32(b, OVS_VPORT_ATTR_UPCALL_PID,
			   pi->n_pids ? pi->pids[0] : 0);
	ds_msg_end(b, start);
}

/* lookup_vport() */
static int lookup_vport(struct ds_req *r, struct ds_dp **dp,
			struct dp_port_info *pi)
{
	const struct nlattr *na = r->tb[OVS_VPORT_ATTR_NAME];
	const struct nlattr *pa = r->tb[OVS_VPORT_ATTR_PORT_NO];
	int ifindex = ds_req_ifindex(r);
	struct ds_dp *d;

	if (r->tb[OVS_VPORT_ATTR_IFINDEX])
		return ds_err(r, EOPNOTSUPP, r->tb[OVS_VPORT_ATTR_IFINDEX],
			      "ports are not found by ifindex");
	if (na) {
		d = find_port(r->srv, na_data(na), pi);
		if (!d || (ifindex && ifindex != d->ifindex))
			return ds_err(r, ENODEV, na, "no port named %s",
				      (const char *)na_data(na));
	} else if (pa) {
		uint32_t no = na_get_u32(pa);

		if (no >= DP_MAX_PORTS)
			return ds_err(r, EFBIG, pa, "port number %u too large",
				      no);
		d = ds_dp_by_ifindex(r->srv, ifindex);
		if (!d)
			return ds_err(r, ENODEV, NULL, "no datapath with "
				      "dp_ifindex %d", ifindex);
		if (dp_port_get(d->dp, no, pi) < 0)
			return ds_err(r, ENODEV, pa, "no port %u", no);
	} else {
		return ds_err(r, EINVAL, NULL, "name or port number needed");
	}
	*dp = d;
	return 0;
}

/* /sys/class/net/NAME/{type,flags}: loopback and non-Ethernet devices
 * cannot be netdev ports (netdev_link()).  -1 if unknown. */
static long sysfs_num(const char *name, const char *what, int base)
{
	char path[96], v[32];
	FILE *f;
	long n = -1;

	snprintf(path, sizeof path, "/sys/class/net/%s/%s", name, what);
	f = fopen(path, "re");
	if (!f)
		return -1;
	if (fgets(v, sizeof v, f))
		n = strtol(v, NULL, base);
	fclose(f);
	return n;
}

static int check_new_port(struct ds_req *r, const struct ds_dp *to,
			  const char *name, uint32_t type)
{
	const struct nlattr *na = r->tb[OVS_VPORT_ATTR_NAME];
	struct dpserv *srv = r->srv;
	struct dp_port_info pi;
	struct ds_dp *d;
	long t, fl;

	if (!valid_name(name))
		return ds_err(r, EINVAL, na, "'%s' is not a valid device name",
			      name);
	d = find_port(srv, name, &pi);
	if (type == OVS_VPORT_TYPE_INTERNAL) {
		if (device_exists(srv, name))
			return ds_err(r, EEXIST, na, "a network device named "
				      "%s exists", name);
		return 0;
	}
	if (d && ds_port_type(d, &pi) == OVS_VPORT_TYPE_INTERNAL)
		return ds_err(r, EINVAL, na, "%s is an internal port of %s",
			      name, d->name);
	/* netdev_link(): linking the device to the same datapath again
	 * says EEXIST, to another one EBUSY (its rx handler is taken). */
	if (d)
		return ds_err(r, d == to ? EEXIST : EBUSY, na, "%s is already "
			      "port %u of %s", name, pi.port_no, d->name);
	if (srv->cfg.dummy_ports)
		return 0;
	if (link_ifindex(name, NULL) <= 0)
		return ds_err(r, ENODEV, na, "no network device named %s", name);
	t = sysfs_num(name, "type", 10);
	fl = sysfs_num(name, "flags", 16);
	if ((fl >= 0 && (fl & 0x8)) || (t >= 0 && t != 1 && t != 65534))
		return ds_err(r, EINVAL, na, "%s is not an Ethernet device",
			      name);
	return 0;
}

static int vport_new(struct ds_req *r)
{
	const struct nlattr *na = r->tb[OVS_VPORT_ATTR_NAME];
	const struct nlattr *ta = r->tb[OVS_VPORT_ATTR_TYPE];
	const struct nlattr *pa = r->tb[OVS_VPORT_ATTR_UPCALL_PID];
	const struct nlattr *noa = r->tb[OVS_VPORT_ATTR_PORT_NO];
	struct dpserv *srv = r->srv;
	struct dp_port_info pi;
	const uint32_t *pids = NULL;
	struct dp_err err;
	uint32_t no, type, etype;
	const char *name;
	struct ds_dp *d;
	size_t n = 0;
	int e;

	if (!na)
		return ds_missing(r, OVS_VPORT_ATTR_NAME, "port name missing");
	if (!ta)
		return ds_missing(r, OVS_VPORT_ATTR_TYPE, "port type missing");
	if (!pa)
		return ds_missing(r, OVS_VPORT_ATTR_UPCALL_PID, "upcall pid "
				  "missing");
	if (r->tb[OVS_VPORT_ATTR_IFINDEX])
		return ds_err(r, EOPNOTSUPP, r->tb[OVS_VPORT_ATTR_IFINDEX],
			      "a port's ifindex cannot be chosen");
	no = ds_get_u32(noa, 0);
	if (no >= DP_MAX_PORTS)
		return ds_err(r, EFBIG, noa, "port number %u too large", no);
	d = ds_dp_by_ifindex(srv, ds_req_ifindex(r));
	if (!d)
		return ds_err(r, ENODEV, NULL, "no datapath with dp_ifindex %d",
			      ds_req_ifindex(r));
	if (no && dp_port_get(d->dp, no, &pi) == 0)
		return ds_err(r, EBUSY, noa, "port number %u is taken by %s",
			      no, pi.name);
	if (!no) {
		for (no = 1; no < DP_MAX_PORTS; no++)
			if (dp_port_get(d->dp, no, &pi) < 0)
				break;
		if (no >= DP_MAX_PORTS)
			return ds_err(r, EFBIG, NULL, "no free port number");
	}
	name = na_data(na);
	type = na_get_u32(ta);
	if (type == OVS_VPORT_TYPE_NETDEV)
		etype = srv->cfg.dummy_ports ? DP_VPORT_TYPE_DUMMY
					     : OVS_VPORT_TYPE_NETDEV;
	else if (type == OVS_VPORT_TYPE_INTERNAL)
		etype = srv->cfg.dummy_ports ? DP_VPORT_TYPE_DUMMY
					     : OVS_VPORT_TYPE_INTERNAL;
	else if (type == OVS_VPORT_TYPE_GRE || type == OVS_VPORT_TYPE_VXLAN ||
		 type == OVS_VPORT_TYPE_GENEVE)
		return ds_ext(r, EAFNOSUPPORT, ta, "port type %u is not "
			      "supported by the userspace datapath", type);
	else
		return ds_err(r, EAFNOSUPPORT, ta, "no port type %u", type);
	e = upcall_pids(r, pa, &pids, &n);
	if (e == 0)
		e = check_new_port(r, d, name, type);
	if (e == 0)
		e = set_type(d, no, type);
	if (e < 0)
		return e;
	e = dp_port_add(d->dp, name, etype, &no, pids, n, 0, &err);
	if (e < 0) {
		d->types[no] = 0;
		return ds_ext(r, e, NULL, "%s", err.msg);
	}
	ds_sp_ports_changed(srv, d);
	dp_log(srv->log, DP_LOG_INFO, "%s: port %u: %s (%s)", d->name, no, name,
	       type == OVS_VPORT_TYPE_INTERNAL ? "internal" : "netdev");
	dp_port_get(d->dp, no, &pi);
	buf_clear(&srv->note);
	put_vport(&srv->note, d, &pi, 0, r->nlh->nlmsg_seq, r->c->portid,
		  OVS_VPORT_CMD_NEW);
	ds_notify(r, &srv->note, 0);
	return 0;
}

static int vport_set(struct ds_req *r)
{
	const struct nlattr *ta = r->tb[OVS_VPORT_ATTR_TYPE];
	const struct nlattr *pa = r->tb[OVS_VPORT_ATTR_UPCALL_PID];
	struct dp_port_info pi;
	struct ds_dp *d;
	const uint32_t *pids = NULL;
	size_t n = 0;
	int e = lookup_vport(r, &d, &pi);

	if (e < 0)
		return e;
	if (ta && na_get_u32(ta) != ds_port_type(d, &pi))
		return ds_err(r, EINVAL, ta, "%s is not of type %u", pi.name,
			      na_get_u32(ta));
	if (r->tb[OVS_VPORT_ATTR_OPTIONS])
		return ds_err(r, EOPNOTSUPP, r->tb[OVS_VPORT_ATTR_OPTIONS],
			      "%s has no options", pi.name);
	if (pa) {
		e = upcall_pids(r, pa, &pids, &n);
		if (e == 0 && dp_port_set_pids(d->dp, pi.port_no, pids, n) < 0)
			e = -ENOMEM;
		if (e < 0)
			return e;
		dp_port_get(d->dp, pi.port_no, &pi);
	}
	buf_clear(&r->srv->note);
	put_vport(&r->srv->note, d, &pi, 0, r->nlh->nlmsg_seq, r->c->portid,
		  OVS_VPORT_CMD_SET);
	ds_notify(r, &r->srv->note, 0);
	return 0;
}

static int vport_del(struct ds_req *r)
{
	struct dp_port_info pi;
	struct ds_dp *d;
	struct dp_err err;
	int e = lookup_vport(r, &d, &pi);

	if (e < 0)
		return e;
	if (pi.port_no == 0)
		return ds_err(r, EINVAL, NULL, "port 0 is the datapath's local "
			      "port");
	buf_clear(&r->srv->note);
	put_vport(&r->srv->note, d, &pi, 0, r->nlh->nlmsg_seq, r->c->portid,
		  OVS_VPORT_CMD_DEL);
	dp_log(r->srv->log, DP_LOG_INFO, "%s: port %u: %s removed", d->name,
	       pi.port_no, pi.name);
	if (pi.port_no < d->n_types)
		d->types[pi.port_no] = 0;
	e = dp_port_del(d->dp, pi.port_no, &err);
	if (e < 0)
		return ds_ext(r, e, NULL, "%s", err.msg);
	ds_sp_ports_changed(r->srv, d);
	ds_notify(r, &r->srv->note, 0);
	return 0;
}

static int vport_get(struct ds_req *r)
{
	struct dp_port_info pi;
	struct ds_dp *d;
	int e = lookup_vport(r, &d, &pi);

	if (e < 0)
		return e;
	put_vport(r->out, d, &pi, 0, r->nlh->nlmsg_seq, r->c->portid,
		  OVS_VPORT_CMD_GET);
	return 0;
}

static int vport_dump(struct dpserv *srv, struct ds_dump *dd, struct buf *out,
		      size_t limit)
{
	struct ds_dp *d = ds_dp_by_ifindex(srv, dd->dp_ifindex);
	struct dp_port_info pi;

	if (!d)
		return -ENODEV;
	for (;;) {
		uint32_t cur = (uint32_t)dd->cur[0];
		size_t before = out->len;

		if (dp_port_next(d->dp, &cur, &pi) < 0)
			return 0;
		put_vport(out, d, &pi, NLM_F_MULTI, dd->seq, dd->portid,
			  OVS_VPORT_CMD_GET);
		if (out->len > limit && before) {
			buf_truncate(out, before);
			return 1;
		}
		dd->cur[0] = cur;
	}
}

static bool link_present(int ifindex, const char *name)
{
	char now[IF_NAMESIZE];

	return if_indextoname((unsigned)ifindex, now) && !strcmp(now, name);
}

void ds_links_gone(struct dpserv *srv, int ifindex)
{
	struct dp_port_info pi;
	size_t i = 0;

	while (i < srv->n_dps) {
		struct ds_dp *d = srv->dps[i];
		uint32_t cur = 0;

		if (dp_port_get(d->dp, 0, &pi) == 0 &&
		    (ifindex ? pi.ifindex == ifindex
			     : !link_present(pi.ifindex, pi.name))) {
			dp_log(srv->log, DP_LOG_WARN, "%s: its local port's "
			       "device is gone: deleting the datapath", d->name);
			buf_clear(&srv->note);
			put_dp(&srv->note, d, 0, 0, 0, OVS_DP_CMD_DEL);
			ds_dp_destroy(srv, d);
			if (buf_ok(&srv->note))
				ds_multicast(srv, &ds_families[DS_FAM_DP],
					     srv->note.data, srv->note.len, NULL);
			continue;       /* dps[i] is the next one now */
		}
		while (dp_port_next(d->dp, &cur, &pi) == 0) {
			if (pi.port_no == 0 || pi.ifindex <= 0 ||
			    (ifindex ? pi.ifindex != ifindex
				     : link_present(pi.ifindex, pi.name)))
				continue;
			dp_log(srv->log, DP_LOG_INFO, "%s: port %u: device %s is "
			       "gone: port removed", d->name, pi.port_no,
			       pi.name);
			buf_clear(&srv->note);
			put_vport(&srv->note, d, &pi, 0, 0, 0, OVS_VPORT_CMD_DEL);
			if (pi.port_no < d->n_types)
				d->types[pi.port_no] = 0;
			dp_port_del(d->dp, pi.port_no, NULL);
			ds_sp_ports_changed(srv, d);
			if (buf_ok(&srv->note))
				ds_multicast(srv, &ds_families[DS_FAM_VPORT],
					     srv->note.data, srv->note.len, NULL);
		}
		i++;
	}
}

const struct ds_op ds_vport_ops[4] = {
	{ OVS_VPORT_CMD_NEW, true, vport_new, NULL },
	{ OVS_VPORT_CMD_DEL, true, vport_del, NULL },
	{ OVS_VPORT_CMD_GET, false, vport_get, vport_dump },
	{ OVS_VPORT_CMD_SET, true, vport_set, NULL },
};

/*
 * dpctl's port commands: add-if, set-if, del-if.
 *
 * Each command is all or nothing, like the flow commands: every argument
 * is parsed and checked against the datapath first, and nothing changes if
 * one is wrong; if the datapath then refuses a change, the ones already
 * made by the command are undone.  (ovs-dpctl goes on with the next
 * argument instead.)
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dpctl.h"

struct if_spec {
	char *copy;                     /* the argument, cut up */
	const char *name;
	bool has_type;
	uint32_t type;
	const char *type_str;
	bool has_port_no;
	uint32_t port_no;
	bool has_dst_port;
	uint16_t dst_port;
	bool has_exts;
	bool gbp;
	struct dpif_port cur;           /* set-if, del-if: the port as it is */
	bool done;                      /* applied: undo on failure */
};

static int parse_uint(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	*v = strtoul(s, &end, 0);
	return errno || *end || *v > max ? -EINVAL : 0;
}

static bool has_options(uint32_t type)
{
	return type == OVS_VPORT_TYPE_VXLAN || type == OVS_VPORT_TYPE_GENEVE;
}

static int parse_option(struct if_spec *spec, const char *opt, const char *val,
			struct dp_err *err)
{
	unsigned long v;
	bool dup = false;

	if (!strcmp(opt, "type")) {
		dup = spec->has_type;
		spec->has_type = true;
		spec->type_str = val;
		if (dpif_port_type_from_name(val, &spec->type) < 0)
			return dp_err_set(err, EINVAL, "%s: unknown port type '%s' "
					  "(system, internal, gre, vxlan, geneve)",
					  spec->name, val);
	} else if (!strcmp(opt, "port_no")) {
		dup = spec->has_port_no;
		spec->has_port_no = true;
		if (parse_uint(val, DP_MAX_PORTS - 1, &v) < 0)
			return dp_err_set(err, EINVAL, "%s: bad port_no '%s' (0 to "
					  "%u)", spec->name, val, DP_MAX_PORTS - 1);
		spec->port_no = (uint32_t)v;
	} else if (!strcmp(opt, "dst_port")) {
		dup = spec->has_dst_port;
		spec->has_dst_port = true;
		if (parse_uint(val, 65535, &v) < 0)
			return dp_err_set(err, EINVAL, "%s: bad dst_port '%s' (0 to "
					  "65535)", spec->name, val);
		spec->dst_port = (uint16_t)v;
	} else if (!strcmp(opt, "exts")) {
		dup = spec->has_exts;
		spec->has_exts = true;
		if (strcmp(val, "gbp") && *val)
			return dp_err_set(err, EINVAL, "%s: unknown extension '%s' "
					  "(gbp)", spec->name, val);
		spec->gbp = *val != '\0';
	} else if (!strcmp(opt, "remote_ip") || !strcmp(opt, "local_ip") ||
		   !strcmp(opt, "key") || !strcmp(opt, "tos") ||
		   !strcmp(opt, "ttl") || !strcmp(opt, "csum") ||
		   !strcmp(opt, "df_default")) {
		return dp_err_set(err, EINVAL, "%s: %s: the datapath's tunnels "
				  "are flow based: give it per flow with "
				  "set(tunnel(...))", spec->name, opt);
	} else {
		return dp_err_set(err, EINVAL, "%s: unknown option '%s' (type, "
				  "port_no, dst_port, exts)", spec->name, opt);
	}
	if (dup)
		return dp_err_set(err, EINVAL, "%s: duplicate \"%s\" option",
				  spec->name, opt);
	return 0;
}

/* "NAME[,KEY=VALUE]..." into 'spec'.  With 'adding', options are checked
 * against the type given (set-if checks them against the port's type). */
static int parse_if_spec(const char *arg, struct if_spec *spec, bool adding,
			 struct dp_err *err)
{
	char *save = NULL, *opt;
	int error;

	memset(spec, 0, sizeof *spec);
	spec->copy = strdup(arg);
	if (!spec->copy)
		return dp_err_set(err, ENOMEM, "out of memory");
	spec->name = strtok_r(spec->copy, ",", &save);
	if (!spec->name || !*spec->name)
		return dp_err_set(err, EINVAL, "'%s' is not a valid network device "
				  "name", arg);
	if (strlen(spec->name) >= IFNAMSIZ)
		return dp_err_set(err, EINVAL, "%s: device name longer than %d "
				  "characters", spec->name, IFNAMSIZ - 1);
	while ((opt = strtok_r(NULL, ",", &save))) {
		char *val = strchr(opt, '=');

		if (val)
			*val++ = '\0';
		else
			val = opt + strlen(opt);
		error = parse_option(spec, opt, val, err);
		if (error)
			return error;
	}
	if (!spec->has_type)
		spec->type = OVS_VPORT_TYPE_NETDEV;
	if (!adding)
		return 0;
	if ((spec->has_dst_port || spec->has_exts) && !has_options(spec->type))
		return dp_err_set(err, EINVAL, "%s: dst_port and exts are options "
				  "of vxlan and geneve ports only", spec->name);
	if (spec->has_exts && spec->type != OVS_VPORT_TYPE_VXLAN)
		return dp_err_set(err, EINVAL, "%s: exts is an option of vxlan "
				  "ports only", spec->name);
	return 0;
}

static void free_specs(struct if_spec *specs, int n)
{
	int i;

	for (i = 0; specs && i < n; i++)
		free(specs[i].copy);
	free(specs);
}

/* Parse every argument; print every error.  NULL if any was wrong. */
static struct if_spec *parse_all(struct cli_ctx *ctx, int n, char **args,
				 bool adding)
{
	struct if_spec *specs = calloc((size_t)n + 1, sizeof *specs);
	struct dp_err err;
	int i, j, bad = 0;

	if (!specs) {
		cli_error(ctx, "out of memory");
		return NULL;
	}
	for (i = 0; i < n; i++) {
		dp_err_clear(&err);
		if (parse_if_spec(args[i], &specs[i], adding, &err) < 0) {
			dpctl_fail(ctx, &err);
			bad++;
			continue;
		}
		for (j = 0; j < i; j++) {
			if (specs[j].name && !strcmp(specs[j].name, specs[i].name)) {
				cli_error(ctx, "%s: given twice", specs[i].name);
				bad++;
				break;
			}
		}
	}
	if (bad) {
		free_specs(specs, n);
		return NULL;
	}
	return specs;
}

int dpctl_check_if_args(struct cli_ctx *ctx, int n, char **args)
{
	struct if_spec *specs = parse_all(ctx, n, args, true);

	if (!specs)
		return CLI_FAIL;
	free_specs(specs, n);
	return CLI_OK;
}

/* As ovs-dpctl does after adding a port: bring its device up. */
static int if_up(const char *name, struct dp_err *err)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), e = 0;

	if (fd < 0)
		return dp_err_set(err, errno, "%s: socket: %s", name,
				  strerror(errno));
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
		e = errno;
	} else if (!(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
			e = errno;
	}
	close(fd);
	if (e)
		return dp_err_set(err, e, "%s: failed to bring the interface up: "
				  "%s", name, strerror(e));
	return 0;
}

/* The request that adds (or re-adds) a port. */
static void port_spec(struct dpif_port_spec *ps, const struct if_spec *s)
{
	memset(ps, 0, sizeof *ps);
	ps->name = s->name;
	ps->type = s->type;
	ps->port_no = s->has_port_no ? s->port_no : DPIF_PORT_ANY;
	ps->gbp = s->gbp;
	if (has_options(s->type)) {
		/* The kernel needs the UDP port; default as ovs-vswitchd. */
		ps->has_dst_port = true;
		ps->dst_port = s->has_dst_port ? s->dst_port :
			       s->type == OVS_VPORT_TYPE_VXLAN ?
			       DPCTL_VXLAN_PORT : DPCTL_GENEVE_PORT;
	}
}

int dpctl_add_ifs(struct cli_ctx *ctx, struct dpif *dp, int n, char **args)
{
	struct if_spec *specs = parse_all(ctx, n, args, true);
	struct dpif_port_spec ps;
	struct dpif_port old;
	struct dp_err err;
	int i, j, rc = CLI_OK;

	if (!specs)
		return CLI_FAIL;
	/* Say precisely what the kernel's EBUSY would leave vague. */
	for (i = 0; i < n; i++) {
		const struct if_spec *s = &specs[i];

		if (!dpif_port_get(dp, s->name, 0, &old, NULL)) {
			rc = cli_error(ctx, "%s: already port %u of %s", s->name,
				       old.port_no, dpif_name(dp));
		} else if (s->has_port_no &&
			   !dpif_port_get(dp, NULL, s->port_no, &old, NULL)) {
			rc = cli_error(ctx, "%s: port number %u is in use by %s",
				       s->name, s->port_no, old.name);
		}
		for (j = 0; j < i && s->has_port_no; j++)
			if (specs[j].has_port_no && specs[j].port_no == s->port_no)
				rc = cli_error(ctx, "%s: port number %u is given "
					       "twice", s->name, s->port_no);
	}
	for (i = 0; i < n && !rc; i++) {
		dp_err_clear(&err);
		port_spec(&ps, &specs[i]);
		if (dpif_port_add(dp, &ps, &specs[i].port_no, &err) < 0) {
			for (j = i; j-- > 0;)
				dpif_port_del(dp, specs[j].port_no, NULL);
			rc = cli_error(ctx, "%s%s", dp_err_str(&err), i ?
				       " (the ports added before it were removed)" :
				       "");
			break;
		}
		specs[i].has_port_no = true;
	}
	for (i = 0; i < n && !rc; i++) {
		if (if_up(specs[i].name, &err) < 0)
			rc = dpctl_fail(ctx, &err);
	}
	free_specs(specs, n);
	return rc;
}

int cmd_add_if(struct cli_ctx *ctx, int argc, char **argv)
{
	struct dpif *dp;
	int rc;

	rc = dpctl_open(ctx, argv[1], &dp);
	if (rc)
		return rc;
	rc = dpctl_add_ifs(ctx, dp, argc - 2, argv + 2);
	dpif_close(dp);
	return rc;
}

/* Check a set-if argument against its port; CLI_OK if it may apply. */
static int check_set(struct cli_ctx *ctx, struct dpif *dp, struct if_spec *s)
{
	const struct dpif_port *cur = &s->cur;

	if (dpif_port_get(dp, s->name, 0, &s->cur, NULL) < 0)
		return cli_error(ctx, "%s: no such port in %s", s->name,
				 dpif_name(dp));
	if (s->has_type && s->type != cur->type)
		return cli_error(ctx, "%s: can't change type from %s to %s",
				 s->name, dpctl_port_type(cur->type), s->type_str);
	if (s->has_port_no && s->port_no != cur->port_no)
		return cli_error(ctx, "%s: can't change port number from %u to %u",
				 s->name, cur->port_no, s->port_no);
	if ((s->has_dst_port || s->has_exts) && !has_options(cur->type))
		return cli_error(ctx, "%s: a %s port has no options", s->name,
				 dpctl_port_type(cur->type));
	return CLI_OK;
}

static int set_options(struct dpif *dp, const char *name, uint16_t dst_port,
		       bool gbp, struct dp_err *err)
{
	struct dpif_port_spec ps;

	memset(&ps, 0, sizeof ps);
	ps.name = name;
	ps.has_dst_port = true;
	ps.dst_port = dst_port;
	ps.gbp = gbp;
	return dpif_port_set(dp, &ps, err);
}

int cmd_set_if(struct cli_ctx *ctx, int argc, char **argv)
{
	int n = argc - 2, i, j, rc, r;
	struct if_spec *specs;
	struct dp_err err;
	struct dpif *dp;

	rc = dpctl_open(ctx, argv[1], &dp);
	if (rc)
		return rc;
	specs = parse_all(ctx, n, argv + 2, false);
	if (!specs) {
		dpif_close(dp);
		return CLI_FAIL;
	}
	for (i = 0; i < n; i++) {
		r = check_set(ctx, dp, &specs[i]);
		if (r > rc)
			rc = r;
	}
	for (i = 0; i < n && !rc; i++) {
		struct if_spec *s = &specs[i];
		uint16_t port = s->has_dst_port ? s->dst_port : s->cur.dst_port;
		bool gbp = s->has_exts ? s->gbp : s->cur.gbp;

		if (port == s->cur.dst_port && gbp == s->cur.gbp)
			continue;               /* nothing changes */
		dp_err_clear(&err);
		if (set_options(dp, s->name, port, gbp, &err) < 0) {
			for (j = i; j-- > 0;)
				if (specs[j].done)
					set_options(dp, specs[j].name,
						    specs[j].cur.dst_port,
						    specs[j].cur.gbp, NULL);
			rc = dpctl_fail(ctx, &err);
			break;
		}
		s->done = true;
	}
	free_specs(specs, n);
	dpif_close(dp);
	return rc;
}

/* Find a del-if argument's port, by number or name. */
static int find_del(struct cli_ctx *ctx, struct dpif *dp, const char *arg,
		    struct dpif_port *port)
{
	unsigned long no;

	if (arg[strspn(arg, "0123456789")] == '\0' &&
	    !parse_uint(arg, UINT32_MAX, &no)) {
		if (dpif_port_get(dp, NULL, (uint32_t)no, port, NULL) < 0)
			return cli_error(ctx, "%s: no such port in %s", arg,
					 dpif_name(dp));
	} else if (dpif_port_get(dp, arg, 0, port, NULL) < 0) {
		return cli_error(ctx, "%s: no such port in %s", arg,
				 dpif_name(dp));
	}
	if (port->port_no == 0)
		return cli_error(ctx, "%s: port 0 is the datapath's local port: "
				 "delete the datapath instead", arg);
	return CLI_OK;
}

int cmd_del_if(struct cli_ctx *ctx, int argc, char **argv)
{
	int n = argc - 2, i, j, rc, r;
	struct dpif_port_spec ps;
	struct dpif_port *ports;
	struct dp_err err;
	struct dpif *dp;

	rc = dpctl_open(ctx, argv[1], &dp);
	if (rc)
		return rc;
	ports = calloc((size_t)n, sizeof *ports);
	if (!ports) {
		dpif_close(dp);
		return cli_error(ctx, "out of memory");
	}
	for (i = 0; i < n; i++) {
		r = find_del(ctx, dp, argv[i + 2], &ports[i]);
		for (j = 0; j < i && !r; j++)
			if (ports[j].port_no == ports[i].port_no)
				r = cli_error(ctx, "%s: port %u is given twice",
					      argv[i + 2], ports[i].port_no);
		if (r > rc)
			rc = r;
	}
	for (i = 0; i < n && !rc; i++) {
		dp_err_clear(&err);
		if (dpif_port_del(dp, ports[i].port_no, &err) == 0)
			continue;
		/* Put the deleted ports back as they were. */
		for (j = i; j-- > 0;) {
			memset(&ps, 0, sizeof ps);
			ps.name = ports[j].name;
			ps.type = ports[j].type;
			ps.port_no = ports[j].port_no;
			ps.has_dst_port = ports[j].has_dst_port;
			ps.dst_port = ports[j].dst_port;
			ps.gbp = ports[j].gbp;
			ps.upcall_pids = ports[j].upcall_pids;
			ps.n_upcall_pids = ports[j].n_upcall_pids;
			dpif_port_add(dp, &ps, NULL, NULL);
		}
		rc = dpctl_fail(ctx, &err);
	}
	free(ports);
	dpif_close(dp);
	return rc;
}

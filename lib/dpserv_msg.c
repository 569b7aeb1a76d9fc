/*
 * dpserv_msg.c - from datagrams to requests and back: generic netlink
 * dispatch, the kernel's attribute policies, permissions, acks with
 * extended ACK, dumps, notifications; and the two families that are not
 * openvswitch's: nlctrl (family lookup) and the socket options.
 *
 * The order of checks is the kernel's (netlink_rcv_skb, genl_rcv_msg,
 * the liberal __nla_validate_parse), so a bad request gets the errno the
 * kernel would give it: ENOENT for an unknown family, EINVAL for a message
 * shorter than its headers, EOPNOTSUPP for an unknown command or a missing
 * doit/dumpit, EPERM, then the attribute policy (ERANGE/EINVAL), then the
 * command itself.
 */
#include "dpserv_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* --- families -------------------------------------------------------------- */

#define U32 { DS_POL_U32, 0, false, 0, 0 }
#define NESTED { DS_POL_NESTED, 0, false, 0, 0 }
#define FLAG { DS_POL_FLAG, 0, false, 0, 0 }
#define NAME15 { DS_POL_NUL_STRING, IFNAMSIZ - 1, false, 0, 0 }

static const struct ds_policy dp_policy[OVS_DP_ATTR_MAX + 1] = {
	[OVS_DP_ATTR_NAME] = NAME15,
	[OVS_DP_ATTR_UPCALL_PID] = U32,
	[OVS_DP_ATTR_USER_FEATURES] = U32,
	[OVS_DP_ATTR_MASKS_CACHE_SIZE] = { DS_POL_U32, 0, true, 0,
					   DS_MASKS_CACHE_MAX },
	[OVS_DP_ATTR_IFINDEX] = U32,
};

static const struct ds_policy vport_policy[OVS_VPORT_ATTR_MAX + 1] = {
	[OVS_VPORT_ATTR_NAME] = NAME15,
	[OVS_VPORT_ATTR_STATS] = { DS_POL_BINARY,
				   sizeof(struct ovs_vport_stats), false, 0, 0 },
	[OVS_VPORT_ATTR_PORT_NO] = U32,
	[OVS_VPORT_ATTR_TYPE] = U32,
	[OVS_VPORT_ATTR_OPTIONS] = NESTED,
	[OVS_VPORT_ATTR_IFINDEX] = U32,
	[OVS_VPORT_ATTR_NETNSID] = { DS_POL_S32, 0, false, 0, 0 },
};

static const struct ds_policy flow_policy[OVS_FLOW_ATTR_MAX + 1] = {
	[OVS_FLOW_ATTR_KEY] = NESTED,
	[OVS_FLOW_ATTR_MASK] = NESTED,
	[OVS_FLOW_ATTR_ACTIONS] = NESTED,
	[OVS_FLOW_ATTR_CLEAR] = FLAG,
	[OVS_FLOW_ATTR_PROBE] = FLAG,
	[OVS_FLOW_ATTR_UFID] = { DS_POL_BINARY, 1, false, 0, 0 },
	[OVS_FLOW_ATTR_UFID_FLAGS] = U32,
};

static const struct ds_policy packet_policy[OVS_PACKET_ATTR_MAX + 1] = {
	[OVS_PACKET_ATTR_PACKET] = { DS_POL_BINARY, 14, false, 0, 0 },
	[OVS_PACKET_ATTR_KEY] = NESTED,
	[OVS_PACKET_ATTR_ACTIONS] = NESTED,
	[OVS_PACKET_ATTR_PROBE] = FLAG,
	[OVS_PACKET_ATTR_MRU] = { DS_POL_U16, 0, false, 0, 0 },
	[OVS_PACKET_ATTR_HASH] = { DS_POL_U64, 0, false, 0, 0 },
};

static const struct ds_policy ctrl_policy[CTRL_ATTR_MAX + 1] = {
	[CTRL_ATTR_FAMILY_ID] = { DS_POL_U16, 0, false, 0, 0 },
	[CTRL_ATTR_FAMILY_NAME] = { DS_POL_NUL_STRING, GENL_NAMSIZ - 1,
				    false, 0, 0 },
};

static const struct ds_policy sockopt_policy[NL_SOCKOPT_ATTR_MAX + 1] = {
	[NL_SOCKOPT_ATTR_OPT] = U32,
	[NL_SOCKOPT_ATTR_VALUE] = U32,
};

static ds_doit ctrl_getfamily;
static ds_dumpit ctrl_dump;
static ds_doit sockopt_set, sockopt_get;

static const struct ds_op ctrl_ops[] = {
	{ CTRL_CMD_GETFAMILY, false, ctrl_getfamily, ctrl_dump },
};

static const struct ds_op sockopt_ops[] = {
	{ NL_SOCKOPT_CMD_SET, false, sockopt_set, NULL },
	{ NL_SOCKOPT_CMD_GET, false, sockopt_get, NULL },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

const struct ds_family ds_families[DS_N_FAMS] = {
	[DS_FAM_CTRL] = { "nlctrl", DS_ID_CTRL, 2, 0, CTRL_ATTR_MAX,
			  ctrl_policy, ctrl_ops, N(ctrl_ops), "notify",
			  DS_ID_CTRL },
	[DS_FAM_DP] = { OVS_DATAPATH_FAMILY, DS_ID_DP, OVS_DATAPATH_VERSION,
			sizeof(struct ovs_header), OVS_DP_ATTR_MAX, dp_policy,
			ds_dp_ops, N(ds_dp_ops), OVS_DATAPATH_MCGROUP,
			DS_GRP_DP },
	[DS_FAM_VPORT] = { OVS_VPORT_FAMILY, DS_ID_VPORT, OVS_VPORT_VERSION,
			   sizeof(struct ovs_header), OVS_VPORT_ATTR_MAX,
			   vport_policy, ds_vport_ops, N(ds_vport_ops),
			   OVS_VPORT_MCGROUP, DS_GRP_VPORT },
	[DS_FAM_FLOW] = { OVS_FLOW_FAMILY, DS_ID_FLOW, OVS_FLOW_VERSION,
			  sizeof(struct ovs_header), OVS_FLOW_ATTR_MAX,
			  flow_policy, ds_flow_ops, N(ds_flow_ops),
			  OVS_FLOW_MCGROUP, DS_GRP_FLOW },
	[DS_FAM_PACKET] = { OVS_PACKET_FAMILY, DS_ID_PACKET, OVS_PACKET_VERSION,
			    sizeof(struct ovs_header), OVS_PACKET_ATTR_MAX,
			    packet_policy, ds_packet_ops, N(ds_packet_ops),
			    NULL, 0 },
	[DS_FAM_SOCKOPT] = { NL_SOCKOPT_FAMILY, DS_ID_SOCKOPT,
			     NL_SOCKOPT_VERSION, 0, NL_SOCKOPT_ATTR_MAX,
			     sockopt_policy, sockopt_ops, N(sockopt_ops), NULL,
			     0 },
};

const struct ds_family *ds_family_by_id(uint16_t id)
{
	size_t i;

	for (i = 0; i < DS_N_FAMS; i++)
		if (ds_families[i].id == id)
			return &ds_families[i];
	return NULL;
}

const struct ds_family *ds_family_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < DS_N_FAMS; i++)
		if (!strcmp(ds_families[i].name, name))
			return &ds_families[i];
	return NULL;
}

/* --- building messages ------------------------------------------------------- */

size_t ds_msg_start(struct buf *b, const struct ds_family *fam, uint16_t flags,
		    uint32_t seq, uint32_t portid, uint8_t cmd)
{
	struct nlmsghdr nlh = {
		.nlmsg_type = fam->id, .nlmsg_flags = flags,
		.nlmsg_seq = seq, .nlmsg_pid = portid,
	};
	struct genlmsghdr g = { .cmd = cmd, .version = fam->version };
	size_t start = b->len;

	buf_put(b, &nlh, sizeof nlh);
	buf_put(b, &g, sizeof g);
	buf_put_zeros(b, NLMSG_ALIGN(fam->hdrsize));
	return start;
}

void *ds_msg_hdr(struct buf *b, size_t start)
{
	return buf_ok(b) ? b->data + start + NLMSG_HDRLEN + GENL_HDRLEN : NULL;
}

void ds_msg_end(struct buf *b, size_t start)
{
	uint32_t len;

	if (!buf_ok(b))
		return;
	len = (uint32_t)(b->len - start);
	memcpy(b->data + start + offsetof(struct nlmsghdr, nlmsg_len), &len,
	       sizeof len);
}

size_t ds_reply_start(struct ds_req *r, struct buf *b, uint8_t cmd)
{
	return ds_msg_start(b, r->fam, 0, r->nlh->nlmsg_seq, r->c->portid, cmd);
}

int ds_req_ifindex(const struct ds_req *r)
{
	struct ovs_header h;

	memcpy(&h, r->hdr, sizeof h);
	return h.dp_ifindex;
}

uint32_t ds_get_u32(const struct nlattr *a, uint32_t def)
{
	return a ? na_get_u32(a) : def;
}

/* --- extended ACK --------------------------------------------------------------- */

int ds_err(struct ds_req *r, int code, const struct nlattr *bad,
	   const char *fmt, ...)
{
	va_list ap;

	(void)bad;
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof r->why, fmt, ap);
	va_end(ap);
	return code < 0 ? code : -code;
}

int ds_ext(struct ds_req *r, int code, const struct nlattr *bad,
	   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof r->msg, fmt, ap);
	va_end(ap);
	r->bad = bad;
	return code < 0 ? code : -code;
}

int ds_missing(struct ds_req *r, uint16_t type, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->why, sizeof r->why, fmt, ap);
	va_end(ap);
	(void)type;
	return -EINVAL;
}

/* NLMSGERR_ATTR_POLICY: the policy an attribute failed, as
 * netlink_policy_dump_write_attr() describes it (nothing for the kernel's
 * NLA_UNSPEC policies). */
static void put_policy(struct buf *b, const struct ds_policy *p)
{
	size_t nest;
	uint32_t type;

	switch (p->type) {
	case DS_POL_U8: type = NL_ATTR_TYPE_U8; break;
	case DS_POL_U16: type = NL_ATTR_TYPE_U16; break;
	case DS_POL_U32: type = NL_ATTR_TYPE_U32; break;
	case DS_POL_U64: type = NL_ATTR_TYPE_U64; break;
	case DS_POL_S32: type = NL_ATTR_TYPE_S32; break;
	case DS_POL_FLAG: type = NL_ATTR_TYPE_FLAG; break;
	case DS_POL_NESTED: type = NL_ATTR_TYPE_NESTED; break;
	case DS_POL_NUL_STRING: type = NL_ATTR_TYPE_NUL_STRING; break;
	default:
		return;
	}
	nest = na_nest_start(b, NLMSGERR_ATTR_POLICY);
	if (type >= NL_ATTR_TYPE_U8 && type <= NL_ATTR_TYPE_U64) {
		static const uint64_t max[] = { 0xff, 0xffff, 0xffffffff,
						UINT64_MAX };

		na_put_u64(b, NL_POLICY_TYPE_ATTR_MIN_VALUE_U, p->range ? p->min : 0);
		na_put_u64(b, NL_POLICY_TYPE_ATTR_MAX_VALUE_U, p->range ? p->max
			   : max[type - NL_ATTR_TYPE_U8]);
	} else if (type == NL_ATTR_TYPE_S32) {
		na_put_u64(b, NL_POLICY_TYPE_ATTR_MIN_VALUE_S, (uint64_t)(int64_t)INT32_MIN);
		na_put_u64(b, NL_POLICY_TYPE_ATTR_MAX_VALUE_S, (uint64_t)INT32_MAX);
	} else if (type == NL_ATTR_TYPE_NUL_STRING && p->len) {
		na_put_u32(b, NL_POLICY_TYPE_ATTR_MAX_LENGTH, p->len);
	}
	na_put_u32(b, NL_POLICY_TYPE_ATTR_TYPE, type);
	na_nest_end(b, nest);
}

/* NLMSG_ERROR for 'nlh' as netlink_ack() builds it. */
static void put_ack(struct dpserv_client *c, struct buf *b,
		    const struct nlmsghdr *nlh, int error, const char *msg,
		    const void *bad, const struct ds_policy *pol)
{
	struct nlmsghdr h = {
		.nlmsg_type = NLMSG_ERROR, .nlmsg_seq = nlh->nlmsg_seq,
		.nlmsg_pid = c->portid,
	};
	struct nlmsgerr e;
	size_t start = b->len, echo = 0;
	bool tlvs = false;

	if (error && !c->cap_ack)
		echo = nlh->nlmsg_len - NLMSG_HDRLEN;
	else
		h.nlmsg_flags |= NLM_F_CAPPED;
	if (c->ext_ack && ((msg && msg[0]) || (error && bad)))
		tlvs = true;
	if (tlvs)
		h.nlmsg_flags |= NLM_F_ACK_TLVS;
	buf_put(b, &h, sizeof h);
	memset(&e, 0, sizeof e);
	e.error = error;
	memcpy(&e.msg, nlh, sizeof e.msg);
	buf_put(b, &e, sizeof e);
	if (echo) {
		buf_put(b, (const uint8_t *)nlh + NLMSG_HDRLEN, echo);
		buf_put_zeros(b, NLMSG_ALIGN(b->len) - b->len);
	}
	if (tlvs) {
		if (msg && msg[0])
			na_put_str(b, NLMSGERR_ATTR_MSG, msg);
		if (error && bad)
			na_put_u32(b, NLMSGERR_ATTR_OFFS, (uint32_t)
				   ((const uint8_t *)bad - (const uint8_t *)nlh));
		if (error && pol)
			put_policy(b, pol);
	}
	ds_msg_end(b, start);
}

/* An answer to bytes that are not a well-formed message. */
static void malformed(struct dpserv *srv, struct dpserv_client *c,
		      const struct nlmsghdr *nlh, int error, const char *msg)
{
	struct nlmsghdr zero;
	struct buf *b = &srv->out;

	if (!nlh) {
		memset(&zero, 0, sizeof zero);
		nlh = &zero;
	}
	/* Never echo a request whose length is a lie. */
	buf_clear(b);
	{
		bool cap = c->cap_ack;

		c->cap_ack = true;
		put_ack(c, b, nlh, error, msg, NULL, NULL);
		c->cap_ack = cap;
	}
	srv->stats.n_errors++;
	dp_log_rl(srv->log, &srv->rl, DP_LOG_DBG, "client %u: %s", c->portid,
		  msg);
	if (buf_ok(b))
		ds_send(srv, c, b->data, b->len, DS_REPLY);
}

/* --- attributes ------------------------------------------------------------------- */

/* validate_nla() of the kernel, liberal mode. */
static int check_attr(struct ds_req *r, const struct nlattr *a,
		      const struct ds_policy *p)
{
	size_t len = na_len(a);
	const char *s = na_data(a);
	size_t min = 0;

	switch (p->type) {
	case DS_POL_NONE:
		return 0;
	case DS_POL_FLAG:
		if (len > 0)
			goto bad;
		return 0;
	case DS_POL_NESTED:
		if (len && len < NA_HDRLEN)
			goto bad;
		return 0;
	case DS_POL_NUL_STRING:
		min = p->len && p->len + 1u < len ? p->len + 1u : len;
		if (!min || !memchr(s, '\0', min)) {
			ds_ext(r, EINVAL, a, "Attribute failed policy validation");
			r->pol = p;
			return -EINVAL;
		}
		if (p->len) {
			if (s[len - 1] == '\0')
				len--;
			if (len > p->len)
				goto bad;
		}
		return 0;
	case DS_POL_BINARY:
		min = p->len;
		break;
	case DS_POL_U8: min = 1; break;
	case DS_POL_U16: min = 2; break;
	case DS_POL_U32: min = 4; break;
	case DS_POL_U64: min = 8; break;
	case DS_POL_S32: min = 4; break;
	}
	if (len < min)
		goto bad;
	if (p->range && p->type == DS_POL_U32 &&
	    (na_get_u32(a) < p->min || na_get_u32(a) > p->max)) {
		ds_ext(r, ERANGE, a, "integer out of range");
		r->pol = p;
		return -ERANGE;
	}
	return 0;
bad:
	ds_ext(r, ERANGE, a, "Attribute failed policy validation");
	r->pol = p;
	return -ERANGE;
}

/* __nla_validate_parse(), liberal: unknown types are skipped, a later
 * duplicate wins, trailing bytes are only a warning. */
static int parse_attrs(struct ds_req *r)
{
	const struct ds_family *f = r->fam;
	size_t hdr = NLMSG_HDRLEN + GENL_HDRLEN + NLMSG_ALIGN(f->hdrsize);
	const uint8_t *head = (const uint8_t *)r->nlh + hdr;
	size_t len = r->nlh->nlmsg_len > hdr ? r->nlh->nlmsg_len - hdr : 0;
	const struct nlattr *a;
	size_t rem;
	int e;

	memset(r->tb, 0, sizeof r->tb);
	NA_FOR_EACH(a, head, len, rem) {
		uint16_t t = na_type(a);

		if (t == 0 || t > f->maxattr)
			continue;
		e = check_attr(r, a, &f->policy[t]);
		if (e < 0)
			return e;
		r->tb[t] = a;
	}
	if (rem)
		snprintf(r->msg, sizeof r->msg,
			 "bytes leftover after parsing attributes");
	return 0;
}

/* --- notifications ------------------------------------------------------------------ */

bool ds_must_notify(struct ds_req *r)
{
	const struct dpserv_client *c;
	uint32_t bit;

	if (r->nlh->nlmsg_flags & NLM_F_ECHO)
		return true;
	if (!r->fam->group_id || r->fam->group_id > DS_GRP_MAX)
		return false;
	bit = 1u << r->fam->group_id;
	for (c = r->srv->clients; c; c = c->next)
		if (!c->dead && (c->groups & bit))
			return true;
	return false;
}

void ds_multicast(struct dpserv *srv, const struct ds_family *fam,
		  const void *msg, size_t len, const struct dpserv_client *skip)
{
	struct dpserv_client *c;
	uint32_t bit;

	if (!fam->group_id || fam->group_id > DS_GRP_MAX)
		return;
	bit = 1u << fam->group_id;
	for (c = srv->clients; c; c = c->next) {
		if (c->dead || !(c->groups & bit) || c == skip)
			continue;
		if (ds_send(srv, c, msg, len, DS_NOTIFY) < 0) {
			c->n_dropped++;
			srv->stats.n_notify_dropped++;
		}
	}
}

void ds_notify(struct ds_req *r, struct buf *b, size_t start)
{
	bool echo = r->nlh->nlmsg_flags & NLM_F_ECHO;
	const uint8_t *msg;
	size_t len;

	if (!buf_ok(b))
		return;
	msg = b->data + start;
	len = b->len - start;
	if (echo && r->out != b)
		buf_put(r->out, msg, len);
	ds_multicast(r->srv, r->fam, msg, len, echo ? r->c : NULL);
}

/* --- dumps ----------------------------------------------------------------------------- */

void ds_dump_free(struct ds_dump *d)
{
	free(d);
}

static void put_done(struct buf *b, const struct ds_dump *d)
{
	struct nlmsghdr h = {
		.nlmsg_len = NLMSG_HDRLEN + sizeof(int),
		.nlmsg_type = NLMSG_DONE, .nlmsg_flags = NLM_F_MULTI,
		.nlmsg_seq = d->seq, .nlmsg_pid = d->portid,
	};

	buf_put(b, &h, sizeof h);
	buf_put(b, &d->error, sizeof d->error);
}

bool ds_dump_continue(struct dpserv *srv, struct dpserv_client *c)
{
	struct ds_dump *d = c->dump;
	struct buf *b = &srv->dump;
	int r;

	if (!d)
		return false;
	buf_clear(b);
	if (!d->done) {
		r = d->fill(srv, d, b, DS_DUMP_CHUNK);
		if (!buf_ok(b)) {
			buf_clear(b);
			r = -ENOMEM;
		}
		if (r <= 0) {
			d->done = true;
			d->error = r;
		}
	}
	if (d->done && (!b->len || b->len + NLMSG_SPACE(sizeof(int)) <=
			DS_DUMP_CHUNK)) {
		put_done(b, d);
		ds_dump_free(d);
		c->dump = NULL;
	}
	if (buf_ok(b) && b->len)
		ds_send(srv, c, b->data, b->len, DS_REPLY);
	return true;
}

static int dump_start(struct ds_req *r, const struct ds_op *op)
{
	struct ds_dump *d;

	if (r->c->dump)
		return ds_err(r, EBUSY, NULL, "a dump is in progress on this "
			      "socket");
	d = calloc(1, sizeof *d);
	if (!d)
		return -ENOMEM;
	d->fam = r->fam;
	d->fill = op->dumpit;
	d->seq = r->nlh->nlmsg_seq;
	d->portid = r->c->portid;
	d->cmd = r->cmd;
	if (r->fam->hdrsize >= sizeof(struct ovs_header))
		d->dp_ifindex = ds_req_ifindex(r);
	/* ovs_flow_cmd_dump() reads its attributes itself, without extack:
	 * a bad one ends the dump with its errno. */
	if (r->fam == &ds_families[DS_FAM_FLOW]) {
		int e = parse_attrs(r);

		if (e < 0) {
			d->done = true;
			d->error = e;
		} else {
			d->ufid_flags = ds_get_u32(r->tb[OVS_FLOW_ATTR_UFID_FLAGS], 0);
		}
	}
	r->c->dump = d;
	ds_dump_continue(r->srv, r->c);
	return -EINTR;          /* started: no ack, NLMSG_DONE ends it */
}

/* --- dispatch ---------------------------------------------------------------------------- */

static int genl_rcv(struct ds_req *r)
{
	const struct nlmsghdr *nlh = r->nlh;
	const struct genlmsghdr *g;
	const struct ds_op *op = NULL;
	size_t i;
	int e;

	r->fam = ds_family_by_id(nlh->nlmsg_type);
	if (!r->fam)
		return ds_err(r, ENOENT, NULL, "no generic netlink family "
			      "with id %u", nlh->nlmsg_type);
	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN + r->fam->hdrsize)
		return ds_err(r, EINVAL, NULL, "message too short for the "
			      "%s headers", r->fam->name);
	g = (const struct genlmsghdr *)((const uint8_t *)nlh + NLMSG_HDRLEN);
	r->cmd = g->cmd;
	r->version = g->version;
	r->hdr = (const uint8_t *)g + GENL_HDRLEN;
	for (i = 0; i < r->fam->n_ops; i++)
		if (r->fam->ops[i].cmd == g->cmd)
			op = &r->fam->ops[i];
	if (!op)
		return ds_err(r, EOPNOTSUPP, NULL, "%s has no command %u",
			      r->fam->name, g->cmd);
	if (op->admin && !r->c->privileged)
		return ds_err(r, EPERM, NULL, "this command needs "
			      "CAP_NET_ADMIN");
	if ((nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP) {
		if (!op->dumpit)
			return ds_err(r, EOPNOTSUPP, NULL, "command %u of %s "
				      "cannot dump", g->cmd, r->fam->name);
		return dump_start(r, op);
	}
	if (!op->doit)
		return ds_err(r, EOPNOTSUPP, NULL, "command %u of %s needs "
			      "NLM_F_DUMP", g->cmd, r->fam->name);
	e = parse_attrs(r);
	if (e < 0)
		return e;
	return op->doit(r);
}

static void handle_msg(struct dpserv *srv, struct dpserv_client *c,
		       const struct nlmsghdr *nlh)
{
	struct ds_req r;
	int e = 0;

	srv->stats.n_requests++;
	memset(&r, 0, sizeof r);
	r.srv = srv;
	r.c = c;
	r.nlh = nlh;
	r.out = &srv->out;
	buf_clear(&srv->out);
	/* Only requests are handled; control messages (NLMSG_NOOP...) are
	 * acked if asked, which tells a client its portid. */
	if ((nlh->nlmsg_flags & NLM_F_REQUEST) && nlh->nlmsg_type >= NLMSG_MIN_TYPE)
		e = genl_rcv(&r);
	if (c->dead)
		return;
	if (e == -EINTR)
		return;
	if (e < 0) {
		srv->stats.n_errors++;
		dp_log_rl(srv->log, &srv->rl, DP_LOG_DBG,
			  "client %u: type %u cmd %u: %s%s%s", c->portid,
			  nlh->nlmsg_type, r.cmd, strerror(-e),
			  r.why[0] || r.msg[0] ? ": " : "",
			  r.why[0] ? r.why : r.msg);
	}
	if (!buf_ok(&srv->out)) {
		buf_clear(&srv->out);
		e = -ENOMEM;
	}
	/* The reply and the ack are two datagrams, as the kernel's two
	 * skbs: a client may read them one recv() each. */
	if (srv->out.len && !e)
		ds_send(srv, c, srv->out.data, srv->out.len, DS_REPLY);
	if (c->dead || (!(nlh->nlmsg_flags & NLM_F_ACK) && !e))
		return;
	buf_clear(&srv->out);
	put_ack(c, &srv->out, nlh, e, r.msg, r.bad, r.pol);
	if (buf_ok(&srv->out))
		ds_send(srv, c, srv->out.data, srv->out.len, DS_REPLY);
}

void ds_handle_datagram(struct dpserv *srv, struct dpserv_client *c,
			const uint8_t *data, size_t len, bool truncated)
{
	size_t off = 0;
	char msg[128];

	if (len < NLMSG_HDRLEN) {
		snprintf(msg, sizeof msg, "datagram of %zu bytes is shorter "
			 "than a netlink message header", len);
		malformed(srv, c, NULL, -EINVAL, msg);
		return;
	}
	while (len - off >= NLMSG_HDRLEN && !c->dead) {
		const struct nlmsghdr *nlh = (const void *)(data + off);

		if (truncated && nlh->nlmsg_len > len - off) {
			snprintf(msg, sizeof msg, "datagram longer than %d "
				 "bytes", DS_RX_MAX);
			malformed(srv, c, nlh, -EMSGSIZE, msg);
			return;
		}
		if (nlh->nlmsg_len < NLMSG_HDRLEN || nlh->nlmsg_len > len - off) {
			snprintf(msg, sizeof msg, "nlmsg_len %u does not fit "
				 "the %zu bytes left in the datagram",
				 nlh->nlmsg_len, len - off);
			malformed(srv, c, nlh, -EINVAL, msg);
			return;
		}
		handle_msg(srv, c, nlh);
		off += NLMSG_ALIGN(nlh->nlmsg_len);
		if (off > len)
			break;
	}
}

/* --- nlctrl --------------------------------------------------------------------------------- */

static void put_family(struct buf *b, const struct ds_family *f, uint16_t flags,
		       uint32_t seq, uint32_t portid)
{
	size_t start = ds_msg_start(b, &ds_families[DS_FAM_CTRL], flags, seq,
				    portid, CTRL_CMD_NEWFAMILY);
	size_t ops, grps, nest;
	size_t i;

	na_put_str(b, CTRL_ATTR_FAMILY_NAME, f->name);
	na_put_u16(b, CTRL_ATTR_FAMILY_ID, f->id);
	na_put_u32(b, CTRL_ATTR_VERSION, f->version);
	na_put_u32(b, CTRL_ATTR_HDRSIZE, f->hdrsize);
	na_put_u32(b, CTRL_ATTR_MAXATTR, f->maxattr);
	ops = b->len;
	na_put(b, CTRL_ATTR_OPS, NULL, 0);
	for (i = 0; i < f->n_ops; i++) {
		const struct ds_op *op = &f->ops[i];
		uint32_t fl = GENL_CMD_CAP_HASPOL;

		if (op->admin)
			fl |= GENL_UNS_ADMIN_PERM;
		if (op->doit)
			fl |= GENL_CMD_CAP_DO;
		if (op->dumpit)
			fl |= GENL_CMD_CAP_DUMP;
		nest = b->len;
		na_put(b, (uint16_t)(i + 1), NULL, 0);
		na_put_u32(b, CTRL_ATTR_OP_ID, op->cmd);
		na_put_u32(b, CTRL_ATTR_OP_FLAGS, fl);
		na_nest_end(b, nest);
	}
	na_nest_end(b, ops);
	if (f->group) {
		grps = b->len;
		na_put(b, CTRL_ATTR_MCAST_GROUPS, NULL, 0);
		nest = b->len;
		na_put(b, 1, NULL, 0);
		na_put_u32(b, CTRL_ATTR_MCAST_GRP_ID, f->group_id);
		na_put_str(b, CTRL_ATTR_MCAST_GRP_NAME, f->group);
		na_nest_end(b, nest);
		na_nest_end(b, grps);
	}
	ds_msg_end(b, start);
}

static int ctrl_getfamily(struct ds_req *r)
{
	const struct ds_family *f = NULL;
	int e = -EINVAL;

	if (r->tb[CTRL_ATTR_FAMILY_ID]) {
		f = ds_family_by_id(na_get_u16(r->tb[CTRL_ATTR_FAMILY_ID]));
		e = -ENOENT;
	}
	if (r->tb[CTRL_ATTR_FAMILY_NAME]) {
		f = ds_family_by_name(na_data(r->tb[CTRL_ATTR_FAMILY_NAME]));
		e = -ENOENT;
	}
	if (!f) {
		if (e == -ENOENT)
			return ds_err(r, ENOENT, NULL, "no such family here");
		return ds_missing(r, CTRL_ATTR_FAMILY_NAME, "family name or "
				  "id missing");
	}
	put_family(r->out, f, 0, r->nlh->nlmsg_seq, r->c->portid);
	return 0;
}

static int ctrl_dump(struct dpserv *srv, struct ds_dump *d, struct buf *out,
		     size_t limit)
{
	(void)srv;
	while (d->cur[0] < DS_N_FAMS) {
		size_t before = out->len;

		put_family(out, &ds_families[d->cur[0]], NLM_F_MULTI, d->seq,
			   d->portid);
		if (out->len > limit && before) {
			buf_truncate(out, before);
			return 1;
		}
		d->cur[0]++;
	}
	return 0;
}

/* --- socket options ------------------------------------------------------------------------- */

static int sockopt_args(struct ds_req *r, uint32_t *opt)
{
	if (!r->tb[NL_SOCKOPT_ATTR_OPT])
		return ds_missing(r, NL_SOCKOPT_ATTR_OPT, "which option?");
	*opt = na_get_u32(r->tb[NL_SOCKOPT_ATTR_OPT]);
	return 0;
}

static int sockopt_set(struct ds_req *r)
{
	const struct nlattr *va = r->tb[NL_SOCKOPT_ATTR_VALUE];
	struct dpserv_client *c = r->c;
	uint32_t opt = 0, v;
	int e = sockopt_args(r, &opt);

	if (e < 0)
		return e;
	if (!va)
		return ds_missing(r, NL_SOCKOPT_ATTR_VALUE, "no value");
	v = na_get_u32(va);
	switch (opt) {
	case NETLINK_ADD_MEMBERSHIP:
	case NETLINK_DROP_MEMBERSHIP:
		if (v == 0 || v > DS_GRP_MAX)
			return ds_ext(r, EINVAL, va, "no multicast group %u", v);
		if (opt == NETLINK_ADD_MEMBERSHIP)
			c->groups |= 1u << v;
		else
			c->groups &= ~(1u << v);
		return 0;
	case NETLINK_EXT_ACK:
		c->ext_ack = v != 0;
		return 0;
	case NETLINK_CAP_ACK:
		c->cap_ack = v != 0;
		return 0;
	case NETLINK_NO_ENOBUFS:
		return 0;       /* overruns are never reported: nothing to do */
	default:
		return ds_ext(r, ENOPROTOOPT, r->tb[NL_SOCKOPT_ATTR_OPT],
			      "option %u is not supported", opt);
	}
}

static int sockopt_get(struct ds_req *r)
{
	struct dpserv_client *c = r->c;
	uint32_t opt = 0, v;
	size_t start;
	int e = sockopt_args(r, &opt);

	if (e < 0)
		return e;
	switch (opt) {
	case NETLINK_EXT_ACK: v = c->ext_ack; break;
	case NETLINK_CAP_ACK: v = c->cap_ack; break;
	case NETLINK_LIST_MEMBERSHIPS: v = c->groups >> 1; break;
	default:
		return ds_ext(r, ENOPROTOOPT, r->tb[NL_SOCKOPT_ATTR_OPT],
			      "option %u cannot be read", opt);
	}
	start = ds_reply_start(r, r->out, NL_SOCKOPT_CMD_GET);
	na_put_u32(r->out, NL_SOCKOPT_ATTR_OPT, opt);
	na_put_u32(r->out, NL_SOCKOPT_ATTR_VALUE, v);
	ds_msg_end(r->out, start);
	return 0;
}

/*
 * sp_datapath.c - the slow path's view of the userspace datapath in this
 * process: its flow table is walked and changed in place.
 */
#include "sp_datapath.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "flowtab.h"

static int dp_exec(struct sp_datapath *spd, const void *frame, uint32_t len,
		   const struct dp_key *md, const void *acts, size_t acts_len,
		   uint16_t mru, struct dp_err *err)
{
	return dp_execute_packet(spd->dp, frame, len, md, acts, acts_len, mru,
				 err);
}

static int dp_put(struct sp_datapath *spd, const struct dp_key *key,
		  const struct dp_key *mask, const void *acts, size_t acts_len,
		  const uint8_t ufid[16], struct dp_err *err)
{
	return dp_flow_put(spd->dp, key, mask, acts, acts_len, ufid, NULL,
			   err);
}

static size_t dp_count(struct sp_datapath *spd)
{
	return flowtab_count(dp_flowtab(spd->dp));
}

static void dp_walk(struct sp_datapath *spd, sp_flow_visit *cb, void *aux)
{
	struct flowtab *ft = dp_flowtab(spd->dp);
	struct flowtab_flow *f;
	uint64_t cursor = 0;
	struct sp_flow sf;
	const void *acts;
	size_t len;

	while ((f = flowtab_next(ft, &cursor))) {
		sf.key = &f->key;
		sf.mask = flowtab_flow_mask(f);
		sf.acts = f->acts;
		sf.acts_len = f->acts_len;
		sf.has_ufid = f->has_ufid;
		memcpy(sf.ufid, f->ufid, 16);
		sf.packets = f->stats.packets;
		sf.bytes = f->stats.bytes;
		sf.used = f->stats.used;
		switch (cb(aux, &sf, &acts, &len)) {
		case SP_KEEP:
			break;
		case SP_SET_ACTIONS:
			if (flowtab_set_actions(ft, f, acts, len) == 0)
				break;
			/* fall through */
		case SP_REMOVE:
			flowtab_remove(ft, f);
			break;
		}
	}
}

static int dp_port(struct sp_datapath *spd, uint32_t *cursor,
		   uint32_t *port_no, char name[IFNAMSIZ])
{
	struct dp_port_info pi;
	int e = dp_port_next(spd->dp, cursor, &pi);

	if (e < 0)
		return e;
	*port_no = pi.port_no;
	snprintf(name, IFNAMSIZ, "%s", pi.name);
	return 0;
}

static const struct sp_datapath_ops dp_ops = {
	dp_exec, dp_put, dp_count, dp_walk, dp_port,
};

void sp_datapath_of_dp(struct sp_datapath *spd, struct dp *dp)
{
	memset(spd, 0, sizeof *spd);
	spd->ops = &dp_ops;
	spd->dp = dp;
}

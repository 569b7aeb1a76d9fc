/* dpctl's flow and statistics output, as ovs-dpctl prints them. */
#include <string.h>
#include <time.h>

#include "dpctl.h"
#include "json.h"

uint64_t dpctl_now_ms(void)
{
	struct timespec ts;

	/* The datapaths report "used" on this clock (the kernel converts
	 * jiffies to it). */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void dpctl_tcp_flags_text(struct buf *out, uint16_t flags)
{
	static const struct { uint16_t bit; const char *s; } f[] = {
		{ 0x002, "S" }, { 0x001, "F" }, { 0x008, "P" }, { 0x004, "R" },
		{ 0x020, "U" }, { 0x010, "." }, { 0x040, "E" }, { 0x080, "C" },
		{ 0x100, "N" }, { 0x200, "[200]" }, { 0x400, "[400]" },
		{ 0x800, "[800]" },
	};
	size_t i;

	if (!flags) {
		buf_puts(out, "none");
		return;
	}
	for (i = 0; i < sizeof f / sizeof f[0]; i++)
		if (flags & f[i].bit)
			buf_puts(out, f[i].s);
}

static double used_ago(uint64_t used, uint64_t now_ms)
{
	return (double)((int64_t)(now_ms - used)) / 1000.0;
}

void dpctl_stats_text(struct buf *out, const struct dpif_flow_stats *st,
		      uint64_t now_ms)
{
	buf_printf(out, "packets:%llu, bytes:%llu, used:",
		   (unsigned long long)st->packets,
		   (unsigned long long)st->bytes);
	if (st->used)
		buf_printf(out, "%.3fs", used_ago(st->used, now_ms));
	else
		buf_puts(out, "never");
	if (st->tcp_flags) {
		buf_puts(out, ", flags:");
		dpctl_tcp_flags_text(out, st->tcp_flags);
	}
}

static unsigned fmt_flags(const struct cli_opts *o, const struct odp_names *names)
{
	return (o->more ? ODP_FMT_VERBOSE : 0) | (names ? ODP_FMT_NAMES : 0);
}

void dpctl_flow_text(struct buf *out, const struct dpif_flow *f,
		     const struct cli_opts *o, const struct odp_names *names,
		     bool stats, uint64_t now_ms)
{
	unsigned flags = fmt_flags(o, names);

	if (o->more && f->has_ufid) {
		odp_ufid_to_text(out, f->ufid);
		buf_puts(out, ", ");
	}
	odp_key_to_text(out, f->key, f->key_len, f->mask,
			f->mask ? f->mask_len : 0, flags, names);
	if (stats) {
		buf_puts(out, ", ");
		dpctl_stats_text(out, &f->stats, now_ms);
		if (o->more)
			buf_puts(out, ", dp:ovs");
	}
	buf_puts(out, ", actions:");
	odp_actions_to_text(out, f->actions, f->actions ? f->actions_len : 0,
			    flags, names);
}

void dpctl_flow_json(struct buf *out, const struct dpif_flow *f,
		     const struct cli_opts *o, const struct odp_names *names,
		     bool stats, uint64_t now_ms, const char *command)
{
	unsigned flags = fmt_flags(o, names);
	struct buf t = BUF_INIT;
	struct json j;

	json_init(&j, out);
	json_obj_start(&j);
	if (command)
		json_kv_str(&j, "command", command);
	if (f->has_ufid) {
		odp_ufid_to_text(&t, f->ufid);
		/* "ufid:" is syntax, not part of the identifier. */
		json_key(&j, "ufid");
		json_strn(&j, (const char *)t.data + 5, t.len - 5);
		buf_clear(&t);
	}
	odp_key_to_text(&t, f->key, f->key_len, f->mask,
			f->mask ? f->mask_len : 0, flags, names);
	json_key(&j, "key");
	json_strn(&j, (const char *)t.data, t.len);
	if (stats) {
		json_kv_u64(&j, "packets", f->stats.packets);
		json_kv_u64(&j, "bytes", f->stats.bytes);
		json_key(&j, "used");
		if (f->stats.used)
			json_double(&j, used_ago(f->stats.used, now_ms), 3);
		else
			json_null(&j);
		if (f->stats.tcp_flags) {
			buf_clear(&t);
			dpctl_tcp_flags_text(&t, f->stats.tcp_flags);
			json_key(&j, "flags");
			json_strn(&j, (const char *)t.data, t.len);
		}
	}
	if (!command || strcmp(command, "delete")) {
		buf_clear(&t);
		odp_actions_to_text(&t, f->actions,
				    f->actions ? f->actions_len : 0, flags, names);
		json_key(&j, "actions");
		json_strn(&j, (const char *)t.data, t.len);
	}
	json_obj_end(&j);
	buf_free(&t);
}

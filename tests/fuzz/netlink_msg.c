/* Fuzz the readers of netlink messages from a peer: the error/ack parser
 * with its extended ACK and attribute-path resolution, and the dpif
 * readers of datapath, port, flow and upcall messages. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dpif.h"
#include "netlink.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A request the offsets may point into: headers and a nest. */
	static const uint8_t req[] = {
		40, 0, 0, 0, 0x20, 0, 5, 0, 1, 0, 0, 0, 0, 0, 0, 0,
		1, 1, 0, 0, 0, 0, 0, 0,
		16, 0, 1, 0, 8, 0, 2, 0, 7, 0, 0, 0, 4, 0, 3, 0,
	};
	struct nl_ext_ack ack;
	struct dpif_dp_info dpi;
	struct dpif_port port;
	struct dpif_flow flow;
	struct dpif_upcall up;
	uint8_t *copy;
	size_t left = size;
	const struct nlmsghdr *m;

	/* Messages are read from an aligned buffer, as from a socket. */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	m = (const struct nlmsghdr *)(void *)copy;
	while (left >= sizeof *m && m->nlmsg_len >= sizeof *m &&
	       m->nlmsg_len <= left) {
		nl_parse_error(m, req, sizeof req, 4, &ack);
		dpif_dp_from_msg(m, &dpi);
		dpif_port_from_msg(m, &port);
		dpif_flow_from_msg(m, &flow);
		dpif_upcall_parse(m, &up);
		if (NLMSG_ALIGN(m->nlmsg_len) >= left)
			break;
		left -= NLMSG_ALIGN(m->nlmsg_len);
		m = (const struct nlmsghdr *)(const void *)
		    ((const uint8_t *)m + NLMSG_ALIGN(m->nlmsg_len));
	}
	free(copy);
	return 0;
}

/*
 * dpd-probe - hostile clients for dpd's tests, on raw sockets (no library
 * code between the bytes and dpd).
 *
 *   dpd-probe garbage [SOCKET]   malformed datagrams, unknown families and
 *                                commands, every command of every family
 *                                with random attributes, random bytes:
 *                                every request must be answered, and dpd
 *                                must still answer a good one at the end
 *   dpd-probe noread [SOCKET]    one client floods requests and never reads
 *                                its replies; another must still be served
 *
 * SOCKET defaults to $DPKIT_RUNDIR/dpd.sock (/run/dpkit/dpd.sock).  Prints
 * one summary line; exit status 0 if dpd behaved, 1 if not, 2 on usage or
 * setup errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/openvswitch.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static uint32_t rnd_state = 0x12345678;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static int connect_to(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof sun) < 0) {
		fprintf(stderr, "dpd-probe: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	return fd;
}

/* Wait up to 'ms' for a datagram holding a message with sequence 'seq'
 * (any reply if seq is 0).  1 if one came, 0 if not, -1 if closed. */
static int wait_reply(int fd, uint32_t seq, int ms)
{
	static uint8_t b[1 << 18];
	struct pollfd p = { .fd = fd, .events = POLLIN };

	while (poll(&p, 1, ms) > 0) {
		ssize_t n = recv(fd, b, sizeof b, MSG_DONTWAIT);
		const struct nlmsghdr *m = (const void *)b;
		int left = (int)n;

		if (n == 0)
			return -1;
		if (n < 0)
			continue;
		for (; NLMSG_OK(m, left); m = NLMSG_NEXT(m, left))
			if (!seq || m->nlmsg_seq == seq)
				return 1;
	}
	return 0;
}

struct req {
	uint8_t b[4096];
	size_t len;
};

static void req_start(struct req *r, uint16_t type, uint16_t flags,
		      uint8_t cmd, size_t hdrsize)
{
	struct nlmsghdr h = { .nlmsg_type = type, .nlmsg_flags = flags };
	struct genlmsghdr g = { .cmd = cmd, .version = 1 };

	memcpy(r->b, &h, sizeof h);
	memcpy(r->b + sizeof h, &g, sizeof g);
	memset(r->b + sizeof h + sizeof g, 0, hdrsize);
	r->len = sizeof h + sizeof g + hdrsize;
}

static void req_attr(struct req *r, uint16_t type, const void *d, size_t n)
{
	struct nlattr a = { .nla_len = (uint16_t)(4 + n), .nla_type = type };

	if (r->len + NLA_ALIGN(4 + n) > sizeof r->b)
		return;
	memcpy(r->b + r->len, &a, sizeof a);
	memcpy(r->b + r->len + 4, d, n);
	memset(r->b + r->len + 4 + n, 0, NLA_ALIGN(4 + n) - 4 - n);
	r->len += NLA_ALIGN(4 + n);
}

static uint32_t seq = 1;

static uint32_t req_send(int fd, struct req *r)
{
	struct nlmsghdr *h = (void *)r->b;

	h->nlmsg_len = (uint32_t)r->len;
	h->nlmsg_seq = ++seq;
	if (send(fd, r->b, r->len, MSG_NOSIGNAL) < 0)
		return 0;
	return seq;
}

static uint16_t family(int fd, const char *name)
{
	static uint8_t b[8192];
	struct req r;
	uint32_t s;
	ssize_t n;

	req_start(&r, GENL_ID_CTRL, NLM_F_REQUEST, CTRL_CMD_GETFAMILY, 0);
	req_attr(&r, CTRL_ATTR_FAMILY_NAME, name, strlen(name) + 1);
	s = req_send(fd, &r);
	for (;;) {
		const struct nlmsghdr *m = (const void *)b;
		int left;

		n = recv(fd, b, sizeof b, 0);
		if (n <= 0)
			return 0;
		left = (int)n;
		for (; NLMSG_OK(m, left); m = NLMSG_NEXT(m, left)) {
			const uint8_t *a = (const uint8_t *)m + NLMSG_HDRLEN +
					   GENL_HDRLEN;
			const uint8_t *end = (const uint8_t *)m + m->nlmsg_len;

			if (m->nlmsg_seq != s)
				continue;
			if (m->nlmsg_type == NLMSG_ERROR)
				return 0;
			while (a + 4 <= end) {
				struct nlattr at;

				memcpy(&at, a, sizeof at);
				if (at.nla_len < 4)
					break;
				if (at.nla_type == CTRL_ATTR_FAMILY_ID) {
					uint16_t id;

					memcpy(&id, a + 4, 2);
					return id;
				}
				a += NLA_ALIGN(at.nla_len);
			}
			return 0;
		}
	}
}

static int garbage(const char *path)
{
	static const char *const fams[] = {
		OVS_DATAPATH_FAMILY, OVS_VPORT_FAMILY, OVS_FLOW_FAMILY,
		OVS_PACKET_FAMILY, "nlctrl", "dpd_sockopt",
	};
	uint16_t ids[6];
	unsigned sent = 0, answered = 0, i, f;
	int fd = connect_to(path), alive;
	uint8_t junk[512];
	struct req r;

	for (f = 0; f < 6; f++) {
		ids[f] = family(fd, fams[f]);
		if (!ids[f]) {
			fprintf(stderr, "dpd-probe: no family %s\n", fams[f]);
			return 2;
		}
	}
	/* Too short for a header, then headers whose length lies. */
	for (i = 1; i < 16; i++) {
		memset(junk, (int)i, sizeof junk);
		sent++;
		if (send(fd, junk, i, 0) == (ssize_t)i)
			answered += wait_reply(fd, 0, 2000) == 1;
	}
	for (i = 0; i < 8; i++) {
		struct nlmsghdr h = { .nlmsg_len = i < 4 ? i * 5 : 100000 + i,
				      .nlmsg_type = ids[i % 4],
				      .nlmsg_flags = NLM_F_REQUEST,
				      .nlmsg_seq = ++seq };

		memset(junk, 0, sizeof junk);
		memcpy(junk, &h, sizeof h);
		sent++;
		if (send(fd, junk, 64, 0) == 64)
			answered += wait_reply(fd, seq, 2000) == 1;
	}
	/* Every command of every family, with random attributes, as a
	 * request and as a dump; unknown families and commands. */
	for (f = 0; f < 7; f++) {
		unsigned cmd;

		for (cmd = 0; cmd < 12; cmd++) {
			unsigned k, rep;

			for (rep = 0; rep < 20; rep++) {
				uint16_t fl = NLM_F_REQUEST | NLM_F_ACK;
				uint32_t s;

				if (rep & 1)
					fl |= NLM_F_DUMP;
				if (rep & 2)
					fl |= NLM_F_ECHO;
				req_start(&r, f < 6 ? ids[f] : 0x1ff, fl,
					  (uint8_t)cmd, f < 4 ? 4 : 0);
				for (k = 0; k < rep % 7; k++) {
					uint8_t v[40];
					size_t n = rnd() % sizeof v, j;

					for (j = 0; j < n; j++)
						v[j] = (uint8_t)rnd();
					req_attr(&r, (uint16_t)(rnd() % 14), v, n);
				}
				s = req_send(fd, &r);
				sent++;
				answered += s && wait_reply(fd, s, 2000) == 1;
			}
		}
	}
	/* Random bytes. */
	for (i = 0; i < 500; i++) {
		size_t n = 1 + rnd() % sizeof junk, j;

		for (j = 0; j < n; j++)
			junk[j] = (uint8_t)rnd();
		if (send(fd, junk, n, MSG_NOSIGNAL) < 0)
			break;
		wait_reply(fd, 0, 50);
	}
	close(fd);
	fd = connect_to(path);
	alive = family(fd, OVS_FLOW_FAMILY) == ids[2];
	printf("garbage: %u requests, %u answered; dpd %s\n", sent, answered,
	       alive ? "alive" : "NOT ANSWERING");
	close(fd);
	return answered == sent && alive ? 0 : 1;
}

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int noread(const char *path)
{
	int a = connect_to(path), b = connect_to(path);
	unsigned n = 0, i;
	double t0, t;
	struct req r;
	uint16_t id = family(b, OVS_DATAPATH_FAMILY);

	if (!id)
		return 2;
	fcntl(a, F_SETFL, O_NONBLOCK);
	/* Dumps of every family, never read: replies pile up in dpd until
	 * it stops reading this client. */
	req_start(&r, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_DUMP,
		  CTRL_CMD_GETFAMILY, 0);
	t0 = now_ms();
	for (i = 0; i < 200000 && now_ms() - t0 < 5000; i++) {
		if (!req_send(a, &r)) {
			if (errno != EAGAIN)
				break;
			usleep(1000);
			continue;
		}
		n++;
	}
	t0 = now_ms();
	t = family(b, OVS_FLOW_FAMILY) ? now_ms() - t0 : -1;
	printf("noread: %u requests never read; another client answered in "
	       "%.1f ms\n", n, t);
	close(a);
	t0 = now_ms();
	t = family(b, OVS_VPORT_FAMILY) ? now_ms() - t0 : -1;
	close(b);
	return t >= 0 && t < 2000 ? 0 : 1;
}

int main(int argc, char **argv)
{
	char def[256];
	const char *dir = getenv("DPKIT_RUNDIR"), *path;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: dpd-probe garbage|noread [SOCKET]\n");
		return 2;
	}
	snprintf(def, sizeof def, "%s/dpd.sock", dir && *dir ? dir : "/run/dpkit");
	path = argc == 3 ? argv[2] : def;
	if (!strcmp(argv[1], "garbage"))
		return garbage(path);
	if (!strcmp(argv[1], "noread"))
		return noread(path);
	fprintf(stderr, "dpd-probe: unknown test '%s'\n", argv[1]);
	return 2;
}

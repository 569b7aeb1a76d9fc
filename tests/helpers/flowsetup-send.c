/*
 * flowsetup-send - UDP datagrams that each carry a 5-tuple not seen before,
 * for the flow setup benchmark (tests/bench/setup.sh).
 *
 *   flowsetup-send BASE_IP COUNT SECONDS
 *
 * Datagram i goes to BASE_IP + (i mod 65536), port 1024 + i / 65536, with
 * 18 bytes of payload, in sendmmsg batches of 256, until COUNT are sent or
 * SECONDS passed; prints the number sent.  The caller's namespace routes
 * BASE_IP/16 to the switch under test.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 256

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static struct sockaddr_in dst[BATCH];
	static struct mmsghdr m[BATCH];
	struct in_addr base;
	struct iovec iov;
	char payload[18];
	unsigned long long count, sent = 0;
	double end;
	int fd, i, n;

	if (argc != 4 || inet_pton(AF_INET, argv[1], &base) != 1) {
		fprintf(stderr, "usage: flowsetup-send BASE_IP COUNT SECONDS\n");
		return 2;
	}
	count = strtoull(argv[2], NULL, 10);
	end = now() + atof(argv[3]);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	memset(payload, 'x', sizeof payload);
	iov.iov_base = payload;
	iov.iov_len = sizeof payload;
	memset(m, 0, sizeof m);
	for (i = 0; i < BATCH; i++) {
		m[i].msg_hdr.msg_iov = &iov;
		m[i].msg_hdr.msg_iovlen = 1;
		m[i].msg_hdr.msg_name = &dst[i];
		m[i].msg_hdr.msg_namelen = sizeof dst[i];
		dst[i].sin_family = AF_INET;
	}
	while (sent < count && now() < end) {
		n = count - sent < BATCH ? (int)(count - sent) : BATCH;
		for (i = 0; i < n; i++) {
			unsigned long long k = sent + (unsigned long long)i;

			dst[i].sin_addr.s_addr = htonl(ntohl(base.s_addr) +
						       (uint32_t)(k & 0xffff));
			dst[i].sin_port = htons((uint16_t)(1024 + (k >> 16)));
		}
		n = sendmmsg(fd, m, (unsigned)n, 0);
		if (n <= 0)
			continue;       /* ENOBUFS: the device queue is full */
		sent += (unsigned long long)n;
	}
	printf("%llu\n", sent);
	close(fd);
	return 0;
}

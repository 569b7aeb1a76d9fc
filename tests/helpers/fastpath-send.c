/*
 * fastpath-send - a bounded 64-byte UDP flood for the fastpath benchmark.
 *
 *   fastpath-send DST_IP PORT COUNT SECONDS [PPS]
 *
 * Sends up to COUNT datagrams of 18 bytes (64-byte frames) to DST_IP:PORT
 * in sendmmsg batches of 256 (of 32 with a PPS rate limit), stopping after
 * SECONDS at the latest; prints the number sent.  Traffic goes only where the caller's namespace routes
 * it: the benchmark runs it inside a namespace of its own.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 256

int main(int argc, char **argv)
{
	struct mmsghdr m[BATCH];
	struct iovec iov;
	struct sockaddr_in dst;
	char payload[18];
	unsigned long long count, sent = 0;
	double secs, end, start, pps = argc == 6 ? atof(argv[5]) : 0;
	unsigned batch = pps > 0 ? 32 : BATCH;
	struct timespec ts;
	int fd, i;

	if (argc != 5 && argc != 6) {
		fprintf(stderr, "usage: fastpath-send DST PORT COUNT SECONDS [PPS]\n");
		return 2;
	}
	memset(&dst, 0, sizeof dst);
	dst.sin_family = AF_INET;
	dst.sin_port = htons((uint16_t)atoi(argv[2]));
	if (inet_pton(AF_INET, argv[1], &dst.sin_addr) != 1) {
		fprintf(stderr, "fastpath-send: %s: bad address\n", argv[1]);
		return 2;
	}
	count = strtoull(argv[3], NULL, 10);
	secs = atof(argv[4]);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("fastpath-send: socket");
		return 1;
	}
	memset(payload, 'x', sizeof payload);
	iov.iov_base = payload;
	iov.iov_len = sizeof payload;
	memset(m, 0, sizeof m);
	for (i = 0; i < BATCH; i++) {
		m[i].msg_hdr.msg_name = &dst;
		m[i].msg_hdr.msg_namelen = sizeof dst;
		m[i].msg_hdr.msg_iov = &iov;
		m[i].msg_hdr.msg_iovlen = 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	start = (double)ts.tv_sec + ts.tv_nsec / 1e9;
	end = start + secs;
	while (sent < count) {
		unsigned n = count - sent < batch ? (unsigned)(count - sent) : batch;
		int r = sendmmsg(fd, m, n, 0);

		if (r > 0)
			sent += (unsigned)r;
		if (pps > 0) {
			/* Hold the rate: sleep until this many are due. */
			double due = start + (double)sent / pps, t;

			clock_gettime(CLOCK_MONOTONIC, &ts);
			t = (double)ts.tv_sec + ts.tv_nsec / 1e9;
			if (t >= end)
				break;
			if (due > t) {
				struct timespec d = { 0, (long)((due - t) * 1e9) };

				nanosleep(&d, NULL);
			}
		} else if ((sent & 0x3fff) < BATCH) {
			clock_gettime(CLOCK_MONOTONIC, &ts);
			if ((double)ts.tv_sec + ts.tv_nsec / 1e9 >= end)
				break;
		}
	}
	printf("%llu\n", sent);
	close(fd);
	return 0;
}

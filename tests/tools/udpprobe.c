// SPDX-License-Identifier: GPL-2.0
/*
 * udpprobe: UDP probes and a UDP "whoami" server, for the NAT scenario.
 *
 * client: udpprobe [-b ADDR] [-s PORT] [-n SIZE] [-e] [-f] [-w MS]
 *                  [-l N [-x SIZE]] DST PORT [DST PORT...]
 *   One socket (bound to -b ADDR, -s PORT) sends one datagram to each
 *   destination in turn and waits up to MS milliseconds (-w, default 2000;
 *   0: send only) for an answer from it.  One line per destination: the
 *   answer's text (a whoami server's "ADDR:PORT"), "echo SIZE ok|bad" with
 *   -e, or "timeout".
 *   -n SIZE  the datagram is SIZE bytes of a fixed pattern (default: the
 *            6 bytes "whoami")
 *   -e       the answer must be the datagram itself (an echo)
 *   -f       the datagram leaves as IPv4 fragments of 1200 bytes of payload
 *            or less, the last fragment first (a raw socket; the bound
 *            socket still takes the answer)
 *   -l N     then wait (up to MS each) for N more datagrams from anyone and
 *            print "from ADDR:PORT LEN ok|bad" (ok: -x SIZE bytes of the
 *            pattern)
 *   Exit status 0 when every destination answered (rightly, with -e) and
 *   the -l datagrams came.
 *
 * server: udpprobe -S PORT [-b ADDR]
 *   Answers a datagram that starts with "whoami" with its sender's
 *   "ADDR:PORT", echoes any other; logs "ADDR:PORT LEN" for each on stdout.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUF_LEN		65536
#define FRAG_PAYLOAD	1200	/* a multiple of 8 that fits MTU 1280 */
#define WHOAMI		"whoami"

static unsigned char sendbuf[BUF_LEN], recvbuf[BUF_LEN];

static void pattern(unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 7 + 13);
}

static int is_pattern(const unsigned char *p, size_t n, size_t want)
{
	size_t i;

	if (n != want)
		return 0;
	for (i = 0; i < n; i++)
		if (p[i] != (unsigned char)(i * 7 + 13))
			return 0;
	return 1;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

static int parse_addr(const char *s, struct in_addr *a)
{
	if (inet_pton(AF_INET, s, a) != 1) {
		fprintf(stderr, "udpprobe: bad address %s\n", s);
		return -1;
	}
	return 0;
}

/* One's complement sum, folded, of a buffer (added to @sum). */
static uint32_t csum_add(uint32_t sum, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len > 1) {
		sum += (p[0] << 8) | p[1];
		p += 2;
		len -= 2;
	}
	if (len)
		sum += p[0] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * Send @len bytes of UDP payload from @src:@sport to @dst as IPv4
 * fragments, the last one first.
 */
static int send_fragments(struct in_addr src, uint16_t sport,
			  const struct sockaddr_in *dst,
			  const unsigned char *data, size_t len)
{
	static unsigned char dgram[BUF_LEN], pkt[1500];
	size_t total = sizeof(struct udphdr) + len, off;
	struct udphdr *uh = (struct udphdr *)dgram;
	struct iphdr *ip = (struct iphdr *)pkt;
	uint16_t id = (uint16_t)(getpid() ^ now_ms()) | 1;
	uint32_t sum;
	int fd;

	if (total > sizeof(dgram))
		return -1;
	uh->source = htons(sport);
	uh->dest = dst->sin_port;
	uh->len = htons(total);
	uh->check = 0;
	memcpy(dgram + sizeof(*uh), data, len);
	sum = csum_add(0, &src.s_addr, 4);
	sum = csum_add(sum, &dst->sin_addr.s_addr, 4);
	sum += IPPROTO_UDP + total;
	sum = csum_add(sum, dgram, total);
	uh->check = htons(csum_fold(sum)) ?: 0xffff;

	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0) {
		perror("udpprobe: raw socket");
		return -1;
	}
	/* The offsets of the fragments, from the last down to 0. */
	off = (total - 1) / FRAG_PAYLOAD * FRAG_PAYLOAD;
	for (;;) {
		size_t n = total - off < FRAG_PAYLOAD ? total - off : FRAG_PAYLOAD;
		int more = off + n < total;

		memset(ip, 0, sizeof(*ip));
		ip->version = 4;
		ip->ihl = 5;
		ip->tot_len = htons(sizeof(*ip) + n);
		ip->id = htons(id);
		ip->frag_off = htons((off / 8) | (more ? IP_MF : 0));
		ip->ttl = 64;
		ip->protocol = IPPROTO_UDP;
		ip->saddr = src.s_addr;
		ip->daddr = dst->sin_addr.s_addr;
		memcpy(pkt + sizeof(*ip), dgram + off, n);
		if (sendto(fd, pkt, sizeof(*ip) + n, 0,
			   (const struct sockaddr *)dst, sizeof(*dst)) < 0) {
			perror("udpprobe: sendto (fragment)");
			close(fd);
			return -1;
		}
		if (!off)
			break;
		off -= FRAG_PAYLOAD;
	}
	close(fd);
	return 0;
}

/* The source address the kernel would use towards @dst. */
static int source_for(const struct sockaddr_in *dst, struct in_addr *src)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || connect(fd, (const struct sockaddr *)dst, sizeof(*dst)) ||
	    getsockname(fd, (struct sockaddr *)&sa, &len)) {
		perror("udpprobe: source address");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	*src = sa.sin_addr;
	return 0;
}

/*
 * Wait up to @ms for a datagram (from @want if not NULL); its length, or
 * -1 on timeout.
 */
static ssize_t wait_datagram(int fd, long ms, const struct sockaddr_in *want,
			     struct sockaddr_in *from)
{
	long end = now_ms() + ms;

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		socklen_t flen = sizeof(*from);
		long left = end - now_ms();
		ssize_t n;

		if (left <= 0 || poll(&pfd, 1, left) <= 0)
			return -1;
		n = recvfrom(fd, recvbuf, sizeof(recvbuf), MSG_DONTWAIT,
			     (struct sockaddr *)from, &flen);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR ||
			    errno == ECONNREFUSED || errno == EHOSTUNREACH)
				continue;
			return -1;
		}
		if (want && (from->sin_addr.s_addr != want->sin_addr.s_addr ||
			     from->sin_port != want->sin_port))
			continue;
		return n;
	}
}

static int server(int fd)
{
	struct sockaddr_in from;
	char addr[INET_ADDRSTRLEN];

	for (;;) {
		socklen_t flen = sizeof(from);
		ssize_t n = recvfrom(fd, recvbuf, sizeof(recvbuf), 0,
				     (struct sockaddr *)&from, &flen);

		if (n < 0) {
			if (errno == EINTR || errno == ECONNREFUSED)
				continue;
			perror("udpprobe: recvfrom");
			return 1;
		}
		inet_ntop(AF_INET, &from.sin_addr, addr, sizeof(addr));
		printf("%s:%u %zd\n", addr, ntohs(from.sin_port), n);
		fflush(stdout);
		if (n >= (ssize_t)strlen(WHOAMI) &&
		    !memcmp(recvbuf, WHOAMI, strlen(WHOAMI))) {
			int len = snprintf((char *)sendbuf, sizeof(sendbuf),
					   "%s:%u", addr, ntohs(from.sin_port));

			sendto(fd, sendbuf, len, 0, (struct sockaddr *)&from,
			       flen);
		} else {
			sendto(fd, recvbuf, n, 0, (struct sockaddr *)&from,
			       flen);
		}
	}
}

static void usage(void)
{
	fprintf(stderr,
		"usage: udpprobe [-b ADDR] [-s PORT] [-n SIZE] [-e] [-f] [-w MS] [-l N [-x SIZE]] DST PORT...\n"
		"       udpprobe -S PORT [-b ADDR]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct sockaddr_in local = { .sin_family = AF_INET };
	int opt, fd, echo = 0, frag = 0, serve = 0, status = 0, i;
	long wait_ms = 2000, extra = 0, size = -1, xsize = 0;
	size_t len;

	while ((opt = getopt(argc, argv, "b:s:S:n:efw:l:x:")) != -1) {
		switch (opt) {
		case 'b':
			if (parse_addr(optarg, &local.sin_addr))
				return 2;
			break;
		case 'S':
			serve = 1;
			/* fall through */
		case 's':
			local.sin_port = htons(atoi(optarg));
			break;
		case 'n':
			size = atol(optarg);
			if (size < 1 || size > 65000)
				usage();
			break;
		case 'e':
			echo = 1;
			break;
		case 'f':
			frag = 1;
			break;
		case 'w':
			wait_ms = atol(optarg);
			break;
		case 'l':
			extra = atol(optarg);
			break;
		case 'x':
			xsize = atol(optarg);
			break;
		default:
			usage();
		}
	}
	if (serve ? optind != argc : (argc - optind < 2 || (argc - optind) % 2))
		usage();

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("udpprobe: socket");
		return 1;
	}
	if (bind(fd, (struct sockaddr *)&local, sizeof(local))) {
		perror("udpprobe: bind");
		return 1;
	}
	if (serve)
		return server(fd);
	if (!local.sin_port) {
		socklen_t l = sizeof(local);

		getsockname(fd, (struct sockaddr *)&local, &l);
	}

	if (size < 0) {
		len = strlen(WHOAMI);
		memcpy(sendbuf, WHOAMI, len);
	} else {
		len = size;
		pattern(sendbuf, len);
	}

	for (i = optind; i < argc; i += 2) {
		struct sockaddr_in dst = { .sin_family = AF_INET }, from;
		ssize_t n;

		if (parse_addr(argv[i], &dst.sin_addr))
			return 2;
		dst.sin_port = htons(atoi(argv[i + 1]));
		if (frag) {
			struct in_addr src = local.sin_addr;

			if ((!src.s_addr && source_for(&dst, &src)) ||
			    send_fragments(src, ntohs(local.sin_port), &dst,
					   sendbuf, len))
				return 1;
		} else if (sendto(fd, sendbuf, len, 0, (struct sockaddr *)&dst,
				  sizeof(dst)) != (ssize_t)len) {
			perror("udpprobe: sendto");
			return 1;
		}
		if (!wait_ms)
			continue;
		n = wait_datagram(fd, wait_ms, &dst, &from);
		if (n < 0) {
			puts("timeout");
			status = 1;
		} else if (echo) {
			int ok = (size_t)n == len && !memcmp(recvbuf, sendbuf, len);

			printf("echo %zd %s\n", n, ok ? "ok" : "bad");
			status |= !ok;
		} else {
			printf("%.*s\n", (int)n, (char *)recvbuf);
		}
		fflush(stdout);
	}
	for (; extra > 0; extra--) {
		struct sockaddr_in from;
		char addr[INET_ADDRSTRLEN];
		ssize_t n = wait_datagram(fd, wait_ms, NULL, &from);

		if (n < 0) {
			puts("timeout");
			status = 1;
			continue;
		}
		inet_ntop(AF_INET, &from.sin_addr, addr, sizeof(addr));
		printf("from %s:%u %zd %s\n", addr, ntohs(from.sin_port), n,
		       is_pattern(recvbuf, n, xsize) ? "ok" : "bad");
		fflush(stdout);
	}
	close(fd);
	return status;
}

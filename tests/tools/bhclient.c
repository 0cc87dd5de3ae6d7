// SPDX-License-Identifier: GPL-2.0
/*
 * bhclient: play QEMU's part with a bridge helper (-netdev
 * bridge,br=NAME,helper=HELPER), then prove that what came back is a
 * working TAP.
 *
 * As QEMU does (net/tap.c, net_bridge_run_helper()): a unix socketpair;
 * a child that keeps one end, closes everything else and execs HELPER with
 * ARGs (each "@FD@" in an ARG becomes that end's number: QEMU passes
 * "--use-vnet --fd=N --br=NAME"); then one message read from the other
 * end, with a descriptor in SCM_RIGHTS; then the helper's exit status.
 *
 * Then, the descriptor held open:
 *   - it must be a TAP (TUNGETIFF): "tap NAME vnet_hdr on|off";
 *   - --arp SENDER TARGET: an ARP request for TARGET (IPv4) from SENDER,
 *     source MAC 52:54:00:b4:00:01, is written into the TAP as a guest
 *     sends it (behind a virtio-net header if the TAP has IFF_VNET_HDR),
 *     again every 0.5 s, until TARGET's reply is read from the TAP
 *     (or 8 s pass): "arp reply from MAC";
 *   - --then CMD: sh -c CMD runs with $TAP set to the TAP's name, and must
 *     succeed.
 *   - --as-uid UID:GID: all of it runs as UID and GID (no other groups),
 *     the identity taken before the helper is run.
 *
 * One line per fact on stdout; the exit status is 0 only if the helper
 * exited 0, a TAP came back, and --arp and --then succeeded.
 *
 * usage: bhclient [--as-uid UID:GID] [--arp SENDER TARGET] [--then CMD]
 *                 HELPER [ARG...]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define VNET_HDR_LEN	10	/* struct virtio_net_hdr: the TAP's default */
#define ARP_FRAME_LEN	42	/* Ethernet + ARP for IPv4 */

static const uint8_t our_mac[6] = { 0x52, 0x54, 0x00, 0xb4, 0x00, 0x01 };

static void usage(void)
{
	fprintf(stderr, "usage: bhclient [--as-uid UID:GID] [--arp SENDER TARGET] [--then CMD] HELPER [ARG...]\n");
	exit(2);
}

/* Runs HELPER with ARGs, "@FD@" replaced; returns the socket's other end. */
static int run_helper(char **argv, pid_t *pid)
{
	char num[16], **args;
	int sv[2], i, n;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
		perror("bhclient: socketpair");
		return -1;
	}
	snprintf(num, sizeof(num), "%d", sv[1]);
	for (n = 0; argv[n]; n++)
		;
	args = calloc(n + 1, sizeof(*args));
	if (!args)
		return -1;
	for (i = 0; i < n; i++) {
		char *at = strstr(argv[i], "@FD@");

		if (!at) {
			args[i] = argv[i];
			continue;
		}
		args[i] = malloc(strlen(argv[i]) + sizeof(num));
		if (!args[i])
			return -1;
		sprintf(args[i], "%.*s%s%s", (int)(at - argv[i]), argv[i], num,
			at + 4);
	}
	fflush(stdout);
	*pid = fork();
	if (*pid < 0) {
		perror("bhclient: fork");
		return -1;
	}
	if (*pid == 0) {
		close(sv[0]);
		for (i = 3; i < 1024; i++)
			if (i != sv[1])
				close(i);
		execv(args[0], args);
		fprintf(stderr, "bhclient: %s: %s\n", args[0], strerror(errno));
		_exit(127);
	}
	close(sv[1]);
	return sv[0];
}

/* The descriptor of one message on @sock, QEMU's recv_fd(); -1 if none. */
static int recv_fd(int sock)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(int))];
	} cbuf;
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf.buf, .msg_controllen = sizeof(cbuf.buf),
	};
	struct cmsghdr *cmsg;
	ssize_t n;
	int fd;

	do {
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n <= 0) {
		printf("fd none (%s)\n", n < 0 ? strerror(errno) : "end of stream");
		return -1;
	}
	for (cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
		if (cmsg->cmsg_level == SOL_SOCKET &&
		    cmsg->cmsg_type == SCM_RIGHTS &&
		    cmsg->cmsg_len == CMSG_LEN(sizeof(int))) {
			memcpy(&fd, CMSG_DATA(cmsg), sizeof(fd));
			printf("fd received (payload %zd byte)\n", n);
			return fd;
		}
	}
	printf("fd none (a message without SCM_RIGHTS)\n");
	return -1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ARP for @target from @sender through the TAP @fd, until the reply. */
static int arp(int fd, bool vnet, const char *sender, const char *target)
{
	uint8_t frame[VNET_HDR_LEN + 2048], *eth;
	size_t hdr = vnet ? VNET_HDR_LEN : 0;
	struct in_addr spa, tpa;
	double end = now() + 8, next = 0;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;

	if (inet_pton(AF_INET, sender, &spa) != 1 ||
	    inet_pton(AF_INET, target, &tpa) != 1) {
		fprintf(stderr, "bhclient: --arp: IPv4 addresses expected\n");
		return -1;
	}
	while (now() < end) {
		if (now() >= next) {
			memset(frame, 0, sizeof(frame));
			eth = frame + hdr;
			memset(eth, 0xff, 6);
			memcpy(eth + 6, our_mac, 6);
			eth[12] = 0x08; eth[13] = 0x06;		/* ARP */
			eth[15] = 1;				/* Ethernet */
			eth[16] = 0x08;				/* IPv4 */
			eth[18] = 6; eth[19] = 4;
			eth[21] = 1;				/* request */
			memcpy(eth + 22, our_mac, 6);
			memcpy(eth + 28, &spa, 4);
			memcpy(eth + 38, &tpa, 4);
			if (write(fd, frame, hdr + ARP_FRAME_LEN) < 0) {
				perror("bhclient: write to the TAP");
				return -1;
			}
			next = now() + 0.5;
		}
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		n = read(fd, frame, sizeof(frame));
		if (n < (ssize_t)(hdr + ARP_FRAME_LEN))
			continue;
		eth = frame + hdr;
		if (memcmp(eth, our_mac, 6) || eth[12] != 0x08 ||
		    eth[13] != 0x06 || eth[21] != 2 ||
		    memcmp(eth + 28, &tpa, 4) || memcmp(eth + 38, &spa, 4))
			continue;
		printf("arp reply from %02x:%02x:%02x:%02x:%02x:%02x\n",
		       eth[22], eth[23], eth[24], eth[25], eth[26], eth[27]);
		return 0;
	}
	printf("arp no reply\n");
	return -1;
}

static int become(const char *spec)
{
	unsigned int uid, gid;
	char end;

	if (sscanf(spec, "%u:%u%c", &uid, &gid, &end) != 2) {
		fprintf(stderr, "bhclient: --as-uid: UID:GID expected\n");
		return -1;
	}
	if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 ||
	    setresuid(uid, uid, uid) < 0) {
		perror("bhclient: --as-uid");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *sender = NULL, *target = NULL, *then = NULL;
	bool ok = true, vnet;
	struct ifreq ifr;
	int i, sock, fd, status;
	pid_t pid;

	for (i = 1; i < argc && !strncmp(argv[i], "--", 2); i++) {
		if (!strcmp(argv[i], "--as-uid") && i + 1 < argc) {
			if (become(argv[++i]))
				return 2;
		} else if (!strcmp(argv[i], "--arp") && i + 2 < argc) {
			sender = argv[++i];
			target = argv[++i];
		} else if (!strcmp(argv[i], "--then") && i + 1 < argc) {
			then = argv[++i];
		} else {
			usage();
		}
	}
	if (i >= argc)
		usage();

	sock = run_helper(argv + i, &pid);
	if (sock < 0)
		return 2;
	fd = recv_fd(sock);
	if (waitpid(pid, &status, 0) < 0) {
		perror("bhclient: waitpid");
		return 2;
	}
	if (WIFEXITED(status))
		printf("helper exit %d\n", WEXITSTATUS(status));
	else
		printf("helper signal %d\n", WTERMSIG(status));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		ok = false;
	if (fd < 0)
		return 1;

	memset(&ifr, 0, sizeof(ifr));
	if (ioctl(fd, TUNGETIFF, &ifr) < 0) {
		printf("tap none (TUNGETIFF: %s)\n", strerror(errno));
		return 1;
	}
	vnet = ifr.ifr_flags & IFF_VNET_HDR;
	printf("tap %s vnet_hdr %s%s\n", ifr.ifr_name, vnet ? "on" : "off",
	       (ifr.ifr_flags & (IFF_TAP | IFF_NO_PI)) == (IFF_TAP | IFF_NO_PI) ?
	       "" : " (not IFF_TAP | IFF_NO_PI)");
	if ((ifr.ifr_flags & (IFF_TAP | IFF_NO_PI)) != (IFF_TAP | IFF_NO_PI))
		ok = false;
	fflush(stdout);

	if (sender && arp(fd, vnet, sender, target))
		ok = false;
	if (then) {
		fflush(stdout);
		setenv("TAP", ifr.ifr_name, 1);
		status = system(then);
		if (status) {
			printf("then failed (status %d)\n", status);
			ok = false;
		}
	}
	close(fd);
	return ok ? 0 : 1;
}

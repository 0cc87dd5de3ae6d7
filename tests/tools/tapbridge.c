// SPDX-License-Identifier: GPL-2.0
/*
 * tapbridge: play QEMU's part for a test.  Opens two TAP devices the way
 * QEMU opens a guest's (IFF_TAP | IFF_NO_PI | IFF_VNET_HDR, 12-byte
 * virtio-net header, checksum and TSO offloads on) and relays frames, vnet
 * header included, between them: one TAP is the "guest NIC" (moved into the
 * guest's namespace), the other the host side attached to the vmbridge.
 * GSO super-packets cross whole, exactly as with a virtio-net guest.
 *
 * It counts the frames it relays in each direction, the GSO ones among
 * them and the largest, and writes the counts to STATSFILE on SIGUSR1 and
 * on exit (SIGTERM).
 *
 * usage: tapbridge GUEST_TAP HOST_TAP STATSFILE
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define VNET_HDR_LEN	12	/* struct virtio_net_hdr_mrg_rxbuf */
#define BUF_LEN		(VNET_HDR_LEN + 65536 + 64)

struct direction {
	const char *name;
	unsigned long frames;
	unsigned long gso;
	unsigned long max_len;
};

static volatile sig_atomic_t want_dump, want_exit;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		want_dump = 1;
	else
		want_exit = 1;
}

static int tap_open(const char *name)
{
	unsigned int offload = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;
	int hdr_len = VNET_HDR_LEN;
	struct ifreq ifr;
	int fd;

	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		perror("tapbridge: /dev/net/tun");
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0 ||
	    ioctl(fd, TUNSETVNETHDRSZ, &hdr_len) < 0 ||
	    ioctl(fd, TUNSETOFFLOAD, offload) < 0) {
		fprintf(stderr, "tapbridge: %s: %s\n", name, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static void dump(const char *path, const struct direction *d, int n)
{
	FILE *f = fopen(path, "w");
	int i;

	if (!f)
		return;
	for (i = 0; i < n; i++)
		fprintf(f, "%s_frames %lu\n%s_gso %lu\n%s_max_len %lu\n",
			d[i].name, d[i].frames, d[i].name, d[i].gso,
			d[i].name, d[i].max_len);
	fclose(f);
}

/* Move one frame from @in to @out; 0 if nothing was waiting. */
static int relay(int in, int out, struct direction *d, unsigned char *buf)
{
	const struct virtio_net_hdr *vh = (const void *)buf;
	ssize_t len = read(in, buf, BUF_LEN);

	if (len < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	if (len <= VNET_HDR_LEN)
		return 0;
	d->frames++;
	if (vh->gso_type != VIRTIO_NET_HDR_GSO_NONE)
		d->gso++;
	if ((unsigned long)(len - VNET_HDR_LEN) > d->max_len)
		d->max_len = len - VNET_HDR_LEN;
	/* A full peer queue drops the frame, as a real NIC would. */
	if (write(out, buf, len) < 0 && errno != EAGAIN && errno != EIO)
		return -1;
	return 1;
}

int main(int argc, char **argv)
{
	struct direction dir[2] = {
		{ .name = "guest_to_host" }, { .name = "host_to_guest" },
	};
	struct sigaction sa = { .sa_handler = on_signal };
	static unsigned char buf[BUF_LEN];
	struct pollfd pfd[2];
	int i;

	if (argc != 4) {
		fprintf(stderr, "usage: tapbridge GUEST_TAP HOST_TAP STATSFILE\n");
		return 2;
	}
	pfd[0].fd = tap_open(argv[1]);
	pfd[1].fd = tap_open(argv[2]);
	if (pfd[0].fd < 0 || pfd[1].fd < 0)
		return 1;
	for (i = 0; i < 2; i++) {
		fcntl(pfd[i].fd, F_SETFL, O_NONBLOCK);
		pfd[i].events = POLLIN;
	}
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	dump(argv[3], dir, 2);

	while (!want_exit) {
		if (want_dump) {
			want_dump = 0;
			dump(argv[3], dir, 2);
		}
		if (poll(pfd, 2, 200) < 0 && errno != EINTR)
			break;
		for (i = 0; i < 2; i++) {
			if (!(pfd[i].revents & POLLIN))
				continue;
			/* A burst at a time, so neither side starves. */
			for (int n = 0; n < 64; n++) {
				int r = relay(pfd[i].fd, pfd[!i].fd, &dir[i], buf);

				if (r < 0)
					goto out;
				if (r == 0)
					break;
			}
		}
	}
out:
	dump(argv[3], dir, 2);
	return 0;
}

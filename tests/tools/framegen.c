// SPDX-License-Identifier: GPL-2.0
/*
 * framegen: send Ethernet frames as a hostile guest would, as fast as the
 * socket takes them.  Each frame is 60 bytes: DST, SRC, an experimental
 * ethertype (0x88b5) and zeros.
 *
 * usage: framegen IFACE COUNT DST-MAC SRC-MAC|random [HEX]
 *   random: a different locally administered unicast source for each frame
 *   HEX: the rest of the frame, from the ethertype on, in hex (an RA or a
 *        forged ARP written out byte by byte); padded to 60 bytes
 * Prints the number of frames sent.
 */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define FRAME_LEN	60
#define FRAME_MAX	1514
#define ETHERTYPE_TEST	0x88b5	/* IEEE 802 local experimental */

static int parse_mac(const char *s, unsigned char *mac)
{
	return sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1],
		      &mac[2], &mac[3], &mac[4], &mac[5]) == 6 ? 0 : -1;
}

int main(int argc, char **argv)
{
	unsigned char frame[FRAME_MAX] = { 0 };
	size_t len = FRAME_LEN;
	struct sockaddr_ll sll = { 0 };
	unsigned long count, i, sent = 0;
	int fd, random_src;

	if (argc != 5 && argc != 6) {
		fprintf(stderr, "usage: framegen IFACE COUNT DST-MAC SRC-MAC|random [HEX]\n");
		return 2;
	}
	count = strtoul(argv[2], NULL, 10);
	random_src = !strcmp(argv[4], "random");
	if (parse_mac(argv[3], frame) ||
	    (!random_src && parse_mac(argv[4], frame + 6))) {
		fprintf(stderr, "framegen: bad MAC address\n");
		return 2;
	}
	frame[12] = ETHERTYPE_TEST >> 8;
	frame[13] = ETHERTYPE_TEST & 0xff;
	if (argc == 6) {
		const char *hex = argv[5];
		size_t n = 12;

		while (hex[0] && hex[1] && n < FRAME_MAX &&
		       sscanf(hex, "%2hhx", &frame[n]) == 1) {
			hex += 2;
			n++;
		}
		if (*hex) {
			fprintf(stderr, "framegen: bad or too long HEX\n");
			return 2;
		}
		len = n < FRAME_LEN ? FRAME_LEN : n;
	}

	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		perror("framegen: socket");
		return 1;
	}
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = if_nametoindex(argv[1]);
	sll.sll_halen = ETH_ALEN;
	if (!sll.sll_ifindex) {
		perror("framegen: interface");
		return 1;
	}
	srandom(getpid());
	for (i = 0; i < count; i++) {
		if (random_src) {
			unsigned long r = random();

			frame[6] = 0x02;	/* local, unicast */
			frame[7] = 0xfe;
			memcpy(frame + 8, &r, 3);
			frame[11] = i & 0xff;
		}
		if (sendto(fd, frame, len, 0, (struct sockaddr *)&sll,
			   sizeof(sll)) == (ssize_t)len)
			sent++;
	}
	printf("%lu\n", sent);
	close(fd);
	return 0;
}

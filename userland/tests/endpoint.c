// SPDX-License-Identifier: GPL-2.0
/*
 * Offline test of endpoint.c: ports, port ranges (nat set ports) and
 * guests' endpoints (nat forward add ... to), good ones and bad ones with
 * their messages, and the bytes of an address as it goes in a request.
 * "make check" compares the output with endpoint.expected.
 */
#include <stdio.h>
#include <unistd.h>

#include "../endpoint.h"
#include "../vmbr.h"

static const char *const ports[] = {
	"1", "80", "65535", "08080", "00001",
	/* bad */
	"", "0", "65536", "99999999999999999999", "-1", "+80", " 80", "80 ",
	"0x50", "http", "80-81", "1e3",
};

static const char *const ranges[] = {
	"1024-65535", "1-65535", "5000-5000", "61000-61099", "01024-065535",
	/* bad */
	"", "-", "1024", "1024-", "-65535", "0-100", "1-65536", "2000-1000",
	"1024--65535", "1024-2048-4096", "1024:65535", " 1024-65535",
	"1024-65535 ", "+1024-65535", "1024-+65535", "a-b", "none",
	"99999999999999999999-1",
};

static const char *const endpoints[] = {
	"192.168.100.10", "192.168.100.10:80", "10.0.0.1:65535",
	"198.51.100.7:1", "192.168.100.10:08080", "255.255.255.254",
	"1.2.3.4:22",
	/* bad addresses */
	"", ":80", "192.168.100", "192.168.100.256", "192.168.100.010",
	"0x7f.0.0.1", "192.168.100.10/24", "2001:db8::1", "[2001:db8::1]:80",
	"::ffff:192.0.2.1", "localhost", " 192.168.100.10", "192.168.100.10 ",
	"192.168.100.10:80:81", "255.255.255.255.255",
	/* bad ports */
	"192.168.100.10:", "192.168.100.10:0", "192.168.100.10:65536",
	"192.168.100.10:-1", "192.168.100.10:http", "192.168.100.10:80-81",
	"192.168.100.10: 80",
	/* not a guest's address */
	"0.0.0.0", "0.0.0.0:80", "127.0.0.1", "127.255.255.254:22",
	"224.0.0.1", "239.255.255.250:1900", "255.255.255.255",
	"255.255.255.255:80",
};

int main(void)
{
	char buf[IPV4_BUFSIZ];
	uint16_t port, low, high;
	unsigned int i;
	uint32_t addr;
	int err;

	/* The messages are part of the output, in order. */
	dup2(STDOUT_FILENO, STDERR_FILENO);

	printf("== ports\n");
	for (i = 0; i < ARRAY_SIZE(ports); i++) {
		err = parse_port("port", ports[i], &port);
		if (err)
			printf("  \"%s\": error %d\n", ports[i], err);
		else
			printf("  \"%s\" -> %u\n", ports[i], port);
	}
	printf("== ranges\n");
	for (i = 0; i < ARRAY_SIZE(ranges); i++) {
		err = parse_port_range("ports", ranges[i], &low, &high);
		if (err)
			printf("  \"%s\": error %d\n", ranges[i], err);
		else
			printf("  \"%s\" -> %u to %u\n", ranges[i], low, high);
	}
	printf("== endpoints\n");
	for (i = 0; i < ARRAY_SIZE(endpoints); i++) {
		err = parse_guest_endpoint("to", endpoints[i], &addr, &port);
		if (err)
			printf("  \"%s\": error %d\n", endpoints[i], err);
		else if (port)
			printf("  \"%s\" -> %s port %u\n", endpoints[i],
			       format_ipv4(addr, buf), port);
		else
			printf("  \"%s\" -> %s no port\n", endpoints[i],
			       format_ipv4(addr, buf));
	}
	printf("== bytes\n");
	if (!parse_guest_endpoint("to", "192.168.100.10:80", &addr, &port))
		printf("  192.168.100.10: %02x %02x %02x %02x\n",
		       ((uint8_t *)&addr)[0], ((uint8_t *)&addr)[1],
		       ((uint8_t *)&addr)[2], ((uint8_t *)&addr)[3]);
	return 0;
}

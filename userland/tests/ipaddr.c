// SPDX-License-Identifier: GPL-2.0
/*
 * Offline test of ipaddr.c: lock-ip lists parsed (good ones and bad ones,
 * with their messages) and their addresses formatted back, IPv4 as
 * a.b.c.d.  "make check" compares the output with ipaddr.expected.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/vmbridge.h>

#include "../ipaddr.h"
#include "../vmbr.h"

/* 64 host addresses, 10.0.0.1 to 10.0.0.78. */
#define IPS_8(a)							\
	"10.0.0." a "1,10.0.0." a "2,10.0.0." a "3,10.0.0." a "4,"	\
	"10.0.0." a "5,10.0.0." a "6,10.0.0." a "7,10.0.0." a "8"
#define IPS_64								\
	IPS_8("") "," IPS_8("1") "," IPS_8("2") "," IPS_8("3") ","	\
	IPS_8("4") "," IPS_8("5") "," IPS_8("6") "," IPS_8("7")

static const char *const good_lists[] = {
	"192.0.2.1",
	"2001:db8::1",
	"192.0.2.1,2001:db8::1",
	"fe80::5054:ff:fe12:3456,2001:DB8:0:0:0:0:0:1,198.51.100.7",
	"::ffff:192.0.2.1",
	"::ffff:c000:201,192.0.2.2",
	"10.0.0.1,::1,127.0.0.1,255.255.255.254,240.0.0.1,1.2.3.4",
	"2001:0db8:0000:0000:0000:0000:0000:0001",
	"2001:ffff:ffff:ffff:ffff:ffff:255.255.255.254",
	"::2,fe80::1,fd00::1,ff::1",
	IPS_64,
};

static const char *const bad_lists[] = {
	"", ",", "192.0.2.1,", ",192.0.2.1", "192.0.2.1,,192.0.2.2",
	/* unspecified */
	"0.0.0.0", "::", "192.0.2.1,0:0:0:0:0:0:0:0", "::ffff:0.0.0.0",
	/* multicast */
	"224.0.0.1", "239.255.255.250", "ff02::1", "2001:db8::1,ff05::1:3",
	"::ffff:224.0.0.251",
	/* broadcast */
	"255.255.255.255", "::ffff:255.255.255.255",
	/* listed twice */
	"192.0.2.1,192.0.2.1", "2001:db8::1,2001:DB8:0::1",
	"192.0.2.1,2001:db8::1,::ffff:192.0.2.1",
	/* not addresses */
	"192.0.2", "192.0.2.256", "192.0.2.01", "0x7f.0.0.1", "192.0.2.1/24",
	"2001:db8::1/64", "2001:db8:::1", "2001:db8::g", "fe80::1%eth0",
	"[2001:db8::1]", " 192.0.2.1", "192.0.2.1 ", "192.0.2.1;192.0.2.2",
	"localhost", "off", "none",
	"ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.2555",
	IPS_64 ",10.0.0.99",
};

/* @list, or how many items it has if that is many. */
static void print_list(const char *list)
{
	const char *p;
	unsigned int n = 1;

	if (strlen(list) <= 60) {
		printf("  \"%s\"", list);
		return;
	}
	for (p = list; (p = strchr(p, ',')); p++)
		n++;
	printf("  (%u addresses)", n);
}

static void parse_list(const char *list)
{
	uint8_t addrs[VMBR_LOCK_IP_MAX * IP_LEN];
	char buf[IP_BUFSIZ];
	unsigned int count, i;
	int err;

	err = parse_ip_list("lock-ip", list, addrs, VMBR_LOCK_IP_MAX,
			    &count);
	print_list(list);
	if (err) {
		printf(": error %d\n", err);
		return;
	}
	printf(" -> %u:", count);
	for (i = 0; i < count && i < 6; i++)
		printf(" %s%s", format_ip(addrs + i * IP_LEN, buf),
		       ip_is_v4(addrs + i * IP_LEN) ? "(v4)" : "");
	if (i < count)
		printf(" ... %s",
		       format_ip(addrs + (count - 1) * IP_LEN, buf));
	putchar('\n');
}

/* The bytes of an address, as they go in a request. */
static void print_bytes(const char *s)
{
	uint8_t addr[IP_LEN];
	unsigned int count, i;

	if (parse_ip_list("lock-ip", s, addr, 1, &count))
		return;
	printf("  %s:", s);
	for (i = 0; i < IP_LEN; i++)
		printf(" %02x", addr[i]);
	putchar('\n');
}

int main(void)
{
	unsigned int i;

	/* The messages are part of the output, in order. */
	dup2(STDOUT_FILENO, STDERR_FILENO);

	printf("== good lists\n");
	for (i = 0; i < ARRAY_SIZE(good_lists); i++)
		parse_list(good_lists[i]);
	printf("== bad lists\n");
	for (i = 0; i < ARRAY_SIZE(bad_lists); i++)
		parse_list(bad_lists[i]);
	printf("== bytes\n");
	print_bytes("192.0.2.1");
	print_bytes("2001:db8::1");
	print_bytes("::ffff:192.0.2.1");
	return 0;
}

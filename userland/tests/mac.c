// SPDX-License-Identifier: GPL-2.0
/*
 * Offline test of mac.c: MAC addresses and lock-mac lists parsed (good
 * ones and bad ones, with their messages) and formatted.  "make check"
 * compares the output with mac.expected.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/vmbridge.h>

#include "../mac.h"
#include "../vmbr.h"

/* 64 station MACs, 02:00:00:00:00:01 to 02:00:00:00:00:78. */
#define MACS_8(a)							\
	"02:00:00:00:00:" a "1,02:00:00:00:00:" a "2,"			\
	"02:00:00:00:00:" a "3,02:00:00:00:00:" a "4,"			\
	"02:00:00:00:00:" a "5,02:00:00:00:00:" a "6,"			\
	"02:00:00:00:00:" a "7,02:00:00:00:00:" a "8"
#define MACS_64								\
	MACS_8("0") "," MACS_8("1") "," MACS_8("2") "," MACS_8("3") ","	\
	MACS_8("4") "," MACS_8("5") "," MACS_8("6") "," MACS_8("7")

static const char *const good_macs[] = {
	"52:54:00:12:34:56", "52:54:00:AB:cd:Ef", "01:00:5e:00:00:01",
	"00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff",
};

static const char *const bad_macs[] = {
	"", "52:54:00:12:34", "52:54:00:12:34:567", "52:54:00:12:34:5",
	"52-54-00-12-34-56", "525400123456", "52:54:00:12:34:5g",
	" 52:54:00:12:34:56", "52:54:00:12:34:56,",
};

static const char *const good_lists[] = {
	"52:54:00:12:34:56",
	"52:54:00:12:34:56,52:54:00:AB:CD:EF",
	"02:00:00:00:00:02,02:00:00:00:00:01",
	"fe:ff:ff:ff:ff:ff,00:00:00:00:00:01",
	MACS_64,
};

static const char *const bad_lists[] = {
	"", ",", "02:00:00:00:00:01,", ",02:00:00:00:00:01",
	"02:00:00:00:00:01,,02:00:00:00:00:02",
	"02:00:00:00:00:01,01:00:5e:00:00:01", "ff:ff:ff:ff:ff:ff",
	"03:00:00:00:00:01", "00:00:00:00:00:00",
	"02:00:00:00:00:0a,02:00:00:00:00:0A",
	"02:00:00:00:00:01,02:00:00:00:00:02,02:00:00:00:00:01",
	"02:00:00:00:00:1", "02-00-00-00-00-01", "02:00:00:00:00:01 ",
	"02:00:00:00:00:01;02:00:00:00:00:02", "off", "none",
	MACS_64 ",02:00:00:00:00:79",
};

/* @list, or how many MACs it has if that is many. */
static void print_list(const char *list)
{
	if (strlen(list) > 40)
		printf("  (%zu MACs)", (strlen(list) + 1) / MAC_BUFSIZ);
	else
		printf("  \"%s\"", list);
}

static void parse_one(const char *s)
{
	uint8_t mac[MAC_LEN];
	char buf[MAC_BUFSIZ];
	int err;

	err = parse_mac(s, mac);
	if (err)
		printf("  \"%s\": error %d\n", s, err);
	else
		printf("  \"%s\" -> %s\n", s, format_mac(mac, buf));
}

static void parse_list(const char *list)
{
	uint8_t macs[VMBR_LOCK_MAC_MAX * MAC_LEN];
	char buf[MAC_BUFSIZ];
	unsigned int count, i;
	int err;

	err = parse_mac_list("lock-mac", list, macs, VMBR_LOCK_MAC_MAX,
			     &count);
	print_list(list);
	if (err) {
		printf(": error %d\n", err);
		return;
	}
	printf(" -> %u:", count);
	for (i = 0; i < count && i < 4; i++)
		printf(" %s", format_mac(macs + i * MAC_LEN, buf));
	if (i < count)
		printf(" ... %s",
		       format_mac(macs + (count - 1) * MAC_LEN, buf));
	putchar('\n');
}

int main(void)
{
	unsigned int i;

	/* The messages are part of the output, in order. */
	dup2(STDOUT_FILENO, STDERR_FILENO);

	printf("== good MACs\n");
	for (i = 0; i < ARRAY_SIZE(good_macs); i++)
		parse_one(good_macs[i]);
	printf("== bad MACs\n");
	for (i = 0; i < ARRAY_SIZE(bad_macs); i++)
		parse_one(bad_macs[i]);
	printf("== good lists\n");
	for (i = 0; i < ARRAY_SIZE(good_lists); i++)
		parse_list(good_lists[i]);
	printf("== bad lists\n");
	for (i = 0; i < ARRAY_SIZE(bad_lists); i++)
		parse_list(bad_lists[i]);
	return 0;
}

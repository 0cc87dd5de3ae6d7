// SPDX-License-Identifier: GPL-2.0
/*
 * Offline test of vlan.c: VIDLISTs parsed (good ones and bad ones, with
 * their messages), bitmaps formatted, and sets that go round trip.
 * "make check" compares the output with vlan.expected; the exit status
 * is also 1 if a round trip failed.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../vlan.h"
#include "../vmbr.h"

static const char *const good[] = {
	"1", "4094", "10,20,100-199", "1-4094", "5,3,1", "10-10", "1,2",
	"1,2,3", "7,5-6", "100-199,150-250", "010", "4093-4094",
	"1,3,5-7,9-10,12",
};

static const char *const bad[] = {
	"", ",", "10,", ",10", "10,,20", "0", "4095", "5000", "10,5000",
	"abc", "10-", "-10", "-", "20-10", "1-2-3", " 10", "10 ", "+5",
	"0x10", "99999999999999999999", "1-4095", "0-5", "10;20", "none",
};

static void parse(const char *list)
{
	uint8_t map[VMBR_VLAN_BITMAP_LEN];
	char buf[VIDLIST_BUFSIZ];
	int err;

	err = parse_vidlist(list, map);
	if (err)
		printf("  \"%s\": error %d\n", list, err);
	else
		printf("  \"%s\" -> \"%s\"\n", list, format_vidlist(map, buf));
}

static void print_format(const char *what, const uint8_t *map)
{
	char buf[VIDLIST_BUFSIZ];
	size_t len;

	format_vidlist(map, buf);
	len = strlen(buf);
	if (len > 40)
		printf("  %s: %zu characters, \"%.20s...%s\"\n", what, len,
		       buf, buf + len - 15);
	else
		printf("  %s: \"%s\"\n", what, buf);
}

/* VLAN v set where @pattern, repeated, has a '1' at v: "110110...". */
static void format_pattern(const char *what, const char *pattern)
{
	uint8_t map[VMBR_VLAN_BITMAP_LEN] = { 0 };
	size_t period = strlen(pattern);
	unsigned int vid;

	for (vid = 0; vid <= 4095; vid++)
		if (pattern[vid % period] == '1')
			vlan_bitmap_set(map, vid);
	print_format(what, map);
}

/* Bits 0 and 4095 are no VLAN: nothing to print. */
static void format_reserved(void)
{
	uint8_t map[VMBR_VLAN_BITMAP_LEN] = { 0 };

	vlan_bitmap_set(map, 0);
	vlan_bitmap_set(map, 4095);
	print_format("0 and 4095", map);
}

/* A small deterministic generator: the same sets on every run. */
static unsigned int rnd(void)
{
	static unsigned int state = 12345;

	state = state * 1103515245 + 12345;
	return state >> 16;
}

/* Format, parse, format again: the same set, the same list. */
static bool round_trip(const uint8_t *map)
{
	static const uint8_t none[VMBR_VLAN_BITMAP_LEN];
	uint8_t back[VMBR_VLAN_BITMAP_LEN], want[VMBR_VLAN_BITMAP_LEN];
	char list[VIDLIST_BUFSIZ], again[VIDLIST_BUFSIZ];

	memcpy(want, map, sizeof(want));
	want[0] &= ~1;				/* VLAN 0 is none */
	want[VMBR_VLAN_BITMAP_LEN - 1] &= ~0x80;	/* nor is 4095 */
	format_vidlist(map, list);
	if (!*list)
		return !memcmp(want, none, sizeof(want));
	if (parse_vidlist(list, back) || memcmp(back, want, sizeof(want)))
		return false;
	return !strcmp(format_vidlist(back, again), list);
}

static unsigned int round_trips(unsigned int count)
{
	uint8_t map[VMBR_VLAN_BITMAP_LEN];
	unsigned int i, vid, failed = 0;

	for (i = 0; i < count; i++) {
		/* Densities from none to all, runs of every length. */
		unsigned int density = i % 17;

		memset(map, 0, sizeof(map));
		for (vid = 0; vid <= 4095; vid++)
			if (rnd() % 16 < density)
				vlan_bitmap_set(map, vid);
		if (!round_trip(map)) {
			printf("  set %u failed\n", i);
			failed++;
		}
	}
	return failed;
}

int main(void)
{
	unsigned int i, failed;

	/* The messages are part of the output, in order. */
	dup2(STDOUT_FILENO, STDERR_FILENO);

	printf("== good\n");
	for (i = 0; i < ARRAY_SIZE(good); i++)
		parse(good[i]);
	printf("== bad\n");
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		parse(bad[i]);
	printf("== format\n");
	format_pattern("none", "0");
	format_reserved();
	format_pattern("all", "1");
	format_pattern("odd", "01");
	format_pattern("two in three", "011");
	format_pattern("three in four", "0111");
	format_pattern("pairs and gaps", "0110");
	printf("== round trip\n");
	failed = round_trips(1000);
	printf("  %u of 1000 sets failed\n", failed);
	return failed ? 1 : 0;
}

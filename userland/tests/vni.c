// SPDX-License-Identifier: GPL-2.0
/*
 * Offline test of vni.c: uplink-vni maps parsed (good ones and bad ones,
 * with their messages) and formatted again.  "make check" compares the
 * output with vni.expected.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../vmbr.h"
#include "../vni.h"

static const char *const good[] = {
	"10:1010", "10:1010,20:1020", "4094:16777215", "1:1", "none",
	"20:1020,10:1010", "010:01010", "10:1010,10:1020", "10:5,20:5",
};

static const char *const bad[] = {
	"", ",", "10", "10:", ":10", "0:10", "4095:10", "10:0",
	"10:16777216", "10:1010,", ",10:1010", "10:1010,,20:1020", "a:b",
	"10-20:1010", "10:1010:1", " 10:1010", "10:1010 ", "10:+5",
	"10:0x10", "99999999999999999999:1", "None",
};

static struct vni_map map;
static char buf[VNI_MAP_BUFSIZ];

static void parse(const char *list)
{
	int err = parse_vni_map(list, &map);

	if (err)
		printf("  \"%s\": error %d\n", list, err);
	else
		printf("  \"%s\" -> %u \"%s\"\n", list, map.count,
		       format_vni_map(&map, buf));
}

/* VMBR_VNI_MAP_MAX pairs are accepted, one more is not. */
static void longest(void)
{
	static char list[VNI_MAP_BUFSIZ + 16];
	size_t used = 0;
	unsigned int i;

	for (i = 1; i <= VMBR_VNI_MAP_MAX + 1; i++) {
		if (i == VMBR_VNI_MAP_MAX + 1) {
			printf("  %u pairs: %s\n", VMBR_VNI_MAP_MAX,
			       parse_vni_map(list, &map) ? "error" :
			       "accepted");
			printf("  the last: \"%s\"\n",
			       strrchr(format_vni_map(&map, buf), ',') + 1);
		}
		used += snprintf(list + used, sizeof(list) - used, "%s%u:%u",
				 i > 1 ? "," : "", i, 16777215 - i);
	}
	printf("  %u pairs: %s\n", VMBR_VNI_MAP_MAX + 1,
	       parse_vni_map(list, &map) ? "error" : "accepted");
}

int main(void)
{
	size_t i;

	/* usage_err()'s messages in the output, in order. */
	if (dup2(STDOUT_FILENO, STDERR_FILENO) < 0)
		return 1;
	setvbuf(stdout, NULL, _IONBF, 0);
	printf("== good\n");
	for (i = 0; i < ARRAY_SIZE(good); i++)
		parse(good[i]);
	printf("== bad\n");
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		parse(bad[i]);
	printf("== bounds\n");
	longest();
	return 0;
}

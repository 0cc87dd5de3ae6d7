// SPDX-License-Identifier: GPL-2.0
/*
 * Offline test of rate.c: rates and sizes parsed as tc writes them (good
 * ones and bad ones, with their messages), formatted, and read back as
 * formatted.  "make check" compares the output with rate.expected; the
 * exit status is also 1 if a round trip failed.
 */
#include <stdio.h>
#include <unistd.h>

#include <linux/vmbridge.h>

#include "../rate.h"
#include "../vmbr.h"

static const char *const good_rates[] = {
	"0", "8", "8bit", "4bit", "12bit", "20mbit", "20Mbit", "20MBIT",
	"1.5mbit", "0.1kbit", "100kbit", "1gbit", "10gbit", "40gbit",
	"1tbit", "1kibit", "1mibit", "1gibit", "1.5kibit",
	"1bps", "1Bps", "1KBps", "1kbps", "2.5MBps", "1GBps", "125GBps",
	"1KiBps", "1MiBps", "1GiBps", "0mbit", "0.0gbit", "007kbit",
	"999999999999bit", "1000000000003bit",
};

static const char *const bad_rates[] = {
	"", "off", "mbit", "20 mbit", " 20mbit", "20mbit ", "-1mbit",
	"+1mbit", "1e6", "1e6bit", "0x10", "1.", ".5mbit", "1.5.5mbit",
	"20mb", "20mbits", "20m", "1,5mbit", "3bit", "0.1bit", "1.1tbit",
	"2tbit", "1tibit", "1tibit0", "1000000000004bit", "1TiBps",
	"99999999999999999999999999999999999999999999999999tbit",
};

static const char *const good_sizes[] = {
	"1", "1500", "1500b", "1500B", "64k", "64K", "64kb", "64KB", "1m",
	"1M", "1mb", "1g", "1gb", "1024m", "1kbit", "1mbit", "1gbit", "8gbit",
	"1.5k", "0.5m", "2.5", "0.001k", "1073741824",
};

static const char *const bad_sizes[] = {
	"", "0", "0k", "0.4", "k", "64 k", "64kib", "64kbyte", "-1", "1e3",
	"2g", "1073741825", "1.1g", "9gbit", "off", "64k,",
};

/* Bits a second, whole bytes as the kernel has them: the units, and none. */
static const uint64_t rates_bits[] = {
	8, 16, 1000, 1496, 8000, 20000000, 1000000000, 1500000000,
	40000000000ULL, 120000000000ULL, 1000000000000ULL, 1001000,
	1024, 8388608, VMBR_RATE_MAX * 8, 999999999992ULL,
};

/* Bytes. */
static const uint64_t sizes_bytes[] = {
	1, 1500, 1024, 65536, 65537, 1048576, 2560000, 3145728,
	VMBR_RATE_BURST_DEFAULT_MIN, VMBR_RATE_BURST_MAX,
};

static void rate(const char *s)
{
	char buf[RATE_BUFSIZ];
	uint64_t bytes_ps;
	int err;

	err = parse_rate("rate-in", s, &bytes_ps);
	if (err)
		printf("  \"%s\": error %d\n", s, err);
	else
		printf("  \"%s\" -> %llu bytes/s (%s)\n", s,
		       (unsigned long long)bytes_ps,
		       format_rate(bytes_ps * 8, buf));
}

static void size(const char *s)
{
	char buf[RATE_BUFSIZ];
	uint32_t bytes;
	int err;

	err = parse_size("burst-in", s, &bytes);
	if (err)
		printf("  \"%s\": error %d\n", s, err);
	else
		printf("  \"%s\" -> %u bytes (%s)\n", s, bytes,
		       format_size(bytes, buf));
}

/* What format_rate() writes reads back as the same rate: 0 if so. */
static int rate_round_trip(uint64_t bits)
{
	char buf[RATE_BUFSIZ];
	uint64_t bytes_ps;

	format_rate(bits, buf);
	if (parse_rate("rate", buf, &bytes_ps) || bytes_ps * 8 != bits) {
		printf("  %llu bit/s: \"%s\" does not read back\n",
		       (unsigned long long)bits, buf);
		return 1;
	}
	printf("  %llu bit/s: \"%s\"\n", (unsigned long long)bits, buf);
	return 0;
}

static int size_round_trip(uint64_t bytes)
{
	char buf[RATE_BUFSIZ];
	uint32_t back;

	format_size(bytes, buf);
	if (parse_size("size", buf, &back) || back != bytes) {
		printf("  %llu bytes: \"%s\" does not read back\n",
		       (unsigned long long)bytes, buf);
		return 1;
	}
	printf("  %llu bytes: \"%s\"\n", (unsigned long long)bytes, buf);
	return 0;
}

int main(void)
{
	char a[RATE_BUFSIZ], b[RATE_BUFSIZ];
	unsigned int i;
	int failed = 0;

	/* The messages are part of the output, in order. */
	dup2(STDOUT_FILENO, STDERR_FILENO);

	printf("== good rates\n");
	for (i = 0; i < ARRAY_SIZE(good_rates); i++)
		rate(good_rates[i]);
	printf("== bad rates\n");
	for (i = 0; i < ARRAY_SIZE(bad_rates); i++)
		rate(bad_rates[i]);
	printf("== good sizes\n");
	for (i = 0; i < ARRAY_SIZE(good_sizes); i++)
		size(good_sizes[i]);
	printf("== bad sizes\n");
	for (i = 0; i < ARRAY_SIZE(bad_sizes); i++)
		size(bad_sizes[i]);
	printf("== rates read back\n");
	for (i = 0; i < ARRAY_SIZE(rates_bits); i++)
		failed |= rate_round_trip(rates_bits[i]);
	printf("== sizes read back\n");
	for (i = 0; i < ARRAY_SIZE(sizes_bytes); i++)
		failed |= size_round_trip(sizes_bytes[i]);
	printf("== zeros\n");
	printf("  rate 0: \"%s\", size 0: \"%s\"\n", format_rate(0, a),
	       format_size(0, b));
	return failed;
}

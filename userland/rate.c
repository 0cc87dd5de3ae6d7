// SPDX-License-Identifier: GPL-2.0
/*
 * vmbr: rates and sizes, as tc writes them.
 *
 * A number is read in floating point, as tc reads it: doubles hold every
 * whole number of bytes a second up to VMBR_RATE_MAX exactly, and a
 * fraction to far less than a byte.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <linux/vmbridge.h>

#include "rate.h"
#include "vmbr.h"

struct unit {
	const char *name;	/* matched without regard to case */
	double scale;		/* in the base unit: bits, or bytes */
};

#define KI	1024.0
#define MI	(KI * KI)
#define GI	(KI * MI)
#define TI	(KI * GI)

/* Bits a second.  "Bps" is bytes, and so, case aside, is "bps". */
static const struct unit rate_units[] = {
	{ "", 1 }, { "bit", 1 },
	{ "kbit", 1e3 }, { "mbit", 1e6 }, { "gbit", 1e9 }, { "tbit", 1e12 },
	{ "kibit", KI }, { "mibit", MI }, { "gibit", GI }, { "tibit", TI },
	{ "bps", 8 },
	{ "kbps", 8e3 }, { "mbps", 8e6 }, { "gbps", 8e9 }, { "tbps", 8e12 },
	{ "kibps", 8 * KI }, { "mibps", 8 * MI }, { "gibps", 8 * GI },
	{ "tibps", 8 * TI },
	{ .name = NULL }
};

/* Bytes.  The "bit" units are bits, of 1024s. */
static const struct unit size_units[] = {
	{ "", 1 }, { "b", 1 },
	{ "k", KI }, { "kb", KI }, { "m", MI }, { "mb", MI },
	{ "g", GI }, { "gb", GI },
	{ "kbit", KI / 8 }, { "mbit", MI / 8 }, { "gbit", GI / 8 },
	{ .name = NULL }
};

/*
 * @s as digits, perhaps a point and more digits, then one of @units: its
 * value in the base unit, or -1 if it is none.  Blanks, signs, exponents
 * and hexadecimal, which strtod() would take, are not numbers here.
 */
static double value_of(const char *s, const struct unit *units)
{
	const char *p = s;
	char *end;
	double v;

	if (!isdigit((unsigned char)*p))
		return -1;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		while (isdigit((unsigned char)*p))
			p++;
	}
	v = strtod(s, &end);
	if (end != p)
		return -1;
	for (; units->name; units++)
		if (!strcasecmp(p, units->name))
			return v * units->scale;
	return -1;
}

int parse_rate(const char *what, const char *s, uint64_t *bytes_ps)
{
	double bytes = value_of(s, rate_units) / 8;
	char max[RATE_BUFSIZ];

	if (bytes < 0)
		return usage_err("invalid %s \"%s\": expected a rate as tc writes it, e.g. 20mbit, 1.5gbit or 800kbit",
				 what, s);
	if (bytes >= VMBR_RATE_MAX + 0.5)
		return usage_err("invalid %s \"%s\": at most %s", what, s,
				 format_rate(VMBR_RATE_MAX * 8, max));
	*bytes_ps = (uint64_t)(bytes + 0.5);
	if (!*bytes_ps && bytes > 0)
		return usage_err("invalid %s \"%s\": less than a byte a second",
				 what, s);
	return 0;
}

int parse_size(const char *what, const char *s, uint32_t *bytes)
{
	double v = value_of(s, size_units);
	char max[RATE_BUFSIZ];

	if (v < 0)
		return usage_err("invalid %s \"%s\": expected a size as tc writes it, e.g. 64k, 1m or 1500 (bytes)",
				 what, s);
	if (v < 0.5 || v >= VMBR_RATE_BURST_MAX + 0.5)
		return usage_err("invalid %s \"%s\": expected 1 byte to %s",
				 what, s, format_size(VMBR_RATE_BURST_MAX, max));
	*bytes = (uint32_t)(v + 0.5);
	return 0;
}

const char *format_rate(uint64_t bits_ps, char *buf)
{
	static const struct {
		const char *name;
		uint64_t bits;
	} units[] = {
		{ "tbit", 1000000000000ULL }, { "gbit", 1000000000ULL },
		{ "mbit", 1000000ULL }, { "kbit", 1000ULL },
	};
	unsigned int i;

	for (i = 0; bits_ps && i < ARRAY_SIZE(units); i++) {
		if (bits_ps % units[i].bits == 0) {
			snprintf(buf, RATE_BUFSIZ, "%llu%s",
				 (unsigned long long)(bits_ps / units[i].bits),
				 units[i].name);
			return buf;
		}
	}
	snprintf(buf, RATE_BUFSIZ, "%llubit", (unsigned long long)bits_ps);
	return buf;
}

const char *format_size(uint64_t bytes, char *buf)
{
	if (bytes && bytes % (1024 * 1024) == 0)
		snprintf(buf, RATE_BUFSIZ, "%llum",
			 (unsigned long long)(bytes / (1024 * 1024)));
	else if (bytes && bytes % 1024 == 0)
		snprintf(buf, RATE_BUFSIZ, "%lluk",
			 (unsigned long long)(bytes / 1024));
	else
		snprintf(buf, RATE_BUFSIZ, "%llu", (unsigned long long)bytes);
	return buf;
}

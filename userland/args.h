/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmbr: command-line arguments.  A strict parser for numbers (MAC
 * addresses are in mac.h, VLAN lists in vlan.h), and keyword option tables
 * ("mode MODE", "ageing SECONDS") that turn "KEYWORD VALUE" pairs into
 * netlink attributes.
 *
 * Parsers print their own message and return an exit status: EXIT_USAGE
 * for a malformed argument, EXIT_FAIL for a device that does not exist.
 */
#ifndef VMBR_ARGS_H
#define VMBR_ARGS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/vmbridge.h>

/* 802.1Q: 0 and 4095 are reserved. */
#define VID_MIN		VMBR_VID_MIN
#define VID_MAX		VMBR_VID_MAX

struct nlmsghdr;

/*
 * A keyword option.  put() checks @arg and adds it to the request as
 * attribute @type; numbers must lie in @min..@max.  Adding an option to a
 * command is adding a line to its table: parsing, duplicate and missing
 * checks, and the usage line (vmbr --help) follow from it.  A table ends
 * with an entry whose name is NULL.
 *
 * Options may form a group: an option with @alt is an alternative to the
 * one before it (at most one of them is given), one with @sub goes only
 * with the option before it that has no @sub.  The group of "vlan",
 * "trunk" (@alt) and "native" (@sub) reads "[vlan VID | trunk VIDLIST
 * [native VID]]".  Required options are in no group.
 *
 * An option with note() instead of put() is one the command puts itself,
 * after parsing: note() checks @arg and keeps it in the command's context
 * (opts_parse_ctx()).  That is for options that end up in one attribute
 * together, as a rate and its burst in one nest, whatever their order.
 */
struct opt {
	const char *name;
	const char *metavar;
	int (*put)(struct nlmsghdr *nlh, const struct opt *opt,
		   const char *arg);
	int (*note)(void *ctx, const struct opt *opt, const char *arg);
	uint16_t type;
	unsigned long min;
	unsigned long max;
	bool required;
	bool alt;
	bool sub;
};

/* put() for ... */
int opt_put_mode(struct nlmsghdr *nlh, const struct opt *opt,
		 const char *arg);		/* u8 enum vmbr_mode */
int opt_put_on_off(struct nlmsghdr *nlh, const struct opt *opt,
		   const char *arg);		/* u8: "on" 1, "off" 0 */
int opt_put_u16(struct nlmsghdr *nlh, const struct opt *opt,
		const char *arg);		/* u16 in min..max */
int opt_put_u16_or_none(struct nlmsghdr *nlh, const struct opt *opt,
			const char *arg);	/* u16 in min..max, "none": 0 */
int opt_put_u32(struct nlmsghdr *nlh, const struct opt *opt,
		const char *arg);		/* u32 in min..max */
int opt_put_dev(struct nlmsghdr *nlh, const struct opt *opt,
		const char *arg);		/* u32 ifindex */
int opt_put_dev_or_none(struct nlmsghdr *nlh, const struct opt *opt,
			const char *arg);	/* u32 ifindex, "none": 0 */
int opt_put_port(struct nlmsghdr *nlh, const struct opt *opt,
		 const char *arg);		/* VMBR_A_PORT {ifindex} */
int opt_put_vidlist(struct nlmsghdr *nlh, const struct opt *opt,
		    const char *arg);		/* VLAN bitmap (vlan.h) */
int opt_put_vni_map(struct nlmsghdr *nlh, const struct opt *opt,
		    const char *arg);	/* nest: VID:VNI,... or none */
int opt_put_vidlist_or_none(struct nlmsghdr *nlh, const struct opt *opt,
			    const char *arg);	/* "none": no VLAN */

/*
 * Adds the "KEYWORD VALUE" pairs of @argv to @nlh, at the current nest.
 * Each keyword at most once; required ones must be given.  @given (may be
 * NULL) is set to the number of options found.
 */
int opts_parse(struct nlmsghdr *nlh, const struct opt *opts, int argc,
	       char **argv, unsigned int *given);

/* The same, passing @ctx to the note() of the options that have one. */
int opts_parse_ctx(struct nlmsghdr *nlh, const struct opt *opts, int argc,
		   char **argv, unsigned int *given, void *ctx);

/* Whether keyword @name is among the "KEYWORD VALUE" pairs of @argv. */
bool opts_given(int argc, char **argv, const char *name);

/* Whether @opts has no options at all. */
bool opts_empty(const struct opt *opts);

/* " [keyword METAVAR]..." for usage lines, groups as "[a A | b B [c C]]". */
void opts_usage(FILE *f, const struct opt *opts);

/* The same, a group a line: each after the first on a new line, @indent. */
void opts_usage_lines(FILE *f, const struct opt *opts, const char *indent);

/* @s as a decimal number in @min..@max; @what names it in messages. */
int parse_ulong(const char *what, const char *s, unsigned long min,
		unsigned long max, unsigned long *val);

#endif /* VMBR_ARGS_H */

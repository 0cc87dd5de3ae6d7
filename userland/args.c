// SPDX-License-Identifier: GPL-2.0
/*
 * vmbr: command-line arguments and keyword option tables.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/vmbridge.h>

#include "args.h"
#include "ifname.h"
#include "names.h"
#include "vlan.h"
#include "vni.h"
#include "vmbr.h"

/* @s as a decimal number in @min..@max, quietly. */
static bool ulong_of(const char *s, unsigned long min, unsigned long max,
		     unsigned long *val)
{
	unsigned long v;
	char *end;

	/* strtoul() would take blanks, a sign, and wrap negative numbers. */
	if (!isdigit((unsigned char)s[0]))
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end || errno || v < min || v > max)
		return false;
	*val = v;
	return true;
}

int parse_ulong(const char *what, const char *s, unsigned long min,
		unsigned long max, unsigned long *val)
{
	if (ulong_of(s, min, max, val))
		return 0;
	return usage_err("invalid %s \"%s\": expected a number from %lu to %lu",
			 what, s, min, max);
}

/* put() functions. */

int opt_put_mode(struct nlmsghdr *nlh, const struct opt *opt,
		 const char *arg)
{
	int mode = name_lookup(&mode_names, arg);

	if (mode < 0) {
		char list[128];

		return usage_err("invalid %s \"%s\": expected %s", opt->name,
				 arg, name_list(&mode_names, list,
						sizeof(list)));
	}
	mnl_attr_put_u8(nlh, opt->type, mode);
	return 0;
}

int opt_put_on_off(struct nlmsghdr *nlh, const struct opt *opt,
		   const char *arg)
{
	bool on = !strcmp(arg, "on");

	if (!on && strcmp(arg, "off"))
		return usage_err("invalid %s \"%s\": expected on or off",
				 opt->name, arg);
	mnl_attr_put_u8(nlh, opt->type, on);
	return 0;
}

int opt_put_u16(struct nlmsghdr *nlh, const struct opt *opt,
		const char *arg)
{
	unsigned long v;
	int err;

	err = parse_ulong(opt->name, arg, opt->min, opt->max, &v);
	if (!err)
		mnl_attr_put_u16(nlh, opt->type, v);
	return err;
}

int opt_put_u16_or_none(struct nlmsghdr *nlh, const struct opt *opt,
			const char *arg)
{
	unsigned long v = 0;

	if (strcmp(arg, "none") && !ulong_of(arg, opt->min, opt->max, &v))
		return usage_err("invalid %s \"%s\": expected a number from %lu to %lu, or none",
				 opt->name, arg, opt->min, opt->max);
	mnl_attr_put_u16(nlh, opt->type, v);
	return 0;
}

int opt_put_u32(struct nlmsghdr *nlh, const struct opt *opt,
		const char *arg)
{
	unsigned long v;
	int err;

	err = parse_ulong(opt->name, arg, opt->min, opt->max, &v);
	if (!err)
		mnl_attr_put_u32(nlh, opt->type, v);
	return err;
}

int opt_put_dev(struct nlmsghdr *nlh, const struct opt *opt,
		const char *arg)
{
	uint32_t ifindex;
	int err;

	err = dev_index(arg, &ifindex);
	if (!err)
		mnl_attr_put_u32(nlh, opt->type, ifindex);
	return err;
}

int opt_put_dev_or_none(struct nlmsghdr *nlh, const struct opt *opt,
			const char *arg)
{
	if (!strcmp(arg, "none")) {
		mnl_attr_put_u32(nlh, opt->type, 0);
		return 0;
	}
	return opt_put_dev(nlh, opt, arg);
}

int opt_put_port(struct nlmsghdr *nlh, const struct opt *opt,
		 const char *arg)
{
	struct nlattr *nest;
	uint32_t ifindex;
	int err;

	(void)opt;
	err = dev_index(arg, &ifindex);
	if (err)
		return err;
	nest = mnl_attr_nest_start(nlh, VMBR_A_PORT);
	mnl_attr_put_u32(nlh, VMBR_PORT_A_IFINDEX, ifindex);
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

int opt_put_vidlist(struct nlmsghdr *nlh, const struct opt *opt,
		    const char *arg)
{
	uint8_t map[VMBR_VLAN_BITMAP_LEN];
	int err;

	err = parse_vidlist(arg, map);
	if (!err)
		mnl_attr_put(nlh, opt->type, sizeof(map), map);
	return err;
}

int opt_put_vidlist_or_none(struct nlmsghdr *nlh, const struct opt *opt,
			    const char *arg)
{
	static const uint8_t none[VMBR_VLAN_BITMAP_LEN];

	if (!strcmp(arg, "none")) {
		mnl_attr_put(nlh, opt->type, sizeof(none), none);
		return 0;
	}
	return opt_put_vidlist(nlh, opt, arg);
}

int opt_put_vni_map(struct nlmsghdr *nlh, const struct opt *opt,
		    const char *arg)
{
	static struct vni_map map;
	struct nlattr *nest, *entry;
	unsigned int i;
	int err;

	err = parse_vni_map(arg, &map);
	if (err)
		return err;
	/* Empty for none.  VMBR_VNI_MAP_MAX pairs fit a request (nl.h). */
	nest = mnl_attr_nest_start(nlh, opt->type);
	for (i = 0; i < map.count; i++) {
		entry = mnl_attr_nest_start(nlh, VMBR_VNI_A_ENTRY);
		mnl_attr_put_u16(nlh, VMBR_VNI_A_VID, map.pairs[i].vid);
		mnl_attr_put_u32(nlh, VMBR_VNI_A_VNI, map.pairs[i].vni);
		mnl_attr_nest_end(nlh, entry);
	}
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

/* Tables. */

/* The longest option table. */
#define OPTS_MAX	32

static const struct opt *opts_find(const struct opt *opts, const char *name)
{
	for (; opts->name; opts++)
		if (!strcmp(opts->name, name))
			return opts;
	return NULL;
}

static unsigned int opts_count(const struct opt *opts)
{
	unsigned int n = 0;

	while (opts[n].name)
		n++;
	return n;
}

bool opts_given(int argc, char **argv, const char *name)
{
	for (; argc > 0; argc -= 2, argv += 2)
		if (!strcmp(argv[0], name))
			return true;
	return false;
}

bool opts_empty(const struct opt *opts)
{
	return !opts || !opts->name;
}

/*
 * Required options given, alternatives not together, sub-options not
 * without their parent (a table never starts with a sub-option).
 */
static int opts_check(const struct opt *opts, unsigned int count,
		      const bool *seen)
{
	unsigned int i, parent = 0;
	int chosen = -1;

	for (i = 0; i < count; i++) {
		const struct opt *opt = &opts[i];

		if (!opt->alt && !opt->sub)
			chosen = -1;		/* a new group */
		if (!opt->sub)
			parent = i;
		if (!seen[i]) {
			if (opt->required)
				return usage_err("missing \"%s %s\"",
						 opt->name, opt->metavar);
			continue;
		}
		if (opt->sub) {
			if (!seen[parent])
				return usage_err("\"%s\" goes only with \"%s\"",
						 opt->name, opts[parent].name);
			continue;
		}
		if (chosen >= 0)
			return usage_err("\"%s\" and \"%s\" cannot go together",
					 opts[chosen].name, opt->name);
		chosen = i;
	}
	return 0;
}

int opts_parse_ctx(struct nlmsghdr *nlh, const struct opt *opts, int argc,
		   char **argv, unsigned int *given, void *ctx)
{
	unsigned int count = opts ? opts_count(opts) : 0;
	bool seen[OPTS_MAX] = { false };
	unsigned int n = 0, i;
	int err;

	if (count > OPTS_MAX) {
		pr_err("internal error: option table too long");
		return EXIT_FAIL;
	}
	for (; argc > 0; argc -= 2, argv += 2) {
		const struct opt *opt = count ? opts_find(opts, argv[0]) : NULL;

		if (!opt)
			return usage_err("unexpected argument \"%s\"", argv[0]);
		i = opt - opts;
		if (seen[i])
			return usage_err("\"%s\" given twice", opt->name);
		if (argc < 2)
			return usage_err("\"%s\" needs a value: %s %s",
					 opt->name, opt->name, opt->metavar);
		if (opt->note && !ctx) {
			pr_err("internal error: \"%s\" parsed without its context",
			       opt->name);
			return EXIT_FAIL;
		}
		err = opt->note ? opt->note(ctx, opt, argv[1]) :
				  opt->put(nlh, opt, argv[1]);
		if (err)
			return err;
		seen[i] = true;
		n++;
	}
	err = opts_check(opts, count, seen);
	if (err)
		return err;
	if (given)
		*given = n;
	return 0;
}

int opts_parse(struct nlmsghdr *nlh, const struct opt *opts, int argc,
	       char **argv, unsigned int *given)
{
	return opts_parse_ctx(nlh, opts, argc, argv, given, NULL);
}

/*
 * The usage of @opts, each group after the first led by @indent on a new
 * line if @indent, else by a blank.
 */
static void usage(FILE *f, const struct opt *opts, const char *indent)
{
	bool open = false, first = true;

	if (!opts)
		return;
	for (; opts->name; opts++) {
		if (opts->sub) {
			fprintf(f, " [%s %s]", opts->name, opts->metavar);
		} else if (opts->alt) {
			fprintf(f, " | %s %s", opts->name, opts->metavar);
		} else {
			if (indent && !first)
				fprintf(f, "\n%s", indent);
			else
				fputc(' ', f);
			first = false;
			open = !opts->required;
			fprintf(f, open ? "[%s %s" : "%s %s", opts->name,
				opts->metavar);
		}
		/* The group ends where the next option is a new one. */
		if (open && !opts[1].alt && !opts[1].sub) {
			fputc(']', f);
			open = false;
		}
	}
}

void opts_usage(FILE *f, const struct opt *opts)
{
	usage(f, opts, NULL);
}

void opts_usage_lines(FILE *f, const struct opt *opts, const char *indent)
{
	usage(f, opts, indent);
}

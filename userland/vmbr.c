// SPDX-License-Identifier: GPL-2.0
/*
 * vmbr: configuration tool for vmbridge links.
 *
 * main() parses the global options (anywhere on the line), finds the
 * subcommand in the table below and runs it.  The table is also the usage
 * that --help prints: each line's keyword options come from the option
 * table the command parses with.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/vmbridge.h>

#include "args.h"
#include "dhcp.h"
#include "endpoint.h"
#include "names.h"
#include "rate.h"
#include "cmd.h"
#include "vmbr.h"

static const struct cmd cmds[] = {
	{ "add",	cmd_add,	"NAME",		link_add_opts },
	{ "del",	cmd_del,	"NAME",		NULL },
	{ "show",	cmd_show,	"[NAME] [-s]",	NULL },
	{ "set",	cmd_set,	"NAME",		link_set_opts },
	{ "port add",	cmd_port_add,	"NAME PORT",	port_opts },
	{ "port set",	cmd_port_set,	"NAME PORT PORT-OPTIONS", NULL },
	{ "port del",	cmd_port_del,	"NAME PORT",	NULL },
	{ "port show",	cmd_port_show,	"NAME [PORT] [-s]", NULL },
	{ "fdb show",	cmd_fdb_show,	"NAME",		NULL },
	{ "fdb add",	cmd_fdb_add,	"NAME MAC",	fdb_add_opts },
	{ "fdb del",	cmd_fdb_del,	"NAME MAC",	fdb_del_opts },
	{ "fdb flush",	cmd_fdb_flush,	"NAME",		fdb_flush_opts },
	{ "nat show",	cmd_nat_show,	"NAME [-s]",	NULL },
	{ "nat set",	cmd_nat_set,	"NAME",		nat_set_opts },
	{ "nat forward add", cmd_nat_fwd_add, "NAME tcp|udp PORT",
	  nat_fwd_add_opts },
	{ "nat forward del", cmd_nat_fwd_del, "NAME tcp|udp PORT", NULL },
	{ "nat forward show", cmd_nat_fwd_show, "NAME",	NULL },
	{ "nat flush",	cmd_nat_flush,	"NAME",		NULL },
	{ "monitor",	cmd_monitor,	"",		NULL },
	{ "dhcp start",	cmd_dhcp_start,	"NAME",		dhcp_start_opts },
	{ "dhcp stop",	cmd_dhcp_stop,	"NAME",		NULL },
	{ "dhcp show",	cmd_dhcp_show,	"NAME",		NULL },
	{ "save",	cmd_save,	"[NAME]",	NULL },
	{ "restore",	cmd_restore,	"FILE",		NULL },
};

static void print_cmd_usage(FILE *f, const char *lead, const struct cmd *c)
{
	fprintf(f, "%svmbr %s", lead, c->name);
	if (*c->args)
		fprintf(f, " %s", c->args);
	opts_usage(f, c->opts);
	fputc('\n', f);
}

static void print_help(FILE *f)
{
	char modes[128], rate_max[RATE_BUFSIZ], burst_max[RATE_BUFSIZ];
	char burst_min[RATE_BUFSIZ];
	unsigned int i;

	fputs("Usage: vmbr [OPTIONS] COMMAND [ARGUMENTS]\n"
	      "\n"
	      "Configures vmbridge links, the virtual networks of VMs.\n"
	      "\n"
	      "Commands:\n", f);
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		print_cmd_usage(f, "  ", &cmds[i]);
	fprintf(f, "\n"
		"Arguments:\n"
		"  NAME          a vmbridge device\n"
		"  MODE          %s\n"
		"  DEV, PORT     a network device; in nat forward, PORT is a "
		"TCP or UDP port,\n"
		"                %u to %u\n"
		"  SECONDS       FDB ageing time, %u to %u; in dhcp start, "
		"a lease,\n"
		"                %u to %u\n"
		"  N             max-fdb: FDB size limit, 1 to %u entries;\n"
		"                max-macs: MACs a port learns, "
		"0 (no bound) to %u;\n"
		"                max-sessions, max-sessions-per-guest: "
		"NAT sessions,\n"
		"                1 to %u\n"
		"  PPS           bum-rate: frames a port may flood a second,\n"
		"                0 (no limit) to %u\n"
		"  RATE          rate-in, rate-out: bits a second as tc writes "
		"them, e.g.\n"
		"                20mbit, 1.5gbit (bit, kbit, mbit, gbit, tbit, "
		"kibit, ...;\n"
		"                Bps, KBps, KiBps, ... are bytes), up to %s\n"
		"  SIZE          burst-in, burst-out: bytes as tc writes them, "
		"e.g. 64k, 1m\n"
		"                (b, k, m, g; kbit, mbit, gbit), up to %s; by "
		"default\n"
		"                %llu ms of the rate, at least %s and one frame\n"
		"  MAC           a MAC address, xx:xx:xx:xx:xx:xx\n"
		"  ADDR          an IPv4 or IPv6 address, e.g. 192.0.2.1, "
		"2001:db8::1;\n"
		"                in nat forward, a guest's IPv4 address\n"
		"  LOW-HIGH      the NAT's external ports, %u to %u; in dhcp "
		"start, IPv4\n"
		"                addresses in NAME's subnet\n"
		"  FILE          a saved configuration (vmbr save), - for "
		"standard input\n"
		"  S             a NAT timeout, %u to %u seconds\n"
		"  VID           a VLAN id, %u to %u\n"
		"  VIDLIST       VLAN ids and ranges, e.g. 10,20,100-199\n"
		"  PORT-OPTIONS ",
		name_list(&mode_names, modes, sizeof(modes)),
		(unsigned int)NAT_PORT_MIN, (unsigned int)NAT_PORT_MAX,
		(unsigned int)VMBR_AGEING_MIN, (unsigned int)VMBR_AGEING_MAX,
		(unsigned int)DHCP_LEASE_MIN, (unsigned int)DHCP_LEASE_MAX,
		(unsigned int)VMBR_MAX_FDB_MAX, (unsigned int)MAX_MACS_MAX,
		(unsigned int)VMBR_NAT_MAX_SESSIONS_MAX,
		(unsigned int)BUM_RATE_MAX,
		format_rate(VMBR_RATE_MAX * 8, rate_max),
		format_size(VMBR_RATE_BURST_MAX, burst_max),
		(unsigned long long)VMBR_RATE_BURST_DEFAULT_NS / 1000000,
		format_size(VMBR_RATE_BURST_DEFAULT_MIN, burst_min),
		(unsigned int)NAT_PORT_MIN, (unsigned int)NAT_PORT_MAX,
		1U, (unsigned int)VMBR_NAT_TIMEOUT_MAX,
		(unsigned int)VID_MIN, (unsigned int)VID_MAX);
	if (opts_empty(port_opts))
		fputs(" none in this version", f);
	else
		opts_usage_lines(f, port_opts, "                ");
	fputs("\n"
	      "\n"
	      "Options (before or after the command):\n"
	      "  -j, --json     JSON output\n"
	      "  -s, --stats    show counters\n"
	      "  -h, --help     print this help\n"
	      "  -V, --version  print the version\n", f);
}

/* "{add|del|...}": the first words of the table. */
static void print_short_usage(void)
{
	unsigned int i, j;

	fputs("Usage: vmbr [OPTIONS] {", stderr);
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		size_t len = strcspn(cmds[i].name, " ");

		for (j = 0; j < i; j++)
			if (!strncmp(cmds[j].name, cmds[i].name, len) &&
			    strcspn(cmds[j].name, " ") == len)
				break;
		if (j == i)
			fprintf(stderr, "%s%.*s", i ? "|" : "", (int)len,
				cmds[i].name);
	}
	fputs("} ...\nTry \"vmbr --help\".\n", stderr);
}

/* The usage lines of a group ("port", "nat forward"). */
static void print_group_usage(const char *group)
{
	const char *lead = "Usage: ";
	size_t len = strlen(group);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		if (!strncmp(cmds[i].name, group, len) &&
		    cmds[i].name[len] == ' ') {
			print_cmd_usage(stderr, lead, &cmds[i]);
			lead = "       ";
		}
	}
}

/*
 * Takes the global options out of @argv wherever they are ("--" ends
 * them) and returns the number of arguments left, or -1 with *status set
 * when done already (help, version, usage error).
 */
static int parse_global(int argc, char **argv, struct vmbr_opts *o,
			int *status)
{
	bool dashdash = false;
	int i, n = 0;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		/* "-" and negative numbers are arguments (and wrong ones). */
		if (dashdash || a[0] != '-' || !a[1] ||
		    isdigit((unsigned char)a[1])) {
			argv[n++] = argv[i];
		} else if (!strcmp(a, "--")) {
			dashdash = true;
		} else if (!strcmp(a, "-j") || !strcmp(a, "--json")) {
			o->json = true;
		} else if (!strcmp(a, "-s") || !strcmp(a, "--stats")) {
			o->stats = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			print_help(stdout);
			*status = EXIT_OK;
			return -1;
		} else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			printf("vmbr %s\n", VMBR_VERSION);
			*status = EXIT_OK;
			return -1;
		} else {
			usage_err("unknown option \"%s\"", a);
			print_short_usage();
			*status = EXIT_USAGE;
			return -1;
		}
	}
	return n;
}

/* How many words command name @name has. */
static int name_words(const char *name)
{
	int n = 1;

	for (; *name; name++)
		if (*name == ' ')
			n++;
	return n;
}

/*
 * How many of the first words of command name @name @argv starts with:
 * "nat forward show" and "nat forward list" share 2.
 */
static int words_matched(const char *name, int argc, char **argv)
{
	int n;

	for (n = 0; n < argc; n++) {
		size_t len = strcspn(name, " ");

		if (strncmp(argv[n], name, len) || argv[n][len])
			break;
		if (!name[len])
			return n + 1;
		name += len + 1;
	}
	return n;
}

/*
 * The command named by @argv; *@words is how many words named it.  If
 * none, *@words is how many words named a group of commands ("nat",
 * "nat forward"), 0 if none did.
 */
static const struct cmd *find_cmd(int argc, char **argv, int *words)
{
	unsigned int i;
	int n;

	*words = 0;
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		n = words_matched(cmds[i].name, argc, argv);
		if (n == name_words(cmds[i].name)) {
			*words = n;
			return &cmds[i];
		}
		if (n > *words)
			*words = n;
	}
	return NULL;
}

int vmbr_run(const struct vmbr_opts *o, int argc, char **argv)
{
	const struct cmd *c;
	int words, status;

	if (argc < 1) {
		usage_err("no command given");
		print_short_usage();
		return EXIT_USAGE;
	}
	c = find_cmd(argc, argv, &words);
	if (!c) {
		char group[64] = "";
		int i;

		if (!words) {
			usage_err("unknown command \"%s\"", argv[0]);
			print_short_usage();
			return EXIT_USAGE;
		}
		/* The group's words are those of a command name: they fit. */
		for (i = 0; i < words; i++)
			snprintf(group + strlen(group),
				 sizeof(group) - strlen(group), "%s%s",
				 i ? " " : "", argv[i]);
		if (argc > words)
			usage_err("unknown %s command \"%s\"", group,
				  argv[words]);
		else
			usage_err("%s: command expected", group);
		print_group_usage(group);
		return EXIT_USAGE;
	}
	status = c->run(o, argc - words, argv + words);
	if (status == EXIT_USAGE)
		print_cmd_usage(stderr, "Usage: ", c);
	return status;
}

int main(int argc, char **argv)
{
	struct vmbr_opts o = { .json = false };
	int status, n;

	n = parse_global(argc, argv, &o, &status);
	if (n >= 0)
		status = vmbr_run(&o, n, argv);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		pr_err("cannot write the output: %s", strerror(errno));
		status = EXIT_FAIL;
	}
	return status;
}

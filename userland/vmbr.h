/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmbr: configuration tool for vmbridge links.
 *
 * What every part of the tool shares: exit statuses, the parsed global
 * options and the way messages are reported.
 */
#ifndef VMBR_H
#define VMBR_H

#include <stdbool.h>

#ifndef VMBR_VERSION
#define VMBR_VERSION "0.1"
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Exit statuses (vmbr(8), EXIT STATUS). */
enum {
	EXIT_OK = 0,		/* done */
	EXIT_FAIL = 1,		/* the kernel or the system refused */
	EXIT_USAGE = 2,		/* the command line is wrong */
};

/* Global options, parsed once in main() and read-only afterwards. */
struct vmbr_opts {
	bool json;		/* -j: JSON output */
	bool stats;		/* -s: add counters */
};

/* util.c: messages on stderr, each "vmbr: ..." on one line. */
void pr_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pr_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void die_oom(void) __attribute__((noreturn));
int check_no_args(int argc, char **argv);

#endif /* VMBR_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * vmbr: messages.  Errors and warnings go to stderr as one line each,
 * prefixed with the program's name; stdout is flushed first so that both
 * streams interleave in order on a terminal.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "vmbr.h"

static void vmsg(const char *prefix, const char *fmt, va_list ap)
{
	fflush(stdout);
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void pr_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("vmbr: ", fmt, ap);
	va_end(ap);
}

void pr_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("vmbr: warning: ", fmt, ap);
	va_end(ap);
}

/* A usage error: the message here, the usage line from main(). */
int usage_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("vmbr: ", fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

void die_oom(void)
{
	pr_err("out of memory");
	exit(EXIT_FAIL);
}

/* For commands whose fixed arguments are all consumed. */
int check_no_args(int argc, char **argv)
{
	if (argc > 0)
		return usage_err("unexpected argument \"%s\"", argv[0]);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmbr: the names of the uapi enums (modes, port roles, drop reasons,
 * limits, events, NAT filtering, TCP states and drop reasons) and of the
 * NAT's protocols, for parsing and printing.
 */
#ifndef VMBR_NAMES_H
#define VMBR_NAMES_H

#include <stddef.h>

/* Room for any name, including the "prefix-N" of an unknown value. */
#define NAME_BUFSIZ 32

struct name_table {
	const char *const *names;	/* indexed by value; NULL: no name */
	unsigned int count;
	const char *unknown;		/* unknown N prints as "unknown-N" */
};

extern const struct name_table mode_names;
extern const struct name_table role_names;
extern const struct name_table drop_names;
extern const struct name_table limit_names;
extern const struct name_table event_names;
extern const struct name_table nat_filter_names;
extern const struct name_table nat_tcp_state_names;
extern const struct name_table nat_drop_names;
extern const struct name_table proto_names;	/* icmp, tcp, udp */

/* The name of @val, or "unknown-N" built in @buf (NAME_BUFSIZ bytes). */
const char *name_of(const struct name_table *t, unsigned int val, char *buf);

/* The value called @name, or -1. */
int name_lookup(const struct name_table *t, const char *name);

/* "a | b | c", for usage messages, in @buf. */
const char *name_list(const struct name_table *t, char *buf, size_t len);

#endif /* VMBR_NAMES_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmbr: the subcommands, and the option tables their usage lines show.
 */
#ifndef VMBR_CMD_H
#define VMBR_CMD_H

#include "args.h"
#include "vmbr.h"

/*
 * A subcommand: its words ("show", "port add", "nat forward add"), what it
 * runs, and what its usage line shows after the words: fixed arguments,
 * then its keyword options (args.h), generated from the table the command
 * parses with.  run() returns an exit status; on EXIT_USAGE main() prints
 * the usage line.
 */
struct cmd {
	const char *name;
	int (*run)(const struct vmbr_opts *o, int argc, char **argv);
	const char *args;
	const struct opt *opts;
};

/* cmd_link.c */
extern const struct opt link_add_opts[];
extern const struct opt link_set_opts[];
int cmd_add(const struct vmbr_opts *o, int argc, char **argv);
int cmd_del(const struct vmbr_opts *o, int argc, char **argv);
int cmd_show(const struct vmbr_opts *o, int argc, char **argv);
int cmd_set(const struct vmbr_opts *o, int argc, char **argv);

/* cmd_port.c */
#define MAX_MACS_MAX	VMBR_MAX_FDB_MAX	/* a port's max-macs */
#define BUM_RATE_MAX	VMBR_BUM_RATE_MAX	/* a port's bum-rate */
extern const struct opt port_opts[];
int cmd_port_add(const struct vmbr_opts *o, int argc, char **argv);
int cmd_port_set(const struct vmbr_opts *o, int argc, char **argv);
int cmd_port_del(const struct vmbr_opts *o, int argc, char **argv);
int cmd_port_show(const struct vmbr_opts *o, int argc, char **argv);

/* cmd_fdb.c */
extern const struct opt fdb_add_opts[];
extern const struct opt fdb_del_opts[];
extern const struct opt fdb_flush_opts[];
int cmd_fdb_show(const struct vmbr_opts *o, int argc, char **argv);
int cmd_fdb_add(const struct vmbr_opts *o, int argc, char **argv);
int cmd_fdb_del(const struct vmbr_opts *o, int argc, char **argv);
int cmd_fdb_flush(const struct vmbr_opts *o, int argc, char **argv);

/* cmd_nat.c */
extern const struct opt nat_set_opts[];
extern const struct opt nat_fwd_add_opts[];
int cmd_nat_show(const struct vmbr_opts *o, int argc, char **argv);
int cmd_nat_set(const struct vmbr_opts *o, int argc, char **argv);
int cmd_nat_fwd_add(const struct vmbr_opts *o, int argc, char **argv);
int cmd_nat_fwd_del(const struct vmbr_opts *o, int argc, char **argv);
int cmd_nat_fwd_show(const struct vmbr_opts *o, int argc, char **argv);
int cmd_nat_flush(const struct vmbr_opts *o, int argc, char **argv);

/* cmd_monitor.c */
int cmd_monitor(const struct vmbr_opts *o, int argc, char **argv);

/* cmd_dhcp.c */
extern const struct opt dhcp_start_opts[];
int cmd_dhcp_start(const struct vmbr_opts *o, int argc, char **argv);
int cmd_dhcp_stop(const struct vmbr_opts *o, int argc, char **argv);
int cmd_dhcp_show(const struct vmbr_opts *o, int argc, char **argv);
/* Stops the DHCP server of @ifname if one runs (vmbr del); quiet if not. */
void dhcp_stop_if_running(const char *ifname);

/* cmd_config.c */
int cmd_save(const struct vmbr_opts *o, int argc, char **argv);
int cmd_restore(const struct vmbr_opts *o, int argc, char **argv);

/*
 * vmbr.c: runs the command of @argv (its words, then its arguments) as
 * main() does, global options parsed already; an exit status.
 */
int vmbr_run(const struct vmbr_opts *o, int argc, char **argv);

#endif /* VMBR_CMD_H */

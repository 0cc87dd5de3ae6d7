/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmbr: bandwidth, as tc writes it.  On the command line a RATE
 * ("20mbit", "1.5gbit", "100KBps") and a SIZE ("64k", "1m", "1500"), in
 * the units of tc(8) (iproute2's get_rate64() and get_size()), matched
 * without regard to case; in messages a rate is bytes a second (u64), a
 * size bytes (u32).  vmbr prints rates in bits a second and sizes in
 * bytes, in the largest unit that holds them exactly, so that what it
 * prints reads back the same.
 */
#ifndef VMBR_RATE_H
#define VMBR_RATE_H

#include <stdint.h>

/* Room for a rate or a size: "18446744073709551615bit". */
#define RATE_BUFSIZ	24

/*
 * @s as a rate, in *@bytes_ps (rounded to the nearest byte a second): a
 * number, perhaps with decimals, and a unit (bits a second if none), at
 * most VMBR_RATE_MAX bytes a second.  A rate of 0 is 0 (the kernel says
 * what it makes of it), one that rounds to 0 is a mistake.  Prints
 * "invalid @what ..." and returns EXIT_USAGE if it is not one.
 */
int parse_rate(const char *what, const char *s, uint64_t *bytes_ps);

/*
 * @s as a size, in *@bytes (rounded to the nearest byte): a number,
 * perhaps with decimals, and a unit (bytes if none), 1 byte to
 * VMBR_RATE_BURST_MAX.  Prints "invalid @what ..." and returns EXIT_USAGE
 * if it is not one.
 */
int parse_size(const char *what, const char *s, uint32_t *bytes);

/*
 * @bits_ps in @buf (RATE_BUFSIZ bytes): "20mbit", in the largest of tbit,
 * gbit, mbit and kbit that divides it, else "1500bit".
 */
const char *format_rate(uint64_t bits_ps, char *buf);

/*
 * @bytes in @buf (RATE_BUFSIZ bytes): "2m", "64k" if a whole number of
 * those, else "1500".
 */
const char *format_size(uint64_t bytes, char *buf);

#endif /* VMBR_RATE_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: a fuzzer for the "vmbridge" generic netlink family.
 *
 * usage: nlfuzz [-n COUNT] [-s SEED] [-w BATCH] [-v] VMBRIDGE PORT...
 *
 * Sends COUNT requests (default 100000) to the family, every one with
 * NLM_F_REQUEST | NLM_F_ACK, some as dumps (NLM_F_DUMP), and reads every
 * answer.  The requests are a mix of
 *  - well-formed requests of every command, with random valid and
 *    out-of-range values, naming the real vmbridge, the given ports and the
 *    other devices of the namespace (so the handlers' deep paths run: mode,
 *    uplink, ageing, max-fdb, VLANs, port add/set/del, guards, FDB), and
 *  - mutations of them: random attribute types and flags, truncated,
 *    oversized and lying lengths, wrong nesting, duplicated and dropped
 *    attributes, random bytes, bad commands, versions, reserved fields and
 *    message flags, unknown families, messages cut short, random payloads.
 * Requests go out in batches (several netlink messages in one sendmsg);
 * the answers are matched to them by sequence number.
 *
 * Every request must be answered exactly once: by an ack (error 0), an
 * error, or, for a dump, NLMSG_DONE.  A request not answered within the
 * receive timeout (2 s) counts as unanswered.  Answers are checked too:
 * an errno must be a valid one; a request that is invalid whatever the
 * state (a value outside the policy, a bad command, NAT mode, ...) must
 * not be acked; without CAP_NET_ADMIN every well-formed change must be
 * refused with EPERM; a refused SET or PORT_SET must change nothing (checked
 * for a sample with GET / PORT_GET before and after); replies must be
 * well-formed.  Such failures are "wrong" answers.
 *
 * The generated sequence depends only on the seed (and the devices), so a
 * run can be replayed; -v prints every request.  When the kernel's taint
 * flags change (a WARN, a KASAN report...), the requests of the last two
 * batches are printed.  As root, progress markers go to /dev/kmsg.
 *
 * Prints one summary line
 *   nlfuzz: sent N, acked A, errors E (by errno: ...), dumps D, unanswered U
 * and exits 0 only if every request was answered and no answer was wrong.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/vmbridge.h>

#define MSG_MAX		8192		/* one request */
#define BATCH_MAX	32		/* requests in one sendmsg */
#define BATCH_BYTES	(96 * 1024)
#define RECV_BUF	(256 * 1024)
#define TIMEOUT_S	2
#define MAX_ERRNO	4095
#define MAX_DEVS	64
#define MAX_WRONG_SHOWN	20

/* Random numbers: splitmix64, reproducible from the seed. */
static uint64_t rng_state;

static uint64_t rnd64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t rnd(uint32_t n)		/* 0 .. n-1 */
{
	return n ? (uint32_t)(rnd64() % n) : 0;
}

static bool chance(unsigned int percent)
{
	return rnd(100) < percent;
}

static void rnd_bytes(void *p, size_t n)
{
	unsigned char *c = p;

	while (n--)
		*c++ = rnd64();
}

/* What we know of the system. */
static uint16_t family_id;
static uint32_t events_group;
static uint32_t vmbr_ifindex;
static const char *vmbr_name;
static uint32_t ports[MAX_DEVS];	/* the PORT arguments */
static int n_ports;
static uint32_t devs[MAX_DEVS];		/* every device of the netns */
static int n_devs;
static uint16_t bad_families[4];	/* family ids verified unused */
static int n_bad_families;
static bool privileged;
static bool verbose;

/* Counters. */
static unsigned long sent, acked, errors, dumps, unanswered, wrong;
static unsigned long dump_parts, replies, late, overruns, events;
static unsigned long atomic_checks, by_errno[MAX_ERRNO + 1];

/* Expectations of an answer. */
enum expect {
	EXP_ANY,	/* anything but a malformed answer */
	EXP_ERR,	/* any errno, not an ack */
	EXP_EPERM,	/* EPERM exactly */
};

static const char *const exp_names[] = { "any", "an error", "EPERM" };

struct req {
	unsigned long index;	/* 0 .. COUNT-1 */
	uint32_t seq;
	size_t off, len;	/* in the batch buffer */
	uint8_t cmd;
	bool dump;		/* sent with NLM_F_DUMP */
	bool mutated;
	bool atomic;		/* GET before and after: must not change */
	enum expect exp;
	bool answered;
	unsigned int got_reply;
};

static unsigned char batch_buf[2][BATCH_BYTES + MSG_MAX];
static size_t batch_len[2];
static struct req batch_req[2][BATCH_MAX];
static int batch_n[2];
static int cur;			/* the batch being built: batch_*[cur] */
static uint32_t next_seq = 1000;

/* ------------------------------------------------------------------ */
/* Building one message in batch_buf[cur] at offset M.                 */

static unsigned char *M;	/* the message */
static size_t L;		/* its length so far */
static bool MUT;		/* mutate its attributes */
static bool EXPERR;		/* invalid whatever the state */
static size_t nests[16];
static int depth;

static struct nlmsghdr *nlh_of(void)
{
	return (struct nlmsghdr *)M;
}

static void raw_attr(uint16_t type, uint16_t len_field, const void *data,
		     size_t n)
{
	size_t tot = NLA_HDRLEN + NLA_ALIGN(n);
	struct nlattr *a = (struct nlattr *)(M + L);

	if (L + tot > MSG_MAX)
		return;
	a->nla_type = type;
	a->nla_len = len_field;
	if (n)
		memcpy(M + L + NLA_HDRLEN, data, n);
	memset(M + L + NLA_HDRLEN + n, 0, NLA_ALIGN(n) - n);
	L += tot;
}

static void nest_start_raw(uint16_t type)
{
	if (L + NLA_HDRLEN > MSG_MAX || depth >= 16) {
		depth++;		/* nest_end ignores it */
		return;
	}
	nests[depth++] = L;
	raw_attr(type, NLA_HDRLEN, NULL, 0);
}

static void nest_end_raw(int lie)
{
	struct nlattr *a;
	long len;

	if (--depth >= 16 || depth < 0)
		return;
	a = (struct nlattr *)(M + nests[depth]);
	len = (long)(L - nests[depth]) + lie;
	if (len < 0)
		len = 0;
	a->nla_len = len > 0xffff ? 0xffff : len;
}

/* An attribute; when mutating, sometimes a broken one. */
static void put(uint16_t type, const void *data, size_t n)
{
	unsigned char tmp[MSG_MAX];
	size_t k;

	if (!MUT || !chance(15)) {
		raw_attr(type, NLA_HDRLEN + n, data, n);
		return;
	}
	switch (rnd(11)) {
	case 0:		/* another type */
		type = chance(70) ? rnd(VMBR_A_MAX + 4) : rnd(0x10000);
		raw_attr(type, NLA_HDRLEN + n, data, n);
		break;
	case 1:		/* truncated */
		k = rnd(n + 1);
		raw_attr(type, NLA_HDRLEN + k, data, k);
		break;
	case 2:		/* oversized */
		k = 1 + (chance(80) ? rnd(16) : rnd(1200));
		if (n + k > sizeof(tmp))
			k = sizeof(tmp) - n;
		memcpy(tmp, data, n);
		rnd_bytes(tmp + n, k);
		raw_attr(type, NLA_HDRLEN + n + k, tmp, n + k);
		break;
	case 3:		/* a length that lies */
		if (chance(50))
			raw_attr(type, NLA_HDRLEN + n + 1 + rnd(64), data, n);
		else
			raw_attr(type, rnd(NLA_HDRLEN + n + 1), data, n);
		break;
	case 4:		/* duplicated, the second random */
		raw_attr(type, NLA_HDRLEN + n, data, n);
		rnd_bytes(tmp, n);
		raw_attr(type, NLA_HDRLEN + n, chance(50) ? data : tmp, n);
		break;
	case 5:		/* wrong nesting: inside a nest it does not belong in */
		nest_start_raw((chance(50) ? VMBR_A_PORT : chance(50) ?
				VMBR_A_FDB : rnd(VMBR_A_MAX + 2)) |
			       (chance(80) ? NLA_F_NESTED : 0));
		raw_attr(type, NLA_HDRLEN + n, data, n);
		nest_end_raw(0);
		break;
	case 6:		/* flag bits in the type */
		type |= chance(50) ? NLA_F_NESTED : NLA_F_NET_BYTEORDER;
		raw_attr(type, NLA_HDRLEN + n, data, n);
		break;
	case 7:		/* dropped */
		break;
	case 8:		/* random bytes, same length */
		rnd_bytes(tmp, n);
		raw_attr(type, NLA_HDRLEN + n, tmp, n);
		break;
	case 9:		/* empty */
		raw_attr(type, NLA_HDRLEN, NULL, 0);
		break;
	default:	/* one byte flipped */
		memcpy(tmp, data, n);
		if (n)
			tmp[rnd(n)] ^= 1 << rnd(8);
		raw_attr(type, NLA_HDRLEN + n, tmp, n);
		break;
	}
}

static void put_u8(uint16_t type, uint8_t v)
{
	put(type, &v, 1);
}

static void put_u16(uint16_t type, uint16_t v)
{
	put(type, &v, 2);
}

static void put_u32(uint16_t type, uint32_t v)
{
	put(type, &v, 4);
}

static void nest_start(uint16_t type)
{
	if (MUT && chance(8)) {
		switch (rnd(3)) {
		case 0:		/* NLA_F_NESTED missing */
			nest_start_raw(type);
			return;
		case 1:		/* not a nest */
			nest_start_raw(rnd(VMBR_A_MAX + 3) | NLA_F_NESTED);
			return;
		default:	/* nested inside another one */
			nest_start_raw(type | NLA_F_NESTED);
			nest_start_raw(type | NLA_F_NESTED);
			nest_end_raw(0);
			return;
		}
	}
	nest_start_raw(type | NLA_F_NESTED);
}

static void nest_end(void)
{
	nest_end_raw(MUT && chance(5) ? (int)rnd(17) - 8 : 0);
}

/* ------------------------------------------------------------------ */
/* Values.                                                             */

static uint32_t any_dev(void)
{
	return n_devs ? devs[rnd(n_devs)] : 1;
}

static uint32_t any_port(void)
{
	return n_ports ? ports[rnd(n_ports)] : any_dev();
}

/* An ifindex that may or may not exist. */
static uint32_t some_ifindex(void)
{
	switch (rnd(10)) {
	case 0:
		return rnd(64);
	case 1:
		return rnd64();
	case 2:
	case 3:
		return any_dev();
	default:
		return any_port();
	}
}

/*
 * A u32 the policy allows from lo to hi; sometimes one it does not
 * (then the request must fail).
 */
static uint32_t pick_u32(uint32_t lo, uint32_t hi, uint32_t limit)
{
	if (chance(15) && (lo > 0 || hi < limit)) {
		EXPERR = true;
		if (lo > 0 && (hi == limit || chance(50)))
			return chance(70) ? lo - 1 : rnd(lo);
		switch (rnd(3)) {
		case 0:
			return hi + 1;
		case 1:
			return limit;
		default:
			return hi + 1 + rnd(limit - hi);
		}
	}
	switch (rnd(6)) {
	case 0:
		return lo;
	case 1:
		return hi;
	case 2:
		return lo + rnd(hi - lo + 1);
	default:
		return lo + rnd((hi - lo < 100 ? hi - lo : 100) + 1);
	}
}

static uint16_t pick_vid(uint16_t lo)	/* lo .. 4094, or not */
{
	static const uint16_t common[] = { 1, 10, 20, 100, 4094 };

	if (chance(10)) {
		EXPERR = true;
		if (lo && chance(40))
			return 0;
		return chance(50) ? 4095 : 4095 + rnd(0x10000 - 4095);
	}
	if (chance(70)) {
		uint16_t v = common[rnd(5)];

		return v < lo ? lo : v;
	}
	return lo + rnd(4095 - lo);
}

static void set_vid(uint8_t *bm, unsigned int vid)
{
	bm[vid / 8] |= 1 << (vid % 8);
}

/* A VLAN bitmap attribute; sometimes an invalid one. */
static void put_bitmap(uint16_t type)
{
	uint8_t bm[VMBR_VLAN_BITMAP_LEN + 16];
	unsigned int i, a, b;

	memset(bm, 0, sizeof(bm));
	switch (rnd(6)) {
	case 0:		/* none */
		break;
	case 1:		/* a range */
		a = 1 + rnd(4094);
		b = a + rnd(4095 - a);
		for (i = a; i <= b; i++)
			set_vid(bm, i);
		break;
	case 2:		/* all */
		for (i = 1; i <= 4094; i++)
			set_vid(bm, i);
		break;
	default:	/* a few */
		for (i = rnd(6); i > 0; i--)
			set_vid(bm, chance(60) ? 10 * (1 + rnd(3)) :
				1 + rnd(4094));
		break;
	}
	if (chance(10)) {
		EXPERR = true;
		if (chance(15)) {
			size_t n = chance(50) ? VMBR_VLAN_BITMAP_LEN - 1 -
				   rnd(VMBR_VLAN_BITMAP_LEN) :
				   VMBR_VLAN_BITMAP_LEN + 1 + rnd(16);

			put(type, bm, n);
			return;
		}
		set_vid(bm, chance(50) ? 0 : 4095);
	}
	put(type, bm, VMBR_VLAN_BITMAP_LEN);
}

static void mac_pool(uint8_t *mac)
{
	unsigned int i = rnd(128);

	mac[0] = 0x02;
	mac[1] = 0x5a;
	mac[2] = 0;
	mac[3] = 0;
	mac[4] = i >> 8;
	mac[5] = i;
}

/* A station's MAC, or (bad = true) sometimes a multicast or zero one. */
static bool pick_mac(uint8_t *mac)
{
	if (chance(8)) {
		if (chance(50)) {
			memset(mac, 0, 6);
		} else {
			rnd_bytes(mac, 6);
			mac[0] |= 1;
		}
		return false;
	}
	if (chance(80)) {
		mac_pool(mac);
	} else {
		rnd_bytes(mac, 6);
		mac[0] &= ~1;
		mac[0] |= 2;
	}
	return true;
}

static void put_lock_mac(void)
{
	uint8_t macs[(VMBR_LOCK_MAC_MAX + 2) * 6];
	unsigned int n, i;

	n = chance(30) ? 0 : chance(80) ? 1 + rnd(4) : 1 + rnd(VMBR_LOCK_MAC_MAX);
	if (chance(5)) {
		n = VMBR_LOCK_MAC_MAX + 1;	/* policy: too long */
		EXPERR = true;
	}
	/* Distinct pool MACs, so that a valid list is valid. */
	for (i = 0; i < n; i++) {
		macs[i * 6] = 0x02;
		macs[i * 6 + 1] = 0x5b;
		macs[i * 6 + 2] = rnd(256);
		macs[i * 6 + 3] = rnd(256);
		macs[i * 6 + 4] = i;
		macs[i * 6 + 5] = rnd(256);
	}
	if (n && chance(8)) {
		EXPERR = true;
		i = rnd(n);
		switch (rnd(3)) {
		case 0:
			macs[i * 6] |= 1;
			break;
		case 1:
			memset(macs + i * 6, 0, 6);
			break;
		default:	/* listed twice */
			if (n == 1)
				n = 2;
			memcpy(macs + (i + 1) % n * 6, macs + i * 6, 6);
			break;
		}
	}
	if (chance(4)) {
		EXPERR = true;
		put(VMBR_PORT_A_LOCK_MAC, macs, n * 6 + 1 + rnd(5));
		return;
	}
	put(VMBR_PORT_A_LOCK_MAC, macs, n * 6);
}

static void put_lock_ip(void)
{
	uint8_t ips[(VMBR_LOCK_IP_MAX + 2) * 16];
	unsigned int n, i, j;
	uint8_t *a;

	n = chance(30) ? 0 : chance(80) ? 1 + rnd(4) : 1 + rnd(VMBR_LOCK_IP_MAX);
	if (chance(5)) {
		n = VMBR_LOCK_IP_MAX + 1;
		EXPERR = true;
	}
	memset(ips, 0, sizeof(ips));
	for (i = 0; i < n; i++) {
		a = ips + i * 16;
		if (chance(50)) {	/* ::ffff:192.0.2.x, 198.51.x.y */
			a[10] = a[11] = 0xff;
			a[12] = chance(50) ? 192 : 198;
			a[13] = a[12] == 192 ? 0 : 51;
			a[14] = a[12] == 192 ? 2 : i;
			a[15] = a[12] == 192 ? i + 1 : 1 + rnd(254);
		} else {		/* 2001:db8::i:x */
			a[0] = 0x20;
			a[1] = 0x01;
			a[2] = 0x0d;
			a[3] = 0xb8;
			a[13] = i;
			a[14] = rnd(256);
			a[15] = 1 + rnd(255);
		}
	}
	if (n && chance(8)) {
		EXPERR = true;
		j = rnd(n);
		a = ips + j * 16;
		switch (rnd(4)) {
		case 0:		/* :: */
			memset(a, 0, 16);
			break;
		case 1:		/* ff02::1 */
			memset(a, 0, 16);
			a[0] = 0xff;
			a[1] = 0x02;
			a[15] = 1;
			break;
		case 2:		/* ::ffff:224.0.0.1 or 255.255.255.255 */
			memset(a, 0, 16);
			a[10] = a[11] = 0xff;
			if (chance(50)) {
				a[12] = 224;
				a[15] = 1;
			} else {
				memset(a + 12, 0xff, 4);
			}
			break;
		default:	/* listed twice */
			if (n == 1)
				n = 2;
			memcpy(ips + (j + 1) % n * 16, a, 16);
			break;
		}
	}
	if (chance(4)) {
		EXPERR = true;
		put(VMBR_PORT_A_LOCK_IP, ips, n * 16 + 1 + rnd(15));
		return;
	}
	put(VMBR_PORT_A_LOCK_IP, ips, n * 16);
}

/*
 * The vmbridge the request names, usually right.  @used: the command looks
 * it up (a GET dump does not: only the policy applies).
 */
static void put_vmbr_used(bool used)
{
	char name[IFNAMSIZ + 8];
	uint32_t v;

	switch (rnd(40)) {
	case 0:		/* none */
		EXPERR |= used;
		return;
	case 1:		/* ifindex 0: below the policy's minimum */
		put_u32(VMBR_A_IFINDEX, 0);
		EXPERR = true;
		return;
	case 2:		/* a device that is not a vmbridge, or none */
		v = some_ifindex();
		if (v == 0 || (used && v != vmbr_ifindex))
			EXPERR = true;
		put_u32(VMBR_A_IFINDEX, v);
		return;
	case 3:
	case 4:		/* by name */
		put(VMBR_A_IFNAME, vmbr_name, strlen(vmbr_name) + 1);
		return;
	case 5:		/* by a name too long, or without its NUL */
		memset(name, 'x', sizeof(name));
		if (chance(50)) {
			put(VMBR_A_IFNAME, name, sizeof(name));
		} else {
			memcpy(name, vmbr_name, strlen(vmbr_name));
			put(VMBR_A_IFNAME, name, strlen(vmbr_name));
		}
		EXPERR = true;
		return;
	case 6:		/* both: the ifindex wins */
		put(VMBR_A_IFNAME, chance(50) ? vmbr_name : "lo\0",
		    chance(50) ? strlen(vmbr_name) + 1 : 3);
		put_u32(VMBR_A_IFINDEX, vmbr_ifindex);
		return;
	default:
		put_u32(VMBR_A_IFINDEX, vmbr_ifindex);
		return;
	}
}

static void put_vmbr(void)
{
	put_vmbr_used(true);
}

/* ------------------------------------------------------------------ */
/* The commands.                                                       */

static void gen_set(void)
{
	static const uint8_t modes[] = {
		VMBR_MODE_HOSTONLY, VMBR_MODE_BRIDGE, VMBR_MODE_PRIVATE,
		VMBR_MODE_NAT,
	};
	put_vmbr();
	if (chance(35)) {
		if (chance(5)) {
			put_u8(VMBR_A_MODE, VMBR_MODE_MAX + 1 + rnd(252));
			EXPERR = true;
		} else {
			put_u8(VMBR_A_MODE, modes[rnd(4)]);
		}
	}
	if (chance(15)) {
		put_u32(VMBR_A_UPLINK_IFINDEX, chance(40) ? 0 : some_ifindex());
	}
	if (chance(20)) {
		put_u32(VMBR_A_AGEING, pick_u32(VMBR_AGEING_MIN, VMBR_AGEING_MAX,
						UINT32_MAX));
	}
	if (chance(20)) {
		put_u32(VMBR_A_MAX_FDB, pick_u32(1, VMBR_MAX_FDB_MAX,
						 UINT32_MAX));
	}
	if (chance(15)) {
		put_u16(VMBR_A_UPLINK_PVID, chance(20) ? 0 : pick_vid(0));
	}
	if (chance(15)) {
		put_bitmap(VMBR_A_UPLINK_VLANS);
	}
	if (chance(15)) {
		put_u16(VMBR_A_HOST_PVID, pick_vid(1));
	}
	if (chance(15)) {
		put_bitmap(VMBR_A_HOST_VLANS);
	}
}

/*
 * Some of a port's options, each at most once (a second one would override
 * the first: an invalid value followed by a valid one is valid).
 */
static void gen_port_options(int max_options)
{
	int n = rnd(max_options + 1);
	unsigned int done = 0, o;

	if (n && chance(10)) {	/* back to harmless values */
		put_u16(VMBR_PORT_A_PVID, 1);
		put_u8(VMBR_PORT_A_ISOLATED, 0);
		put(VMBR_PORT_A_LOCK_MAC, NULL, 0);
		put(VMBR_PORT_A_LOCK_IP, NULL, 0);
		put_u32(VMBR_PORT_A_BUM_RATE, 0);
		return;
	}
	while (n--) {
		o = rnd(7);
		if (done & (1u << o))
			continue;
		done |= 1u << o;
		switch (o) {
		case 0:
			put_u16(VMBR_PORT_A_PVID, pick_vid(0));
			break;
		case 1:
			put_bitmap(VMBR_PORT_A_VLANS);
			break;
		case 2:
			if (chance(8)) {
				put_u8(VMBR_PORT_A_ISOLATED, 2 + rnd(254));
				EXPERR = true;
			} else {
				put_u8(VMBR_PORT_A_ISOLATED, rnd(2));
			}
			break;
		case 3:
			put_lock_mac();
			break;
		case 4:
			put_u32(VMBR_PORT_A_MAX_MACS,
				pick_u32(0, VMBR_MAX_FDB_MAX, UINT32_MAX));
			break;
		case 5:
			put_u32(VMBR_PORT_A_BUM_RATE,
				pick_u32(0, VMBR_BUM_RATE_MAX, UINT32_MAX));
			break;
		default:
			put_lock_ip();
			break;
		}
	}
}

/* VMBR_A_PORT with a port's ifindex (required) and maybe options. */
static void put_port_nest(bool options, bool *has_ifindex, int *noptions)
{
	size_t before;

	nest_start(VMBR_A_PORT);
	*has_ifindex = !chance(4);
	if (*has_ifindex) {
		if (chance(3)) {
			put_u32(VMBR_PORT_A_IFINDEX, 0);	/* policy: min 1 */
			EXPERR = true;
		} else {
			put_u32(VMBR_PORT_A_IFINDEX,
				chance(85) ? any_port() : some_ifindex() | 1);
		}
	}
	before = L;
	if (options)
		gen_port_options(4);
	*noptions = L != before;
	nest_end();
}

static void gen_port_add(void)
{
	bool ifi;
	int nopt;

	put_vmbr();
	put_port_nest(true, &ifi, &nopt);
	if (!ifi)
		EXPERR = true;
}

static void gen_port_set(void)
{
	bool ifi;
	int nopt;

	put_vmbr();
	put_port_nest(true, &ifi, &nopt);
	if (!ifi || !nopt)	/* no port, or nothing to set */
		EXPERR = true;
}

static void gen_port_get_del(void)
{
	bool ifi;
	int nopt;

	put_vmbr();
	if (chance(5)) {
		EXPERR = true;	/* no VMBR_A_PORT */
		return;
	}
	put_port_nest(false, &ifi, &nopt);
	if (!ifi)
		EXPERR = true;
}

static void gen_fdb(uint8_t cmd)
{
	uint8_t mac[6];
	bool good;

	put_vmbr();
	if (chance(4)) {
		EXPERR = true;	/* no VMBR_A_FDB */
		return;
	}
	nest_start(VMBR_A_FDB);
	if (chance(95)) {
		good = pick_mac(mac);
		if (chance(3)) {	/* policy: exactly 6 bytes */
			put(VMBR_FDB_A_MAC, mac, rnd(6));
			EXPERR = true;
		} else {
			put(VMBR_FDB_A_MAC, mac, 6);
		}
		if (!good && cmd == VMBR_CMD_FDB_ADD)
			EXPERR = true;
	} else {
		EXPERR = true;	/* no MAC */
	}
	if (chance(70))
		put_u16(VMBR_FDB_A_VID, pick_vid(1));
	if (cmd == VMBR_CMD_FDB_ADD || chance(10)) {
		if (chance(95)) {
			uint32_t v = chance(10) ? vmbr_ifindex :
				     chance(85) ? any_port() : some_ifindex();

			if (v == 0) {
				EXPERR = true;	/* policy: min 1 */
			}
			put_u32(VMBR_FDB_A_PORT_IFINDEX, v);
		} else if (cmd == VMBR_CMD_FDB_ADD) {
			EXPERR = true;	/* no port */
		}
	}
	if (chance(50))
		put(VMBR_FDB_A_STATIC, NULL, 0);
	if (chance(3))
		put_u32(VMBR_FDB_A_AGE, rnd64());	/* read only */
	nest_end();
}

/* VMBR_A_NAT: some NAT settings, each at most once. */
static void gen_nat_set(void)
{
	static const uint16_t timeouts[] = {
		VMBR_NAT_A_TIMEOUT_UDP, VMBR_NAT_A_TIMEOUT_TCP_EST,
		VMBR_NAT_A_TIMEOUT_TCP_TRANS, VMBR_NAT_A_TIMEOUT_ICMP,
	};
	unsigned int i;
	uint32_t v;

	put_vmbr();
	if (chance(4)) {
		EXPERR = true;	/* no VMBR_A_NAT */
		return;
	}
	nest_start(VMBR_A_NAT);
	if (chance(30)) {
		uint16_t lo = chance(10) ? 0 : 1024 + rnd(40000);
		uint16_t hi = chance(10) ? 0 : lo + rnd(65536 - lo);

		if (!lo || !hi)
			EXPERR = true;	/* policy: min 1 */
		else if (chance(10) && hi < 0xffff) {
			lo = hi + 1;	/* low above high */
			EXPERR = true;
		}
		put_u16(VMBR_NAT_A_PORT_MIN, lo);
		put_u16(VMBR_NAT_A_PORT_MAX, hi);
	}
	if (chance(25))
		put_u32(VMBR_NAT_A_MAX_SESSIONS,
			pick_u32(1, VMBR_NAT_MAX_SESSIONS_MAX, UINT32_MAX));
	if (chance(25))
		put_u32(VMBR_NAT_A_MAX_SESSIONS_PER_GUEST,
			pick_u32(1, VMBR_NAT_MAX_SESSIONS_MAX, UINT32_MAX));
	for (i = 0; i < sizeof(timeouts) / sizeof(timeouts[0]); i++)
		if (chance(15))
			put_u32(timeouts[i],
				pick_u32(1, VMBR_NAT_TIMEOUT_MAX, UINT32_MAX));
	if (chance(25)) {
		v = chance(10) ? VMBR_NAT_FILTER_MAX + 1 + rnd(250) : rnd(3);
		if (v > VMBR_NAT_FILTER_MAX)
			EXPERR = true;
		put_u8(VMBR_NAT_A_FILTERING, v);
	}
	if (chance(3)) {	/* read only: no policy, refused */
		put_u32(VMBR_NAT_A_SESSIONS + rnd(2), rnd64());
		EXPERR = true;
	}
	nest_end();
}

/* VMBR_A_NAT_FWD for an add (with the guest) or a del. */
static void gen_nat_fwd(bool add)
{
	static const uint8_t protos[] = { 6, 17 };
	uint32_t addr;

	put_vmbr();
	if (chance(4)) {
		EXPERR = true;	/* no VMBR_A_NAT_FWD */
		return;
	}
	nest_start(VMBR_A_NAT_FWD);
	if (chance(95)) {
		uint8_t proto = chance(90) ? protos[rnd(2)] : rnd(256);

		if (proto != 6 && proto != 17)
			EXPERR = true;
		put_u8(VMBR_NAT_FWD_A_PROTO, proto);
	} else {
		EXPERR = true;
	}
	if (chance(95)) {
		uint16_t port = chance(5) ? 0 : 1 + rnd(20);

		if (!port)
			EXPERR = true;
		put_u16(VMBR_NAT_FWD_A_EXT_PORT, port);
	} else {
		EXPERR = true;
	}
	if (add && chance(95)) {
		/* 192.0.2.1..8, or zero, multicast, broadcast, loopback */
		addr = chance(90) ? 0xc0000200 + 1 + rnd(8) :
		       (const uint32_t[]){ 0, 0xe0000001, 0xffffffff,
					    0x7f000001 }[rnd(4)];
		if ((addr & 0xffffff00) != 0xc0000200)
			EXPERR = true;
		addr = htonl(addr);
		put(VMBR_NAT_FWD_A_INT_ADDR, &addr, 4);
	} else if (add) {
		EXPERR = true;
	}
	if (chance(50)) {
		uint16_t port = chance(5) ? 0 : 1 + rnd(65535);

		if (!port)
			EXPERR = true;
		put_u16(VMBR_NAT_FWD_A_INT_PORT, port);
	}
	nest_end();
}

static void gen_fdb_flush(void)
{
	bool ifi;
	int nopt;

	put_vmbr();
	if (chance(40)) {
		put_port_nest(false, &ifi, &nopt);
		if (!ifi)
			EXPERR = true;
	}
}

/* Attributes that no command reads, or out of place. */
static void gen_junk_attrs(void)
{
	int n = 1 + rnd(3);

	while (n--) {
		switch (rnd(5)) {
		case 0:
			put_u32(VMBR_A_FDB_COUNT, rnd64());
			break;
		case 1:
			nest_start(VMBR_A_STATS);
			put_u32(VMBR_STATS_A_RX_PACKETS, rnd64());
			nest_end();
			break;
		case 2:
			put_u8(VMBR_A_LIMIT, rnd(8));
			break;
		case 3:		/* a port attribute at the top level */
			put_u32(VMBR_PORT_A_ISOLATED + rnd(6), rnd64());
			break;
		default:
			put_u32(VMBR_A_MAX + 1 + rnd(16), rnd64());
			break;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Whole messages.                                                     */

static bool is_change(uint8_t cmd)
{
	switch (cmd) {
	case VMBR_CMD_SET:
	case VMBR_CMD_PORT_ADD:
	case VMBR_CMD_PORT_SET:
	case VMBR_CMD_PORT_DEL:
	case VMBR_CMD_FDB_ADD:
	case VMBR_CMD_FDB_DEL:
	case VMBR_CMD_FDB_FLUSH:
	case VMBR_CMD_NAT_SET:
	case VMBR_CMD_NAT_FLUSH:
	case VMBR_CMD_NAT_FWD_ADD:
	case VMBR_CMD_NAT_FWD_DEL:
		return true;
	}
	return false;
}

static bool has_dump(uint8_t cmd)
{
	return cmd == VMBR_CMD_GET || cmd == VMBR_CMD_PORT_GET ||
	       cmd == VMBR_CMD_FDB_GET || cmd == VMBR_CMD_NAT_SESSION_GET ||
	       cmd == VMBR_CMD_NAT_FWD_GET;
}

static bool has_doit(uint8_t cmd)
{
	switch (cmd) {
	case VMBR_CMD_FDB_GET:
	case VMBR_CMD_LIMIT:
	case VMBR_CMD_NAT_SESSION_GET:
	case VMBR_CMD_NAT_FWD_GET:
		return false;
	}
	return cmd >= VMBR_CMD_GET && cmd <= VMBR_CMD_MAX;
}

/*
 * What the answer must be, from the message as it goes out (after any
 * mutation) and what the generator knows.
 */
static enum expect expectation(const struct req *r)
{
	const struct nlmsghdr *nlh = (const void *)(batch_buf[cur] + r->off);
	const struct genlmsghdr *g = (const void *)(nlh + 1);
	uint16_t flags = nlh->nlmsg_flags;
	bool dump;

	if (nlh->nlmsg_type != family_id)
		return nlh->nlmsg_type < NLMSG_MIN_TYPE ? EXP_ANY : EXP_ERR;
	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return EXP_ERR;
	if (!has_doit(g->cmd) && !has_dump(g->cmd))
		return EXP_ERR;		/* no such command */
	/* genl_header_check(): commands >= resv_start_op */
	if (g->reserved)
		return EXP_ERR;
	dump = (flags & NLM_F_DUMP) == NLM_F_DUMP;
	if (dump)
		flags &= ~NLM_F_DUMP;
	if (flags & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO))
		return EXP_ERR;
	if (dump ? !has_dump(g->cmd) : !has_doit(g->cmd))
		return EXP_ERR;
	if (!privileged && is_change(g->cmd))
		return EXP_EPERM;
	if (!r->mutated && EXPERR)
		return EXP_ERR;
	return EXP_ANY;
}

/* Message-level mutations of the finished message. */
static void mutate_message(void)
{
	struct nlmsghdr *nlh = nlh_of();
	struct genlmsghdr *g = (void *)(nlh + 1);
	unsigned int n = 1 + (chance(70) ? 0 : rnd(3));
	size_t k;

	while (n--) {
		switch (rnd(12)) {
		case 0:		/* a bad command */
			g->cmd = chance(30) ? VMBR_CMD_LIMIT :
				 chance(40) ? VMBR_CMD_MAX + 1 + rnd(4) :
				 chance(30) ? 0 : rnd(256);
			break;
		case 1:		/* a bad version */
			g->version = chance(50) ? 0 : rnd(256);
			break;
		case 2:		/* the reserved field */
			g->reserved = 1 + rnd(0xffff);
			break;
		case 3:		/* flags: NLM_F_REQUEST and NLM_F_ACK stay */
			nlh->nlmsg_flags |= 1u << (2 + rnd(10));
			break;
		case 4:		/* cut short: the kernel sees less */
			if (L > NLMSG_HDRLEN + 1)
				L = NLMSG_HDRLEN + rnd(L - NLMSG_HDRLEN);
			break;
		case 5:		/* random bytes after the netlink header */
			for (k = 1 + rnd(8); k > 0; k--)
				M[NLMSG_HDRLEN + rnd(L - NLMSG_HDRLEN)] = rnd64();
			break;
		case 6:		/* trailing garbage */
			k = 1 + rnd(chance(80) ? 16 : 2000);
			if (L + k > MSG_MAX)
				k = MSG_MAX - L;
			rnd_bytes(M + L, k);
			L += k;
			break;
		case 7:		/* a family that does not exist, or a control type */
			if (n_bad_families && chance(60))
				nlh->nlmsg_type = bad_families[rnd(n_bad_families)];
			else
				nlh->nlmsg_type = 1 + rnd(NLMSG_MIN_TYPE - 1);
			break;
		case 8:		/* many random attributes */
			for (k = rnd(200); k > 0 && L + 64 < MSG_MAX; k--) {
				uint8_t tmp[40];
				size_t len = rnd(sizeof(tmp));

				rnd_bytes(tmp, len);
				raw_attr(rnd(VMBR_A_MAX + 3) |
					 (chance(20) ? NLA_F_NESTED : 0),
					 NLA_HDRLEN + len, tmp, len);
			}
			break;
		case 9:		/* as a dump, or not */
			nlh->nlmsg_flags ^= NLM_F_DUMP;
			break;
		case 10:	/* a genl header cut short */
			L = NLMSG_HDRLEN + rnd(GENL_HDRLEN);
			break;
		default:	/* junk attributes */
			gen_junk_attrs();
			break;
		}
	}
	nlh->nlmsg_len = L;
}

/* Build request @r (its cmd and flags chosen here) at batch_buf[cur]. */
static void gen_request(struct req *r)
{
	static const struct { uint8_t cmd; unsigned int weight; } mix[] = {
		{ VMBR_CMD_GET, 9 },
		{ VMBR_CMD_SET, 18 },
		{ VMBR_CMD_PORT_GET, 8 },
		{ VMBR_CMD_PORT_ADD, 9 },
		{ VMBR_CMD_PORT_SET, 22 },
		{ VMBR_CMD_PORT_DEL, 3 },
		{ VMBR_CMD_FDB_GET, 5 },
		{ VMBR_CMD_FDB_ADD, 11 },
		{ VMBR_CMD_FDB_DEL, 8 },
		{ VMBR_CMD_FDB_FLUSH, 3 },
		{ VMBR_CMD_NAT_GET, 3 },
		{ VMBR_CMD_NAT_SET, 8 },
		{ VMBR_CMD_NAT_SESSION_GET, 3 },
		{ VMBR_CMD_NAT_FLUSH, 2 },
		{ VMBR_CMD_NAT_FWD_GET, 2 },
		{ VMBR_CMD_NAT_FWD_ADD, 5 },
		{ VMBR_CMD_NAT_FWD_DEL, 3 },
		{ 0, 2 },		/* a bad command */
	};
	unsigned int total = 0, w, i;
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
	uint8_t cmd = 0;
	int kind;

	for (i = 0; i < sizeof(mix) / sizeof(mix[0]); i++)
		total += mix[i].weight;
	w = rnd(total);
	for (i = 0; i < sizeof(mix) / sizeof(mix[0]); i++) {
		if (w < mix[i].weight) {
			cmd = mix[i].cmd;
			break;
		}
		w -= mix[i].weight;
	}
	if (cmd == 0)
		cmd = chance(50) ? VMBR_CMD_LIMIT : rnd(256);

	/* 0: well-formed, 1: mutated, 2: random payload */
	w = rnd(100);
	kind = w < 55 ? 0 : w < 95 ? 1 : 2;

	M = batch_buf[cur] + batch_len[cur];
	L = 0;
	MUT = kind == 1;
	EXPERR = false;
	depth = 0;

	if (cmd == VMBR_CMD_FDB_GET || cmd == VMBR_CMD_NAT_SESSION_GET ||
	    cmd == VMBR_CMD_NAT_FWD_GET ? chance(90) :
	    has_dump(cmd) ? chance(35) : chance(2))
		flags |= NLM_F_DUMP;
	if (chance(3))
		flags |= NLM_F_ECHO;

	nlh = (struct nlmsghdr *)M;
	memset(nlh, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh->nlmsg_type = family_id;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = r->seq;
	g = (struct genlmsghdr *)(nlh + 1);
	g->cmd = cmd;
	g->version = VMBR_GENL_VERSION;
	L = NLMSG_HDRLEN + GENL_HDRLEN;

	if (kind == 2) {
		size_t n = chance(80) ? rnd(64) : rnd(MSG_MAX - L);

		rnd_bytes(M + L, n);
		L += n;
	} else {
		switch (cmd) {
		case VMBR_CMD_GET:
		case VMBR_CMD_FDB_GET:
		case VMBR_CMD_NAT_SESSION_GET:
		case VMBR_CMD_NAT_FWD_GET:
			if (!(flags & NLM_F_DUMP) || cmd != VMBR_CMD_GET)
				put_vmbr();
			else if (chance(20))
				put_vmbr_used(false);
			break;
		case VMBR_CMD_SET:
			gen_set();
			break;
		case VMBR_CMD_PORT_GET:
			if (flags & NLM_F_DUMP)
				put_vmbr();
			else
				gen_port_get_del();
			break;
		case VMBR_CMD_PORT_ADD:
			gen_port_add();
			break;
		case VMBR_CMD_PORT_SET:
			gen_port_set();
			break;
		case VMBR_CMD_PORT_DEL:
			gen_port_get_del();
			break;
		case VMBR_CMD_FDB_ADD:
		case VMBR_CMD_FDB_DEL:
			gen_fdb(cmd);
			break;
		case VMBR_CMD_FDB_FLUSH:
			gen_fdb_flush();
			break;
		case VMBR_CMD_NAT_SET:
			gen_nat_set();
			break;
		case VMBR_CMD_NAT_FWD_ADD:
		case VMBR_CMD_NAT_FWD_DEL:
			gen_nat_fwd(cmd == VMBR_CMD_NAT_FWD_ADD);
			break;
		default:
			put_vmbr();
			break;
		}
		if (MUT && chance(10))
			gen_junk_attrs();
	}
	while (depth > 0)
		nest_end_raw(0);
	nlh->nlmsg_len = L;
	if (kind == 1 && chance(50))
		mutate_message();

	r->off = batch_len[cur];
	r->len = nlh->nlmsg_len;
	r->cmd = nlh->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN ? g->cmd : cmd;
	r->dump = (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	r->mutated = kind != 0;
	r->answered = false;
	r->got_reply = 0;
	r->atomic = false;
	r->exp = expectation(r);
	batch_len[cur] += NLMSG_ALIGN(r->len);
}

/* ------------------------------------------------------------------ */
/* Output.                                                             */

static const char *errname(int e)
{
	const char *s = strerrorname_np(e);
	static char buf[16];

	if (s)
		return s;
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}

static void print_req(FILE *f, const unsigned char *buf, const struct req *r)
{
	const struct nlmsghdr *nlh = (const void *)(buf + r->off);
	size_t i, n = r->len;

	fprintf(f, "  request #%lu seq %u cmd %u%s%s len %zu expect %s:",
		r->index, r->seq, r->cmd, r->dump ? " dump" : "",
		r->mutated ? " mutated" : "", r->len, exp_names[r->exp]);
	if (n < NLMSG_HDRLEN)
		n = NLMSG_HDRLEN;
	if (n > 512)
		n = 512;
	for (i = 0; i < n; i++)
		fprintf(f, "%s%02x", i % 32 ? "" : "\n    ",
			((const unsigned char *)nlh)[i]);
	fprintf(f, "%s\n", n < r->len ? " ..." : "");
}

static void report_wrong(const struct req *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void report_wrong(const struct req *r, const char *fmt, ...)
{
	va_list ap;

	wrong++;
	if (wrong > MAX_WRONG_SHOWN)
		return;
	printf("nlfuzz: WRONG answer: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	print_req(stdout, batch_buf[cur], r);
	fflush(stdout);
}

/* ------------------------------------------------------------------ */
/* Netlink I/O.                                                        */

static int fd, ev_fd = -1;
static unsigned char rbuf[RECV_BUF];

static int open_sock(bool big)
{
	int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	struct timeval tv = { .tv_sec = TIMEOUT_S };
	int one = 1, size = 8 << 20;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("nlfuzz: netlink socket");
		exit(2);
	}
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(s, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (big && setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &size,
			      sizeof(size)) < 0)
		setsockopt(s, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	return s;
}

/* One synchronous request; the callback sees every reply message. */
static int simple_request(struct nlmsghdr *nlh,
			  void (*cb)(const struct nlmsghdr *, void *),
			  void *data)
{
	uint32_t seq = next_seq++;
	ssize_t n;

	nlh->nlmsg_seq = seq;
	if (send(fd, nlh, nlh->nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		const struct nlmsghdr *m;
		int len;

		n = recv(fd, rbuf, sizeof(rbuf), 0);
		if (n < 0)
			return -errno;
		len = n;
		for (m = (void *)rbuf; mnl_nlmsg_ok(m, len);
		     m = mnl_nlmsg_next(m, &len)) {
			if (m->nlmsg_seq != seq) {
				late++;
				continue;
			}
			if (m->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(m);

				return e->error;
			}
			if (m->nlmsg_type == NLMSG_DONE)
				return *(const int *)mnl_nlmsg_get_payload(m);
			if (cb)
				cb(m, data);
		}
	}
}

static int family_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (type <= CTRL_ATTR_MAX)
		tb[type] = a;
	return MNL_CB_OK;
}

static void family_cb(const struct nlmsghdr *m, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1] = {}, *grp, *ga;

	(void)data;
	mnl_attr_parse(m, GENL_HDRLEN, family_attr_cb, tb);
	if (tb[CTRL_ATTR_FAMILY_ID])
		family_id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return;
	mnl_attr_for_each_nested(grp, tb[CTRL_ATTR_MCAST_GROUPS]) {
		const char *name = NULL;
		uint32_t id = 0;

		mnl_attr_for_each_nested(ga, grp) {
			if (mnl_attr_get_type(ga) == CTRL_ATTR_MCAST_GRP_NAME)
				name = mnl_attr_get_str(ga);
			else if (mnl_attr_get_type(ga) == CTRL_ATTR_MCAST_GRP_ID)
				id = mnl_attr_get_u32(ga);
		}
		if (name && !strcmp(name, VMBR_MCGRP_EVENTS))
			events_group = id;
	}
}

static int ctrl_getfamily(const char *name, uint16_t id)
{
	static unsigned char buf[512];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	if (name)
		mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	else
		mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, id);
	return simple_request(nlh, name ? family_cb : NULL, NULL);
}

/* ------------------------------------------------------------------ */
/* The state snapshot for the "a refused change changes nothing" check. */

struct snap {
	unsigned char data[64 * 1024];
	size_t len;
	bool bad;
};

static void snap_add(struct snap *s, const void *p, size_t n)
{
	if (s->len + n > sizeof(s->data)) {
		s->bad = true;
		return;
	}
	memcpy(s->data + s->len, p, n);
	s->len += n;
}

/* Top-level and VMBR_A_PORT attributes, without the counters. */
static void snap_cb(const struct nlmsghdr *m, void *data)
{
	struct snap *s = data;
	const struct nlattr *a, *pa;

	mnl_attr_for_each(a, m, GENL_HDRLEN) {
		int t = mnl_attr_get_type(a);

		if (t == VMBR_A_FDB_COUNT || t == VMBR_A_STATS)
			continue;
		if (t != VMBR_A_PORT) {
			snap_add(s, a, a->nla_len);
			continue;
		}
		snap_add(s, &t, sizeof(t));
		mnl_attr_for_each_nested(pa, a) {
			int pt = mnl_attr_get_type(pa);

			if (pt == VMBR_PORT_A_FDB_COUNT ||
			    pt == VMBR_PORT_A_STATS)
				continue;
			snap_add(s, pa, pa->nla_len);
		}
	}
}

static bool snapshot(struct snap *s)
{
	static unsigned char buf[256];
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	int cmd;

	s->len = 0;
	s->bad = false;
	for (cmd = VMBR_CMD_GET; cmd <= VMBR_CMD_PORT_GET; cmd += 2) {
		nlh = mnl_nlmsg_put_header(buf);
		nlh->nlmsg_type = family_id;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
		if (cmd == VMBR_CMD_PORT_GET)
			nlh->nlmsg_flags |= NLM_F_DUMP;
		g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
		g->cmd = cmd;
		g->version = VMBR_GENL_VERSION;
		mnl_attr_put_u32(nlh, VMBR_A_IFINDEX, vmbr_ifindex);
		if (simple_request(nlh, snap_cb, s))
			return false;
	}
	return !s->bad;
}

/* ------------------------------------------------------------------ */
/* Batches.                                                            */

static unsigned long taint_last;
static int taint_fd = -1;

static unsigned long read_taint(void)
{
	char buf[32];
	ssize_t n;

	if (taint_fd < 0)
		return 0;
	n = pread(taint_fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	return strtoul(buf, NULL, 10);
}

static void kmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void kmsg(const char *fmt, ...)
{
	static int kfd = -2;
	char buf[200];
	va_list ap;
	int n;

	if (kfd == -2)
		kfd = privileged ? open("/dev/kmsg", O_WRONLY | O_CLOEXEC) : -1;
	if (kfd < 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (write(kfd, buf, n) < 0) {
		close(kfd);
		kfd = -1;
	}
}

static struct req *find_req(uint32_t seq)
{
	int i;

	for (i = 0; i < batch_n[cur]; i++)
		if (batch_req[cur][i].seq == seq)
			return &batch_req[cur][i];
	return NULL;
}

static void count_errno(struct req *r, int err, bool done)
{
	if (err < 0 || err > MAX_ERRNO) {
		report_wrong(r, "%s with error %d, not an errno",
			     done ? "NLMSG_DONE" : "NLMSG_ERROR", -err);
		errors++;
		return;
	}
	if (err == 0) {
		if (done)
			dumps++;
		else
			acked++;
		if (r->exp != EXP_ANY)
			report_wrong(r, "%s, expected %s",
				     done ? "dump done" : "acked",
				     exp_names[r->exp]);
		return;
	}
	errors++;
	by_errno[err]++;
	if (r->exp == EXP_EPERM && err != EPERM)
		report_wrong(r, "error %s, expected EPERM", errname(err));
}

/*
 * Attributes fill their space exactly, the known nests too.  @ctx: 0 the
 * top level, 1 a VMBR_A_PORT, 2 a stats nest, 3 no nests inside.
 */
static bool attrs_ok(const void *p, int len, int ctx)
{
	const struct nlattr *a;

	for (a = p; mnl_attr_ok(a, len); a = mnl_attr_next(a)) {
		int t = mnl_attr_get_type(a), inner = -1;

		len -= NLA_ALIGN(a->nla_len);
		if (len < 0)	/* the last one's padding may be absent */
			len = 0;
		if (ctx == 0 && t == VMBR_A_PORT)
			inner = 1;
		else if (ctx == 0 && t == VMBR_A_STATS)
			inner = 2;
		else if (ctx == 0 && t == VMBR_A_FDB)
			inner = 3;
		else if (ctx == 1 && t == VMBR_PORT_A_STATS)
			inner = 2;
		else if (ctx == 2 && t == VMBR_STATS_A_DROPS)
			inner = 3;
		if (inner >= 0 &&
		    !attrs_ok(mnl_attr_get_payload(a),
			      mnl_attr_get_payload_len(a), inner))
			return false;
	}
	return len == 0;
}

static void handle_msg(const struct nlmsghdr *m)
{
	struct req *r = find_req(m->nlmsg_seq);
	const struct genlmsghdr *g;

	if (!r) {
		late++;
		return;
	}
	if (r->answered) {
		report_wrong(r, "message type %u after the answer",
			     m->nlmsg_type);
		return;
	}
	switch (m->nlmsg_type) {
	case NLMSG_ERROR: {
		const struct nlmsgerr *e = mnl_nlmsg_get_payload(m);

		if (m->nlmsg_len < NLMSG_HDRLEN + sizeof(*e)) {
			report_wrong(r, "short NLMSG_ERROR");
			break;
		}
		r->answered = true;
		count_errno(r, -e->error, false);
		return;
	}
	case NLMSG_DONE:
		if (!r->dump)
			report_wrong(r, "NLMSG_DONE for a request not a dump");
		r->answered = true;
		count_errno(r, m->nlmsg_len >= NLMSG_HDRLEN + sizeof(int) ?
			    -*(const int *)mnl_nlmsg_get_payload(m) : 0, true);
		return;
	default:
		break;
	}
	if (m->nlmsg_type != family_id) {
		report_wrong(r, "a reply of type %u", m->nlmsg_type);
		return;
	}
	g = mnl_nlmsg_get_payload(m);
	if (m->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN ||
	    !attrs_ok((const char *)g + GENL_HDRLEN,
		      m->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, 0)) {
		report_wrong(r, "a malformed reply");
		return;
	}
	if (m->nlmsg_flags & NLM_F_MULTI) {
		dump_parts++;
		if (!r->dump)
			report_wrong(r, "a dump part for a request not a dump");
		return;
	}
	replies++;
	if (r->dump || r->got_reply++ ||
	    (r->cmd != VMBR_CMD_GET && r->cmd != VMBR_CMD_PORT_GET &&
	     r->cmd != VMBR_CMD_NAT_GET) ||
	    g->cmd != r->cmd)
		report_wrong(r, "an unexpected reply (cmd %u)", g->cmd);
}

static void drain_events(void)
{
	ssize_t n;

	if (ev_fd < 0)
		return;
	while ((n = recv(ev_fd, rbuf, sizeof(rbuf), MSG_DONTWAIT)) > 0 ||
	       (n < 0 && errno == ENOBUFS))
		events++;
}

/* Send the batch being built and read every answer. */
static void run_batch(void)
{
	struct snap before, after;
	struct req *r;
	int i, left = batch_n[cur];
	bool atomic = batch_n[cur] == 1 && batch_req[cur][0].atomic;
	unsigned long t;

	if (!left)
		return;
	if (atomic && !snapshot(&before))
		atomic = false;
	if (verbose)
		for (i = 0; i < batch_n[cur]; i++)
			print_req(stdout, batch_buf[cur], &batch_req[cur][i]);
	if (send(fd, batch_buf[cur], batch_len[cur], 0) < 0) {
		printf("nlfuzz: send of %d requests (%zu bytes) failed: %s\n",
		       batch_n[cur], batch_len[cur], strerror(errno));
		for (i = 0; i < batch_n[cur]; i++)
			print_req(stdout, batch_buf[cur], &batch_req[cur][i]);
	}
	sent += batch_n[cur];
	while (left > 0) {
		const struct nlmsghdr *m;
		ssize_t n;
		int len;

		n = recv(fd, rbuf, sizeof(rbuf), 0);
		if (n < 0) {
			if (errno == ENOBUFS) {
				overruns++;
				continue;
			}
			if (errno == EINTR)
				continue;
			break;		/* the timeout */
		}
		len = n;
		for (m = (void *)rbuf; mnl_nlmsg_ok(m, len);
		     m = mnl_nlmsg_next(m, &len)) {
			r = find_req(m->nlmsg_seq);
			bool was = r && r->answered;

			handle_msg(m);
			if (r && !was && r->answered)
				left--;
		}
	}
	for (i = 0; i < batch_n[cur]; i++) {
		r = &batch_req[cur][i];
		if (r->answered)
			continue;
		unanswered++;
		printf("nlfuzz: no answer within %d s:\n", TIMEOUT_S);
		print_req(stdout, batch_buf[cur], r);
	}
	if (atomic) {
		r = &batch_req[cur][0];
		atomic_checks++;
		if (r->answered && snapshot(&after) &&
		    (after.len != before.len ||
		     memcmp(after.data, before.data, before.len)))
			report_wrong(r, "the request was refused but changed the vmbridge or a port");
	}
	drain_events();
	t = read_taint();
	if (t != taint_last) {
		printf("nlfuzz: kernel taint changed from %lu to %lu after request #%lu; the last requests:\n",
		       taint_last, t, batch_req[cur][batch_n[cur] - 1].index);
		for (i = 0; i < batch_n[!cur]; i++)
			print_req(stdout, batch_buf[!cur], &batch_req[!cur][i]);
		for (i = 0; i < batch_n[cur]; i++)
			print_req(stdout, batch_buf[cur], &batch_req[cur][i]);
		fflush(stdout);
		taint_last = t;
	}
	cur = !cur;
	batch_n[cur] = 0;
	batch_len[cur] = 0;
}

/* ------------------------------------------------------------------ */

static bool has_cap_net_admin(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long long caps = 0;

	if (!f)
		return geteuid() == 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &caps) == 1)
			break;
	fclose(f);
	return caps & (1ULL << 12);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: nlfuzz [-n COUNT] [-s SEED] [-w BATCH] [-v] VMBRIDGE PORT...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long count = 100000, i, mark = 0;
	uint64_t seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	unsigned int batch_max = 16;
	struct if_nameindex *ifs, *ifp;
	struct timespec t0, t1;
	int opt, err, e;
	uint16_t cand;

	while ((opt = getopt(argc, argv, "n:s:w:v")) != -1) {
		switch (opt) {
		case 'n':
			count = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'w':
			batch_max = strtoul(optarg, NULL, 0);
			if (batch_max < 1 || batch_max > BATCH_MAX)
				usage();
			break;
		case 'v':
			verbose = true;
			break;
		default:
			usage();
		}
	}
	if (optind >= argc)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	vmbr_name = argv[optind++];
	vmbr_ifindex = if_nametoindex(vmbr_name);
	if (!vmbr_ifindex) {
		fprintf(stderr, "nlfuzz: %s: no such device\n", vmbr_name);
		return 2;
	}
	for (; optind < argc && n_ports < MAX_DEVS; optind++) {
		ports[n_ports] = if_nametoindex(argv[optind]);
		if (!ports[n_ports]) {
			fprintf(stderr, "nlfuzz: %s: no such device\n",
				argv[optind]);
			return 2;
		}
		n_ports++;
	}
	ifs = if_nameindex();
	for (ifp = ifs; ifp && ifp->if_index && n_devs < MAX_DEVS; ifp++)
		devs[n_devs++] = ifp->if_index;
	if (ifs)
		if_freenameindex(ifs);

	privileged = has_cap_net_admin();
	fd = open_sock(true);
	err = ctrl_getfamily(VMBR_GENL_NAME, 0);
	if (err || !family_id) {
		fprintf(stderr, "nlfuzz: family %s: %s\n", VMBR_GENL_NAME,
			strerror(-err));
		return 2;
	}
	/* Family ids nobody has, for messages to a family that is not there. */
	for (cand = 0x3f0; cand < 0x400 && n_bad_families < 4; cand += 3)
		if (cand != family_id && ctrl_getfamily(NULL, cand) == -ENOENT)
			bad_families[n_bad_families++] = cand;
	/* Listening makes the kernel build its events. */
	if (events_group) {
		ev_fd = open_sock(false);
		if (setsockopt(ev_fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			       &events_group, sizeof(events_group)) < 0) {
			close(ev_fd);
			ev_fd = -1;
		}
	}
	taint_fd = open("/proc/sys/kernel/tainted", O_RDONLY | O_CLOEXEC);
	taint_last = read_taint();

	rng_state = seed;
	printf("nlfuzz: seed %" PRIu64 ", %lu requests, family %u, %s ifindex %u, %d ports, %d devices, %s\n",
	       seed, count, family_id, vmbr_name, vmbr_ifindex, n_ports, n_devs,
	       privileged ? "privileged" : "unprivileged");
	kmsg("nlfuzz: start, seed %" PRIu64 ", %lu requests\n", seed, count);
	clock_gettime(CLOCK_MONOTONIC, &t0);

	cur = 0;
	batch_n[0] = batch_n[1] = 0;
	batch_len[0] = batch_len[1] = 0;
	i = 0;
	while (i < count) {
		unsigned int n = chance(25) ? 1 : 1 + rnd(batch_max);

		while (n-- && i < count && batch_len[cur] < BATCH_BYTES) {
			struct req *r = &batch_req[cur][batch_n[cur]];

			r->index = i++;
			r->seq = next_seq++;
			gen_request(r);
			batch_n[cur]++;
			/* Sometimes alone, with a state check around it. */
			if (privileged && r->exp == EXP_ERR && !r->mutated &&
			    (r->cmd == VMBR_CMD_SET ||
			     r->cmd == VMBR_CMD_PORT_SET) && chance(3)) {
				if (batch_n[cur] > 1) {
					struct req one = *r;
					unsigned char copy[MSG_MAX];

					memcpy(copy, batch_buf[cur] + r->off,
					       r->len);
					batch_n[cur]--;
					batch_len[cur] = r->off;
					run_batch();
					one.off = 0;
					memcpy(batch_buf[cur], copy, one.len);
					batch_len[cur] = NLMSG_ALIGN(one.len);
					batch_req[cur][0] = one;
					batch_n[cur] = 1;
				}
				batch_req[cur][0].atomic = true;
				break;
			}
		}
		run_batch();
		if (i / 10000 != mark) {
			mark = i / 10000;
			kmsg("nlfuzz: %lu requests\n", i);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	kmsg("nlfuzz: done, %lu requests\n", sent);

	printf("nlfuzz: %.1f s, %.0f requests/s; %lu replies, %lu dump parts, %lu events, %lu late, %lu overruns, %lu state checks, %lu wrong answers\n",
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	       sent / ((t1.tv_sec - t0.tv_sec) +
		       (t1.tv_nsec - t0.tv_nsec) / 1e9 + 1e-9),
	       replies, dump_parts, events, late, overruns, atomic_checks,
	       wrong);
	printf("nlfuzz: sent %lu, acked %lu, errors %lu (by errno:", sent,
	       acked, errors);
	for (e = 1, err = 0; e <= MAX_ERRNO; e++)
		if (by_errno[e])
			printf("%s %s %lu", err++ ? "," : "", errname(e),
			       by_errno[e]);
	printf("%s), dumps %lu, unanswered %lu\n", err ? "" : " none", dumps,
	       unanswered);
	return unanswered || wrong ? 1 : 0;
}

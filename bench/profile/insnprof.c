// SPDX-License-Identifier: GPL-2.0
/*
 * insnprof: a QEMU TCG plugin that counts the guest instructions executed
 * per translation block, between two marks the guest makes, so that the
 * cost of a data path can be told function by function (the guest's perf
 * does not work under TCG).
 *
 * The mark is the execution of "xchg %bx,%bx" (66 87 db, the no-op Bochs
 * took as its magic breakpoint), which the guest's bench/profile/mark.c
 * does and nothing else does.  Counting starts at the first mark; every
 * later mark writes the counts since the previous one to OUT as a section
 *     # window N
 *     VADDR INSNS EXECS
 * and starts over.  Symbols come from the guest's /proc/kallsyms.  User
 * space is not told apart (its addresses change with every process): its
 * instructions are one line, "user".
 *
 * usage: -plugin insnprof.so,out=FILE
 *
 * Built against the plugin API of QEMU 7.2 (version 1), declared here: the
 * distribution ships no qemu-plugin.h.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
typedef struct qemu_info_t qemu_info_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id,
					       struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index,
					    void *userdata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
					   qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb,
					      enum qemu_plugin_op op,
					      void *ptr, uint64_t imm);
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb,
					  qemu_plugin_vcpu_udata_cb_t cb,
					  enum qemu_plugin_cb_flags flags,
					  void *userdata);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
					    qemu_plugin_vcpu_udata_cb_t cb,
					    enum qemu_plugin_cb_flags flags,
					    void *userdata);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb,
						 size_t idx);
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id,
				    qemu_plugin_udata_cb_t cb, void *userdata);
void qemu_plugin_outs(const char *string);

#define EXPORT __attribute__((visibility("default")))
EXPORT int qemu_plugin_version = 1;

/* One block: its address and length; counted while the window is open. */
struct block {
	uint64_t vaddr;
	uint64_t insns;
	uint64_t execs;
	bool used;
};

#define TABLE_BITS 20
#define TABLE_SIZE (1u << TABLE_BITS)
static struct block *table;
static const unsigned char mark[] = { 0x66, 0x87, 0xdb };	/* xchg %bx,%bx */
static FILE *out;
static int window = -1;		/* -1: before the first mark */
static uint64_t user_insns;	/* every user-space block's, together */

#define KERNEL_START 0xffff800000000000ull

static struct block *block_of(uint64_t vaddr, uint64_t insns)
{
	uint64_t h = (vaddr * 0x9e3779b97f4a7c15ull ^ insns) >> (64 - TABLE_BITS);
	unsigned int i;

	for (i = 0; i < TABLE_SIZE; i++) {
		struct block *b = &table[(h + i) & (TABLE_SIZE - 1)];

		if (!b->used) {
			b->used = true;
			b->vaddr = vaddr;
			b->insns = insns;
			return b;
		}
		if (b->vaddr == vaddr && b->insns == insns)
			return b;
	}
	return NULL;	/* full: the block goes uncounted */
}

static void dump(void)
{
	unsigned int i;

	if (window >= 0 && out) {
		fprintf(out, "# window %d\n", window);
		fprintf(out, "user %" PRIu64 " 1\n", user_insns);
		for (i = 0; i < TABLE_SIZE; i++)
			if (table[i].used && table[i].execs)
				fprintf(out, "%" PRIx64 " %" PRIu64 " %" PRIu64 "\n",
					table[i].vaddr, table[i].insns,
					table[i].execs);
		fflush(out);
	}
	for (i = 0; i < TABLE_SIZE; i++)
		table[i].execs = 0;
	user_insns = 0;
	window++;
}

static void on_mark(unsigned int vcpu, void *udata)
{
	(void)vcpu;
	(void)udata;
	dump();
}

static void on_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t i, n = qemu_plugin_tb_n_insns(tb);
	uint64_t vaddr = qemu_plugin_tb_vaddr(tb);
	struct block *b;

	(void)id;
	if (vaddr < KERNEL_START) {
		qemu_plugin_register_vcpu_tb_exec_inline(tb,
				QEMU_PLUGIN_INLINE_ADD_U64, &user_insns, n);
	} else {
		b = block_of(vaddr, n);
		if (b)
			qemu_plugin_register_vcpu_tb_exec_inline(tb,
					QEMU_PLUGIN_INLINE_ADD_U64, &b->execs, 1);
	}
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);

		if (qemu_plugin_insn_size(insn) == sizeof(mark) &&
		    !memcmp(qemu_plugin_insn_data(insn), mark, sizeof(mark)))
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_mark,
					QEMU_PLUGIN_CB_NO_REGS, NULL);
	}
}

static void on_atexit(qemu_plugin_id_t id, void *udata)
{
	(void)id;
	(void)udata;
	if (out)
		fclose(out);
	out = NULL;
}

EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
			       int argc, char **argv)
{
	const char *path = NULL;
	int i;

	(void)info;
	for (i = 0; i < argc; i++)
		if (!strncmp(argv[i], "out=", 4))
			path = argv[i] + 4;
	if (!path) {
		qemu_plugin_outs("insnprof: out=FILE needed\n");
		return -1;
	}
	table = calloc(TABLE_SIZE, sizeof(*table));
	out = fopen(path, "w");
	if (!table || !out)
		return -1;
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_trans);
	qemu_plugin_register_atexit_cb(id, on_atexit, NULL);
	return 0;
}

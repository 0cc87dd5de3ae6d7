// SPDX-License-Identifier: GPL-2.0
/*
 * mark: execute "xchg %bx,%bx" once and exit; the insnprof plugin of QEMU
 * takes it as the mark between two profile windows.  No libc: built with
 * -static -nostdlib, it runs in any initramfs.
 */
void _start(void)
{
	__asm__ volatile("xchg %%bx, %%bx\n\t"
			 "mov $60, %%eax\n\t"
			 "xor %%edi, %%edi\n\t"
			 "syscall" ::: "memory");
	__builtin_unreachable();
}

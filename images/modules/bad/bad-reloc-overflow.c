/* bad-reloc-overflow.c: an R_X86_64_32S whose value (printk + 4 GiB) does not sign-extend: ENOEXEC. */
#include <linux/module.h>

__asm__("\t.pushsection .data\n"
	"\t.balign 4\n"
	"bad_overflow_site:\n"
	"\t.reloc ., R_X86_64_32S, printk + 0x100000000\n"
	"\t.long 0\n"
	"\t.popsection\n");

static int __init bad_overflow_init(void)
{
	return 0;
}

module_init(bad_overflow_init);
MODULE_LICENSE("GPL");

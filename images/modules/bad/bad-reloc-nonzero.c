/* bad-reloc-nonzero.c: an R_X86_64_64 whose target bytes are not zero before relocation: ENOEXEC. */
#include <linux/module.h>

__asm__("\t.pushsection .data\n"
	"\t.balign 8\n"
	"bad_nonzero_site:\n"
	"\t.reloc ., R_X86_64_64, printk\n"
	"\t.quad 0x1\n"
	"\t.popsection\n");

static int __init bad_nonzero_init(void)
{
	return 0;
}

module_init(bad_nonzero_init);
MODULE_LICENSE("GPL");

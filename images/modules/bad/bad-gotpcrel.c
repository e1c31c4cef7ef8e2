/* bad-gotpcrel.c: an R_X86_64_GOTPCREL relocation (a GOT access), which modules may not use: ENOEXEC. */
#include <linux/module.h>

/* Never executed: the loader must refuse the relocation first. */
__asm__("\t.pushsection .text\n"
	"bad_gotpcrel_site:\n"
	"\t.reloc ., R_X86_64_GOTPCREL, printk - 4\n"
	"\t.long 0\n"
	"\t.popsection\n");

static int __init bad_gotpcrel_init(void)
{
	return 0;
}

module_init(bad_gotpcrel_init);
MODULE_LICENSE("GPL");

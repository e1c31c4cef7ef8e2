/* fault-ud.c: a module whose init hits ud2, as Linux's BUG() does (#UD). */
#include <linux/module.h>

static int __init fault_ud_init(void)
{
	pr_info("fault-ud: BUG()\n");
	asm volatile("ud2");
	return 0;
}

static void __exit fault_ud_exit(void)
{
}

module_init(fault_ud_init);
module_exit(fault_ud_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Init hits ud2 (BUG)");

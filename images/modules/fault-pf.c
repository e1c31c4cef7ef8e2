/* fault-pf.c: a module whose init dereferences a wild pointer (a #PF the loader must contain). */
#include <linux/module.h>

/* The address init writes to; volatile so the compiler cannot see it is NULL
 * and turn the store into ud2 (GCC does that for a literal NULL store). */
static unsigned long addr;
module_param(addr, ulong, 0444);
MODULE_PARM_DESC(addr, "address init writes to (default 0: a NULL dereference)");

static int __init fault_pf_init(void)
{
	int *volatile p = (int *)addr;

	pr_info("fault-pf: writing to %#lx\n", addr);
	*p = 1;
	pr_info("fault-pf: still alive?\n");
	return 0;
}

static void __exit fault_pf_exit(void)
{
}

module_init(fault_pf_init);
module_exit(fault_pf_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Init takes a page fault");

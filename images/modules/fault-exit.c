/* fault-exit.c: a module that loads fine and whose exit dereferences NULL. */
#include <linux/module.h>

static int *volatile nowhere;

static int __init fault_exit_init(void)
{
	pr_info("fault-exit: loaded\n");
	return 0;
}

static void __exit fault_exit_exit(void)
{
	pr_info("fault-exit: exit writes to NULL\n");
	*nowhere = 1;
}

module_init(fault_exit_init);
module_exit(fault_exit_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Exit takes a page fault");

/* fault-de.c: a module whose init divides by zero (#DE). */
#include <linux/module.h>

/* volatile: the compiler must load it and emit a real div instruction. */
static volatile int divisor;

static int __init fault_de_init(void)
{
	int q = 100 / divisor;

	pr_info("fault-de: 100 / 0 = %d?\n", q);
	return 0;
}

static void __exit fault_de_exit(void)
{
}

module_init(fault_de_init);
module_exit(fault_de_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Init divides by zero");

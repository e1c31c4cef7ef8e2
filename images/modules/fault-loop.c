/* fault-loop.c: a module whose init never returns (stopped by the host's init watchdog). */
#include <linux/module.h>

/* volatile: the loop really runs, in this module's text. */
static volatile unsigned long spins;

static int __init fault_loop_init(void)
{
	pr_info("fault-loop: spinning forever\n");
	for (;;)
		spins++;
	return 0;
}

static void __exit fault_loop_exit(void)
{
}

module_init(fault_loop_init);
module_exit(fault_loop_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Init loops forever");

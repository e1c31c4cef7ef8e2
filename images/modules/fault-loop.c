/* fault-loop.c: a module whose init never returns (stopped by the host's init watchdog). */
#include <linux/module.h>
#include <linux/slab.h>

static bool kcall;
module_param(kcall, bool, 0444);
MODULE_PARM_DESC(kcall, "loop through kmalloc/kfree, so most NMIs land in the kernel");

/* volatile: the loop really runs, in this module's text. */
static volatile unsigned long spins;

static int __init fault_loop_init(void)
{
	pr_info("fault-loop: spinning forever%s\n", kcall ? " through kmalloc" : "");
	for (;;) {
		if (kcall)
			kfree(kmalloc(64, GFP_KERNEL));
		spins++;
	}
	return 0;
}

static void __exit fault_loop_exit(void)
{
}

module_init(fault_loop_init);
module_exit(fault_loop_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Init loops forever");

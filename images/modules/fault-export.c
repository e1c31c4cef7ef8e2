/* fault-export.c: a module with an export and a parameter whose init faults (unwinding must remove both). */
#include <linux/module.h>

static int level = 1;
module_param(level, int, 0644);
MODULE_PARM_DESC(level, "a parameter that must vanish from /sys/module");

int fault_export_value = 42;
EXPORT_SYMBOL(fault_export_value);

static int *volatile nowhere;

static int __init fault_export_init(void)
{
	pr_info("fault-export: level %d, faulting\n", level);
	return *nowhere;
}

static void __exit fault_export_exit(void)
{
}

module_init(fault_export_init);
module_exit(fault_export_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Init faults after its export and parameter are registered");

/* fault-import.c: uses fault-export's export; must find nothing once fault-export's load has failed. */
#include <linux/module.h>

extern int fault_export_value;

static int __init fault_import_init(void)
{
	pr_info("fault-import: fault_export_value is %d\n", fault_export_value);
	return 0;
}

static void __exit fault_import_exit(void)
{
}

module_init(fault_import_init);
module_exit(fault_import_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Imports fault-export's symbol (t-faults: exports of a faulted init are gone)");

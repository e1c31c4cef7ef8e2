/* importer.c: uses exporter.ko's EXPORT_SYMBOL and EXPORT_SYMBOL_GPL symbols (depends=exporter). */
#include <linux/module.h>
#include "exporter.h"

static int __init importer_init(void)
{
	int sum = exporter_add(2, 3);

	pr_info("importer: 2 + 3 = %d, calls=%d, \"%s\"\n", sum, exporter_calls,
		exporter_greeting());
	return sum == 5 ? 0 : -EINVAL;
}

static void __exit importer_exit(void)
{
	pr_info("importer: unloaded\n");
}

module_init(importer_init);
module_exit(importer_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Imports symbols from exporter.ko");

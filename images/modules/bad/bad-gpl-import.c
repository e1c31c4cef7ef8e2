/* bad-gpl-import.c: a non-GPL module using exporter.ko's EXPORT_SYMBOL_GPL symbol: ENOENT. */
#include <linux/module.h>
#include "../exporter.h"

static int __init bad_gpl_import_init(void)
{
	pr_info("bad-gpl-import: %s\n", exporter_greeting());
	return 0;
}

module_init(bad_gpl_import_init);
MODULE_LICENSE("Proprietary");

/* middle.c: the middle of a two-level dependency chain, top -> middle -> exporter: uses
 * exporter.ko's exporter_add() and exports middle_add3() to top.ko (depends=exporter). */
#include <linux/module.h>
#include "exporter.h"
#include "middle.h"

int middle_add3(int a, int b, int c)
{
	return exporter_add(exporter_add(a, b), c);
}
EXPORT_SYMBOL(middle_add3);

static int __init middle_init(void)
{
	pr_info("middle: loaded\n");
	return 0;
}

static void __exit middle_exit(void)
{
	pr_info("middle: unloaded\n");
}

module_init(middle_init);
module_exit(middle_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Uses exporter.ko, exports to top.ko");

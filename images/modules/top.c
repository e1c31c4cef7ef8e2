/* top.c: the top of a two-level dependency chain: uses middle.ko's middle_add3(), which uses
 * exporter.ko (depends=middle; modprobe top loads exporter, middle, then top). */
#include <linux/module.h>
#include "middle.h"

static int __init top_init(void)
{
	int sum = middle_add3(1, 2, 3);

	pr_info("top: 1 + 2 + 3 = %d\n", sum);
	return sum == 6 ? 0 : -EINVAL;
}

static void __exit top_exit(void)
{
	pr_info("top: unloaded\n");
}

module_init(top_init);
module_exit(top_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Uses middle.ko, which uses exporter.ko");

/* proprietary.c: a module under a non-GPL licence: loading it taints the kernel (P). */
#include <linux/module.h>

static int __init proprietary_init(void)
{
	pr_info("proprietary: loaded\n");
	return 0;
}

static void __exit proprietary_exit(void)
{
	pr_info("proprietary: unloaded\n");
}

module_init(proprietary_init);
module_exit(proprietary_exit);

MODULE_LICENSE("Proprietary");
MODULE_DESCRIPTION("Taints the kernel with P");

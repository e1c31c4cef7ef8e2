/* initfail.c: a module whose init returns the errno chosen by its parameter (default -ENODEV). */
#include <linux/module.h>

static int err = -ENODEV;
module_param(err, int, 0444);
MODULE_PARM_DESC(err, "what init returns, e.g. -5 for EIO (default -19, ENODEV)");

static int __init initfail_init(void)
{
	pr_info("initfail: init returns %d\n", err);
	return err;
}

static void __exit initfail_exit(void)
{
	pr_info("initfail: unloaded\n");
}

module_init(initfail_init);
module_exit(initfail_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Init fails with a chosen errno");

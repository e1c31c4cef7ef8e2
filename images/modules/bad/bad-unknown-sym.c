/* bad-unknown-sym.c: calls a function nobody exports: ENOENT ("Unknown symbol"). */
#include <linux/module.h>

int mv_no_such_function(void);

static int __init bad_unknown_init(void)
{
	return mv_no_such_function();
}

module_init(bad_unknown_init);
MODULE_LICENSE("GPL");

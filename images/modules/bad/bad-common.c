/* bad-common.c: a tentative definition built with -fcommon gives an SHN_COMMON symbol: ENOEXEC. */
#include <linux/module.h>

int bad_common_counter;     /* no initializer: SHN_COMMON under -fcommon */

static int __init bad_common_init(void)
{
	return bad_common_counter;
}

module_init(bad_common_init);
MODULE_LICENSE("GPL");

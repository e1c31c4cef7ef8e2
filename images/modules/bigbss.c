/* bigbss.c: a module with 4 MiB of .bss, more than a 64 MiB guest's module region (4 MiB) holds. */
#include <linux/module.h>

static char big[4 << 20];

static int __init bigbss_init(void)
{
	big[sizeof(big) - 1] = 1;
	pr_info("bigbss: %zu bytes of bss\n", sizeof(big));
	return 0;
}

static void __exit bigbss_exit(void)
{
}

module_init(bigbss_init);
module_exit(bigbss_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("4 MiB of bss: module region exhaustion (t-integrity)");

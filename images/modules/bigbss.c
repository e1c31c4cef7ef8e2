/* bigbss.c: a module with 4 MiB of .bss, more than a 64 MiB guest's module region (4 MiB) holds. */
#include <linux/module.h>

/* Not static: the compiler must keep all of it. */
char bigbss_data[4 << 20];

static int __init bigbss_init(void)
{
	bigbss_data[sizeof(bigbss_data) - 1] = 1;
	pr_info("bigbss: %zu bytes of bss\n", sizeof(bigbss_data));
	return 0;
}

static void __exit bigbss_exit(void)
{
}

module_init(bigbss_init);
module_exit(bigbss_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("4 MiB of bss: module region exhaustion (t-integrity)");

/* bad-dup-export.c: exports strlen, which the kernel already exports: ENOEXEC. */
#include <linux/module.h>

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}
EXPORT_SYMBOL(strlen);

static int __init bad_dup_init(void)
{
	return 0;
}

module_init(bad_dup_init);
MODULE_LICENSE("GPL");

/* exporter.c: exports a function and a variable (EXPORT_SYMBOL) and a GPL-only function. */
#include <linux/module.h>
#include "exporter.h"

int exporter_calls;
EXPORT_SYMBOL(exporter_calls);

int exporter_add(int a, int b)
{
	exporter_calls++;
	return a + b;
}
EXPORT_SYMBOL(exporter_add);

const char *exporter_greeting(void)
{
	return "greetings from exporter";
}
EXPORT_SYMBOL_GPL(exporter_greeting);

static int __init exporter_init(void)
{
	pr_info("exporter: loaded\n");
	return 0;
}

static void __exit exporter_exit(void)
{
	pr_info("exporter: unloaded after %d calls\n", exporter_calls);
}

module_init(exporter_init);
module_exit(exporter_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Exports symbols for importer.ko");

/* hello.c: the sample module; one parameter of every module_param type, printed by init and exit. */
#include <linux/module.h>

static char *who = "nobody";
module_param(who, charp, 0644);
MODULE_PARM_DESC(who, "whom to greet");

static int count = 1;
module_param(count, int, 0644);
MODULE_PARM_DESC(count, "how many greetings");

static int ids[8];
static unsigned int nr_ids;
module_param_array(ids, int, &nr_ids, 0444);
MODULE_PARM_DESC(ids, "up to 8 integers, comma-separated");

static bool verbose;
module_param(verbose, bool, 0644);
MODULE_PARM_DESC(verbose, "print every parameter");

static bool quiet = true;
module_param(quiet, invbool, 0444);
MODULE_PARM_DESC(quiet, "invbool: stores the negation: 'quiet=n' stores true (a bare 'quiet' is EINVAL, as in Linux)");

static unsigned char b = 7;
module_param(b, byte, 0444);
static short s = -2;
module_param(s, short, 0444);
static unsigned short us = 2;
module_param(us, ushort, 0444);
static unsigned int ui = 4;
module_param(ui, uint, 0444);
static long l = -8;
module_param(l, long, 0444);
static unsigned long ul = 8;
module_param(ul, ulong, 0444);
static unsigned long long ull = 16;
module_param(ull, ullong, 0444);
static unsigned int hx = 0xff;
module_param(hx, hexint, 0444);

static char tag[16] = "default";
module_param_string(tag, tag, sizeof(tag), 0644);
MODULE_PARM_DESC(tag, "a string copied into a 16-byte buffer");

static int level = 1;
module_param_named(debug_level, level, int, 0644);
MODULE_PARM_DESC(debug_level, "named parameter stored in 'level'");

static unsigned long masks[4] = { 1, 2 };
static int nr_masks = 2;
module_param_array_named(mask, masks, ulong, &nr_masks, 0444);

static void hello_dump(void)
{
	unsigned int i;

	pr_info("hello: b=%u s=%d us=%u ui=%u l=%ld ul=%lu ull=%llu hx=%x\n",
		b, s, us, ui, l, ul, ull, hx);
	pr_info("hello: tag=%s level=%d quiet=%d\n", tag, level, quiet);
	for (i = 0; i < nr_ids; i++)
		pr_info("hello: ids[%u]=%d\n", i, ids[i]);
	for (i = 0; i < (unsigned int)nr_masks; i++)
		pr_info("hello: mask[%u]=%lu\n", i, masks[i]);
}

static int __init hello_init(void)
{
	int i;

	for (i = 0; i < count; i++)
		pr_info("hello: hello, %s (%d/%d)\n", who, i + 1, count);
	if (verbose)
		hello_dump();
	return 0;
}

static void __exit hello_exit(void)
{
	pr_info("hello: goodbye, %s\n", who);
}

module_init(hello_init);
module_exit(hello_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("modvisor");
MODULE_DESCRIPTION("Sample module with one parameter of every type");
MODULE_VERSION("1.0");
MODULE_ALIAS("greeter");

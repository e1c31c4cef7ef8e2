/* paramcb.c: the less common module_param forms: _cb with the module's own ops, _call, _unsafe, _hw, bint. */
#include <linux/module.h>

/* A percentage: the module's own set() chains to the kernel's int parser, then checks the range. */
static int percent = 50;

static int percent_set(const char *val, const struct kernel_param *kp)
{
	int old = *(int *)kp->arg;
	int err = param_set_int(val, kp);

	if (err)
		return err;
	if (*(int *)kp->arg < 0 || *(int *)kp->arg > 100) {
		*(int *)kp->arg = old;
		return -ERANGE;
	}
	return 0;
}

/* get(): the kernel's int formatter with a '%' sign before the newline. */
static int percent_get(char *buffer, const struct kernel_param *kp)
{
	int n = param_get_int(buffer, kp);

	if (n < 1)
		return n;
	buffer[n - 1] = '%';
	buffer[n] = '\n';
	return n + 1;
}

static const struct kernel_param_ops percent_ops = {
	.set = percent_set,
	.get = percent_get,
};
module_param_cb(percent, &percent_ops, &percent, 0644);
MODULE_PARM_DESC(percent, "0-100, checked by the module's own set()");

/* module_param_call: set and get given directly; the set counts its calls. */
static unsigned int calls;
static int level = 1;

static int level_set(const char *val, const struct kernel_param *kp)
{
	calls++;
	return param_set_int(val, kp);
}
module_param_call(level, level_set, param_get_int, &level, 0644);

static int danger;
module_param_unsafe(danger, int, 0644);
MODULE_PARM_DESC(danger, "unsafe: setting it taints the kernel (U)");

static int risky_var;
module_param_named_unsafe(risky, risky_var, int, 0444);

static int irq = 5;
module_param_hw(irq, int, irq, 0444);
static unsigned long io[4] = { 0x3f8 };
static unsigned int nr_io;
module_param_hw_array(io, ulong, ioport, &nr_io, 0444);

static int flag;
module_param(flag, bint, 0644);
MODULE_PARM_DESC(flag, "an int that takes a bool's values");

static int __init paramcb_init(void)
{
	pr_info("paramcb: percent=%d level=%d calls=%u danger=%d risky=%d irq=%d io0=%lu nr_io=%u flag=%d\n",
		percent, level, calls, danger, risky_var, irq, io[0], nr_io, flag);
	return 0;
}

static void __exit paramcb_exit(void)
{
	pr_info("paramcb: exit\n");
}

module_init(paramcb_init);
module_exit(paramcb_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("module_param_cb, _call, _unsafe, _hw and bint");

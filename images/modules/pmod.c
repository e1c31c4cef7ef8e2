/* pmod.c: the differential suite's module (tests/host/t-diff.sh): built by the SDK and by kbuild, one parameter of every kind. */
#include <linux/module.h>

/*
 * The same source is built twice: by the SDK for modvisor's guest and by
 * kbuild against Debian's headers for the real 6.1 kernel.  Every parameter
 * is 0644 so that both kernels show it in /sys/module/pmod/parameters/.
 */
static unsigned char pb = 7;
module_param(pb, byte, 0644);
static short ps = -2;
module_param(ps, short, 0644);
static unsigned short pus = 2;
module_param(pus, ushort, 0644);
static int pi = 1;
module_param(pi, int, 0644);
static unsigned int pui = 4;
module_param(pui, uint, 0644);
static long pl = -8;
module_param(pl, long, 0644);
static unsigned long pul = 8;
module_param(pul, ulong, 0644);
static unsigned long long pull = 16;
module_param(pull, ullong, 0644);
static unsigned int phx = 0xff;
module_param(phx, hexint, 0644);
static bool pbool;
module_param(pbool, bool, 0644);
static bool pinv = true;
module_param(pinv, invbool, 0644);
static int pbint;
module_param(pbint, bint, 0644);
static char *pcharp = "default";
module_param(pcharp, charp, 0644);
static char pstr[8] = "abc";
module_param_string(pstr, pstr, sizeof(pstr), 0644);
static int parr[4];
static unsigned int parr_n;
module_param_array(parr, int, &parr_n, 0644);
static bool pbarr[3];
module_param_array(pbarr, bool, NULL, 0644);
static int named_var = 5;
module_param_named(pnamed_x, named_var, int, 0644);

static int __init pmod_init(void)
{
	return 0;
}

static void __exit pmod_exit(void)
{
}

module_init(pmod_init);
module_exit(pmod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("parameter-rich module for the differential test against Linux 6.1");

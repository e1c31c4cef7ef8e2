/* bad-wx.c: has a section that is both writable and executable: ENOEXEC. */
#include <linux/module.h>

__asm__("\t.pushsection .wxdata,\"awx\",@progbits\n"
	"\t.byte 0xc3\n"
	"\t.popsection\n");

static int __init bad_wx_init(void)
{
	return 0;
}

module_init(bad_wx_init);
MODULE_LICENSE("GPL");

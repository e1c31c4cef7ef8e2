/*
 * wtext.c: a hostile module whose init writes one byte of kernel text (or
 * of any address given as addr=), for tests/e2e/t-integrity.sh.  how=
 * picks the way past the guest's own page tables:
 *   plain   an ordinary store (the guest's read-only PTE stops it: #PF);
 *   wp      the same store with CR0.WP cleared (ring 0 ignores read-only PTEs);
 *   direct  through the kernel's direct map, a second writable mapping;
 *   alias   through a PTE of its own page rewritten to the target's frame.
 * target= picks what it writes when addr= is not given: kernel (printk's
 * first byte), or its own text, rodata or rai (.data..ro_after_init),
 * which the host sealed before init (rai: once init returned).  A write to
 * the write-only parameter poke repeats the write after init (so rai can be
 * written once it is sealed: echo 1 > /sys/module/wtext/parameters/poke).
 * It then reads the byte back and says whether the write landed (and puts
 * the old byte back if it did).  With the host's protection the write never
 * lands: the run stops, or with on_violation = log the write is discarded.
 */
#include <linux/cache.h>
#include <linux/module.h>
#include <linux/string.h>

#define KERNEL_VBASE  0xffffffff80000000ul
#define MODULES_VADDR 0xffffffffa0000000ul  /* module addresses: mapped by 4 KiB PTEs */
#define DIRECT_MAP    0xffff888000000000ul
#define PTE_P         0x1ul
#define PTE_W         0x2ul
#define PTE_PS        0x80ul
#define PTE_NX        (1ul << 63)
#define PTE_ADDR      0x000ffffffffff000ul
#define CR0_WP        (1ul << 16)

static char *how = "wp";
module_param(how, charp, 0444);
MODULE_PARM_DESC(how, "plain, wp, direct or alias");
static unsigned long addr;
module_param(addr, ulong, 0444);
MODULE_PARM_DESC(addr, "address to write (default: printk's first byte)");

static char *target = "kernel";
module_param(target, charp, 0444);
MODULE_PARM_DESC(target, "kernel, text, rodata or rai (its own .data..ro_after_init)");

/* Its own text, rodata and ro_after_init: what target= names. */
static const char own_rodata[32] = "wtext's read-only data";
static char own_rai[32] __ro_after_init = "wtext's ro_after_init data";

static noinline int own_text(int x)
{
	return x * 3 + 1;
}

/* The page the alias mapping borrows: nothing else lives in it. */
static unsigned char alias_page[4096] __aligned(4096);

static unsigned long cr0_read(void)
{
	unsigned long v;

	asm volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static void cr0_write(unsigned long v)
{
	asm volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

/* The 4 KiB PTE that maps va in the current page tables, or NULL. */
static unsigned long *pte_of(unsigned long va)
{
	unsigned long cr3, *t;
	int level;

	asm volatile("mov %%cr3, %0" : "=r"(cr3));
	t = (unsigned long *)(DIRECT_MAP + (cr3 & PTE_ADDR));
	for (level = 3; level > 0; level--) {
		unsigned long e = t[(va >> (12 + 9 * level)) & 511];

		if (!(e & PTE_P) || (e & PTE_PS))
			return NULL;
		t = (unsigned long *)(DIRECT_MAP + (e & PTE_ADDR));
	}
	return &t[(va >> 12) & 511];
}

/* Guest-physical address of a kernel-image or module address. */
static unsigned long pa_of(unsigned long va)
{
	unsigned long *pte;

	if (va >= KERNEL_VBASE && va < MODULES_VADDR)
		return va - KERNEL_VBASE;
	pte = pte_of(va);
	return pte ? (*pte & PTE_ADDR) + (va & 0xfff) : 0;
}

/* Store v at va through a second mapping: alias_page's PTE pointed at va's frame. */
static int write_alias(unsigned long va, unsigned char v)
{
	unsigned long *pte = pte_of((unsigned long)alias_page), old, pa = pa_of(va);
	volatile unsigned char *p = alias_page + (va & 0xfff);

	if (!pte || !pa)
		return -EINVAL;
	old = *pte;
	*pte = (pa & PTE_ADDR) | PTE_P | PTE_W | PTE_NX;
	asm volatile("invlpg (%0)" : : "r"(alias_page) : "memory");
	*p = v;
	*pte = old;
	asm volatile("invlpg (%0)" : : "r"(alias_page) : "memory");
	return 0;
}

static int write_byte(unsigned long va, unsigned char v)
{
	unsigned long cr0 = cr0_read();

	if (strcmp(how, "plain") == 0) {
		*(volatile unsigned char *)va = v;
	} else if (strcmp(how, "wp") == 0) {
		cr0_write(cr0 & ~CR0_WP);
		*(volatile unsigned char *)va = v;
		cr0_write(cr0);
	} else if (strcmp(how, "direct") == 0) {
		*(volatile unsigned char *)(DIRECT_MAP + pa_of(va)) = v;
	} else if (strcmp(how, "alias") == 0) {
		return write_alias(va, v);
	} else {
		return -EINVAL;
	}
	return 0;
}

/* The address target= names (addr= wins). */
static unsigned long target_va(void)
{
	if (addr)
		return addr;
	if (strcmp(target, "text") == 0)
		return (unsigned long)&own_text;
	if (strcmp(target, "rodata") == 0)
		return (unsigned long)own_rodata;
	if (strcmp(target, "rai") == 0)
		return (unsigned long)own_rai;
	return (unsigned long)&printk;
}

/* Write, read back, say whether it landed, undo it if it did. */
static int wtext_write(void)
{
	unsigned long va = target_va();
	unsigned char old = *(volatile unsigned char *)va, now;
	unsigned long cr0;
	int err;

	pr_info("wtext: writing 0x%x to %#lx (%s, %s)\n", old ^ 0x5a, va, how, target);
	err = write_byte(va, old ^ 0x5a);
	if (err)
		return err;
	now = *(volatile unsigned char *)va;
	if (now != old) {
		cr0 = cr0_read();
		cr0_write(cr0 & ~CR0_WP);
		*(volatile unsigned char *)va = old;
		cr0_write(cr0);
	}
	pr_info("wtext: the write %s\n", now != old ? "landed" : "did not land");
	return 0;
}

static int __init wtext_init(void)
{
	return wtext_write();
}

/* poke: any value written repeats the write, now that init has returned. */
static int poke_set(const char *val, const struct kernel_param *kp)
{
	(void)val;
	(void)kp;
	return wtext_write();
}

static const struct kernel_param_ops poke_ops = {
	.set = poke_set,
};
module_param_cb(poke, &poke_ops, NULL, 0200);
MODULE_PARM_DESC(poke, "write anything: the write again, after init");

static void __exit wtext_exit(void)
{
}

module_init(wtext_init);
module_exit(wtext_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Writes kernel text past the guest's page tables (integrity tests)");

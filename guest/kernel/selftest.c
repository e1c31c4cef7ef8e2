/* selftest.c: faults on request (kernel command line mv.selftest=...), for the boot tests. */
#include "boot.h"
#include "fault.h"

/*
 * The end-to-end tests need a kernel that really takes an exception:
 *   mv.selftest=pagefault  read from an unmapped kernel address (#PF)
 *   mv.selftest=ud         execute ud2 (#UD)
 *   mv.selftest=recover    take a #PF under fault_recovery_arm() and go on
 *   mv.selftest=nmi        the same with vector 2 (`int $2` runs the NMI
 *                          path a watchdog NMI would take, on its IST stack)
 *   mv.selftest=wx         W^X of the kernel image: a write to .text and to
 *                          .rodata and a call into .data must each #PF
 *                          (recovered); prints "selftest: W^X holds"
 * Each is reported to the host like any kernel fault (MV_HC_FAULT), except
 * recover, which prints "selftest: recovered from vector 14" and boots on.
 */
#define SELFTEST_BAD_ADDR 0xffffffffc0dead00ULL  /* module area, unmapped */

static const char *selftest_arg(void)
{
	const char *p = boot_cmdline;
	static char word[32];

	while ((p = strchr(p, 'm'))) {
		if ((p == boot_cmdline || p[-1] == ' ') && !strncmp(p, "mv.selftest=", 12)) {
			size_t n = 0;

			p += 12;
			while (p[n] && p[n] != ' ' && n < sizeof(word) - 1)
				n++;
			memcpy(word, p, n);
			word[n] = '\0';
			return word;
		}
		p++;
	}
	return NULL;
}

static void selftest_recover(bool nmi)
{
	static struct fault_recovery rec;

	if (fault_recovery_arm(&rec) == 0) {
		if (nmi)
			__asm__ volatile("int $2");
		else
			(void)*(volatile uint64_t *)SELFTEST_BAD_ADDR;
		fault_recovery_disarm(&rec);
		panic("selftest: no exception was taken");
	}
	printk("selftest: recovered from vector %lu at rip %#lx, cr2 %#lx\n",
	       rec.frame.vector, rec.frame.rip, rec.cr2);
}

static const uint64_t selftest_ro = 1;
static uint8_t selftest_ret_in_data[16] = { 0xc3 };     /* ret, in .data */

/* The #PF error code of the access kind (0 write text, 1 write rodata, 2 exec data). */
static uint64_t selftest_wx_fault(int kind)
{
	static struct fault_recovery rec;

	if (fault_recovery_arm(&rec) == 0) {
		if (kind == 0)
			*(volatile uint8_t *)(uintptr_t)selftest_run = 0xc3;
		else if (kind == 1)
			*(volatile uint64_t *)(uintptr_t)&selftest_ro = 2;
		else
			((void (*)(void))(uintptr_t)selftest_ret_in_data)();
		fault_recovery_disarm(&rec);
		panic("selftest: W^X broken: access %d did not fault", kind);
	}
	if (rec.frame.vector != 14)
		panic("selftest: W^X: access %d gave vector %lu, not #PF", kind, rec.frame.vector);
	return rec.frame.error_code;
}

/* Writes to text and rodata fault as writes to present pages (P|W); a call into data as a fetch (P|I). */
static void selftest_wx(void)
{
	uint64_t wt = selftest_wx_fault(0), wr = selftest_wx_fault(1), xd = selftest_wx_fault(2);

	if ((wt & 3) != 3 || (wr & 3) != 3 || (xd & 0x11) != 0x11)
		panic("selftest: W^X: unexpected #PF error codes %#lx %#lx %#lx", wt, wr, xd);
	printk("selftest: W^X holds (#PF error codes: text write %#lx, rodata write %#lx, "
	       "data exec %#lx)\n", wt, wr, xd);
}

void selftest_run(void)
{
	const char *t = selftest_arg();

	if (!t)
		return;
	if (!strcmp(t, "pagefault"))
		(void)*(volatile uint64_t *)SELFTEST_BAD_ADDR;
	else if (!strcmp(t, "ud"))
		__asm__ volatile("ud2");
	else if (!strcmp(t, "recover"))
		selftest_recover(false);
	else if (!strcmp(t, "nmi"))
		selftest_recover(true);
	else if (!strcmp(t, "wx"))
		selftest_wx();
	else
		printk("selftest: unknown test '%s'\n", t);
}

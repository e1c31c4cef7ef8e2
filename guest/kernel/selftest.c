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
	else
		printk("selftest: unknown test '%s'\n", t);
}

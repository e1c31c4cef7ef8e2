/* main.c: kmain(), the guest kernel's boot sequence and banner. */
#include "arch.h"
#include "authlink.h"
#include "boot.h"
#include "console.h"
#include "platform.h"
#include "irq.h"
#include "tty.h"
#include "mm.h"
#include "proc.h"
#include "pseudofs.h"
#include "syscalls.h"
#include "vfs.h"
#include <modvisor/abi/hypercall.h>
#include <modvisor/version.h>

struct mv_bootinfo boot_info;
char boot_cmdline[MV_CMDLINE_MAX];

/* The host reads this from the kernel file to learn what modules must carry. */
static const char kernel_vermagic[] __attribute__((section(".mv_vermagic"), used)) =
	MODVISOR_VERMAGIC;

/* The file system unpacks the initrd; weak so the kernel links without it. */
#pragma weak fs_boot
/*
 * What other subsystems publish under /sys once the initrd is unpacked, in
 * this order (pseudofs.h).
 */
static void (*const sysfs_inits[])(void) = {
	mdc_sysfs_init,
};

const void *boot_phys(uint64_t gpa, uint64_t len)
{
	uint64_t end;

	if (__builtin_add_overflow(gpa, len, &end) || end > boot_info.mem_size ||
	    end > MV_DIRECT_MAP_MAX)
		return NULL;
	return phys_to_virt(gpa);
}

/* Check the boot info and copy it, and the command line, into the kernel. */
static void boot_info_take(uint64_t bi_gpa)
{
	const struct mv_bootinfo *bi;

	if (bi_gpa >= (2ULL << 30))
		panic("boot info at %#lx is not below 2 GiB", bi_gpa);
	bi = (const void *)(MV_KERNEL_VBASE + bi_gpa);
	if (bi->magic != MV_BOOTINFO_MAGIC)
		panic("boot info at %#lx: bad magic %#lx", bi_gpa, bi->magic);
	if (bi->abi_version != MV_ABI_VERSION || bi->size < sizeof(*bi))
		panic("boot info: ABI %u (size %u), this kernel speaks ABI %u (size %zu)",
		      bi->abi_version, bi->size, MV_ABI_VERSION, sizeof(*bi));
	boot_info = *bi;
	if (bi->cmdline && bi->cmdline_len && bi->cmdline < (2ULL << 30)) {
		size_t n = MIN(bi->cmdline_len, sizeof(boot_cmdline) - 1);

		memcpy(boot_cmdline, (const char *)(MV_KERNEL_VBASE + bi->cmdline), n);
		boot_cmdline[n] = '\0';
	}
}

/* Is word a whitespace-separated word of the command line? */
static bool cmdline_has(const char *word)
{
	size_t n = strlen(word);

	for (const char *p = boot_cmdline; *p; p++) {
		if ((p == boot_cmdline || p[-1] == ' ') && !strncmp(p, word, n) &&
		    (p[n] == ' ' || p[n] == '\0'))
			return true;
	}
	return false;
}

static void banner(void)
{
	printk("modvisor guest %s (%s): %llu MiB RAM, cmdline \"%s\", ABI %u\n",
	       MODVISOR_VERSION, MODVISOR_UTS_RELEASE,
	       (unsigned long long)(boot_info.mem_size >> 20), boot_cmdline,
	       MV_ABI_VERSION);
}

static void initrd_unpack(void)
{
	if (boot_info.initrd_len && !boot_phys(boot_info.initrd, boot_info.initrd_len))
		panic("initrd [%#lx, +%#lx) is outside RAM",
		      boot_info.initrd, boot_info.initrd_len);
	if (fs_boot)
		fs_boot(&boot_info);
	else if (boot_info.initrd_len)
		printk("initrd: no file system in this kernel, ignored\n");
}

__noreturn void kmain(uint64_t bootinfo_gpa)
{
	int status;

	cpu_init();
	boot_info_take(bootinfo_gpa);
	kernel_quiet = cmdline_has("quiet");
	page_alloc_init(&boot_info, (uint64_t)__kernel_end - MV_KERNEL_VBASE);
	paging_init(boot_info.mem_size);
	page_alloc_remap();
	time_init();
	random_init();
	if (!kernel_quiet)
		banner();
	selftest_run();
	syscall_init();
	irq_init();
	tty_init();
	initrd_unpack();
	authlink_init();
	for (size_t i = 0; i < sizeof(sysfs_inits) / sizeof(sysfs_inits[0]); i++)
		sysfs_inits[i]();
	proc_pid_init();
	status = run_commands();
	console_flush();
	platform->exit(status);
}

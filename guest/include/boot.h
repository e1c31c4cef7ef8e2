/* boot.h: what the kernel learned at boot (the VMM's boot info, the command line). */
#ifndef MV_GUEST_BOOT_H
#define MV_GUEST_BOOT_H

#include "kernel.h"
#include <modvisor/abi/bootinfo.h>

/* A copy of the VMM's struct mv_bootinfo, valid after early boot. */
extern struct mv_bootinfo boot_info;

/* The kernel command line (NUL-terminated, possibly empty). */
extern char boot_cmdline[MV_CMDLINE_MAX];

/*
 * boot_phys(gpa, len): the kernel address of guest-physical [gpa, gpa+len)
 * from the boot info (initrd, command records), or NULL if the range is
 * not inside RAM.  Valid after paging_init.
 */
const void *boot_phys(uint64_t gpa, uint64_t len);

/* page_alloc_init(bi, kernel_end_pa): seed the page allocator from the memory map. */
void page_alloc_init(const struct mv_bootinfo *bi, uint64_t kernel_end_pa);
/* page_alloc_remap(): reach the allocator's bitmap through the direct map (after paging_init). */
void page_alloc_remap(void);

/* time_init(), random_init(), heap checks: called once from kmain. */
void time_init(void);
void random_init(void);
/* selftest_run(): the fault tests named by mv.selftest= (selftest.c). */
void selftest_run(void);

/*
 * kmain(bootinfo_gpa): the kernel proper, entered from _start (the VMM's
 * struct mv_bootinfo) or from pvh_main (one built from PVH start info).
 */
__noreturn void kmain(uint64_t bootinfo_gpa);

/* pvh_main(start_info_pa): the PVH entry's C part (pvh_x86_64.c). */
__noreturn void pvh_main(uint32_t start_info_pa);

#endif

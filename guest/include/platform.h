/* platform.h: what the kernel needs from the machine under it: the modvisor VMM, or a PC (QEMU, libvirt). */
#ifndef MV_GUEST_PLATFORM_H
#define MV_GUEST_PLATFORM_H

#include "kernel.h"
#include <modvisor/abi/hypercall.h>

/*
 * The boot path decides the platform once, before the first printk: the
 * modvisor VMM enters at _start with struct mv_bootinfo (its magic and ABI
 * version are checked), a PVH loader enters at pvh_start32 with struct
 * hvm_start_info.  Only the modvisor VMM has the hypercall ports, so a
 * kernel booted through PVH never issues a hypercall (hcall() refuses it
 * with -ENOSYS); docs/guest-kernel.md, "Platforms".
 */
struct platform_ops {
	const char *name;               /* "modvisor" or "pc" */
	/* console_write(stream, buf, len): MV_CONSOLE_STDOUT/STDERR bytes. */
	void (*console_write)(unsigned stream, const void *buf, size_t len);
	/*
	 * console_read(buf, len, eof): the console input there is now, never
	 * waiting; the byte count, or -errno when the platform has no input.
	 */
	long (*console_read)(void *buf, size_t len, bool *eof);
	/* tick_start(period_ns): start the periodic tick (vector MV_IRQ_TIMER). */
	int (*tick_start)(uint64_t period_ns);
	/* irq_ack(vector): acknowledge an interrupt; true if console input may wait. */
	bool (*irq_ack)(uint64_t vector);
	/* fault(hc): report a kernel fault the kernel cannot handle (then exit). */
	void (*fault)(struct mv_hc_fault *hc);
	/* bench(b): one stage timing for `modvisor bench` (modvisor only). */
	void (*bench)(struct mv_hc_bench *b);
	/* exit(status): stop the machine (0-255). */
	__noreturn void (*exit)(int status);
};

/* The platform in use; platform_modvisor until the PVH entry picks another. */
extern const struct platform_ops *platform;
extern const struct platform_ops platform_modvisor;
extern const struct platform_ops platform_pc;

/* platform_is_modvisor(): does this kernel run under the modvisor VMM? */
static inline bool platform_is_modvisor(void)
{
	return platform == &platform_modvisor;
}

#endif

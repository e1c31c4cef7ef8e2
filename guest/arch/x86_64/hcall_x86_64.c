/* hcall_x86_64.c: hypercalls as an `out` to the VMM's port range (modvisor/abi/hypercall.h). */
#include "hcall.h"
#include "mm.h"
#include "platform.h"

/*
 * The argument struct travels through this buffer in the kernel image,
 * whose physical address is below 4 GiB as the 32-bit port write needs.
 * One CPU and interrupts off: nothing else can use it meanwhile.
 */
static uint8_t hcall_bounce[1024] __attribute__((aligned(64)));

int hcall(unsigned nr, void *arg, uint32_t size)
{
	struct mv_hc_hdr *hdr = (struct mv_hc_hdr *)hcall_bounce;
	uint32_t gpa = (uint32_t)virt_to_phys(hcall_bounce);

	/* Only the modvisor VMM has the ports: elsewhere an `out` is ignored
	 * and the struct would come back as if the call had succeeded. */
	if (!platform_is_modvisor())
		return -ENOSYS;
	BUG_ON(size > sizeof(hcall_bounce) || size < sizeof(*hdr));
	memcpy(hcall_bounce, arg, size);
	hdr->abi_version = MV_ABI_VERSION;
	hdr->size = size;
	hdr->ret = 0;
	__asm__ volatile("outl %0, %w1"
			 : : "a"(gpa), "Nd"((uint16_t)(MV_HC_PIO_BASE + nr))
			 : "memory");
	memcpy(arg, hcall_bounce, size);
	return hdr->ret;
}

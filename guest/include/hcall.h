/* hcall.h: issuing a hypercall to the VMM (modvisor/abi/hypercall.h). */
#ifndef MV_GUEST_HCALL_H
#define MV_GUEST_HCALL_H

#include "kernel.h"
#include <modvisor/abi/hypercall.h>

/*
 * hcall(nr, arg, size): fill arg's header (ABI version, size), hand the
 * struct to the VMM through port MV_HC_PIO_BASE + nr and return hdr.ret.
 * Only under the modvisor VMM (platform.h): anywhere else it does nothing
 * and returns -ENOSYS (an `out` to an absent port would look like success).
 * arg may live anywhere in kernel memory: it is bounced through a buffer
 * below 4 GiB, so callers need not care where their struct is.  For
 * MV_HC_EXIT and MV_HC_FAULT the call does not return.
 */
int hcall(unsigned nr, void *arg, uint32_t size);

/*
 * bench_stage(stage, ticks, bytes): report a stage (enum mv_bench_stage) that
 * took ticks TSC ticks over bytes bytes to `modvisor bench` with MV_HC_BENCH;
 * nothing unless the boot info has MV_BOOT_F_BENCH (guest/kernel/bench.c).
 */
void bench_stage(uint32_t stage, uint64_t ticks, uint64_t bytes);

#endif

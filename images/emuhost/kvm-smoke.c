/* kvm-smoke.c: does /dev/kvm run a guest?  A real-mode loop of port writes, timed per exit. */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/*
 * usage: kvm-smoke [N]   (default N = 1000 exits)
 * Prints "kvm-smoke: ok: N port exits, X us per exit" and exits 0, or
 * names the ioctl that failed and exits 1.  A diagnostic tool for the
 * emulated KVM host (docs/emulated-host.md), not part of modvisor.
 */

#define SMOKE_MEM  0x10000
#define SMOKE_CODE 0x1000
#define SMOKE_PORT 0x10

/* Real mode at 0x1000: cx = N; loop { out al, 0x10 } ; hlt. */
static const uint8_t smoke_code[] = {
	0x89, 0xd9,             /* mov cx, bx (bx = N from the VMM) */
	0xb0, 0x2a,             /* mov al, 42 */
	0xe6, SMOKE_PORT,       /* 1: out 0x10, al */
	0xe2, 0xfc,             /* loop 1b */
	0xf4,                   /* hlt */
};

static int smoke_fail(const char *what)
{
	fprintf(stderr, "kvm-smoke: %s: %s\n", what, strerror(errno));
	return 1;
}

static double smoke_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec * 1e-9;
}

/* smoke_setup(kvm, n): a VM with one vCPU at the code; returns the vCPU fd. */
static int smoke_setup(int kvm, unsigned n, struct kvm_run **run)
{
	struct kvm_userspace_memory_region r = { .memory_size = SMOKE_MEM };
	struct kvm_sregs sregs;
	struct kvm_regs regs = { .rip = SMOKE_CODE, .rbx = n, .rflags = 2 };
	uint8_t *mem;
	int vm, vcpu, sz;

	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		return smoke_fail("KVM_CREATE_VM"), -1;
	mem = mmap(NULL, SMOKE_MEM, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return smoke_fail("mmap"), -1;
	memcpy(mem + SMOKE_CODE, smoke_code, sizeof(smoke_code));
	r.userspace_addr = (uint64_t)(uintptr_t)mem;
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r) < 0)
		return smoke_fail("KVM_SET_USER_MEMORY_REGION"), -1;
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0)
		return smoke_fail("KVM_CREATE_VCPU"), -1;
	sz = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	*run = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (sz <= 0 || *run == MAP_FAILED)
		return smoke_fail("mmap kvm_run"), -1;
	if (ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0)
		return smoke_fail("KVM_GET_SREGS"), -1;
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0)
		return smoke_fail("KVM_SET_SREGS"), -1;
	if (ioctl(vcpu, KVM_SET_REGS, &regs) < 0)
		return smoke_fail("KVM_SET_REGS"), -1;
	return vcpu;
}

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 1000, exits = 0;
	struct kvm_run *run;
	double t0;
	int kvm, vcpu;

	if (n == 0 || n > 0xffff)
		n = 1000;       /* cx is 16 bits */
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		return smoke_fail("/dev/kvm");
	if (ioctl(kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		fprintf(stderr, "kvm-smoke: KVM API version is not %d\n", KVM_API_VERSION);
		return 1;
	}
	vcpu = smoke_setup(kvm, n, &run);
	if (vcpu < 0)
		return 1;
	t0 = smoke_now();
	for (;;) {
		if (ioctl(vcpu, KVM_RUN, 0) < 0)
			return smoke_fail("KVM_RUN");
		if (run->exit_reason == KVM_EXIT_HLT)
			break;
		if (run->exit_reason != KVM_EXIT_IO || run->io.port != SMOKE_PORT ||
		    ((uint8_t *)run)[run->io.data_offset] != 42) {
			fprintf(stderr, "kvm-smoke: unexpected exit reason %u after %u exits\n",
				run->exit_reason, exits);
			return 1;
		}
		exits++;
	}
	if (exits != n) {
		fprintf(stderr, "kvm-smoke: %u port exits, want %u\n", exits, n);
		return 1;
	}
	printf("kvm-smoke: ok: %u port exits, %.1f us per exit\n", exits,
	       (smoke_now() - t0) * 1e6 / exits);
	return 0;
}

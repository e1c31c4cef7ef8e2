/* vm.c: creating and destroying a VM, and the two ways it stops. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include "hypercall.h"
#include "integrity.h"
#include "kvm.h"
#include "sigstop.h"
#include "vm.h"

int vm_stop(struct vm *vm, int status)
{
	if (!vm->stopped) {
		vm->stopped = true;
		vm->status = status;
	}
	return HC_STOP;
}

int vm_fail(struct vm *vm, int status, const char *fmt, ...)
{
	va_list ap;

	if (vm->stopped)
		return HC_STOP;
	va_start(ap, fmt);
	vsnprintf(vm->why, sizeof(vm->why), fmt, ap);
	va_end(ap);
	vm->stopped = true;
	vm->status = status;
	return HC_STOP;
}

/*
 * vm_memslot_limit(kvm_max, out): KVM's memory-slot limit, lowered by the
 * environment's MODVISOR_MAX_MEMSLOTS when set (a knob for tests of slot
 * exhaustion: docs/security.md).  0, or -1 after a message naming it.
 */
static int vm_memslot_limit(uint32_t kvm_max, uint32_t *out)
{
	const char *env = getenv("MODVISOR_MAX_MEMSLOTS");
	unsigned long long v;
	char *end;

	*out = kvm_max;
	if (!env)
		return 0;
	errno = 0;
	v = strtoull(env, &end, 10);
	if (errno || end == env || *end || env[0] == '-' || v < 1 || v > UINT32_MAX) {
		fprintf(stderr, "modvisor: MODVISOR_MAX_MEMSLOTS=%s: not a number of memory "
			"slots (1 or more)\n", env);
		return -1;
	}
	if (v < kvm_max)
		*out = (uint32_t)v;
	return 0;
}

int vm_create(struct vm *vm, uint64_t mem_bytes)
{
	char why[256];
	uint32_t slots;
	void *run;
	int rc;

	memset(vm, 0, sizeof(*vm));
	vm->vm_fd = vm->kvm_fd = -1;
	if (hc_init() < 0)
		return -1;
	vm->kvm_fd = kvm_open(why, sizeof(why));
	if (vm->kvm_fd < 0) {
		fprintf(stderr, "modvisor: %s\n", why);
		return -1;
	}
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0) {
		perror("modvisor: KVM_CREATE_VM");
		goto err;
	}
	if (vm_memslot_limit((uint32_t)kvm_has_cap(vm->kvm_fd, KVM_CAP_NR_MEMSLOTS), &slots))
		goto err;
	rc = mem_alloc(&vm->mem, mem_bytes);
	if (rc == 0)
		rc = mem_register(&vm->mem, vm->vm_fd);
	if (rc == 0)
		rc = memslots_init(&vm->slots, vm->vm_fd, vm->mem.host, vm->mem.size, slots);
	if (rc < 0) {
		fprintf(stderr, "modvisor: cannot set up %llu MiB of guest RAM: %s\n",
			(unsigned long long)(mem_bytes >> 20), strerror(-rc));
		goto err;
	}
	vm->vcpu[0].fd = kvm_create_vcpu(vm->kvm_fd, vm->vm_fd, 0, &run,
					 &vm->run_size, why, sizeof(why));
	if (vm->vcpu[0].fd < 0) {
		fprintf(stderr, "modvisor: %s\n", why);
		goto err;
	}
	vm->vcpu[0].run = run;
	vm->nvcpus = 1;
	return 0;
err:
	vm_destroy(vm);
	return -1;
}

void vm_destroy(struct vm *vm)
{
	int i;

	sigstop_disarm();       /* armed by vm_run() until the run's log is closed */
	for (i = 0; i < vm->nvcpus; i++) {
		munmap(vm->vcpu[i].run, vm->run_size);
		close(vm->vcpu[i].fd);
	}
	vm->nvcpus = 0;
	integrity_free(vm);
	memslots_free(&vm->slots);
	mem_free(&vm->mem);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	vm->vm_fd = vm->kvm_fd = -1;
}

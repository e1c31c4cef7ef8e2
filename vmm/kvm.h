/* kvm.h: opening /dev/kvm and checking what modvisor needs from it. */
#ifndef MODVISOR_VMM_KVM_H
#define MODVISOR_VMM_KVM_H

#include <stddef.h>
#include <stdint.h>

/*
 * kvm_open(why, len): open /dev/kvm, check KVM_GET_API_VERSION == 12 and
 * every capability modvisor uses.  Returns the fd, or -1 with a one-line
 * reason and what to do in why.
 */
int kvm_open(char *why, size_t len);

/*
 * kvm_create_vcpu(kvm_fd, vm_fd, id, run, run_size, why, len): create vCPU
 * id, map its kvm_run into *run (*run_size bytes) and give it the host's
 * supported CPUID.  Returns the vCPU fd or -1 with a reason in why.
 */
int kvm_create_vcpu(int kvm_fd, int vm_fd, int id, void **run, size_t *run_size,
		    char *why, size_t len);

/* kvm_has_cap(kvm_fd, cap): > 0 when KVM_CHECK_EXTENSION says so. */
int kvm_has_cap(int kvm_fd, long cap);

/*
 * kvm_tsc_khz(kvm_fd, vcpu_fd): the guest TSC frequency: KVM_GET_TSC_KHZ,
 * else a short calibration against CLOCK_MONOTONIC.  0 if unknown.
 */
uint64_t kvm_tsc_khz(int kvm_fd, int vcpu_fd);

/* kvm_guest_tsc(vcpu_fd): the vCPU's current TSC (MSR 0x10), or 0. */
uint64_t kvm_guest_tsc(int vcpu_fd);

#endif

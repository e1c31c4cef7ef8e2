/* kvm.c: open /dev/kvm, check the API version and capabilities, make vCPUs. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/kvm.h>
#include "kvm.h"

#define KVM_HINT "make sure your kernel has CONFIG_KVM (and kvm_intel or kvm_amd " \
	"loaded) and that you can open /dev/kvm: add yourself to group kvm"

/* The capabilities modvisor cannot work without, and why it needs them. */
static const struct { long cap; const char *name; } kvm_needed_caps[] = {
	{ KVM_CAP_USER_MEMORY,    "KVM_CAP_USER_MEMORY (guest RAM)" },
	{ KVM_CAP_EXT_CPUID,      "KVM_CAP_EXT_CPUID (KVM_SET_CPUID2)" },
	{ KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT (probe deadline)" },
	{ KVM_CAP_USER_NMI,       "KVM_CAP_USER_NMI (KVM_NMI, module init watchdog)" },
};

int kvm_has_cap(int kvm_fd, long cap)
{
	return ioctl(kvm_fd, KVM_CHECK_EXTENSION, cap);
}

int kvm_open(char *why, size_t len)
{
	int fd, ver;
	size_t i;

	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, len, "cannot open /dev/kvm: %s; " KVM_HINT, strerror(errno));
		return -1;
	}
	ver = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (ver != KVM_API_VERSION) {
		snprintf(why, len, "/dev/kvm has API version %d, modvisor needs %d; "
			 "use a kernel whose KVM speaks API %d", ver, KVM_API_VERSION,
			 KVM_API_VERSION);
		close(fd);
		return -1;
	}
	for (i = 0; i < sizeof(kvm_needed_caps) / sizeof(kvm_needed_caps[0]); i++) {
		if (kvm_has_cap(fd, kvm_needed_caps[i].cap) <= 0) {
			snprintf(why, len, "/dev/kvm lacks %s; use a newer kernel",
				 kvm_needed_caps[i].name);
			close(fd);
			return -1;
		}
	}
	return fd;
}

/* kvm_set_cpuid(kvm_fd, vcpu_fd): pass the host's supported CPUID through. */
static int kvm_set_cpuid(int kvm_fd, int vcpu_fd)
{
	struct kvm_cpuid2 *c;
	int n = 64, rc;

	for (;;) {
		c = calloc(1, sizeof(*c) + n * sizeof(c->entries[0]));
		if (!c)
			return -ENOMEM;
		c->nent = n;
		if (ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, c) == 0)
			break;
		rc = -errno;
		free(c);
		if (rc != -E2BIG || n >= 4096)
			return rc;
		n *= 2;
	}
	rc = ioctl(vcpu_fd, KVM_SET_CPUID2, c) < 0 ? -errno : 0;
	free(c);
	return rc;
}

int kvm_create_vcpu(int kvm_fd, int vm_fd, int id, void **run, size_t *run_size,
		    char *why, size_t len)
{
	int fd, sz, rc;
	void *p;

	fd = ioctl(vm_fd, KVM_CREATE_VCPU, id);
	if (fd < 0) {
		snprintf(why, len, "KVM_CREATE_VCPU: %s", strerror(errno));
		return -1;
	}
	sz = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (sz <= 0) {
		snprintf(why, len, "KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
		goto err_close;
	}
	p = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		snprintf(why, len, "mmap of kvm_run: %s", strerror(errno));
		goto err_close;
	}
	rc = kvm_set_cpuid(kvm_fd, fd);
	if (rc < 0) {
		snprintf(why, len, "KVM_SET_CPUID2: %s", strerror(-rc));
		munmap(p, sz);
		goto err_close;
	}
	*run = p;
	*run_size = sz;
	return fd;
err_close:
	close(fd);
	return -1;
}

static uint64_t kvm_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

/* kvm_calibrate_tsc(): the host TSC rate over 10 ms, in kHz. */
static uint64_t kvm_calibrate_tsc(void)
{
	uint64_t t0 = kvm_now_ns(), c0 = __builtin_ia32_rdtsc(), t1, c1;
	struct timespec d = { 0, 10 * 1000 * 1000 };

	nanosleep(&d, NULL);
	t1 = kvm_now_ns();
	c1 = __builtin_ia32_rdtsc();
	if (t1 <= t0)
		return 0;
	return (c1 - c0) * 1000000u / (t1 - t0);
}

uint64_t kvm_tsc_khz(int kvm_fd, int vcpu_fd)
{
	int khz;

	if (kvm_has_cap(kvm_fd, KVM_CAP_GET_TSC_KHZ) > 0) {
		khz = ioctl(vcpu_fd, KVM_GET_TSC_KHZ, 0);
		if (khz > 0)
			return (uint64_t)khz;
	}
	return kvm_calibrate_tsc();
}

uint64_t kvm_guest_tsc(int vcpu_fd)
{
	struct { struct kvm_msrs hdr; struct kvm_msr_entry e; } m;

	memset(&m, 0, sizeof(m));
	m.hdr.nmsrs = 1;
	m.e.index = 0x10;       /* IA32_TIME_STAMP_COUNTER */
	if (ioctl(vcpu_fd, KVM_GET_MSRS, &m) != 1)
		return 0;
	return m.e.data;
}

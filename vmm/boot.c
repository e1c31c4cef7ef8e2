/* boot.c: lay out guest memory for entry and fill struct mv_bootinfo. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/random.h>
#include "boot.h"
#include "boot_ram.h"
#include "kvm.h"
#include "modvisor/abi/bootinfo.h"

#define PAGE_SIZE       4096ull
#define ALIGN_UP(x, a)  (((x) + (a) - 1) & ~((uint64_t)(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a) - 1))
/* The initrd stays below 2 GiB so both boot mappings reach it. */
#define BOOT_INITRD_TOP (2ull << 30)

_Static_assert(sizeof(struct mv_bootinfo) <= 0x800, "boot info overlaps the GDT");

ssize_t boot_pack_cmds(const struct boot_cmd *cmds, int n, uint8_t *out, size_t cap)
{
	size_t off = 0, sl;
	uint32_t argc;
	int i, j;

	for (i = 0; i < n; i++) {
		argc = (uint32_t)cmds[i].argc;
		if (cap - off < sizeof(argc))
			return -E2BIG;
		memcpy(out + off, &argc, sizeof(argc));
		off += sizeof(argc);
		for (j = 0; j < cmds[i].argc; j++) {
			sl = strlen(cmds[i].argv[j]) + 1;
			if (cap - off < sl)
				return -E2BIG;
			memcpy(out + off, cmds[i].argv[j], sl);
			off += sl;
		}
	}
	return (ssize_t)off;
}

/* boot_memmap_add(bi, base, end, type): append [base, end) if not empty. */
static void boot_memmap_add(struct mv_bootinfo *bi, uint64_t base, uint64_t end,
			    uint32_t type)
{
	struct mv_memmap_entry *e;

	if (end <= base || bi->memmap_count >= MV_MEMMAP_MAX)
		return;
	e = &bi->memmap[bi->memmap_count++];
	e->base = base;
	e->len = end - base;
	e->type = type;
}

void boot_module_region(uint64_t ram, const struct kernel_info *ki, uint64_t *gpa,
			uint64_t *len)
{
	uint64_t kend = ALIGN_UP(ki->phys_end, PAGE_SIZE);
	uint64_t size = ALIGN_DOWN(ram / BOOT_MODREGION_SHARE, 1ull << 20);

	size = size < BOOT_MODREGION_MIN ? BOOT_MODREGION_MIN : size;
	size = size > BOOT_MODREGION_MAX ? BOOT_MODREGION_MAX : size;
	*gpa = kend;
	*len = kend < ram && ram - kend > size ? size : 0;
}

/* boot_place_initrd(m, ki, bs, bi, err, errlen): initrd + --add archive. */
static int boot_place_initrd(struct guest_mem *m, const struct kernel_info *ki,
			     const struct boot_spec *bs, struct mv_bootinfo *bi,
			     char *err, size_t errlen)
{
	uint64_t kend = ALIGN_UP(ki->phys_end, PAGE_SIZE), top, pad, total, start, mgpa, mlen;
	uint8_t *dst;

	top = m->size < BOOT_INITRD_TOP ? m->size : BOOT_INITRD_TOP;
	/* The guest unpacks concatenated archives; each starts 4-byte aligned. */
	pad = ALIGN_UP(bs->initrd_len, 4) - bs->initrd_len;
	total = bs->initrd_len + (bs->extra_len ? pad + bs->extra_len : 0);
	boot_memmap_add(bi, 0, MV_KERNEL_PHYS, MV_MEM_RESERVED);
	boot_memmap_add(bi, MV_KERNEL_PHYS, kend, MV_MEM_RESERVED);
	/* Module memory right after the kernel, apart from all other RAM (the seal needs it). */
	boot_module_region(m->size, ki, &mgpa, &mlen);
	boot_memmap_add(bi, mgpa, mgpa + mlen, MV_MEM_MODULES);
	kend += mlen;
	if (total == 0) {
		boot_memmap_add(bi, kend, m->size, MV_MEM_USABLE);
		return 0;
	}
	if (total > top || ALIGN_DOWN(top - total, PAGE_SIZE) < kend) {
		snprintf(err, errlen, "the initrd (%llu bytes) and the kernel (up to GPA "
			 "0x%llx) do not fit in %llu MiB of guest RAM: raise --mem",
			 (unsigned long long)total, (unsigned long long)kend,
			 (unsigned long long)(m->size >> 20));
		return -ENOMEM;
	}
	start = ALIGN_DOWN(top - total, PAGE_SIZE);
	dst = MEM_GPA_CHECKED(m, start, total);
	memcpy(dst, bs->initrd, bs->initrd_len);
	memset(dst + bs->initrd_len, 0, total - bs->initrd_len);
	if (bs->extra_len)
		memcpy(dst + bs->initrd_len + pad, bs->extra, bs->extra_len);
	bi->initrd = start;
	bi->initrd_len = total;
	boot_memmap_add(bi, kend, start, MV_MEM_USABLE);
	boot_memmap_add(bi, start, ALIGN_UP(start + total, PAGE_SIZE), MV_MEM_INITRD);
	boot_memmap_add(bi, ALIGN_UP(start + total, PAGE_SIZE), m->size, MV_MEM_USABLE);
	return 0;
}

/* boot_place_strings(m, bs, bi, err, errlen): kernel cmdline and commands. */
static int boot_place_strings(struct guest_mem *m, const struct boot_spec *bs,
			      struct mv_bootinfo *bi, char *err, size_t errlen)
{
	const char *cl = bs->cmdline ? bs->cmdline : "";
	size_t cl_len = strlen(cl);
	ssize_t n;

	if (cl_len + 1 > MV_CMDLINE_MAX) {
		snprintf(err, errlen, "--cmdline is %zu bytes, the limit is %llu",
			 cl_len, MV_CMDLINE_MAX - 1);
		return -E2BIG;
	}
	memcpy(MEM_GPA_CHECKED(m, MV_GPA_CMDLINE, cl_len + 1), cl, cl_len + 1);
	bi->cmdline = MV_GPA_CMDLINE;
	bi->cmdline_len = cl_len;
	n = boot_pack_cmds(bs->cmds, bs->ncmds, MEM_GPA_CHECKED(m, MV_GPA_CMDS, MV_CMDS_MAX),
			   MV_CMDS_MAX);
	if (n < 0) {
		snprintf(err, errlen, "the commands (-c, --) take more than %llu bytes",
			 MV_CMDS_MAX);
		return (int)n;
	}
	bi->cmds = MV_GPA_CMDS;
	bi->cmds_len = (uint64_t)n;
	bi->cmd_count = (uint32_t)bs->ncmds;
	return 0;
}

int boot_layout(struct guest_mem *m, const struct kernel_info *ki,
		const struct boot_spec *bs, uint32_t flags, char *err, size_t errlen)
{
	struct mv_bootinfo *bi = MEM_GPA_CHECKED(m, MV_GPA_BOOTINFO, sizeof(*bi));
	int rc;

	memset(bi, 0, sizeof(*bi));
	bi->magic = MV_BOOTINFO_MAGIC;
	bi->abi_version = MV_ABI_VERSION;
	bi->size = sizeof(*bi);
	bi->mem_size = m->size;
	bi->flags = flags;
	bi->tty_rows = bs->tty_rows;
	bi->tty_cols = bs->tty_cols;
	rc = boot_place_strings(m, bs, bi, err, errlen);
	if (!rc)
		rc = boot_ram_check(m->size, ki, bs, err, errlen);
	if (!rc)
		rc = boot_place_initrd(m, ki, bs, bi, err, errlen);
	if (!rc && getrandom(bi->seed, sizeof(bi->seed), 0) != sizeof(bi->seed)) {
		snprintf(err, errlen, "getrandom: %s", strerror(errno));
		rc = -EIO;
	}
	return rc;
}

int boot_prepare(struct vm *vm, const struct kernel_info *ki,
		 const struct boot_spec *bs, char *err, size_t errlen)
{
	struct mv_bootinfo *bi = MEM_GPA_CHECKED(&vm->mem, MV_GPA_BOOTINFO, sizeof(*bi));
	struct timespec now;
	int rc;

	rc = boot_layout(&vm->mem, ki, bs, vm->boot_flags, err, errlen);
	if (!rc)
		rc = boot_arch_setup(vm, ki->entry, MV_GPA_BOOTINFO, err, errlen);
	if (rc)
		return rc;
	bi->tsc_khz = kvm_tsc_khz(vm->kvm_fd, vm->vcpu[0].fd);
	/* Last, so the pair is as close to entry as we can make it. */
	clock_gettime(CLOCK_REALTIME, &now);
	bi->boot_tsc = kvm_guest_tsc(vm->vcpu[0].fd);
	bi->epoch_ns = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
	return 0;
}

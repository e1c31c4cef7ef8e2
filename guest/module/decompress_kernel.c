/* decompress_kernel.c: the guest kernel's side of decompression: FPU/stack-protector bracket, cap, /sys/module/compression. */
#include <arch.h>
#include <boot.h>
#include <errno.h>
#include <kernel.h>
#include <mm.h>
#include <pseudofs.h>
#include <random.h>
#include <string.h>
#include "decompress.h"

/*
 * Debian's libz.a, liblzma.a and libzstd.a are ordinary user-space
 * objects (docs/compression.md):
 *   - they need malloc/calloc/free and memcpy/memmove/memset/memcmp (the
 *     kernel's guest/lib/string.c has the latter, guest/lib/malloc.c the
 *     allocators, though decompress.c hands each library its own allocator,
 *     so those are only reached by paths we do not use);
 *   - they use SSE registers, which belong to the user process that made
 *     the syscall: mdc_lib_enter() saves them and loads a clean state,
 *     mdc_lib_exit() puts them back;
 *   - they are built with -fstack-protector-strong: the canary is read at
 *     %fs:0x28, and FS points at the user's TLS (or nothing) in a syscall,
 *     so enter points FS at a kernel block holding a random canary;
 *   - they may use the 128-byte red zone below %rsp: safe here because
 *     interrupts are never enabled in this kernel and a ring-0 exception
 *     never resumes the code it interrupted (fault.h).
 */

/* ---- the libraries' canary check (malloc & co.: guest/lib/malloc.c) -------- */

void __stack_chk_fail(void);

__noreturn void __stack_chk_fail(void)
{
	panic("decompress: stack smashing detected in a compression library");
}

/* ---- decompress.c's environment (decompress.h) ------------------------------ */

void *mdc_env_out_alloc(size_t n)
{
	phys_addr_t pa = page_alloc(n / 4096);

	return pa ? phys_to_virt(pa) : NULL;
}

void mdc_env_out_free(void *p, size_t n)
{
	page_free(virt_to_phys(p), n / 4096);
}

void *mdc_env_heap_alloc(size_t n)
{
	return kmalloc(n);
}

void mdc_env_heap_free(void *p)
{
	kfree(p);
}

/* ---- the bracket around library calls ------------------------------------- */

static uint8_t user_fpu[512] __attribute__((aligned(16)));
static uint64_t user_fs_base;
static bool in_library;

/* What FS points at during library calls: the canary lives at offset 0x28. */
static uint64_t stack_guard_block[8] __attribute__((aligned(64)));

/* The libraries' constructors (images/decompress/build.mk renames the section). */
typedef void (*mdc_ctor_fn)(void);
extern const mdc_ctor_fn __start_mdc_init_array[] __attribute__((weak));
extern const mdc_ctor_fn __stop_mdc_init_array[] __attribute__((weak));

/* Run them once, inside the bracket: they may use SSE and the canary. */
static void run_constructors(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	for (const mdc_ctor_fn *f = __start_mdc_init_array; f < __stop_mdc_init_array; f++)
		(*f)();
}

void mdc_lib_enter(void)
{
	static const uint32_t mxcsr_default = 0x1f80;   /* all exceptions masked */

	uint64_t rflags;

	/* The red-zone argument (docs/compression.md) needs interrupts off. */
	__asm__ volatile("pushfq\n\tpopq %0" : "=r"(rflags));
	BUG_ON(rflags & (1u << 9));
	BUG_ON(in_library);
	in_library = true;
	__asm__ volatile("fxsave64 %0" : "=m"(user_fpu) : : "memory");
	__asm__ volatile("fninit\n\tldmxcsr %0" : : "m"(mxcsr_default) : "memory");
	if (!stack_guard_block[5]) {
		get_random_bytes(&stack_guard_block[5], sizeof(stack_guard_block[5]));
		stack_guard_block[5] |= 1;  /* never 0, so "set" is visible */
	}
	user_fs_base = rdmsr(MSR_FS_BASE);
	wrmsr(MSR_FS_BASE, (uint64_t)stack_guard_block);
	run_constructors();
}

void mdc_lib_exit(void)
{
	BUG_ON(!in_library);
	wrmsr(MSR_FS_BASE, user_fs_base);
	__asm__ volatile("fxrstor64 %0" : : "m"(user_fpu) : "memory");
	in_library = false;
}

/* ---- the cap: module.decompress_max= -------------------------------------- */

/* Parse BYTES[K|M|G] at p (ends at a space or NUL); false when malformed. */
static bool parse_size(const char *p, uint64_t *out)
{
	uint64_t v = 0;
	unsigned shift = 0;

	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++)
		if (__builtin_mul_overflow(v, 10, &v) ||
		    __builtin_add_overflow(v, (uint64_t)(*p - '0'), &v))
			return false;
	if (*p == 'K' || *p == 'k')
		shift = 10;
	else if (*p == 'M' || *p == 'm')
		shift = 20;
	else if (*p == 'G' || *p == 'g')
		shift = 30;
	if (shift)
		p++;
	if (*p && *p != ' ')
		return false;
	if (shift && v > (UINT64_MAX >> shift))
		return false;
	*out = v << shift;
	return true;
}

size_t mdc_max(void)
{
	static const char key[] = "module.decompress_max=";
	static bool done;
	static size_t cap = MDC_DEFAULT_MAX;

	if (done)
		return cap;
	done = true;
	for (const char *p = boot_cmdline; *p; p++) {
		uint64_t v;

		if ((p != boot_cmdline && p[-1] != ' ') || strncmp(p, key, sizeof(key) - 1))
			continue;
		if (!parse_size(p + sizeof(key) - 1, &v)) {
			printk("decompress: %s: not a size, keeping %zu\n", key, cap);
			continue;
		}
		cap = v > MDC_DEFAULT_MAX ? MDC_DEFAULT_MAX : (size_t)v;
	}
	return cap;
}

/* ---- /sys/module/compression ---------------------------------------------- */

static int show_compression(struct pseudo_buf *out, void *priv)
{
	(void)priv;
	return pbuf_printf(out, "%s\n", mdc_methods()) < 0 ? out->err : 0;
}

void mdc_sysfs_init(void)
{
	static bool done;
	struct inode *dir;

	if (done)
		return;
	dir = sysfs_create_dir("module");
	if (dir && pseudo_create_file(dir, "compression", 0444, show_compression,
				      NULL, NULL) == 0)
		done = true;
}

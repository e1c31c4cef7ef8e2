/* env_kernel.c: the module loader's environment in the guest kernel (pages, page tables, printk, the authority transport, seals). */
#include <boot.h>
#include <hcall.h>
#include <mm.h>
#include <fault.h>
#include <uaccess.h>
#include <modvisor/abi/module.h>
#include "loader_env.h"
#include "transport.h"

/*
 * Module memory lives in the module area, MV_MODULES_VADDR (0xffffffffa0000000,
 * like Linux's MODULES_VADDR) upwards, 512 MiB above the kernel image, so
 * -mcmodel=kernel code (32S and PC32 relocations) reaches the kernel and
 * other modules.  Its pages come from the guest-physical module region the
 * VMM set aside in the memory map (MV_MEM_MODULES), never from the page
 * allocator, so the host can seal them (MV_HC_MODULE_SEAL) without touching
 * anything else: page i of the region is mapped at MV_MODULES_VADDR + i
 * pages.  Without a module region (a PVH boot), the pages behind a region
 * are one physically contiguous run from the page allocator.  Address space
 * is handed out by a page bitmap with one unmapped guard page after each
 * region.  A region is mapped RW+NX until the loader sets the final
 * protections.
 */
#define AREA_PAGES  (256u * 1024u * 1024u / MOD_PAGE_SIZE)     /* at most 256 MiB */

static uint64_t area_map[AREA_PAGES / 64];
static uint64_t area_gpa;       /* the module region (MV_MEM_MODULES), or 0 */
static size_t area_pages;       /* pages of address space; 0 until set up */

static bool area_test(size_t i)
{
	return area_map[i / 64] & (1ull << (i % 64));
}

static void area_mark(size_t first, size_t n, bool used)
{
	for (size_t i = first; i < first + n; i++) {
		if (used)
			area_map[i / 64] |= 1ull << (i % 64);
		else
			area_map[i / 64] &= ~(1ull << (i % 64));
	}
}

/* The module region from the boot info's memory map, looked for once. */
static void area_setup(void)
{
	if (area_pages)
		return;
	area_pages = AREA_PAGES;
	for (uint32_t i = 0; i < boot_info.memmap_count && i < MV_MEMMAP_MAX; i++) {
		const struct mv_memmap_entry *e = &boot_info.memmap[i];

		if (e->type != MV_MEM_MODULES || e->base % MOD_PAGE_SIZE || e->len < MOD_PAGE_SIZE)
			continue;
		area_gpa = e->base;
		area_pages = MIN(e->len / MOD_PAGE_SIZE, (uint64_t)AREA_PAGES);
		return;
	}
}

/* First fit of n free pages; returns the first index or -1. */
static long area_find(size_t n)
{
	size_t run = 0;

	for (size_t i = 0; i < area_pages; i++) {
		run = area_test(i) ? 0 : run + 1;
		if (run == n)
			return (long)(i + 1 - n);
	}
	return -1;
}

int modenv_region_alloc(uint64_t size, struct mod_region *r)
{
	size_t n = size / MOD_PAGE_SIZE;
	phys_addr_t pa;
	long first;

	area_setup();
	if (size == 0 || size % MOD_PAGE_SIZE || n + 1 > area_pages ||
	    (first = area_find(n + 1)) < 0) {
		if (area_gpa)
			printk("module: module region exhausted: no %zu free pages in %zu\n", n + 1,
			       area_pages);
		return -ENOMEM;
	}
	pa = area_gpa ? area_gpa + (uint64_t)first * MOD_PAGE_SIZE : page_alloc(n);
	if (!pa)
		return -ENOMEM;
	r->va = MV_MODULES_VADDR + (uint64_t)first * MOD_PAGE_SIZE;
	if (kmap_range(r->va, pa, n, VM_READ | VM_WRITE) != 0) {
		kunmap_range(r->va, n);
		if (!area_gpa)
			page_free(pa, n);
		return -ENOMEM;
	}
	area_mark((size_t)first, n + 1, true);
	r->buf = (uint8_t *)r->va;
	r->size = size;
	r->env = pa;
	if (area_gpa)
		memset(r->buf, 0, size);        /* page_alloc() zeroes its pages itself */
	return 0;
}

void modenv_region_free(struct mod_region *r)
{
	size_t n = r->size / MOD_PAGE_SIZE;

	kunmap_range(r->va, n);
	if (!area_gpa)
		page_free(r->env, n);
	area_mark((r->va - MV_MODULES_VADDR) / MOD_PAGE_SIZE, n + 1, false);
	r->buf = NULL;
}

void modenv_region_protect(const struct mod_region *r, uint64_t off, uint64_t len,
			   unsigned prot)
{
	unsigned vm = VM_READ;

	if (prot & MOD_PROT_W)
		vm |= VM_WRITE;
	if (prot & MOD_PROT_X)
		vm |= VM_EXEC;
	if (len && kprotect_range(r->va + off, len / MOD_PAGE_SIZE, vm) != 0)
		printk("module: cannot protect %#llx+%#llx\n",
		       (unsigned long long)(r->va + off), (unsigned long long)len);
}

void *modenv_malloc(size_t n)
{
	return kzalloc(n ? n : 1);
}

void modenv_free(void *p)
{
	kfree(p);
}

int modenv_strndup_user(uint64_t uaddr, char **out)
{
	long n = strnlen_user(uaddr, (size_t)INT64_MAX);
	char *p;

	if (n < 0)
		return n == -ENAMETOOLONG ? -EINVAL : (int)n;
	p = kmalloc((size_t)n + 1);
	if (!p)
		return -ENOMEM;
	if (copy_from_user(p, uaddr, (size_t)n) != 0) {
		kfree(p);
		return -EFAULT;
	}
	p[n] = '\0';
	*out = p;
	return 0;
}

extern const struct mv_kernel_symbol __start___ksymtab[], __stop___ksymtab[];
extern const struct mv_kernel_symbol __start___ksymtab_gpl[], __stop___ksymtab_gpl[];

static bool find_in(const struct mv_kernel_symbol *s, const struct mv_kernel_symbol *end,
		    const char *name, struct mod_kexport *out)
{
	for (; s < end; s++) {
		if (strcmp((const char *)s->name, name) == 0) {
			out->value = s->value;
			out->crc = s->crc;
			return true;
		}
	}
	return false;
}

bool modenv_kernel_export(const char *name, struct mod_kexport *out)
{
	out->gpl_only = false;
	if (find_in(__start___ksymtab, __stop___ksymtab, name, out))
		return true;
	out->gpl_only = true;
	return find_in(__start___ksymtab_gpl, __stop___ksymtab_gpl, name, out);
}

void modenv_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
}

int modenv_host_verdict(const struct mod_verdict_req *req, struct mod_verdict *v)
{
	return auth_transport->verdict(req, v);
}

void modenv_host_event(const struct mod_event *ev)
{
	auth_transport->event(ev);
}

/*
 * A fault inside init is contained (fault.h): the load fails with EFAULT
 * instead of stopping the VM.  The module's memory is then freed, as for
 * any failed init.  The host's init watchdog stops a looping init with an
 * NMI, taken only while the CPU runs module code (not in the middle of a
 * kernel function the module called; the host sends another): ETIMEDOUT.
 */
int modenv_call_init(uint64_t fn, struct mod_fault *fault)
{
	static struct fault_recovery rec;
	int ret;

	rec.nmi_lo = MV_MODULES_VADDR;
	rec.nmi_hi = MV_MODULES_VADDR + (uint64_t)AREA_PAGES * MOD_PAGE_SIZE;
	if (fault_recovery_arm(&rec) == 0) {
		ret = ((int (*)(void))fn)();
		fault_recovery_disarm(&rec);
		return ret;
	}
	fault->faulted = true;
	fault->vector = (uint32_t)rec.frame.vector;
	fault->rip = rec.frame.rip;
	fault->cr2 = rec.cr2;
	if (rec.frame.vector == X86_NMI) {
		fault->timed_out = true;
		printk("module: init at %#llx stopped by the host's init watchdog at rip %#llx\n",
		       (unsigned long long)fn, (unsigned long long)rec.frame.rip);
		return -ETIMEDOUT;
	}
	printk("module: init at %#llx faulted (vector %llu, rip %#llx, cr2 %#llx)\n",
	       (unsigned long long)fn, (unsigned long long)rec.frame.vector,
	       (unsigned long long)rec.frame.rip, (unsigned long long)rec.cr2);
	return -EFAULT;
}

/* A fault in exit is contained too: the module is unloaded anyway. */
void modenv_call_exit(uint64_t fn, struct mod_fault *fault)
{
	static struct fault_recovery rec;

	rec.nmi_lo = MV_MODULES_VADDR;
	rec.nmi_hi = MV_MODULES_VADDR + (uint64_t)AREA_PAGES * MOD_PAGE_SIZE;
	if (fault_recovery_arm(&rec) == 0) {
		((void (*)(void))fn)();
		fault_recovery_disarm(&rec);
		return;
	}
	fault->faulted = true;
	fault->vector = (uint32_t)rec.frame.vector;
	fault->rip = rec.frame.rip;
	fault->cr2 = rec.cr2;
	printk("module: exit at %#llx faulted (vector %llu, rip %#llx, cr2 %#llx)\n",
	       (unsigned long long)fn, (unsigned long long)rec.frame.vector,
	       (unsigned long long)rec.frame.rip, (unsigned long long)rec.cr2);
}

uint64_t modenv_now(void)
{
	return rdtsc();
}

int modenv_host_seal(const struct mod_seal_req *req, char *reason, size_t n)
{
	struct mv_hc_module_seal hc = {
		.load_id = req->load_id, .nsections = req->nsecs, .nsyms = req->nsyms,
		.sections = req->nsecs ? virt_to_phys(req->secs) : 0,
		.syms = req->nsyms ? virt_to_phys(req->syms) : 0,
		.core = req->core, .init = req->init,
	};
	int err;

	if (!(boot_info.flags & MV_BOOT_F_SEAL))
		return 0;
	err = hcall(MV_HC_MODULE_SEAL, &hc, sizeof(hc));
	if (err)
		strscpy(reason, hc.reason, n);
	return err ? err : 1;
}

void modenv_host_unseal(uint32_t load_id)
{
	struct mv_hc_module_unseal hc = { .load_id = load_id };

	hcall(MV_HC_MODULE_UNSEAL, &hc, sizeof(hc));
}

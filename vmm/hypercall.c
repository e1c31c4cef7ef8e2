/* hypercall.c: the hypercall dispatcher: one checked copy in, handler, copy out. */
#include <stdio.h>
#include <string.h>
#include "hypercall.h"

#define HC_NPORTS  (MV_HC_PIO_END - MV_HC_PIO_BASE)

/* Handlers by number, built once from the mv_hypercalls section. */
static const struct hypercall *hc_table[HC_NPORTS];
static int hc_ready;

int hc_init(void)
{
	const struct hypercall *h;

	if (hc_ready)
		return 0;
	for (h = __start_mv_hypercalls; h < __stop_mv_hypercalls; h++) {
		if (h->nr >= HC_NPORTS || h->size < sizeof(struct mv_hc_hdr) ||
		    h->size > HC_ARG_MAX) {
			fprintf(stderr, "modvisor: internal error: hypercall %s has "
				"number %u or size %u out of range\n", h->name, h->nr, h->size);
			return -1;
		}
		if (hc_table[h->nr]) {
			fprintf(stderr, "modvisor: internal error: hypercall %u registered "
				"twice (%s, %s)\n", h->nr, hc_table[h->nr]->name, h->name);
			return -1;
		}
		hc_table[h->nr] = h;
	}
	hc_ready = 1;
	return 0;
}

const struct hypercall *hc_lookup(uint32_t nr)
{
	return nr < HC_NPORTS ? hc_table[nr] : NULL;
}

int hc_bad_gpa(struct vm *vm, const char *what, uint64_t gpa, uint64_t len)
{
	uint64_t end;
	int ovf = __builtin_add_overflow(gpa, len, &end);

	return vm_fail(vm, MV_EXIT_HC_BAD_GPA,
		       "%s: bad GPA 0x%llx len 0x%llx: %s guest RAM (0x%llx bytes)",
		       what, (unsigned long long)gpa, (unsigned long long)len,
		       ovf ? "GPA + len overflows, not in" : "outside",
		       (unsigned long long)vm->mem.size);
}

/*
 * The struct is copied into a host buffer before anything reads it, so a
 * second vCPU (or a DMA-like trick) cannot change a field between its check
 * and its use; OUT fields go back in one copy.
 */
int hc_dispatch(struct vm *vm, uint32_t nr, uint64_t gpa)
{
	_Alignas(16) uint8_t copy[HC_ARG_MAX];
	const struct hypercall *h = hc_lookup(nr);
	struct mv_hc_hdr *hdr = (struct mv_hc_hdr *)copy;
	void *arg;
	int rc;

	if (!h)
		return vm_fail(vm, MV_EXIT_HC_UNKNOWN, "unknown hypercall %u (port 0x%x), "
			       "argument GPA 0x%llx", nr, MV_HC_PIO_BASE + nr,
			       (unsigned long long)gpa);
	if (nr < MV_HC_COUNT)
		vm->hypercalls[nr]++;
	arg = mem_gpa(&vm->mem, gpa, h->size);
	if (!arg)
		return hc_bad_gpa(vm, h->name, gpa, h->size);
	memcpy(copy, arg, h->size);
	if (hdr->abi_version != MV_ABI_VERSION)
		return vm_fail(vm, MV_EXIT_HC_BAD_HDR, "%s: header abi_version %u at GPA "
			       "0x%llx, modvisor speaks %u", h->name, hdr->abi_version,
			       (unsigned long long)gpa, MV_ABI_VERSION);
	if (hdr->size != h->size)
		return vm_fail(vm, MV_EXIT_HC_BAD_HDR, "%s: header size %u at GPA 0x%llx, "
			       "expected %u", h->name, hdr->size,
			       (unsigned long long)gpa, h->size);
	if (vm->hooks && vm->hooks->hc_before) {
		vm->hooks->hc_before(vm, nr, copy, vm->hooks->ctx);
		if (vm->stopped)
			return HC_STOP;
	}
	rc = h->fn(vm, copy);
	if (vm->hooks && vm->hooks->hc_after)
		vm->hooks->hc_after(vm, nr, copy, vm->hooks->ctx);
	if (rc == HC_CONTINUE)
		memcpy(arg, copy, h->size);
	return rc;
}

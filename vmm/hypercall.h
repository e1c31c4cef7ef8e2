/* hypercall.h: host-side hypercall dispatch; handlers register themselves. */
#ifndef MODVISOR_VMM_HYPERCALL_H
#define MODVISOR_VMM_HYPERCALL_H

#include <stdint.h>
#include "vm.h"
#include "modvisor/abi/hypercall.h"

/* What a handler returns. */
enum hc_action {
	HC_CONTINUE = 0,   /* resume the vCPU (OUT fields are copied back) */
	HC_STOP     = 1,   /* the VM stops: status set by vm_stop()/vm_fail() */
};

/* Largest argument struct a handler may register. */
#define HC_ARG_MAX  1024u

struct hypercall {
	uint32_t nr;            /* enum mv_hc_nr */
	uint32_t size;          /* sizeof its argument struct */
	const char *name;       /* "MV_HC_CONSOLE" */
	int (*fn)(struct vm *vm, void *arg);
};

/*
 * HYPERCALL_DEFINE(nr, type, fn): register `static int fn(struct vm *vm,
 * type *arg)` as the handler of hypercall nr.  The dispatcher has already
 * checked arg->hdr (abi_version, size == sizeof(type)) and gives fn a
 * private host copy of the struct, so a guest cannot change it under fn;
 * fn sets arg->hdr.ret and OUT fields, which are copied back to the guest
 * when fn returns HC_CONTINUE.  Any GPA inside the struct must go through
 * mem_gpa(&vm->mem, gpa, len); when that fails, return
 * hc_bad_gpa(vm, arg's field name, gpa, len).  Put it in a file of its own
 * (hc_*.c): no central list needs editing.
 */
#define HYPERCALL_DEFINE(nr_, type_, fn_)                                   \
	static int fn_(struct vm *vm, type_ *arg);                          \
	static int fn_##_thunk(struct vm *vm, void *arg)                    \
	{ return fn_(vm, (type_ *)arg); }                                   \
	_Static_assert(sizeof(type_) <= HC_ARG_MAX, #type_ " too large");   \
	static const struct hypercall hypercall_##fn_                       \
	__attribute__((section("mv_hypercalls"), used, aligned(8))) =       \
	{ (nr_), sizeof(type_), #nr_, fn_##_thunk }

/* Linker-provided bounds of the registered handlers. */
extern const struct hypercall __start_mv_hypercalls[], __stop_mv_hypercalls[];

/*
 * hc_init(): index the registered handlers by number; -1 (after printing
 * why) on a duplicate or out-of-range number.  Called once by vm_create().
 */
int hc_init(void);

/*
 * hc_dispatch(vm, nr, gpa): handle hypercall nr whose argument struct is at
 * guest-physical gpa.  Returns HC_CONTINUE or HC_STOP (status and any
 * diagnostic recorded in vm).
 */
int hc_dispatch(struct vm *vm, uint32_t nr, uint64_t gpa);

/*
 * hc_bad_gpa(vm, what, gpa, len): fail the VM with MV_EXIT_HC_BAD_GPA
 * because field `what` names [gpa, gpa+len) outside guest RAM.
 */
int hc_bad_gpa(struct vm *vm, const char *what, uint64_t gpa, uint64_t len);

/*
 * hc_module_refuse_id(vm, hc, load_id, event, name, why): a module
 * hypercall that does not fit load_id's state (hc_module.c): log a
 * `refused` entry, then fail the VM with MV_EXIT_HC_BAD_ARG naming hc and
 * why.  Returns HC_STOP.
 */
int hc_module_refuse_id(struct vm *vm, const char *hc, uint32_t load_id, uint32_t event,
			const char *name, const char *why);

/* hc_lookup(nr): the handler registered for nr, or NULL. */
const struct hypercall *hc_lookup(uint32_t nr);

#endif

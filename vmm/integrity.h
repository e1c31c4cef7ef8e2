/* integrity.h: hypervisor-enforced integrity: guest kernel text read-only in KVM, writes to it caught. */
#ifndef MODVISOR_VMM_INTEGRITY_H
#define MODVISOR_VMM_INTEGRITY_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/kvm.h>
#include "kernel_load.h"
#include "ksyms.h"
#include "seal.h"

struct vm;

/* A module the host knows of, from the events that fit its load id. */
struct integrity_mod {
	uint32_t load_id;
	char name[56];
	uint64_t base;          /* core text address (0 until loaded) */
	bool in_init;           /* between INIT_START and its outcome */
};

/* The host's copy of an allowed image, kept from its verdict until its seal. */
struct integrity_image {
	uint32_t load_id;
	uint8_t *image;
	uint64_t len;
	uint32_t flags;                 /* the load's MV_MODULE_INIT_* flags */
	char name[64];                  /* from the host's reading of .modinfo */
};

/* Per-VM state; vm->integ points at one when protection is on. */
struct integrity {
	bool log_only;                  /* on_violation = log: discard and go on */
	bool quiet;                     /* no line per discarded write (benchmarks) */
	struct ksyms ksyms;             /* the kernel's symbols, from its file */
	struct kernel_ro kro[KERNEL_MAX_PHDRS];   /* kernel ranges made read-only */
	int nkro;
	uint64_t kernel_end;            /* one past the kernel image (GPA) */
	struct integrity_mod *mods;
	uint32_t nmods;
	uint64_t violations;            /* writes caught */
	struct seals seals;             /* sealed modules (seal.h) */
	struct integrity_image *images; /* allowed loads not yet sealed */
	uint32_t nimages;
};

/*
 * integrity_run_open(vm, ki, kernel): `modvisor run`'s hook after the
 * kernel is loaded and before the first guest instruction: with the run's
 * policy protect = on, make ki's read-only ranges KVM_MEM_READONLY and set
 * vm->integ.  Prints why and returns -1 when protection was asked for and
 * cannot be had (no KVM_CAP_READONLY_MEM, too few memslots).
 */
int integrity_run_open(struct vm *vm, const struct kernel_info *ki, const char *kernel);

/*
 * integrity_open(vm, ki, kernel, log_only, quiet): the same without a
 * policy (the benchmark): protection on, violations stop the VM or (log_only)
 * are discarded, printed unless quiet.  -1 after a message.
 */
int integrity_open(struct vm *vm, const struct kernel_info *ki, const char *kernel,
		   bool log_only, bool quiet);

/*
 * integrity_mmio(vm, run): a KVM_EXIT_MMIO.  When it is a write to memory
 * the host made read-only, handle it as a violation (diagnostic, log
 * entry, then stop the VM with MV_EXIT_INTEGRITY, or with on_violation =
 * log discard the write and resume) and return true; else false.
 */
bool integrity_mmio(struct vm *vm, struct kvm_run *run);

/*
 * integrity_note_event(vm, load_id, event, name, base): follow a module
 * event the host accepted, to name the module a violating RIP is in.
 */
void integrity_note_event(struct vm *vm, uint32_t load_id, uint32_t event, const char *name,
			  uint64_t base);

/*
 * integrity_keep_image(vm, load_id, image, len, flags, name): keep the
 * host's copy of an allowed image (moved in: freed by integrity) and the
 * load's MV_MODULE_INIT_* flags (they change its layout) for its seal.
 * Without protection, or out of memory, image is freed at once.
 */
void integrity_keep_image(struct vm *vm, uint32_t load_id, uint8_t *image, uint64_t len,
			  uint32_t flags, const char *name);

/* integrity_image(in, load_id): the kept image of load_id, or NULL. */
struct integrity_image *integrity_image(struct integrity *in, uint32_t load_id);

/* integrity_drop_image(in, load_id): free load_id's kept image, if any. */
void integrity_drop_image(struct integrity *in, uint32_t load_id);

/*
 * integrity_seal_event(vm, load_id, event, err): an accepted module
 * event's effect on seals: LOADED seals ro_after_init and gives back the
 * init region; a LOAD_FAILED with ENOMEM (err) of a module that cannot fit
 * in the module region is logged as such; a final event drops the kept
 * image.  HC_CONTINUE, or HC_STOP after vm_fail() (the log could not be
 * written, or KVM refused).
 */
int integrity_seal_event(struct vm *vm, uint32_t load_id, uint32_t event, int err);

/*
 * integrity_log_seal(vm, s): append a seal/unseal entry.  HC_CONTINUE, or
 * HC_STOP after vm_fail() when the log cannot be written.
 */
struct mlog_seal;
int integrity_log_seal(struct vm *vm, const struct mlog_seal *s);

/* integrity_free(vm): release vm->integ. */
void integrity_free(struct vm *vm);

#endif

/* module.h: the module ABI: .gnu.linkonce.this_module, __versions, flags. */
#ifndef MODVISOR_ABI_MODULE_H
#define MODVISOR_ABI_MODULE_H

#include <stdint.h>

/*
 * Every module carries exactly one .gnu.linkonce.this_module section
 * holding one struct mv_this_module, written by the SDK's modpost step.
 * init and exit are filled by R_X86_64_64 relocations against the
 * module's init_module/cleanup_module symbols, exactly as in Linux.  The
 * loader refuses a section whose size is not sizeof(struct mv_this_module)
 * with ENOEXEC (a Linux module's struct module is larger and differs).
 */
#define MV_MODULE_NAME_LEN  56      /* == Linux MODULE_NAME_LEN */
#define MV_MODULE_ABI       1u

struct mv_this_module {
	char     name[MV_MODULE_NAME_LEN];  /* NUL-terminated KBUILD_MODNAME */
	uint64_t init;          /* int (*)(void), or 0 */
	uint64_t exit;          /* void (*)(void), or 0 */
	uint32_t abi;           /* MV_MODULE_ABI */
	uint32_t _pad;
	uint64_t _reserved[4];  /* zero; room to grow without resizing */
};
_Static_assert(sizeof(struct mv_this_module) == 112, "this_module size");

/* One __versions entry, as in Linux (struct modversion_info). */
struct mv_modversion {
	uint64_t crc;           /* only the low 32 bits are used */
	char     name[64 - 8];
};
_Static_assert(sizeof(struct mv_modversion) == 64, "modversion size");

/*
 * Exported symbols: EXPORT_SYMBOL puts one struct mv_kernel_symbol in
 * section __ksymtab, EXPORT_SYMBOL_GPL in __ksymtab_gpl.  value and name are
 * absolute addresses filled by R_X86_64_64 relocations.  crc is the
 * symbol's version CRC (docs/modversions.md); the guest kernel's own table
 * uses the same struct.
 */
struct mv_kernel_symbol {
	uint64_t value;         /* address of the symbol */
	uint64_t name;          /* address of its NUL-terminated name */
	uint32_t crc;           /* version CRC, as in Module.symvers */
	uint32_t _pad;
};
_Static_assert(sizeof(struct mv_kernel_symbol) == 24, "kernel_symbol size");

/*
 * Module parameters: module_param() emits one struct mv_kernel_param in
 * section __param.  ops points at one of the guest kernel's exported
 * param_ops_* objects (param_ops_int, param_array_ops, ...), as in Linux;
 * arg points at the variable, a struct mv_kparam_string or a
 * struct mv_kparam_array.  Layouts are fixed because modules built by the
 * SDK and the guest kernel must agree on them.
 */
struct mv_kernel_param {
	uint64_t name;          /* const char *: "count" */
	uint64_t ops;           /* const struct kernel_param_ops * */
	uint16_t perm;          /* sysfs mode, e.g. 0644; 0 = not in sysfs */
	int8_t   level;         /* -1 for modules */
	uint8_t  flags;
	uint32_t _pad;
	uint64_t arg;           /* void *, kparam_string * or kparam_array * */
};
_Static_assert(sizeof(struct mv_kernel_param) == 32, "kernel_param size");

struct mv_kparam_string {
	uint32_t maxlen;        /* buffer size including the NUL */
	uint32_t _pad;
	uint64_t string;        /* char * */
};
_Static_assert(sizeof(struct mv_kparam_string) == 16, "kparam_string size");

struct mv_kparam_array {
	uint32_t max;           /* capacity in elements */
	uint32_t elemsize;
	uint64_t num;           /* unsigned int *: element count, or 0 */
	uint64_t ops;           /* element ops */
	uint64_t elem;          /* the array */
};
_Static_assert(sizeof(struct mv_kparam_array) == 32, "kparam_array size");

/*
 * Linux's struct kernel_param_ops.  The guest kernel's param_ops_* objects
 * have this layout, and so do the ops a module defines itself
 * (module_param_cb(), module_param_call()): the guest kernel calls their
 * set, get and free.  Both sides check their typed struct against this one.
 */
struct mv_kernel_param_ops {
	uint32_t flags;         /* MV_KERNEL_PARAM_OPS_FL_* */
	uint32_t _pad;
	uint64_t set;           /* int (*)(const char *val, const struct kernel_param *kp) */
	uint64_t get;           /* int (*)(char *buffer, const struct kernel_param *kp) */
	uint64_t free;          /* void (*)(void *arg), or 0 */
};
_Static_assert(sizeof(struct mv_kernel_param_ops) == 32, "kernel_param_ops size");

/* mv_kernel_param_ops.flags: the parameter may be given without "=value" (bool). */
#define MV_KERNEL_PARAM_OPS_FL_NOARG  (1u << 0)
/* mv_kernel_param.flags, Linux's values. */
#define MV_KERNEL_PARAM_FL_UNSAFE     (1u << 0)   /* setting it taints the kernel (U) */
#define MV_KERNEL_PARAM_FL_HWPARAM    (1u << 1)   /* refused under lockdown (none here) */

/* finit_module(2) flags, Linux's values. */
#define MV_MODULE_INIT_IGNORE_MODVERSIONS  1u
#define MV_MODULE_INIT_IGNORE_VERMAGIC     2u
#define MV_MODULE_INIT_COMPRESSED_FILE     4u
#define MV_MODULE_INIT_FLAGS_ALL           7u

/* Taint bits, Linux's numbering (include/linux/panic.h). */
#define MV_TAINT_PROPRIETARY_MODULE  0   /* P */
#define MV_TAINT_FORCED_MODULE       1   /* F */
#define MV_TAINT_USER                6   /* U: an unsafe module parameter was set */
#define MV_TAINT_DIE                 7   /* D: a module's init faulted (Linux: an oops) */
#define MV_TAINT_OOT_MODULE          12  /* O */
#define MV_TAINT_UNSIGNED_MODULE     13  /* E */
#define MV_TAINT_SOFTLOCKUP          14  /* L: the init watchdog stopped a module's init */

#endif

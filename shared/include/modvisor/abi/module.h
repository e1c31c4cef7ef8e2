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

/* finit_module(2) flags, Linux's values. */
#define MV_MODULE_INIT_IGNORE_MODVERSIONS  1u
#define MV_MODULE_INIT_IGNORE_VERMAGIC     2u
#define MV_MODULE_INIT_COMPRESSED_FILE     4u
#define MV_MODULE_INIT_FLAGS_ALL           7u

/* Taint bits, Linux's numbering (include/linux/panic.h). */
#define MV_TAINT_PROPRIETARY_MODULE  0   /* P */
#define MV_TAINT_FORCED_MODULE       1   /* F */
#define MV_TAINT_OOT_MODULE          12  /* O */
#define MV_TAINT_UNSIGNED_MODULE     13  /* E */

#endif

/* export.h: the guest kernel's EXPORT_SYMBOL(), one struct mv_kernel_symbol per symbol modules may use. */
#ifndef MV_GUEST_EXPORT_H
#define MV_GUEST_EXPORT_H

#include <modvisor/abi/module.h>

/*
 * EXPORT_SYMBOL(sym) puts one struct mv_kernel_symbol { value, name, crc }
 * in section __ksymtab (EXPORT_SYMBOL_GPL: __ksymtab_gpl); the loader walks
 * them between the linker's __start___ksymtab and __stop___ksymtab (and the
 * _gpl pair).  crc is the absolute symbol __crc_SYM that the SDK's modpost
 * computes from sym's declaration in the SDK headers and links into the
 * kernel (images/sdk/build.mk, docs/modversions.md).  The entry is written
 * in assembler because C cannot store a symbol's value in 32 bits, and it
 * names sym without a C declaration, so exports.c needs no headers.
 * Only guest/kernel/exports.c uses this: it is the one list of exports,
 * from which build/images/Module.symvers is generated.
 */
#define __MV_EXPORT(sym, sec)						\
	__asm__("\t.pushsection __ksymtab_strings,\"a\"\n"		\
		"__kstrtab_" #sym ":\n"					\
		"\t.asciz \"" #sym "\"\n"				\
		"\t.popsection\n"					\
		"\t.pushsection " sec ",\"a\"\n"			\
		"\t.balign 8\n"						\
		"__ksymtab_" #sym ":\n"					\
		"\t.quad " #sym "\n"					\
		"\t.quad __kstrtab_" #sym "\n"				\
		"\t.long __crc_" #sym "\n"				\
		"\t.long 0\n"						\
		"\t.popsection\n")

#define EXPORT_SYMBOL(sym)      __MV_EXPORT(sym, "__ksymtab")
#define EXPORT_SYMBOL_GPL(sym)  __MV_EXPORT(sym, "__ksymtab_gpl")

_Static_assert(sizeof(struct mv_kernel_symbol) == 24,
	       "export.h writes 8 + 8 + 4 + 4 bytes per entry");

#endif

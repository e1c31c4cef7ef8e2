/* ksymtab.h: MV_KSYMTAB_ENTRY(), the one writer of a struct mv_kernel_symbol (kernel exports and modules' EXPORT_SYMBOL). */
#ifndef MODVISOR_ABI_KSYMTAB_H
#define MODVISOR_ABI_KSYMTAB_H

#include <modvisor/abi/module.h>

/*
 * MV_KSYMTAB_ENTRY(sym, sec) puts one struct mv_kernel_symbol { value, name,
 * crc } for sym in section sec ("__ksymtab" or "__ksymtab_gpl"), labelled
 * __ksymtab_SYM, with SYM's name in __ksymtab_strings; the loader walks the
 * section between the linker's __start_ and __stop_ symbols.  crc is the
 * absolute symbol __crc_SYM that the SDK's modpost computes from sym's
 * declaration (docs/modversions.md): for the kernel it links the CRCs into
 * the kernel (images/sdk/build.mk), for a module into that module.  The
 * entry is written in assembler because C cannot store a symbol's value in
 * 32 bits.  Used by the guest kernel's <export.h> and the SDK's
 * <linux/export.h>.
 */
#define MV_KSYMTAB_ENTRY(sym, sec)					\
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

_Static_assert(sizeof(struct mv_kernel_symbol) == 24,
	       "MV_KSYMTAB_ENTRY writes 8 + 8 + 4 + 4 bytes per entry");

#endif

/* export.h: EXPORT_SYMBOL() and EXPORT_SYMBOL_GPL() for modules. */
#ifndef _MV_SDK_LINUX_EXPORT_H
#define _MV_SDK_LINUX_EXPORT_H

/*
 * EXPORT_SYMBOL(sym) emits one struct mv_kernel_symbol (see
 * <modvisor/abi/module.h>) in section __ksymtab, EXPORT_SYMBOL_GPL in
 * __ksymtab_gpl, labelled __ksymtab_SYM, with SYM's name in
 * __ksymtab_strings.  The crc field refers to __crc_SYM, an absolute symbol
 * that modpost defines in SYM's module (docs/modversions.md), so the struct
 * is written in assembler: C cannot store a symbol's value in 32 bits.
 * The extern declaration refuses to export a static symbol.
 */
#define __EXPORT_SYMBOL(sym, sec)					\
	extern __typeof__(sym) sym;					\
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

#define EXPORT_SYMBOL(sym)      __EXPORT_SYMBOL(sym, "__ksymtab")
#define EXPORT_SYMBOL_GPL(sym)  __EXPORT_SYMBOL(sym, "__ksymtab_gpl")

#endif

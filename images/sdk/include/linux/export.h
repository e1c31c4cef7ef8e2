/* export.h: EXPORT_SYMBOL() and EXPORT_SYMBOL_GPL() for modules. */
#ifndef _MV_SDK_LINUX_EXPORT_H
#define _MV_SDK_LINUX_EXPORT_H

#include <modvisor/abi/ksymtab.h>

/*
 * EXPORT_SYMBOL(sym) emits one struct mv_kernel_symbol in section
 * __ksymtab, EXPORT_SYMBOL_GPL in __ksymtab_gpl (MV_KSYMTAB_ENTRY, in
 * <modvisor/abi/ksymtab.h>); modpost defines the __crc_SYM it refers to in
 * SYM's module.  The extern declaration refuses to export a static symbol.
 */
#define __EXPORT_SYMBOL(sym, sec)					\
	extern __typeof__(sym) sym;					\
	MV_KSYMTAB_ENTRY(sym, sec)

#define EXPORT_SYMBOL(sym)      __EXPORT_SYMBOL(sym, "__ksymtab")
#define EXPORT_SYMBOL_GPL(sym)  __EXPORT_SYMBOL(sym, "__ksymtab_gpl")

#endif

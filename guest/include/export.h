/* export.h: the guest kernel's EXPORT_SYMBOL(), one struct mv_kernel_symbol per symbol modules may use. */
#ifndef MV_GUEST_EXPORT_H
#define MV_GUEST_EXPORT_H

#include <modvisor/abi/ksymtab.h>

/*
 * EXPORT_SYMBOL(sym): an entry in __ksymtab (EXPORT_SYMBOL_GPL: __ksymtab_gpl)
 * written by MV_KSYMTAB_ENTRY.  It names sym without a C declaration, so
 * exports.c needs no headers.  Only guest/kernel/exports.c uses this: it is
 * the one list of exports, from which build/images/Module.symvers is
 * generated.
 */
#define EXPORT_SYMBOL(sym)      MV_KSYMTAB_ENTRY(sym, "__ksymtab")
#define EXPORT_SYMBOL_GPL(sym)  MV_KSYMTAB_ENTRY(sym, "__ksymtab_gpl")

#endif

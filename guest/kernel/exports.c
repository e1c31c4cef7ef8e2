/* exports.c: the one list of kernel symbols modules may use; each is declared in images/sdk/include. */
#include <export.h>

/*
 * One EXPORT_SYMBOL line per symbol, at the start of a line: modpost reads
 * this file to write build/images/Module.symvers, and refuses a name the SDK
 * headers do not declare (its CRC is computed from that declaration, see
 * docs/modversions.md).  Adding a symbol here means documenting it in
 * docs/sdk.md.  EXPORT_SYMBOL_GPL symbols are only for modules whose
 * licence is GPL-compatible.
 */

/* <linux/printk.h>, <linux/kernel.h> */
EXPORT_SYMBOL(printk);
EXPORT_SYMBOL(vprintk);
EXPORT_SYMBOL(snprintf);
EXPORT_SYMBOL(vsnprintf);

/* <linux/slab.h> */
EXPORT_SYMBOL(kmalloc);
EXPORT_SYMBOL(kzalloc);
EXPORT_SYMBOL(kfree);

/* <linux/string.h> */
EXPORT_SYMBOL(memcpy);
EXPORT_SYMBOL(memmove);
EXPORT_SYMBOL(memset);
EXPORT_SYMBOL(memcmp);
EXPORT_SYMBOL(strlen);
EXPORT_SYMBOL(strnlen);
EXPORT_SYMBOL(strcmp);
EXPORT_SYMBOL(strncmp);
EXPORT_SYMBOL(strchr);
EXPORT_SYMBOL(strscpy);

/* <linux/moduleparam.h>: parameter types, guest/module/params.c */
EXPORT_SYMBOL(param_ops_byte);
EXPORT_SYMBOL(param_ops_short);
EXPORT_SYMBOL(param_ops_ushort);
EXPORT_SYMBOL(param_ops_int);
EXPORT_SYMBOL(param_ops_uint);
EXPORT_SYMBOL(param_ops_long);
EXPORT_SYMBOL(param_ops_ulong);
EXPORT_SYMBOL(param_ops_ullong);
EXPORT_SYMBOL(param_ops_hexint);
EXPORT_SYMBOL(param_ops_charp);
EXPORT_SYMBOL(param_ops_bool);
EXPORT_SYMBOL(param_ops_invbool);
EXPORT_SYMBOL(param_ops_string);
EXPORT_SYMBOL(param_array_ops);
EXPORT_SYMBOL(param_ops_bint);
EXPORT_SYMBOL(param_set_byte);
EXPORT_SYMBOL(param_get_byte);
EXPORT_SYMBOL(param_set_short);
EXPORT_SYMBOL(param_get_short);
EXPORT_SYMBOL(param_set_ushort);
EXPORT_SYMBOL(param_get_ushort);
EXPORT_SYMBOL(param_set_int);
EXPORT_SYMBOL(param_get_int);
EXPORT_SYMBOL(param_set_uint);
EXPORT_SYMBOL(param_get_uint);
EXPORT_SYMBOL(param_set_long);
EXPORT_SYMBOL(param_get_long);
EXPORT_SYMBOL(param_set_ulong);
EXPORT_SYMBOL(param_get_ulong);
EXPORT_SYMBOL(param_set_ullong);
EXPORT_SYMBOL(param_get_ullong);
EXPORT_SYMBOL(param_set_hexint);
EXPORT_SYMBOL(param_get_hexint);
EXPORT_SYMBOL(param_set_charp);
EXPORT_SYMBOL(param_get_charp);
EXPORT_SYMBOL(param_free_charp);
EXPORT_SYMBOL(param_set_bool);
EXPORT_SYMBOL(param_get_bool);
EXPORT_SYMBOL(param_set_invbool);
EXPORT_SYMBOL(param_get_invbool);
EXPORT_SYMBOL(param_set_bint);
EXPORT_SYMBOL(param_set_copystring);
EXPORT_SYMBOL(param_get_string);

/* <linux/uaccess.h>: guest/kernel/uaccess.c */
EXPORT_SYMBOL(_copy_from_user);
EXPORT_SYMBOL(_copy_to_user);

/* <linux/proc_fs.h>: guest/kernel/proc_fs.c */
EXPORT_SYMBOL(proc_mkdir);
EXPORT_SYMBOL(proc_create);
EXPORT_SYMBOL(proc_create_data);
EXPORT_SYMBOL(proc_create_single_data);
EXPORT_SYMBOL(proc_remove);
EXPORT_SYMBOL(remove_proc_entry);
EXPORT_SYMBOL(pde_data);

/* <linux/seq_file.h>: guest/kernel/seq_file.c */
EXPORT_SYMBOL(seq_printf);
EXPORT_SYMBOL(seq_vprintf);
EXPORT_SYMBOL(seq_puts);
EXPORT_SYMBOL(seq_putc);
EXPORT_SYMBOL(seq_write);
EXPORT_SYMBOL(seq_open);
EXPORT_SYMBOL(seq_release);
EXPORT_SYMBOL(seq_read);
EXPORT_SYMBOL(seq_lseek);
EXPORT_SYMBOL(single_open);
EXPORT_SYMBOL(single_release);

/* sysfs_module.h: what user space sees of modules: /proc/modules and /sys/module/NAME. */
#ifndef MOD_SYSFS_MODULE_H
#define MOD_SYSFS_MODULE_H

#include "loader.h"

/* sysfs_module_init(): register /proc/modules (idempotent; first module syscall). */
void sysfs_module_init(void);

/*
 * sysfs_module_add(mod): /sys/module/NAME/{initstate,refcnt,taint,coresize,
 * initsize}, holders/ (and holders/NAME -> ../../NAME in each module NAME
 * uses), and parameters/P for each parameter with a non-zero perm; remembered in
 * mod->sysfs.  A failure only logs: the module stays loaded, as in Linux
 * where a sysfs failure after init is not fatal to the caller.
 */
void sysfs_module_add(struct module *mod);

/*
 * sysfs_module_unlink_holders(name): module name is gone: remove the
 * holders/NAME link of each module it used.
 */
void sysfs_module_unlink_holders(const char *name);

/* sysfs_module_remove(node): remove the directory sysfs_module_add made (NULL: nothing). */
void sysfs_module_remove(void *node);

/*
 * sysfs_module_flags(mod, buf, parens): Linux's module_flags(): the taint
 * letters in bit order (P F O E), with "(...)" and a state mark ('+'
 * loading, '-' unloading) when parens; returns buf.  buf holds 16 bytes.
 */
char *sysfs_module_flags(const struct module *mod, char *buf, bool parens);

#endif

/* module.h: everything a module includes: MODULE_*() tags, init/exit, params, exports, printk. */
#ifndef _MV_SDK_LINUX_MODULE_H
#define _MV_SDK_LINUX_MODULE_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/moduleparam.h>
#include <linux/export.h>
#include <linux/slab.h>
#include <linux/string.h>

#ifndef KBUILD_MODNAME
#error "KBUILD_MODNAME is not defined: build modules with images/sdk/module.mk"
#endif

/* MODULE_INFO(tag, info): a free-form "tag=info" entry in .modinfo. */
#define MODULE_INFO(tag, info)  __MODULE_INFO(tag, tag, info)

/*
 * MODULE_LICENSE(l): "GPL", "GPL v2", "GPL and additional rights",
 * "Dual BSD/GPL", "Dual MIT/GPL" and "Dual MPL/GPL" are GPL-compatible (they
 * may use EXPORT_SYMBOL_GPL symbols); anything else taints the kernel (P).
 */
#define MODULE_LICENSE(l)       MODULE_INFO(license, l)
#define MODULE_AUTHOR(a)        MODULE_INFO(author, a)
#define MODULE_DESCRIPTION(d)   MODULE_INFO(description, d)
#define MODULE_VERSION(v)       MODULE_INFO(version, v)
#define MODULE_ALIAS(a)         MODULE_INFO(alias, a)
#define MODULE_SOFTDEP(s)       MODULE_INFO(softdep, s)

#endif

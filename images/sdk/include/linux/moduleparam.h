/* moduleparam.h: module_param() and friends, emitting struct mv_kernel_param in __param. */
#ifndef _MV_SDK_LINUX_MODULEPARAM_H
#define _MV_SDK_LINUX_MODULEPARAM_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <modvisor/abi/module.h>

/*
 * Every parameter is one struct mv_kernel_param (the ABI header fixes its
 * layout) in section __param, whose ops point at one of the guest kernel's
 * param_ops_* objects, exactly as in Linux.  Each also adds the
 * "parmtype=NAME:TYPE" string to .modinfo that kmod's modinfo shows, and
 * MODULE_PARM_DESC adds "parm=NAME:DESCRIPTION".
 */
struct kernel_param_ops;    /* opaque: defined by the guest kernel */

/* The guest kernel's parameter types (guest/module/params.c). */
extern const struct kernel_param_ops param_ops_byte;
extern const struct kernel_param_ops param_ops_short;
extern const struct kernel_param_ops param_ops_ushort;
extern const struct kernel_param_ops param_ops_int;
extern const struct kernel_param_ops param_ops_uint;
extern const struct kernel_param_ops param_ops_long;
extern const struct kernel_param_ops param_ops_ulong;
extern const struct kernel_param_ops param_ops_ullong;
extern const struct kernel_param_ops param_ops_hexint;
extern const struct kernel_param_ops param_ops_charp;
extern const struct kernel_param_ops param_ops_bool;
extern const struct kernel_param_ops param_ops_invbool;
extern const struct kernel_param_ops param_ops_string;
extern const struct kernel_param_ops param_array_ops;

#ifndef MODULE_PARAM_PREFIX
#define MODULE_PARAM_PREFIX   /* empty for modules, as in Linux */
#endif

/* __MODULE_INFO(tag, id, info): one "tag=info" string in .modinfo. */
#define __MODULE_INFO(tag, name, info)					\
	static const char __UNIQUE_ID(name)[] __used __section(".modinfo") \
		__aligned(1) = __stringify(tag) "=" info

#define __MODULE_PARM_TYPE(name, _type) \
	__MODULE_INFO(parmtype, name##type, #name ":" _type)

/* MODULE_PARM_DESC(param, desc): the description modinfo prints for param. */
#define MODULE_PARM_DESC(_parm, desc) \
	__MODULE_INFO(parm, _parm, #_parm ":" desc)

#define __MV_PTR(p)  ((uint64_t)(unsigned long)(p))

/* The one struct mv_kernel_param behind every module_param*() form. */
#define __module_param_call(prefix, name, ops, arg, perm, level, flags)	\
	static const char __param_str_##name[] = prefix #name;		\
	static const struct mv_kernel_param __param_##name		\
	__used __section("__param") __aligned(8) = {			\
		__MV_PTR(__param_str_##name), __MV_PTR(ops), (perm),	\
		(level), (flags), 0, __MV_PTR(arg) }

/* module_param_cb(name, ops, arg, perm): a parameter with explicit ops. */
#define module_param_cb(name, ops, arg, perm) \
	__module_param_call(MODULE_PARAM_PREFIX, name, ops, arg, perm, -1, 0)

/* Compile-time type checks: module_param(x, int, ...) needs an int x. */
#define __param_check(name, p, type) \
	static inline type __always_unused *__check_##name(void) { return (p); }
#define param_check_byte(name, p)    __param_check(name, p, unsigned char)
#define param_check_short(name, p)   __param_check(name, p, short)
#define param_check_ushort(name, p)  __param_check(name, p, unsigned short)
#define param_check_int(name, p)     __param_check(name, p, int)
#define param_check_uint(name, p)    __param_check(name, p, unsigned int)
#define param_check_long(name, p)    __param_check(name, p, long)
#define param_check_ulong(name, p)   __param_check(name, p, unsigned long)
#define param_check_ullong(name, p)  __param_check(name, p, unsigned long long)
#define param_check_hexint(name, p)  __param_check(name, p, unsigned int)
#define param_check_charp(name, p)   __param_check(name, p, char *)
#define param_check_bool(name, p)    __param_check(name, p, bool)
#define param_check_invbool(name, p) __param_check(name, p, bool)

/*
 * module_param_named(name, value, type, perm): parameter "name" stored in
 * variable value.  type is byte, short, ushort, int, uint, long, ulong,
 * ullong, hexint (an unsigned int shown in hex), charp, bool or invbool;
 * perm is the sysfs mode (0 = not in sysfs).
 */
#define module_param_named(name, value, type, perm)			\
	param_check_##type(name, &(value));				\
	module_param_cb(name, &param_ops_##type, &value, perm);		\
	__MODULE_PARM_TYPE(name, #type)

/* module_param(name, type, perm): parameter named after its variable. */
#define module_param(name, type, perm) \
	module_param_named(name, name, type, perm)

/*
 * module_param_string(name, string, len, perm): a char buffer of len bytes
 * (including the NUL) filled by copy; a longer value fails with ENOSPC.
 */
#define module_param_string(name, string, len, perm)			\
	static const struct mv_kparam_string __param_string_##name =	\
		{ (len), 0, __MV_PTR(string) };				\
	__module_param_call(MODULE_PARAM_PREFIX, name, &param_ops_string, \
			    &__param_string_##name, perm, -1, 0);	\
	__MODULE_PARM_TYPE(name, "string")

/*
 * module_param_array_named(name, array, type, nump, perm): comma-separated
 * values into array (its size is the maximum); the count is stored in
 * *nump (an unsigned int or int), or nump is NULL.
 */
#define module_param_array_named(name, array, type, nump, perm)	\
	param_check_##type(name, &(array)[0]);				\
	static const struct mv_kparam_array __param_arr_##name = {	\
		sizeof(array) / sizeof((array)[0]), sizeof((array)[0]),	\
		__MV_PTR(nump), __MV_PTR(&param_ops_##type),		\
		__MV_PTR(array) };					\
	__module_param_call(MODULE_PARAM_PREFIX, name, &param_array_ops, \
			    &__param_arr_##name, perm, -1, 0);		\
	__MODULE_PARM_TYPE(name, "array of " #type)

/* module_param_array(name, type, nump, perm): array named after its variable. */
#define module_param_array(name, type, nump, perm) \
	module_param_array_named(name, name, type, nump, perm)

#endif

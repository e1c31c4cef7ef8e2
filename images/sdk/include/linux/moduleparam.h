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
struct kernel_param;

/*
 * Linux's struct kernel_param_ops: the guest kernel's param_ops_* objects,
 * or a module's own for module_param_cb().  set() parses val (NULL only
 * with KERNEL_PARAM_OPS_FL_NOARG) into kp->arg and returns 0 or -errno;
 * get() writes what sysfs shows into buffer (a page) and returns its
 * length.  The layout is module ABI (struct mv_kernel_param_ops).
 */
struct kernel_param_ops {
	unsigned int flags;
	int (*set)(const char *val, const struct kernel_param *kp);
	int (*get)(char *buffer, const struct kernel_param *kp);
	void (*free)(void *arg);
};
#define KERNEL_PARAM_OPS_FL_NOARG  MV_KERNEL_PARAM_OPS_FL_NOARG
#define KERNEL_PARAM_FL_UNSAFE     MV_KERNEL_PARAM_FL_UNSAFE
#define KERNEL_PARAM_FL_HWPARAM    MV_KERNEL_PARAM_FL_HWPARAM

/* Linux's struct kparam_string and struct kparam_array, with the ABI's layout. */
struct kparam_string {
	unsigned int maxlen;
	unsigned int _pad;
	char *string;
};
struct kparam_array {
	unsigned int max;
	unsigned int elemsize;
	unsigned int *num;
	const struct kernel_param_ops *ops;
	void *elem;
};

/*
 * Linux's struct kernel_param as a set()/get() callback sees it; __param
 * holds struct mv_kernel_param, the same bytes with fixed-width fields.
 */
struct kernel_param {
	const char *name;
	const struct kernel_param_ops *ops;
	unsigned short perm;
	signed char level;
	unsigned char flags;
	unsigned int _pad;
	union {
		void *arg;
		const struct kparam_string *str;
		const struct kparam_array *arr;
	};
};

#define __MV_ABI_SAME(t, f, abi) \
	_Static_assert(__builtin_offsetof(struct t, f) == __builtin_offsetof(struct abi, f), #t "." #f)
__MV_ABI_SAME(kernel_param_ops, flags, mv_kernel_param_ops);
__MV_ABI_SAME(kernel_param_ops, set, mv_kernel_param_ops);
__MV_ABI_SAME(kernel_param_ops, get, mv_kernel_param_ops);
__MV_ABI_SAME(kernel_param_ops, free, mv_kernel_param_ops);
__MV_ABI_SAME(kernel_param, name, mv_kernel_param);
__MV_ABI_SAME(kernel_param, ops, mv_kernel_param);
__MV_ABI_SAME(kernel_param, perm, mv_kernel_param);
__MV_ABI_SAME(kernel_param, level, mv_kernel_param);
__MV_ABI_SAME(kernel_param, flags, mv_kernel_param);
__MV_ABI_SAME(kernel_param, arg, mv_kernel_param);
__MV_ABI_SAME(kparam_string, maxlen, mv_kparam_string);
__MV_ABI_SAME(kparam_string, string, mv_kparam_string);
__MV_ABI_SAME(kparam_array, max, mv_kparam_array);
__MV_ABI_SAME(kparam_array, elemsize, mv_kparam_array);
__MV_ABI_SAME(kparam_array, num, mv_kparam_array);
__MV_ABI_SAME(kparam_array, ops, mv_kparam_array);
__MV_ABI_SAME(kparam_array, elem, mv_kparam_array);
_Static_assert(sizeof(struct kernel_param) == sizeof(struct mv_kernel_param), "kernel_param");
_Static_assert(sizeof(struct kernel_param_ops) == sizeof(struct mv_kernel_param_ops), "ops");
_Static_assert(sizeof(struct kparam_string) == sizeof(struct mv_kparam_string), "kparam_string");
_Static_assert(sizeof(struct kparam_array) == sizeof(struct mv_kparam_array), "kparam_array");

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
extern const struct kernel_param_ops param_ops_bint;

/* The kernel's own set/get functions, for module_param_cb() ops to chain to. */
#define __MV_PARAM_FNS(type)						\
	int param_set_##type(const char *val, const struct kernel_param *kp); \
	int param_get_##type(char *buffer, const struct kernel_param *kp)
__MV_PARAM_FNS(byte);
__MV_PARAM_FNS(short);
__MV_PARAM_FNS(ushort);
__MV_PARAM_FNS(int);
__MV_PARAM_FNS(uint);
__MV_PARAM_FNS(long);
__MV_PARAM_FNS(ulong);
__MV_PARAM_FNS(ullong);
__MV_PARAM_FNS(hexint);
__MV_PARAM_FNS(charp);
__MV_PARAM_FNS(bool);
__MV_PARAM_FNS(invbool);
int param_set_bint(const char *val, const struct kernel_param *kp);
#define param_get_bint param_get_int
int param_set_copystring(const char *val, const struct kernel_param *kp);
int param_get_string(char *buffer, const struct kernel_param *kp);
void param_free_charp(void *arg);

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

/* module_param_cb_unsafe(...): the same; setting it taints the kernel (U). */
#define module_param_cb_unsafe(name, ops, arg, perm) \
	__module_param_call(MODULE_PARAM_PREFIX, name, ops, arg, perm, -1, \
			    KERNEL_PARAM_FL_UNSAFE)

/*
 * module_param_call(name, set, get, arg, perm): a parameter whose set and
 * get are the module's own functions (Linux's older form of _cb).
 */
#define module_param_call(name, _set, _get, arg, perm)			\
	static const struct kernel_param_ops __param_ops_##name =	\
		{ .flags = 0, .set = _set, .get = _get };		\
	__module_param_call(MODULE_PARAM_PREFIX, name, &__param_ops_##name, \
			    arg, perm, -1, 0)

/* Hardware parameters (module_param_hw*): what kind of resource they name. */
enum hwparam_type {
	hwparam_ioport, hwparam_iomem, hwparam_ioport_or_iomem, hwparam_irq,
	hwparam_dma, hwparam_dma_addr, hwparam_other,
};

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
#define param_check_bint             param_check_int

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

/* module_param_named_unsafe(...): as _named; setting it taints the kernel (U). */
#define module_param_named_unsafe(name, value, type, perm)		\
	param_check_##type(name, &(value));				\
	module_param_cb_unsafe(name, &param_ops_##type, &value, perm);	\
	__MODULE_PARM_TYPE(name, #type)

/* module_param_unsafe(name, type, perm): the same, named after its variable. */
#define module_param_unsafe(name, type, perm) \
	module_param_named_unsafe(name, name, type, perm)

/*
 * module_param_hw_named(name, value, type, hwtype, perm): a parameter that
 * names hardware (hwtype: ioport, iomem, irq, dma, ...); Linux refuses to
 * set it under lockdown, which this kernel does not have.
 */
#define module_param_hw_named(name, value, type, hwtype, perm)		\
	param_check_##type(name, &(value));				\
	__module_param_call(MODULE_PARAM_PREFIX, name, &param_ops_##type, \
			    &value, perm, -1,				\
			    KERNEL_PARAM_FL_HWPARAM | (hwparam_##hwtype & 0)); \
	__MODULE_PARM_TYPE(name, #type)

/* module_param_hw(name, type, hwtype, perm): named after its variable. */
#define module_param_hw(name, type, hwtype, perm) \
	module_param_hw_named(name, name, type, hwtype, perm)

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

/* module_param_hw_array(name, type, hwtype, nump, perm): an array of hardware values. */
#define module_param_hw_array(name, type, hwtype, nump, perm)		\
	param_check_##type(name, &(name)[0]);				\
	static const struct mv_kparam_array __param_arr_##name = {	\
		sizeof(name) / sizeof((name)[0]), sizeof((name)[0]),	\
		__MV_PTR(nump), __MV_PTR(&param_ops_##type),		\
		__MV_PTR(name) };					\
	__module_param_call(MODULE_PARAM_PREFIX, name, &param_array_ops, \
			    &__param_arr_##name, perm, -1,		\
			    KERNEL_PARAM_FL_HWPARAM | (hwparam_##hwtype & 0)); \
	__MODULE_PARM_TYPE(name, "array of " #type)

#endif

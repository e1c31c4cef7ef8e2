/* params.h: module parameters as Linux's kernel/params.c: parsing, the param_ops_* objects, sysfs text. */
#ifndef MOD_PARAMS_H
#define MOD_PARAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <modvisor/abi/module.h>

/*
 * Compiled into the guest kernel and, unchanged, into the host's unit
 * tests.  What it needs from its surroundings is the module loader's
 * environment (loader_env.h): modenv_malloc/modenv_free for charp copies
 * and modenv_log for messages, which a test binary provides; numbers are
 * read by shared/lib/kstrtox.c, linked on both sides.
 *
 * A module's struct mv_kernel_param (shared/include/modvisor/abi/module.h)
 * names one of the ops objects below by address; modules reference them as
 * undefined symbols with Linux's names, which the kernel exports
 * (guest/kernel/exports.c).  Values are stored in the module's own
 * variables, typed as in Linux: bool (1 byte) for bool and invbool,
 * unsigned char, short, unsigned short, int, unsigned int, long,
 * unsigned long, unsigned long long, char * for charp, a char buffer
 * (struct mv_kparam_string) for string, and struct mv_kparam_array for
 * arrays.
 */

/* Buffer size a get() may fill, NUL included: Linux's sysfs PAGE_SIZE. */
#define PARAMS_BUF_SIZE         4096

/* ops->flags and mv_kernel_param.flags, Linux's values (the module ABI). */
#define KERNEL_PARAM_OPS_FL_NOARG   MV_KERNEL_PARAM_OPS_FL_NOARG
#define KERNEL_PARAM_FL_UNSAFE      MV_KERNEL_PARAM_FL_UNSAFE    /* taints U when set */
#define KERNEL_PARAM_FL_HWPARAM     MV_KERNEL_PARAM_FL_HWPARAM   /* no lockdown: no effect */

/* Longest charp value accepted, as Linux (param_set_charp): longer is ENOSPC. */
#define PARAMS_CHARP_MAX        1024

/*
 * Linux's struct kernel_param_ops, with struct mv_kernel_param in place of
 * struct kernel_param.  set() parses (val), which is NULL only for an ops
 * with KERNEL_PARAM_OPS_FL_NOARG, into kp->arg and returns 0 or -errno;
 * get() writes the text sysfs shows into (buffer), at most PARAMS_BUF_SIZE
 * bytes with the NUL, and returns its length or -errno; free() releases
 * what set() allocated for the value at (arg).
 */
struct kernel_param_ops {
	unsigned int flags;
	int (*set)(const char *val, const struct mv_kernel_param *kp);
	int (*get)(char *buffer, const struct mv_kernel_param *kp);
	void (*free)(void *arg);
};
/* A module's own ops (module_param_cb) have this layout too: it is module ABI. */
_Static_assert(offsetof(struct kernel_param_ops, flags) ==
	       offsetof(struct mv_kernel_param_ops, flags), "ops.flags");
_Static_assert(offsetof(struct kernel_param_ops, set) ==
	       offsetof(struct mv_kernel_param_ops, set), "ops.set");
_Static_assert(offsetof(struct kernel_param_ops, get) ==
	       offsetof(struct mv_kernel_param_ops, get), "ops.get");
_Static_assert(offsetof(struct kernel_param_ops, free) ==
	       offsetof(struct mv_kernel_param_ops, free), "ops.free");

/* The ops objects modules point at, Linux's names and semantics. */
extern const struct kernel_param_ops param_ops_byte;    /* unsigned char, kstrtou8 */
extern const struct kernel_param_ops param_ops_short;   /* short, kstrtos16 */
extern const struct kernel_param_ops param_ops_ushort;  /* unsigned short, kstrtou16 */
extern const struct kernel_param_ops param_ops_int;     /* int, kstrtoint */
extern const struct kernel_param_ops param_ops_uint;    /* unsigned int, kstrtouint */
extern const struct kernel_param_ops param_ops_long;    /* long, kstrtol */
extern const struct kernel_param_ops param_ops_ulong;   /* unsigned long, kstrtoul */
extern const struct kernel_param_ops param_ops_ullong;  /* unsigned long long, kstrtoull */
extern const struct kernel_param_ops param_ops_hexint;  /* unsigned int, shown "%#08x" */
extern const struct kernel_param_ops param_ops_bool;    /* bool; no value = true */
extern const struct kernel_param_ops param_ops_invbool; /* bool, stores the negation */
extern const struct kernel_param_ops param_ops_bint;    /* int, parsed as a bool (0 or 1) */
extern const struct kernel_param_ops param_ops_charp;   /* char *, a kernel copy */
extern const struct kernel_param_ops param_ops_string;  /* struct mv_kparam_string */
extern const struct kernel_param_ops param_array_ops;   /* struct mv_kparam_array */

/*
 * The set/get functions behind those objects, exported by Linux for
 * modules that build their own ops (module_param_cb).  Same contracts as
 * the ops' set and get.
 */
int param_set_byte(const char *val, const struct mv_kernel_param *kp);
int param_get_byte(char *buffer, const struct mv_kernel_param *kp);
int param_set_short(const char *val, const struct mv_kernel_param *kp);
int param_get_short(char *buffer, const struct mv_kernel_param *kp);
int param_set_ushort(const char *val, const struct mv_kernel_param *kp);
int param_get_ushort(char *buffer, const struct mv_kernel_param *kp);
int param_set_int(const char *val, const struct mv_kernel_param *kp);
int param_get_int(char *buffer, const struct mv_kernel_param *kp);
int param_set_uint(const char *val, const struct mv_kernel_param *kp);
int param_get_uint(char *buffer, const struct mv_kernel_param *kp);
int param_set_long(const char *val, const struct mv_kernel_param *kp);
int param_get_long(char *buffer, const struct mv_kernel_param *kp);
int param_set_ulong(const char *val, const struct mv_kernel_param *kp);
int param_get_ulong(char *buffer, const struct mv_kernel_param *kp);
int param_set_ullong(const char *val, const struct mv_kernel_param *kp);
int param_get_ullong(char *buffer, const struct mv_kernel_param *kp);
int param_set_hexint(const char *val, const struct mv_kernel_param *kp);
int param_get_hexint(char *buffer, const struct mv_kernel_param *kp);
int param_set_bool(const char *val, const struct mv_kernel_param *kp);
int param_get_bool(char *buffer, const struct mv_kernel_param *kp);
int param_set_invbool(const char *val, const struct mv_kernel_param *kp);
int param_get_invbool(char *buffer, const struct mv_kernel_param *kp);
int param_set_bint(const char *val, const struct mv_kernel_param *kp);
int param_set_charp(const char *val, const struct mv_kernel_param *kp);
int param_get_charp(char *buffer, const struct mv_kernel_param *kp);
void param_free_charp(void *arg);
int param_set_copystring(const char *val, const struct mv_kernel_param *kp);
int param_get_string(char *buffer, const struct mv_kernel_param *kp);

/*
 * params_kernel_taints(): the kernel taints (1u << MV_TAINT_*) that setting
 * parameters brought: MV_TAINT_USER once an unsafe parameter was set, at
 * load time or through /sys.
 */
uint32_t params_kernel_taints(void);

/* A handler for names that match no parameter: Linux's parse_unknown_fn. */
typedef int (*params_unknown_fn)(char *param, char *val, const char *doing, void *arg);

/*
 * params_parse_args(doing, args, params, num, min_level, max_level, arg,
 * unknown, rest): Linux's parse_args().  Splits (args) in place into
 * whitespace-separated "name[=value]" words (double quotes group words and
 * are stripped, no escapes; '-' and '_' are equal in names), sets each
 * matching parameter (params, num) whose level is within
 * [min_level, max_level], passes other names to (unknown) (or fails them
 * with -ENOENT when it is NULL), logs each failure and goes on.  A bare
 * "--" stops: *rest (may be NULL) then points after it, else it is NULL.
 * Returns 0 or the last error.
 */
int params_parse_args(const char *doing, char *args,
		      const struct mv_kernel_param *params, unsigned int num,
		      int16_t min_level, int16_t max_level, void *arg,
		      params_unknown_fn unknown, char **rest);

/*
 * params_parse_module(modname, args, params, num): what load_module() does
 * with a module's parameter string (args, modified in place; charp values
 * are copied, so it may be freed afterwards): params_parse_args() with every
 * level, where an unknown name only logs "MOD: unknown parameter 'x'
 * ignored", and words after "--" are logged as ignored.  Returns 0 or the
 * last -errno (the load then fails with it; call params_free()).
 */
int params_parse_module(const char *modname, char *args,
			const struct mv_kernel_param *params, unsigned int num);

/*
 * params_free(params, num): Linux's destroy_params(): call each
 * parameter's ops->free (charp copies, arrays of charp).  Run it when the
 * module is freed, and after a failed load.  Values the module set itself
 * are left alone.
 */
void params_free(const struct mv_kernel_param *params, unsigned int num);

/* params_sysfs_visible(kp): the parameter has a /sys/module/M/parameters file (perm != 0). */
bool params_sysfs_visible(const struct mv_kernel_param *kp);

/*
 * params_sysfs_show(kp, buf): Linux's param_attr_show(): write the file's
 * contents ("3\n", "Y\n", "1,2,3\n", "(null)\n") into buf, which holds
 * PARAMS_BUF_SIZE bytes; returns the length or -EPERM (no get).
 */
int params_sysfs_show(const struct mv_kernel_param *kp, char *buf);

/*
 * params_sysfs_store(kp, buf, len): a write of (buf, len) to the file, as
 * Linux's module_attr_store()/param_attr_store(): -EIO when perm grants no
 * write, -EPERM when the ops have no set, -E2BIG when len exceeds
 * PARAMS_BUF_SIZE (sysfs' limit), else the ops' set() on a NUL-terminated
 * copy (a trailing newline is kept: integers ignore one, a charp keeps it,
 * as in Linux).
 * Returns len or -errno.  (Whether the caller may open the file for
 * writing is the VFS's business: mode == perm.)
 */
long params_sysfs_store(const struct mv_kernel_param *kp, const char *buf, size_t len);

#endif

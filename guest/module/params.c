/* params.c: module parameters as Linux's kernel/params.c: parse_args, the param_ops_* objects, sysfs text. */
#include "params.h"
#include "loader_env.h"
#include <modvisor/kstrtox.h>

/* A pointer-sized field of an ABI struct (a guest address) as a pointer. */
#define KP_PTR(v)       ((void *)(uintptr_t)(v))

static const char *kp_name(const struct mv_kernel_param *kp)
{
	return kp->name ? KP_PTR(kp->name) : "(unnamed)";
}

static const struct kernel_param_ops *kp_ops(const struct mv_kernel_param *kp)
{
	return KP_PTR(kp->ops);
}

/* ---- freestanding string helpers (the guest has no strcspn/strstr) ------ */

/* Linux's isspace(): the kernel's ctype also counts 0xA0 (Latin-1 NBSP). */
static bool kp_isspace(char c)
{
	unsigned char u = (unsigned char)c;

	return u == ' ' || (u >= '\t' && u <= '\r') || u == 0xa0;
}

static char *kp_skip_spaces(char *s)
{
	while (kp_isspace(*s))
		s++;
	return s;
}

static size_t kp_strcspn_comma(const char *s)
{
	size_t n = 0;

	while (s[n] && s[n] != ',')
		n++;
	return n;
}

static bool kp_contains(const char *s, const char *needle)
{
	size_t n = strlen(needle);

	for (; *s; s++)
		if (strncmp(s, needle, n) == 0)
			return true;
	return false;
}

/* Linux's parameq(): equal names, where '-' and '_' are the same character. */
static bool kp_parameq(const char *a, const char *b)
{
	for (;; a++, b++) {
		char x = *a == '-' ? '_' : *a, y = *b == '-' ? '_' : *b;

		if (x != y)
			return false;
		if (!x)
			return true;
	}
}

/* ---- bounded output: scnprintf-style, always NUL-terminated -------------- */

struct kp_out {
	char  *buf;
	size_t size;            /* bytes available, NUL included */
	size_t len;
};

static void kp_putc(struct kp_out *o, char c)
{
	if (o->len + 1 < o->size) {
		o->buf[o->len++] = c;
		o->buf[o->len] = '\0';
	}
}

static void kp_puts(struct kp_out *o, const char *s, size_t max)
{
	for (size_t i = 0; i < max && s[i]; i++)
		kp_putc(o, s[i]);
}

/* (v) in (base) 10 or 16, at least (min_digits) digits. */
static void kp_put_u64(struct kp_out *o, unsigned long long v, unsigned base,
		       int min_digits)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n < min_digits && n < (int)sizeof(tmp))
		tmp[n++] = '0';
	while (n)
		kp_putc(o, tmp[--n]);
}

static void kp_put_s64(struct kp_out *o, long long v)
{
	if (v < 0) {
		kp_putc(o, '-');
		kp_put_u64(o, 0ull - (unsigned long long)v, 10, 1);
	} else {
		kp_put_u64(o, (unsigned long long)v, 10, 1);
	}
}

static struct kp_out kp_out_init(char *buffer)
{
	buffer[0] = '\0';
	return (struct kp_out){ buffer, PARAMS_BUF_SIZE, 0 };
}

/* ---- integer parameters: Linux's kstrtoX(s, 0) via shared/lib/kstrtox.c -- */

/* kstrtou8/u16/uint/ul/ull: an unsigned value no larger than (max); (min) is 0. */
static int kp_kstrtou(const char *s, unsigned long long min, unsigned long long max,
		      unsigned long long *res)
{
	unsigned long long v;
	int err;

	(void)min;
	if (!s)
		return -EINVAL;
	err = kstrtox_ull(s, 0, &v);
	if (err)
		return err;
	if (v > max)
		return -ERANGE;
	*res = v;
	return 0;
}

/* kstrtos16/int/l: a signed value within [min, max]. */
static int kp_kstrtos(const char *s, long long min, long long max, long long *res)
{
	long long v;
	int err;

	if (!s)
		return -EINVAL;
	err = kstrtox_ll(s, 0, &v);
	if (err)
		return err;
	if (v < min || v > max)
		return -ERANGE;
	*res = v;
	return 0;
}

static void kp_put_udec(struct kp_out *o, unsigned long long v)
{
	kp_put_u64(o, v, 10, 1);
}

/*
 * param_set_NAME/param_get_NAME/param_ops_NAME for one integer type:
 * (parse) reads into (tmp) within [lo, hi], (put) prints in decimal.
 */
#define KP_INTEGER(name, type, tmp, parse, lo, hi, put)                        \
int param_set_##name(const char *val, const struct mv_kernel_param *kp)        \
{                                                                              \
	tmp v;                                                                 \
	int err = parse(val, (lo), (hi), &v);                                  \
                                                                               \
	if (!err)                                                              \
		*(type *)KP_PTR(kp->arg) = (type)v;                            \
	return err;                                                            \
}                                                                              \
int param_get_##name(char *buffer, const struct mv_kernel_param *kp)           \
{                                                                              \
	struct kp_out o = kp_out_init(buffer);                                 \
                                                                               \
	put(&o, *(const type *)KP_PTR(kp->arg));                               \
	kp_putc(&o, '\n');                                                     \
	return (int)o.len;                                                     \
}                                                                              \
const struct kernel_param_ops param_ops_##name = {                             \
	.set = param_set_##name,                                               \
	.get = param_get_##name,                                               \
}

#define KP_U(name, type, max) \
	KP_INTEGER(name, type, unsigned long long, kp_kstrtou, 0, max, kp_put_udec)
#define KP_S(name, type, min, max) \
	KP_INTEGER(name, type, long long, kp_kstrtos, min, max, kp_put_s64)

KP_U(byte, unsigned char, UINT8_MAX);
KP_S(short, short, INT16_MIN, INT16_MAX);
KP_U(ushort, unsigned short, UINT16_MAX);
KP_S(int, int, INT32_MIN, INT32_MAX);
KP_U(uint, unsigned int, UINT32_MAX);
KP_S(long, long, INT64_MIN, INT64_MAX);
KP_U(ulong, unsigned long, UINT64_MAX);
KP_U(ullong, unsigned long long, UINT64_MAX);

int param_set_hexint(const char *val, const struct mv_kernel_param *kp)
{
	return param_set_uint(val, kp);
}

/* Linux prints "%#08x": "0x" then at least six hex digits, even for 0. */
int param_get_hexint(char *buffer, const struct mv_kernel_param *kp)
{
	struct kp_out o = kp_out_init(buffer);

	kp_puts(&o, "0x", 2);
	kp_put_u64(&o, *(const unsigned int *)KP_PTR(kp->arg), 16, 6);
	kp_putc(&o, '\n');
	return (int)o.len;
}

const struct kernel_param_ops param_ops_hexint = {
	.set = param_set_hexint,
	.get = param_get_hexint,
};

/* ---- bool and invbool ------------------------------------------------------ */

/* No "=value" means set. */
int param_set_bool(const char *val, const struct mv_kernel_param *kp)
{
	return kstrtox_bool(val ? val : "1", KP_PTR(kp->arg));
}

static int kp_get_yn(char *buffer, bool yes)
{
	struct kp_out o = kp_out_init(buffer);

	kp_putc(&o, yes ? 'Y' : 'N');
	kp_putc(&o, '\n');
	return (int)o.len;
}

int param_get_bool(char *buffer, const struct mv_kernel_param *kp)
{
	return kp_get_yn(buffer, *(const bool *)KP_PTR(kp->arg));
}

const struct kernel_param_ops param_ops_bool = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = param_set_bool,
	.get = param_get_bool,
};

int param_set_invbool(const char *val, const struct mv_kernel_param *kp)
{
	bool v;
	int err = kstrtox_bool(val ? val : "1", &v);

	if (!err)
		*(bool *)KP_PTR(kp->arg) = !v;
	return err;
}

int param_get_invbool(char *buffer, const struct mv_kernel_param *kp)
{
	return kp_get_yn(buffer, !*(const bool *)KP_PTR(kp->arg));
}

/* As in Linux, invbool has no NOARG flag: a bare name is -EINVAL. */
const struct kernel_param_ops param_ops_invbool = {
	.set = param_set_invbool,
	.get = param_get_invbool,
};

/* bint: an int that only takes a bool's values; Linux re-uses the bool parser. */
int param_set_bint(const char *val, const struct mv_kernel_param *kp)
{
	struct mv_kernel_param boolkp = *kp;
	bool v;
	int err;

	boolkp.arg = (uint64_t)(uintptr_t)&v;
	err = param_set_bool(val, &boolkp);
	if (!err)
		*(int *)KP_PTR(kp->arg) = v;
	return err;
}

const struct kernel_param_ops param_ops_bint = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = param_set_bint,
	.get = param_get_int,
};

/* ---- charp: kernel copies, tracked so only they are ever freed ----------- */

struct kp_copy {
	struct kp_copy *next;
	char val[];
};

/* Every live charp copy (Linux's kmalloced_params).  The guest is one CPU. */
static struct kp_copy *kp_copies;

static char *kp_copy_string(const char *s, size_t len)
{
	struct kp_copy *c = modenv_malloc(sizeof(*c) + len + 1);

	if (!c)
		return NULL;
	memcpy(c->val, s, len);
	c->val[len] = '\0';
	c->next = kp_copies;
	kp_copies = c;
	return c->val;
}

/* Free (p) if it is one of our copies; anything else is the module's. */
static void kp_maybe_free(const char *p)
{
	for (struct kp_copy **link = &kp_copies; *link; link = &(*link)->next) {
		if ((*link)->val == p) {
			struct kp_copy *c = *link;

			*link = c->next;
			modenv_free(c);
			return;
		}
	}
}

int param_set_charp(const char *val, const struct mv_kernel_param *kp)
{
	char **var = KP_PTR(kp->arg);
	size_t len;
	char *copy;

	if (!val)
		return -EINVAL;
	len = strnlen(val, PARAMS_CHARP_MAX + 1);
	if (len > PARAMS_CHARP_MAX) {
		modenv_log("%s: string parameter too long", kp_name(kp));
		return -ENOSPC;
	}
	/* Copy first, so a failure leaves the old value in place. */
	copy = kp_copy_string(val, len);
	if (!copy)
		return -ENOMEM;
	kp_maybe_free(*var);
	*var = copy;
	return 0;
}

int param_get_charp(char *buffer, const struct mv_kernel_param *kp)
{
	const char *s = *(char *const *)KP_PTR(kp->arg);
	struct kp_out o = kp_out_init(buffer);

	kp_puts(&o, s ? s : "(null)", PARAMS_BUF_SIZE);
	kp_putc(&o, '\n');
	return (int)o.len;
}

void param_free_charp(void *arg)
{
	kp_maybe_free(*(char **)arg);
}

const struct kernel_param_ops param_ops_charp = {
	.set = param_set_charp,
	.get = param_get_charp,
	.free = param_free_charp,
};

/* ---- string: module_param_string's fixed buffer -------------------------- */

int param_set_copystring(const char *val, const struct mv_kernel_param *kp)
{
	const struct mv_kparam_string *kps = KP_PTR(kp->arg);
	size_t len;

	if (!val)
		return -EINVAL;
	len = strlen(val);
	if (len + 1 > kps->maxlen) {
		modenv_log("%s: string doesn't fit in %u chars.", kp_name(kp),
			   (unsigned)(kps->maxlen - 1));
		return -ENOSPC;
	}
	memcpy(KP_PTR(kps->string), val, len + 1);
	return 0;
}

int param_get_string(char *buffer, const struct mv_kernel_param *kp)
{
	const struct mv_kparam_string *kps = KP_PTR(kp->arg);
	struct kp_out o = kp_out_init(buffer);

	kp_puts(&o, KP_PTR(kps->string), kps->maxlen);
	kp_putc(&o, '\n');
	return (int)o.len;
}

const struct kernel_param_ops param_ops_string = {
	.set = param_set_copystring,
	.get = param_get_string,
};

/* ---- arrays ---------------------------------------------------------------- */

/* Element (i) of (arr) as a parameter of its own, named like the array. */
static struct mv_kernel_param kp_element(const struct mv_kernel_param *kp,
					 const struct mv_kparam_array *arr, uint32_t i)
{
	struct mv_kernel_param e = *kp;

	e.ops = arr->ops;
	e.arg = arr->elem + (uint64_t)arr->elemsize * i;
	return e;
}

/*
 * Comma-separated values, each set by the element ops; the count so far is
 * stored in *num even when an element fails.  The string is cut at each
 * comma while its element is parsed and mended afterwards.
 */
static int param_array_set(const char *val, const struct mv_kernel_param *kp)
{
	const struct mv_kparam_array *arr = KP_PTR(kp->arg);
	const struct kernel_param_ops *eops = KP_PTR(arr->ops);
	unsigned int temp_num, *num = arr->num ? KP_PTR(arr->num) : &temp_num;
	char *p = (char *)val, save;

	if (!val || !eops || !eops->set)
		return -EINVAL;
	*num = 0;
	do {
		struct mv_kernel_param e = kp_element(kp, arr, *num);
		size_t len = kp_strcspn_comma(p);
		int err;

		if (*num == arr->max) {
			modenv_log("%s: can only take %u arguments", kp_name(kp), arr->max);
			return -EINVAL;
		}
		save = p[len];
		p[len] = '\0';
		err = eops->set(p, &e);
		p[len] = save;
		if (err)
			return err;
		p += len + 1;
		(*num)++;
	} while (save == ',');
	return 0;
}

/* Each element's text with its newline turned into a comma: "1,2,3\n". */
static int param_array_get(char *buffer, const struct mv_kernel_param *kp)
{
	const struct mv_kparam_array *arr = KP_PTR(kp->arg);
	const struct kernel_param_ops *eops = KP_PTR(arr->ops);
	unsigned int n = arr->num ? *(unsigned int *)KP_PTR(arr->num) : arr->max;
	struct kp_out o = kp_out_init(buffer);
	char *tmp;

	if (n == 0)
		return 0;
	if (!eops || !eops->get)
		return -EPERM;
	tmp = modenv_malloc(PARAMS_BUF_SIZE);
	if (!tmp)
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++) {
		struct mv_kernel_param e = kp_element(kp, arr, i);
		int ret;

		if (i && o.len)
			o.buf[o.len - 1] = ',';
		ret = eops->get(tmp, &e);
		if (ret < 0) {
			modenv_free(tmp);
			return ret;
		}
		kp_puts(&o, tmp, (size_t)ret < PARAMS_BUF_SIZE ? (size_t)ret : PARAMS_BUF_SIZE);
	}
	modenv_free(tmp);
	return (int)o.len;
}

/*
 * Every element up to max, not only the *num in use (Linux stops at *num):
 * a shorter second write ("names=a,b" then "names=c") leaves copies past
 * *num.  Only our own copies are freed (param_free_charp), so slots that
 * hold the module's values or NULL are left alone.
 */
static void param_array_free(void *arg)
{
	const struct mv_kparam_array *arr = arg;
	const struct kernel_param_ops *eops = KP_PTR(arr->ops);

	if (!eops || !eops->free)
		return;
	for (unsigned int i = 0; i < arr->max; i++)
		eops->free(KP_PTR(arr->elem + (uint64_t)arr->elemsize * i));
}

const struct kernel_param_ops param_array_ops = {
	.set = param_array_set,
	.get = param_array_get,
	.free = param_array_free,
};

/* ---- parse_args ------------------------------------------------------------ */

/*
 * Linux's next_arg(): cut the next word off (args) in place.  A word may
 * start with '"'; quotes toggle grouping anywhere, and are stripped only
 * at the start of the word or of its value and at its end.  An '=' at the
 * word's very first position does not count as a separator.
 */
static char *kp_next_arg(char *args, char **param, char **val)
{
	size_t i, equals = 0;
	bool in_quote = false, quoted = false;

	if (*args == '"') {
		args++;
		in_quote = quoted = true;
	}
	for (i = 0; args[i]; i++) {
		if (kp_isspace(args[i]) && !in_quote)
			break;
		if (equals == 0 && args[i] == '=')
			equals = i;
		if (args[i] == '"')
			in_quote = !in_quote;
	}
	*param = args;
	*val = NULL;
	if (equals) {
		args[equals] = '\0';
		*val = args + equals + 1;
		if (**val == '"') {
			(*val)++;
			if (args[i - 1] == '"')
				args[i - 1] = '\0';
		}
	}
	if (quoted && i > 0 && args[i - 1] == '"')
		args[i - 1] = '\0';
	if (args[i])
		args[i++] = '\0';
	return kp_skip_spaces(args + i);
}

/* Taints that setting parameters brought (1u << MV_TAINT_USER). */
static uint32_t kp_taints;

uint32_t params_kernel_taints(void)
{
	return kp_taints;
}

/* KERNEL_PARAM_FL_UNSAFE: as Linux's param_check_unsafe(), a notice and taint U. */
static void kp_check_unsafe(const struct mv_kernel_param *kp)
{
	if (kp->flags & KERNEL_PARAM_FL_UNSAFE) {
		modenv_log("Setting dangerous option %s - tainting kernel", kp_name(kp));
		kp_taints |= 1u << MV_TAINT_USER;
	}
}

static int kp_parse_one(char *param, char *val, const char *doing,
			const struct mv_kernel_param *params, unsigned int num,
			int16_t min_level, int16_t max_level, void *arg,
			params_unknown_fn unknown)
{
	for (unsigned int i = 0; i < num; i++) {
		const struct mv_kernel_param *kp = &params[i];
		const struct kernel_param_ops *ops = kp_ops(kp);

		if (!kp->name || !kp_parameq(param, kp_name(kp)))
			continue;
		if (kp->level < min_level || kp->level > max_level)
			return 0;
		if (!ops || !ops->set)
			return -EINVAL;
		if (!val && !(ops->flags & KERNEL_PARAM_OPS_FL_NOARG))
			return -EINVAL;
		kp_check_unsafe(kp);
		return ops->set(val, kp);
	}
	if (unknown)
		return unknown(param, val, doing, arg);
	return -ENOENT;
}

int params_parse_args(const char *doing, char *args,
		      const struct mv_kernel_param *params, unsigned int num,
		      int16_t min_level, int16_t max_level, void *arg,
		      params_unknown_fn unknown, char **rest)
{
	char *param, *val;
	int err = 0;

	if (rest)
		*rest = NULL;
	args = kp_skip_spaces(args);
	while (*args) {
		int ret;

		args = kp_next_arg(args, &param, &val);
		if (!val && strcmp(param, "--") == 0) {
			if (rest)
				*rest = args;
			return err;
		}
		ret = kp_parse_one(param, val, doing, params, num, min_level,
				   max_level, arg, unknown);
		if (ret == 0)
			continue;
		if (ret == -ENOENT)
			modenv_log("%s: Unknown parameter `%s'", doing, param);
		else if (ret == -ENOSPC)
			modenv_log("%s: `%s' too large for parameter `%s'", doing, val ? val : "", param);
		else
			modenv_log("%s: `%s' invalid for parameter `%s'", doing, val ? val : "", param);
		err = ret;
	}
	return err;
}

/* Linux's unknown_module_param_cb() in a kernel without dynamic debug. */
static int kp_unknown_module_param(char *param, char *val, const char *modname, void *arg)
{
	(void)val;
	(void)arg;
	if (strcmp(param, "async_probe") == 0)
		return 0;       /* accepted; there is no async probing here */
	if (kp_contains(param, "dyndbg")) {
		modenv_log("dyndbg param is supported only in CONFIG_DYNAMIC_DEBUG builds");
		return 0;
	}
	modenv_log("%s: unknown parameter '%s' ignored", modname, param);
	return 0;
}

int params_parse_module(const char *modname, char *args,
			const struct mv_kernel_param *params, unsigned int num)
{
	char *rest;
	int err;

	err = params_parse_args(modname, args, params, num, INT16_MIN, INT16_MAX,
				NULL, kp_unknown_module_param, &rest);
	if (!err && rest)
		modenv_log("%s: parameters '%s' after `--' ignored", modname, rest);
	return err;
}

void params_free(const struct mv_kernel_param *params, unsigned int num)
{
	for (unsigned int i = 0; i < num; i++) {
		const struct kernel_param_ops *ops = kp_ops(&params[i]);

		if (ops && ops->free)
			ops->free(KP_PTR(params[i].arg));
	}
}

/* ---- sysfs ----------------------------------------------------------------- */

bool params_sysfs_visible(const struct mv_kernel_param *kp)
{
	return kp->perm != 0;
}

int params_sysfs_show(const struct mv_kernel_param *kp, char *buf)
{
	const struct kernel_param_ops *ops = kp_ops(kp);

	if (!ops || !ops->get)
		return -EPERM;
	return ops->get(buf, kp);
}

long params_sysfs_store(const struct mv_kernel_param *kp, const char *buf, size_t len)
{
	const struct kernel_param_ops *ops = kp_ops(kp);
	char *copy;
	int err;

	if (!(kp->perm & 0222))
		return -EIO;            /* no store method: module_attr_store() */
	if (!ops || !ops->set)
		return -EPERM;
	if (len > PARAMS_BUF_SIZE)
		return -E2BIG;          /* sysfs' atomic_write_len is a page */
	copy = modenv_malloc(len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, buf, len);
	copy[len] = '\0';
	kp_check_unsafe(kp);
	err = ops->set(copy, kp);
	modenv_free(copy);
	return err ? err : (long)len;
}

/* cmd_run.c: `modvisor run`: its options, --help, the input checks, then run_execute() (vmm/run.c). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "run_tty.h"
#include "modvisor/abi/bootinfo.h"
#include "accel.h"
#include "authority/authority.h"
#include "boot.h"
#include "commands.h"
#include "cpio_write.h"
#include "emuhost/emuhost.h"
#include "initwd.h"
#include "kernel_load.h"
#include "integrity.h"
#include "paths.h"
#include "run.h"
#include "vm.h"

typedef int (*run_setter)(struct run_opts *o, const char *val, char *err, size_t errlen);

/* How run_rewrite_argv() carries an option into the emulated host. */
enum run_optkind {
	OPT_PLAIN,      /* value copied as is */
	OPT_PATH,       /* value is a host file name: made absolute */
	OPT_ADD,        /* HOSTPATH:GUESTPATH (or HOSTPATH): HOSTPATH made absolute */
	OPT_ACCEL,      /* replaced by --accel=kvm */
	OPT_FLAG,       /* takes no value */
};

struct run_option {
	const char *name;
	const char *arg;        /* " VALUE" (with a leading blank), "" for a flag */
	enum run_optkind kind;
	run_setter set;
};

static int opt_kernel(struct run_opts *o, const char *v, char *e, size_t n);
static int opt_initrd(struct run_opts *o, const char *v, char *e, size_t n);
static int opt_mem(struct run_opts *o, const char *v, char *e, size_t n);
static int opt_accel(struct run_opts *o, const char *v, char *e, size_t n);
static int opt_cmdline(struct run_opts *o, const char *v, char *e, size_t n);
static int opt_add(struct run_opts *o, const char *v, char *e, size_t n);
static int opt_add_program(struct run_opts *o, const char *v, char *e, size_t n);
static int opt_kmod(struct run_opts *o, const char *v, char *e, size_t n);
static int opt_cmd(struct run_opts *o, const char *v, char *e, size_t n);
static int opt_timeout(struct run_opts *o, const char *v, char *e, size_t n);
static int opt_init_timeout(struct run_opts *o, const char *v, char *e, size_t n);
static int opt_help(struct run_opts *o, const char *v, char *e, size_t n);
static int opt_user(struct run_opts *o, const char *v, char *e, size_t n);

/*
 * Every option of `run`, one line each: name, value, kind, setter, help.
 * The table and the --help text are both generated from this list.
 */
#define RUN_OPTIONS(X)                                                          \
	X("--kernel", " FILE", OPT_PATH, opt_kernel,                           \
	  "guest kernel ELF (default: images/kernel.elf in the data directory:\n" \
	  "      next to the modvisor binary, or PREFIX/lib/modvisor when installed)") \
	X("--initrd", " FILE", OPT_PATH, opt_initrd,                           \
	  "initrd, a newc cpio archive, or 'none' (default: images/initrd.cpio\n" \
	  "      in the data directory)")                                 \
	X("--mem", " MiB", OPT_PLAIN, opt_mem,                                 \
	  "guest RAM in MiB, 16-65536, rounded up to 2 MiB (default 128);\n"    \
	  "      the guest also needs its kernel plus twice the initrd plus 5 MiB\n" \
	  "      (about 26 MiB with the default images; 16 with --initrd none), and\n"  \
	  "      says so before it boots")                                      \
	X("--accel", " MODE", OPT_ACCEL, opt_accel,                            \
	  "auto (default): /dev/kvm if a probe VM shows it can run the guest,\n" \
	  "      else the emulated KVM host (one line on stderr says why);\n"   \
	  "      kvm: /dev/kvm or fail; emulated: always the emulated KVM host") \
	X("--cmdline", " STR", OPT_PLAIN, opt_cmdline,                         \
	  "guest kernel command line (default empty)")                          \
	X("--add", " HOST:GUEST", OPT_ADD, opt_add,                            \
	  "put host file, symlink or directory HOST at absolute path GUEST in\n" \
	  "      the guest's file system (directories recursively, with modes;\n" \
	  "      missing parents are created 0755); repeatable")                \
	X("--add-program", " HOST[:GUEST]", OPT_ADD, opt_add_program,          \
	  "put host program HOST at GUEST (default /bin/BASENAME) with its\n"   \
	  "      dynamic linker and every shared library it needs, found as ldd\n" \
	  "      finds them on the host (libraries in /lib/x86_64-linux-gnu, each\n" \
	  "      once, modes kept); a library not found is an error; repeatable") \
	X("--kmod", "", OPT_FLAG, opt_kmod,                                    \
	  "put Debian's kmod (/usr/bin/kmod) at /bin/kmod with its libraries, and\n" \
	  "      /sbin/insmod, rmmod, lsmod, modprobe, modinfo and depmod linked to\n" \
	  "      it (in place of busybox's), as --add-program does")            \
	X("-c", " 'CMD'", OPT_PLAIN, opt_cmd,                                  \
	  "run CMD in the guest; repeatable, run in order, before the -- command.\n" \
	  "      CMD is split into words on the host: blanks separate words,\n" \
	  "      '...' groups literally, \"...\" groups with \\\" and \\\\ escapes,\n" \
	  "      a \\ outside quotes escapes the next character; no other shell\n" \
	  "      syntax.  The status is that of the first command that failed")  \
	X("--timeout", " SECONDS", OPT_PLAIN, opt_timeout,                     \
	  "watchdog: stop the guest with status 110 if it still runs after\n"   \
	  "      SECONDS of wall-clock time (default 0: no limit)")               \
	X("--init-timeout", " SECONDS", OPT_PLAIN, opt_init_timeout,           \
	  "module init watchdog: a module's init that still runs after SECONDS\n" \
	  "      is stopped with an NMI and its load fails with ETIMEDOUT\n"    \
	  "      (default 10; 0: no limit)")                                     \
	X("--user", " NAME", OPT_PLAIN, opt_user,                              \
	  "started as root (to open /dev/kvm): become user NAME (or a uid) once\n" \
	  "      the VM is set up, before the guest runs (docs/security.md)")   \
	X("--help", "", OPT_FLAG, opt_help, "show this help")

#define RUN_OPT_ENTRY(n_, a_, k_, f_, h_) { n_, a_, k_, f_ },
#define RUN_OPT_HELP(n_, a_, k_, f_, h_) "  " n_ a_ "\n      " h_ "\n"

static const struct run_option run_options[] = { RUN_OPTIONS(RUN_OPT_ENTRY) };

/*
 * Lines for options run_extra parses (see run.h): a string literal, e.g.
 * defined by the header of the code run_extra points at.
 */
#ifndef RUN_EXTRA_HELP
#define RUN_EXTRA_HELP ""
#endif

#define RUN_USAGE "run [options] [-c 'CMD']... [--add HOST:GUEST]... [-- CMD [ARG...]]"
#define RUN_HELP                                                                \
	"Boot the guest kernel and run commands in it; exit with the guest's status.\n" \
	RUN_OPTIONS(RUN_OPT_HELP)                                               \
	RUN_EXTRA_HELP                                                          \
	"  -- CMD [ARG...]\n      run CMD with its arguments as given (also: the first\n" \
	"      argument that is not an option starts the command)\n"          \
	"With no command on a terminal the guest runs sh.  The guest's stdin is\n" \
	"modvisor's; on a terminal the guest console is a tty of its size (line\n" \
	"editing, ^C, ^Z, ^D), and the terminal is raw during the run only.\n"

static int opt_kernel(struct run_opts *o, const char *v, char *e, size_t n)
{
	(void)e, (void)n;
	o->kernel = v;
	return 0;
}

static int opt_initrd(struct run_opts *o, const char *v, char *e, size_t n)
{
	(void)e, (void)n;
	o->initrd = v;
	return 0;
}

static int opt_mem(struct run_opts *o, const char *v, char *e, size_t n)
{
	char *end;
	unsigned long long mib;

	errno = 0;
	mib = strtoull(v, &end, 10);
	if (errno || end == v || *end || v[0] == '-' || mib < MEM_MIN_MIB || mib > MEM_MAX_MIB) {
		snprintf(e, n, "--mem '%s': want a number of MiB from %u to %u", v,
			 MEM_MIN_MIB, MEM_MAX_MIB);
		return -1;
	}
	o->mem_mib = (mib + 1) & ~1ull;
	return 0;
}

static int opt_accel(struct run_opts *o, const char *v, char *e, size_t n)
{
	if (accel_parse(v, &o->accel) == 0)
		return 0;
	snprintf(e, n, "--accel '%s': want auto, kvm or emulated", v);
	return -1;
}

static int opt_cmdline(struct run_opts *o, const char *v, char *e, size_t n)
{
	(void)e, (void)n;
	o->cmdline = v;
	return 0;
}

/* run_push_add(list, n, flag, parse, v, e, en): one more --add or --add-program, parsed. */
static int run_push_add(struct run_add **list, int *n, const char *flag,
			int (*parse)(const char *, struct run_add *, char *, size_t),
			const char *v, char *e, size_t en)
{
	struct run_add *a = realloc(*list, (*n + 1) * sizeof(*a));

	if (!a) {
		snprintf(e, en, "%s: out of memory", flag);
		return -1;
	}
	*list = a;
	if (parse(v, &a[*n], e, en))
		return -1;
	(*n)++;
	return 0;
}

static int opt_add(struct run_opts *o, const char *v, char *e, size_t n)
{
	return run_push_add(&o->adds, &o->nadds, "--add", run_parse_add, v, e, n);
}

static int opt_add_program(struct run_opts *o, const char *v, char *e, size_t n)
{
	return run_push_add(&o->progs, &o->nprogs, "--add-program", run_parse_program, v, e, n);
}

static int opt_kmod(struct run_opts *o, const char *v, char *e, size_t n)
{
	(void)v, (void)e, (void)n;
	o->kmod = 1;
	return 0;
}

/* run_push_cmd(o, e, n): room for one more command; its slot or NULL. */
static struct boot_cmd *run_push_cmd(struct run_opts *o, char *e, size_t n)
{
	struct boot_cmd *c = realloc(o->cmds, (o->ncmds + 1) * sizeof(*c));

	if (!c) {
		snprintf(e, n, "out of memory");
		return NULL;
	}
	o->cmds = c;
	memset(&c[o->ncmds], 0, sizeof(*c));
	return &c[o->ncmds];
}

static int opt_cmd(struct run_opts *o, const char *v, char *e, size_t n)
{
	struct boot_cmd *c = run_push_cmd(o, e, n);

	if (!c || run_split_words(v, c, e, n))
		return -1;
	o->ncmds++;
	return 0;
}

/* parse_seconds(flag, v, out, e, n): whole seconds, 0 (no limit) to RUN_MAX_TIMEOUT_S. */
static int parse_seconds(const char *flag, const char *v, unsigned *out, char *e, size_t n)
{
	char *end;
	unsigned long long s;

	errno = 0;
	s = strtoull(v, &end, 10);
	if (errno || end == v || *end || v[0] == '-' || s > RUN_MAX_TIMEOUT_S) {
		snprintf(e, n, "%s '%s': want whole seconds from 0 (no limit) to %u",
			 flag, v, RUN_MAX_TIMEOUT_S);
		return -1;
	}
	*out = (unsigned)s;
	return 0;
}

static int opt_timeout(struct run_opts *o, const char *v, char *e, size_t n)
{
	return parse_seconds("--timeout", v, &o->timeout_s, e, n);
}

static int opt_init_timeout(struct run_opts *o, const char *v, char *e, size_t n)
{
	if (parse_seconds("--init-timeout", v, &o->init_timeout_s, e, n))
		return -1;
	o->init_timeout_set = 1;
	return 0;
}

static int opt_user(struct run_opts *o, const char *v, char *e, size_t n)
{
	return sandbox_user_lookup(v, &o->user, e, n);
}

static int opt_help(struct run_opts *o, const char *v, char *e, size_t n)
{
	(void)v, (void)e, (void)n;
	o->help = 1;
	return 0;
}

/* Set by the authority to take its policy flags (see run.h). */
run_extra_parser run_extra;
run_extra_kmod_fn run_extra_kmod;

/* run_try_extra(argc, argv, i, used, err, errlen): offer argv[*i] to run_extra. */
static int run_try_extra(int argc, char **argv, int *i, int *used, char *err, size_t errlen)
{
	int rc;

	if (!run_extra)
		return 0;
	*used = 0;
	rc = run_extra(argc - *i, argv + *i, used, err, errlen);
	if (rc <= 0)
		return rc;
	if (*used < 1 || *used > argc - *i) {
		snprintf(err, errlen, "internal error: option '%s' consumed %d words",
			 argv[*i], *used);
		return -1;
	}
	return RUN_OPT_EXTRA;
}

/*
 * run_next_opt(argc, argv, i, opt, val, err, errlen): the option at
 * argv[*i] (advancing *i past its value).  Returns 1 for a table option,
 * RUN_OPT_EXTRA for one run_extra took (*val = its first word, *i at its
 * last), 0 at the start of the command (argv[*i], after any "--") or the
 * end, -1 on an error.
 */
static int run_next_opt(int argc, char **argv, int *i, const struct run_option **opt,
			const char **val, char *err, size_t errlen)
{
	const char *a = argv[*i], *eq;
	size_t k, len;
	int used, rc;

	if (!strcmp(a, "--")) {
		++*i;
		return 0;
	}
	if (a[0] != '-' || !a[1])
		return 0;
	eq = strchr(a, '=');
	len = eq && a[1] == '-' ? (size_t)(eq - a) : strlen(a);
	for (k = 0; k < sizeof(run_options) / sizeof(run_options[0]); k++) {
		*opt = &run_options[k];
		if (strlen((*opt)->name) != len || strncmp((*opt)->name, a, len))
			continue;
		*val = a[len] == '=' ? a + len + 1 : NULL;
		if ((*opt)->arg[0] && !*val) {
			if (*i + 1 >= argc) {
				snprintf(err, errlen, "%s needs a value (%s)", (*opt)->name,
					 (*opt)->arg + 1);
				return -1;
			}
			*val = argv[++*i];
		} else if (!(*opt)->arg[0] && *val) {
			snprintf(err, errlen, "%s takes no value", (*opt)->name);
			return -1;
		}
		return 1;
	}
	rc = run_try_extra(argc, argv, i, &used, err, errlen);
	if (rc == RUN_OPT_EXTRA) {
		*opt = NULL;
		*val = a;
		*i += used - 1;
		return RUN_OPT_EXTRA;
	}
	if (rc == 0)
		snprintf(err, errlen, "unknown option '%s'", a);
	return -1;
}

int run_parse(int argc, char **argv, struct run_opts *o, char *err, size_t errlen)
{
	const struct run_option *opt;
	const char *val;
	struct boot_cmd *c;
	int i, rc;

	o->mem_mib = RUN_DEFAULT_MEM_MIB;
	o->accel = ACCEL_AUTO;
	for (i = 1; i < argc; i++) {
		rc = run_next_opt(argc, argv, &i, &opt, &val, err, errlen);
		if (rc < 0)
			return -1;
		if (rc == 0)
			break;
		if (rc == 1 && opt->set(o, val, err, errlen))
			return -1;
	}
	if (i < argc) {
		c = run_push_cmd(o, err, errlen);
		if (!c || run_words_copy(argc - i, argv + i, c))
			return -1;
		o->ncmds++;
	}
	return 0;
}

/* run_abs(p): p made absolute against the current directory (malloc'd). */
static char *run_abs(const char *p)
{
	char cwd[PATH_MAX], *out;

	if (p[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		return strdup(p);
	if (asprintf(&out, "%s/%s", cwd, p) < 0)
		return NULL;
	return out;
}

/* run_rewrite_val(opt, val): an option's value for the emulated host. */
static char *run_rewrite_val(const struct run_option *opt, const char *val)
{
	const char *colon;
	char *host, *abs, *out = NULL;

	if (opt->kind == OPT_PATH && strcmp(val, "none") != 0)
		return run_abs(val);
	if (opt->kind != OPT_ADD)
		return strdup(val);
	if (!(colon = strrchr(val, ':')) || colon[1] != '/')
		return run_abs(val);
	host = strndup(val, colon - val);
	abs = host ? run_abs(host) : NULL;
	if (abs && asprintf(&out, "%s%s", abs, colon) < 0)
		out = NULL;
	free(host);
	free(abs);
	return out;
}

/* rw_push(v, n, s): v[(*n)++] = s, a malloc'd string it now owns; 0, or -1 if s is NULL. */
static int rw_push(char **v, int *n, char *s)
{
	if (!s)
		return -1;
	v[(*n)++] = s;
	return 0;
}

void run_argv_free(char **v)
{
	char **p;

	if (!v)
		return;
	for (p = v; *p; p++)
		free(*p);
	free(v);
}

int run_rewrite_argv(int argc, char **argv, const char *exe, char ***out)
{
	const struct run_option *opt;
	const char *val;
	const char *first;
	char **v, err[256];
	int i, j = 1, n = 0, rc;

	v = calloc(2 * argc + 5, sizeof(*v));
	if (!v)
		return -1;
	if (rw_push(v, &n, strdup(exe)) || rw_push(v, &n, strdup("run")) ||
	    rw_push(v, &n, strdup("--accel=kvm")))
		goto err;
	for (i = 1; i < argc; i++) {
		rc = run_next_opt(argc, argv, &i, &opt, &val, err, sizeof(err));
		if (rc < 0)
			goto err;
		if (rc == 0)
			break;
		if (rc == RUN_OPT_EXTRA) {
			/* argv[first..i] verbatim: the emulated host shares the cwd. */
			for (first = val; argv[j] != first; j++)
				;
			while (j <= i)
				if (rw_push(v, &n, strdup(argv[j++])))
					goto err;
			continue;
		}
		if (opt->kind == OPT_ACCEL)
			continue;
		if (rw_push(v, &n, strdup(opt->name)) ||
		    (opt->kind != OPT_FLAG && rw_push(v, &n, run_rewrite_val(opt, val))))
			goto err;
	}
	if (i < argc && rw_push(v, &n, strdup("--")))
		goto err;
	while (i < argc)
		if (rw_push(v, &n, strdup(argv[i++])))
			goto err;
	v[n] = NULL;
	*out = v;
	return 0;
err:
	run_argv_free(v);       /* calloc'd: NULL after the last string */
	return -1;
}

/* run_default_shell(o, e, n): no command given on a terminal: an interactive shell. */
static int run_default_shell(struct run_opts *o, char *e, size_t n)
{
	static char *const sh[] = { "sh" };
	struct boot_cmd *c = run_push_cmd(o, e, n);

	if (!c || run_words_copy(1, (char **)sh, c))
		return -1;
	o->ncmds++;
	return 0;
}

static int run_main(int argc, char **argv)
{
	struct run_opts o = { 0 };
	char err[512], kbuf[PATH_MAX], ibuf[PATH_MAX];
	uint16_t rows, cols;
	int st;

	if (run_parse(argc, argv, &o, err, sizeof(err))) {
		fprintf(stderr, "modvisor run: %s\nTry 'modvisor run --help'.\n", err);
		run_opts_free(&o);
		return MV_EXIT_USAGE;
	}
	if (o.help) {
		printf("usage: modvisor " RUN_USAGE "\n%s", RUN_HELP);
		run_opts_free(&o);
		return 0;
	}
	if (run_extra_kmod && run_extra_kmod())
		o.kmod = 1;             /* `kmod = on` in a --policy file */
	if (!o.ncmds && run_tty_detect(&rows, &cols) && run_default_shell(&o, err, sizeof(err))) {
		fprintf(stderr, "modvisor run: %s\n", err);
		run_opts_free(&o);
		return MV_EXIT_SETUP;
	}
	if (run_check_inputs(&o, o.kernel ? o.kernel : run_default_path("kernel.elf", kbuf, sizeof(kbuf)),
			     o.initrd ? o.initrd : run_default_path("initrd.cpio", ibuf, sizeof(ibuf)))) {
		run_opts_free(&o);
		return MV_EXIT_USAGE;   /* an unusable input, like a bad option */
	}
	st = run_execute(&o, argc, argv);
	run_opts_free(&o);
	return st;
}

COMMAND(run, "run", RUN_USAGE, RUN_HELP, run_main);

/* run.h: `modvisor run`: its options and their parsing (cli/cmd_run.c, run_opts.c) and the run itself (run.c). */
#ifndef MODVISOR_VMM_RUN_H
#define MODVISOR_VMM_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "accel.h"
#include "boot.h"
#include "sandbox.h"

#define RUN_DEFAULT_MEM_MIB  128u
#define RUN_MAX_TIMEOUT_S    (7u * 24 * 3600)   /* --timeout's largest value */

/* One --add HOSTPATH:GUESTPATH. */
struct run_add {
	char *host;
	char *guest;
};

struct run_opts {
	const char *kernel;      /* NULL: images/kernel.elf next to modvisor */
	const char *initrd;      /* NULL: images/initrd.cpio; "none": no initrd */
	const char *cmdline;     /* guest kernel command line */
	uint64_t mem_mib;
	enum accel_mode accel;
	int help;                /* --help was given */
	unsigned timeout_s;      /* --timeout: watchdog limit, 0 = none */
	unsigned init_timeout_s; /* --init-timeout: module init limit, 0 = none */
	int init_timeout_set;    /* --init-timeout was given (else the default) */
	struct run_add *adds;
	int nadds;
	struct run_add *progs;   /* --add-program HOST[:GUEST], with their libraries */
	int nprogs;
	int kmod;                /* --kmod: Debian's kmod and its symlinks */
	struct boot_cmd *cmds;   /* -c strings (split) and the -- command */
	int ncmds;
	struct sandbox_user user; /* --user: drop root to it after setup */
};

/*
 * An extra option parser, e.g. the authority's policy flags: offered every
 * option the table does not know; returns 1 with *used (>= 1) words of
 * argv consumed, 0 if argv[0] is not its option, or -1 with err set.  Its
 * words are passed unchanged to the emulated host.  NULL: none.
 */
typedef int (*run_extra_parser)(int argc, char **argv, int *used, char *err,
				size_t errlen);
extern run_extra_parser run_extra;

/*
 * An extra check of the run's input files (the authority's keyring, kernel
 * facts and log), called with the kernel's path before anything boots:
 * 0, or -errno with "file: reason" in err.  NULL: none.
 */
typedef int (*run_extra_checker)(const char *kernel, char *err, size_t errlen);
extern run_extra_checker run_extra_check;

/*
 * Whether the run's settings files ask for --kmod (`kmod = on` in a --policy
 * INI file): called once the command line is parsed.  NULL: never.
 */
typedef bool (*run_extra_kmod_fn)(void);
extern run_extra_kmod_fn run_extra_kmod;

struct cpio_out;

/*
 * run_read_inputs(o, initrd, bs, extra): read the initrd (unless "none")
 * into bs->initrd and build the --add archive in extra (bs->extra).
 * Prints "modvisor: FILE: reason" and returns -1 on failure; the caller
 * frees bs->initrd and extra either way.
 */
int run_read_inputs(const struct run_opts *o, const char *initrd, struct boot_spec *bs,
		    struct cpio_out *extra);

/*
 * run_check_inputs(o, kernel, initrd): every input, before anything boots
 * or the emulated host starts: the kernel and the initrd (unless "none")
 * are regular files that open, every --add reads, the guest lays out in
 * --mem as the boot will (the kernel loads, RAM holds the initrd unpacked,
 * the commands fit), and run_extra_check passes.  Prints "modvisor: FILE: reason" and returns -1
 * otherwise (the run then exits MV_EXIT_USAGE).
 */
int run_check_inputs(const struct run_opts *o, const char *kernel, const char *initrd);

/* run_next_opt()'s return value for an option run_extra took. */
#define RUN_OPT_EXTRA 2

/*
 * run_parse(argc, argv, o, err, errlen): parse `run`'s argv (argv[0] =
 * "run") into o, which starts zeroed.  Returns 0, or -1 with the reason in
 * err (the caller prints it and exits MV_EXIT_USAGE).
 */
int run_parse(int argc, char **argv, struct run_opts *o, char *err, size_t errlen);

/* run_opts_free(o): free what run_parse allocated. */
void run_opts_free(struct run_opts *o);

/*
 * run_split_words(s, cmd, err, errlen): split a -c string into words:
 * blanks separate words; '...' groups literally; "..." groups, with \" and
 * \\ as escapes; outside quotes, \ escapes the next character.  Returns 0
 * or -1 (unterminated quote, no words) with the reason in err.
 */
int run_split_words(const char *s, struct boot_cmd *cmd, char *err, size_t errlen);

/* run_words_free(cmd): free the words of run_split_words or run_words_copy. */
void run_words_free(struct boot_cmd *cmd);

/* run_words_copy(argc, argv, cmd): cmd = a copy of argv[0..argc); 0 or -1. */
int run_words_copy(int argc, char **argv, struct boot_cmd *cmd);

/*
 * run_parse_add(s, add, err, errlen): split HOSTPATH:GUESTPATH at the last
 * ':'; GUESTPATH must be absolute.  Returns 0 or -1 with the reason in err.
 */
int run_parse_add(const char *s, struct run_add *add, char *err, size_t errlen);

/*
 * run_parse_program(s, add, err, errlen): --add-program HOSTPATH[:GUESTPATH]:
 * split at the last ':' when an absolute GUESTPATH follows it; without
 * one the guest path is /bin/BASENAME.  Returns 0 or -1 with the reason.
 */
int run_parse_program(const char *s, struct run_add *add, char *err, size_t errlen);

/*
 * run_rewrite_argv(argc, argv, exe, out): the same `run` invocation for the
 * emulated KVM host: exe, "run", "--accel=kvm", every other option with
 * file names made absolute, then "--" and the command.  *out is a malloc'd
 * NULL-terminated vector of malloc'd strings (run_argv_free).  0 or -1
 * (out of memory).
 */
int run_rewrite_argv(int argc, char **argv, const char *exe, char ***out);

/* run_argv_free(v): free a vector of run_rewrite_argv and its strings. */
void run_argv_free(char **v);

/*
 * run_default_path(leaf, buf, len): images/leaf in the data directory
 * (paths.h), or leaf itself when there is none.
 */
const char *run_default_path(const char *leaf, char *buf, size_t len);

/*
 * run_execute(o, argc, argv): run the parsed invocation o (argv is its
 * `run` words, passed on to the emulated host when /dev/kvm cannot run the
 * guest): boot here on /dev/kvm, or in the emulated KVM host.  Returns
 * modvisor's exit status.
 */
int run_execute(const struct run_opts *o, int argc, char **argv);

#endif

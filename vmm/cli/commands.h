/* commands.h: modvisor subcommands register themselves; main() dispatches. */
#ifndef MODVISOR_VMM_COMMANDS_H
#define MODVISOR_VMM_COMMANDS_H

/*
 * A subcommand (run, with-kvm, verify, measure, log, bench) lives in its own
 * vmm/cmd_*.c and registers itself with COMMAND(); main() finds it by name
 * in the linker-built table, so adding a command touches no central list.
 * fn gets argv[0] = the subcommand name and returns the process exit status.
 */
struct command {
	const char *name;
	const char *usage;      /* one line: "run [options] [-- CMD [ARG...]]" */
	const char *help;       /* full option list, printed by --help */
	int (*fn)(int argc, char **argv);
};

#define COMMAND(id_, name_, usage_, help_, fn_)                          \
	static const struct command command_##id_                         \
	__attribute__((section("mv_commands"), used, aligned(8))) =       \
	{ name_, usage_, help_, fn_ }

/* Linker-provided bounds of the table. */
extern const struct command __start_mv_commands[], __stop_mv_commands[];

#endif

/* authority.h: the host as authority over module loads: policy, keyring, kernel facts, log. */
#ifndef MODVISOR_VMM_AUTHORITY_H
#define MODVISOR_VMM_AUTHORITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel_info.h"
#include "load_state.h"
#include "measure.h"
#include "mlog.h"
#include "policy.h"
#include "sig.h"

struct authority_remote;

/*
 * Per-VM state; vm->auth points at one.  Three kinds: a run's own (owns
 * policy, keyring, kernel facts and log); one VM of `modvisor authority`
 * (borrowed: they belong to the daemon's, and vm tags its entries); and a
 * run's link to a daemon (remote: loads and events go over the socket,
 * policy holds only what the daemon's WELCOME said).
 */
struct authority {
	struct policy policy;
	struct sig_keyring *keyring;
	struct kernel_syms kernel;
	struct mlog *log;
	measure_set set;                /* digests to compute per image */
	uint32_t next_load_id;
	struct load_states states;      /* each load id's state (load_state.h) */
	const struct mlog_vm *vm;       /* a daemon's VM: tags its entries */
	bool borrowed;                  /* policy..log belong to the daemon */
	bool qemu;                      /* a guest under QEMU: nothing can be sealed */
	struct authority_remote *remote;        /* a run using a daemon, or NULL */
	bool seal_required;             /* protect = on: no init or live module
	                                 * without MV_HC_MODULE_SEAL */
	/* A daemon's VM only: what its SEAL/UNSEAL records did, and the name
	 * the daemon read from each allowed image (its seal entries' name). */
	struct load_states seals;       /* enum seal_state per load id */
	char (*names)[64];              /* indexed by load id, names_cap of them */
	uint32_t names_cap;
};

/* One load request, as the guest described it (host copies only). */
struct authority_request {
	const uint8_t *image;           /* the host's own copy; NULL when too large
	                                 * to copy (denied EFBIG, logged unmeasured) */
	uint64_t len;
	uint32_t source;                /* MV_MODSRC_* */
	uint32_t flags;                 /* finit_module flags */
	const char *path;               /* finit_module's path, or NULL */
	const uint8_t *file;            /* the compressed file as read, or NULL; only
	                                 * measured for the log, never decided on */
	uint64_t file_len;
	const char *params;             /* the parameter string's first bytes as the
	                                 * guest read them (only logged), or NULL */
	bool params_cut;                /* the string is longer than params */
	bool params_unreadable;         /* the guest could not read it */
};

/* The verdict and everything that explains it. */
struct authority_verdict {
	bool allow;
	int err;                        /* positive errno when denied */
	uint32_t taints;                /* 1u << MV_TAINT_* */
	uint32_t load_id;
	bool sig_checked;               /* false with an IGNORE flag */
	struct sig_result sig;
	struct measurement m;           /* of the whole image */
	struct measurement content;     /* of its signed content: the image
	                                 * before the signature trailer (all of
	                                 * it when unsigned); the lists match both */
	uint64_t content_len;
	char name[64];                  /* module name from .modinfo, or "" */
	char why[320];
	char reason[128];               /* denied: the line Linux prints for this
	                                 * refusal, else why (the guest prints it) */
};

/*
 * authority_cli_option(argc, argv, used, err, errlen): a policy flag for
 * `modvisor run` (policy_cli_option() on the run's policy).  Returns 1 with
 * *used words consumed, 0 if argv[0] is not a policy flag, -1 with err.
 */
int authority_cli_option(int argc, char **argv, int *used, char *err, size_t errlen);

/*
 * authority_check_inputs(kernel, err, errlen): the run's inputs the
 * authority reads, checked before anything boots (and before the emulated
 * host starts): the keyring loads, the kernel's facts parse, the log can
 * be written (mlog_check()).  0 or -errno with "file: reason".
 */
/* authority_cli_kmod(): the run's policy files say `kmod = on` (run --kmod). */
bool authority_cli_kmod(void);

int authority_check_inputs(const char *kernel, char *err, size_t errlen);

/* The policy flags' lines in `modvisor run --help` (cmd_run.c's hook). */
#define RUN_EXTRA_HELP POLICY_CLI_HELP AUTHORITY_RUN_HELP

/* `modvisor run`'s own authority flag (authority_run.c). */
#define AUTHORITY_RUN_HELP                                                       \
	"  --authority SOCKET\n      use the module authority daemon listening on SOCKET\n" \
	"      (`modvisor authority`; docs/authority-protocol.md) instead of an\n" \
	"      authority of this run's own: its policy and log are used; policy\n" \
	"      flags are refused with it.  Through the emulated KVM host, SOCKET\n" \
	"      is connected here before anything boots, and the run there uses\n" \
	"      that connection\n" \
	"  --name NAME\n      this VM's name in the daemon's log (default run-PID)\n" \
	"  --uuid UUID\n      this VM's UUID in the daemon's log (default: a random one)\n" \
	"  --report FILE\n      write the run's result to FILE, where the guest cannot\n" \
	"      write: \"measurement log PATH: N entries, aggregate HEX\" (the anchor\n" \
	"      for `log verify --aggregate`) and \"exit status N\" (docs/security.md)\n"

struct vm;

/*
 * authority_run_open(vm, kernel): `modvisor run`'s hook before the guest
 * runs: vm->auth = an authority with the run's policy.  Prints why and
 * returns -1 when it cannot be set up (the run must stop).
 */
int authority_run_open(struct vm *vm, const char *kernel);

/*
 * authority_run_forward(fd, name, namelen): `modvisor run`'s hook before it
 * starts the emulated KVM host: with --authority, connect to the daemon
 * here, on the real host (*fd, which the emulated host gets as a
 * virtio-serial port and the run inside uses as its connection: a socket of
 * this machine cannot be connected to from there), and, without --name,
 * name = "--name=run-PID" with this process's PID (the peer the daemon
 * sees), for the run inside; else name = "".  Without --authority, *fd = -1.
 * 0, or -1 after printing "SOCKET: reason" (the run stops before anything
 * boots).
 */
int authority_run_forward(int *fd, char *name, size_t namelen);

/*
 * authority_run_close(vm, status): `modvisor run`'s hook after the guest
 * stopped: close the log and print its aggregate.  Returns status, or
 * MV_EXIT_SETUP when the log could not be completed.
 */
int authority_run_close(struct vm *vm, int status);

/*
 * authority_open(out, policy, kernel, err, errlen): the authority for one
 * VM: policy (NULL = the one the run's flags built) is moved in (the
 * caller no longer frees it), its keyring
 * loaded, the kernel file read for vermagic and CRCs, the log opened and
 * its start entry written.  Any failure stops the run before the guest
 * loads anything: returns -errno with a message in err.
 */
int authority_open(struct authority **out, struct policy *policy, const char *kernel,
		   char *err, size_t errlen);

/*
 * authority_load(a, req, v, err, errlen): measure the image, check its
 * signature and, on the host's own reading of .modinfo and __versions, its
 * vermagic and CRCs; apply the policy; log the attempt.  Fills v.  Returns
 * 0, or -errno when the log entry could not be written (the VM must stop).
 */
int authority_load(struct authority *a, const struct authority_request *req,
		   struct authority_verdict *v, char *err, size_t errlen);

/*
 * authority_event(a, e, err, errlen): log what became of a load (or an
 * unload).  0, or -errno when the log could not be written.
 */
int authority_event(struct authority *a, const struct mlog_event *e, char *err, size_t errlen);

/*
 * authority_load_allowed(a, load_id): true when load_id was issued and
 * allowed; events may only follow such a load.
 */
bool authority_load_allowed(const struct authority *a, uint32_t load_id);

/*
 * authority_event_step(a, load_id, event, why, whylen): move load_id's
 * state on event (load_state.h).  Returns 0, or -EINVAL with why when the
 * event does not fit (id 0, never issued, denied, or the wrong state);
 * the state is then unchanged and the caller refuses the event.
 */
int authority_event_step(struct authority *a, uint32_t load_id, uint32_t event,
			 char *why, size_t whylen);

/*
 * authority_seal(a, s, err, errlen): log a seal, its ro_after_init step,
 * a refused seal or an unseal: in the run's log, or (a run using a daemon)
 * as a SEAL/UNSEAL record the daemon checks and logs.  0; -EINVAL when the
 * daemon refused it as not fitting the load (it logged the refusal: the VM
 * must stop); another -errno when it could not be logged.
 */
int authority_seal(struct authority *a, const struct mlog_seal *s, char *err, size_t errlen);

/*
 * authority_seal_step(a, s, why, whylen): a daemon's check of a VM's seal
 * record against its load id: a done seal of text+rodata moves ALLOWED to
 * SEALED (LOAD_EV_SEAL); a refused one needs an allowed load never sealed;
 * ro_after_init needs a sealed live module; an unseal a sealed module that
 * is unloaded, failed or faulted.  0 (the record is then noted), or -EINVAL
 * with why (nothing changes; the caller refuses and logs it).
 */
int authority_seal_step(struct authority *a, const struct mlog_seal *s, char *why,
			size_t whylen);

/* authority_load_name(a, load_id): the name a daemon read from load_id's image, or "". */
const char *authority_load_name(const struct authority *a, uint32_t load_id);

/*
 * authority_refused(a, r, err, errlen): log a refused event.  0, or -errno
 * when the log could not be written.
 */
int authority_refused(struct authority *a, const struct mlog_refusal *r, char *err,
		      size_t errlen);

/*
 * authority_violation(a, v, err, errlen): log an integrity violation.  0, or
 * -errno when the log could not be written.
 */
int authority_violation(struct authority *a, const struct mlog_violation *v, char *err,
			size_t errlen);

/*
 * authority_open_daemon(out, policy, kernel, torn, tornlen, err, errlen):
 * the authority of `modvisor authority`: as authority_open(), with the log
 * opened for many writers with group commit (mlog_open_shared_writer(); a
 * torn tail sealed and logged, described in torn).  JSON Lines only.
 */
int authority_open_daemon(struct authority **out, struct policy *policy, const char *kernel,
			  char *torn, size_t tornlen, char *err, size_t errlen);

/*
 * authority_open_vm(out, daemon, vm, qemu): one VM's authority inside the
 * daemon: its own load ids and states, the daemon's policy, keys, kernel
 * and log; vm (kept by the caller) tags its entries.  0 or -ENOMEM.
 */
int authority_open_vm(struct authority **out, const struct authority *daemon,
		      const struct mlog_vm *vm, bool qemu);

/*
 * authority_close(a, msg, msglen): write the log's end entry and free a.
 * msg receives "measurement log PATH: N entries, aggregate HEX" (the
 * anchor for `modvisor log verify --aggregate`) or the error.  0 or -errno.
 */
int authority_close(struct authority *a, char *msg, size_t msglen);

#endif

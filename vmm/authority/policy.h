/* policy.h: the host's module policy, from an INI file and command-line flags. */
#ifndef MODVISOR_VMM_POLICY_H
#define MODVISOR_VMM_POLICY_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "measure.h"

enum policy_log_format { POLICY_LOG_JSONL, POLICY_LOG_IMA_ASCII, POLICY_LOG_IMA_BINARY };
enum policy_fsync { POLICY_FSYNC_ENTRY, POLICY_FSYNC_CLOSE, POLICY_FSYNC_NONE };
/* What a guest write to protected memory does (docs/security.md). */
enum policy_on_violation { POLICY_VIOLATION_STOP, POLICY_VIOLATION_LOG };

#define POLICY_UIDS_MAX  64

/* One allow/deny list entry: a digest of a given kind. */
enum policy_digest_kind {
	POLICY_DIGEST_SHA256 = MEASURE_SHA256,
	POLICY_DIGEST_SHA384 = MEASURE_SHA384,
	POLICY_DIGEST_SHA512 = MEASURE_SHA512,
	POLICY_DIGEST_XXH3,
};

struct policy_digest {
	enum policy_digest_kind kind;
	uint8_t bytes[MEASURE_MAX_DIGEST];
};

struct policy_list {
	struct policy_digest *v;
	size_t n, cap;
};

/*
 * Every setting, with Linux's defaults: signatures checked but not enforced
 * (CONFIG_MODULE_SIG without _FORCE), no forced loading, SHA-256, JSON Lines
 * log fsync'ed per entry, ENOKEY as the init_module(2) page documents.
 */
struct policy {
	bool sig_enforce;
	char keyring[PATH_MAX];         /* "" = no keys: every signature is "unknown key" */
	bool force_load;
	measure_set digests;
	bool xxh3_match;
	char log[PATH_MAX];
	enum policy_log_format log_format;
	enum policy_fsync fsync;
	struct policy_list allow, deny;
	bool modules_disabled;
	int enforce_errno;              /* ENOKEY or EKEYREJECTED */
	bool refuse_sha1;               /* a SHA-1 signature counts as unsupported
	                                 * crypto (ENOPKG), not as good */
	bool protect;                   /* kernel text read-only for the guest
	                                 * (KVM_MEM_READONLY); default on */
	enum policy_on_violation on_violation;  /* stop (default) or log */
	bool kmod;                      /* `modvisor run` only: Debian's kmod in the
	                                 * initrd, as --kmod (the daemon ignores it) */
	/* `modvisor authority` only (a run ignores them): */
	char kernel[PATH_MAX];          /* the kernel its VMs boot; "" = the installed one */
	uint32_t allow_uids[POLICY_UIDS_MAX];   /* peers that may connect; none = the
	                                 * daemon's own uid and root */
	size_t n_allow_uids;
	bool require_seal;              /* deny loads that cannot be sealed (qemu) */
};

/* policy_init(p): the defaults above.  policy_free(p) releases the lists. */
void policy_init(struct policy *p);
void policy_free(struct policy *p);

/*
 * policy_set(p, key, value, err, errlen): set one setting by its INI key
 * (sig_enforce, keyring, force_load, digests, xxh3_match, log, log_format,
 * fsync, allow, deny, modules_disabled, enforce_errno, refuse_sha1, protect,
 * on_violation; kernel, allow_uids, require_seal for `modvisor authority`).
 * allow/deny/allow_uids append.
 * Returns 0, or -EINVAL with a message in err ("unknown key 'x'",
 * "enforce_errno: 'x' is not ENOKEY or EKEYREJECTED").
 */
int policy_set(struct policy *p, const char *key, const char *value, char *err, size_t errlen);

/*
 * policy_load(p, path, err, errlen): apply an INI file on top of p.  Keys may
 * sit outside any section or under [policy].  Returns 0, or -errno with
 * "path:line: reason" (or "path: reason" when the file cannot be read).
 */
int policy_load(struct policy *p, const char *path, char *err, size_t errlen);

/*
 * policy_cli_option(p, argc, argv, used, err, errlen): try argv[0] as a policy
 * flag: --policy FILE, or --KEY[=VALUE] where KEY is an INI key with '_'
 * written '-' (--sig-enforce, --enforce-errno=EKEYREJECTED, --allow=sha256:..).
 * A boolean flag without a value means true.  Returns 1 with *used = number
 * of argv words consumed, 0 when argv[0] is not a policy flag, or -EINVAL
 * with a message in err.
 */
int policy_cli_option(struct policy *p, int argc, char **argv, int *used,
		      char *err, size_t errlen);

/* POLICY_CLI_HELP: the lines `modvisor run --help` prints for these flags. */
#define POLICY_CLI_HELP                                                          \
	"  --policy FILE\n      module policy settings from an INI file (docs/policy.md);\n" \
	"      each setting KEY also has a flag --KEY (with '_' written '-'):\n"   \
	"  --sig-enforce[=BOOL]\n      deny unsigned, unknown-key and bad signatures (default off)\n" \
	"  --keyring PATH\n      trusted X.509 certificates, DER or PEM: a file or a directory\n" \
	"  --force-load[=BOOL]\n      permit forced loads (missing vermagic/__versions), taint F\n" \
	"  --digests LIST\n      sha256 (default), sha384, sha512 (comma-separated), or none\n" \
	"  --xxh3-match[=BOOL]\n      let allow/deny lists name XXH3 digests (default off)\n" \
	"  --log PATH\n      measurement log (default modvisor.log)\n"                \
	"  --log-format FMT\n      jsonl (default), ima-ascii or ima-binary\n"        \
	"  --fsync WHEN\n      per-entry (default), close or none\n"                  \
	"  --allow DIGEST\n      only modules with a listed digest load (repeatable)\n" \
	"  --deny DIGEST\n      modules with this digest never load (repeatable)\n"    \
	"  --modules-disabled[=BOOL]\n      every load fails with EPERM\n"             \
	"  --enforce-errno E\n      ENOKEY (default, as the man page) or EKEYREJECTED\n" \
	"  --refuse-sha1[=BOOL]\n      a SHA-1 signature counts as unsupported crypto, not good\n" \
	"  --protect[=on|off]\n      guest kernel text read-only at the hypervisor (default on)\n" \
	"  --on-violation ACTION\n      stop (default) or log: a write to protected memory\n"

/* policy_cli_help: POLICY_CLI_HELP as a string object. */
extern const char policy_cli_help[];

/* Which digest of a module a list entry named. */
enum policy_match {
	POLICY_MATCH_NONE,
	POLICY_MATCH_IMAGE,             /* the whole image, signature included */
	POLICY_MATCH_CONTENT,           /* its signed content (image without the trailer) */
};

/*
 * policy_lookup(list, image, content): whether an entry of list names the
 * image's digest or (content not NULL) its signed content's.  An entry may
 * name either: a digest identifies one byte string, whichever it is.
 */
enum policy_match policy_lookup(const struct policy_list *list, const struct measurement *image,
				const struct measurement *content);

/* policy_measure_set(p): the digests to compute: p->digests plus those the lists need. */
measure_set policy_measure_set(const struct policy *p);

/*
 * policy_errno_name(e): "ENOKEY", "EPERM", ... (shared/lib/errname.c);
 * "0" for 0, "E?" for a number Linux does not define.
 */
const char *policy_errno_name(int e);

#endif

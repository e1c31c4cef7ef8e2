/* authority.c: decide on each module load as Linux would, on the host's own copy, and log it. */
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <modvisor/abi/hypercall.h>
#include <modvisor/abi/module.h>
#include <modvisor/modinfo.h>
#include <modvisor/modsig.h>
#include "authority.h"
#include "modname.h"
#include "remote.h"

/*
 * A __versions CRC that disagrees with the kernel's: Linux fails the
 * symbol's resolution ("disagrees about version of symbol") and the call
 * returns EINVAL, so the host's verdict says the same.  Issue 5's "a
 * mismatch is ENOEXEC" is about vermagic.  See docs/policy.md.
 */
#define AUTH_CRC_MISMATCH_ERRNO  EINVAL

#define AUTH_IGNORE_FLAGS  (MV_MODULE_INIT_IGNORE_MODVERSIONS | MV_MODULE_INIT_IGNORE_VERMAGIC)

/* The policy `modvisor run`'s flags build, handed to the VM's authority. */
static struct policy auth_cli_policy;
static bool auth_cli_policy_ready;

static struct policy *auth_cli(void)
{
	if (!auth_cli_policy_ready) {
		policy_init(&auth_cli_policy);
		auth_cli_policy_ready = true;
	}
	return &auth_cli_policy;
}

int authority_cli_option(int argc, char **argv, int *used, char *err, size_t errlen)
{
	int ret = policy_cli_option(auth_cli(), argc, argv, used, err, errlen);

	return ret < 0 ? -1 : ret;
}

bool authority_cli_kmod(void)
{
	return auth_cli()->kmod;
}

int authority_check_inputs(const char *kernel, char *err, size_t errlen)
{
	const struct policy *p = auth_cli();
	struct sig_keyring *kr = NULL;
	struct kernel_syms ks;
	char why[PATH_MAX + 256];
	const char *what = "--keyring";
	int ret = 0;

	if (p->keyring[0]) {
		ret = sig_keyring_load(p->keyring, &kr, why, sizeof(why));
		sig_keyring_free(kr);
	}
	if (ret == 0) {
		what = "kernel";
		ret = kernel_syms_read(kernel, &ks, why, sizeof(why));
		if (ret == 0)
			kernel_syms_free(&ks);
	}
	if (ret == 0) {
		what = "--log";
		ret = mlog_check(p->log, p->log_format, why, sizeof(why));
	}
	if (ret < 0)
		snprintf(err, errlen, "%s %s", what, why);
	return ret;
}

/* A one-line summary of the policy for the log's start entry. */
static void auth_policy_summary(const struct policy *p, char *out, size_t len)
{
	snprintf(out, len, "sig_enforce=%d force_load=%d keyring=%s digests=0x%x xxh3_match=%d "
		 "allow=%zu deny=%zu modules_disabled=%d enforce_errno=%s refuse_sha1=%d "
		 "protect=%s on_violation=%s",
		 p->sig_enforce, p->force_load, p->keyring[0] ? p->keyring : "(none)", p->digests,
		 p->xxh3_match, p->allow.n, p->deny.n, p->modules_disabled,
		 policy_errno_name(p->enforce_errno), p->refuse_sha1, p->protect ? "on" : "off",
		 p->on_violation == POLICY_VIOLATION_LOG ? "log" : "stop");
}

/* Load keys and kernel facts; open the log (a daemon's: torn != NULL) and write its start entry. */
static int auth_setup(struct authority *a, const char *kernel, char *torn, size_t tornlen,
		      char *err, size_t errlen)
{
	char summary[PATH_MAX + 256];
	int ret;

	if (a->policy.keyring[0]) {
		ret = sig_keyring_load(a->policy.keyring, &a->keyring, err, errlen);
		if (ret < 0)
			return ret;
	}
	ret = kernel_syms_read(kernel, &a->kernel, err, errlen);
	if (ret < 0)
		return ret;
	if (torn && a->policy.log_format != POLICY_LOG_JSONL)
		return snprintf(err, errlen, "log_format: the authority daemon writes JSON Lines "
				"only (an IMA list has one writer and starts afresh at each boot)"),
		       -EINVAL;
	ret = torn ? mlog_open_shared_writer(a->policy.log, a->policy.fsync, &a->log, torn,
					     tornlen, err, errlen) :
		     mlog_open(a->policy.log, a->policy.log_format, a->policy.fsync, &a->log,
			       err, errlen);
	if (ret < 0)
		return ret;
	auth_policy_summary(&a->policy, summary, sizeof(summary));
	ret = mlog_start(a->log, &(struct mlog_start){ .kernel = kernel,
			 .kernel_sha256 = a->kernel.sha256, .policy = summary }, err, errlen);
	if (ret == 0 && torn && torn[0])
		ret = mlog_torn(a->log, torn, err, errlen);
	return ret;
}

/* authority_open_ex(): authority_open(), or the daemon's (torn != NULL). */
static int authority_open_ex(struct authority **out, struct policy *policy, const char *kernel,
			     char *torn, size_t tornlen, char *err, size_t errlen)
{
	struct authority *a = calloc(1, sizeof(*a));
	int ret;

	*out = NULL;
	if (!a)
		return snprintf(err, errlen, "authority: out of memory"), -ENOMEM;
	a->policy = policy ? *policy : *auth_cli();
	if (policy)
		memset(policy, 0, sizeof(*policy));
	else
		auth_cli_policy_ready = false;
	a->set = policy_measure_set(&a->policy);
	if (a->policy.log_format != POLICY_LOG_JSONL)
		a->set |= 1u << MEASURE_SHA256;     /* ima-ng records SHA-256 */
	a->next_load_id = 1;
	ret = auth_setup(a, kernel, torn, tornlen, err, errlen);
	if (ret < 0) {
		char ignored[64];
		if (a->log) {
			/* Never leave a half-started run's log without its end. */
			mlog_close(a->log, ignored, sizeof(ignored));
			a->log = NULL;
		}
		authority_close(a, ignored, sizeof(ignored));
		return ret;
	}
	*out = a;
	return 0;
}

int authority_open(struct authority **out, struct policy *policy, const char *kernel,
		   char *err, size_t errlen)
{
	return authority_open_ex(out, policy, kernel, NULL, 0, err, errlen);
}

int authority_open_daemon(struct authority **out, struct policy *policy, const char *kernel,
			  char *torn, size_t tornlen, char *err, size_t errlen)
{
	return authority_open_ex(out, policy, kernel, torn, tornlen, err, errlen);
}

int authority_open_vm(struct authority **out, const struct authority *daemon,
		      const struct mlog_vm *vm, bool qemu)
{
	struct authority *a = calloc(1, sizeof(*a));

	*out = a;
	if (!a)
		return -ENOMEM;
	/* Shallow copies: the daemon's authority owns them and outlives its VMs. */
	a->policy = daemon->policy;
	a->keyring = daemon->keyring;
	a->kernel = daemon->kernel;
	a->log = daemon->log;
	a->set = daemon->set;
	a->next_load_id = 1;
	a->vm = vm;
	a->borrowed = true;
	a->qemu = qemu;
	return 0;
}

static void auth_deny(struct authority_verdict *v, int err, const char *fmt, const char *arg)
{
	v->allow = false;
	v->err = err;
	snprintf(v->why, sizeof(v->why), fmt, arg ? arg : "");
}

/* Append one clause to v->why ("; " separated). */
static void auth_note(struct authority_verdict *v, const char *fmt, const char *arg)
{
	size_t n = strlen(v->why);
	char clause[256];

	snprintf(clause, sizeof(clause), fmt, arg ? arg : "");
	snprintf(v->why + n, sizeof(v->why) - n, "%s%s", n ? "; " : "", clause);
}

/*
 * The line Linux 6.1's module_sig_check() prints when it rejects a module
 * for its signature under enforcement (kernel/module/signing.c); a bad
 * signature fails there without a line, so the guest prints why instead.
 */
static void auth_linux_line(struct authority_verdict *v)
{
	const char *what = !v->sig_checked || v->sig.status == SIG_UNSIGNED ? "unsigned module" :
			   v->sig.status == SIG_UNKNOWN_KEY ? "module with unavailable key" :
			   v->sig.status == SIG_BAD ? NULL : "module with unsupported crypto";

	if (what)
		snprintf(v->reason, sizeof(v->reason), "Loading of %s is rejected", what);
}

/*
 * Step 1, Linux's module_sig_check(): with an IGNORE flag the signature is
 * not looked at and the module counts as unsigned.  Malformed is EBADMSG.
 * Unsigned, unknown key, unsupported crypto (ENOPKG: MD5, or SHA-1 under
 * refuse_sha1) or a bad signature: denied with enforce_errno when
 * enforcing, else allowed with taint E.  Returns false when denied.
 */
static bool auth_signature(struct authority *a, const struct authority_request *req,
			   struct authority_verdict *v)
{
	v->sig_checked = !(req->flags & AUTH_IGNORE_FLAGS);
	if (!v->sig_checked) {
		v->sig.status = SIG_UNSIGNED;
		v->sig.content_len = req->len;
		/* As Linux: the trailer still goes before the ELF is parsed. */
		struct modsig ms;
		if (modsig_parse(req->image, req->len, &ms) == 0)
			v->sig.content_len = ms.content_len;
	} else if (sig_verify(a->keyring, req->image, req->len, &v->sig) < 0) {
		auth_deny(v, ENOMEM, "signature check: out of memory%s", NULL);
		return false;
	} else if (a->policy.refuse_sha1) {
		sig_refuse_sha1(&v->sig);
	}
	if (v->sig.status == SIG_GOOD) {
		auth_note(v, "signature good%s", NULL);
		return true;
	}
	if (v->sig.status == SIG_MALFORMED && v->sig.err == EBADMSG) {
		auth_deny(v, EBADMSG, "malformed signature: %s", v->sig.why);
		return false;
	}
	const char *what = !v->sig_checked ? "signature not considered (IGNORE flag)" :
			   v->sig.status == SIG_UNSIGNED ? "unsigned" :
			   v->sig.status == SIG_UNKNOWN_KEY ? "signed with a key not in the keyring" :
			   v->sig.status == SIG_BAD ? "bad signature" : v->sig.why;
	if (a->policy.sig_enforce) {
		auth_deny(v, a->policy.enforce_errno, "%s, and signatures are enforced", what);
		auth_linux_line(v);
		return false;
	}
	v->taints |= 1u << MV_TAINT_UNSIGNED_MODULE;
	auth_note(v, "%s: allowed with taint E (enforcement off)", what);
	return true;
}

/* Linux's try_to_force_load(): only with force_load, and it taints F. */
static bool auth_force(struct authority *a, struct authority_verdict *v, const char *reason)
{
	if (!a->policy.force_load) {
		auth_deny(v, ENOEXEC, "%s, and forced loading is not permitted", reason);
		return false;
	}
	v->taints |= 1u << MV_TAINT_FORCED_MODULE;
	auth_note(v, "%s: forced, taint F", reason);
	return true;
}

/* Every __versions entry naming a kernel export must carry its CRC. */
static bool auth_crcs(struct authority *a, const struct modversions *mv,
		      struct authority_verdict *v)
{
	for (uint64_t i = 0; i < mv->count; i++) {
		const char *name = (const char *)mv->data + i * sizeof(struct mv_modversion) + 8;
		uint32_t crc;

		if (kernel_syms_crc(&a->kernel, name, &crc) < 0 || crc == 0)
			continue;       /* another module's export, or no CRC */
		if (modversions_check(mv, name, &crc) == MODVERSION_MISMATCH) {
			auth_deny(v, AUTH_CRC_MISMATCH_ERRNO,
				  "disagrees about version of symbol %s", name);
			return false;
		}
	}
	return true;
}

/*
 * The name the module will run under: .gnu.linkonce.this_module's, as the
 * guest loader (and Linux, mod->name) takes it, read from the host's copy.
 * A .modinfo name= that says otherwise is refused (ENOEXEC, like every
 * other inconsistency in the object), so the log never names one module
 * while the guest runs another.  False when denied.
 */
static bool auth_name(const struct authority_request *req, struct authority_verdict *v,
		      const struct modinfo *mi)
{
	const char *why = NULL, *tm, *info_name = modinfo_name(mi);
	struct modinfo_elf e;

	if (modinfo_elf_find(req->image, v->sig.content_len, &e, &why) < 0 || !e.this_module_index) {
		auth_deny(v, ENOEXEC, "%s", why ? why :
			  "no .gnu.linkonce.this_module section: no module in the object");
		return false;
	}
	if (e.this_module_size != sizeof(struct mv_this_module)) {
		auth_deny(v, ENOEXEC, "%s", ".gnu.linkonce.this_module "
			  "is not the size of struct mv_this_module (not built with the SDK)");
		return false;
	}
	tm = (const char *)req->image + e.this_module_off + offsetof(struct mv_this_module, name);
	if (!tm[0] || !memchr(tm, '\0', MV_MODULE_NAME_LEN)) {
		auth_deny(v, ENOEXEC,
			  "this_module's name is empty or not NUL-terminated%s", NULL);
		return false;
	}
	snprintf(v->name, sizeof(v->name), "%s", tm);
	if (info_name && strcmp(info_name, tm) != 0) {
		char msg[200];
		snprintf(msg, sizeof(msg), "'%.55s' in this_module, '%.55s' in .modinfo", tm,
			 info_name);
		auth_deny(v, ENOEXEC,
			  "the module's two names differ: %s", msg);
		return false;
	}
	return true;
}

/*
 * Steps 2-3 on the host's own copy (signature stripped): the ELF must be
 * readable, its vermagic match the booted kernel's (Linux's same_magic()),
 * its __versions match the kernel's CRCs; missing ones or IGNORE flags
 * need forced loading.  Also sets taints P and O from .modinfo.
 */
static bool auth_modinfo(struct authority *a, const struct authority_request *req,
			 struct authority_verdict *v)
{
	struct modinfo mi;
	struct modversions mv;
	const char *why = NULL, *magic;

	if (modinfo_from_elf(req->image, v->sig.content_len, &mi, &mv, &why) < 0) {
		auth_deny(v, ENOEXEC, "not a loadable module: %s", why ? why : "bad ELF");
		return false;
	}
	if (!auth_name(req, v, &mi))
		return false;
	if (req->flags & MV_MODULE_INIT_IGNORE_MODVERSIONS)
		mv = (struct modversions){ 0 };         /* "pretend no __versions", as Linux */
	magic = req->flags & MV_MODULE_INIT_IGNORE_VERMAGIC ? NULL : modinfo_vermagic(&mi);
	if (!magic) {
		if (!auth_force(a, v, req->flags & MV_MODULE_INIT_IGNORE_VERMAGIC ?
				"IGNORE_VERMAGIC" : "no vermagic"))
			return false;
	} else if (!a->kernel.vermagic[0] ||
		   !modinfo_same_magic(magic, a->kernel.vermagic, mv.data != NULL)) {
		auth_deny(v, ENOEXEC, "version magic '%s' should be the kernel's", magic);
		return false;
	}
	if (a->kernel.has_crcs && !mv.data &&
	    !auth_force(a, v, req->flags & MV_MODULE_INIT_IGNORE_MODVERSIONS ?
			"IGNORE_MODVERSIONS" : "no __versions"))
		return false;
	if (!auth_crcs(a, &mv, v))
		return false;
	if (!modinfo_license_gpl_compatible(modinfo_license(&mi)))
		v->taints |= 1u << MV_TAINT_PROPRIETARY_MODULE;
	if (!modinfo_intree(&mi))
		v->taints |= 1u << MV_TAINT_OOT_MODULE;
	return true;
}

/* The verdict, in Linux's order with the host's lists after modules_disabled. */
static void auth_decide(struct authority *a, const struct authority_request *req,
			struct authority_verdict *v)
{
	const struct policy *p = &a->policy;

	v->allow = true;
	if (p->modules_disabled)
		return auth_deny(v, EPERM, "modules_disabled is set%s", NULL);
	if (req->len < 64)      /* sizeof(Elf64_Ehdr): Linux checks this before the signature */
		return auth_deny(v, ENOEXEC, "image shorter than an ELF header%s", NULL);
	switch (policy_lookup(&p->deny, &v->m, &v->content)) {
	case POLICY_MATCH_IMAGE:
		return auth_deny(v, EPERM, "image digest is on the deny list%s", NULL);
	case POLICY_MATCH_CONTENT:
		return auth_deny(v, EPERM, "signed-content digest is on the deny list%s", NULL);
	case POLICY_MATCH_NONE:
		break;
	}
	if (p->allow.n && !policy_lookup(&p->allow, &v->m, &v->content))
		return auth_deny(v, EPERM, "neither the image's nor the signed content's digest "
				 "is on the allow list%s", NULL);
	if (!auth_signature(a, req, v))
		return;
	auth_modinfo(a, req, v);
}

/*
 * Issue 16: a refused load is legible.  The log names the module whenever
 * the host can read a name from its copy (also when the signature or the
 * lists refused it before .modinfo was read, and inside a compressed file
 * passed without MODULE_INIT_COMPRESSED_FILE), and the guest is sent the
 * line to print: Linux's own when it has one, else why.
 */
static void auth_explain(const struct authority_request *req, struct authority_verdict *v)
{
	const char *packed = NULL;
	char note[128] = "";

	/* The decompressors keep their last error in statics: one thread at a time. */
	static pthread_mutex_t modname_mu = PTHREAD_MUTEX_INITIALIZER;

	if (!v->name[0] && req->image) {
		pthread_mutex_lock(&modname_mu);
		modname_read(req->image, req->len, v->name, sizeof(v->name), &packed);
		pthread_mutex_unlock(&modname_mu);
	}
	if (v->allow) {
		v->reason[0] = '\0';
		return;
	}
	if (packed) {
		snprintf(note, sizeof(note), "a %s file, passed without MODULE_INIT_COMPRESSED_FILE",
			 packed);
		auth_note(v, "the image is %s", note);
	}
	if (!v->reason[0]) {
		/* The guest's reason is a shortened why: cut it on purpose. */
		size_t n = strnlen(v->why, sizeof(v->reason) - 1);

		memcpy(v->reason, v->why, n);
		v->reason[n] = '\0';
	} else if (note[0]) {
		size_t n = strlen(v->reason);
		snprintf(v->reason + n, sizeof(v->reason) - n, " (%s)", note);
	}
}

/* A daemon's VM: remember the name of an allowed load for its seal entries. */
static void auth_remember_name(struct authority *a, uint32_t load_id, const char *name)
{
	if (load_id >= a->names_cap) {
		uint32_t cap = a->names_cap ? a->names_cap : 16;
		char (*p)[64];

		while (cap <= load_id && cap < (1u << 30))
			cap *= 2;
		if (cap <= load_id || !(p = realloc(a->names, cap * sizeof(*p))))
			return;         /* the seal entry then names no module */
		memset(p + a->names_cap, 0, (cap - a->names_cap) * sizeof(*p));
		a->names = p;
		a->names_cap = cap;
	}
	snprintf(a->names[load_id], sizeof(a->names[load_id]), "%s", name);
}

bool authority_load_allowed(const struct authority *a, uint32_t load_id)
{
	enum load_state st = load_states_get(&a->states, load_id);

	return st != LOAD_NONE && st != LOAD_DENIED;
}

/*
 * The image's digests, and its signed content's: the bytes before the
 * signature trailer, which a re-encoded PKCS#7 cannot change (the whole
 * image when there is no trailer, or one that cannot be parsed).
 */
static int auth_measure(struct authority *a, const struct authority_request *req,
			struct authority_verdict *v)
{
	struct modsig ms;

	modsig_parse(req->image, req->len, &ms);
	v->content_len = ms.content_len;
	return measure_buf_prefix(req->image, req->len, v->content_len, a->set, &v->m,
				  &v->content);
}

int authority_load(struct authority *a, const struct authority_request *req,
		   struct authority_verdict *v, char *err, size_t errlen)
{
	char taints[8];

	if (a->remote)
		return remote_load(a, req, v, err, errlen);
	memset(v, 0, sizeof(*v));
	v->load_id = a->next_load_id++;
	if (!req->image)
		auth_deny(v, EFBIG, "image larger than the host copies (MV_MODLOAD_IMAGE_MAX): "
			  "not measured%s", NULL);
	else if (auth_measure(a, req, v) < 0)
		auth_deny(v, ENOMEM, "cannot measure the image%s", NULL);
	else
		auth_decide(a, req, v);
	/* Under QEMU nothing makes module text read-only (docs/security.md). */
	if (a->qemu && v->allow && a->policy.require_seal)
		auth_deny(v, EPERM, "require_seal = on, and a guest under QEMU cannot be "
			  "sealed%s", NULL);
	if (load_states_set(&a->states, v->load_id, v->allow ? LOAD_ALLOWED : LOAD_DENIED) < 0 &&
	    v->allow)
		auth_deny(v, ENOMEM, "cannot record the verdict%s", NULL);
	if (!v->allow)
		v->taints = 0;
	auth_explain(req, v);
	if (v->allow && a->borrowed)
		auth_remember_name(a, v->load_id, v->name);
	uint8_t file_sha256[32];
	if (req->file)
		measure_sha256(req->file, req->file_len, file_sha256);
	mlog_taint_string(v->taints, taints);
	struct mlog_load e = {
		.file_size = req->file ? req->file_len : 0, .file_sha256 = file_sha256,
		.load_id = v->load_id, .name = v->name, .source = req->source, .path = req->path,
		.params = req->params, .params_cut = req->params_cut,
		.params_unreadable = req->params_unreadable,
		.flags = req->flags, .size = req->len, .m = req->image ? &v->m : NULL,
		.content = req->image ? &v->content : NULL, .content_size = v->content_len,
		.sig = v->sig_checked ? &v->sig : NULL, .allow = v->allow,
		.err = v->allow ? 0 : v->err, .taints = v->taints, .why = v->why,
		.vm = a->vm, .seal = a->qemu ? "unavailable (transport qemu)" : NULL,
	};
	return mlog_load(a->log, &e, err, errlen);
}

int authority_event(struct authority *a, const struct mlog_event *e, char *err, size_t errlen)
{
	struct mlog_event tagged = *e;

	if (a->remote)
		return remote_event(a, e, false, err, errlen);
	tagged.vm = a->vm;
	return mlog_event(a->log, &tagged, err, errlen);
}

int authority_violation(struct authority *a, const struct mlog_violation *v, char *err,
			size_t errlen)
{
	struct mlog_violation tagged = *v;

	if (a->remote)
		return remote_violation(a, v, err, errlen);
	tagged.vm = a->vm;
	return mlog_violation(a->log, &tagged, err, errlen);
}

int authority_event_step(struct authority *a, uint32_t load_id, uint32_t event,
			 char *why, size_t whylen)
{
	enum load_state cur = load_states_get(&a->states, load_id), next;

	if (load_id == 0)
		return snprintf(why, whylen, "load_id 0 names no load (every event names the "
				"load it is about; an unload names the load it ends)"), -EINVAL;
	if (load_id >= a->next_load_id)
		return snprintf(why, whylen, "load_id %u was never issued (the last was %u)",
				load_id, a->next_load_id - 1), -EINVAL;
	if (cur == LOAD_DENIED || cur == LOAD_NONE)
		return snprintf(why, whylen, "load_id %u was denied; no event can follow it",
				load_id), -EINVAL;
	if (a->seal_required && cur == LOAD_ALLOWED &&
	    (event == MV_MODEV_INIT_START || event == MV_MODEV_LOADED))
		return snprintf(why, whylen, "%s for load_id %u, which was allowed but never sealed "
				"(protect = on: no module runs unsealed)", mlog_event_name(event),
				load_id), -EINVAL;
	if (load_state_next(cur, event, &next) < 0)
		return snprintf(why, whylen, "%s does not fit load_id %u, which is %s",
				mlog_event_name(event), load_id, load_state_name(cur)), -EINVAL;
	/* INIT_START is not logged, but a daemon keeps the same states. */
	if (a->remote && event == MV_MODEV_INIT_START &&
	    remote_init_start(a, load_id, why, whylen) < 0)
		return -EPIPE;
	/* The id has a slot already: this cannot fail. */
	return load_states_set(&a->states, load_id, next);
}

int authority_refused(struct authority *a, const struct mlog_refusal *r, char *err,
		      size_t errlen)
{
	struct mlog_refusal tagged = *r;

	if (a->remote)
		return remote_refused(a, r, err, errlen);
	tagged.vm = a->vm;
	return mlog_refused(a->log, &tagged, err, errlen);
}

int authority_seal(struct authority *a, const struct mlog_seal *s, char *err, size_t errlen)
{
	struct mlog_seal tagged = *s;

	if (a->remote)
		return remote_seal(a, s, err, errlen);
	tagged.vm = a->vm;
	return mlog_seal(a->log, &tagged, err, errlen);
}

int authority_seal_step(struct authority *a, const struct mlog_seal *s, char *why,
			size_t whylen)
{
	enum load_state cur = load_states_get(&a->states, s->load_id);
	enum seal_state sealed = (enum seal_state)load_states_get(&a->seals, s->load_id);
	bool text = strcmp(s->part, "text+rodata") == 0;

	if (!a->seal_required)
		return snprintf(why, whylen, "%s from a VM that seals nothing (protect = off, or "
				"its VMM cannot make memory read-only)", s->type), -EINVAL;
	if (s->load_id >= a->next_load_id || cur == LOAD_NONE || cur == LOAD_DENIED)
		return snprintf(why, whylen, "%s for load_id %u, which was never allowed", s->type,
				s->load_id), -EINVAL;
	if (strcmp(s->type, "unseal") == 0) {
		if (sealed != SEAL_SEALED || (cur != LOAD_UNLOADED && cur != LOAD_FAILED &&
					      cur != LOAD_FAULTED))
			return snprintf(why, whylen, "unseal for load_id %u, which is %s and %s (a "
					"module is unsealed once, after its unload or failure)",
					s->load_id, load_state_name(cur), sealed == SEAL_SEALED ?
					"sealed" : "not sealed"), -EINVAL;
		return load_states_set(&a->seals, s->load_id, (enum load_state)SEAL_UNSEALED);
	}
	if (text && !s->err) {
		int ret = authority_event_step(a, s->load_id, LOAD_EV_SEAL, why, whylen);

		if (ret < 0 || sealed != SEAL_NONE)
			return ret < 0 ? ret : (snprintf(why, whylen, "load_id %u was sealed before",
							 s->load_id), -EINVAL);
		return load_states_set(&a->seals, s->load_id, (enum load_state)SEAL_SEALED);
	}
	if (text) {
		/* Refused at the seal (ALLOWED), or the module region was full (FAILED). */
		if (sealed == SEAL_NONE && (cur == LOAD_ALLOWED || cur == LOAD_FAILED))
			return 0;
		return snprintf(why, whylen, "a refused seal for load_id %u, which is %s and %s",
				s->load_id, load_state_name(cur), sealed == SEAL_NONE ? "not sealed" :
				"sealed"), -EINVAL;
	}
	if (sealed == SEAL_SEALED && cur == LOAD_LIVE)
		return 0;
	return snprintf(why, whylen, "ro_after_init sealed for load_id %u, which is %s and %s "
			"(it follows init's return of a sealed module)", s->load_id,
			load_state_name(cur), sealed == SEAL_SEALED ? "sealed" : "not sealed"),
	       -EINVAL;
}

const char *authority_load_name(const struct authority *a, uint32_t load_id)
{
	return load_id < a->names_cap ? a->names[load_id] : "";
}

int authority_close(struct authority *a, char *msg, size_t msglen)
{
	uint8_t agg[MLOG_AGG_LEN];
	char hex[2 * MLOG_AGG_LEN + 1];
	uint64_t n;
	int ret = 0;


	if (!a)
		return 0;
	msg[0] = '\0';
	if (a->remote) {
		ret = remote_close(a, msg, msglen);
		a->log = NULL;
	}
	if (a->borrowed) {
		load_states_free(&a->states);
		load_states_free(&a->seals);
		free(a->names);
		free(a);
		return 0;
	}
	if (a->log) {
		ret = mlog_end(a->log, msg, msglen);
		n = mlog_aggregate(a->log, agg);
		if (ret == 0)
			ret = mlog_close(a->log, msg, msglen);
		else
			mlog_close(a->log, hex, sizeof(hex));
		if (ret == 0) {
			measure_hex(agg, sizeof(agg), hex);
			snprintf(msg, msglen, "measurement log %s: %llu entries, aggregate %s",
				 a->policy.log, (unsigned long long)n, hex);
		}
	}
	load_states_free(&a->states);
	sig_keyring_free(a->keyring);
	kernel_syms_free(&a->kernel);
	policy_free(&a->policy);
	free(a);
	return ret;
}

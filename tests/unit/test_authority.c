/* test_authority.c: Check tests of the load verdicts (vmm/authority/authority.c) on real SDK modules. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <zlib.h>

#include <modvisor/abi/hypercall.h>
#include <modvisor/abi/module.h>
#include <modvisor/abi/modsig.h>
#include <modvisor/modinfo.h>
#include "../../vmm/authority/authority.h"
#include "pkcs7_reencode.h"
#include "check_main.h"

#define KERNEL   "build/images/kernel.elf"
#define MODS     "build/images/modules/"
#define E_TAINT  (1u << MV_TAINT_UNSIGNED_MODULE)
#define F_TAINT  (1u << MV_TAINT_FORCED_MODULE)
#define IGN_VM   MV_MODULE_INIT_IGNORE_VERMAGIC
#define IGN_MV   MV_MODULE_INIT_IGNORE_MODVERSIONS

struct blob {
	uint8_t *p;
	size_t len;
};

static struct blob slurp(const char *path)
{
	struct blob b = { 0 };
	FILE *f = fopen(path, "rb");

	ck_assert_msg(f != NULL, "%s missing: run make first", path);
	fseek(f, 0, SEEK_END);
	b.len = (size_t)ftell(f);
	rewind(f);
	b.p = malloc(b.len + 4096);
	ck_assert_uint_eq(fread(b.p, 1, b.len, f), b.len);
	fclose(f);
	return b;
}

static EVP_PKEY *key, *stranger_key;
static X509 *cert, *stranger;
static char ringfile[64], logfile[64];

static X509 *self_signed(EVP_PKEY *k, const char *cn)
{
	X509 *x = X509_new();

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
				   (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	X509_set_pubkey(x, k);
	X509_sign(x, k, EVP_sha256());
	return x;
}

static void keys(void)
{
	FILE *f;

	key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	stranger_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	cert = self_signed(key, "authority test key");
	stranger = self_signed(stranger_key, "authority test key");
	snprintf(ringfile, sizeof(ringfile), "/tmp/mv-test-auth-%d.pem", (int)getpid());
	snprintf(logfile, sizeof(logfile), "/tmp/mv-test-auth-%d.log", (int)getpid());
	f = fopen(ringfile, "w");
	PEM_write_X509(f, cert);
	fclose(f);
}

static void cleanup(void)
{
	unlink(ringfile);
	unlink(logfile);
}

/* Append a sign-file style signature made with (k, x) and digest md to b. */
static void sign_md(struct blob *b, EVP_PKEY *k, X509 *x, const EVP_MD *md)
{
	BIO *in = BIO_new_mem_buf(b->p, (int)b->len), *out = BIO_new(BIO_s_mem());
	CMS_ContentInfo *cms = CMS_sign(NULL, NULL, NULL, NULL, CMS_NOCERTS | CMS_PARTIAL |
					CMS_BINARY | CMS_DETACHED | CMS_STREAM);
	BUF_MEM *bm;

	CMS_add1_signer(cms, x, k, md, CMS_NOCERTS | CMS_BINARY | CMS_NOSMIMECAP |
			CMS_NOATTR);
	ck_assert_int_eq(CMS_final(cms, in, NULL, CMS_NOCERTS | CMS_BINARY), 1);
	i2d_CMS_bio(out, cms);
	BIO_get_mem_ptr(out, &bm);
	uint8_t ms[12] = { 0, 0, 2, 0, 0, 0, 0, 0, (uint8_t)(bm->length >> 24),
			   (uint8_t)(bm->length >> 16), (uint8_t)(bm->length >> 8), (uint8_t)bm->length };
	memcpy(b->p + b->len, bm->data, bm->length);
	memcpy(b->p + b->len + bm->length, ms, 12);
	memcpy(b->p + b->len + bm->length + 12, MV_MODSIG_MARKER, MV_MODSIG_MARKER_LEN);
	b->len += bm->length + 12 + MV_MODSIG_MARKER_LEN;
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	BIO_free(out);
}

static void sign(struct blob *b, EVP_PKEY *k, X509 *x)
{
	sign_md(b, k, x, EVP_sha256());
}

enum sigcase { S_UNSIGNED, S_GOOD, S_BAD, S_UNKNOWN, S_MALFORMED, S_NCASES };

static struct blob variant(const char *mod, enum sigcase s)
{
	struct blob b = slurp(mod);

	if (s == S_GOOD || s == S_BAD || s == S_MALFORMED)
		sign(&b, key, cert);
	if (s == S_UNKNOWN)
		sign(&b, stranger_key, stranger);
	if (s == S_BAD)
		b.p[100] ^= 1;          /* inside the section headers' padding-free ELF */
	if (s == S_MALFORMED)
		b.p[b.len - MV_MODSIG_MARKER_LEN - 4] = 0x7f;   /* sig_len far too large */
	return b;
}

/* A fresh authority for one verdict; the policy is built from key=value pairs. */
static struct authority *open_auth(const char *const *kv)
{
	struct policy p;
	struct authority *a;
	char err[512];

	unlink(logfile);
	policy_init(&p);
	ck_assert_int_eq(policy_set(&p, "keyring", ringfile, err, sizeof(err)), 0);
	ck_assert_int_eq(policy_set(&p, "log", logfile, err, sizeof(err)), 0);
	ck_assert_int_eq(policy_set(&p, "fsync", "none", err, sizeof(err)), 0);
	for (; kv && kv[0]; kv += 2)
		ck_assert_msg(policy_set(&p, kv[0], kv[1], err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(authority_open(&a, &p, KERNEL, err, sizeof(err)) == 0, "%s", err);
	return a;
}

static struct authority_verdict verdict(struct authority *a, struct blob b, uint32_t flags)
{
	struct authority_request req = { .image = b.p, .len = b.len, .flags = flags,
					 .source = MV_MODSRC_FINIT_MODULE, .path = "/lib/modules/x.ko" };
	struct authority_verdict v;
	char err[256];

	ck_assert_int_eq(authority_load(a, &req, &v, err, sizeof(err)), 0);
	return v;
}

static void close_auth(struct authority *a)
{
	char msg[512];
	struct mlog_verify mv;

	ck_assert_int_eq(authority_close(a, msg, sizeof(msg)), 0);
	ck_assert_ptr_nonnull(strstr(msg, "entries, aggregate "));
	ck_assert_int_eq(mlog_verify_file(logfile, &mv), 0);
}

/* The table: {sig} x {enforce} x {flags} x {force}, expected errno and E/F taints. */
START_TEST(test_decision_table)
{
	static const uint32_t flagsets[] = { 0, IGN_VM, IGN_MV, IGN_VM | IGN_MV };
	static const char *names[] = { "unsigned", "good", "bad", "unknown", "malformed" };

	for (int s = 0; s < S_NCASES; s++)
	for (int enforce = 0; enforce < 2; enforce++)
	for (size_t fi = 0; fi < 4; fi++)
	for (int force = 0; force < 2; force++) {
		const char *kv[] = { "sig_enforce", enforce ? "1" : "0",
				     "force_load", force ? "1" : "0", NULL };
		uint32_t flags = flagsets[fi];
		struct authority *a = open_auth(kv);
		struct blob b = variant(MODS "hello.ko", (enum sigcase)s);
		struct authority_verdict v = verdict(a, b, flags);
		int want_err = 0;
		uint32_t want_taints = 0;

		bool trusted = !flags && s == S_GOOD;
		if (!flags && s == S_MALFORMED)
			want_err = EBADMSG;
		else if (!trusted && enforce)
			want_err = ENOKEY;
		else if (flags && !force)
			want_err = ENOEXEC;
		else
			want_taints = (trusted ? 0 : E_TAINT) | (flags ? F_TAINT : 0);
		ck_assert_msg(v.allow == !want_err && (v.allow || v.err == want_err) &&
			      (v.taints & (E_TAINT | F_TAINT)) == want_taints,
			      "%s enforce=%d flags=%u force=%d: got %s errno %d taints 0x%x (%s), "
			      "want errno %d taints 0x%x", names[s], enforce, flags, force,
			      v.allow ? "allow" : "deny", v.err, v.taints, v.why, want_err, want_taints);
		free(b.p);
		close_auth(a);
	}
}
END_TEST

static void expect(const char *mod, const char *const *kv, int want_err, uint32_t want_taints)
{
	struct authority *a = open_auth(kv);
	struct blob b = slurp(mod);
	struct authority_verdict v = verdict(a, b, 0);

	ck_assert_msg(v.allow == !want_err && (v.allow || v.err == want_err) &&
		      (!v.allow || (v.taints & (E_TAINT | F_TAINT)) == want_taints),
		      "%s: got %s errno %d taints 0x%x (%s)", mod, v.allow ? "allow" : "deny",
		      v.err, v.taints, v.why);
	free(b.p);
	close_auth(a);
}

static void expect_blob(struct blob b, const char *const *kv, int want_err)
{
	struct authority *a = open_auth(kv);
	struct authority_verdict v = verdict(a, b, 0);

	ck_assert_msg(v.allow == !want_err && (v.allow || v.err == want_err),
		      "got %s errno %d (%s)", v.allow ? "allow" : "deny", v.err, v.why);
	close_auth(a);
}

START_TEST(test_vermagic_and_versions)
{
	static const char *const force[] = { "force_load", "1", NULL };

	expect(MODS "hello.ko", NULL, 0, E_TAINT);
	expect(MODS "bad-vermagic.ko", NULL, ENOEXEC, 0);
	expect(MODS "bad-vermagic.ko", force, ENOEXEC, 0);         /* a mismatch is never forced */
	expect(MODS "bad-no-vermagic.ko", NULL, ENOEXEC, 0);
	expect(MODS "bad-no-vermagic.ko", force, 0, E_TAINT | F_TAINT);
	expect(MODS "bad-no-versions.ko", NULL, ENOEXEC, 0);
	expect(MODS "bad-no-versions.ko", force, 0, E_TAINT | F_TAINT);
	expect(MODS "bad-crc.ko", NULL, EINVAL, 0);
	expect(MODS "bad-crc.ko", force, EINVAL, 0);
	expect(MODS "bad-magic.ko", NULL, ENOEXEC, 0);
}
END_TEST

START_TEST(test_taints_from_modinfo)
{
	struct authority *a = open_auth(NULL);
	struct blob b = slurp(MODS "proprietary.ko");
	struct authority_verdict v = verdict(a, b, 0);

	ck_assert(v.allow);
	ck_assert(v.taints & (1u << MV_TAINT_PROPRIETARY_MODULE));
	ck_assert_str_eq(v.name, "proprietary");
	free(b.p);
	close_auth(a);
}
END_TEST

START_TEST(test_lists_and_disabled)
{
	struct blob b = slurp(MODS "hello.ko");
	struct measurement m;
	char entry[80], hex[65];

	measure_buf(b.p, b.len, 1u << MEASURE_SHA256, &m);
	measure_hex(m.digest[MEASURE_SHA256], 32, hex);
	snprintf(entry, sizeof(entry), "sha256:%s", hex);
	const char *const deny[] = { "deny", entry, NULL };
	const char *const allow_other[] = { "allow", "sha256:0000000000000000000000000000000000000000000000000000000000000000", NULL };
	const char *const allow[] = { "allow", entry, NULL };
	const char *const disabled[] = { "modules_disabled", "1", NULL };
	const char *const rejected[] = { "sig_enforce", "1", "enforce_errno", "EKEYREJECTED", NULL };

	expect(MODS "hello.ko", deny, EPERM, 0);
	expect(MODS "hello.ko", allow_other, EPERM, 0);
	expect(MODS "hello.ko", allow, 0, E_TAINT);
	expect(MODS "hello.ko", disabled, EPERM, 0);
	expect(MODS "hello.ko", rejected, 129, 0);
	free(b.p);
}
END_TEST

static void digest_entry(const uint8_t *p, size_t len, char *entry, size_t n)
{
	struct measurement m;
	char hex[65];

	measure_buf(p, len, 1u << MEASURE_SHA256, &m);
	measure_hex(m.digest[MEASURE_SHA256], 32, hex);
	snprintf(entry, n, "sha256:%s", hex);
}

/*
 * Issue 12, finding 1 (the review's reproduction): a deny-listed signed
 * module whose PKCS#7 is re-encoded without the key stays denied.  The
 * list names the signed content (what `modvisor measure` prints as
 * signed-content): every re-encoding keeps it.  A list naming the old
 * file digest still denies the three that are now malformed (EBADMSG);
 * ECDSA's (r, n - s) keeps a valid signature and a new file digest, which
 * is why the content digest is the one to list (docs/security.md).
 */
START_TEST(test_reencoded_signature_stays_denied)
{
	struct blob plain = slurp(MODS "hello.ko"), b = variant(MODS "hello.ko", S_GOOD);
	char content[80], image[80];

	digest_entry(plain.p, plain.len, content, sizeof(content));
	digest_entry(b.p, b.len, image, sizeof(image));
	const char *const deny_content[] = { "deny", content, NULL };
	const char *const deny_image[] = { "deny", image, NULL };
	const char *const allow_content[] = { "allow", content, NULL };

	for (int how = 0; how < RE_NCASES; how++) {
		struct blob re;
		re.p = pkcs7_reencode(b.p, b.len, (enum pkcs7_reencode)how, key, stranger, &re.len);
		struct authority *a = open_auth(deny_content);
		struct authority_verdict v = verdict(a, re, 0);
		ck_assert_msg(!v.allow && v.err == EPERM, "re-encoding %d: %s", how, v.why);
		ck_assert_str_eq(v.why, "signed-content digest is on the deny list");
		close_auth(a);
		a = open_auth(deny_image);
		v = verdict(a, re, 0);
		if (how == RE_ECDSA_NEG_S)
			ck_assert_msg(v.allow && v.sig.status == SIG_GOOD, "%s", v.why);
		else
			ck_assert_msg(!v.allow && v.err == EBADMSG, "re-encoding %d: %s", how, v.why);
		close_auth(a);
		a = open_auth(allow_content);
		v = verdict(a, re, 0);
		ck_assert_msg(how == RE_ECDSA_NEG_S ? v.allow : v.err == EBADMSG, "%s", v.why);
		close_auth(a);
		free(re.p);
	}
	expect_blob(b, deny_image, EPERM);
	free(b.p);
	free(plain.p);
}
END_TEST

/* The log names both digests of every measured load (docs/log-format.md). */
START_TEST(test_log_has_content_digests)
{
	struct blob plain = slurp(MODS "hello.ko"), b = variant(MODS "hello.ko", S_GOOD);
	struct authority *a = open_auth(NULL);
	struct authority_verdict v = verdict(a, b, 0);
	char content[80], want[160];

	ck_assert(v.allow);
	ck_assert_uint_eq(v.content_len, plain.len);
	close_auth(a);
	digest_entry(plain.p, plain.len, content, sizeof(content));
	struct blob log = slurp(logfile);
	log.p[log.len] = '\0';
	snprintf(want, sizeof(want), "\"content_size\":%zu,\"content_xxh3\":\"", plain.len);
	ck_assert_msg(strstr((char *)log.p, want) != NULL, "%s", (char *)log.p);
	snprintf(want, sizeof(want), "\"content_digests\":[\"%s\"]", content);
	ck_assert_msg(strstr((char *)log.p, want) != NULL, "%s", (char *)log.p);
	ck_assert_ptr_nonnull(strstr((char *)log.p, "\"log_version\":4,"));
	free(log.p);
	free(b.p);
	free(plain.p);
}
END_TEST

/*
 * Issue 12, finding 11: MD5 is crypto the kernel lacks, ENOPKG, which
 * Linux's module_sig_check() forgives when signatures are not enforced;
 * SHA-1 is good unless the policy says refuse_sha1, which makes it the same.
 */
START_TEST(test_hash_algorithms)
{
	struct blob md5 = slurp(MODS "hello.ko"), sha1 = slurp(MODS "hello.ko");
	const char *const enforce[] = { "sig_enforce", "1", NULL };
	const char *const refuse[] = { "refuse_sha1", "1", NULL };
	const char *const refuse_enforce[] = { "refuse_sha1", "1", "sig_enforce", "1", NULL };
	struct authority *a;
	struct authority_verdict v;

	EVP_PKEY *rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	X509 *rsa_cert = self_signed(rsa, "md5 signer");     /* ECDSA has no MD5 in OpenSSL */
	sign_md(&md5, rsa, rsa_cert, EVP_md5());
	X509_free(rsa_cert);
	EVP_PKEY_free(rsa);
	sign_md(&sha1, key, cert, EVP_sha1());
	a = open_auth(NULL);
	v = verdict(a, md5, 0);
	ck_assert_msg(v.allow && v.taints & E_TAINT, "%s", v.why);
	ck_assert_int_eq(v.sig.status, SIG_UNSUPPORTED);
	ck_assert_int_eq(v.sig.err, ENOPKG);
	ck_assert_msg(strstr(v.why, "digest algorithm the kernel lacks") &&
		      strstr(v.why, "allowed with taint E"), "%s", v.why);
	close_auth(a);
	expect_blob(md5, enforce, ENOKEY);
	a = open_auth(NULL);
	v = verdict(a, sha1, 0);
	ck_assert_msg(v.allow && v.sig.status == SIG_GOOD && !(v.taints & E_TAINT), "%s", v.why);
	close_auth(a);
	expect_blob(sha1, enforce, 0);
	a = open_auth(refuse);
	v = verdict(a, sha1, 0);
	ck_assert_msg(v.allow && v.taints & E_TAINT && v.sig.status == SIG_UNSUPPORTED, "%s", v.why);
	ck_assert_msg(strstr(v.why, "refuse_sha1") != NULL, "%s", v.why);
	close_auth(a);
	expect_blob(sha1, refuse_enforce, ENOKEY);
	free(md5.p);
	free(sha1.p);
}
END_TEST

/* Patch the first occurrence of from (same length as to) inside the section at off, size. */
static void patch(struct blob b, uint64_t off, uint64_t size, const char *from, const char *to)
{
	uint8_t *p = memmem(b.p + off, size, from, strlen(from));

	ck_assert_ptr_nonnull(p);
	memcpy(p, to, strlen(to));
}

/*
 * Issue 12, finding 8: the host reads this_module's name (the one the guest
 * runs the module under) and .modinfo's from its own copy; it logs the
 * former and refuses a module whose two names differ, with ENOEXEC.
 */
START_TEST(test_running_name)
{
	struct blob b = slurp(MODS "hello.ko");
	struct modinfo_elf e;
	const char *why = NULL;
	struct authority *a;
	struct authority_verdict v;

	ck_assert_int_eq(modinfo_elf_find(b.p, b.len, &e, &why), 0);
	/* No name= in .modinfo: Linux then takes this_module's; so does the log. */
	patch(b, e.modinfo_off, e.modinfo_size, "name=hello", "nbme=hello");
	a = open_auth(NULL);
	v = verdict(a, b, 0);
	ck_assert_msg(v.allow, "%s", v.why);
	ck_assert_str_eq(v.name, "hello");
	close_auth(a);
	struct blob log = slurp(logfile);
	log.p[log.len] = '\0';
	ck_assert_ptr_nonnull(strstr((char *)log.p, "\"name\":\"hello\""));
	free(log.p);
	/* this_module says "hellp", .modinfo "hello": refused, logged under "hellp". */
	patch(b, e.modinfo_off, e.modinfo_size, "nbme=hello", "name=hello");
	patch(b, e.this_module_off, e.this_module_size, "hello", "hellp");
	a = open_auth(NULL);
	v = verdict(a, b, 0);
	ck_assert(!v.allow);
	ck_assert_int_eq(v.err, ENOEXEC);
	ck_assert_str_eq(v.why, "the module's two names differ: 'hellp' in this_module, "
			 "'hello' in .modinfo");
	ck_assert_str_eq(v.name, "hellp");
	close_auth(a);
	free(b.p);
	expect(MODS "bad-no-this-module.ko", NULL, ENOEXEC, 0);
	expect(MODS "bad-this-module-size.ko", NULL, ENOEXEC, 0);
}
END_TEST

START_TEST(test_short_and_oversized_images)
{
	struct authority *a = open_auth(NULL);
	struct authority_request req = { .image = (const uint8_t *)"\177ELF", .len = 4,
					 .source = MV_MODSRC_INIT_MODULE };
	struct authority_verdict v;
	char err[256];

	ck_assert_int_eq(authority_load(a, &req, &v, err, sizeof(err)), 0);
	ck_assert(!v.allow);
	ck_assert_int_eq(v.err, ENOEXEC);
	req.image = NULL;
	req.len = MV_MODLOAD_IMAGE_MAX + 1;
	ck_assert_int_eq(authority_load(a, &req, &v, err, sizeof(err)), 0);
	ck_assert_int_eq(v.err, EFBIG);
	close_auth(a);
}
END_TEST

START_TEST(test_log_records_loads_and_events)
{
	struct authority *a = open_auth(NULL);
	struct blob b = variant(MODS "hello.ko", S_GOOD);
	struct authority_verdict v = verdict(a, b, 0);
	char err[256], msg[512];

	ck_assert(v.allow);
	ck_assert_int_eq(v.taints & E_TAINT, 0);
	ck_assert_int_eq(authority_event(a, &(struct mlog_event){ .load_id = v.load_id,
			 .event = MV_MODEV_LOADED, .name = "hello" }, err, sizeof(err)), 0);
	ck_assert_int_eq(authority_close(a, msg, sizeof(msg)), 0);
	ck_assert_msg(strstr(msg, ": 4 entries, aggregate ") != NULL, "%s", msg);
	struct blob log = slurp(logfile);
	log.p[log.len] = '\0';
	ck_assert_ptr_nonnull(strstr((char *)log.p, "\"type\":\"start\""));
	ck_assert_ptr_nonnull(strstr((char *)log.p, "\"sig\":\"good\""));
	ck_assert_ptr_nonnull(strstr((char *)log.p, "\"signer\":\"authority test key\""));
	ck_assert_ptr_nonnull(strstr((char *)log.p, "\"source\":\"finit_module\",\"path\":\"/lib/modules/x.ko\""));
	ck_assert_ptr_nonnull(strstr((char *)log.p, "\"event\":\"loaded\""));
	ck_assert_ptr_nonnull(strstr((char *)log.p, "\"type\":\"end\""));
	free(log.p);
	free(b.p);
}
END_TEST

/* Events may follow only allowed loads: the host remembers each verdict. */
START_TEST(test_allowed_load_ids)
{
	struct authority *a = open_auth(NULL);
	struct blob b = variant(MODS "hello.ko", S_GOOD);
	struct authority_request bad = { .image = (const uint8_t *)"\177ELF", .len = 4,
					 .source = MV_MODSRC_INIT_MODULE };
	struct authority_verdict v;
	char err[256];
	uint32_t good = 0;

	ck_assert(!authority_load_allowed(a, 0));
	for (int i = 0; i < 3000; i++) {        /* past the bitmap's first size */
		ck_assert_int_eq(authority_load(a, &bad, &v, err, sizeof(err)), 0);
		ck_assert(!authority_load_allowed(a, v.load_id));
	}
	v = verdict(a, b, 0);
	good = v.load_id;
	ck_assert(v.allow);
	ck_assert_uint_gt(good, 3000);
	ck_assert(authority_load_allowed(a, good));
	ck_assert(!authority_load_allowed(a, good - 1));
	ck_assert(!authority_load_allowed(a, good + 1));
	ck_assert(!authority_load_allowed(a, UINT32_MAX));
	close_auth(a);
	free(b.p);
}
END_TEST

/*
 * Issue 14: with protect = on (seal_required) no allowed load may start
 * init or go live before MV_HC_MODULE_SEAL; seal entries carry the text
 * digest and the log still verifies.
 */
START_TEST(test_seal_required)
{
	struct authority *a = open_auth(NULL);
	struct blob b = variant(MODS "hello.ko", S_GOOD);
	struct measurement m = { .set = 1u << MEASURE_SHA256 };
	struct authority_verdict v;
	char why[256], err[256], msg[512];
	uint32_t id;

	a->seal_required = true;
	v = verdict(a, b, 0);
	id = v.load_id;
	ck_assert_int_eq(authority_event_step(a, id, MV_MODEV_INIT_START, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "init-start for load_id"));
	ck_assert_ptr_nonnull(strstr(why, "allowed but never sealed"));
	ck_assert_int_eq(authority_event_step(a, id, MV_MODEV_LOADED, why, sizeof(why)), -EINVAL);
	ck_assert_int_eq(authority_event_step(a, id, LOAD_EV_SEAL, why, sizeof(why)), 0);
	ck_assert_int_eq(load_states_get(&a->states, id), LOAD_SEALED);
	ck_assert_int_eq(authority_event_step(a, id, LOAD_EV_SEAL, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "seal does not fit load_id"));
	ck_assert_int_eq(authority_event_step(a, id, MV_MODEV_INIT_START, why, sizeof(why)), 0);
	memset(m.xxh3, 0xab, sizeof(m.xxh3));
	memset(m.digest[MEASURE_SHA256], 0xcd, 32);
	ck_assert_int_eq(mlog_seal(a->log, &(struct mlog_seal){ .type = "seal", .load_id = id,
			 .name = "hello", .part = "text+rodata", .gpa = 0x400000, .len = 8192,
			 .text = &m, .text_size = 8192, .why = "ok" }, err, sizeof(err)), 0);
	ck_assert_int_eq(mlog_seal(a->log, &(struct mlog_seal){ .type = "seal", .load_id = id + 1,
			 .name = "bad", .part = "text+rodata", .err = EACCES, .why = "no" },
			 err, sizeof(err)), 0);
	ck_assert_int_eq(authority_close(a, msg, sizeof(msg)), 0);
	struct blob log = slurp(logfile);
	log.p[log.len] = '\0';
	ck_assert_ptr_nonnull(strstr((char *)log.p, "\"type\":\"seal\""));
	ck_assert_ptr_nonnull(strstr((char *)log.p, "\"text_xxh3\":\"abababababababababababababababab\","
				     "\"text_sha256\":\"cdcd"));
	ck_assert_ptr_nonnull(strstr((char *)log.p, "\"result\":\"refused\",\"errno\":13,"
				     "\"errno_name\":\"EACCES\""));
	free(log.p);
	struct mlog_verify mv;
	ck_assert_int_eq(mlog_verify_file(logfile, &mv), 0);
	free(b.p);
}
END_TEST

/*
 * Issue 12 finding 7: each event must fit its load id's state; refusals
 * leave the state alone and are logged as `refused` entries.
 */
START_TEST(test_event_states)
{
	struct authority *a = open_auth(NULL);
	struct blob b = variant(MODS "hello.ko", S_GOOD);
	struct authority_request bad = { .image = (const uint8_t *)"\177ELF", .len = 4,
					 .source = MV_MODSRC_INIT_MODULE };
	struct authority_verdict v, d;
	char why[256], err[256], msg[512];
	uint32_t id;

	ck_assert_int_eq(authority_load(a, &bad, &d, err, sizeof(err)), 0);
	v = verdict(a, b, 0);
	id = v.load_id;
	ck_assert(v.allow && !d.allow);
	ck_assert_int_eq(authority_event_step(a, 0, MV_MODEV_UNLOADED, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "load_id 0 names no load"));
	ck_assert_int_eq(authority_event_step(a, d.load_id, MV_MODEV_LOADED, why, sizeof(why)),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "was denied"));
	ck_assert_int_eq(authority_event_step(a, id + 1, MV_MODEV_LOADED, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "was never issued"));
	/* An init outcome without an init; an unload before it is live. */
	ck_assert_int_eq(authority_event_step(a, id, MV_MODEV_INIT_FAILED, why, sizeof(why)), -EINVAL);
	ck_assert_int_eq(authority_event_step(a, id, MV_MODEV_UNLOADED, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "unloaded does not fit load_id"));
	ck_assert_ptr_nonnull(strstr(why, "which is allowed"));
	ck_assert_int_eq(authority_event_step(a, id, MV_MODEV_INIT_START, why, sizeof(why)), 0);
	ck_assert_int_eq(authority_event_step(a, id, MV_MODEV_INIT_START, why, sizeof(why)), -EINVAL);
	ck_assert_int_eq(authority_event_step(a, id, MV_MODEV_LOADED, why, sizeof(why)), 0);
	/* The replay of "loaded". */
	ck_assert_int_eq(authority_event_step(a, id, MV_MODEV_LOADED, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "loaded does not fit load_id"));
	ck_assert_ptr_nonnull(strstr(why, "which is live"));
	ck_assert_int_eq(authority_refused(a, &(struct mlog_refusal){ .load_id = id,
			 .event = MV_MODEV_LOADED, .name = "hello\n", .state = "live", .why = why },
			 err, sizeof(err)), 0);
	ck_assert_int_eq(authority_event_step(a, id, MV_MODEV_UNLOADED, why, sizeof(why)), 0);
	ck_assert_int_eq(authority_event_step(a, id, MV_MODEV_UNLOADED, why, sizeof(why)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(why, "which is unloaded"));
	ck_assert_int_eq(authority_close(a, msg, sizeof(msg)), 0);
	struct blob log = slurp(logfile);
	log.p[log.len] = '\0';
	ck_assert_ptr_nonnull(strstr((char *)log.p, "\"type\":\"refused\""));
	ck_assert_ptr_nonnull(strstr((char *)log.p, "\"event\":\"loaded\",\"name\":\"hello\\u000a\","
				     "\"state\":\"live\",\"why\":\"loaded does not fit"));
	free(log.p);
	struct mlog_verify mv;
	ck_assert_int_eq(mlog_verify_file(logfile, &mv), 0);
	free(b.p);
}
END_TEST

START_TEST(test_compressed_file_is_logged)
{
	struct authority *a = open_auth(NULL);
	struct blob b = slurp(MODS "hello.ko");
	struct authority_request req = { .image = b.p, .len = b.len, .source = MV_MODSRC_FINIT_MODULE,
					 .flags = MV_MODULE_INIT_COMPRESSED_FILE, .path = "/x.ko.xz",
					 .file = (const uint8_t *)"abc", .file_len = 3 };
	struct authority_verdict v;
	char err[256];

	ck_assert_int_eq(authority_load(a, &req, &v, err, sizeof(err)), 0);
	ck_assert(v.allow);
	close_auth(a);
	struct blob log = slurp(logfile);
	log.p[log.len] = '\0';
	ck_assert_ptr_nonnull(strstr((char *)log.p, "\"file_size\":3,\"file_sha256\":"
				     "\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\""));
	free(log.p);
	free(b.p);
}
END_TEST

START_TEST(test_unwritable_log_stops_before_boot)
{
	struct policy p;
	struct authority *a;
	char err[512];

	policy_init(&p);
	policy_set(&p, "log", "/nonexistent-dir/run.log", err, sizeof(err));
	ck_assert_int_eq(authority_open(&a, &p, KERNEL, err, sizeof(err)), -ENOENT);
	ck_assert_ptr_null(a);
	ck_assert_ptr_nonnull(strstr(err, "cannot open the measurement log"));
	policy_init(&p);
	policy_set(&p, "log", "/dev/full", err, sizeof(err));
	ck_assert_int_eq(authority_open(&a, &p, KERNEL, err, sizeof(err)), -ENOSPC);
	policy_init(&p);
	policy_set(&p, "keyring", "/nonexistent/certs", err, sizeof(err));
	ck_assert_int_eq(authority_open(&a, &p, KERNEL, err, sizeof(err)), -ENOENT);
	policy_init(&p);
	policy_set(&p, "log", logfile, err, sizeof(err));
	ck_assert_int_eq(authority_open(&a, &p, "/etc/hostname", err, sizeof(err)), -ENOEXEC);
}
END_TEST

/* The log file as a string (the caller frees it). */
static char *log_text(void)
{
	struct blob log = slurp(logfile);

	log.p[log.len] = '\0';
	return (char *)log.p;
}

/* b gzip-compressed, as `gzip` writes a .ko.gz. */
static struct blob gzip_blob(struct blob b)
{
	struct blob z = { malloc(b.len + 4096), 0 };
	z_stream zs = { 0 };

	ck_assert_int_eq(deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = b.p;
	zs.avail_in = (uInt)b.len;
	zs.next_out = z.p;
	zs.avail_out = (uInt)(b.len + 4096);
	ck_assert_int_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
	z.len = zs.total_out;
	deflateEnd(&zs);
	return z;
}

/*
 * Issue 16: a load refused before .modinfo is read (signature, lists)
 * still logs the module's name, and the guest is sent Linux's line.
 */
START_TEST(test_refused_load_is_named)
{
	static const char *const enforce[] = { "sig_enforce", "1", NULL };
	struct authority *a = open_auth(enforce);
	struct blob b = variant(MODS "hello.ko", S_UNSIGNED), u = variant(MODS "hello.ko", S_BAD);
	struct authority_verdict v = verdict(a, b, 0), w = verdict(a, u, 0);
	char *log;

	ck_assert(!v.allow && v.err == ENOKEY && !w.allow);
	ck_assert_str_eq(v.name, "hello");
	ck_assert_str_eq(v.reason, "Loading of unsigned module is rejected");
	/* A bad signature: Linux fails without a line; the host's reason instead. */
	ck_assert_str_eq(w.reason, "bad signature, and signatures are enforced");
	ck_assert_str_eq(w.name, "hello");
	close_auth(a);
	log = log_text();
	ck_assert_ptr_nonnull(strstr(log, "\"name\":\"hello\",\"source\":\"finit_module\","
				     "\"path\":\"/lib/modules/x.ko\""));
	ck_assert_ptr_null(strstr(log, "\"name\":\"\""));
	free(log);
	free(b.p);
	free(u.p);
}
END_TEST

/*
 * Issue 16: busybox's first, raw finit_module of a .ko.gz under
 * --sig-enforce: the host names the module inside the gzip file and says
 * what happened, in the log and in the line the guest prints.
 */
START_TEST(test_raw_compressed_file_is_explained)
{
	static const char *const enforce[] = { "sig_enforce", "1", NULL };
	struct blob b = slurp(MODS "hello.ko"), z = gzip_blob(b);
	struct authority *a = open_auth(enforce);
	struct authority_verdict v = verdict(a, z, 0);
	char *log;

	ck_assert(!v.allow && v.err == ENOKEY);
	ck_assert_str_eq(v.name, "hello");
	ck_assert_str_eq(v.reason, "Loading of unsigned module is rejected (a gzip file, passed "
			 "without MODULE_INIT_COMPRESSED_FILE)");
	close_auth(a);
	log = log_text();
	ck_assert_ptr_nonnull(strstr(log, "\"name\":\"hello\""));
	ck_assert_ptr_nonnull(strstr(log, "the image is a gzip file, passed without "
				     "MODULE_INIT_COMPRESSED_FILE"));
	free(log);
	/* Without enforcement: Linux's ENOEXEC for a file that is no ELF, named too. */
	a = open_auth(NULL);
	v = verdict(a, z, 0);
	ck_assert(!v.allow && v.err == ENOEXEC);
	ck_assert_str_eq(v.name, "hello");
	ck_assert_ptr_nonnull(strstr(v.reason, "gzip file"));
	close_auth(a);
	free(b.p);
	free(z.p);
}
END_TEST

/* Issue 16: the parameter string reaches the log; errno_name only on errors. */
START_TEST(test_params_and_errno_name_logged)
{
	struct authority *a = open_auth(NULL);
	struct blob b = slurp(MODS "hello.ko");
	struct authority_request req = { .image = b.p, .len = b.len, .source = MV_MODSRC_INIT_MODULE,
					 .params = "count=7 who=\"x\"" };
	struct authority_verdict v;
	char err[256], *log;

	ck_assert_int_eq(authority_load(a, &req, &v, err, sizeof(err)), 0);
	ck_assert(v.allow);
	ck_assert_str_eq(v.reason, "");
	close_auth(a);
	log = log_text();
	ck_assert_ptr_nonnull(strstr(log, "\"params\":\"count=7 who=\\\"x\\\"\""));
	ck_assert_ptr_nonnull(strstr(log, "\"verdict\":\"allow\",\"errno\":0,\"taints\""));
	ck_assert_ptr_null(strstr(log, "errno_name"));
	free(log);
	free(b.p);
}
END_TEST

static Suite *authority_suite(void)
{
	Suite *s = suite_create("authority");
	TCase *tc = tcase_create("authority");

	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, keys, cleanup);
	tcase_add_test(tc, test_decision_table);
	tcase_add_test(tc, test_vermagic_and_versions);
	tcase_add_test(tc, test_taints_from_modinfo);
	tcase_add_test(tc, test_lists_and_disabled);
	tcase_add_test(tc, test_reencoded_signature_stays_denied);
	tcase_add_test(tc, test_log_has_content_digests);
	tcase_add_test(tc, test_hash_algorithms);
	tcase_add_test(tc, test_running_name);
	tcase_add_test(tc, test_short_and_oversized_images);
	tcase_add_test(tc, test_log_records_loads_and_events);
	tcase_add_test(tc, test_compressed_file_is_logged);
	tcase_add_test(tc, test_allowed_load_ids);
	tcase_add_test(tc, test_event_states);
	tcase_add_test(tc, test_seal_required);
	tcase_add_test(tc, test_unwritable_log_stops_before_boot);
	tcase_add_test(tc, test_refused_load_is_named);
	tcase_add_test(tc, test_raw_compressed_file_is_explained);
	tcase_add_test(tc, test_params_and_errno_name_logged);
	suite_add_tcase(s, tc);
	return s;
}

const struct unit_main unit_main = { .suite = authority_suite };

/* policy.c: parse and hold the host's module policy (INI file via inih, CLI flags). */
#include <errno.h>
#include <pwd.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ini.h>

#include <modvisor/errname.h>
#include "policy.h"

void policy_init(struct policy *p)
{
	memset(p, 0, sizeof(*p));
	p->digests = MEASURE_DEFAULT_SET;
	snprintf(p->log, sizeof(p->log), "modvisor.log");
	p->log_format = POLICY_LOG_JSONL;
	p->fsync = POLICY_FSYNC_ENTRY;
	p->enforce_errno = ENOKEY;
	p->protect = true;
	p->on_violation = POLICY_VIOLATION_STOP;
}

void policy_free(struct policy *p)
{
	free(p->allow.v);
	free(p->deny.v);
	p->allow = (struct policy_list){ 0 };
	p->deny = (struct policy_list){ 0 };
}

static int policy_bool(const char *v, bool *out)
{
	static const char *yes[] = { "1", "y", "yes", "true", "on" };
	static const char *no[] = { "0", "n", "no", "false", "off" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return *out = true, 0;
		if (strcasecmp(v, no[i]) == 0)
			return *out = false, 0;
	}
	return -EINVAL;
}

static int policy_path(const char *v, char *out, size_t size)
{
	if (v[0] == '\0')
		return -EINVAL;
	if (strlen(v) >= size)
		return -ENAMETOOLONG;
	strcpy(out, v);
	return 0;
}

/* Parse "algo:hex", or bare hex whose length names the algorithm. */
static int policy_digest_parse(const char *v, bool xxh3_ok, struct policy_digest *d,
			       const char **why)
{
	static const struct { const char *name; enum policy_digest_kind kind; size_t len; } kinds[] = {
		{ "sha256", POLICY_DIGEST_SHA256, 32 }, { "sha384", POLICY_DIGEST_SHA384, 48 },
		{ "sha512", POLICY_DIGEST_SHA512, 64 }, { "xxh3", POLICY_DIGEST_XXH3, 16 },
	};
	const char *colon = strchr(v, ':'), *hex = colon ? colon + 1 : v;
	size_t hexlen = strlen(hex);

	*why = "not a digest (want sha256:HEX, sha384:HEX, sha512:HEX or xxh3:HEX)";
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (colon ? (strncmp(v, kinds[i].name, (size_t)(colon - v)) != 0 ||
			     kinds[i].name[colon - v] != '\0')
			  : hexlen != 2 * kinds[i].len)
			continue;
		if (hexlen != 2 * kinds[i].len || measure_unhex(hex, d->bytes, kinds[i].len) < 0)
			return -EINVAL;
		if (kinds[i].kind == POLICY_DIGEST_XXH3 && !xxh3_ok) {
			*why = "XXH3 digests are not collision resistant; set xxh3_match = true first";
			return -EINVAL;
		}
		d->kind = kinds[i].kind;
		return 0;
	}
	return -EINVAL;
}

/* Append every space/comma-separated digest in v to list. */
static int policy_list_add(struct policy_list *list, const char *v, bool xxh3_ok,
			   char *err, size_t errlen, const char *key)
{
	char buf[1024], *save = NULL;
	const char *why;

	if (strlen(v) >= sizeof(buf))
		return snprintf(err, errlen, "%s: value too long", key), -EINVAL;
	strcpy(buf, v);
	for (char *t = strtok_r(buf, ", \t", &save); t; t = strtok_r(NULL, ", \t", &save)) {
		struct policy_digest d;
		if (policy_digest_parse(t, xxh3_ok, &d, &why) < 0)
			return snprintf(err, errlen, "%s: '%s': %s", key, t, why), -EINVAL;
		if (list->n == list->cap) {
			size_t cap = list->cap ? 2 * list->cap : 8;
			struct policy_digest *nv = realloc(list->v, cap * sizeof(*nv));
			if (!nv)
				return snprintf(err, errlen, "%s: out of memory", key), -ENOMEM;
			list->v = nv;
			list->cap = cap;
		}
		list->v[list->n++] = d;
	}
	return 0;
}

static int policy_enum(const char *v, const char *const names[], int n, int *out)
{
	for (int i = 0; i < n; i++)
		if (strcmp(v, names[i]) == 0)
			return *out = i, 0;
	return -EINVAL;
}

static const char *const policy_formats[] = { "jsonl", "ima-ascii", "ima-binary" };
static const char *const policy_fsyncs[] = { "per-entry", "close", "none" };
static const char *const policy_violations[] = { "stop", "log" };

/* Settings whose value is one word; returns 1 when key is not one of them. */
static int policy_set_scalar(struct policy *p, const char *key, const char *v, const char **want)
{
	int i;

	if (strcmp(key, "sig_enforce") == 0)
		return *want = "a boolean", policy_bool(v, &p->sig_enforce);
	if (strcmp(key, "force_load") == 0)
		return *want = "a boolean", policy_bool(v, &p->force_load);
	if (strcmp(key, "xxh3_match") == 0)
		return *want = "a boolean", policy_bool(v, &p->xxh3_match);
	if (strcmp(key, "modules_disabled") == 0)
		return *want = "a boolean", policy_bool(v, &p->modules_disabled);
	if (strcmp(key, "refuse_sha1") == 0)
		return *want = "a boolean", policy_bool(v, &p->refuse_sha1);
	if (strcmp(key, "protect") == 0)
		return *want = "a boolean (on or off)", policy_bool(v, &p->protect);
	if (strcmp(key, "kmod") == 0)
		return *want = "a boolean (on or off)", policy_bool(v, &p->kmod);
	if (strcmp(key, "require_seal") == 0)
		return *want = "a boolean (on or off)", policy_bool(v, &p->require_seal);
	if (strcmp(key, "kernel") == 0)
		return *want = "a file path", policy_path(v, p->kernel, sizeof(p->kernel));
	if (strcmp(key, "on_violation") == 0) {
		*want = "stop or log";
		return policy_enum(v, policy_violations, 2, &i) < 0 ? -EINVAL :
		       (p->on_violation = (enum policy_on_violation)i, 0);
	}
	if (strcmp(key, "keyring") == 0)
		return *want = "a file or directory", policy_path(v, p->keyring, sizeof(p->keyring));
	if (strcmp(key, "log") == 0)
		return *want = "a file path", policy_path(v, p->log, sizeof(p->log));
	if (strcmp(key, "digests") == 0)
		return *want = "sha256, sha384, sha512 (comma-separated) or none",
		       measure_set_parse(v, &p->digests);
	if (strcmp(key, "log_format") == 0) {
		*want = "jsonl, ima-ascii or ima-binary";
		return policy_enum(v, policy_formats, 3, &i) < 0 ? -EINVAL :
		       (p->log_format = (enum policy_log_format)i, 0);
	}
	if (strcmp(key, "fsync") == 0) {
		*want = "per-entry, close or none";
		return policy_enum(v, policy_fsyncs, 3, &i) < 0 ? -EINVAL :
		       (p->fsync = (enum policy_fsync)i, 0);
	}
	if (strcmp(key, "enforce_errno") == 0) {
		*want = "ENOKEY or EKEYREJECTED";
		if (strcmp(v, "ENOKEY") == 0)
			return p->enforce_errno = ENOKEY, 0;
		if (strcmp(v, "EKEYREJECTED") == 0)
			return p->enforce_errno = EKEYREJECTED, 0;
		return -EINVAL;
	}
	return 1;
}

/* allow_uids: comma-separated uids or user names, appended. */
static int policy_uids_add(struct policy *p, const char *value, char *err, size_t errlen)
{
	char *copy = strdup(value), *tok, *save = NULL;
	int ret = 0;

	if (!copy)
		return snprintf(err, errlen, "allow_uids: out of memory"), -ENOMEM;
	for (tok = strtok_r(copy, ", \t", &save); tok && ret == 0;
	     tok = strtok_r(NULL, ", \t", &save)) {
		char *end;
		unsigned long uid = strtoul(tok, &end, 10);
		struct passwd *pw = NULL;

		if (*end || tok[0] == '-' || uid > UINT32_MAX - 1) {
			pw = getpwnam(tok);
			if (!pw) {
				snprintf(err, errlen, "allow_uids: '%s' is neither a uid nor a user", tok);
				ret = -EINVAL;
				break;
			}
			uid = pw->pw_uid;
		}
		if (p->n_allow_uids == POLICY_UIDS_MAX) {
			snprintf(err, errlen, "allow_uids: more than %d uids", POLICY_UIDS_MAX);
			ret = -EINVAL;
			break;
		}
		p->allow_uids[p->n_allow_uids++] = (uint32_t)uid;
	}
	free(copy);
	return ret;
}

int policy_set(struct policy *p, const char *key, const char *value, char *err, size_t errlen)
{
	const char *want = "";
	int ret;

	if (strcmp(key, "allow_uids") == 0)
		return policy_uids_add(p, value, err, errlen);
	if (strcmp(key, "allow") == 0)
		return policy_list_add(&p->allow, value, p->xxh3_match, err, errlen, key);
	if (strcmp(key, "deny") == 0)
		return policy_list_add(&p->deny, value, p->xxh3_match, err, errlen, key);
	ret = policy_set_scalar(p, key, value, &want);
	if (ret == 1) {
		snprintf(err, errlen, "unknown key '%s'", key);
		return -EINVAL;
	}
	if (ret == -ENAMETOOLONG)
		snprintf(err, errlen, "%s: a path of %zu bytes is too long (at most %d: PATH_MAX)",
			 key, strlen(value), PATH_MAX - 1);
	else if (ret < 0)
		snprintf(err, errlen, "%s: '%s' is not %s", key, value, want);
	return ret < 0 ? -EINVAL : 0;
}

struct policy_ini {
	struct policy *p;
	const char *path;       /* the INI file: relative paths in it are relative to its directory */
	FILE *f;
	char *line;             /* getline's buffer */
	size_t cap;
	int lineno;             /* the line inih is looking at */
	int err_line;           /* the first error's line, or 0 */
	int read_errno;         /* getline's errno when it failed on a read error */
	char err[512];
};

static void policy_ini_fail(struct policy_ini *ctx, const char *msg)
{
	if (ctx->err_line == 0) {
		ctx->err_line = ctx->lineno;
		snprintf(ctx->err, sizeof(ctx->err), "%s", msg);
	}
}

/* inih's reader: one whole line at a time, so we know its number. */
static char *policy_ini_reader(char *str, int num, void *stream)
{
	struct policy_ini *ctx = stream;
	ssize_t n = getline(&ctx->line, &ctx->cap, ctx->f);

	if (n < 0) {
		ctx->read_errno = ferror(ctx->f) ? errno : 0;
		return NULL;
	}
	ctx->lineno++;
	if (n > num - 1) {
		policy_ini_fail(ctx, "line too long (split a list over several lines)");
		strcpy(str, "\n");
		return str;
	}
	memcpy(str, ctx->line, (size_t)n + 1);
	return str;
}

/* inih calls this per key. */
static int policy_ini_handler(void *user, const char *section, const char *key, const char *value)
{
	struct policy_ini *ctx = user;
	char msg[400];

	char joined[PATH_MAX];
	const char *slash = strrchr(ctx->path, '/');

	/* keyring = certs/ in /etc/modvisor/enforce.ini means /etc/modvisor/certs/. */
	if ((strcmp(key, "keyring") == 0 || strcmp(key, "log") == 0 ||
	     strcmp(key, "kernel") == 0) && value[0] &&
	    value[0] != '/' && slash &&
	    snprintf(joined, sizeof(joined), "%.*s/%s", (int)(slash - ctx->path), ctx->path,
		     value) < (int)sizeof(joined))
		value = joined;
	if (section[0] != '\0' && strcmp(section, "policy") != 0) {
		snprintf(msg, sizeof(msg), "unknown section [%s] (keys go at the top or under [policy])",
			 section);
	} else if (policy_set(ctx->p, key, value, msg, sizeof(msg)) == 0) {
		return 1;
	}
	policy_ini_fail(ctx, msg);
	return 0;
}

/*
 * policy_open(path, f, err, errlen): open a policy file, which must be a
 * regular file: a directory reads as nothing, and an empty policy would
 * fail open.  0, or -errno with "path: reason".
 */
static int policy_open(const char *path, FILE **f, char *err, size_t errlen)
{
	struct stat st;
	int e = 0;

	*f = fopen(path, "re");
	if (!*f || fstat(fileno(*f), &st) < 0)
		e = errno;
	else if (S_ISDIR(st.st_mode))
		e = EISDIR;
	else if (!S_ISREG(st.st_mode))
		e = EINVAL;
	if (e == 0)
		return 0;
	snprintf(err, errlen, "%s: %s", path, e == EINVAL ? "not a regular file" : strerror(e));
	if (*f)
		fclose(*f);
	*f = NULL;
	return -e;
}

int policy_load(struct policy *p, const char *path, char *err, size_t errlen)
{
	struct policy_ini ctx = { .p = p, .path = path };
	int line, rerr = policy_open(path, &ctx.f, err, errlen);

	if (rerr < 0)
		return rerr;
	line = ini_parse_stream(policy_ini_reader, &ctx, policy_ini_handler, &ctx);
	rerr = ferror(ctx.f) ? (ctx.read_errno ? ctx.read_errno : EIO) : 0;
	fclose(ctx.f);
	free(ctx.line);
	if (rerr) {
		/* A read error is never the end of the file. */
		snprintf(err, errlen, "%s: read error: %s", path, strerror(rerr));
		return -rerr;
	}
	if (line == 0 && ctx.err_line == 0)
		return 0;
	if (line < 0)
		snprintf(err, errlen, "%s: cannot parse (inih error %d)", path, line);
	else if (ctx.err_line != 0 && (line == 0 || ctx.err_line <= line))
		snprintf(err, errlen, "%s:%d: %s", path, ctx.err_line, ctx.err);
	else
		snprintf(err, errlen, "%s:%d: syntax error (want key = value or [section])", path, line);
	return -EINVAL;
}

/* Read "--key-name[=value]" into key (with '_') and value; NULL value if none. */
static int policy_cli_split(const char *arg, char *key, size_t keylen, const char **value)
{
	const char *eq;
	size_t n;

	if (strncmp(arg, "--", 2) != 0)
		return -1;
	arg += 2;
	eq = strchr(arg, '=');
	n = eq ? (size_t)(eq - arg) : strlen(arg);
	if (n == 0 || n >= keylen)
		return -1;
	for (size_t i = 0; i < n; i++)
		key[i] = arg[i] == '-' ? '_' : arg[i];
	key[n] = '\0';
	*value = eq ? eq + 1 : NULL;
	return 0;
}

static bool policy_is_bool_key(const char *key)
{
	return strcmp(key, "sig_enforce") == 0 || strcmp(key, "force_load") == 0 ||
	       strcmp(key, "xxh3_match") == 0 || strcmp(key, "modules_disabled") == 0 ||
	       strcmp(key, "refuse_sha1") == 0 || strcmp(key, "protect") == 0;
}

static bool policy_is_key(const char *key)
{
	static const char *const keys[] = {
		"sig_enforce", "keyring", "force_load", "digests", "xxh3_match", "log",
		"log_format", "fsync", "allow", "deny", "modules_disabled", "enforce_errno",
		"refuse_sha1", "protect", "on_violation",
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(key, keys[i]) == 0)
			return true;
	return false;
}

int policy_cli_option(struct policy *p, int argc, char **argv, int *used,
		      char *err, size_t errlen)
{
	char key[64], msg[400];
	const char *value;

	*used = 0;
	if (argc < 1 || policy_cli_split(argv[0], key, sizeof(key), &value) < 0)
		return 0;
	if (strcmp(key, "policy") != 0 && !policy_is_key(key))
		return 0;
	*used = 1;
	if (!value) {
		if (policy_is_bool_key(key)) {
			value = "true";
		} else if (argc >= 2) {
			value = argv[1];
			*used = 2;
		} else {
			snprintf(err, errlen, "%s needs a value", argv[0]);
			return -EINVAL;
		}
	}
	if (strcmp(key, "policy") == 0) {
		char why[PATH_MAX + 512];
		if (policy_load(p, value, why, sizeof(why)) == 0)
			return 1;
		snprintf(err, errlen, "--policy %s", why);
		return -EINVAL;
	}
	if (policy_set(p, key, value, msg, sizeof(msg)) < 0) {
		snprintf(err, errlen, "--%.60s: %s", argv[0] + 2, msg);
		return -EINVAL;
	}
	return 1;
}

const char policy_cli_help[] = POLICY_CLI_HELP;

/* Does d name m? */
static bool policy_digest_matches(const struct policy_digest *d, const struct measurement *m)
{
	if (d->kind == POLICY_DIGEST_XXH3)
		return memcmp(d->bytes, m->xxh3, MEASURE_XXH3_LEN) == 0;
	return (m->set & (1u << d->kind)) &&
	       memcmp(d->bytes, m->digest[d->kind], measure_algo_len((enum measure_algo)d->kind)) == 0;
}

enum policy_match policy_lookup(const struct policy_list *list, const struct measurement *image,
				const struct measurement *content)
{
	for (size_t i = 0; i < list->n; i++) {
		if (policy_digest_matches(&list->v[i], image))
			return POLICY_MATCH_IMAGE;
		if (content && policy_digest_matches(&list->v[i], content))
			return POLICY_MATCH_CONTENT;
	}
	return POLICY_MATCH_NONE;
}

measure_set policy_measure_set(const struct policy *p)
{
	measure_set set = p->digests;
	const struct policy_list *lists[] = { &p->allow, &p->deny };

	for (int l = 0; l < 2; l++)
		for (size_t i = 0; i < lists[l]->n; i++)
			if (lists[l]->v[i].kind != POLICY_DIGEST_XXH3)
				set |= 1u << lists[l]->v[i].kind;
	return set;
}

const char *policy_errno_name(int e)
{
	const char *name = e ? mv_errno_name(e) : "0";

	return name ? name : "E?";
}

/* mlog_read.c: replay and print a measurement log (JSON Lines, IMA ascii or binary). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/sha.h>

#include "measure.h"
#include "mlog.h"
#include "mlog_fmt.h"

/* The chain suffix every JSON entry ends with: ,"agg":"<64 hex>"}\n */
#define MLOG_AGG_KEY      ",\"agg\":\""
#define MLOG_AGG_SUFFIX   (sizeof(MLOG_AGG_KEY) - 1 + 2 * MLOG_AGG_LEN + 2)

enum mlog_fmt { MLOG_FMT_JSONL, MLOG_FMT_ASCII, MLOG_FMT_BINARY };

static enum mlog_fmt mlog_detect(const char *p, size_t len)
{
	if (len >= 4 && memcmp(p, "\x0a\0\0\0", 4) == 0)
		return MLOG_FMT_BINARY;
	if (len >= 3 && memcmp(p, "10 ", 3) == 0)
		return MLOG_FMT_ASCII;
	return MLOG_FMT_JSONL;
}

static int mlog_bad(struct mlog_verify *v, uint64_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int mlog_bad(struct mlog_verify *v, uint64_t line, const char *fmt, ...)
{
	va_list ap;

	v->bad_entry = v->entries;
	v->bad_line = line;
	va_start(ap, fmt);
	vsnprintf(v->why, sizeof(v->why), fmt, ap);
	va_end(ap);
	return -EBADMSG;
}

/* The runs a JSON Lines log holds: which have started, which have ended. */
struct mlog_runs {
	struct mlog_run { char id[40]; bool ended; uint64_t last; } *v;
	size_t n;
	uint64_t last_entry_run;        /* index in v of the file's last entry's run */
};

static struct mlog_run *mlog_run_find(struct mlog_runs *r, const char *id)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->v[i].id, id) == 0)
			return &r->v[i];
	return NULL;
}

/*
 * Each run's entries: a start first, an end last, nothing after its end.
 * Entries of overlapping runs may interleave (a shared log).
 */
static int mlog_check_run(struct mlog_verify *v, struct mlog_runs *r, const char *type,
			  const char *id, uint64_t lineno)
{
	struct mlog_run *run = mlog_run_find(r, id);

	if (strcmp(type, "start") == 0) {
		if (run)
			return mlog_bad(v, lineno, "entry %llu (line %llu) starts run %s again: "
					"inserted or replayed", (unsigned long long)v->entries,
					(unsigned long long)lineno, id);
		struct mlog_run *nv = realloc(r->v, (r->n + 1) * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		r->v = nv;
		run = &r->v[r->n++];
		snprintf(run->id, sizeof(run->id), "%s", id);
		run->ended = false;
	} else if (!run) {
		return mlog_bad(v, lineno, "entry %llu (line %llu) belongs to run %s, which has no "
				"start entry: appended or forged", (unsigned long long)v->entries,
				(unsigned long long)lineno, id);
	} else if (run->ended) {
		return mlog_bad(v, lineno, "entry %llu (line %llu) follows the end entry of its run "
				"%s: appended after the run", (unsigned long long)v->entries,
				(unsigned long long)lineno, id);
	}
	run->ended = strcmp(type, "end") == 0;
	run->last = v->entries;
	r->last_entry_run = (uint64_t)(run - r->v);
	return 0;
}

/* Check one JSON Lines entry (without its newline) against the running chain. */
static int mlog_verify_json_line(struct mlog_verify *v, struct mlog_runs *runs, const char *p,
				 size_t len, uint64_t lineno)
{
	char seq[32], prev[160], agg[160], type[16], run[40];
	uint8_t want[MLOG_AGG_LEN], got[MLOG_AGG_LEN];
	char hex[2 * MLOG_AGG_LEN + 1];
	int ret;

	if (mlog_json_field(p, len, "seq", seq, sizeof(seq)) != 1 ||
	    mlog_json_field(p, len, "type", type, sizeof(type)) != 1 ||
	    mlog_json_field(p, len, "run", run, sizeof(run)) != 1 ||
	    mlog_json_field(p, len, "prev", prev, sizeof(prev)) != 1 ||
	    mlog_json_field(p, len, "agg", agg, sizeof(agg)) != 1 || len < MLOG_AGG_SUFFIX ||
	    memcmp(p + len - MLOG_AGG_SUFFIX, MLOG_AGG_KEY, sizeof(MLOG_AGG_KEY) - 1) != 0)
		return mlog_bad(v, lineno, "entry %llu (line %llu) is not a log entry "
				"(altered or cut)", (unsigned long long)v->entries,
				(unsigned long long)lineno);
	if (strtoull(seq, NULL, 10) != v->entries || seq[0] < '0' || seq[0] > '9')
		return mlog_bad(v, lineno, "entry %llu (line %llu) has seq %s: entries reordered, "
				"removed or inserted", (unsigned long long)v->entries,
				(unsigned long long)lineno, seq);
	measure_hex(v->agg, MLOG_AGG_LEN, hex);
	if (strcmp(prev, hex) != 0)
		return mlog_bad(v, lineno, "entry %llu (line %llu) does not continue the chain "
				"(prev differs): entries reordered, removed or inserted",
				(unsigned long long)v->entries, (unsigned long long)lineno);
	mlog_chain_extend(v->agg, p, len - MLOG_AGG_SUFFIX, got);
	if (measure_unhex(agg, want, MLOG_AGG_LEN) < 0 || memcmp(want, got, MLOG_AGG_LEN) != 0)
		return mlog_bad(v, lineno, "entry %llu (line %llu) was altered (its hash does not "
				"give its agg)", (unsigned long long)v->entries,
				(unsigned long long)lineno);
	ret = mlog_check_run(v, runs, type, run, lineno);
	if (ret < 0)
		return ret;
	memcpy(v->agg, got, MLOG_AGG_LEN);
	v->entries++;
	return 0;
}

/*
 * At the end of the file: a run without its end entry is a run that was
 * killed (if later entries follow it, a note) or, when it wrote the file's
 * last entry, a cut tail, a run still going or a crash.
 */
static int mlog_check_ends(struct mlog_verify *v, struct mlog_runs *r, uint64_t lineno)
{
	struct mlog_run *last = r->n ? &r->v[r->last_entry_run] : NULL;

	for (size_t i = 0; i < r->n; i++)
		if (!r->v[i].ended && &r->v[i] != last)
			v->killed++;
	v->ended = !last || last->ended;
	if (v->ended)
		return 0;
	v->unended = true;
	return mlog_bad(v, lineno, "the log stops after entry %llu without an end entry for its "
			"run %s: cut (or the VM was killed)", (unsigned long long)v->entries - 1,
			last->id);
}

/*
 * A final line without its newline is the next entry cut short by a crash
 * (power lost, a write cut at a page boundary) when it starts the way that
 * entry must: {"seq":N, with N the count so far.  Anything else is tampering.
 */
static bool mlog_json_torn(const struct mlog_verify *v, const char *p, size_t len)
{
	char want[48];
	size_t n = (size_t)snprintf(want, sizeof(want), "{\"seq\":%llu,",
				    (unsigned long long)v->entries);

	return memcmp(p, want, len < n ? len : n) == 0;
}

static int mlog_verify_jsonl(struct mlog_verify *v, const char *p, size_t len)
{
	struct mlog_runs runs = { 0 };
	uint64_t lineno = 1;
	int ret = 0;

	for (size_t off = 0; off < len && ret == 0; lineno++) {
		const char *nl = memchr(p + off, '\n', len - off);
		if (!nl && mlog_json_torn(v, p + off, len - off)) {
			v->torn = true;
			ret = mlog_bad(v, lineno, "truncated final entry (crash?): entry %llu "
				       "(line %llu) is cut: no newline", (unsigned long long)v->entries,
				       (unsigned long long)lineno);
		} else if (!nl) {
			ret = mlog_bad(v, lineno, "entry %llu (line %llu) is cut: no newline at the "
				       "end of the file", (unsigned long long)v->entries,
				       (unsigned long long)lineno);
		} else {
			ret = mlog_verify_json_line(v, &runs, p + off, (size_t)(nl - (p + off)), lineno);
			off = (size_t)(nl - p) + 1;
		}
	}
	if (ret == 0)
		ret = mlog_check_ends(v, &runs, lineno);
	free(runs.v);
	return ret;
}

/* Check an IMA entry's template hash against its data and extend the PCR. */
static int mlog_ima_check(struct mlog_verify *v, uint64_t where, const uint8_t sha1[20],
			  const uint8_t sha256[32], const char *name)
{
	struct mlog_buf td = { 0 };
	uint8_t got[20];

	mlog_ima_template(&td, sha256, name);
	if (td.oom)
		return free(td.p), -ENOMEM;
	SHA1((const uint8_t *)td.p, td.len, got);
	if (memcmp(got, sha1, sizeof(got)) != 0) {
		free(td.p);
		return mlog_bad(v, where, "entry %llu (at %llu) was altered: its template hash "
				"does not match its data", (unsigned long long)v->entries,
				(unsigned long long)where);
	}
	mlog_ima_extend(v->agg, &td, v->agg);
	free(td.p);
	v->entries++;
	return 0;
}

/* One ascii_runtime_measurements line: "10 SHA1 ima-ng sha256:HEX NAME". */
static int mlog_verify_ascii_line(struct mlog_verify *v, char *line, uint64_t lineno)
{
	char *sha1hex, *tmpl, *dig, *name, *save = NULL;
	uint8_t sha1[20], sha256[32];

	if (strcmp(strtok_r(line, " ", &save) ? line : "", "10") != 0 ||
	    !(sha1hex = strtok_r(NULL, " ", &save)) || !(tmpl = strtok_r(NULL, " ", &save)) ||
	    !(dig = strtok_r(NULL, " ", &save)) || !(name = strtok_r(NULL, "", &save)) ||
	    strcmp(tmpl, "ima-ng") != 0 || strncmp(dig, "sha256:", 7) != 0 ||
	    measure_unhex(sha1hex, sha1, 20) < 0 || measure_unhex(dig + 7, sha256, 32) < 0)
		return mlog_bad(v, lineno, "entry %llu (line %llu) is not an ima-ng sha256 entry",
				(unsigned long long)v->entries, (unsigned long long)lineno);
	return mlog_ima_check(v, lineno, sha1, sha256, name);
}

static int mlog_verify_ascii(struct mlog_verify *v, const char *p, size_t len)
{
	uint64_t lineno = 1;

	for (size_t off = 0; off < len; lineno++) {
		const char *nl = memchr(p + off, '\n', len - off);
		if (!nl)
			return mlog_bad(v, lineno, "entry %llu (line %llu) is cut: no newline",
					(unsigned long long)v->entries, (unsigned long long)lineno);
		char *line = strndup(p + off, (size_t)(nl - (p + off)));
		if (!line)
			return -ENOMEM;
		int ret = mlog_verify_ascii_line(v, line, lineno);
		free(line);
		if (ret < 0)
			return ret;
		off = (size_t)(nl - p) + 1;
	}
	return 0;
}

static uint32_t mlog_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Split ima-ng template data into its digest and name; 0 or -1. */
static int mlog_ima_split(const uint8_t *td, uint32_t tdlen, const uint8_t **sha256,
			  const char **name)
{
	uint32_t dlen, nlen;

	if (tdlen < 4 + 40 + 4 || (dlen = mlog_le32(td)) != 40 ||
	    memcmp(td + 4, "sha256:\0", 8) != 0)
		return -1;
	nlen = mlog_le32(td + 44);
	if (nlen == 0 || nlen != tdlen - 48 || memchr(td + 48, '\0', nlen) != td + 48 + nlen - 1)
		return -1;
	*sha256 = td + 12;
	*name = (const char *)td + 48;
	return 0;
}

/* Walk binary_runtime_measurements records; fn (if any) sees each entry. */
static int mlog_walk_binary(struct mlog_verify *v, const uint8_t *p, size_t len, FILE *show)
{
	for (size_t off = 0; off < len;) {
		const uint8_t *sha256;
		const char *name;
		uint32_t tdlen;

		if (len - off < 4 + 20 + 4 + 6 + 4 || mlog_le32(p + off) != MLOG_IMA_PCR ||
		    mlog_le32(p + off + 24) != 6 || memcmp(p + off + 28, "ima-ng", 6) != 0)
			return mlog_bad(v, off, "entry %llu (at byte %zu) is cut or not an ima-ng "
					"PCR 10 record", (unsigned long long)v->entries, off);
		tdlen = mlog_le32(p + off + 34);
		if (len - off - 38 < tdlen || mlog_ima_split(p + off + 38, tdlen, &sha256, &name) < 0)
			return mlog_bad(v, off, "entry %llu (at byte %zu) has cut or malformed template "
					"data", (unsigned long long)v->entries, off);
		if (show) {
			char hex[65];
			measure_hex(sha256, 32, hex);
			fprintf(show, "%5llu  sha256:%s  %s\n", (unsigned long long)v->entries, hex, name);
		}
		int ret = mlog_ima_check(v, off, p + off + 4, sha256, name);
		if (ret < 0)
			return ret;
		off += 38 + (size_t)tdlen;
	}
	return 0;
}

int mlog_verify_file(const char *path, struct mlog_verify *out)
{
	void *buf;
	size_t len;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = measure_map_file(path, &buf, &len);
	if (ret < 0)
		return ret;
	switch (mlog_detect(buf, len)) {
	case MLOG_FMT_BINARY:
		ret = mlog_walk_binary(out, buf, len, NULL);
		break;
	case MLOG_FMT_ASCII:
		ret = mlog_verify_ascii(out, buf, len);
		break;
	default:
		ret = mlog_verify_jsonl(out, buf, len);
		break;
	}
	measure_unmap_file(buf, len);
	return ret;
}

/*
 * One table row of a JSON entry; values are printed still escaped.  An
 * entry of a daemon's log names its VM after the time ("[g1]"); with only
 * set, only that VM's entries are shown.
 */
static void mlog_show_json_line(FILE *f, const char *p, size_t len, const char *only)
{
	static const char *const keys[] = {
		"seq", "time", "type", "load_id", "name", "source", "verdict", "errno_name",
		"sig", "signer", "taints", "event", "init_ret", "why", "fault", "state",
		"gpa", "target", "rip", "where", "action", "errno", "vm", "what",
		"part", "result", "text_xxh3", "text_sha256", "len",
	};
	char v[sizeof(keys) / sizeof(keys[0])][256], time[300];

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (mlog_json_field(p, len, keys[i], v[i], sizeof(v[i])) != 1)
			snprintf(v[i], sizeof(v[i]), "-");
	if (only && strcmp(v[22], only) != 0)
		return;
	if (strcmp(v[22], "-") != 0) {
		snprintf(time, sizeof(time), "%.64s [%.64s]", v[1], v[22]);
		snprintf(v[1], sizeof(v[1]), "%.255s", time);
	}
	/* Since log_version 3 errno_name is absent when errno is 0 (older logs say "0"). */
	if (strcmp(v[7], "-") == 0)
		snprintf(v[7], sizeof(v[7]), "%s", v[21]);
	if (strcmp(v[2], "load") == 0)
		fprintf(f, "%5s %s load  #%-3s %-20s %-12s %-5s %-12s sig=%s%s%s taints=%s  %s\n",
			v[0], v[1], v[3], v[4], v[5], v[6], v[7], v[8],
			strcmp(v[9], "-") ? " signer=" : "", strcmp(v[9], "-") ? v[9] : "",
			v[10][0] ? v[10] : "-", v[13]);
	else if (strcmp(v[2], "event") == 0)
		fprintf(f, "%5s %s event #%-3s %-20s %-12s errno=%s init_ret=%s taints=%s%s%s\n",
			v[0], v[1], v[3], v[4], v[11], v[7], v[12], v[10][0] ? v[10] : "-",
			strcmp(v[14], "-") ? "  fault: " : "", strcmp(v[14], "-") ? v[14] : "");
	else if (strcmp(v[2], "violation") == 0)
		fprintf(f, "%5s %s VIOLATION gpa=%s %s rip=%s %s: %s\n", v[0], v[1], v[16], v[17],
			v[18], v[19], v[20]);
	else if (strcmp(v[2], "seal") == 0 || strcmp(v[2], "unseal") == 0)
		fprintf(f, "%5s %s %-6s #%-3s %-20s %-13s %-7s %-12s gpa=%s len=%s%s%s%s%s  %s\n",
			v[0], v[1], v[2], v[3], v[4], v[24], v[25], v[7], v[16], v[28],
			strcmp(v[26], "-") ? "  text xxh3=" : "", strcmp(v[26], "-") ? v[26] : "",
			strcmp(v[27], "-") ? " sha256=" : "", strcmp(v[27], "-") ? v[27] : "", v[13]);
	else if (strcmp(v[2], "refused") == 0)
		fprintf(f, "%5s %s REFUSED #%-3s %-20s %-12s state=%s  %s\n",
			v[0], v[1], v[3], v[4], v[11], v[15], v[13]);
	else if (strcmp(v[2], "vm") == 0)
		fprintf(f, "%5s %s vm %s%s%s\n", v[0], v[1], v[23], strcmp(v[13], "-") ? ": " : "",
			strcmp(v[13], "-") ? v[13] : "");
	else if (strcmp(v[2], "torn") == 0)
		fprintf(f, "%5s %s TORN %s\n", v[0], v[1], v[13]);
	else
		fprintf(f, "%5s %s %s\n", v[0], v[1], v[2]);
}

int mlog_show_file(const char *path, FILE *f)
{
	return mlog_show_file_vm(path, f, NULL);
}

int mlog_show_file_vm(const char *path, FILE *f, const char *vm)
{
	struct mlog_verify v;
	const char *p;
	void *buf;
	size_t len;
	int ret = measure_map_file(path, &buf, &len);

	if (ret < 0)
		return ret;
	p = buf;
	memset(&v, 0, sizeof(v));
	if (mlog_detect(p, len) == MLOG_FMT_BINARY) {
		ret = mlog_walk_binary(&v, buf, len, f);
		if (ret == -EBADMSG)
			fprintf(f, "(stopped: %s)\n", v.why);
		ret = ret == -EBADMSG ? 0 : ret;
	} else {
		bool json = mlog_detect(p, len) == MLOG_FMT_JSONL;
		for (size_t off = 0; off < len;) {
			const char *nl = memchr(p + off, '\n', len - off);
			size_t n = nl ? (size_t)(nl - (p + off)) : len - off;
			if (json)
				mlog_show_json_line(f, p + off, n, vm);
			else if (vm)
				;       /* an IMA list names no VM */
			else
				fprintf(f, "%.*s\n", (int)n, p + off);
			off += n + 1;
		}
	}
	measure_unmap_file(buf, len);
	return ret;
}

/* mlog.c: write the measurement log (JSON Lines or IMA formats), hash-chained and fsync'ed. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <openssl/sha.h>

#include <modvisor/abi/hypercall.h>
#include <modvisor/abi/module.h>
#include <modvisor/version.h>
#include "emuhost/hostlock.h"
#include "load_state.h"
#include "mlog.h"
#include "mlog_fmt.h"

/*
 * A JSON Lines log in a regular file may be shared by runs that overlap:
 * each append takes the file lock, reads the last entry's seq and agg from
 * the file's tail and chains onto it, so entries of concurrent runs
 * interleave in one chain; "run" says which run wrote each.
 *
 * On 9p (inside the emulated KVM host) flock locks nothing across QEMU
 * instances, so there the lock is also taken on the real host, through
 * the emulated host's control channel (emuhost/hostlock.h); a log on 9p
 * without that channel is refused rather than shared unlocked.
 */
struct mlog {
	int fd;
	enum policy_log_format format;
	bool shared;                    /* lock and read the tail per append */
	bool fsync;                     /* fsync after each entry */
	bool fsync_close;               /* fsync at close */
	uint64_t seq;                   /* index of the next entry */
	uint8_t agg[MLOG_AGG_LEN];
	uint64_t run_entries;           /* entries this run wrote */
	bool ended;                     /* the end entry is written */
	char run[2 * 8 + 1];            /* this run's id, random hex */
	char *path;                     /* as given (any length up to PATH_MAX) */
	int hostlock;                   /* the real-host lock's connection, or -1 */
	int rfd;                        /* a shared log read back (its tail), or -1 */
	char *abspath;                  /* the path the real host locks */
	/*
	 * Group commit (mlog_open_shared_writer()): mu serializes the chain;
	 * an entry is written under it, then its writer waits until an fsync
	 * that began after the write has completed, running that fsync itself
	 * when none is under way (with mu released, so others write meanwhile).
	 */
	pthread_mutex_t mu;
	pthread_cond_t synced;
	bool group;
	bool syncing;                   /* an fsync is under way */
	int sync_err;                   /* an fsync failed: no later entry is durable */
	uint64_t written;               /* entries this process wrote */
	uint64_t durable;               /* of those, how many an fsync covered */
	uint64_t fsyncs;
};

void mlog_taint_string(uint32_t taints, char out[8])
{
	static const struct { int bit; char c; } letters[] = {
		{ MV_TAINT_PROPRIETARY_MODULE, 'P' }, { MV_TAINT_FORCED_MODULE, 'F' },
		{ MV_TAINT_OOT_MODULE, 'O' }, { MV_TAINT_UNSIGNED_MODULE, 'E' },
	};
	int n = 0;

	for (size_t i = 0; i < sizeof(letters) / sizeof(letters[0]); i++)
		if (taints & (1u << letters[i].bit))
			out[n++] = letters[i].c;
	out[n] = '\0';
}

uint64_t mlog_aggregate(struct mlog *l, uint8_t out[MLOG_AGG_LEN])
{
	uint64_t n;

	pthread_mutex_lock(&l->mu);
	memcpy(out, l->agg, MLOG_AGG_LEN);
	n = l->seq;
	pthread_mutex_unlock(&l->mu);
	return n;
}

void mlog_stats(struct mlog *l, uint64_t *entries, uint64_t *fsyncs)
{
	pthread_mutex_lock(&l->mu);
	*entries = l->written;
	*fsyncs = l->fsyncs;
	pthread_mutex_unlock(&l->mu);
}

/*
 * mlog_group_wait(l, mine, err, errlen): with l->mu held, wait until entry
 * number mine (of this process's) is durable; fsync on behalf of everyone
 * written so far when no fsync is under way.  0 or -errno.
 */
static int mlog_group_wait(struct mlog *l, uint64_t mine, char *err, size_t errlen)
{
	while (l->durable < mine && !l->sync_err) {
		uint64_t target = l->written;
		int e;

		if (l->syncing) {
			pthread_cond_wait(&l->synced, &l->mu);
			continue;
		}
		l->syncing = true;
		pthread_mutex_unlock(&l->mu);
		e = fsync(l->fd) < 0 ? errno : 0;
		pthread_mutex_lock(&l->mu);
		l->syncing = false;
		l->fsyncs++;
		if (e)
			l->sync_err = e;
		else
			l->durable = target;
		pthread_cond_broadcast(&l->synced);
	}
	if (l->durable >= mine)
		return 0;
	snprintf(err, errlen, "%s: fsync failed: %s (no later entry is acknowledged)", l->path,
		 strerror(l->sync_err));
	return -l->sync_err;
}

/*
 * mlog_seal_torn(l, path, v, torn, tornlen, err, errlen): a final entry cut
 * short by a crash: move the fragment to PATH.torn-SEQ (never overwriting
 * one), cut the file back to its last whole entry and say what was done.
 * 0 or -errno.
 */
static int mlog_seal_torn(struct mlog *l, const char *path, const struct mlog_verify *v,
			  char *torn, size_t tornlen, char *err, size_t errlen)
{
	char buf[65536], save[PATH_MAX + 32], hex[65];
	uint8_t sha[32];
	struct stat st;
	size_t n, keep;
	int fd, e;

	if (fstat(l->fd, &st) < 0)
		return e = errno, snprintf(err, errlen, "%s: %s", path, strerror(e)), -e;
	n = st.st_size < (off_t)sizeof(buf) ? (size_t)st.st_size : sizeof(buf);
	if (pread(l->rfd >= 0 ? l->rfd : l->fd, buf, n, st.st_size - (off_t)n) != (ssize_t)n)
		return snprintf(err, errlen, "%s: cannot read the torn tail", path), -EIO;
	for (keep = n; keep > 0 && buf[keep - 1] != '\n'; keep--)
		;
	if (keep == 0 && n < (size_t)st.st_size)
		return snprintf(err, errlen, "%s: the torn final entry is longer than %zu bytes",
				path, sizeof(buf)), -EINVAL;
	snprintf(save, sizeof(save), "%s.torn-%llu", path, (unsigned long long)v->entries);
	fd = open(save, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, buf + keep, n - keep) != (ssize_t)(n - keep) || fsync(fd) < 0) {
		e = errno;
		if (fd >= 0)
			close(fd);
		return snprintf(err, errlen, "%s: cannot save the torn final entry: %s", save,
				strerror(e)), -e;
	}
	close(fd);
	if (ftruncate(l->fd, st.st_size - (off_t)(n - keep)) < 0 || fsync(l->fd) < 0)
		return e = errno, snprintf(err, errlen, "%s: cannot cut the torn final entry: %s",
					   path, strerror(e)), -e;
	SHA256((const uint8_t *)buf + keep, n - keep, sha);
	measure_hex(sha, 32, hex);
	snprintf(torn, tornlen, "entry %llu was torn by a crash: its %zu bytes (sha256 %s) were "
		 "cut off and saved to %s", (unsigned long long)v->entries, n - keep, hex, save);
	return 0;
}

/*
 * Continue the chain of an existing JSON Lines log, or refuse an IMA one.
 * With torn (a shared writer), a torn final entry is sealed first.
 */
static int mlog_resume(struct mlog *l, const char *path, char *torn, size_t tornlen,
		       char *err, size_t errlen)
{
	struct stat st;
	struct mlog_verify v;
	int ret;

	if (fstat(l->fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size == 0)
		return 0;
	if (l->format != POLICY_LOG_JSONL) {
		snprintf(err, errlen, "%s: exists; an IMA-format list starts afresh at each boot "
			 "(remove it or choose another log path)", path);
		return -EEXIST;
	}
	ret = mlog_verify_file(path, &v);
	if (ret == -EBADMSG && v.torn && torn) {
		ret = mlog_seal_torn(l, path, &v, torn, tornlen, err, errlen);
		if (ret < 0)
			return ret;
		ret = mlog_verify_file(path, &v);
	}
	if (ret == -EBADMSG && v.unended)
		ret = 0;        /* a killed run: the next start entry says a new run began */
	if (ret < 0) {
		snprintf(err, errlen, "%s: the existing log does not verify (entry %llu: %s); "
			 "move it away to start a new one", path,
			 (unsigned long long)v.bad_entry, ret == -EBADMSG ? v.why : strerror(-ret));
		return ret == -EBADMSG ? -EINVAL : ret;
	}
	l->seq = v.entries;
	memcpy(l->agg, v.agg, MLOG_AGG_LEN);
	return 0;
}

/* A random id that tells this run's entries from those of runs it overlaps. */
static void mlog_run_id(char out[17])
{
	uint8_t r[8] = { 0 };
	struct timespec ts;

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
		clock_gettime(CLOCK_REALTIME, &ts);
		uint64_t v = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ (uint64_t)getpid() << 40;
		memcpy(r, &v, sizeof(r));
	}
	measure_hex(r, sizeof(r), out);
}

/* mlog_free(l): close and free a log without writing to it. */
static void mlog_free(struct mlog *l)
{
	if (l->fd >= 0)
		close(l->fd);
	if (l->hostlock >= 0)
		close(l->hostlock);
	if (l->rfd >= 0)
		close(l->rfd);
	free(l->path);
	free(l->abspath);
	pthread_mutex_destroy(&l->mu);
	pthread_cond_destroy(&l->synced);
	free(l);
}

/*
 * mlog_lock(l, wait): flock the log, and on 9p also on the real host.
 * Waits through EINTR (the --timeout watchdog's SIGALRM) when wait, else
 * -EBUSY if another run holds it.  0 or -errno.
 */
static int mlog_lock(struct mlog *l, bool wait)
{
	int ret;

	while (flock(l->fd, LOCK_EX | (wait ? 0 : LOCK_NB)) < 0)
		if (errno != EINTR)
			return errno == EWOULDBLOCK ? -EBUSY : -errno;
	if (l->hostlock < 0)
		return 0;
	ret = hostlock_lock(l->hostlock, l->abspath, wait);
	if (ret < 0)
		flock(l->fd, LOCK_UN);
	return ret == -EWOULDBLOCK ? -EBUSY : ret;
}

static void mlog_unlock(struct mlog *l)
{
	if (l->hostlock >= 0)
		hostlock_unlock(l->hostlock);
	flock(l->fd, LOCK_UN);
}

/* mlog_hostlock(l, err, errlen): a log on 9p needs the real host's lock; 0 or -errno. */
static int mlog_hostlock(struct mlog *l, char *err, size_t errlen)
{
	int ret;

	if (!hostlock_needed(l->fd))
		return 0;
	l->abspath = realpath(l->path, NULL);
	ret = l->abspath ? hostlock_connect() : -errno;
	if (ret < 0) {
		snprintf(err, errlen, "%s: the log is on 9p, where locks do not hold across machines, "
			 "and the emulated KVM host's lock service is not there (%s); put the log on "
			 "a local file system or run through `modvisor run --accel=emulated`",
			 l->path, strerror(-ret));
		return ret;
	}
	l->hostlock = ret;
	return 0;
}

void mlog_abandon(struct mlog *l)
{
	if (l)
		mlog_free(l);
}

/* mlog_open_ex(): mlog_open(), and for a shared writer (torn != NULL) the torn tail sealed. */
static int mlog_open_ex(const char *path, enum policy_log_format format, enum policy_fsync fsync,
			struct mlog **out, char *torn, size_t tornlen, char *err, size_t errlen)
{
	struct mlog *l = calloc(1, sizeof(*l));
	struct stat st;
	int ret;

	*out = NULL;
	if (!l || !(l->path = strdup(path))) {
		free(l);
		return snprintf(err, errlen, "%s: out of memory", path), -ENOMEM;
	}
	l->format = format;
	l->hostlock = -1;
	l->rfd = -1;
	pthread_mutex_init(&l->mu, NULL);
	pthread_cond_init(&l->synced, NULL);
	l->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (l->fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s: cannot open the measurement log for writing: %s",
			 path, strerror(errno));
		mlog_free(l);
		return ret;
	}
	/* Pipes and terminals cannot be fsync'ed or locked; only regular files are. */
	bool regular = fstat(l->fd, &st) == 0 && S_ISREG(st.st_mode);
	l->shared = regular && format == POLICY_LOG_JSONL;
	/*
	 * The tail is read through a descriptor opened now: no path is opened
	 * again once the guest runs (the seccomp filter allows no open, and
	 * --user may not reach the path).
	 */
	if (l->shared)
		l->rfd = open(path, O_RDONLY | O_CLOEXEC);
	l->fsync = regular && fsync == POLICY_FSYNC_ENTRY;
	l->fsync_close = regular && fsync != POLICY_FSYNC_NONE;
	mlog_run_id(l->run);
	if (regular && (ret = mlog_hostlock(l, err, errlen)) < 0) {
		mlog_free(l);
		return ret;
	}
	/* An IMA list has one writer; a JSON Lines log is locked per append. */
	if (regular && (ret = mlog_lock(l, l->shared)) < 0) {
		snprintf(err, errlen, "%s: cannot lock the measurement log: %s", path,
			 ret == -EBUSY ? "another run is writing it" : strerror(-ret));
		mlog_free(l);
		return ret;
	}
	ret = mlog_resume(l, path, torn, tornlen, err, errlen);
	if (l->shared)
		mlog_unlock(l);
	if (ret < 0) {
		mlog_free(l);
		return ret;
	}
	*out = l;
	return 0;
}

int mlog_open(const char *path, enum policy_log_format format, enum policy_fsync fsync,
	      struct mlog **out, char *err, size_t errlen)
{
	return mlog_open_ex(path, format, fsync, out, NULL, 0, err, errlen);
}

int mlog_open_shared_writer(const char *path, enum policy_fsync fsync, struct mlog **out,
			    char *torn, size_t tornlen, char *err, size_t errlen)
{
	int ret;

	torn[0] = '\0';
	ret = mlog_open_ex(path, POLICY_LOG_JSONL, fsync, out, torn, tornlen, err, errlen);
	if (ret == 0 && (*out)->fsync) {
		(*out)->fsync = false;  /* mlog_group_wait() does it */
		(*out)->group = true;
	}
	return ret;
}

/* Write all of (p, n) in one append, then fsync when asked; extend the chain. */
static int mlog_commit(struct mlog *l, const struct mlog_buf *b, const uint8_t new_agg[32],
		       char *err, size_t errlen)
{
	ssize_t n;

	if (b->oom)
		return snprintf(err, errlen, "%s: out of memory", l->path), -ENOMEM;
	n = write(l->fd, b->p, b->len);
	if (n != (ssize_t)b->len) {
		int e = n < 0 ? errno : ENOSPC;
		snprintf(err, errlen, "%s: entry %llu: write failed: %s", l->path,
			 (unsigned long long)l->seq, strerror(e));
		return -e;
	}
	if (l->fsync && fsync(l->fd) < 0) {
		int e = errno;
		snprintf(err, errlen, "%s: entry %llu: fsync failed: %s", l->path,
			 (unsigned long long)l->seq, strerror(e));
		return -e;
	}
	memcpy(l->agg, new_agg, MLOG_AGG_LEN);
	l->seq++;
	l->run_entries++;
	l->written++;
	return 0;
}

/* The last entry of a shared log: l->seq and l->agg continue from it. */
static int mlog_read_tail(struct mlog *l, char *err, size_t errlen)
{
	char buf[16384], seq[32], agg[160];
	struct stat st;
	size_t n, start;
	ssize_t got;

	if (fstat(l->fd, &st) < 0)
		return snprintf(err, errlen, "%s: %s", l->path, strerror(errno)), -errno;
	if (st.st_size == 0) {
		l->seq = 0;
		memset(l->agg, 0, MLOG_AGG_LEN);
		return 0;
	}
	n = st.st_size < (off_t)sizeof(buf) ? (size_t)st.st_size : sizeof(buf);
	int rfd = l->rfd >= 0 ? l->rfd : open(l->path, O_RDONLY | O_CLOEXEC);
	got = rfd < 0 ? -1 : pread(rfd, buf, n, st.st_size - (off_t)n);
	if (rfd >= 0 && rfd != l->rfd)
		close(rfd);
	if (got != (ssize_t)n || buf[n - 1] != '\n')
		return snprintf(err, errlen, "%s: the last entry is unreadable or cut", l->path), -EIO;
	for (start = n - 1; start > 0 && buf[start - 1] != '\n'; start--)
		;
	if ((start == 0 && n < (size_t)st.st_size) ||
	    mlog_json_field(buf + start, n - 1 - start, "seq", seq, sizeof(seq)) != 1 ||
	    mlog_json_field(buf + start, n - 1 - start, "agg", agg, sizeof(agg)) != 1 ||
	    measure_unhex(agg, l->agg, MLOG_AGG_LEN) < 0)
		return snprintf(err, errlen, "%s: the last entry is not a log entry", l->path), -EIO;
	l->seq = strtoull(seq, NULL, 10) + 1;
	return 0;
}

static void mlog_now(char *out, size_t len)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(out, len, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (long)(ts.tv_nsec / 1000) % 1000000);
}

/* The VM an entry comes from: "vm", "vm_uuid" (a daemon's log; none in a run's). */
static void mlog_json_vm(struct mlog_buf *b, const struct mlog_vm *vm)
{
	if (!vm)
		return;
	mlog_buf_json_str(b, "vm", vm->name);
	mlog_buf_json_str(b, "vm_uuid", vm->uuid);
}

/* Start a JSON entry's fields after seq: time, type, run, and the VM when there is one. */
static void mlog_json_begin(struct mlog *l, struct mlog_buf *b, const char *type,
			    const struct mlog_vm *vm)
{
	char now[96];

	mlog_now(now, sizeof(now));
	mlog_buf_printf(b, ",\"time\":\"%s\",\"type\":\"%s\",\"run\":\"%s\"", now, type, l->run);
	mlog_json_vm(b, vm);
}

/*
 * Finish and append a JSON entry: seq first, the fields, prev, then
 * agg = SHA-256(prev || SHA-256(everything before ,"agg")).  For a shared
 * log this happens under the file lock, after reading the current tail.
 */
static int mlog_json_end(struct mlog *l, const struct mlog_buf *fields, char *err, size_t errlen)
{
	struct mlog_buf b = { 0 };
	uint8_t agg[MLOG_AGG_LEN];
	char hex[2 * MLOG_AGG_LEN + 1];
	int ret;

	pthread_mutex_lock(&l->mu);
	ret = l->shared ? mlog_lock(l, true) : 0;
	if (ret < 0)
		return snprintf(err, errlen, "%s: cannot lock: %s", l->path, strerror(-ret)), ret;
	ret = l->shared ? mlog_read_tail(l, err, errlen) : 0;
	if (ret == 0) {
		measure_hex(l->agg, MLOG_AGG_LEN, hex);
		mlog_buf_printf(&b, "{\"seq\":%llu", (unsigned long long)l->seq);
		if (!fields->oom)
			mlog_buf_put(&b, fields->p, fields->len);
		mlog_buf_printf(&b, ",\"prev\":\"%s\"", hex);
		b.oom |= fields->oom;
		if (!b.oom)
			mlog_chain_extend(l->agg, b.p, b.len, agg);
		measure_hex(agg, MLOG_AGG_LEN, hex);
		mlog_buf_printf(&b, ",\"agg\":\"%s\"}\n", hex);
		ret = mlog_commit(l, &b, agg, err, errlen);
	}
	if (l->shared)
		mlog_unlock(l);
	if (ret == 0 && l->group)
		ret = mlog_group_wait(l, l->written, err, errlen);
	pthread_mutex_unlock(&l->mu);
	free(b.p);
	return ret;
}

/* An IMA entry: ima-ng template data, then the ascii line or binary record. */
static int mlog_ima_entry(struct mlog *l, const uint8_t sha256[32], const char *name,
			  char *err, size_t errlen)
{
	struct mlog_buf td = { 0 }, rec = { 0 };
	uint8_t agg[MLOG_AGG_LEN];
	int ret;

	mlog_ima_template(&td, sha256, name);
	mlog_ima_record(&rec, &td, l->format == POLICY_LOG_IMA_BINARY, sha256, name);
	pthread_mutex_lock(&l->mu);
	if (!td.oom)
		mlog_ima_extend(l->agg, &td, agg);
	rec.oom |= td.oom;
	ret = mlog_commit(l, &rec, agg, err, errlen);
	pthread_mutex_unlock(&l->mu);
	free(td.p);
	free(rec.p);
	return ret;
}

int mlog_append(struct mlog *l, const char *type, const struct mlog_buf *fields,
		const struct mlog_buf *ima_name, char *err, size_t errlen)
{
	struct mlog_buf b = { 0 };
	uint8_t d[32];
	int ret;

	if (l->format != POLICY_LOG_JSONL) {
		if (ima_name->oom || !ima_name->p)
			return snprintf(err, errlen, "%s: out of memory", l->path), -ENOMEM;
		SHA256((const uint8_t *)ima_name->p, ima_name->len, d);
		return mlog_ima_entry(l, d, ima_name->p, err, errlen);
	}
	mlog_json_begin(l, &b, type, NULL);
	if (!fields->oom)
		mlog_buf_put(&b, fields->p, fields->len);
	b.oom |= fields->oom;
	ret = mlog_json_end(l, &b, err, errlen);
	free(b.p);
	return ret;
}

static const char *mlog_source_name(uint32_t source)
{
	return source == MV_MODSRC_INIT_MODULE ? "init_module" :
	       source == MV_MODSRC_FINIT_MODULE ? "finit_module" : "unknown";
}

/* "xxh3" and "digests" (prefix ""), or "content_xxh3" and "content_digests". */
static void mlog_json_digests(struct mlog_buf *b, const char *prefix, const struct measurement *m)
{
	char hex[2 * MEASURE_MAX_DIGEST + 1];
	const char *sep = "";

	if (!m)
		return;         /* not measured (too large to copy): "why" says so */
	measure_hex(m->xxh3, MEASURE_XXH3_LEN, hex);
	mlog_buf_printf(b, ",\"%sxxh3\":\"%s\",\"%sdigests\":[", prefix, hex, prefix);
	for (int a = 0; a < MEASURE_NALGOS; a++) {
		if (!(m->set & (1u << a)))
			continue;
		measure_hex(m->digest[a], measure_algo_len((enum measure_algo)a), hex);
		mlog_buf_printf(b, "%s\"%s:%s\"", sep, measure_algo_name((enum measure_algo)a), hex);
		sep = ",";
	}
	mlog_buf_printf(b, "]");
}

static void mlog_json_sig(struct mlog_buf *b, const struct sig_result *s)
{
	if (!s) {
		mlog_buf_printf(b, ",\"sig\":\"not-checked\"");
		return;
	}
	mlog_buf_printf(b, ",\"sig\":\"%s\"", sig_status_name(s->status));
	if (s->status == SIG_UNSIGNED || s->status == SIG_MALFORMED)
		return;
	mlog_buf_json_str(b, "sig_hash", s->hash);
	mlog_buf_json_str(b, "sig_key", s->pkey);
	mlog_buf_json_str(b, "signer", s->signer);
	mlog_buf_json_str(b, "key_id", s->key_id);
}

/* The IMA name of an entry: "SOURCE:PATH-or-NAME|verdict=...,..." escaped. */
static void mlog_ima_load_name(struct mlog_buf *b, const struct mlog_load *e, const char *taints)
{
	mlog_buf_printf(b, "%s:", mlog_source_name(e->source));
	mlog_buf_ima_escape(b, e->path && e->path[0] ? e->path : e->name);
	mlog_buf_printf(b, "|id=%u,verdict=%s,errno=%s,sig=%s,taints=%s", e->load_id,
			e->allow ? "allow" : "deny", policy_errno_name(e->err),
			e->sig ? sig_status_name(e->sig->status) : "not-checked",
			taints[0] ? taints : "-");
	if (e->m && e->content && (e->content->set & (1u << MEASURE_SHA256))) {
		char hex[2 * 32 + 1];
		measure_hex(e->content->digest[MEASURE_SHA256], 32, hex);
		mlog_buf_printf(b, ",content_sha256=%s", hex);
	}
	if (e->params_cut)
		mlog_buf_printf(b, ",params_cut=1");
	if (e->params_unreadable)
		mlog_buf_printf(b, ",params_unreadable=1");
	if (e->params) {
		/* Last: the rest of the name, whatever commas it holds. */
		mlog_buf_printf(b, ",params=");
		mlog_buf_ima_escape(b, e->params);
	}
}

/* JSON: "errno" and, when it is not 0, "errno_name" (log_version 3). */
static void mlog_json_errno(struct mlog_buf *b, int err)
{
	mlog_buf_printf(b, ",\"errno\":%d", err);
	if (err)
		mlog_buf_printf(b, ",\"errno_name\":\"%s\"", policy_errno_name(err));
}

/* JSON: the parameter string, and whether it was cut or unreadable. */
static void mlog_json_params(struct mlog_buf *b, const struct mlog_load *e)
{
	if (!e->params)
		return;
	mlog_buf_json_str(b, "params", e->params);
	if (e->params_cut)
		mlog_buf_printf(b, ",\"params_cut\":true");
	if (e->params_unreadable)
		mlog_buf_printf(b, ",\"params_unreadable\":true");
}

int mlog_load(struct mlog *l, const struct mlog_load *e, char *err, size_t errlen)
{
	struct mlog_buf b = { 0 };
	char taints[8];
	int ret;

	mlog_taint_string(e->taints, taints);
	if (l->format != POLICY_LOG_JSONL) {
		mlog_ima_load_name(&b, e, taints);
		if (b.oom) {
			free(b.p);
			return snprintf(err, errlen, "%s: out of memory", l->path), -ENOMEM;
		}
		static const uint8_t none[32];
		ret = mlog_ima_entry(l, e->m ? e->m->digest[MEASURE_SHA256] : none, b.p, err, errlen);
		free(b.p);
		return ret;
	}
	mlog_json_begin(l, &b, "load", e->vm);
	mlog_buf_printf(&b, ",\"load_id\":%u", e->load_id);
	mlog_buf_json_str(&b, "name", e->name ? e->name : "");
	mlog_buf_printf(&b, ",\"source\":\"%s\"", mlog_source_name(e->source));
	if (e->path)
		mlog_buf_json_str(&b, "path", e->path);
	mlog_json_params(&b, e);
	mlog_buf_printf(&b, ",\"flags\":%u,\"size\":%llu", e->flags, (unsigned long long)e->size);
	mlog_json_digests(&b, "", e->m);
	if (e->m && e->content) {
		mlog_buf_printf(&b, ",\"content_size\":%llu", (unsigned long long)e->content_size);
		mlog_json_digests(&b, "content_", e->content);
	}
	if (e->file_size) {
		char hex[65] = "";
		if (e->file_sha256)
			measure_hex(e->file_sha256, 32, hex);
		mlog_buf_printf(&b, ",\"file_size\":%llu,\"file_sha256\":\"%s\"",
				(unsigned long long)e->file_size, hex);
	}
	mlog_json_sig(&b, e->sig);
	mlog_buf_printf(&b, ",\"verdict\":\"%s\"", e->allow ? "allow" : "deny");
	mlog_json_errno(&b, e->err);
	mlog_buf_printf(&b, ",\"taints\":\"%s\"", taints);
	mlog_buf_json_str(&b, "why", e->why ? e->why : "");
	if (e->seal)
		mlog_buf_json_str(&b, "sealed", e->seal);
	ret = mlog_json_end(l, &b, err, errlen);
	free(b.p);
	return ret;
}

const char *mlog_event_name(uint32_t ev)
{
	static const char *const names[] = {
		[MV_MODEV_LOADED] = "loaded", [MV_MODEV_LOAD_FAILED] = "load-failed",
		[MV_MODEV_INIT_FAILED] = "init-failed", [MV_MODEV_UNLOADED] = "unloaded",
		[MV_MODEV_INIT_FAULT] = "init-fault", [MV_MODEV_INIT_START] = "init-start",
	};
	if (ev == LOAD_EV_SEAL)
		return "seal";
	if (ev == LOAD_EV_UNSEAL)
		return "unseal";
	return ev < sizeof(names) / sizeof(names[0]) && names[ev] ? names[ev] : "unknown";
}

/* "#PF at init+0x2a (rip 0x..., cr2 0x...)": an INIT_FAULT's exception for the log. */
static void mlog_fault_string(const struct mlog_event *e, char *s, size_t n)
{
	static const char *const names[] = {
		[0] = "#DE", [1] = "#DB", [2] = "NMI (init watchdog)", [3] = "#BP", [6] = "#UD",
		[12] = "#SS", [13] = "#GP", [14] = "#PF", [17] = "#AC",
	};
	char v[24];
	const char *name = e->fault_vector < sizeof(names) / sizeof(names[0]) ?
			   names[e->fault_vector] : NULL;

	snprintf(v, sizeof(v), "vector %u", e->fault_vector);
	snprintf(s, n, "%s at %s+0x%llx (rip 0x%llx, cr2 0x%llx)", name ? name : v,
		 e->fault_where ? e->fault_where : "?", (unsigned long long)e->fault_offset,
		 (unsigned long long)e->fault_rip, (unsigned long long)e->fault_cr2);
}

int mlog_event(struct mlog *l, const struct mlog_event *e, char *err, size_t errlen)
{
	char fault[128] = "";
	struct mlog_buf b = { 0 };
	char taints[8];
	int ret;

	mlog_taint_string(e->taints, taints);
	if (e->has_fault)
		mlog_fault_string(e, fault, sizeof(fault));
	if (l->format != POLICY_LOG_JSONL) {
		uint8_t d[32];
		mlog_buf_printf(&b, "event:%s:", mlog_event_name(e->event));
		mlog_buf_ima_escape(&b, e->name);
		mlog_buf_printf(&b, "|id=%u,errno=%s,init_ret=%d,base=0x%llx,taints=%s", e->load_id,
				policy_errno_name(e->err), e->init_ret, (unsigned long long)e->base,
				taints[0] ? taints : "-");
		if (e->has_fault)
			mlog_buf_printf(&b, ",fault_vector=%u,fault_at=%s+0x%llx", e->fault_vector,
					e->fault_where ? e->fault_where : "?",
					(unsigned long long)e->fault_offset);
		if (b.oom) {
			free(b.p);
			return snprintf(err, errlen, "%s: out of memory", l->path), -ENOMEM;
		}
		SHA256((const uint8_t *)b.p, b.len, d);
		ret = mlog_ima_entry(l, d, b.p, err, errlen);
		free(b.p);
		return ret;
	}
	mlog_json_begin(l, &b, "event", e->vm);
	mlog_buf_printf(&b, ",\"load_id\":%u,\"event\":\"%s\"", e->load_id, mlog_event_name(e->event));
	mlog_buf_json_str(&b, "name", e->name ? e->name : "");
	mlog_json_errno(&b, e->err);
	mlog_buf_printf(&b, ",\"init_ret\":%d,\"base\":\"0x%llx\","
			"\"taints\":\"%s\"", e->init_ret,
			(unsigned long long)e->base, taints);
	if (e->has_fault) {
		mlog_buf_printf(&b, ",\"fault_vector\":%u", e->fault_vector);
		mlog_buf_json_str(&b, "fault", fault);
	}
	ret = mlog_json_end(l, &b, err, errlen);
	free(b.p);
	return ret;
}

int mlog_start(struct mlog *l, const struct mlog_start *s, char *err, size_t errlen)
{
	struct mlog_buf b = { 0 };
	uint8_t zero[32] = { 0 };
	char hex[65];
	int ret;

	if (l->format != POLICY_LOG_JSONL) {
		mlog_buf_printf(&b, "modvisor-start:kernel=");
		mlog_buf_ima_escape(&b, s->kernel ? s->kernel : "");
		ret = b.oom ? -ENOMEM : mlog_ima_entry(l, s->kernel_sha256 ? s->kernel_sha256 : zero,
							 b.p, err, errlen);
		free(b.p);
		return ret;
	}
	mlog_json_begin(l, &b, "start", NULL);
	mlog_buf_json_str(&b, "modvisor", MODVISOR_VERSION);
	mlog_buf_printf(&b, ",\"log_version\":%d", MLOG_VERSION);
	mlog_buf_json_str(&b, "kernel", s->kernel ? s->kernel : "");
	if (s->kernel_sha256) {
		measure_hex(s->kernel_sha256, 32, hex);
		mlog_buf_printf(&b, ",\"kernel_sha256\":\"%s\"", hex);
	}
	mlog_buf_json_str(&b, "policy", s->policy ? s->policy : "");
	ret = mlog_json_end(l, &b, err, errlen);
	free(b.p);
	return ret;
}

int mlog_end(struct mlog *l, char *err, size_t errlen)
{
	struct mlog_buf b = { 0 };
	int ret = 0;

	if (l->ended)
		return 0;
	l->ended = true;
	if (l->format == POLICY_LOG_JSONL) {
		mlog_json_begin(l, &b, "end", NULL);
		mlog_buf_printf(&b, ",\"run_entries\":%llu", (unsigned long long)l->run_entries + 1);
		ret = mlog_json_end(l, &b, err, errlen);
		free(b.p);
	}
	if (ret == 0 && l->fsync_close && fsync(l->fd) < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s: fsync failed: %s", l->path, strerror(errno));
	}
	return ret;
}

int mlog_close(struct mlog *l, char *err, size_t errlen)
{
	int ret;

	if (!l)
		return 0;
	ret = mlog_end(l, err, errlen);
	if (close(l->fd) < 0 && ret == 0) {
		ret = -errno;
		snprintf(err, errlen, "%s: close failed: %s", l->path, strerror(errno));
	}
	l->fd = -1;
	mlog_free(l);
	return ret;
}

/* mlog_check_new(path, err, errlen): a log to be created: its directory must exist and be writable. */
static int mlog_check_new(const char *path, char *err, size_t errlen)
{
	char *copy = strdup(path), *dir;
	struct stat st;
	int ret = 0;

	if (!copy)
		return snprintf(err, errlen, "%s: out of memory", path), -ENOMEM;
	dir = dirname(copy);
	if (stat(dir, &st) < 0)
		ret = -errno;
	else if (!S_ISDIR(st.st_mode))
		ret = -ENOTDIR;
	else if (access(dir, W_OK | X_OK) < 0)
		ret = -errno;
	if (ret < 0)
		snprintf(err, errlen, "%s: cannot open the measurement log for writing: %s: %s", path, dir,
			 strerror(-ret));
	free(copy);
	return ret;
}

int mlog_check(const char *path, enum policy_log_format format, char *err, size_t errlen)
{
	struct mlog_verify v;
	struct stat st;
	int ret;

	if (stat(path, &st) < 0)
		return errno == ENOENT ? mlog_check_new(path, err, errlen) :
		       (ret = -errno, snprintf(err, errlen, "%s: %s", path, strerror(errno)), ret);
	if (S_ISDIR(st.st_mode))
		return snprintf(err, errlen, "%s: is a directory, not a measurement log", path),
		       -EISDIR;
	if (!S_ISREG(st.st_mode))
		return 0;       /* a pipe or a terminal: written as a stream */
	if (access(path, W_OK) < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s: cannot open the measurement log for writing: %s",
			 path, strerror(errno));
		return ret;
	}
	if (st.st_size == 0)
		return 0;
	if (format != POLICY_LOG_JSONL)
		return snprintf(err, errlen, "%s: exists; an IMA-format list starts afresh at each "
				"boot (remove it or choose another log path)", path), -EEXIST;
	/*
	 * Unlocked: another run may be appending, so a cut final entry is
	 * fine here; mlog_open() verifies again under the lock.
	 */
	ret = mlog_verify_file(path, &v);
	if (ret == -EBADMSG && (v.unended || v.torn))
		ret = 0;
	if (ret < 0)
		snprintf(err, errlen, "%s: the existing log does not verify (entry %llu: %s); "
			 "move it away to start a new one", path,
			 (unsigned long long)v.bad_entry, ret == -EBADMSG ? v.why : strerror(-ret));
	return ret;
}

int mlog_torn(struct mlog *l, const char *what, char *err, size_t errlen)
{
	struct mlog_buf f = { 0 };
	int ret;

	mlog_buf_json_str(&f, "why", what);
	ret = mlog_append(l, "torn", &f, NULL, err, errlen);
	free(f.p);
	return ret;
}

int mlog_vm_entry(struct mlog *l, const struct mlog_vm *vm, const char *what,
		  const char *fields, char *err, size_t errlen)
{
	struct mlog_buf f = { 0 };
	int ret;

	mlog_json_vm(&f, vm);
	mlog_buf_printf(&f, ",\"what\":\"%s\"", what);
	if (fields)
		mlog_buf_put(&f, fields, strlen(fields));
	ret = mlog_append(l, "vm", &f, NULL, err, errlen);
	free(f.p);
	return ret;
}

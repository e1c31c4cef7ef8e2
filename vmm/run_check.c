/* run_check.c: every input file of `modvisor run`, checked before anything boots (issue 12 finding 4). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <stdlib.h>
#include "boot.h"
#include "cpio_write.h"
#include "kernel_load.h"
#include "ldd.h"
#include "mem.h"
#include "run.h"

/* Set by the authority to check its own inputs (see run.h). */
run_extra_checker run_extra_check;

/*
 * run_check_file(what, path, hint): a file the run reads whole: it must be
 * a regular file that opens for reading.  Prints "modvisor: WHAT PATH:
 * reason" and returns -1 otherwise.  (A directory would read as nothing,
 * a FIFO would block.)
 */
static int run_check_file(const char *what, const char *path, const char *hint)
{
	struct stat st;
	int fd, e = 0;

	if (stat(path, &st) < 0)
		e = errno;
	else if (S_ISDIR(st.st_mode))
		e = EISDIR;
	else if (!S_ISREG(st.st_mode))
		e = EINVAL;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		e = errno;
	else
		close(fd);
	if (e == 0)
		return 0;
	fprintf(stderr, "modvisor: %s %s: %s%s\n", what, path,
		e == EINVAL ? "not a regular file" : strerror(e), e == ENOENT ? hint : "");
	return -1;
}

/* Debian's kmod, and the names under which it is each tool (Debian's /sbin symlinks). */
#define RUN_KMOD_HOST "/usr/bin/kmod"
static const char *const run_kmod_tools[] = {
	"insmod", "rmmod", "lsmod", "modprobe", "modinfo", "depmod",
};

/*
 * run_add_programs(o, extra, err, errlen): --kmod and every --add-program,
 * with their libraries (each guest path once), then kmod's symlinks.
 */
static int run_add_programs(const struct run_opts *o, struct cpio_out *extra, char *err,
			    size_t errlen)
{
	struct ldd_list files = { 0 };
	char name[64], msg[PATH_MAX + 256];
	int rc = 0;

	if (o->kmod && (rc = ldd_resolve(RUN_KMOD_HOST, "/bin/kmod", &files, msg, sizeof(msg))))
		snprintf(err, errlen, "--kmod: %s%s", msg,
			 rc == -ENOENT && access(RUN_KMOD_HOST, F_OK) ? " (install Debian's kmod package)" : "");
	for (int i = 0; !rc && i < o->nprogs; i++)
		if ((rc = ldd_resolve(o->progs[i].host, o->progs[i].guest, &files, msg, sizeof(msg))))
			snprintf(err, errlen, "--add-program: %s", msg);
	for (size_t i = 0; !rc && i < files.n; i++)
		rc = cpio_add_host(extra, files.v[i].host, files.v[i].guest, err, errlen);
	for (size_t i = 0; !rc && o->kmod && i < sizeof(run_kmod_tools) / sizeof(run_kmod_tools[0]); i++) {
		snprintf(name, sizeof(name), "sbin/%s", run_kmod_tools[i]);
		if ((rc = cpio_add(extra, name, S_IFLNK | 0777, 0, "../bin/kmod", 11)))
			snprintf(err, errlen, "--kmod: out of memory");
	}
	ldd_list_free(&files);
	return rc;
}

int run_read_inputs(const struct run_opts *o, const char *initrd, struct boot_spec *bs,
		    struct cpio_out *extra)
{
	char err[2 * PATH_MAX + 512];
	uint8_t *data;
	int i, rc;

	if (strcmp(initrd, "none") != 0) {
		rc = read_whole_file(initrd, &data, &bs->initrd_len);
		if (rc) {
			fprintf(stderr, "modvisor: initrd %s: %s%s\n", initrd, strerror(-rc),
				o->initrd ? "" : " (build it with `make`, or pass --initrd)");
			return -1;
		}
		bs->initrd = data;
	}
	/* Programs first: an --add of the same guest path replaces theirs. */
	if (run_add_programs(o, extra, err, sizeof(err))) {
		fprintf(stderr, "modvisor: %s\n", err);
		return -1;
	}
	for (i = 0; i < o->nadds; i++) {
		if (cpio_add_host(extra, o->adds[i].host, o->adds[i].guest, err, sizeof(err))) {
			fprintf(stderr, "modvisor: %s\n", err);
			return -1;
		}
	}
	if ((o->nadds || o->nprogs || o->kmod) && cpio_finish(extra)) {
		fprintf(stderr, "modvisor: --add: out of memory\n");
		return -1;
	}
	bs->extra = extra->data;
	bs->extra_len = extra->len;
	return 0;
}

/*
 * run_check_layout(o, kernel, initrd): lay the guest out in a scratch copy
 * of its RAM, exactly as the boot will (kernel_load_file, boot_layout), so
 * that a kernel that does not load, a --mem too small for the initrd, or
 * commands too long are refused before anything boots.  The scratch RAM is
 * an untouched anonymous mapping except for what the layout writes.
 */
static int run_check_layout(const struct run_opts *o, const char *kernel, const char *initrd)
{
	struct boot_spec bs = { .cmdline = o->cmdline, .cmds = o->cmds, .ncmds = o->ncmds };
	struct cpio_out extra = { 0 };
	struct guest_mem m = { 0 };
	struct kernel_info ki;
	char err[PATH_MAX + 256];
	int ret = -1;

	if (run_read_inputs(o, initrd, &bs, &extra))
		goto out;
	if (mem_alloc(&m, o->mem_mib << 20) < 0) {
		fprintf(stderr, "modvisor: %llu MiB of guest RAM: %s\n",
			(unsigned long long)o->mem_mib, strerror(errno));
		goto out;
	}
	if (kernel_load_file(kernel, &m, &ki, err, sizeof(err)) < 0 ||
	    boot_layout(&m, &ki, &bs, 0, err, sizeof(err)) < 0) {
		fprintf(stderr, "modvisor: %s\n", err);
		goto out;
	}
	ret = 0;
out:
	mem_free(&m);
	free((void *)bs.initrd);
	cpio_free(&extra);
	return ret;
}

int run_check_inputs(const struct run_opts *o, const char *kernel, const char *initrd)
{
	char err[PATH_MAX + 512];

	if (run_check_file("kernel", kernel, o->kernel ? "" :
			   " (build it with `make`, or pass --kernel)"))
		return -1;
	if (strcmp(initrd, "none") != 0 &&
	    run_check_file("initrd", initrd, o->initrd ? "" :
			   " (build it with `make`, or pass --initrd)"))
		return -1;
	if (run_check_layout(o, kernel, initrd))
		return -1;
	if (run_extra_check && run_extra_check(kernel, err, sizeof(err)) < 0) {
		fprintf(stderr, "modvisor: %s\n", err);
		return -1;
	}
	return 0;
}

/* test_vfs.c: Check tests of the guest file system core (guest/fs), built for the host. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vfs.h"
#include "pseudofs.h"
#include "check_main.h"

static struct vfs_proc *proc;

/* The process core's hook: the tests have one process. */
struct vfs_proc *vfs_current(void)
{
	return proc;
}

static void setup(void)
{
	vfs_init(0);
	proc = vfs_proc_create();
	ck_assert_ptr_nonnull(proc);
}

static void teardown(void)
{
	vfs_proc_destroy(proc);
	proc = NULL;
}

/* ---- helpers ---------------------------------------------------------- */

static int put_file(const char *path, const char *data)
{
	struct file *f;
	int err = vfs_open(proc, AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC, 0644, &f);
	if (err < 0)
		return err;
	struct vfs_iobuf b = { (uintptr_t)data, strlen(data), false };
	long n = f->ops->write(f, &b, 0);
	vfs_file_put(f);
	return n < 0 ? (int)n : 0;
}

/* get_file: the content of path as a static string, or "ERR<n>". */
static const char *get_file(const char *path)
{
	static char buf[4096];
	struct file *f;
	int err = vfs_open(proc, AT_FDCWD, path, O_RDONLY, 0, &f);
	if (err < 0) {
		snprintf(buf, sizeof(buf), "ERR%d", -err);
		return buf;
	}
	long n = vfs_kernel_read(f, buf, sizeof(buf) - 1, 0);
	vfs_file_put(f);
	snprintf(buf + (n > 0 ? n : 0), 16, "%s", n < 0 ? "ERR" : "");
	return buf;
}

static int lookup_err(const char *path, unsigned int flags)
{
	struct inode *inode;
	int err = vfs_lookup(proc, AT_FDCWD, path, flags, &inode);
	if (err == 0)
		vfs_inode_put(inode);
	return err;
}

static int open_err(const char *path, uint32_t flags)
{
	struct file *f;
	int err = vfs_open(proc, AT_FDCWD, path, flags, 0644, &f);
	if (err == 0)
		vfs_file_put(f);
	return err;
}

static long write_str(const char *path, const char *s)
{
	struct file *f;
	int err = vfs_open(proc, AT_FDCWD, path, O_WRONLY, 0, &f);
	if (err < 0)
		return err;
	struct vfs_iobuf b = { (uintptr_t)s, strlen(s), false };
	long n = f->ops->write(f, &b, 0);
	vfs_file_put(f);
	return n;
}

/* ---- the initrd ------------------------------------------------------- */

/* cpio_of: build a newc archive with GNU cpio from a shell snippet run in a temp dir. */
static void *cpio_of(const char *script, size_t *len)
{
	char cmd[2048];
	static char out[] = "/tmp/test_vfs.cpio.XXXXXX";
	snprintf(out, sizeof(out), "/tmp/test_vfs.cpio.XXXXXX");
	int fd = mkstemp(out);
	ck_assert_int_ge(fd, 0);
	close(fd);
	snprintf(cmd, sizeof(cmd),
		 "set -e; d=$(mktemp -d); cd $d; %s; find . -mindepth 1 -printf '%%P\\n' | LC_ALL=C sort | "
		 "cpio -H newc -o --quiet > %s; rm -rf $d", script, out);
	ck_assert_int_eq(system(cmd), 0);
	FILE *f = fopen(out, "rb");
	static char buf[1 << 20];
	*len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	unlink(out);
	return buf;
}

START_TEST(test_unpack_tree)
{
	size_t len;
	char err[256] = "";
	void *ar = cpio_of("mkdir -p bin lib/modules; printf hello > bin/f; chmod 0750 bin/f; "
			   "ln bin/f bin/hard; ln -s f bin/sym; ln -s /bin/f abs", &len);
	struct inode *a, *b;

	ck_assert_int_eq(vfs_unpack_initrd(ar, len, err, sizeof(err)), 0);
	ck_assert_str_eq(get_file("/bin/f"), "hello");
	ck_assert_str_eq(get_file("/bin/sym"), "hello");
	ck_assert_str_eq(get_file("/abs"), "hello");
	ck_assert_str_eq(get_file("/bin/hard"), "hello");
	ck_assert_int_eq(vfs_lookup(proc, AT_FDCWD, "/bin/f", 0, &a), 0);
	ck_assert_int_eq(vfs_lookup(proc, AT_FDCWD, "/bin/hard", 0, &b), 0);
	ck_assert_ptr_eq(a, b);
	ck_assert_uint_eq(a->nlink, 2);
	ck_assert_uint_eq(a->mode, 0100750);
	vfs_inode_put(a);
	vfs_inode_put(b);
	ck_assert_int_eq(lookup_err("/lib/modules", VFS_LOOKUP_DIR), 0);
}
END_TEST

/* A second archive (the VMM's --add) replaces files and may create parents. */
START_TEST(test_unpack_concatenated)
{
	size_t l1, l2;
	char err[256];
	char *a1 = malloc(1 << 20);
	void *t = cpio_of("mkdir etc; printf one > etc/x", &l1);
	memcpy(a1, t, l1);
	t = cpio_of("mkdir -p etc deep/er; printf two > etc/x; printf 3 > deep/er/y", &l2);
	memcpy(a1 + l1, t, l2);
	ck_assert_int_eq(vfs_unpack_initrd(a1, l1 + l2, err, sizeof(err)), 0);
	ck_assert_str_eq(get_file("/etc/x"), "two");
	ck_assert_str_eq(get_file("/deep/er/y"), "3");
	free(a1);
}
END_TEST

/* A node of the same type in a later archive is kept, not added twice. */
START_TEST(test_unpack_same_node_twice)
{
	size_t l1, l2;
	char err[256];
	char *a = malloc(1 << 20);
	void *t = cpio_of("mkfifo fifo; ln -s x sym", &l1);
	memcpy(a, t, l1);
	t = cpio_of("mkfifo fifo; ln -s y sym", &l2);
	memcpy(a + l1, t, l2);
	ck_assert_int_eq(vfs_unpack_initrd(a, l1 + l2, err, sizeof(err)), 0);
	int fifos = 0;
	for (struct vfs_dirent *de = vfs_root()->dir.head; de; de = de->next)
		fifos += !strcmp(de->name, "fifo");
	ck_assert_int_eq(fifos, 1);
	char buf[8];
	ck_assert_int_eq(vfs_readlink(proc, AT_FDCWD, "/sym", buf, sizeof(buf)), 1);
	ck_assert_int_eq(buf[0], 'y');  /* a later symlink replaces the earlier one */
	free(a);
}
END_TEST

/* ar_member: append one crafted newc member (data may be NULL). */
static size_t ar_member(char *buf, size_t at, const char *name, uint32_t mode,
			const char *data, uint32_t ino, uint32_t nlink)
{
	uint32_t size = data ? (uint32_t)strlen(data) : 0;
	at += (size_t)sprintf(buf + at, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
			      ino, mode, 0u, 0u, nlink, 0u, size, 0u, 0u, 0u, 0u,
			      (uint32_t)strlen(name) + 1, 0u);
	at += (size_t)sprintf(buf + at, "%s", name) + 1;
	while (at & 3)
		buf[at++] = 0;
	memcpy(buf + at, data ? data : "", size);
	at += size;
	while (at & 3)
		buf[at++] = 0;
	return at;
}

/* Valid archives with hostile names stay inside the tree and never crash. */
START_TEST(test_unpack_hostile_names)
{
	static char ar[8192];
	char err[256] = "";
	size_t at = 0;
	at = ar_member(ar, at, "../../escape", 0100644, "E", 1, 1);
	at = ar_member(ar, at, "/abs//double///slash", 0100644, "D", 2, 1);
	at = ar_member(ar, at, "./a/./b/../c", 0100644, "C", 3, 1);
	at = ar_member(ar, at, ".", 040700, NULL, 4, 1);
	at = ar_member(ar, at, "loop", 0120777, "loop", 5, 1);
	at = ar_member(ar, at, "proc", 0100644, "not a dir", 6, 1);
	at = ar_member(ar, at, "TRAILER!!!", 0, NULL, 0, 1);
	ck_assert_int_lt(vfs_unpack_initrd(ar, at, err, sizeof(err)), 0);
	ck_assert_msg(strstr(err, "entry 'proc'") && strstr(err, "EISDIR"), "message: %s", err);
	ck_assert_str_eq(get_file("/escape"), "E");
	ck_assert_str_eq(get_file("/abs/double/slash"), "D");
	ck_assert_str_eq(get_file("/a/c"), "C");
	ck_assert_uint_eq(vfs_root()->mode, 040700);
	ck_assert_int_eq(lookup_err("/loop", VFS_LOOKUP_FOLLOW), -ELOOP);
}
END_TEST

/* Hard-link members whose data comes first, last, or twice. */
START_TEST(test_unpack_hard_link_orders)
{
	static char ar[8192];
	char err[256] = "";
	size_t at = 0;
	at = ar_member(ar, at, "first", 0100644, "data", 7, 3);
	at = ar_member(ar, at, "second", 0100644, NULL, 7, 3);
	at = ar_member(ar, at, "dir", 040755, NULL, 7, 3);     /* same ino, other type */
	at = ar_member(ar, at, "third", 0100644, "last", 7, 3);
	at = ar_member(ar, at, "TRAILER!!!", 0, NULL, 0, 1);
	ck_assert_int_eq(vfs_unpack_initrd(ar, at, err, sizeof(err)), 0);
	ck_assert_str_eq(get_file("/first"), "last");
	ck_assert_str_eq(get_file("/second"), "last");
	ck_assert_int_eq(lookup_err("/dir", VFS_LOOKUP_DIR), 0);
}
END_TEST

/* Random corruption of a real archive: the unpacker fails cleanly or succeeds. */
START_TEST(test_unpack_mutations)
{
	size_t len;
	char err[256];
	const char *src = cpio_of("mkdir -p a/b; printf hello > a/b/f; ln a/b/f a/h; ln -s b a/s", &len);
	char *copy = malloc(len);
	unsigned int seed = 12345;

	for (int round = 0; round < 300; round++) {
		memcpy(copy, src, len);
		for (int k = 0; k < 3; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t pos = (seed >> 8) % len;
			seed = seed * 1103515245u + 12345u;
			copy[pos] = (char)(seed >> 16);
		}
		int r = vfs_unpack_initrd(copy, len, err, sizeof(err));
		ck_assert_msg(r == 0 || r < 0, "round %d", round);
	}
	free(copy);
}
END_TEST

START_TEST(test_unpack_malformed)
{
	size_t len;
	char err[256] = "";
	char *ar = cpio_of("printf x > f", &len);
	ar[6] = 'Z';    /* first member's c_ino */
	ck_assert_int_eq(vfs_unpack_initrd(ar, len, err, sizeof(err)), -EINVAL);
	ck_assert_msg(strstr(err, "malformed cpio archive") && strstr(err, "c_ino") &&
		      strstr(err, "offset 0x6"), "message: %s", err);
}
END_TEST

START_TEST(test_unpack_conflict_named)
{
	size_t len;
	char err[256] = "";
	void *ar = cpio_of("printf x > f; mkdir g; printf y > g/h", &len);
	ck_assert_int_eq(put_file("/g", "file"), 0);   /* "g" exists as a file */
	ck_assert_int_eq(vfs_unpack_initrd(ar, len, err, sizeof(err)), 0);  /* replaced, like Linux */
	ck_assert_str_eq(get_file("/g/h"), "y");
	ck_assert_int_eq(vfs_mkdir(proc, AT_FDCWD, "/d", 0755), 0);
	ck_assert_int_eq(put_file("/d/full", "x"), 0);
	ar = cpio_of("printf x > d", &len);         /* a file over a non-empty dir */
	ck_assert_int_lt(vfs_unpack_initrd(ar, len, err, sizeof(err)), 0);
	ck_assert_msg(strstr(err, "entry 'd'"), "message: %s", err);
}
END_TEST

/* ---- the path walk ---------------------------------------------------- */

START_TEST(test_walk_dots_and_links)
{
	ck_assert_int_eq(vfs_mkdir(proc, AT_FDCWD, "/a", 0755), 0);
	ck_assert_int_eq(vfs_mkdir(proc, AT_FDCWD, "/a/b", 0755), 0);
	ck_assert_int_eq(put_file("/a/b/f", "F"), 0);
	ck_assert_int_eq(vfs_symlink(proc, "b/f", AT_FDCWD, "/a/rel"), 0);
	ck_assert_int_eq(vfs_symlink(proc, "/a/b", AT_FDCWD, "/dirlink"), 0);
	ck_assert_str_eq(get_file("/a/./b/../b/f"), "F");
	ck_assert_str_eq(get_file("/../../a/b/f"), "F");
	ck_assert_str_eq(get_file("/a/rel"), "F");
	ck_assert_str_eq(get_file("/dirlink/f"), "F");
	ck_assert_str_eq(get_file("//a///b//f"), "F");
	ck_assert_int_eq(lookup_err("/dirlink/", 0), 0);     /* trailing slash follows */
	ck_assert_int_eq(lookup_err("/a/b/f/", 0), -ENOTDIR);
	ck_assert_int_eq(lookup_err("/a/b/f/x", 0), -ENOTDIR);
	ck_assert_int_eq(lookup_err("/a/missing/x", 0), -ENOENT);
	ck_assert_int_eq(lookup_err("", 0), -ENOENT);
	ck_assert_int_eq(lookup_err("/a/b/f", VFS_LOOKUP_DIR), -ENOTDIR);
}
END_TEST

START_TEST(test_walk_eloop)
{
	char name[300];
	ck_assert_int_eq(vfs_symlink(proc, "l2", AT_FDCWD, "/l1"), 0);
	ck_assert_int_eq(vfs_symlink(proc, "l1", AT_FDCWD, "/l2"), 0);
	ck_assert_int_eq(lookup_err("/l1", VFS_LOOKUP_FOLLOW), -ELOOP);
	ck_assert_int_eq(lookup_err("/l1", 0), 0);
	ck_assert_int_eq(open_err("/l1", O_RDONLY), -ELOOP);
	ck_assert_int_eq(open_err("/l1", O_RDONLY | O_NOFOLLOW), -ELOOP);
	/* A chain of 40 links resolves; 41 is too many. */
	ck_assert_int_eq(put_file("/t", "T"), 0);
	for (int i = 0; i <= 40; i++) {
		char from[16], to[16];
		snprintf(from, sizeof(from), "/c%d", i);
		snprintf(to, sizeof(to), i ? "c%d" : "t", i - 1);
		ck_assert_int_eq(vfs_symlink(proc, to, AT_FDCWD, from), 0);
	}
	ck_assert_str_eq(get_file("/c39"), "T");
	ck_assert_int_eq(lookup_err("/c40", VFS_LOOKUP_FOLLOW), -ELOOP);
	memset(name, 'n', sizeof(name));
	name[0] = '/';
	name[257] = '\0';
	ck_assert_int_eq(lookup_err(name, 0), -ENAMETOOLONG);
	ck_assert_int_eq(open_err(name, O_CREAT | O_RDWR), -ENAMETOOLONG);
}
END_TEST

START_TEST(test_open_flags)
{
	struct file *f;
	ck_assert_int_eq(put_file("/f", "abc"), 0);
	ck_assert_int_eq(open_err("/f", O_RDWR | O_CREAT | O_EXCL), -EEXIST);
	ck_assert_int_eq(open_err("/f", O_RDONLY | O_DIRECTORY), -ENOTDIR);
	ck_assert_int_eq(open_err("/dev", O_WRONLY), -EISDIR);
	ck_assert_int_eq(open_err("/dev", O_RDONLY | O_TRUNC), -EISDIR);
	ck_assert_int_eq(open_err("/", O_CREAT | O_RDWR), -EISDIR);
	ck_assert_int_eq(open_err("/dev", O_CREAT | O_RDONLY), -EISDIR);
	ck_assert_int_eq(open_err("/newdir/", O_CREAT | O_RDWR), -EISDIR);
	ck_assert_int_eq(open_err("/nodir/x", O_CREAT | O_RDWR), -ENOENT);
	ck_assert_int_eq(open_err("/f", O_ACCMODE), -EINVAL);
	/* O_CREAT through a dangling symlink creates its target. */
	ck_assert_int_eq(vfs_symlink(proc, "/created", AT_FDCWD, "/dangling"), 0);
	ck_assert_int_eq(open_err("/dangling", O_CREAT | O_WRONLY), 0);
	ck_assert_int_eq(lookup_err("/created", 0), 0);
	ck_assert_int_eq(open_err("/dangling", O_CREAT | O_EXCL | O_WRONLY), -EEXIST);
	/* O_TRUNC empties; the path recorded is the real one. */
	ck_assert_int_eq(vfs_symlink(proc, "f", AT_FDCWD, "/lf"), 0);
	ck_assert_int_eq(vfs_open(proc, AT_FDCWD, "/lf", O_WRONLY | O_TRUNC, 0, &f), 0);
	ck_assert_str_eq(f->path, "/f");
	ck_assert_uint_eq(f->inode->size, 0);
	vfs_file_put(f);
	/* umask applies to new files. */
	proc->umask = 077;
	ck_assert_int_eq(vfs_open(proc, AT_FDCWD, "/m", O_CREAT | O_WRONLY, 0666, &f), 0);
	ck_assert_uint_eq(f->inode->mode, 0100600);
	vfs_file_put(f);
}
END_TEST

START_TEST(test_permissions)
{
	struct file *f;
	ck_assert_int_eq(put_file("/noexec", "x"), 0);
	ck_assert_int_eq(vfs_open_exec(proc, "/noexec", &f), -EACCES);   /* even root */
	ck_assert_int_eq(vfs_open_exec(proc, "/dev", &f), -EACCES);
	ck_assert_int_eq(vfs_open_exec(proc, "/none", &f), -ENOENT);
	ck_assert_int_eq(vfs_mkdir(proc, AT_FDCWD, "/priv", 0700), 0);
	proc->uid = 1000;
	ck_assert_int_eq(open_err("/noexec", O_WRONLY), -EACCES);
	ck_assert_int_eq(open_err("/noexec", O_RDONLY), 0);
	ck_assert_int_eq(lookup_err("/priv/x", 0), -EACCES);
	ck_assert_int_eq(vfs_mkdir(proc, AT_FDCWD, "/mine", 0755), -EACCES);
}
END_TEST

/* ---- writers, kernel reads ---------------------------------------------- */

START_TEST(test_writers_and_etxtbsy)
{
	struct file *w, *r;
	ck_assert_int_eq(put_file("/mod.ko", "\177ELF...."), 0);
	ck_assert_int_eq(vfs_open(proc, AT_FDCWD, "/mod.ko", O_RDWR, 0, &w), 0);
	ck_assert_int_eq(w->inode->writers, 1);
	ck_assert_int_eq(vfs_deny_write(w->inode), -ETXTBSY);
	vfs_file_put(w);
	ck_assert_int_eq(vfs_open(proc, AT_FDCWD, "/mod.ko", O_RDONLY, 0, &r), 0);
	ck_assert_int_eq(r->inode->writers, 0);
	ck_assert_int_eq(vfs_deny_write(r->inode), 0);
	ck_assert_int_eq(open_err("/mod.ko", O_WRONLY), -ETXTBSY);
	vfs_allow_write(r->inode);
	ck_assert_int_eq(open_err("/mod.ko", O_WRONLY), 0);
	vfs_file_put(r);
}
END_TEST

/* A running executable refuses writers, and an open-for-write file refuses exec. */
START_TEST(test_exec_etxtbsy)
{
	struct file *exe, *w;
	ck_assert_int_eq(put_file("/prog", "ELF"), 0);
	struct inode *i;
	ck_assert_int_eq(vfs_lookup(proc, AT_FDCWD, "/prog", 0, &i), 0);
	i->mode |= 0111;
	vfs_inode_put(i);
	ck_assert_int_eq(vfs_open_exec(proc, "/prog", &exe), 0);
	ck_assert_int_eq(open_err("/prog", O_WRONLY), -ETXTBSY);
	ck_assert_int_eq(open_err("/prog", O_RDONLY), 0);
	vfs_file_put(exe);
	ck_assert_int_eq(vfs_open(proc, AT_FDCWD, "/prog", O_WRONLY, 0, &w), 0);
	ck_assert_int_eq(vfs_open_exec(proc, "/prog", &exe), -ETXTBSY);
	vfs_file_put(w);
	ck_assert_int_eq(vfs_open_exec(proc, "/prog", &exe), 0);
	vfs_file_put(exe);
}
END_TEST

START_TEST(test_read_whole)
{
	struct file *f;
	void *buf;
	size_t len;
	ck_assert_int_eq(put_file("/m", "0123456789"), 0);
	ck_assert_int_eq(vfs_open(proc, AT_FDCWD, "/m", O_RDONLY, 0, &f), 0);
	ck_assert_int_eq(vfs_read_whole(f, 100, &buf, &len), 0);
	ck_assert_uint_eq(len, 10);
	ck_assert_int_eq(memcmp(buf, "0123456789", 10), 0);
	free(buf);
	ck_assert_int_eq(vfs_read_whole(f, 9, &buf, &len), -EFBIG);
	vfs_file_put(f);
	ck_assert_int_eq(put_file("/empty", ""), 0);
	ck_assert_int_eq(vfs_open(proc, AT_FDCWD, "/empty", O_RDONLY, 0, &f), 0);
	ck_assert_int_eq(vfs_read_whole(f, 9, &buf, &len), -EINVAL);
	vfs_file_put(f);
	ck_assert_int_eq(vfs_open(proc, AT_FDCWD, "/dev", O_RDONLY, 0, &f), 0);
	ck_assert_int_eq(vfs_read_whole(f, 9, &buf, &len), -EINVAL);
	vfs_file_put(f);
}
END_TEST

/* write_at(path, off, data, n): n bytes into path at off (no truncation). */
static void write_at(const char *path, uint64_t off, const void *data, size_t n)
{
	struct file *f;
	struct vfs_iobuf b = { (uintptr_t)data, n, false };

	ck_assert_int_eq(vfs_open(proc, AT_FDCWD, path, O_WRONLY, 0, &f), 0);
	ck_assert_int_eq(f->ops->write(f, &b, off), (long)n);
	vfs_file_put(f);
}

/*
 * vfs_map_page lends page-aligned pages of a file's bytes (exec maps them);
 * a later write or truncate goes to a copy, so the lent page keeps its
 * bytes, as a private mapping's copy would.
 */
START_TEST(test_map_page)
{
	static char big[3 * 4096 + 100];
	const void *page, *page2;
	struct file *f;

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)('a' + i % 26);
	ck_assert_int_eq(put_file("/small", "tiny"), 0);
	ck_assert_int_eq(open_err("/big", O_WRONLY | O_CREAT | O_TRUNC), 0);
	write_at("/big", 0, big, sizeof(big));
	ck_assert_int_eq(vfs_open(proc, AT_FDCWD, "/small", O_RDONLY, 0, &f), 0);
	ck_assert_int_eq(vfs_map_page(f, 0, &page), -EOPNOTSUPP);
	vfs_file_put(f);
	ck_assert_int_eq(vfs_open(proc, AT_FDCWD, "/big", O_RDONLY, 0, &f), 0);
	ck_assert_int_eq(vfs_map_page(f, 100, &page), -EINVAL);        /* unaligned */
	ck_assert_int_eq(vfs_map_page(f, 3 * 4096, &page), -EINVAL);   /* partial page */
	ck_assert_int_eq(vfs_map_page(f, 4096, &page), 0);
	ck_assert_uint_eq((uintptr_t)page % 4096, 0);
	ck_assert_int_eq(memcmp(page, big + 4096, 4096), 0);
	/* A write after the loan leaves the lent page alone; the file has the new bytes. */
	write_at("/big", 4096, "XYZ", 3);
	ck_assert_int_eq(memcmp(page, big + 4096, 4096), 0);
	ck_assert_int_eq(vfs_map_page(f, 4096, &page2), 0);
	ck_assert_ptr_ne(page2, page);
	ck_assert_int_eq(memcmp(page2, "XYZ", 3), 0);
	ck_assert_int_eq(memcmp((const char *)page2 + 3, big + 4099, 4093), 0);
	/* So does a truncate (growing zero-fills in place). */
	ck_assert_int_eq(vfs_truncate(f->inode, 0), 0);
	ck_assert_int_eq(vfs_truncate(f->inode, 8192), 0);
	ck_assert_int_eq(memcmp(page2, "XYZ", 3), 0);
	vfs_file_put(f);
}
END_TEST

START_TEST(test_unlinked_file_stays_readable)
{
	struct file *f;
	char buf[8] = "";
	ck_assert_int_eq(put_file("/gone", "data"), 0);
	ck_assert_int_eq(vfs_open(proc, AT_FDCWD, "/gone", O_RDONLY, 0, &f), 0);
	ck_assert_int_eq(vfs_unlink(proc, AT_FDCWD, "/gone", 0), 0);
	ck_assert_int_eq(lookup_err("/gone", 0), -ENOENT);
	ck_assert_int_eq(vfs_kernel_read(f, buf, 4, 0), 4);
	ck_assert_str_eq(buf, "data");
	ck_assert_uint_eq(f->inode->nlink, 0);
	vfs_file_put(f);
}
END_TEST

/* ---- fd tables ------------------------------------------------------------ */

START_TEST(test_fd_table)
{
	struct file *f, *g;
	ck_assert_int_eq(put_file("/x", "x"), 0);
	ck_assert_int_eq(vfs_fd_get(proc, 0, &f), 0);    /* console on 0-2 */
	ck_assert_ptr_eq(f->ops, proc->fds[1]->ops);
	vfs_file_put(f);
	ck_assert_int_eq(vfs_fd_get(proc, 3, &f), -EBADF);
	ck_assert_int_eq(vfs_fd_get(proc, -1, &f), -EBADF);
	ck_assert_int_eq(vfs_fd_get(proc, 5000, &f), -EBADF);
	ck_assert_int_eq(vfs_open(proc, AT_FDCWD, "/x", O_RDONLY, 0, &f), 0);
	ck_assert_ptr_nonnull(f);
	/* Install the same file at a normal and a close-on-exec fd. */
	vfs_proc_set_exe(proc, f);
	ck_assert_int_eq(vfs_fd_get(proc, 0, &g), 0);
	vfs_file_put(g);
	vfs_proc_exec(proc);                               /* no cloexec fds yet: all stay */
	ck_assert_ptr_nonnull(proc->fds[2]);
	proc->fd_cloexec[2] = 1;
	vfs_proc_exec(proc);
	ck_assert_ptr_null(proc->fds[2]);
	ck_assert_ptr_nonnull(proc->fds[1]);
	vfs_file_put(f);
}
END_TEST

START_TEST(test_cwd_path)
{
	char buf[64];
	struct inode *d;
	ck_assert_int_eq(vfs_mkdir(proc, AT_FDCWD, "/a", 0755), 0);
	ck_assert_int_eq(vfs_mkdir(proc, AT_FDCWD, "/a/bb", 0755), 0);
	ck_assert_int_eq(vfs_lookup(proc, AT_FDCWD, "/a/bb", 0, &d), 0);
	ck_assert_int_eq(vfs_dir_path(d, buf, sizeof(buf)), 5);
	ck_assert_str_eq(buf, "/a/bb");
	ck_assert_int_eq(vfs_dir_path(d, buf, 5), -ERANGE);
	vfs_inode_put(proc->cwd);
	proc->cwd = d;
	ck_assert_int_eq(put_file("rel", "R"), 0);
	ck_assert_str_eq(get_file("/a/bb/rel"), "R");
	ck_assert_str_eq(get_file("../bb/rel"), "R");
	ck_assert_int_eq(vfs_unlink(proc, AT_FDCWD, "rel", 0), 0);
	ck_assert_int_eq(vfs_unlink(proc, AT_FDCWD, "/a/bb", AT_REMOVEDIR), 0);
	ck_assert_int_eq(vfs_dir_path(d, buf, sizeof(buf)), -ENOENT);
	ck_assert_int_eq(open_err("new", O_CREAT | O_RDWR), -ENOENT);
	ck_assert_int_eq(vfs_dir_path(vfs_root(), buf, sizeof(buf)), 1);
	ck_assert_str_eq(buf, "/");
}
END_TEST

/* ---- namespace operations --------------------------------------------- */

START_TEST(test_namespace_errnos)
{
	ck_assert_int_eq(vfs_mkdir(proc, AT_FDCWD, "/d", 0755), 0);
	ck_assert_int_eq(vfs_mkdir(proc, AT_FDCWD, "/d", 0755), -EEXIST);
	ck_assert_int_eq(vfs_mkdir(proc, AT_FDCWD, "/d/.", 0755), -EEXIST);
	ck_assert_int_eq(put_file("/d/f", "f"), 0);
	ck_assert_int_eq(vfs_unlink(proc, AT_FDCWD, "/d", AT_REMOVEDIR), -ENOTEMPTY);
	ck_assert_int_eq(vfs_unlink(proc, AT_FDCWD, "/d", 0), -EISDIR);
	ck_assert_int_eq(vfs_unlink(proc, AT_FDCWD, "/d/f", AT_REMOVEDIR), -ENOTDIR);
	ck_assert_int_eq(vfs_unlink(proc, AT_FDCWD, "/d/.", AT_REMOVEDIR), -EINVAL);
	ck_assert_int_eq(vfs_unlink(proc, AT_FDCWD, "/", AT_REMOVEDIR), -EBUSY);
	ck_assert_int_eq(vfs_unlink(proc, AT_FDCWD, "/d/none", 0), -ENOENT);
	ck_assert_int_eq(vfs_link(proc, AT_FDCWD, "/d", AT_FDCWD, "/d2", 0), -EPERM);
	ck_assert_int_eq(vfs_link(proc, AT_FDCWD, "/d/f", AT_FDCWD, "/d/f", 0), -EEXIST);
	ck_assert_int_eq(vfs_symlink(proc, "", AT_FDCWD, "/s"), -ENOENT);
	ck_assert_int_eq(vfs_rename(proc, AT_FDCWD, "/d", AT_FDCWD, "/d/sub", 0), -EINVAL);
	ck_assert_int_eq(vfs_mkdir(proc, AT_FDCWD, "/e", 0755), 0);
	ck_assert_int_eq(vfs_rename(proc, AT_FDCWD, "/e", AT_FDCWD, "/d", 0), -ENOTEMPTY);
	ck_assert_int_eq(vfs_rename(proc, AT_FDCWD, "/d/f", AT_FDCWD, "/e", 0), -EISDIR);
	ck_assert_int_eq(vfs_rename(proc, AT_FDCWD, "/e", AT_FDCWD, "/d/f", 0), -ENOTDIR);
	ck_assert_int_eq(vfs_rename(proc, AT_FDCWD, "/nope", AT_FDCWD, "/x", 0), -ENOENT);
}
END_TEST

START_TEST(test_rename_and_links)
{
	struct inode *d;
	char buf[32];
	ck_assert_int_eq(vfs_mkdir(proc, AT_FDCWD, "/a", 0755), 0);
	ck_assert_int_eq(vfs_mkdir(proc, AT_FDCWD, "/a/sub", 0755), 0);
	ck_assert_int_eq(vfs_mkdir(proc, AT_FDCWD, "/b", 0755), 0);
	ck_assert_int_eq(put_file("/a/sub/f", "1"), 0);
	ck_assert_int_eq(put_file("/b/g", "2"), 0);
	ck_assert_int_eq(vfs_rename(proc, AT_FDCWD, "/a/sub", AT_FDCWD, "/b/moved", 0), 0);
	ck_assert_str_eq(get_file("/b/moved/f"), "1");
	ck_assert_int_eq(vfs_lookup(proc, AT_FDCWD, "/b/moved", 0, &d), 0);
	ck_assert_int_eq(vfs_dir_path(d, buf, sizeof(buf)), 8);
	ck_assert_uint_eq(d->nlink, 2);
	vfs_inode_put(d);
	ck_assert_int_eq(vfs_lookup(proc, AT_FDCWD, "/a", 0, &d), 0);
	ck_assert_uint_eq(d->nlink, 2);     /* lost its subdirectory */
	vfs_inode_put(d);
	ck_assert_int_eq(vfs_rename(proc, AT_FDCWD, "/b/moved/f", AT_FDCWD, "/b/g", 0), 0);
	ck_assert_str_eq(get_file("/b/g"), "1");
	ck_assert_int_eq(vfs_rename(proc, AT_FDCWD, "/b/g", AT_FDCWD, "/b/h", RENAME_NOREPLACE), 0);
	ck_assert_int_eq(vfs_link(proc, AT_FDCWD, "/b/h", AT_FDCWD, "/b/h2", 0), 0);
	ck_assert_int_eq(vfs_rename(proc, AT_FDCWD, "/b/h", AT_FDCWD, "/b/h2", RENAME_NOREPLACE), 0);
	ck_assert_str_eq(get_file("/b/h2"), "1");
	ck_assert_int_eq(vfs_readlink(proc, AT_FDCWD, "/b/h2", buf, sizeof(buf)), -EINVAL);
	ck_assert_int_eq(vfs_symlink(proc, "target/x", AT_FDCWD, "/b/s"), 0);
	ck_assert_int_eq(vfs_readlink(proc, AT_FDCWD, "/b/s", buf, 4), 4);
	ck_assert_int_eq(memcmp(buf, "targ", 4), 0);
}
END_TEST

/* ---- /proc and /sys ----------------------------------------------------- */

START_TEST(test_proc_sysctl)
{
	ck_assert_str_eq(get_file("/proc/sys/kernel/tainted"), "0\n");
	kernel_add_taint(12);
	kernel_add_taint(13);
	ck_assert_str_eq(get_file("/proc/sys/kernel/tainted"), "12288\n");
	ck_assert_int_eq(write_str("/proc/sys/kernel/tainted", "1\n"), 2);
	ck_assert_uint_eq(kernel_taint_mask(), 12289);
	ck_assert_int_eq(write_str("/proc/sys/kernel/tainted", "x"), -EINVAL);
	const char *md = "/proc/sys/kernel/modules_disabled";
	ck_assert_str_eq(get_file(md), "0\n");
	ck_assert_int_eq(write_str(md, "0"), -EINVAL);
	ck_assert_int_eq(write_str(md, "2"), -EINVAL);
	ck_assert_int_eq(write_str(md, "1\n"), 2);
	ck_assert(kernel_modules_disabled());
	ck_assert_str_eq(get_file(md), "1\n");
	ck_assert_int_eq(write_str(md, "0"), -EINVAL);
	ck_assert_str_eq(get_file(md), "1\n");
	ck_assert_int_eq(strncmp(get_file("/proc/version"), "Linux version 6.1.0-modvisor", 28), 0);
	ck_assert_str_eq(get_file("/proc/modules"), "");
}
END_TEST

static int show_count(struct pseudo_buf *out, void *priv)
{
	return pbuf_printf(out, "%d\n", *(int *)priv);
}

static long store_count(const char *buf, size_t len, void *priv)
{
	*(int *)priv = atoi(buf);
	return (long)len;
}

static int show_mods(struct pseudo_buf *out, void *priv)
{
	(void)priv;
	return pbuf_printf(out, "hello 16384 0 - Live 0xffffffffa0000000 (O)\n");
}

START_TEST(test_sysfs_module_dir)
{
	static int count = 3;
	struct file *f;
	char buf[16] = "";
	struct inode *d = sysfs_create_dir("module/hello/parameters");

	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_eq(sysfs_create_dir("module/hello/parameters"), d);
	ck_assert_int_eq(pseudo_create_file(d, "count", 0644, show_count, store_count, &count), 0);
	ck_assert_int_eq(pseudo_create_file(d, "count", 0644, show_count, NULL, &count), -EEXIST);
	ck_assert_int_eq(pseudo_create_file(d, "ro", 0444, show_count, NULL, &count), 0);
	ck_assert_str_eq(get_file("/sys/module/hello/parameters/count"), "3\n");
	ck_assert_int_eq(write_str("/sys/module/hello/parameters/count", "7"), 1);
	ck_assert_int_eq(count, 7);
	ck_assert_int_eq(open_err("/sys/module/hello/parameters/ro", O_WRONLY), -EACCES);
	ck_assert_int_eq(open_err("/sys/module/new", O_CREAT | O_WRONLY), -EACCES);
	ck_assert_int_eq(vfs_mkdir(proc, AT_FDCWD, "/sys/module/x", 0755), -EPERM);
	ck_assert_int_eq(vfs_unlink(proc, AT_FDCWD, "/sys/module/hello/parameters/ro", 0), -EPERM);
	/* Removal while open: the snapshot stays readable, writes get ENODEV. */
	ck_assert_int_eq(vfs_open(proc, AT_FDCWD, "/sys/module/hello/parameters/count", O_RDWR, 0, &f), 0);
	pseudo_remove(sysfs_create_dir("module/hello"));
	ck_assert_int_eq(lookup_err("/sys/module/hello", 0), -ENOENT);
	ck_assert_int_eq(vfs_kernel_read(f, buf, sizeof(buf), 0), 2);
	ck_assert_str_eq(buf, "7\n");
	struct vfs_iobuf b = { (uintptr_t)"1", 1, false };
	ck_assert_int_eq(f->ops->write(f, &b, 0), -ENODEV);
	vfs_file_put(f);
	procfs_set_modules(show_mods, NULL);
	ck_assert_str_eq(get_file("/proc/modules"), "hello 16384 0 - Live 0xffffffffa0000000 (O)\n");
}
END_TEST

START_TEST(test_proc_self_exe)
{
	struct file *exe;
	char buf[64];
	ck_assert_int_eq(vfs_readlink(proc, AT_FDCWD, "/proc/self/exe", buf, sizeof(buf)), -ENOENT);
	ck_assert_int_eq(vfs_mkdir(proc, AT_FDCWD, "/bin", 0755), 0);
	ck_assert_int_eq(put_file("/bin/busybox", "ELF"), 0);
	ck_assert_int_eq(vfs_symlink(proc, "busybox", AT_FDCWD, "/bin/cat"), 0);
	ck_assert_int_eq(vfs_open(proc, AT_FDCWD, "/bin/cat", O_RDONLY, 0, &exe), 0);
	vfs_proc_set_exe(proc, exe);
	vfs_file_put(exe);
	long n = vfs_readlink(proc, AT_FDCWD, "/proc/self/exe", buf, sizeof(buf));
	ck_assert_int_eq(n, 12);
	ck_assert_int_eq(memcmp(buf, "/bin/busybox", 12), 0);
	ck_assert_str_eq(get_file("/proc/self/exe"), "ELF");
}
END_TEST

static Suite *vfs_suite(void)
{
	Suite *s = suite_create("vfs");
	TCase *tc[4] = { tcase_create("initrd"), tcase_create("walk"),
			 tcase_create("files"), tcase_create("pseudo") };

	for (int i = 0; i < 4; i++) {
		tcase_add_checked_fixture(tc[i], setup, teardown);
		tcase_set_timeout(tc[i], 30);
		suite_add_tcase(s, tc[i]);
	}
	tcase_add_test(tc[0], test_unpack_tree);
	tcase_add_test(tc[0], test_unpack_concatenated);
	tcase_add_test(tc[0], test_unpack_malformed);
	tcase_add_test(tc[0], test_unpack_same_node_twice);
	tcase_add_test(tc[0], test_unpack_hostile_names);
	tcase_add_test(tc[0], test_unpack_hard_link_orders);
	tcase_add_test(tc[0], test_unpack_mutations);
	tcase_add_test(tc[0], test_unpack_conflict_named);
	tcase_add_test(tc[1], test_walk_dots_and_links);
	tcase_add_test(tc[1], test_walk_eloop);
	tcase_add_test(tc[1], test_open_flags);
	tcase_add_test(tc[1], test_permissions);
	tcase_add_test(tc[1], test_cwd_path);
	tcase_add_test(tc[2], test_writers_and_etxtbsy);
	tcase_add_test(tc[2], test_exec_etxtbsy);
	tcase_add_test(tc[2], test_read_whole);
	tcase_add_test(tc[2], test_map_page);
	tcase_add_test(tc[2], test_unlinked_file_stays_readable);
	tcase_add_test(tc[2], test_fd_table);
	tcase_add_test(tc[2], test_namespace_errnos);
	tcase_add_test(tc[2], test_rename_and_links);
	tcase_add_test(tc[3], test_proc_sysctl);
	tcase_add_test(tc[3], test_sysfs_module_dir);
	tcase_add_test(tc[3], test_proc_self_exe);
	return s;
}

const struct unit_main unit_main = { .suite = vfs_suite };

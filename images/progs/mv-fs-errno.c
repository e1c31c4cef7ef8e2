/* mv-fs-errno.c: guest test of the file syscalls: results and errnos, one "ok - name" line each. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

/*
 * Usage: mv-fs-errno            run the file-system checks (needs /tmp)
 *        mv-fs-errno cloexec    O_CLOEXEC across execve of /proc/self/exe
 *        mv-fs-errno sysctl     check /proc/sys/kernel/modules_disabled 0 -> 1
 *                               (leaves modules disabled: run it last)
 * Exit status: the number of failed checks (at most 100).
 */

static int failures;

/* errname: "ENOENT" for the errnos this test expects (musl has no errname). */
static const char *errname(int e)
{
	static char other[16];
	static const struct { int e; const char *n; } t[] = {
		{ 0, "0" }, { EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EBADF, "EBADF" },
		{ EACCES, "EACCES" }, { EFAULT, "EFAULT" }, { EEXIST, "EEXIST" },
		{ ENOTDIR, "ENOTDIR" }, { EISDIR, "EISDIR" }, { EINVAL, "EINVAL" },
		{ ENOSYS, "ENOSYS" }, { ELOOP, "ELOOP" }, { ENAMETOOLONG, "ENAMETOOLONG" },
		{ ENOTEMPTY, "ENOTEMPTY" }, { ESPIPE, "ESPIPE" }, { ETXTBSY, "ETXTBSY" },
	};
	for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].e == e)
			return t[i].n;
	snprintf(other, sizeof(other), "errno %d", e);
	return other;
}

/* expect_err: a call returned -1 with errno want (r is its result). */
static void expect_err(const char *name, long r, int want)
{
	int got = errno;
	if (r == -1 && got == want)
		printf("ok - %s\n", name);
	else if (r != -1)
		printf("not ok - %s: got result %ld want %s\n", name, r, errname(want)), failures++;
	else
		printf("not ok - %s: got %s want %s\n", name, errname(got),
		       errname(want)), failures++;
}

/* expect: a condition about results; prints errno when false. */
static void expect(const char *name, int cond, long got)
{
	if (cond)
		printf("ok - %s\n", name);
	else
		printf("not ok - %s: got %ld (errno %s)\n", name, got,
		       errname(errno)), failures++;
}

/* bad_ptr: an address never mapped; volatile so the compiler cannot see it. */
static void *bad_ptr(void)
{
	static volatile unsigned long bad = 16;
	return (void *)bad;
}

static void errno_basics(void)
{
	char buf[16];
	int fd;

	expect_err("write to a bad buffer: EFAULT", write(1, bad_ptr(), 10), EFAULT);
	fd = open("/etc/passwd", O_RDONLY);
	expect("open /etc/passwd", fd >= 0, fd);
	expect_err("read into a bad buffer: EFAULT", read(fd, bad_ptr(), 10), EFAULT);
	expect_err("read into a kernel address: EFAULT", read(fd, (char *)bad_ptr() + 0xffffffff7ffffff0ul, 8), EFAULT);
	close(fd);
	expect_err("write to a closed fd: EBADF", write(99, "x", 1), EBADF);
	expect_err("read from fd -1: EBADF", read(-1, buf, 1), EBADF);
	expect_err("close a closed fd: EBADF", close(77), EBADF);
	expect_err("fstat a closed fd: EBADF", syscall(SYS_fstat, 55, buf), EBADF);
	expect_err("open a missing file: ENOENT", open("/no/such/file", O_RDONLY), ENOENT);
	expect_err("open through a file: ENOTDIR", open("/etc/passwd/x", O_RDONLY), ENOTDIR);
	expect_err("open a directory for writing: EISDIR", open("/tmp", O_WRONLY), EISDIR);
	expect_err("open a bad path pointer: EFAULT", open(bad_ptr(), O_RDONLY), EFAULT);
	expect_err("stat into a bad buffer: EFAULT", syscall(SYS_stat, "/", bad_ptr()), EFAULT);
	expect_err("O_DIRECTORY on a file: ENOTDIR", open("/etc/passwd", O_RDONLY | O_DIRECTORY), ENOTDIR);
	fd = open("/tmp", O_RDONLY | O_DIRECTORY);
	expect_err("read a directory: EISDIR", read(fd, buf, sizeof(buf)), EISDIR);
	close(fd);
	char *argv[] = { "passwd", NULL };
	expect_err("exec a file without x bits: EACCES", execve("/etc/passwd", argv, NULL), EACCES);
	expect_err("exec a directory: EACCES", execve("/tmp", argv, NULL), EACCES);
	expect_err("exec a missing file: ENOENT", execve("/no/such", argv, NULL), ENOENT);
	expect_err("write the running executable: ETXTBSY", open("/proc/self/exe", O_WRONLY), ETXTBSY);
	expect_err("unimplemented syscall (swapon): ENOSYS", syscall(SYS_swapon, "/x", 0), ENOSYS);
	expect_err("out-of-range syscall 1000: ENOSYS", syscall(1000), ENOSYS);
}

static void errno_names(void)
{
	char longpath[4200], longname[300];

	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	expect_err("path of 4200 bytes: ENAMETOOLONG", open(longpath, O_RDONLY), ENAMETOOLONG);
	memset(longname, 'b', sizeof(longname) - 1);
	memcpy(longname, "/tmp/", 5);
	longname[sizeof(longname) - 1] = '\0';
	expect_err("name of 294 bytes: ENAMETOOLONG", open(longname, O_RDONLY | O_CREAT, 0644), ENAMETOOLONG);
	expect("symlink loop1 -> loop2", symlink("loop2", "/tmp/loop1") == 0, 0);
	expect("symlink loop2 -> loop1", symlink("loop1", "/tmp/loop2") == 0, 0);
	expect_err("symlink loop: ELOOP", open("/tmp/loop1", O_RDONLY), ELOOP);
	expect_err("O_NOFOLLOW on a symlink: ELOOP", open("/tmp/loop1", O_RDONLY | O_NOFOLLOW), ELOOP);
	expect_err("mkdir an existing dir: EEXIST", mkdir("/tmp", 0755), EEXIST);
	expect_err("O_CREAT|O_EXCL on an existing file: EEXIST",
		   open("/etc/passwd", O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST);
	expect_err("create in a missing dir: ENOENT", open("/tmp/nodir/f", O_RDWR | O_CREAT, 0644), ENOENT);
	expect_err("rmdir a non-empty dir: ENOTEMPTY", rmdir("/etc"), ENOTEMPTY);
	expect_err("rmdir a file: ENOTDIR", rmdir("/etc/passwd"), ENOTDIR);
	expect_err("unlink a directory: EISDIR", unlink("/tmp"), EISDIR);
	expect_err("trailing slash on a file: ENOTDIR", open("/etc/passwd/", O_RDONLY), ENOTDIR);
	expect_err("create a file in /sys: EACCES", open("/sys/newfile", O_RDWR | O_CREAT, 0644), EACCES);
	expect_err("mkdir in /sys: EPERM", mkdir("/sys/newdir", 0755), EPERM);
}

static void file_io(void)
{
	char buf[64] = { 0 };
	struct stat st;
	int fd, fd2;

	fd = open("/tmp/f", O_RDWR | O_CREAT | O_TRUNC, 0666);
	expect("create /tmp/f", fd >= 0, fd);
	expect("write 11 bytes", write(fd, "hello world", 11) == 11, 0);
	expect("lseek SEEK_CUR is 11", lseek(fd, 0, SEEK_CUR) == 11, lseek(fd, 0, SEEK_CUR));
	expect("pread at 6", pread(fd, buf, 5, 6) == 5 && !memcmp(buf, "world", 5), 0);
	expect_err("lseek to -1: EINVAL", lseek(fd, -1, SEEK_SET), EINVAL);
	expect_err("lseek whence 9: EINVAL", lseek(fd, 0, 9), EINVAL);
	expect("lseek SEEK_END past the end", lseek(fd, 5, SEEK_END) == 16, 0);
	expect("write after a hole", write(fd, "!", 1) == 1, 0);
	expect("fstat size 17", fstat(fd, &st) == 0 && st.st_size == 17, st.st_size);
	expect("umask applied: mode 0644", (st.st_mode & 0777) == 0644, st.st_mode);
	expect("hole reads zeros", pread(fd, buf, 6, 11) == 6 && !memcmp(buf, "\0\0\0\0\0!", 6), 0);
	fd2 = dup(fd);
	expect("dup shares the offset", lseek(fd, 0, SEEK_SET) == 0 && lseek(fd2, 0, SEEK_CUR) == 0, fd2);
	expect("F_GETFD of dup is 0", fcntl(fd2, F_GETFD) == 0, fcntl(fd2, F_GETFD));
	int fd3 = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	expect("F_DUPFD_CLOEXEC", fd3 >= 10 && fcntl(fd3, F_GETFD) == FD_CLOEXEC, fd3);
	close(fd2);
	close(fd3);
	struct iovec iov[2] = { { "ab", 2 }, { "cd", 2 } };
	expect("writev 4 bytes", writev(fd, iov, 2) == 4, 0);
	expect("ftruncate to 3", ftruncate(fd, 3) == 0 && fstat(fd, &st) == 0 && st.st_size == 3, st.st_size);
	close(fd);
	fd = open("/tmp/f", O_WRONLY | O_APPEND);
	expect("O_APPEND writes at the end", write(fd, "Z", 1) == 1 && lseek(fd, 0, SEEK_CUR) == 4, 0);
	expect_err("read a write-only fd: EBADF", read(fd, buf, 1), EBADF);
	close(fd);
	fd = open("/tmp/f", O_RDONLY);
	expect_err("write a read-only fd: EBADF", write(fd, "x", 1), EBADF);
	expect("read back abcZ", read(fd, buf, sizeof(buf)) == 4 && !memcmp(buf, "abcZ", 4), 0);
	close(fd);
}

static void namespace_ops(void)
{
	char buf[256];
	struct stat st;
	ssize_t n;

	expect("link /tmp/f /tmp/g", link("/tmp/f", "/tmp/g") == 0, 0);
	expect("nlink is 2", stat("/tmp/g", &st) == 0 && st.st_nlink == 2, st.st_nlink);
	expect("rename g h", rename("/tmp/g", "/tmp/h") == 0 && access("/tmp/g", F_OK) != 0, 0);
	expect("unlink h", unlink("/tmp/h") == 0 && stat("/tmp/f", &st) == 0 && st.st_nlink == 1, 0);
	expect("mkdir /tmp/d", mkdir("/tmp/d", 0755) == 0, 0);
	expect("chdir /tmp/d", chdir("/tmp/d") == 0, 0);
	expect("getcwd /tmp/d", getcwd(buf, sizeof(buf)) && !strcmp(buf, "/tmp/d"), 0);
	expect("relative ../f exists", access("../f", R_OK) == 0, 0);
	expect("symlink s -> ../f", symlink("../f", "s") == 0, 0);
	n = readlink("s", buf, sizeof(buf));
	expect("readlink s", n == 4 && !memcmp(buf, "../f", 4), n);
	expect("lstat sees the link", lstat("s", &st) == 0 && S_ISLNK(st.st_mode), st.st_mode);
	expect("stat follows it", stat("s", &st) == 0 && S_ISREG(st.st_mode), st.st_mode);
	n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	expect("readlink /proc/self/exe", n > 0 && !strncmp(buf, "/bin/mv-fs-errno", 16), n);
	expect("chdir ..", chdir("..") == 0 && getcwd(buf, sizeof(buf)) && !strcmp(buf, "/tmp"), 0);
	expect_err("rmdir /tmp/d with a link in it: ENOTEMPTY", rmdir("/tmp/d"), ENOTEMPTY);
	DIR *d = opendir("/tmp/d");
	struct dirent *e;
	int seen = 0;
	while (d && (e = readdir(d)))
		seen |= (!strcmp(e->d_name, ".") ? 1 : 0) | (!strcmp(e->d_name, "..") ? 2 : 0) |
			(!strcmp(e->d_name, "s") && e->d_type == DT_LNK ? 4 : 0);
	expect("getdents64 lists ., .. and s", seen == 7, seen);
	if (d)
		closedir(d);
	expect("unlink s, rmdir d", unlink("/tmp/d/s") == 0 && rmdir("/tmp/d") == 0, 0);
	expect("tainted reads 0", (n = open("/proc/sys/kernel/tainted", O_RDONLY)) >= 0 &&
	       read(n, buf, sizeof(buf)) == 2 && !memcmp(buf, "0\n", 2), 0);
}

/* More fd calls: getdents64 with small buffers, readv, pwrite, dup2/dup3, ESPIPE. */
static void fd_edges(void)
{
	char buf[64], a[4] = { 0 }, b[8] = { 0 };
	long n;
	int fd, entries = 0;

	fd = open("/etc", O_RDONLY | O_DIRECTORY);
	expect_err("getdents64 into 10 bytes: EINVAL", syscall(SYS_getdents64, fd, buf, 10), EINVAL);
	while ((n = syscall(SYS_getdents64, fd, buf, 40)) > 0)
		entries++;
	expect("getdents64 one 40-byte record at a time: ., .., group, hostname, passwd",
	       n == 0 && entries == 5, entries);
	expect_err("getdents64 on a file: ENOTDIR",
		   syscall(SYS_getdents64, open("/etc/passwd", O_RDONLY), buf, sizeof(buf)), ENOTDIR);
	expect_err("getdents64 into a bad buffer: EFAULT",
		   syscall(SYS_getdents64, open("/etc", O_RDONLY), bad_ptr(), 4096), EFAULT);
	close(fd);
	expect_err("lseek on the console: ESPIPE", lseek(1, 0, SEEK_SET), ESPIPE);
	expect_err("pread on the console: ESPIPE", pread(0, buf, 1, 0), ESPIPE);
	fd = open("/tmp/v", O_RDWR | O_CREAT | O_TRUNC, 0644);
	expect("pwrite at 4 leaves the offset", pwrite(fd, "wxyz", 4, 4) == 4 && lseek(fd, 0, SEEK_CUR) == 0, 0);
	expect("pwrite at 0", pwrite(fd, "abcd", 4, 0) == 4, 0);
	struct iovec iov[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	expect("readv splits 8 bytes over two buffers",
	       readv(fd, iov, 2) == 8 && !memcmp(a, "abcd", 4) && !memcmp(b, "wxyz", 4), 0);
	expect_err("readv with -1 buffers: EINVAL", syscall(SYS_readv, fd, iov, -1), EINVAL);
	expect_err("writev from a bad iovec: EFAULT", writev(fd, bad_ptr(), 1), EFAULT);
	expect("dup2 to 20", dup2(fd, 20) == 20 && lseek(20, 0, SEEK_CUR) == 8, 0);
	expect("dup2 onto itself", dup2(20, 20) == 20, 0);
	expect_err("dup3 onto itself: EINVAL", dup3(20, 20, 0), EINVAL);
	expect_err("dup2 from a closed fd: EBADF", dup2(99, 21), EBADF);
	expect("F_SETFL O_APPEND", fcntl(fd, F_SETFL, O_APPEND) == 0 && (fcntl(fd, F_GETFL) & O_APPEND), 0);
	expect("appends after F_SETFL", write(fd, "!", 1) == 1 && lseek(fd, 0, SEEK_CUR) == 9, 0);
	expect_err("ftruncate a read-only fd: EINVAL", ftruncate(open("/tmp/v", O_RDONLY), 0), EINVAL);
	close(20);
	close(fd);
	unlink("/tmp/v");
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	int r = write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -1;
	close(fd);
	return r;
}

static void sysctl_modules_disabled(void)
{
	const char *p = "/proc/sys/kernel/modules_disabled";
	char buf[8] = { 0 };
	int fd = open(p, O_RDONLY);

	expect("modules_disabled reads 0", fd >= 0 && read(fd, buf, 8) == 2 && !strcmp(buf, "0\n"), 0);
	close(fd);
	expect_err("modules_disabled: write 0 when 0: EINVAL", write_file(p, "0"), EINVAL);
	expect("modules_disabled: write 1", write_file(p, "1\n") == 0, 0);
	fd = open(p, O_RDONLY);
	expect("modules_disabled reads 1", read(fd, buf, 8) == 2 && !strcmp(buf, "1\n"), 0);
	close(fd);
	expect_err("modules_disabled: write 0 when 1: EINVAL", write_file(p, "0"), EINVAL);
}

/* cloexec: open one fd with O_CLOEXEC and one without, then exec ourselves to look. */
static void cloexec_parent(void)
{
	char a[16], b[16];
	int fa = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
	int fb = open("/etc/passwd", O_RDONLY);

	expect("O_CLOEXEC sets FD_CLOEXEC", fcntl(fa, F_GETFD) == FD_CLOEXEC, fcntl(fa, F_GETFD));
	snprintf(a, sizeof(a), "%d", fa);
	snprintf(b, sizeof(b), "%d", fb);
	char *argv[] = { "mv-fs-errno", "cloexec-child", a, b, NULL };
	execve("/proc/self/exe", argv, NULL);
	expect("execve /proc/self/exe", 0, -1);
}

static void cloexec_child(char **argv)
{
	int fa = atoi(argv[2]), fb = atoi(argv[3]);
	expect_err("O_CLOEXEC fd closed by execve: EBADF", fcntl(fa, F_GETFD), EBADF);
	expect("other fd survives execve", fcntl(fb, F_GETFD) == 0, fcntl(fb, F_GETFD));
	expect("its offset survives", lseek(fb, 0, SEEK_CUR) == 0, lseek(fb, 0, SEEK_CUR));
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "cloexec")) {
		cloexec_parent();
	} else if (argc > 3 && !strcmp(argv[1], "cloexec-child")) {
		cloexec_child(argv);
	} else if (argc > 1 && !strcmp(argv[1], "sysctl")) {
		sysctl_modules_disabled();
	} else {
		umask(022);
		errno_basics();
		errno_names();
		file_io();
		namespace_ops();
		fd_edges();
	}
	return failures > 100 ? 100 : failures;
}

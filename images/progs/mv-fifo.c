/* mv-fifo.c: checks of mknod(2) and mkfifo(3) in the guest: FIFO open/read/write semantics and mknod's errors, one "ok -" line each. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include "mv-check.h"

#define FIFO "/tmp/mv-fifo"

static void on_alarm(int sig) { (void)sig; }

/* Non-blocking opens: ENXIO for a writer without a reader, EOF for a reader without a writer. */
static void test_fifo_nonblock(void)
{
	struct stat st;
	char buf[8];
	int r, w;

	umask(022);
	check(mkfifo(FIFO, 0666) == 0, "mkfifo");
	check(stat(FIFO, &st) == 0 && S_ISFIFO(st.st_mode) && (st.st_mode & 07777) == 0644,
	      "stat: a FIFO, mode 0666 & ~umask");
	check_errno(mkfifo(FIFO, 0600), EEXIST, "mkfifo of an existing name");
	check_errno(open(FIFO, O_WRONLY | O_NONBLOCK), ENXIO,
		    "open O_WRONLY|O_NONBLOCK without a reader");
	r = open(FIFO, O_RDONLY | O_NONBLOCK);
	check(r >= 0, "open O_RDONLY|O_NONBLOCK without a writer does not wait");
	check(read(r, buf, sizeof(buf)) == 0, "read with no writer: end of file");
	w = open(FIFO, O_WRONLY | O_NONBLOCK);
	check(w >= 0, "open O_WRONLY|O_NONBLOCK with a reader");
	check_errno(read(r, buf, sizeof(buf)), EAGAIN, "read of an empty FIFO with a writer: EAGAIN");
	check(write(w, "abc", 3) == 3 && read(r, buf, sizeof(buf)) == 3 && !memcmp(buf, "abc", 3),
	      "bytes written come out of the reader");
	check_errno(lseek(r, 0, SEEK_SET), ESPIPE, "lseek on a FIFO");
	close(w);
	check(read(r, buf, sizeof(buf)) == 0, "read after the last writer closed: end of file");
	close(r);
	r = open(FIFO, O_RDWR);
	check(r >= 0, "open O_RDWR does not wait");
	check(write(r, "x", 1) == 1 && read(r, buf, 1) == 1 && buf[0] == 'x', "O_RDWR reads its own write");
	close(r);
	signal(SIGPIPE, SIG_IGN);
	r = open(FIFO, O_RDONLY | O_NONBLOCK);
	w = open(FIFO, O_WRONLY);
	close(r);
	check_errno(write(w, "x", 1), EPIPE, "write after the reader closed: EPIPE");
	close(w);
	signal(SIGPIPE, SIG_DFL);
}

/* Blocking opens wait for the other side; a signal interrupts the wait. */
static void test_fifo_block(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { { 0, 0 }, { 0, 50000 } };
	int sync[2], ws, fd;
	char buf[8] = { 0 };
	pid_t pid;

	pipe(sync);
	pid = fork();
	if (pid == 0) {
		close(sync[0]);
		fd = open(FIFO, O_RDONLY);      /* waits for the parent's writer */
		write(sync[1], "o", 1);
		_exit(fd >= 0 && read(fd, buf, sizeof(buf)) == 5 && !memcmp(buf, "hello", 5) ? 0 : 1);
	}
	close(sync[1]);
	usleep(100000);
	fcntl(sync[0], F_SETFL, O_NONBLOCK);
	check_errno(read(sync[0], buf, 1), EAGAIN, "open O_RDONLY waits while there is no writer");
	fd = open(FIFO, O_WRONLY);              /* the child is a reader now */
	check(fd >= 0 && write(fd, "hello", 5) == 5, "open O_WRONLY with a waiting reader");
	close(fd);
	waitpid(pid, &ws, 0);
	check(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "the waiting reader got the bytes");
	check(read(sync[0], buf, 1) == 1, "... after its open returned");
	close(sync[0]);

	pid = fork();
	if (pid == 0) {
		usleep(100000);
		fd = open(FIFO, O_RDONLY);
		_exit(fd >= 0 && read(fd, buf, sizeof(buf)) == 2 ? 0 : 1);
	}
	fd = open(FIFO, O_WRONLY);              /* waits for the child's reader */
	check(fd >= 0 && write(fd, "hi", 2) == 2, "open O_WRONLY waits for a reader");
	close(fd);
	waitpid(pid, &ws, 0);
	check(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "... which reads the bytes");

	sigaction(SIGALRM, &sa, NULL);          /* no SA_RESTART */
	setitimer(ITIMER_REAL, &it, NULL);
	check_errno(open(FIFO, O_RDONLY), EINTR, "a signal interrupts a waiting open");
	signal(SIGALRM, SIG_DFL);
	check(unlink(FIFO) == 0, "unlink a FIFO");
}

/* mknod: the node types, and its errors as in mknod(2). */
static void test_mknod(void)
{
	struct stat st;
	int fd, ws;
	pid_t pid;

	check(mknod("/tmp/mv-reg", S_IFREG | 0600, 0) == 0 && stat("/tmp/mv-reg", &st) == 0 &&
	      S_ISREG(st.st_mode), "mknod S_IFREG makes a regular file");
	check(mknod("/tmp/mv-reg0", 0600, 0) == 0 && stat("/tmp/mv-reg0", &st) == 0 &&
	      S_ISREG(st.st_mode), "mknod of type 0 makes a regular file");
	check(mknod("/tmp/mv-fifo2", S_IFIFO | 0600, 0) == 0 && stat("/tmp/mv-fifo2", &st) == 0 &&
	      S_ISFIFO(st.st_mode), "mknod S_IFIFO makes a FIFO");
	check(mknod("/tmp/mv-null", S_IFCHR | 0666, makedev(1, 3)) == 0 &&
	      stat("/tmp/mv-null", &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3),
	      "mknod S_IFCHR 1,3 as root: st_rdev");
	fd = open("/tmp/mv-null", O_RDWR);
	check(fd >= 0 && write(fd, "x", 1) == 1, "the new node is /dev/null's driver");
	close(fd);
	check(mknod("/tmp/mv-chr", S_IFCHR | 0600, makedev(42, 7)) == 0, "mknod of a device without a driver");
	check_errno(open("/tmp/mv-chr", O_RDONLY), ENXIO, "opening it");
	check(mknod("/tmp/mv-blk", S_IFBLK | 0600, makedev(8, 0)) == 0 &&
	      stat("/tmp/mv-blk", &st) == 0 && S_ISBLK(st.st_mode), "mknod S_IFBLK");
	check_errno(open("/tmp/mv-blk", O_RDONLY), ENXIO, "opening a block device: no driver");
	check(mknod("/tmp/mv-sock", S_IFSOCK | 0600, 0) == 0, "mknod S_IFSOCK");
	check_errno(open("/tmp/mv-sock", O_RDONLY), ENXIO, "opening a socket node");
	check_errno(mknod("/tmp/mv-dir", S_IFDIR | 0755, 0), EPERM, "mknod S_IFDIR");
	check_errno(mknod("/tmp/mv-bad", 0170000 | 0600, 0), EINVAL, "mknod of an unknown type");
	check_errno(mknod("/tmp/mv-reg", S_IFIFO | 0600, 0), EEXIST, "mknod of an existing name");
	check_errno(mknod("/tmp/none/x", S_IFIFO | 0600, 0), ENOENT, "mknod in a missing directory");
	check_errno(mknod("/tmp/mv-reg/x", S_IFIFO | 0600, 0), ENOTDIR, "mknod under a file");
	check_errno(mknod("/proc/x", S_IFIFO | 0600, 0), EPERM, "mknod in /proc");
	check_errno(syscall(SYS_mknod, (char *)8, S_IFIFO | 0600, 0), EFAULT, "mknod of a bad pointer");
	pid = fork();
	if (pid == 0) {
		if (setuid(65534))
			_exit(3);
		if (mknod("/tmp/mv-nchr", S_IFCHR | 0600, makedev(1, 3)) != -1 || errno != EPERM)
			_exit(1);
		if (mknod("/root/mv-fifo", S_IFIFO | 0600, 0) != -1 || errno != EACCES)
			_exit(2);
		_exit(mkfifo("/tmp/mv-nfifo", 0600) == 0 ? 0 : 4);
	}
	waitpid(pid, &ws, 0);
	check(WIFEXITED(ws) && WEXITSTATUS(ws) == 0,
	      "as nobody: a device is EPERM, an unwritable directory EACCES, a FIFO in /tmp works");
	check(stat("/tmp/mv-nfifo", &st) == 0 && st.st_uid == 65534, "... owned by nobody");
	check(mknodat(AT_FDCWD, "/tmp/mv-at", S_IFIFO | 0600, 0) == 0, "mknodat");
	check_errno(mknodat(99, "mv-at2", S_IFIFO | 0600, 0), EBADF, "mknodat with a bad dirfd");
}

int main(void)
{
	test_fifo_nonblock();
	test_fifo_block();
	test_mknod();
	return check_done();
}

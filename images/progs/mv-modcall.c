/* mv-modcall.c: call init_module/finit_module/delete_module with chosen (also bad) arguments; print the errno. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * usage: mv-modcall OP [ARGS...]; prints "OP ARGS: ok" or
 * "OP ARGS: ERRNAME (message)" and exits with 0 or the errno.  The operations make each user-visible
 * error of init_module(2) reachable from a shell:
 *   init FILE [PARAMS]          read FILE, init_module(image, len, PARAMS)
 *   init-short                  a 10-byte image               -> ENOEXEC
 *   init-badptr                 image pointer 0x1000          -> EFAULT
 *   init-badargs FILE           parameter pointer 0x1000      -> EFAULT (ENOEXEC for a
 *                               bad image: Linux copies the string after the ELF checks)
 *   init-long FILE N [PARAMS]   parameters: N spaces, then PARAMS (any length is fine)
 *   finit FILE [FLAGS [PARAMS]] open FILE read-only, finit_module
 *   finit-fd FD [FLAGS]         finit_module on a raw fd number
 *   finit-wronly FILE           FILE opened write-only         -> EBADF
 *   finit-busy FILE             FILE also open for writing     -> ETXTBSY
 *   delete NAME [FLAGS]         delete_module(NAME, FLAGS) (FLAGS: nonblock|trunc|NUMBER)
 *   delete-badptr               name pointer 0x1000            -> EFAULT
 */
static const char *errname(int e)
{
	static const struct { int e; const char *n; } t[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EIO, "EIO" }, { ENOEXEC, "ENOEXEC" },
		{ EBADF, "EBADF" }, { EAGAIN, "EWOULDBLOCK" }, { ENOMEM, "ENOMEM" },
		{ EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" }, { ENODEV, "ENODEV" },
		{ EINVAL, "EINVAL" }, { ETXTBSY, "ETXTBSY" }, { EFBIG, "EFBIG" }, { ENOSPC, "ENOSPC" },
		{ ERANGE, "ERANGE" }, { ENOSYS, "ENOSYS" }, { EBADMSG, "EBADMSG" },
		{ EOPNOTSUPP, "EOPNOTSUPP" }, { ENOKEY, "ENOKEY" }, { EKEYREJECTED, "EKEYREJECTED" },
		{ E2BIG, "E2BIG" }, { ETIMEDOUT, "ETIMEDOUT" }, { EACCES, "EACCES" },
	};

	static char other[16];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].e == e)
			return t[i].n;
	snprintf(other, sizeof(other), "E%d", e);
	return other;
}

static char label[512];        /* the command line, for the report */

static int report(const char *op, long r)
{
	int e = errno;

	(void)op;
	if (r == 0) {
		printf("%s: ok\n", label);
		return 0;
	}
	printf("%s: %s (%s)\n", label, errname(e), strerror(e));
	return e;
}

static void *slurp(const char *path, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY);
	char *buf;

	if (fd < 0 || fstat(fd, &st) != 0) {
		perror(path);
		exit(125);
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf || read(fd, buf, (size_t)st.st_size) != st.st_size) {
		perror(path);
		exit(125);
	}
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

static long flags_of(const char *s)
{
	if (!s)
		return 0;
	if (strcmp(s, "nonblock") == 0)
		return O_NONBLOCK;
	if (strcmp(s, "trunc") == 0)
		return O_TRUNC;
	return strtol(s, NULL, 0);
}

/* init_module with n spaces before params as the parameter string. */
static int init_long(void *img, size_t len, size_t n, const char *params)
{
	char *args = malloc(n + strlen(params) + 1);

	if (!args) {
		perror("init-long");
		return 125;
	}
	memset(args, ' ', n);
	strcpy(args + n, params);
	return report("init-long", syscall(SYS_init_module, img, len, args));
}

static int op_init(int argc, char **argv)
{
	size_t len;
	void *img;

	if (strcmp(argv[1], "init-short") == 0) {
		static const char ten[10] = "\177ELF";
		return report(argv[1], syscall(SYS_init_module, ten, sizeof(ten), ""));
	}
	if (strcmp(argv[1], "init-badptr") == 0)
		return report(argv[1], syscall(SYS_init_module, (void *)0x1000, 4096, ""));
	if (argc < 3)
		return 124;
	img = slurp(argv[2], &len);
	if (strcmp(argv[1], "init-badargs") == 0)
		return report(argv[1], syscall(SYS_init_module, img, len, (char *)0x1000));
	if (strcmp(argv[1], "init-long") == 0 && argc > 3)
		return init_long(img, len, strtoul(argv[3], NULL, 0), argc > 4 ? argv[4] : "");
	return report(argv[1], syscall(SYS_init_module, img, len, argc > 3 ? argv[3] : ""));
}

static int op_finit(int argc, char **argv)
{
	int fd, wfd = -1;

	if (strcmp(argv[1], "finit-fd") == 0 && argc > 2)
		return report(argv[1], syscall(SYS_finit_module, atoi(argv[2]), "",
					       flags_of(argc > 3 ? argv[3] : NULL)));
	if (argc < 3)
		return 124;
	if (strcmp(argv[1], "finit-wronly") == 0)
		fd = open(argv[2], O_WRONLY);
	else
		fd = open(argv[2], O_RDONLY);
	if (strcmp(argv[1], "finit-busy") == 0)
		wfd = open(argv[2], O_RDWR);
	if (fd < 0) {
		perror(argv[2]);
		return 125;
	}
	long r = syscall(SYS_finit_module, fd, argc > 4 ? argv[4] : "",
			 flags_of(argc > 3 ? argv[3] : NULL));
	int ret = report(argv[1], r);
	close(fd);
	if (wfd >= 0)
		close(wfd);
	return ret;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: mv-modcall init|init-short|init-badptr|init-badargs|finit|"
			"finit-fd|finit-wronly|finit-busy|delete|delete-badptr [ARGS...]\n");
		return 124;
	}
	for (int i = 1; i < argc; i++)
		snprintf(label + strlen(label), sizeof(label) - strlen(label), "%s%s",
			 i > 1 ? " " : "", argv[i]);
	if (strncmp(argv[1], "init", 4) == 0)
		return op_init(argc, argv);
	if (strncmp(argv[1], "finit", 5) == 0)
		return op_finit(argc, argv);
	if (strcmp(argv[1], "delete-badptr") == 0)
		return report(argv[1], syscall(SYS_delete_module, (char *)0x1000, 0));
	if (strcmp(argv[1], "delete") == 0 && argc > 2)
		return report(argv[1], syscall(SYS_delete_module, argv[2],
					       flags_of(argc > 3 ? argv[3] : NULL)));
	fprintf(stderr, "mv-modcall: unknown operation %s\n", argv[1]);
	return 124;
}

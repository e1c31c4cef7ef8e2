/* cpio_write.c: write host files, symlinks and directories as a newc cpio archive. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cpio_write.h"
#include "kernel_load.h"

#define CPIO_HDR_LEN 110

/* cpio_reserve(o, n): room for n more bytes; 0 or -ENOMEM. */
static int cpio_reserve(struct cpio_out *o, size_t n)
{
	size_t cap = o->cap ? o->cap : 4096;
	uint8_t *p;

	if (o->len + n <= o->cap)
		return 0;
	while (cap < o->len + n) {
		if (cap > SIZE_MAX / 2)
			return -ENOMEM;
		cap *= 2;
	}
	p = realloc(o->data, cap);
	if (!p)
		return -ENOMEM;
	o->data = p;
	o->cap = cap;
	return 0;
}

/* cpio_pad(o): zero-fill to the next 4-byte boundary. */
static void cpio_pad(struct cpio_out *o)
{
	while (o->len % 4)
		o->data[o->len++] = 0;
}

int cpio_add(struct cpio_out *o, const char *name, uint32_t mode, uint32_t mtime,
	     const void *data, size_t len)
{
	size_t nlen = strlen(name) + 1;
	char hdr[CPIO_HDR_LEN + 1];
	int rc;

	if (len > UINT32_MAX || nlen > PATH_MAX)
		return -E2BIG;
	rc = cpio_reserve(o, CPIO_HDR_LEN + nlen + len + 8);
	if (rc)
		return rc;
	snprintf(hdr, sizeof(hdr), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 ++o->next_ino, mode, 0u, 0u, (mode & S_IFMT) == S_IFDIR ? 2u : 1u, mtime,
		 (uint32_t)len, 0u, 0u, 0u, 0u, (uint32_t)nlen, 0u);
	memcpy(o->data + o->len, hdr, CPIO_HDR_LEN);
	o->len += CPIO_HDR_LEN;
	memcpy(o->data + o->len, name, nlen);
	o->len += nlen;
	cpio_pad(o);
	if (len)
		memcpy(o->data + o->len, data, len);
	o->len += len;
	cpio_pad(o);
	return 0;
}

int cpio_finish(struct cpio_out *o)
{
	return cpio_add(o, "TRAILER!!!", 0, 0, NULL, 0);
}

void cpio_free(struct cpio_out *o)
{
	free(o->data);
	memset(o, 0, sizeof(*o));
}

static int cpio_walk(struct cpio_out *o, const char *host, const char *name,
		     char *err, size_t errlen);

/* cpio_walk_dir(o, host, name, err, errlen): a directory's entries, sorted. */
static int cpio_walk_dir(struct cpio_out *o, const char *host, const char *name,
			 char *err, size_t errlen)
{
	struct dirent **ents;
	char h[PATH_MAX], g[PATH_MAX];
	int n, i, rc = 0;

	n = scandir(host, &ents, NULL, alphasort);
	if (n < 0) {
		rc = -errno;
		snprintf(err, errlen, "--add: %s: %s", host, strerror(errno));
		return rc;
	}
	for (i = 0; i < n; i++) {
		const char *d = ents[i]->d_name;

		if (!rc && strcmp(d, ".") && strcmp(d, "..")) {
			if (snprintf(h, sizeof(h), "%s/%s", host, d) >= (int)sizeof(h) ||
			    snprintf(g, sizeof(g), "%s/%s", name, d) >= (int)sizeof(g)) {
				snprintf(err, errlen, "--add: %s/%s: path too long", host, d);
				rc = -ENAMETOOLONG;
			} else {
				rc = cpio_walk(o, h, g, err, errlen);
			}
		}
		free(ents[i]);
	}
	free(ents);
	return rc;
}

/* cpio_walk(o, host, name, err, errlen): one host path as archive name. */
static int cpio_walk(struct cpio_out *o, const char *host, const char *name,
		     char *err, size_t errlen)
{
	struct stat st;
	char target[PATH_MAX];
	uint8_t *buf;
	size_t len;
	ssize_t n;
	int rc;

	if (lstat(host, &st) < 0) {
		rc = -errno;
		snprintf(err, errlen, "--add: %s: %s", host, strerror(errno));
		return rc;
	}
	if (S_ISLNK(st.st_mode)) {
		n = readlink(host, target, sizeof(target));
		if (n < 0 || n == sizeof(target)) {
			snprintf(err, errlen, "--add: %s: cannot read link", host);
			return -EINVAL;
		}
		return cpio_add(o, name, st.st_mode, st.st_mtime, target, n);
	}
	if (S_ISDIR(st.st_mode)) {
		rc = cpio_add(o, name, st.st_mode, st.st_mtime, NULL, 0);
		return rc ? rc : cpio_walk_dir(o, host, name, err, errlen);
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "--add: %s: not a regular file, directory or symlink",
			 host);
		return -EINVAL;
	}
	rc = read_whole_file(host, &buf, &len);
	if (rc) {
		snprintf(err, errlen, "--add: %s: %s", host, strerror(-rc));
		return rc;
	}
	rc = cpio_add(o, name, st.st_mode, st.st_mtime, buf, len);
	free(buf);
	return rc;
}

/* cpio_parents(o, name): directory entries for each parent of name. */
static int cpio_parents(struct cpio_out *o, const char *name)
{
	char dir[PATH_MAX];
	const char *s;
	int rc;

	for (s = strchr(name, '/'); s; s = strchr(s + 1, '/')) {
		memcpy(dir, name, s - name);
		dir[s - name] = '\0';
		rc = cpio_add(o, dir, S_IFDIR | 0755, 0, NULL, 0);
		if (rc)
			return rc;
	}
	return 0;
}

int cpio_add_host(struct cpio_out *o, const char *host, const char *guest,
		  char *err, size_t errlen)
{
	const char *name = guest, *c;
	int rc;

	while (*name == '/')
		name++;
	if (*guest != '/' || !*name || strlen(name) >= PATH_MAX) {
		snprintf(err, errlen, "--add: guest path '%s' must be absolute and not '/'",
			 guest);
		return -EINVAL;
	}
	if (strstr(name, "//") || name[strlen(name) - 1] == '/') {
		snprintf(err, errlen, "--add: guest path '%s' has an empty component", guest);
		return -EINVAL;
	}
	for (c = name; c; c = strchr(c, '/')) {
		c += *c == '/';
		if (!strncmp(c, "..", 2) && (c[2] == '/' || !c[2])) {
			snprintf(err, errlen, "--add: guest path '%s' contains '..'", guest);
			return -EINVAL;
		}
	}
	rc = cpio_parents(o, name);
	if (!rc)
		rc = cpio_walk(o, host, name, err, errlen);
	if (rc == -ENOMEM)
		snprintf(err, errlen, "--add: %s: out of memory", host);
	return rc;
}

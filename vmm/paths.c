/* paths.c: the data directory (images/, emuhost/) next to the binary, or under PREFIX/lib/modvisor. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "paths.h"

int paths_self_dir(char *buf, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n < 0)
		return -errno;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return -ENOENT;
	*slash = '\0';
	if (snprintf(buf, len, "%s", exe) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

/* is_dir(dir, sub): dir/sub is a directory. */
static int is_dir(const char *dir, const char *sub)
{
	char p[PATH_MAX];
	struct stat st;

	if (snprintf(p, sizeof(p), "%s/%s", dir, sub) >= (int)sizeof(p))
		return 0;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int paths_data_dir(char *buf, size_t len)
{
	char self[PATH_MAX];
	int err = paths_self_dir(self, sizeof(self));

	if (err)
		return err;
	if (!is_dir(self, "images") && is_dir(self, PATHS_INSTALLED_DATA "/images")) {
		if (snprintf(buf, len, "%s/%s", self, PATHS_INSTALLED_DATA) >= (int)len)
			return -ENAMETOOLONG;
		return 0;
	}
	if (snprintf(buf, len, "%s", self) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

const char *paths_data_file(const char *rel, char *buf, size_t len)
{
	char dir[PATH_MAX];

	if (paths_data_dir(dir, sizeof(dir)) < 0)
		return NULL;
	if (snprintf(buf, len, "%s/%s", dir, rel) >= (int)len)
		return NULL;
	return buf;
}

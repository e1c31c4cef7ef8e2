/* jobdir.c: owners of the emulated host's job directories; stale ones are removed at the next start. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "jobdir.h"

/* jobdir_start_time(pid): field 22 of /proc/PID/stat (clock ticks since boot), or 0. */
static unsigned long long jobdir_start_time(long pid)
{
	char path[64], buf[1024], *p;
	unsigned long long t = 0;
	ssize_t n;
	int fd, field;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');          /* the name may hold blanks and parentheses */
	for (field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (p)
		t = strtoull(p + 1, NULL, 10);
	return t;
}

int jobdir_claim(const char *dir)
{
	char path[PATH_MAX + 16];
	FILE *f;

	snprintf(path, sizeof(path), "%s/" JOBDIR_OWNER, dir);
	f = fopen(path, "we");
	if (!f)
		return -errno;
	fprintf(f, "%ld %llu\n", (long)getpid(), jobdir_start_time(getpid()));
	return fclose(f) == 0 ? 0 : -errno;
}

/* jobdir_alive(dir, st, maxage_s): does dir's owner still run (or is it too young to judge)? */
static int jobdir_alive(const char *dir, const struct stat *st, long maxage_s)
{
	char path[PATH_MAX + 16];
	unsigned long long start = 0;
	long pid = 0;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "%s/" JOBDIR_OWNER, dir);
	f = fopen(path, "re");
	if (!f)
		return time(NULL) - st->st_mtime < maxage_s;
	n = fscanf(f, "%ld %llu", &pid, &start);
	fclose(f);
	if (n != 2 || pid <= 0)
		return time(NULL) - st->st_mtime < maxage_s;
	return jobdir_start_time(pid) == start && start != 0;
}

/* jobdir_remove(dir): its files (a job directory has no subdirectories), then itself. */
static int jobdir_remove(const char *dir)
{
	char path[PATH_MAX + 272];
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	return rmdir(dir);
}

int jobdir_clean_stale(const char *parent, long maxage_s)
{
	char dir[PATH_MAX];
	struct dirent *e;
	struct stat st;
	DIR *d = opendir(parent);
	int removed = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, JOBDIR_PREFIX, strlen(JOBDIR_PREFIX)) != 0 ||
		    snprintf(dir, sizeof(dir), "%s/%s", parent, e->d_name) >= (int)sizeof(dir))
			continue;
		/* Only real directories of ours: never follow a link someone planted. */
		if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
			continue;
		if (!jobdir_alive(dir, &st, maxage_s) && jobdir_remove(dir) == 0)
			removed++;
	}
	closedir(d);
	return removed;
}

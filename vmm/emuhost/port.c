/* port.c: inside the emulated KVM host, open a virtio-serial port by its name (there is no udev for /dev/virtio-ports/). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "port.h"

/* emuhost_port_is(dev, name): does /sys/class/virtio-ports/dev/name hold name? */
static int emuhost_port_is(const char *dev, const char *name)
{
	char path[512], line[128];
	FILE *f;
	int is = 0;

	snprintf(path, sizeof(path), "/sys/class/virtio-ports/%s/name", dev);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		is = strcmp(line, name) == 0;
	}
	fclose(f);
	return is;
}

int emuhost_port_open(const char *name)
{
	DIR *d = opendir("/sys/class/virtio-ports");
	struct dirent *e;
	char path[300];
	int fd = -ENOENT;

	if (!d)
		return -errno;
	while (fd == -ENOENT && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || !emuhost_port_is(e->d_name, name))
			continue;
		snprintf(path, sizeof(path), "/dev/%s", e->d_name);
		fd = open(path, O_RDWR | O_CLOEXEC | O_NOCTTY);
		if (fd < 0)
			fd = -errno;
	}
	closedir(d);
	return fd;
}

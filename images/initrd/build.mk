# images/initrd/build.mk: the default initrd, build/images/initrd.cpio (newc).
#
# Contents: Debian's busybox-static binary, copied unmodified from the
# installed package (scripts/deps.sh installs it), at /bin/busybox with
# applet symlinks; the project's test programs ($(IMAGE_PROGS), from
# images/progs/build.mk) in /bin; the sample and test modules
# ($(IMAGE_MODULES), from images/modules/build.mk) in /lib/modules.
# The archive is reproducible: names sorted, fixed owner and mtimes.

INITRD         := $(BUILD)/images/initrd.cpio
INITRD_ROOT    := $(BUILD)/images/initrd-root
INITRD_MTIME   := 2024-01-01 00:00:00 UTC
IMAGES         += $(INITRD)

# Applets linked in /bin, and the module tools in /sbin as Debian places them.
INITRD_BIN_APPLETS := sh cat echo ls true false uname mkdir rmdir rm cp mv ln \
	head tail wc test [ printf id env sleep dmesg stat readlink realpath touch \
	chmod grep sed find hexdump od cmp diff basename dirname pwd whoami \
	hostname date sync seq sort uniq cut tr tee du md5sum sha256sum xxd yes expr \
	chown chgrp dd truncate mktemp strings sha1sum which unlink tac \
	rev nl awk free df uptime mkfifo mknod zcat
INITRD_SBIN_APPLETS := insmod rmmod lsmod modinfo modprobe depmod

$(INITRD): images/initrd/build.mk images/initrd/mkinitrd.sh shared/include/modvisor/version.h $$(IMAGE_PROGS) $$(IMAGE_MODULES)
	$(call msg,CPIO,$@)mkdir -p $(@D) && \
	  INITRD_MTIME='$(INITRD_MTIME)' \
	  BIN_APPLETS='$(INITRD_BIN_APPLETS)' SBIN_APPLETS='$(INITRD_SBIN_APPLETS)' \
	  PROGS='$(IMAGE_PROGS)' MODULES='$(IMAGE_MODULES)' \
	  images/initrd/mkinitrd.sh $(INITRD_ROOT) $@

CLEAN_EXTRA += $(INITRD_ROOT)

# tests/unit/fs.mk: unit tests of the cpio reader and the guest file system (host build).
#
# The file system core in guest/fs/ is plain C that also builds for the
# host (tests/hosted/fs_env_hosted.c implements guest/fs/fs_env.h with libc),
# so test_vfs links the real ramfs, path walk, fd tables, pseudo files and
# initrd unpacker.  The sys_*.c files and env_kernel.c need the guest kernel
# and are not part of it.

FS_HOST_SRCS := $(filter-out guest/fs/sys_%.c guest/fs/env_kernel.c,$(wildcard guest/fs/*.c)) \
                tests/hosted/fs_env_hosted.c
FS_HOST_OBJS := $(FS_HOST_SRCS:%.c=$(BUILD)/host/%.o)

TEST_BINS += $(BUILD)/tests/unit/test_cpio $(BUILD)/tests/unit/test_vfs

$(FS_HOST_OBJS) $(BUILD)/host/tests/unit/test_vfs.o: HOST_CFLAGS += -iquote guest/include

$(BUILD)/tests/unit/test_cpio: $(BUILD)/host/tests/unit/test_cpio.o $(BUILD)/host/shared/lib/cpio.o
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) $^ -o $@ $(CHECK_LIBS)

$(BUILD)/tests/unit/test_vfs: $(BUILD)/host/tests/unit/test_vfs.o $(FS_HOST_OBJS) \
		$(BUILD)/host/shared/lib/cpio.o
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) $^ -o $@ $(CHECK_LIBS)

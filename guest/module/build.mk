# guest/module/build.mk: the module loader, its kernel environment, parameters and module syscalls in the guest kernel.
#
# Included from guest/build.mk.  Every guest/module/*.c is kernel code; the
# host build of the same loader files is tests/unit/loader.mk.
GUEST_MODULE_SRCS := $(wildcard guest/module/*.c)
GUEST_EXTRA_OBJS  += $(GUEST_MODULE_SRCS:%.c=$(BUILD)/guest/%.o)

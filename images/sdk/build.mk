# images/sdk/build.mk: the SDK's host tool (modpost) and the kernel's export CRCs and Module.symvers.
#
# Included before guest/build.mk: the guest kernel links GUEST_EXTRA_OBJS,
# which carries the absolute __crc_NAME symbols its __ksymtab entries
# (guest/kernel/exports.c) refer to.
include images/sdk/flags.mk

SDK_HEADERS    := $(wildcard images/sdk/include/linux/*.h) shared/include/modvisor/abi/module.h \
                  shared/include/modvisor/abi/ksymtab.h
MODPOST        := $(BUILD)/sdk/modpost
MODPOST_OBJS   := $(patsubst %.c,$(BUILD)/host/%.o,$(wildcard images/sdk/modpost*.c))
KERNEL_SYMVERS := $(BUILD)/images/Module.symvers
KAPI_I         := $(BUILD)/sdk/kapi.i
EXPORT_CRC_S   := $(BUILD)/sdk/exports-crc.S
EXPORT_CRC_O   := $(BUILD)/guest/sdk/exports-crc.o

IMAGES           += $(MODPOST) $(KERNEL_SYMVERS)
GUEST_EXTRA_OBJS += $(EXPORT_CRC_O)

$(MODPOST): $(MODPOST_OBJS)
	$(call msg,HOSTLD,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) -o $@ $^ -lz

# The kernel API as module authors see it, preprocessed: the text CRCs are taken from.
$(KAPI_I): images/sdk/kapi.c $(SDK_HEADERS)
	$(call msg,CPP,$@)mkdir -p $(@D) && $(MOD_CC) $(MOD_CFLAGS) -Iimages/sdk/include \
		-Ishared/include -DKBUILD_MODNAME='"vmlinux"' -E -P $< -o $@

# Grouped target: one modpost run writes both files.
$(KERNEL_SYMVERS) $(EXPORT_CRC_S) &: guest/kernel/exports.c $(KAPI_I) $(MODPOST)
	$(call msg,MODPOST,$(KERNEL_SYMVERS))mkdir -p $(dir $(KERNEL_SYMVERS)) $(dir $(EXPORT_CRC_S)) && \
		$(MODPOST) -k guest/kernel/exports.c -c $(KAPI_I) -o $(KERNEL_SYMVERS) -s $(EXPORT_CRC_S)

$(EXPORT_CRC_O): $(EXPORT_CRC_S)
	$(call msg,AS,$@)mkdir -p $(@D) && $(GUEST_CC) -c $< -o $@

# `make module M=DIR [MO=OUTDIR]`: build an out-of-tree module directory.
.PHONY: module
module: $(MODPOST) $(KERNEL_SYMVERS)
	@$(MAKE) --no-print-directory -f images/sdk/module.mk M=$(M) $(if $(MO),MO=$(MO)) MV_ROOT=. MV_BUILD=$(BUILD)
CLEAN_EXTRA    += $(BUILD)/sdk

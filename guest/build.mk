# guest/build.mk: the guest kernel, build/images/kernel.elf.
#
# Sources: the arch part, the portable kernel, the PC drivers, the freestanding library,
# the file system (guest/fs) and the shared parsers.  Other fragments, read
# before this one, may add objects (GUEST_EXTRA_OBJS: the export table and
# its CRCs, the module loader) and linker flags (GUEST_EXTRA_LDFLAGS).
GUEST_SRCS   := $(wildcard guest/arch/x86_64/*.c guest/arch/x86_64/*.S \
                  guest/kernel/*.c guest/lib/*.c guest/fs/*.c guest/drivers/*.c)
GUEST_OBJS   := $(patsubst %,$(BUILD)/guest/%.o,$(basename $(GUEST_SRCS)))
GUEST_LDS    := guest/arch/x86_64/kernel.ld

# The configuration (guest/kernel.config, scripts/mkkconfig.sh): the kernel's
# code includes <generated/autoconf.h>; /proc/config.gz serves the text,
# gzipped here (-n: no name or time, so the image is reproducible).
GUEST_KCONFIG    := $(BUILD)/images/kernel.config
GUEST_KCONFIG_GZ := $(BUILD)/guest/kernel.config.gz
GUEST_AUTOCONF   := $(BUILD)/guest/include/generated/autoconf.h
GUEST_CFLAGS     += -I$(BUILD)/guest/include
GUEST_OBJS       += $(BUILD)/guest/guest/kernel/configs.o
IMAGES           += $(GUEST_KCONFIG)

$(GUEST_KCONFIG) $(GUEST_AUTOCONF) &: guest/kernel.config scripts/mkkconfig.sh \
		shared/include/modvisor/version.h
	$(call msg,KCONFIG,$(GUEST_KCONFIG))scripts/mkkconfig.sh guest/kernel.config \
		shared/include/modvisor/version.h '$(GUEST_CC)' $(GUEST_AUTOCONF) $(GUEST_KCONFIG)
$(GUEST_KCONFIG_GZ): $(GUEST_KCONFIG)
	$(call msg,GZIP,$@)mkdir -p $(@D) && gzip -9 -n -c $< >$@.tmp && mv $@.tmp $@
$(BUILD)/guest/guest/kernel/configs.o: $(GUEST_KCONFIG_GZ)
$(BUILD)/guest/guest/kernel/configs.o: GUEST_ASFLAGS += -DKCONFIG_GZ='"$(GUEST_KCONFIG_GZ)"'
$(filter-out %/configs.o,$(GUEST_OBJS)): | $(GUEST_KCONFIG)
GUEST_KERNEL := $(BUILD)/images/kernel.elf
IMAGES       += $(GUEST_KERNEL)

$(GUEST_KERNEL): $(GUEST_OBJS) $(SHARED_GUEST_OBJS) $$(GUEST_EXTRA_OBJS) $(GUEST_LDS)
	$(call msg,LD,$@)mkdir -p $(@D) && $(GUEST_LD) -nostdlib -static \
		-z max-page-size=4096 -z noexecstack -T $(GUEST_LDS) \
		$(GUEST_EXTRA_LDFLAGS) -o $@ \
		$(GUEST_OBJS) $(SHARED_GUEST_OBJS) $(GUEST_EXTRA_OBJS)
include guest/module/build.mk

# guest/build.mk: the guest kernel, build/images/kernel.elf.
#
# Sources: the arch part, the portable kernel, the freestanding library,
# the file system (guest/fs) and the shared parsers.  Other fragments, read
# before this one, may add objects (GUEST_EXTRA_OBJS: the export table and
# its CRCs, the module loader) and linker flags (GUEST_EXTRA_LDFLAGS).
GUEST_SRCS   := $(wildcard guest/arch/x86_64/*.c guest/arch/x86_64/*.S \
                  guest/kernel/*.c guest/lib/*.c guest/fs/*.c)
GUEST_OBJS   := $(patsubst %,$(BUILD)/guest/%.o,$(basename $(GUEST_SRCS)))
GUEST_LDS    := guest/arch/x86_64/kernel.ld
GUEST_KERNEL := $(BUILD)/images/kernel.elf
IMAGES       += $(GUEST_KERNEL)

$(GUEST_KERNEL): $(GUEST_OBJS) $(SHARED_GUEST_OBJS) $$(GUEST_EXTRA_OBJS) $(GUEST_LDS)
	$(call msg,LD,$@)mkdir -p $(@D) && $(GUEST_LD) -nostdlib -static \
		-z max-page-size=4096 -z noexecstack -T $(GUEST_LDS) \
		$(GUEST_EXTRA_LDFLAGS) -o $@ \
		$(GUEST_OBJS) $(SHARED_GUEST_OBJS) $(GUEST_EXTRA_OBJS)
include guest/module/build.mk

# Makefile: modvisor's one entry point (make, make run, make check, make bench, make fuzz,
# make install, make uninstall).
#
# Each directory contributes a fragment (vmm/build.mk, guest/build.mk, ...)
# that appends to the variables below.  Host objects go to build/host/,
# guest objects to build/guest/, so code in shared/ is compiled once per side
# with that side's flags.  V=1 shows the full commands.

BUILD   ?= build
V       ?= 0
ifeq ($(V),1)
Q       :=
msg      =
else
Q       := @
msg      = @printf '  %-8s %s\n' '$(1)' '$(2)';
endif

# ---- host side: the VMM, host tools, unit tests -------------------------
HOSTCC       ?= gcc
HOST_CFLAGS  := -std=gnu11 -O2 -g -Wall -Wextra -Werror -MMD -MP \
                -D_GNU_SOURCE -Ishared/include $(EXTRA_HOST_CFLAGS)
HOST_LDFLAGS := $(EXTRA_HOST_LDFLAGS)
HOST_LDLIBS  := -lxxhash -lcrypto -linih -lz -llzma -lzstd -lpthread
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)

# ---- guest side: the freestanding higher-half kernel ---------------------
# No red zone and no SSE/x87 in kernel code: interrupts and syscalls run on
# the same stack without saving vector state.  -mcmodel=kernel puts the
# kernel (and later modules) in the top 2 GiB, as Linux does.
GUEST_CC     ?= gcc
GUEST_LD     ?= ld
GUEST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -MMD -MP \
                -ffreestanding -nostdinc \
                -isystem $(shell $(GUEST_CC) -print-file-name=include) \
                -mcmodel=kernel -mno-red-zone -mgeneral-regs-only \
                -fno-pic -fno-pie -fno-stack-protector -fno-common \
                -fno-asynchronous-unwind-tables -fno-omit-frame-pointer \
                -fcf-protection=none -D__MODVISOR_GUEST__ \
                -Iguest/include -Ishared/include
GUEST_ASFLAGS := $(filter-out -std=gnu11,$(GUEST_CFLAGS)) -D__ASSEMBLY__

.DEFAULT_GOAL := all
.PHONY: all deps run check bench fuzz clean images tests
all: $(BUILD)/modvisor images

# Fragments append to these.
IMAGES      :=   # files under build/images/ that `make` must produce
TEST_BINS   :=   # unit-test executables run by tests/run.sh
CLEAN_EXTRA :=

# Fragments may name each other's variables in prerequisites as $$(VAR).
.SECONDEXPANSION:
include shared/build.mk
include vmm/build.mk
include images/build.mk
include guest/build.mk
include tests/build.mk
include scripts/install.mk

images: $(IMAGES)
tests: $(TEST_BINS)

deps:
	@scripts/deps.sh

# The main job on the default images: boot (the banner), load the sample
# module with parameters, read one back, list and unload it, then replay the
# run's measurement log.
RUN_LOG ?= $(BUILD)/run.log
run: deps
	@$(MAKE) --no-print-directory all
	$(BUILD)/modvisor run --log $(RUN_LOG) \
	  -c 'insmod /lib/modules/hello.ko who=world count=3 ids=1,2,3 verbose' \
	  -c 'cat /sys/module/hello/parameters/count' -c 'lsmod' -c 'rmmod hello'
	$(BUILD)/modvisor log verify $(RUN_LOG)

check: deps
	@$(MAKE) --no-print-directory all tests
	@tests/run.sh

# The benchmark suite (docs/benchmarks.md): VM sections in one emulated KVM host
# when /dev/kvm cannot run the guest; BENCH_FLAGS e.g. --quick, --only boot.
bench: deps
	@$(MAKE) --no-print-directory all bench-modules $(BENCH_STAGES)
	$(BUILD)/modvisor bench $(BENCH_FLAGS)

# ---- generic rules ---------------------------------------------------------
$(BUILD)/host/%.o: %.c
	$(call msg,HOSTCC,$<)mkdir -p $(@D) && $(HOSTCC) $(HOST_CFLAGS) $(CHECK_CFLAGS) -c $< -o $@

$(BUILD)/guest/%.o: %.c
	$(call msg,CC,$<)mkdir -p $(@D) && $(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@

$(BUILD)/guest/%.o: %.S
	$(call msg,AS,$<)mkdir -p $(@D) && $(GUEST_CC) $(GUEST_ASFLAGS) -c $< -o $@

clean:
	rm -rf $(BUILD)/host $(BUILD)/guest $(BUILD)/modvisor $(BUILD)/images $(BUILD)/tests $(CLEAN_EXTRA)

-include $(shell find $(BUILD)/host $(BUILD)/guest -name '*.d' 2>/dev/null)

# tests/fuzz/build.mk: libFuzzer harnesses (clang 14, ASan+UBSan) in build/fuzz/, `make fuzz`.
#
# Each harness links the real parser compiled with the fuzzing flags into
# build/fuzz/obj/ (never the guest kernel's objects: only host builds of the
# shared and portable code).  `make fuzz` builds them, gathers the seed
# corpora (tests/fuzz/seeds.sh) and runs each for FUZZ_TIME seconds
# (tests/fuzz/run.sh); tests/run.sh runs the same with a short FUZZ_TIME.

FUZZ_CC     ?= clang-14
FUZZ_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := -Ivmm -std=gnu11 -O1 -g -fno-omit-frame-pointer -Wall -Wextra -Werror \
               -MMD -MP -D_GNU_SOURCE -Ishared/include $(FUZZ_SAN) \
               -fsanitize=fuzzer-no-link
FUZZ_LDFLAGS := $(FUZZ_SAN) -fsanitize=fuzzer

FUZZ_NAMES := loader params modinfo sig cpio policy kernel mlog elf_exec decompress rederive mvap
FUZZ_BINS  := $(FUZZ_NAMES:%=$(BUILD)/fuzz/fuzz_%)
FUZZ_OBJS   = $(patsubst %,$(BUILD)/fuzz/obj/%.o,$(1))

# What each harness links besides itself and tests/fuzz/fuzz_util.c.
FUZZ_DEPS_loader   := $(addprefix guest/module/,elf_check layout load relocate reloc_x86_64 signature symbols \
                        unload version params) \
                      $(patsubst %.c,%,$(wildcard shared/lib/*.c)) tests/hosted/loader_env_hosted
FUZZ_DEPS_params   := guest/module/params shared/lib/kstrtox tests/hosted/loader_env_hosted
FUZZ_DEPS_modinfo  := shared/lib/modinfo
FUZZ_DEPS_sig      := vmm/authority/sig vmm/authority/measure shared/lib/modsig
FUZZ_DEPS_cpio     := shared/lib/cpio
FUZZ_DEPS_policy   := vmm/authority/policy vmm/authority/measure shared/lib/errname
FUZZ_DEPS_kernel   := vmm/kernel_load shared/lib/elf_exec
FUZZ_DEPS_mlog     := vmm/authority/mlog_read vmm/authority/mlog_fmt vmm/authority/mlog vmm/authority/measure vmm/authority/policy vmm/authority/sig \
                      shared/lib/modsig
FUZZ_DEPS_mlog     += vmm/emuhost/hostlock shared/lib/errname
FUZZ_DEPS_elf_exec := shared/lib/elf_exec
FUZZ_DEPS_decompress := guest/module/decompress vmm/authority/decompress_env
FUZZ_DEPS_mvap     := shared/lib/mvap
FUZZ_DEPS_rederive := vmm/authority/rederive vmm/authority/loader_env \
                      $(addprefix guest/module/,elf_check layout relocate reloc_x86_64 signature) \
                      $(patsubst %.c,%,$(wildcard shared/lib/*.c))

$(BUILD)/fuzz/obj/%.o: %.c
	$(call msg,FUZZCC,$<)mkdir -p $(@D) && $(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_BINS): $(BUILD)/fuzz/fuzz_%: $(BUILD)/fuzz/obj/tests/fuzz/fuzz_%.o \
		$(BUILD)/fuzz/obj/tests/fuzz/fuzz_util.o $$(call FUZZ_OBJS,$$(FUZZ_DEPS_$$*))
	$(call msg,FUZZLD,$@)$(FUZZ_CC) $(FUZZ_LDFLAGS) $^ -o $@ $(HOST_LDLIBS)

# A host tool that writes measurement logs in every format (mlog seeds).
$(BUILD)/fuzz/mv-mlog-seeds: $(BUILD)/host/tests/fuzz/mlog_seeds.o \
		$(patsubst %,$(BUILD)/host/vmm/authority/%.o,mlog mlog_read mlog_fmt policy measure sig) \
		$(BUILD)/host/shared/lib/modsig.o
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) $^ -o $@ $(HOST_LDLIBS)

$(BUILD)/fuzz/mv-mlog-seeds: $(BUILD)/host/vmm/emuhost/hostlock.o $(BUILD)/host/shared/lib/errname.o

.PHONY: fuzz-build fuzz-seeds
fuzz-build: $(FUZZ_BINS) $(BUILD)/fuzz/mv-mlog-seeds

fuzz-seeds: fuzz-build
	@tests/fuzz/seeds.sh $(BUILD)

# make fuzz [FUZZ_TIME=60] [FUZZ_RUNS=1000000] [FUZZ_ONLY="loader sig"]: every harness
# in turn (FUZZ_TIME seconds each, or until FUZZ_RUNS executions), then a table.
fuzz: deps fuzz-seeds
	@FUZZ_TIME=$(or $(FUZZ_TIME),60) tests/fuzz/run.sh $(or $(FUZZ_ONLY),$(FUZZ_NAMES))

CLEAN_EXTRA += $(BUILD)/fuzz $(BUILD)/asan

-include $(shell find $(BUILD)/fuzz/obj -name '*.d' 2>/dev/null)

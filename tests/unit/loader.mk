# tests/unit/loader.mk: the module loader built for the host: Check tests and the corpus tool.

# The loader core (guest/module/) compiled with host flags; env_kernel.c and
# the syscalls are guest-only.
LOADER_CORE      := elf_check layout load relocate reloc_x86_64 signature symbols unload version
LOADER_HOST_OBJS := $(LOADER_CORE:%=$(BUILD)/host/guest/module/%.o) \
                    $(SHARED_HOST_OBJS) \
                    $(BUILD)/host/guest/module/params.o \
                    $(BUILD)/host/tests/hosted/loader_env_hosted.o
LOADER_TEST_OBJS := $(BUILD)/host/tests/hosted/loadtest.o $(BUILD)/host/tests/hosted/elfgen.o
LOADER_TESTS     := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(wildcard tests/unit/test_loader_*.c))

TEST_BINS += $(LOADER_TESTS) $(BUILD)/tests/mv-reloc-corpus

$(LOADER_TESTS): $(BUILD)/tests/unit/%: $(BUILD)/host/tests/unit/%.o $(LOADER_TEST_OBJS) $(LOADER_HOST_OBJS)
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) $^ -o $@ $(CHECK_LIBS)

$(BUILD)/tests/mv-reloc-corpus: $(BUILD)/host/tests/hosted/reloc_corpus.o $(LOADER_HOST_OBJS)
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) $^ -o $@

# tests/unit/params.mk: unit tests of module parameters (guest/module/params.c, host build).

TEST_BINS += $(BUILD)/tests/unit/test_params

$(BUILD)/tests/unit/test_params: $(BUILD)/host/tests/unit/test_params.o \
		$(BUILD)/host/guest/module/params.o $(BUILD)/host/shared/lib/kstrtox.o
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) $^ -o $@ $(CHECK_LIBS)

# The test includes guest/module/params.h by its path.
$(BUILD)/host/tests/unit/test_params.o: HOST_CFLAGS += -Iguest/module

# params.o needs shared/lib/kstrtox.o wherever it is linked: the loader's host
# binaries (tests/unit/loader.mk) link their prerequisites ($^), so add it there.
$(LOADER_TESTS) $(BUILD)/tests/mv-reloc-corpus: $(BUILD)/host/shared/lib/kstrtox.o

# tests/unit/rederive.mk: the host's re-derivation of module bytes (vmm/authority/rederive.c) against the hosted loader.

# rederive.c with the loader core and the hosted environment (the reference
# the test compares with is the hosted loader's dry run of the same code).
TEST_BINS += $(BUILD)/tests/unit/test_rederive

$(BUILD)/tests/unit/test_rederive: $(BUILD)/host/tests/unit/test_rederive.o \
		$(BUILD)/host/vmm/authority/rederive.o $$(LOADER_HOST_OBJS)
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) $^ -o $@ $(CHECK_LIBS)

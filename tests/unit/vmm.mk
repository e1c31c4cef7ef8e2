# tests/unit/vmm.mk: Check tests of the VMM core, linked against the real VMM objects.

VMM_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(wildcard tests/unit/test_vmm_*.c))
TEST_BINS += $(VMM_TESTS)

$(VMM_TESTS): $(BUILD)/tests/unit/%: $(BUILD)/host/tests/unit/%.o $$(VMM_LIB_OBJS) $$(SHARED_HOST_OBJS)
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) $^ -o $@ $(CHECK_LIBS) $(HOST_LDLIBS)

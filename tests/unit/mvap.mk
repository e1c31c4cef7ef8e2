# tests/unit/mvap.mk: unit tests of the authority protocol's codec (shared/lib/mvap.c, host build).

TEST_BINS += $(BUILD)/tests/unit/test_mvap

$(BUILD)/tests/unit/test_mvap: $(BUILD)/host/tests/unit/test_mvap.o $(BUILD)/host/shared/lib/mvap.o
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) $^ -o $@ $(CHECK_LIBS)

# tests/unit/modinfo.mk: unit tests of the .modinfo / __versions reader (shared/lib/modinfo.c, host build).

TEST_BINS += $(BUILD)/tests/unit/test_modinfo

$(BUILD)/tests/unit/test_modinfo: $(BUILD)/host/tests/unit/test_modinfo.o $(BUILD)/host/shared/lib/modinfo.o
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) $^ -o $@ $(CHECK_LIBS)

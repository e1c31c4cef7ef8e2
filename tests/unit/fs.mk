# tests/unit/fs.mk: unit tests of the cpio reader and the guest file system (host build).

TEST_BINS += $(BUILD)/tests/unit/test_cpio

$(BUILD)/tests/unit/test_cpio: $(BUILD)/host/tests/unit/test_cpio.o $(BUILD)/host/shared/lib/cpio.o
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) $^ -o $@ $(CHECK_LIBS)

# tests/unit/params.mk: unit tests of module parameters (guest/module/params.c, host build).

TEST_BINS += $(BUILD)/tests/unit/test_params

$(BUILD)/tests/unit/test_params: $(BUILD)/host/tests/unit/test_params.o $(BUILD)/host/guest/module/params.o
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) $^ -o $@ $(CHECK_LIBS)

# The test includes guest/module/params.h by its path.
$(BUILD)/host/tests/unit/test_params.o: HOST_CFLAGS += -Iguest/module

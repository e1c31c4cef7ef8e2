# tests/unit/sdk.mk: the SDK's modules through the real loader (host build): every row of expected-errors.txt.
SDK_TEST := $(BUILD)/tests/unit/test_sdk_modules
TEST_BINS += $(SDK_TEST)

$(SDK_TEST): $(BUILD)/host/tests/unit/test_sdk_modules.o $$(LOADER_TEST_OBJS) $$(LOADER_HOST_OBJS) $$(SHARED_HOST_OBJS) \
		| $$(IMAGE_MODULES) $$(KERNEL_SYMVERS)
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) $(sort $(filter %.o,$^)) -o $@ $(CHECK_LIBS)

# tests/unit/klog.mk: unit tests of the guest's kernel log ring (guest/kernel/klog.c, host build).

TEST_BINS += $(BUILD)/tests/unit/test_klog

$(BUILD)/host/guest/kernel/klog.o $(BUILD)/host/tests/unit/test_klog.o: HOST_CFLAGS += -iquote guest/include

$(BUILD)/tests/unit/test_klog: $(BUILD)/host/tests/unit/test_klog.o $(BUILD)/host/guest/kernel/klog.o
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) $^ -o $@ $(CHECK_LIBS)

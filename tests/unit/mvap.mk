# tests/unit/mvap.mk: unit tests of the authority protocol's codec (shared/lib/mvap.c, host build).

TEST_BINS += $(BUILD)/tests/unit/test_mvap

$(BUILD)/tests/unit/test_mvap: $(BUILD)/host/tests/unit/test_mvap.o $(BUILD)/host/shared/lib/mvap.o
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) $^ -o $@ $(CHECK_LIBS)

# The test client of `modvisor authority` (tests/host/t-fleet-daemon.sh, the fleet benchmark).
MVAP_CLIENT := $(BUILD)/tests/mvap-client
tests: $(MVAP_CLIENT)
$(MVAP_CLIENT): $(BUILD)/host/tests/hosted/mvap_client.o $(BUILD)/host/vmm/authority/mvap_io.o \
		$(BUILD)/host/shared/lib/mvap.o
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) $^ -o $@

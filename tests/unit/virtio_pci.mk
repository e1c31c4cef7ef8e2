# tests/unit/virtio_pci.mk: unit tests of the guest's virtio-pci configuration-space parsing (guest/drivers/virtio_pci_caps.c, host build).

TEST_BINS += $(BUILD)/tests/unit/test_virtio_pci

$(BUILD)/host/guest/drivers/virtio_pci_caps.o $(BUILD)/host/tests/unit/test_virtio_pci.o: \
	HOST_CFLAGS += -iquote guest/include

$(BUILD)/tests/unit/test_virtio_pci: $(BUILD)/host/tests/unit/test_virtio_pci.o \
		$(BUILD)/host/guest/drivers/virtio_pci_caps.o
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) $^ -o $@ $(CHECK_LIBS)

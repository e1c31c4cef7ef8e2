# tests/unit/decompress.mk: guest/module/decompress.c built for the host (system zlib, liblzma, libzstd) and its Check tests.
#
# test_decompress has every method; test_decompress_nozstd is the same test
# against a decompress.o built with MDC_HAVE_ZSTD=0 (EOPNOTSUPP for zstd).
# The test compresses its data at run time with gzip, xz and zstd.

DECOMP_TESTS  := $(BUILD)/tests/unit/test_decompress $(BUILD)/tests/unit/test_decompress_nozstd
DECOMP_NZ_DIR := $(BUILD)/host/tests/decompress-nozstd
TEST_BINS     += $(DECOMP_TESTS)

$(BUILD)/host/guest/module/decompress.o $(BUILD)/host/tests/unit/test_decompress.o: \
	HOST_CFLAGS += -Iguest/module

$(DECOMP_NZ_DIR)/%.o: guest/module/%.c
	$(call msg,HOSTCC,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_CFLAGS) -DMDC_HAVE_ZSTD=0 -c $< -o $@

$(DECOMP_NZ_DIR)/test_decompress.o: tests/unit/test_decompress.c
	$(call msg,HOSTCC,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_CFLAGS) $(CHECK_CFLAGS) \
		-Iguest/module -DMDC_HAVE_ZSTD=0 -c $< -o $@

$(BUILD)/tests/unit/test_decompress: $(BUILD)/host/tests/unit/test_decompress.o \
		$(BUILD)/host/guest/module/decompress.o $(BUILD)/host/vmm/authority/decompress_env.o
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) $^ -o $@ \
		-lz -llzma -lzstd $(CHECK_LIBS)

$(BUILD)/tests/unit/test_decompress_nozstd: $(DECOMP_NZ_DIR)/test_decompress.o \
		$(DECOMP_NZ_DIR)/decompress.o $(BUILD)/host/vmm/authority/decompress_env.o
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) $^ -o $@ -lz -llzma $(CHECK_LIBS)

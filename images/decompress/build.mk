# images/decompress/build.mk: the guest kernel's decompressors (Debian's libz.a, liblzma.a, libzstd.a) and kernel-nozstd.elf.
#
# `make MODVISOR_DECOMPRESS="gzip xz"` chooses the methods built into
# build/images/kernel.elf (default: all three); a method left out gives
# EOPNOTSUPP.  build/images/kernel-nozstd.elf is always built without zstd,
# for tests/e2e/t-compress.sh.  See docs/compression.md.
#
# Included before guest/build.mk.  The archive members decompress.o needs
# are pulled into one relocatable object (ld -r -u SYMBOL...), so the
# kernel's link order does not matter; the libraries are never rebuilt.
MODVISOR_DECOMPRESS ?= gzip xz zstd

MDC_LIBDIR     := $(shell $(GUEST_CC) -print-multiarch 2>/dev/null | sed 's|^|/usr/lib/|')
MDC_LIB_gzip   := $(MDC_LIBDIR)/libz.a
MDC_LIB_xz     := $(MDC_LIBDIR)/liblzma.a
MDC_LIB_zstd   := $(MDC_LIBDIR)/libzstd.a
MDC_DEF_gzip   := GZIP
MDC_DEF_xz     := XZ
MDC_DEF_zstd   := ZSTD
MDC_SRC        := guest/module/decompress.c
MDC_SHIM_INC   := images/decompress/include
MDC_INC        := $(BUILD)/guest/decompress/include
MDC_INC_STAMP  := $(MDC_INC)/.stamp
MDC_HEADERS    := zlib.h zconf.h lzma.h lzma zstd.h zstd_errors.h

# $(call mdc_cflags,METHODS): the -D and include flags for decompress.c.
mdc_cflags = -isystem $(MDC_INC) -isystem $(MDC_SHIM_INC) \
	$(foreach m,gzip xz zstd,-DMDC_HAVE_$(MDC_DEF_$(m))=$(if $(filter $(m),$(1)),1,0))
mdc_libs   = $(foreach m,$(1),$(MDC_LIB_$(m)))

ifneq ($(filter-out gzip xz zstd,$(MODVISOR_DECOMPRESS)),)
$(error MODVISOR_DECOMPRESS: unknown method(s) $(filter-out gzip xz zstd,$(MODVISOR_DECOMPRESS)); known: gzip xz zstd)
endif

# The libraries' public headers, and nothing else of /usr/include, seen by the guest build.
$(MDC_INC_STAMP):
	$(call msg,GEN,$(MDC_INC))mkdir -p $(MDC_INC) && \
		for h in $(MDC_HEADERS); do ln -sfn /usr/include/$$h $(MDC_INC)/$$h; done && touch $@

# $(call mdc_libobj,OUT,DECOMPRESS_O,METHODS): the archive members DECOMPRESS_O
# uses, as one object.  Their constructors (liblzma picks its CRC64 routine in
# one) move to section mdc_init_array, which decompress_kernel.c runs.
# No method at all: an empty object.
define mdc_libobj
	$(call msg,LD,$(1))mkdir -p $(dir $(1)) && \
	$(if $(strip $(3)),$(GUEST_LD) -r -o $(1) $$(nm -u $(2) | awk '{ print "-u", $$2 }') \
		$(call mdc_libs,$(3)),$(GUEST_CC) -c -x c /dev/null -o $(1)) && \
		objcopy --rename-section .init_array=mdc_init_array $(1)
endef

# ---- build/images/kernel.elf: the methods in MODVISOR_DECOMPRESS ---------
MDC_OBJ      := $(BUILD)/guest/guest/module/decompress.o
MDC_LIBS_OBJ := $(BUILD)/guest/decompress/libs.o
GUEST_EXTRA_OBJS += $(MDC_LIBS_OBJ)

$(MDC_OBJ): GUEST_CFLAGS += $(call mdc_cflags,$(MODVISOR_DECOMPRESS))
$(MDC_OBJ): | $(MDC_INC_STAMP)
# A changed method list must rebuild the object.
mdc_empty :=
mdc_space := $(mdc_empty) $(mdc_empty)
MDC_CFG := $(BUILD)/guest/decompress/methods-$(subst $(mdc_space),-,$(strip $(MODVISOR_DECOMPRESS) none))
$(MDC_CFG):
	@mkdir -p $(@D) && rm -f $(BUILD)/guest/decompress/methods-* && touch $@
$(MDC_OBJ): $(MDC_CFG)

$(MDC_LIBS_OBJ): $(MDC_OBJ) $(call mdc_libs,$(MODVISOR_DECOMPRESS)) images/decompress/build.mk
	$(call mdc_libobj,$@,$<,$(MODVISOR_DECOMPRESS))

# ---- build/images/kernel-nozstd.elf: gzip and xz only --------------------
MDC_NZ_METHODS := gzip xz
MDC_NZ_OBJ     := $(BUILD)/guest/decompress/nozstd/decompress.o
MDC_NZ_LIBS    := $(BUILD)/guest/decompress/nozstd/libs.o
MDC_NZ_KERNEL  := $(BUILD)/images/kernel-nozstd.elf
IMAGES         += $(MDC_NZ_KERNEL)

$(MDC_NZ_OBJ): $(MDC_SRC) | $(MDC_INC_STAMP)
	$(call msg,CC,$@)mkdir -p $(@D) && $(GUEST_CC) $(GUEST_CFLAGS) \
		$(call mdc_cflags,$(MDC_NZ_METHODS)) -c $< -o $@

$(MDC_NZ_LIBS): $(MDC_NZ_OBJ) $(call mdc_libs,$(MDC_NZ_METHODS)) images/decompress/build.mk
	$(call mdc_libobj,$@,$<,$(MDC_NZ_METHODS))

# The same objects as kernel.elf (guest/build.mk), with the two decompression objects swapped.
MDC_NZ_INPUTS = $(GUEST_OBJS) $(SHARED_GUEST_OBJS) \
	$(filter-out $(MDC_OBJ) $(MDC_LIBS_OBJ),$(GUEST_EXTRA_OBJS)) $(MDC_NZ_OBJ) $(MDC_NZ_LIBS)
$(MDC_NZ_KERNEL): $$(MDC_NZ_INPUTS) $$(GUEST_LDS)
	$(call msg,LD,$@)mkdir -p $(@D) && $(GUEST_LD) -nostdlib -static \
		-z max-page-size=4096 -z noexecstack -T $(GUEST_LDS) \
		$(GUEST_EXTRA_LDFLAGS) -o $@ $(MDC_NZ_INPUTS)

# images/modules/build.mk: the sample and test modules, built with the SDK into build/images/modules/.
#
# Good modules (images/modules/*.c) and deliberately broken ones
# (images/modules/bad/*.c, built with KBUILD_MODPOST_WARN=1, then some
# patched by mkbad) all end up as build/images/modules/*.ko, with compressed
# copies (*.ko.gz/xz/zst); IMAGE_MODULES lists them for the initrd
# (/lib/modules/).  expected-errors.txt and expected-compressed.txt say which
# errno each one must give.
MODS_OUT      := $(BUILD)/images/modules
MODS_GOOD     := $(basename $(notdir $(wildcard images/modules/*.c)))
MODS_BADSRC   := $(basename $(notdir $(wildcard images/modules/bad/*.c)))
MODS_PATCHED  := $(basename $(shell awk '$$4 == "mkbad" { print $$1 }' images/modules/expected-errors.txt))
MODS_PACKED   := $(shell awk '$$4 == "compress" { print $$1 }' images/modules/expected-compressed.txt)
MODS_MKBAD    := $(BUILD)/sdk/mkbad
IMAGE_MODULES := $(MODS_GOOD:%=$(MODS_OUT)/%.ko) $(MODS_BADSRC:%=$(MODS_OUT)/%.ko) \
                 $(MODS_PATCHED:%=$(MODS_OUT)/%.ko) $(MODS_PACKED:%=$(MODS_OUT)/%)
IMAGES        += $(IMAGE_MODULES) $(MODS_OUT)/expected-errors.txt $(MODS_OUT)/expected-compressed.txt
CLEAN_EXTRA   += $(MODS_OUT)

MODS_SUBMAKE = $(MAKE) --no-print-directory -f images/sdk/module.mk MV_ROOT=. MV_BUILD=$(BUILD) \
               ccflags-y=-Werror

# kbuild rebuilds only the modules whose sources changed; the .ko files are
# then touched so that none is older than the stamp (else `make -n` and
# `make -q` would see every module, and what embeds one, as out of date).
$(MODS_OUT)/.good.stamp: $(wildcard images/modules/*.c images/modules/*.h) images/sdk/module.mk \
		images/sdk/flags.mk $$(SDK_HEADERS) $$(MODPOST) $$(KERNEL_SYMVERS)
	@+$(MODS_SUBMAKE) M=images/modules MO=$(MODS_OUT)
	@touch $@ && touch -c $(MODS_GOOD:%=$(MODS_OUT)/%.ko)

# The broken modules are meant to make modpost complain: its warnings go to
# build.log, and the build says they are expected, so that a newcomer's
# `make run` shows no warning that looks like a real problem.
$(MODS_OUT)/bad/.bad.stamp: $(wildcard images/modules/bad/*.c) $(MODS_OUT)/.good.stamp
	@mkdir -p $(@D)
	@+$(MODS_SUBMAKE) M=images/modules/bad MO=$(MODS_OUT)/bad KBUILD_MODPOST_WARN=1 \
		KBUILD_EXTRA_SYMBOLS=$(MODS_OUT)/Module.symvers 'CFLAGS_bad-common.o=-fcommon' \
		>$(@D)/build.log 2>&1 || { cat $(@D)/build.log; exit 1; }
	@grep -v '^WARNING: modpost:' $(@D)/build.log || true
	@printf '  %-8s %s\n' NOTE "$$(grep -c '^WARNING: modpost:' $(@D)/build.log) modpost warnings about the deliberately broken test modules, as expected ($(@D)/build.log)"
	@touch $@

$(MODS_GOOD:%=$(MODS_OUT)/%.ko): $(MODS_OUT)/.good.stamp ;

$(MODS_BADSRC:%=$(MODS_OUT)/%.ko): $(MODS_OUT)/%.ko: $(MODS_OUT)/bad/.bad.stamp
	$(Q)cp $(MODS_OUT)/bad/$*.ko $@

# Broken modules made from a good one: see mkbad.c and expected-errors.txt.
$(MODS_MKBAD): $(BUILD)/host/images/modules/tools/mkbad.o
	$(call msg,HOSTLD,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) -o $@ $^

ifneq ($(MODS_PATCHED),)
$(MODS_PATCHED:%=$(MODS_OUT)/%.ko) &: $(MODS_MKBAD) $(MODS_OUT)/.good.stamp \
		$(MODS_OUT)/bad/.bad.stamp images/modules/expected-errors.txt
	$(call msg,MKBAD,$(MODS_OUT)/bad-*.ko)$(MODS_MKBAD) images/modules/expected-errors.txt $(MODS_OUT)
endif

# Compressed modules, made as kbuild's CONFIG_MODULE_COMPRESS_* does; a bad-*
# one gets byte 64 of its stream flipped.  Column 6 of the table names the source.
MODS_COMPRESS.gz  = gzip -n -9 -c
MODS_COMPRESS.xz  = xz --check=crc32 --lzma2=dict=1MiB -c
MODS_COMPRESS.zst = zstd -T0 -q -c
$(MODS_PACKED:%=$(MODS_OUT)/%): $(MODS_OUT)/.good.stamp images/modules/expected-compressed.txt
	$(call msg,COMPRESS,$@)src=$$(awk '$$1 == "$(@F)" { print $$6 }' images/modules/expected-compressed.txt) && \
		$(MODS_COMPRESS$(suffix $@)) $(MODS_OUT)/$$src >$@.tmp && \
		case "$(@F)" in bad-*) printf '\377' | dd of=$@.tmp bs=1 seek=64 conv=notrunc status=none;; esac && \
		mv $@.tmp $@

$(MODS_OUT)/expected-%.txt: images/modules/expected-%.txt
	$(Q)mkdir -p $(@D) && cp $< $@

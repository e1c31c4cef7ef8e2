# images/bench/build.mk: what `modvisor bench` runs: the null-hypercall guest, the first user program, generated modules.
#
# build/images/bench/nop.elf        ring-0 guest looping on MV_HC_NOP
# build/images/bench/viol.elf       the same, writing its own text before each call
# build/images/bench/first-user     static program whose first instruction is write(2)
# build/images/bench/min-insmod     static program: finit_module of /bench/bm4k.ko, no libc
# build/images/bench/quick/*.ko     modules of about 4 and 64 KiB (make; the smoke run)
# build/images/bench/full/*.ko      4 KiB ... 16 MiB (make bench-modules; make bench)
# Modules are written by images/bench/genmod.sh and built with the SDK (make module).

BENCH_IMG        := $(BUILD)/images/bench
BENCH_QUICK_KIB  := 4 64
BENCH_FULL_KIB   := 4 64 256 1024 4096 16384
BENCH_QUICK_KOS  := $(BENCH_QUICK_KIB:%=$(BENCH_IMG)/quick/bm%k.ko) $(BENCH_IMG)/quick/bmxz64k.ko
BENCH_FULL_KOS   := $(BENCH_FULL_KIB:%=$(BENCH_IMG)/full/bm%k.ko) $(BENCH_IMG)/full/bmxz1024k.ko
IMAGES           += $(BENCH_IMG)/nop.elf $(BENCH_IMG)/viol.elf $(BENCH_IMG)/first-user \
                    $(BENCH_IMG)/min-insmod \
                    $(BENCH_QUICK_KOS)

$(BENCH_IMG)/%.elf: images/bench/%.S images/testguests/tg.ld
	$(call msg,BENCHGST,$@)mkdir -p $(@D) && \
	$(GUEST_CC) $(GUEST_ASFLAGS) -c $< -o $(@:.elf=.o) && \
	$(GUEST_LD) -nostdlib -T images/testguests/tg.ld -o $@ $(@:.elf=.o)

$(BENCH_IMG)/first-user: images/bench/first-user.S
	$(call msg,PROG,$@)mkdir -p $(@D) && $(HOSTCC) -static -nostdlib -o $@ $<

$(BENCH_IMG)/min-insmod: images/bench/min-insmod.S
	$(call msg,PROG,$@)mkdir -p $(@D) && $(HOSTCC) -static -nostdlib -o $@ $<

# Sources: one NAME.c per size in a directory of its own kind (quick, full).
$(BENCH_IMG)/%/src.stamp: images/bench/genmod.sh images/bench/build.mk
	$(call msg,GENMOD,$(@D))mkdir -p $(@D)/src && rm -f $(@D)/src/*.c && \
	for k in $(if $(filter quick,$*),$(BENCH_QUICK_KIB),$(BENCH_FULL_KIB)); do \
		images/bench/genmod.sh bm$${k}k $$k > $(@D)/src/bm$${k}k.c || exit 1; done && \
	k=$(if $(filter quick,$*),64,1024) && \
	images/bench/genmod.sh bmxz$${k}k $$k > $(@D)/src/bmxz$${k}k.c && touch $@

# One SDK run per directory (grouped target), so parallel makes never race on modpost.
$(BENCH_QUICK_KOS) &: $(BENCH_IMG)/quick/src.stamp $$(MODPOST) $$(KERNEL_SYMVERS)
	$(Q)$(MAKE) --no-print-directory -f images/sdk/module.mk M=$(BENCH_IMG)/quick/src \
		MO=$(BENCH_IMG)/quick MV_ROOT=. MV_BUILD=$(BUILD)

$(BENCH_FULL_KOS) &: $(BENCH_IMG)/full/src.stamp $$(MODPOST) $$(KERNEL_SYMVERS)
	$(Q)$(MAKE) --no-print-directory -f images/sdk/module.mk M=$(BENCH_IMG)/full/src \
		MO=$(BENCH_IMG)/full MV_ROOT=. MV_BUILD=$(BUILD)

.SECONDARY: $(BENCH_IMG)/quick/src.stamp $(BENCH_IMG)/full/src.stamp
.PHONY: bench-modules
bench-modules: $(BENCH_FULL_KOS)

# mv-bench-stages: the guest loader's stages timed on the host (dry run), with the
# loader objects tests/unit/loader.mk builds for mv-reloc-corpus.
BENCH_STAGES := $(BUILD)/tests/mv-bench-stages
TEST_BINS    += $(BENCH_STAGES)

# It uses the loader through its interface (guest/module/loader.h) and the
# host environment the loader's tests use (tests/hosted/loader_env_hosted.h).
$(BUILD)/host/images/bench/loader_stages.o: HOST_CFLAGS += -iquote guest/module -iquote tests/hosted
$(BENCH_STAGES): $(BUILD)/host/images/bench/loader_stages.o $$(LOADER_HOST_OBJS)
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) $^ -o $@

# One compressed module per kind, loaded with finit_module(MODULE_INIT_COMPRESSED_FILE)
# so the guest's decompression stage is measured; xz as Debian's kbuild does.
BENCH_QUICK_XZ := $(BENCH_IMG)/quick/bmxz64k.ko.xz
BENCH_FULL_XZ  := $(BENCH_IMG)/full/bmxz1024k.ko.xz
IMAGES         += $(BENCH_QUICK_XZ)
bench-modules: $(BENCH_FULL_XZ)

$(BENCH_IMG)/%.ko.xz: $(BENCH_IMG)/%.ko
	$(call msg,XZ,$@)xz --check=crc32 --lzma2=dict=1MiB -c $< > $@

CLEAN_EXTRA += $(BUILD)/bench

# images/testguests/build.mk: tiny ring-0 guests for the boot tests, build/images/testguests/*.elf.
TG_CASES := hello pagefault triplefault badgpa badbuf overflow badlen badnr badport \
            mmio badabi badsize hlt bootinfo
TG_ELFS  := $(TG_CASES:%=$(BUILD)/images/testguests/%.elf)
IMAGES   += $(TG_ELFS)

$(BUILD)/images/testguests/%.elf: images/testguests/tg.S images/testguests/tg.h images/testguests/tg.ld
	$(call msg,TESTGST,$@)mkdir -p $(@D) && \
	$(GUEST_CC) $(GUEST_ASFLAGS) -DTG_CASE_$* -c $< -o $(@:.elf=.o) && \
	$(GUEST_LD) -nostdlib -T images/testguests/tg.ld -o $@ $(@:.elf=.o)

# Hostile guests for tests/e2e/t-hostile.sh: hostile.S built once per -DHG_CASE_x.
HG_CASES := arg_past_ram arg_straddle arg_top \
            con_buf_straddle con_buf_wrap con_len_huge con_max_ok con_bad_stream \
            load_img_past_ram load_img_straddle load_img_wrap load_file_straddle \
            load_file_wrap load_len0 load_too_big load_bad_source load_bad_flags \
            load_params_straddle load_params_long load_params_flags \
            event_unknown_id event_denied_id event_bad_kind nr_11 nr_20 \
            hdr_abi0 hdr_abi2 hdr_size0 hdr_size_huge hdr_load_size hdr_event_size \
            io_inb io_outw io_inl_hc io_outb_hc io_outl_end io_rep_outs \
            mmio_read mmio_past_ram storm_nop storm_console storm_load race_flip \
            forge nonul fault_garbage exit_big exit_neg bootinfo_sane loop loop_hc \
            stream ev_good ev_id0 ev_replay ev_unload_twice ev_unload_early \
            ev_initfail_no_start ev_after_fail
HG_ELFS  := $(HG_CASES:%=$(BUILD)/images/testguests/hg-%.elf)
IMAGES   += $(HG_ELFS)

# Each embeds an SDK module (HG_MODULE) for the cases that need an allowed load.
HG_MODULE := $(BUILD)/images/modules/hello.ko
$(BUILD)/images/testguests/hg-%.elf: images/testguests/hostile.S images/testguests/tg.h \
		images/testguests/tg.ld $(HG_MODULE)
	$(call msg,TESTGST,$@)mkdir -p $(@D) && \
	$(GUEST_CC) $(GUEST_ASFLAGS) -DHG_CASE_$* '-DHG_MODULE="$(HG_MODULE)"' -c $< -o $(@:.elf=.o) && \
	$(GUEST_LD) -nostdlib -T images/testguests/tg.ld -o $@ $(@:.elf=.o)

# Hostile seal guests for tests/e2e/t-seal-hostile.sh: hostile_seal.S once per
# -DHS_CASE_x, with the bytes an honest kernel would have placed for HG_MODULE
# (mv-seal-fixture: the host's own re-derivation), in 33 copies 32 KiB apart in
# the module area (no two sealed modules share a VA), for the cases that seal
# one load after another until the module region (1 MiB at --mem 16) runs out.
# hsx-x.elf: the same with exporter.ko, for the duplicate exports: hsx-exhaust
# (the second load exports what the sealed first does) and hsx-kdup (the
# guest's kernel exports the module's symbols too).
HS_CASES := ok changed sym_own_code overlap outside_region past_ram twice unknown_id \
            denied_id unseal_live unseal_other exhaust same_va pt_elsewhere pt_unmapped
HSX_CASES := exhaust kdup
HS_ELFS  := $(HS_CASES:%=$(BUILD)/images/testguests/hs-%.elf) \
            $(HSX_CASES:%=$(BUILD)/images/testguests/hsx-%.elf)
IMAGES   += $(HS_ELFS)
SEAL_FIXTURE := $(BUILD)/images/testguests/mv-seal-fixture
HS_FIX       := $(BUILD)/images/testguests/seal-hello
HSX_MODULE   := $(BUILD)/images/modules/exporter.ko
HSX_FIX      := $(BUILD)/images/testguests/seal-exporter

$(BUILD)/host/images/testguests/seal_fixture.o: HOST_CFLAGS += -Ivmm
$(SEAL_FIXTURE): $(BUILD)/host/images/testguests/seal_fixture.o \
		$(BUILD)/host/vmm/authority/rederive.o $(BUILD)/host/vmm/authority/loader_env.o \
		$(VMM_LOADER:%=$(BUILD)/host/guest/module/%.o) $$(SHARED_HOST_OBJS)
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) $^ -o $@

# seal_fixture MODULE FIXTURE: FIXTURE.{inc,bytes} for MODULE (explicit rules: as a
# pattern, make would rather build hsx-x.elf from tg.S than chain to it).
seal_fixture = $(call msg,FIXTURE,$2)$(SEAL_FIXTURE) $1 0xffffffffa0000000 33 0x8000 $2

$(HS_FIX).inc $(HS_FIX).bytes &: $(SEAL_FIXTURE) $(HG_MODULE)
	$(call seal_fixture,$(HG_MODULE),$(HS_FIX))

$(HSX_FIX).inc $(HSX_FIX).bytes &: $(SEAL_FIXTURE) $(HSX_MODULE)
	$(call seal_fixture,$(HSX_MODULE),$(HSX_FIX))

# hs_guest MODULE FIXTURE: hostile_seal.S as case $* for MODULE with its fixture.
hs_guest = $(call msg,TESTGST,$@)mkdir -p $(@D) && \
	$(GUEST_CC) $(GUEST_ASFLAGS) -DHS_CASE_$* '-DHS_MODULE="$1"' \
		'-DHS_FIXTURE_INC="$(abspath $2.inc)"' '-DHS_FIXTURE_BYTES="$2.bytes"' \
		-c $< -o $(@:.elf=.o) && \
	$(GUEST_LD) -nostdlib -T images/testguests/tg.ld -o $@ $(@:.elf=.o)

$(BUILD)/images/testguests/hs-%.elf: images/testguests/hostile_seal.S images/testguests/tg.h \
		images/testguests/tg.ld $(HS_FIX).inc $(HS_FIX).bytes $(HG_MODULE)
	$(call hs_guest,$(HG_MODULE),$(HS_FIX))

$(BUILD)/images/testguests/hsx-%.elf: images/testguests/hostile_seal.S images/testguests/tg.h \
		images/testguests/tg.ld $(HSX_FIX).inc $(HSX_FIX).bytes $(HSX_MODULE)
	$(call hs_guest,$(HSX_MODULE),$(HSX_FIX))

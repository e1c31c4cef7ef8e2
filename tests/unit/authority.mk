# tests/unit/authority.mk: unit tests of the host authority: policy, digests, signatures, log.

AUTH_OBJ = $(patsubst %,$(BUILD)/host/vmm/authority/%.o,$(1))

TEST_BINS += $(BUILD)/tests/unit/test_policy $(BUILD)/tests/unit/test_mlog \
             $(BUILD)/tests/unit/test_sig

$(BUILD)/tests/unit/test_policy: $(BUILD)/host/tests/unit/test_policy.o \
		$(call AUTH_OBJ,policy measure)
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) $^ -o $@ $(CHECK_LIBS) $(HOST_LDLIBS)

$(BUILD)/tests/unit/test_mlog: $(BUILD)/host/tests/unit/test_mlog.o \
		$(call AUTH_OBJ,mlog mlog_fmt mlog_read mlog_integrity policy measure sig) \
		$(BUILD)/host/shared/lib/modsig.o
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) $^ -o $@ $(CHECK_LIBS) $(HOST_LDLIBS)

$(BUILD)/tests/unit/test_sig: $(BUILD)/host/tests/unit/test_sig.o \
		$(BUILD)/host/tests/unit/pkcs7_reencode.o \
		$(call AUTH_OBJ,sig measure) $(BUILD)/host/shared/lib/modsig.o
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) $^ -o $@ $(CHECK_LIBS) $(HOST_LDLIBS)

TEST_BINS += $(BUILD)/tests/unit/test_authority

$(BUILD)/tests/unit/test_authority: $(BUILD)/host/tests/unit/test_authority.o \
		$(BUILD)/host/tests/unit/pkcs7_reencode.o \
		$(call AUTH_OBJ,authority kernel_info load_state mlog mlog_fmt mlog_read mlog_integrity policy measure sig modname unpack decompress_env remote mvap_io) \
		$(BUILD)/host/shared/lib/mvap.o \
		$(BUILD)/host/guest/module/decompress.o \
		$(BUILD)/host/shared/lib/modsig.o $(BUILD)/host/shared/lib/modinfo.o
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) $^ -o $@ $(CHECK_LIBS) $(HOST_LDLIBS)

# policy.c names errnos through shared/lib/errname.c.
$(BUILD)/tests/unit/test_policy $(BUILD)/tests/unit/test_mlog $(BUILD)/tests/unit/test_authority: \
		$(BUILD)/host/shared/lib/errname.o

# mlog.c locks a log on 9p on the real host too (vmm/emuhost/hostlock.c).
$(BUILD)/tests/unit/test_mlog $(BUILD)/tests/unit/test_authority: $(BUILD)/host/vmm/emuhost/hostlock.o

TEST_BINS += $(BUILD)/tests/unit/test_load_state

$(BUILD)/tests/unit/test_load_state: $(BUILD)/host/tests/unit/test_load_state.o \
		$(call AUTH_OBJ,load_state)
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) $^ -o $@ $(CHECK_LIBS) $(HOST_LDLIBS)

# tests/unit/procs.mk: unit tests of the guest's process pieces that run hosted:
# the pipe ring (guest/fs/pipe_buf.c), wait status encoding (guest/include/wstatus.h)
# and the signal frame layout (guest/include/sigframe.h, checked against glibc).

TEST_BINS += $(BUILD)/tests/unit/test_pipe_buf $(BUILD)/tests/unit/test_wstatus \
             $(BUILD)/tests/unit/test_sigframe

$(BUILD)/host/tests/unit/test_pipe_buf.o $(BUILD)/host/tests/unit/test_wstatus.o \
$(BUILD)/host/tests/unit/test_sigframe.o: HOST_CFLAGS += -iquote guest/include -iquote guest/fs

# pipe_buf.c copies through file.c's iobuf helpers, so it links the hosted file system.
$(BUILD)/tests/unit/test_pipe_buf: $(BUILD)/host/tests/unit/test_pipe_buf.o $(FS_HOST_OBJS) \
		$(BUILD)/host/shared/lib/cpio.o
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) $^ -o $@ $(CHECK_LIBS)

$(BUILD)/tests/unit/test_wstatus: $(BUILD)/host/tests/unit/test_wstatus.o
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) $^ -o $@ $(CHECK_LIBS)

$(BUILD)/tests/unit/test_sigframe: $(BUILD)/host/tests/unit/test_sigframe.o
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) $^ -o $@ $(CHECK_LIBS)

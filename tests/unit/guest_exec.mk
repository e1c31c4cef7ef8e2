# tests/unit/guest_exec.mk: unit tests of the execve header validator (shared/lib/elf_exec.c, host build).

TEST_BINS += $(BUILD)/tests/unit/test_elf_exec

$(BUILD)/tests/unit/test_elf_exec: $(BUILD)/host/tests/unit/test_elf_exec.o $(BUILD)/host/shared/lib/elf_exec.o
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) $^ -o $@ $(CHECK_LIBS)

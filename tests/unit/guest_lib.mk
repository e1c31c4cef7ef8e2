# tests/unit/guest_lib.mk: unit tests of the guest kernel's freestanding string
# functions (guest/lib/string.c), built for the host under gs_* names so they
# do not replace the C library's own.

TEST_BINS += $(BUILD)/tests/unit/test_guest_string

GUEST_STRING_NAMES := memcpy memmove memset memcmp memchr strlen strnlen strcmp strncmp \
                      strchr strrchr strscpy
$(BUILD)/host/guest/lib/string.o: HOST_CFLAGS += -fno-builtin $(foreach n,$(GUEST_STRING_NAMES),-D$(n)=gs_$(n))

$(BUILD)/tests/unit/test_guest_string: $(BUILD)/host/tests/unit/test_guest_string.o \
		$(BUILD)/host/guest/lib/string.o
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) $^ -o $@ $(CHECK_LIBS)

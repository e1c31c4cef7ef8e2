# images/testguests/build.mk: tiny ring-0 guests for the boot tests, build/images/testguests/*.elf.
TG_CASES := hello pagefault triplefault badgpa badbuf overflow badlen badnr badport \
            mmio badabi badsize hlt bootinfo
TG_ELFS  := $(TG_CASES:%=$(BUILD)/images/testguests/%.elf)
IMAGES   += $(TG_ELFS)

$(BUILD)/images/testguests/%.elf: images/testguests/tg.S images/testguests/tg.ld
	$(call msg,TESTGST,$@)mkdir -p $(@D) && \
	$(GUEST_CC) $(GUEST_ASFLAGS) -DTG_CASE_$* -c $< -o $(@:.elf=.o) && \
	$(GUEST_LD) -nostdlib -T images/testguests/tg.ld -o $@ $(@:.elf=.o)

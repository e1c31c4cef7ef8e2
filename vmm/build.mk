# vmm/build.mk: the host CLI, build/modvisor.
#
# The core (KVM, memory, boot, vCPU loop, hypercalls, watchdogs) sits in
# vmm/ itself; the authority, the emulated KVM host, the benchmark, the
# authority daemon (fleet/) and the CLI commands each have a folder.  Headers are included by path from vmm/
# ("authority/policy.h"), so an include line says which part it reaches into.
VMM_PARTS    := authority emuhost bench cli fleet
VMM_SRCS     := $(wildcard vmm/*.c) $(foreach p,$(VMM_PARTS),$(wildcard vmm/$(p)/*.c))
# The guest's decompressor is also the host's (vmm/authority/unpack.c), and
# the loader's steps up to relocation are the host's re-derivation of a
# module's bytes (vmm/authority/rederive.c, in its environment loader_env.c).
VMM_LOADER   := elf_check layout relocate reloc_x86_64 signature
VMM_OBJS     := $(VMM_SRCS:%.c=$(BUILD)/host/%.o) $(BUILD)/host/guest/module/decompress.o \
                $(VMM_LOADER:%=$(BUILD)/host/guest/module/%.o)
# Everything but main(): what unit tests link to test the real code.
VMM_LIB_OBJS := $(filter-out $(BUILD)/host/vmm/cli/main.o,$(VMM_OBJS))

$(BUILD)/host/vmm/%.o: HOST_CFLAGS += -Ivmm

$(BUILD)/modvisor: $(VMM_OBJS) $(SHARED_HOST_OBJS)
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) -o $@ $^ $(HOST_LDLIBS)
# Tests include VMM headers by path, and those headers include each other from vmm/.
$(BUILD)/host/tests/%.o: HOST_CFLAGS += -Ivmm

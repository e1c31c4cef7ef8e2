# vmm/build.mk: the host CLI, build/modvisor.
VMM_SRCS     := $(wildcard vmm/*.c)
VMM_OBJS     := $(VMM_SRCS:%.c=$(BUILD)/host/%.o)
# Everything but main(): what unit tests link to test the real code.
VMM_LIB_OBJS := $(filter-out $(BUILD)/host/vmm/main.o,$(VMM_OBJS))

$(BUILD)/modvisor: $(VMM_OBJS) $(SHARED_HOST_OBJS)
	$(call msg,LINK,$@)mkdir -p $(@D) && $(HOSTCC) $(HOST_LDFLAGS) -o $@ $^ $(HOST_LDLIBS)

# images/sdk/module.mk: build every NAME.c of directory M into the module NAME.ko against the SDK.
#
#   make -f images/sdk/module.mk M=path/to/dir [MO=outdir] [KBUILD_EXTRA_SYMBOLS=...]
#
# Each NAME.c is one module (KBUILD_MODNAME "NAME", '-' read as '_').  Steps,
# as Linux's kbuild: NAME.c -> NAME.o (module flags, images/sdk/flags.mk) and
# NAME.i (preprocessed, for the CRCs of its exports); modpost over all the
# objects of M -> NAME.mod.c and MO/Module.symvers; NAME.mod.c -> NAME.mod.o;
# ld -r NAME.o NAME.mod.o -> NAME.ko.  Variables: MO (output directory,
# default M), CFLAGS_NAME.o (extra flags for one file), ccflags-y (for all),
# KBUILD_EXTRA_SYMBOLS (other module directories' Module.symvers files),
# KBUILD_MODPOST_WARN=1 (unresolved symbols are warnings).  See docs/sdk.md.

MV_SDK   := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
# An installed SDK (make install: PREFIX/lib/modvisor/sdk) carries modpost,
# Module.symvers and the shared headers itself; in the source tree they
# come from build/ and shared/include.
MV_INSTALLED := $(if $(wildcard $(MV_SDK)/modpost),1)
MV_ROOT  ?= $(patsubst %/,%,$(dir $(patsubst %/,%,$(dir $(MV_SDK)))))
MV_BUILD ?= $(MV_ROOT)/build

include $(MV_SDK)/flags.mk

ifeq ($(M),)
$(error usage: make -f $(MV_SDK)/module.mk M=DIR [MO=OUTDIR])
endif
M  := $(patsubst %/,%,$(M))
MO ?= $(M)
MO := $(patsubst %/,%,$(MO))

ifeq ($(MV_INSTALLED),1)
MODPOST        := $(MV_SDK)/modpost
KERNEL_SYMVERS := $(MV_SDK)/Module.symvers
MOD_INC        := -I$(MV_SDK)/include
else
MODPOST        := $(MV_BUILD)/sdk/modpost
KERNEL_SYMVERS := $(MV_BUILD)/images/Module.symvers
MOD_INC        := -I$(MV_SDK)/include -I$(MV_ROOT)/shared/include
endif

MOD_SRCS  := $(filter-out %.mod.c,$(wildcard $(M)/*.c))
MOD_NAMES := $(basename $(notdir $(MOD_SRCS)))
MOD_OBJS  := $(MOD_NAMES:%=$(MO)/%.o)
MOD_KOS   := $(MOD_NAMES:%=$(MO)/%.ko)
MODPOST_FLAGS := -i $(KERNEL_SYMVERS) $(addprefix -i ,$(KBUILD_EXTRA_SYMBOLS)) \
                 $(if $(filter 1,$(KBUILD_MODPOST_WARN)),-w)

V ?= 0
ifeq ($(V),1)
Q :=
msg =
else
Q := @
msg = @printf '  %-8s %s\n' '$(1)' '$(2)';
endif

.PHONY: modules clean
.SECONDARY:
modules: $(MOD_KOS)

modname = $(subst -,_,$(1))
mod_cflags = $(MOD_CFLAGS) $(MOD_INC) $(ccflags-y) $(CFLAGS_$(1).o) \
             -DKBUILD_MODNAME='"$(call modname,$(1))"'

$(MO)/%.o: $(M)/%.c $(wildcard $(MV_SDK)/include/linux/*.h)
	$(call msg,CC [M],$@)mkdir -p $(@D) && $(MOD_CC) $(call mod_cflags,$*) -c $< -o $@

$(MO)/%.i: $(M)/%.c $(wildcard $(MV_SDK)/include/linux/*.h)
	$(Q)mkdir -p $(@D) && $(MOD_CC) $(call mod_cflags,$*) -E -P $< -o $@

# One modpost run over every module of M, so they can use each other's exports.
$(MO)/.modpost.stamp: $(MOD_OBJS) $(MOD_OBJS:.o=.i) $(MODPOST) $(KERNEL_SYMVERS) $(KBUILD_EXTRA_SYMBOLS)
	$(call msg,MODPOST,$(MO)/Module.symvers)$(MODPOST) $(MODPOST_FLAGS) -o $(MO)/Module.symvers $(MOD_OBJS)
	$(Q)touch $@

$(MO)/%.mod.o: $(MO)/.modpost.stamp
	$(call msg,CC [M],$@)$(MOD_CC) $(MOD_CFLAGS) $(MOD_INC) -c $(MO)/$*.mod.c -o $@

$(MO)/%.ko: $(MO)/%.o $(MO)/%.mod.o
	$(call msg,LD [M],$@)$(MOD_LD) $(MOD_LDFLAGS) -o $@ $^

# In the source tree, the SDK's own pieces come from the modvisor tree.
ifneq ($(MV_INSTALLED),1)
$(MODPOST) $(KERNEL_SYMVERS):
	$(MAKE) --no-print-directory -C $(MV_ROOT) $(patsubst $(MV_ROOT)/%,%,$@)
endif

clean:
	rm -f $(MOD_KOS) $(MOD_OBJS) $(MOD_OBJS:.o=.i) $(MOD_OBJS:.o=.mod.c) \
	      $(MOD_OBJS:.o=.mod.o) $(MO)/Module.symvers $(MO)/.modpost.stamp

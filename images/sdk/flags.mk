# images/sdk/flags.mk: the compiler flags every module is built with (Linux's module flags).
#
# -mcmodel=kernel: the module lives in the top 2 GiB, next to the kernel, so
#   absolute addresses fit R_X86_64_32S and calls fit PC32/PLT32.
# -mno-red-zone -mgeneral-regs-only: interrupts share the stack; no SSE state.
# -fno-pic -fno-common: no GOT, no SHN_COMMON symbols (the loader refuses both).
# -fno-jump-tables -mindirect-branch=thunk-inline: no indirect jumps through
#   tables, retpolines for the rest (hence retpoline=Y in .modinfo).
# Only R_X86_64_64, 32S, PC32 and PLT32 relocations come out of this.
MOD_CC      ?= gcc
MOD_LD      ?= ld
MOD_CFLAGS  := -std=gnu11 -O2 -Wall -Wextra -Wno-unused-parameter \
               -nostdinc -isystem $(shell $(MOD_CC) -print-file-name=include) \
               -ffreestanding -fno-builtin-printf -mcmodel=kernel -mno-red-zone \
               -mgeneral-regs-only -fno-pic -fno-pie -fno-common \
               -fno-asynchronous-unwind-tables -fno-stack-protector \
               -fno-jump-tables -fcf-protection=none \
               -mindirect-branch=thunk-inline -mindirect-branch-register \
               -fno-strict-aliasing -DMODULE
MOD_LDFLAGS := -r -m elf_x86_64 -z noexecstack --build-id=none

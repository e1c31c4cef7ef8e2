# guest/build.mk: the guest kernel, build/images/kernel.elf (filled in by the guest core).

/* emuhost.h: run a host command inside the emulated KVM host (QEMU TCG + SVM). */
#ifndef MODVISOR_VMM_EMUHOST_H
#define MODVISOR_VMM_EMUHOST_H

/*
 * emuhost_exec(argv): boot the emulated KVM host (a Debian kernel under
 * qemu-system-x86_64 -accel tcg -cpu max, which loads kvm_amd), with the
 * host's file system visible at the same paths and the current directory
 * kept, and run argv there (argv[0] resolved through PATH as usual).  Its
 * stdout and stderr stream live to ours; MODVISOR_IN_EMUHOST=1 is set for it.
 * Returns its exit status (0-255), or 125 after printing why the emulated
 * host itself failed (missing artifacts, QEMU error, timeout).
 */
int emuhost_exec(char *const argv[]);

#endif

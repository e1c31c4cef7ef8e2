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

/* Set inside to the port's name when emuhost_exec_stream() handed one in. */
#define EMUHOST_STREAM_ENV "MODVISOR_EMUHOST_STREAM"

/*
 * emuhost_exec_stream(argv, port, fd): emuhost_exec(argv), with fd, a
 * socket connected here (e.g. to the module authority daemon), given to
 * QEMU as a virtio-serial port named port (port.h): the command inside
 * opens it (emuhost_port_open) as its end of the same byte stream, and
 * finds EMUHOST_STREAM_ENV=port in its environment.  fd is closed here
 * once QEMU has it, so the peer sees the stream end when QEMU exits.
 */
int emuhost_exec_stream(char *const argv[], const char *port, int fd);

#endif

/* hypercall.h: the guest/host hypercall ABI (ports, numbers, argument structs). */
#ifndef MODVISOR_ABI_HYPERCALL_H
#define MODVISOR_ABI_HYPERCALL_H

/*
 * How a hypercall works: the guest fills an argument struct in its own RAM,
 * then executes `outl %eax, $(MV_HC_PIO_BASE + nr)` with eax = the struct's
 * guest-physical address (GPA).  The VMM sees a KVM_EXIT_IO, translates the
 * GPA once through its checked accessor, handles the call, writes the OUT
 * fields and resumes the vCPU.  Argument structs therefore live below 4 GiB.
 *
 * Every struct starts with struct mv_hc_hdr.  The VMM refuses a struct whose
 * abi_version or size it does not know: that stops the VM with a diagnostic.
 *
 * Rules (see docs/hypercall-abi.md): fixed-width types only; explicit
 * padding; fields are only ever appended; a new hypercall number or a new
 * field bumps MV_ABI_VERSION; a changed meaning of an existing field is
 * forbidden.  IN = written by the guest, OUT = written by the host.
 */

#include <stdint.h>

#define MV_ABI_VERSION      1u

#define MV_HC_PIO_BASE      0x500u  /* port of hypercall 0 */
#define MV_HC_PIO_END       0x520u  /* one past the last hypercall port */

enum mv_hc_nr {
	MV_HC_CONSOLE      = 0,  /* write a buffer to stdout/stderr */
	MV_HC_EXIT         = 1,  /* stop the VM with a status */
	MV_HC_FAULT        = 2,  /* report a CPU exception, then stop */
	MV_HC_NOP          = 3,  /* null hypercall (benchmarks) */
	MV_HC_MODULE_LOAD  = 4,  /* ask the host for a verdict on an image */
	MV_HC_MODULE_EVENT = 5,  /* report what became of a load/unload */
	MV_HC_BENCH        = 6,  /* report a benchmark stage timing */
	MV_HC_COUNT
};

/* Common header of every argument struct. */
struct mv_hc_hdr {
	uint32_t abi_version;   /* IN: MV_ABI_VERSION the guest was built for */
	uint32_t size;          /* IN: sizeof the whole argument struct */
	int32_t  ret;           /* OUT: 0 or -errno (Linux numbering) */
	uint32_t _pad;
};
_Static_assert(sizeof(struct mv_hc_hdr) == 16, "mv_hc_hdr size");

#define MV_CONSOLE_STDOUT   1u
#define MV_CONSOLE_STDERR   2u
#define MV_CONSOLE_MAX      (64u * 1024u)  /* longest single write */

/* MV_HC_CONSOLE: write len bytes at GPA buf to the host stream. */
struct mv_hc_console {
	struct mv_hc_hdr hdr;
	uint64_t buf;           /* IN: GPA of the bytes */
	uint32_t len;           /* IN: at most MV_CONSOLE_MAX */
	uint32_t stream;        /* IN: MV_CONSOLE_STDOUT or _STDERR */
};
_Static_assert(sizeof(struct mv_hc_console) == 32, "mv_hc_console size");

/* MV_HC_EXIT: the VM stops; modvisor exits with status (0-255). */
struct mv_hc_exit {
	struct mv_hc_hdr hdr;
	int32_t  status;        /* IN */
	uint32_t _pad;
};
_Static_assert(sizeof(struct mv_hc_exit) == 24, "mv_hc_exit size");

/* MV_HC_FAULT: an exception the guest kernel could not handle. */
struct mv_hc_fault {
	struct mv_hc_hdr hdr;
	uint64_t vector;        /* IN: exception vector */
	uint64_t error_code;    /* IN */
	uint64_t rip;           /* IN */
	uint64_t cr2;           /* IN */
	uint64_t rsp;           /* IN */
	uint64_t rflags;        /* IN */
	uint64_t cs;            /* IN */
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp; /* IN */
	char     msg[64];       /* IN: NUL-terminated context, e.g. "kernel" */
};
_Static_assert(sizeof(struct mv_hc_fault) == 16 + 14 * 8 + 64, "mv_hc_fault size");

/* MV_HC_NOP: does nothing; the round trip is the cost of a hypercall. */
struct mv_hc_nop {
	struct mv_hc_hdr hdr;
};

#endif

/* bench_vm.c: boot a guest on modvisor's vCPU loop with exit hooks (exits, markers, handler times), and the raw-exit VM. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/kvm.h>
#include "bench_core.h"
#include "bench_vm.h"
#include "integrity.h"
#include "hypercall.h"
#include "kernel_load.h"
#include "kvm.h"
#include "vm.h"

uint64_t bench_exit_total(const struct bench_mark *m)
{
	uint64_t n = 0;

	for (int i = 0; i < BENCH_NEXITS; i++)
		n += m->by_exit[i];
	return n;
}

/* The vCPU's KVM statistics during a bench_guest_run() (one VM per process). */
static struct bench_kstats bench_ks = { .fd = -1 };

/* bench_mark_take(m, vm, now): note the state of the run, the current exit excluded. */
static void bench_mark_take(struct bench_mark *m, const struct vm *vm, uint32_t reason,
			    int hc, uint64_t now)
{
	m->kvalid = bench_kstats_read(&bench_ks, m->kstat);
	if (m->kvalid && reason < BENCH_NEXITS) {
		m->kstat[0] -= m->kstat[0] > 0;         /* exits */
		m->kstat[1] -= m->kstat[1] > 0 && reason == KVM_EXIT_IO;  /* io_exits */
	}
	m->hit = true;
	m->tsc = now;
	memcpy(m->by_exit, vm->exits, sizeof(m->by_exit));
	memcpy(m->by_hc, vm->hypercalls, sizeof(m->by_hc));
	if (reason < BENCH_NEXITS && m->by_exit[reason])
		m->by_exit[reason]--;
	if (hc >= 0 && hc < MV_HC_COUNT && m->by_hc[hc])
		m->by_hc[hc]--;
	m->exits = bench_exit_total(m);
}

/* The state one bench_guest_run() shares with its hooks on the vCPU loop. */
struct bench_ctx {
	const struct bench_guest_spec *s;
	struct bench_guest_trace *t;
	uint64_t now;                   /* host TSC when KVM_RUN returned this exit */
	uint64_t verdict_done;          /* TSC after a MODULE_LOAD verdict; 0: none pending */
};

/*
 * bench_nop_block(vm, t, s, now): at the end of a block of null hypercalls,
 * time the block, then run as many raw exits: both see the same machine
 * state, block after block.
 */
static void bench_nop_block(struct vm *vm, struct bench_guest_trace *t,
			    const struct bench_guest_spec *s, uint64_t now)
{
	double raw;

	if (t->blk_count++ == 0)
		t->blk_first = now;
	if (t->blk_count < s->nop_block)
		return;
	t->blk_count = 0;
	if (t->nblocks >= BENCH_MAX_BLOCKS)
		return;
	if (bench_raw_run(s->raw, s->nop_block, &raw)) {
		vm_fail(vm, MV_EXIT_SETUP, "the raw-exit VM failed");
		return;
	}
	t->blk_nop[t->nblocks] = (double)(now - t->blk_first) / (double)(s->nop_block - 1);
	t->blk_raw[t->nblocks++] = raw;
}

/* bench_on_exit: the exit's time, before anything handles it. */
static void bench_on_exit(struct vm *vm, const struct kvm_run *run, void *ctx)
{
	(void)vm;
	(void)run;
	((struct bench_ctx *)ctx)->now = bench_tsc();
}

/* bench_on_event(vm, c, e): a module event; a load's guest time ends at its outcome. */
static void bench_on_event(struct vm *vm, struct bench_ctx *c, const struct mv_hc_module_event *e)
{
	struct bench_guest_trace *t = c->t;

	/* MV_MODEV_INIT_START comes before init, so it ends nothing. */
	if (c->verdict_done && e->event != MV_MODEV_INIT_START && t->nloads < BENCH_MAX_LOADS) {
		t->load_guest[t->nloads] = c->now - c->verdict_done;
		c->verdict_done = 0;
	}
	if (e->event != MV_MODEV_LOADED)
		return;
	if (!t->loaded.hit)
		bench_mark_take(&t->loaded, vm, KVM_EXIT_IO, MV_HC_MODULE_EVENT, c->now);
	t->nloads++;
	t->loaded_last = c->now;
}

/* bench_on_hc: note the events of struct bench_guest_trace before the handler runs. */
static void bench_on_hc(struct vm *vm, uint32_t nr, const void *arg, void *ctx)
{
	struct bench_ctx *c = ctx;
	struct bench_guest_trace *t = c->t;
	const struct bench_guest_spec *s = c->s;
	const struct mv_hc_console *con = arg;

	switch (nr) {
	case MV_HC_CONSOLE:
		if (con->stream == MV_CONSOLE_STDOUT && !t->user.hit)
			bench_mark_take(&t->user, vm, KVM_EXIT_IO, (int)nr, c->now);
		break;
	case MV_HC_NOP:
		if (!t->nops++)
			t->nop_first = c->now;
		t->nop_last = c->now;
		if (s->raw && s->nop_block > 1)
			bench_nop_block(vm, t, s, c->now);
		if (s->nop_stop && t->nops >= s->nop_stop)
			vm_stop(vm, 0);
		break;
	case MV_HC_MODULE_EVENT:
		bench_on_event(vm, c, arg);
		break;
	}
}

/* bench_after_hc: the host's time for a MODULE_LOAD verdict or a MODULE_SEAL. */
static void bench_after_hc(struct vm *vm, uint32_t nr, const void *arg, void *ctx)
{
	struct bench_ctx *c = ctx;
	struct bench_guest_trace *t = c->t;

	(void)vm;
	(void)arg;
	if (nr == MV_HC_MODULE_SEAL && t->nseals < BENCH_MAX_LOADS)
		t->seal_host[t->nseals++] = bench_tsc() - c->now;
	if (nr != MV_HC_MODULE_LOAD)
		return;
	if (!t->load_first)
		t->load_first = c->now;
	if (t->nloads < BENCH_MAX_LOADS) {
		c->verdict_done = bench_tsc();
		t->load_host[t->nloads] = c->verdict_done - c->now;
	}
}

/* bench_loop(vm, s, t): modvisor's own vm_run(), observed through its exit hooks. */
static void bench_loop(struct vm *vm, const struct bench_guest_spec *s, struct bench_guest_trace *t)
{
	struct bench_ctx c = { .s = s, .t = t };
	const struct vm_hooks hooks = { .exit = bench_on_exit, .hc_before = bench_on_hc,
					.hc_after = bench_after_hc, .ctx = &c };

	vm->hooks = &hooks;
	vm_run(vm);
	vm->hooks = NULL;
	bench_mark_take(&t->end, vm, BENCH_NEXITS, -1, bench_tsc());
}

/* bench_proc_kib(path, key): a "Key:   N kB" line of /proc/self/status or smaps_rollup. */
static uint64_t bench_proc_kib(const char *path, const char *key)
{
	char line[256];
	size_t n = strlen(key);
	unsigned long long v = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':' &&
		    sscanf(line + n + 1, "%llu", &v) == 1)
			break;
	fclose(f);
	return v;
}

/* bench_resident_kib(m): guest RAM pages the host has touched (mincore). */
static uint64_t bench_resident_kib(const struct guest_mem *m)
{
	size_t pages = m->size / 4096, n = 0;
	unsigned char *vec = malloc(pages);

	if (!vec)
		return 0;
	if (mincore(m->host, m->size, vec) == 0)
		for (size_t i = 0; i < pages; i++)
			n += vec[i] & 1;
	free(vec);
	return n * 4;
}

/* bench_redirect(path, saved): send fds 1 and 2 to path; saved gets the old ones. */
static void bench_redirect(const char *path, int saved[2])
{
	int fd = open(path ? path : "/dev/null", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

	fflush(stdout);
	fflush(stderr);
	saved[0] = dup(1);
	saved[1] = dup(2);
	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
	}
}

static void bench_restore(int saved[2])
{
	fflush(stdout);
	fflush(stderr);
	for (int i = 0; i < 2; i++) {
		if (saved[i] >= 0) {
			dup2(saved[i], i + 1);
			close(saved[i]);
		}
	}
}

/* bench_boot(vm, s, err, errlen): load the kernel and lay out the boot. */
static int bench_boot(struct vm *vm, const struct bench_guest_spec *s, uint8_t *initrd,
		      size_t initrd_len, char *err, size_t errlen)
{
	struct boot_spec bs = { .cmdline = s->cmdline ? s->cmdline : "", .cmds = s->cmds,
				.ncmds = s->ncmds, .initrd = initrd, .initrd_len = initrd_len,
				.extra = s->extra, .extra_len = s->extra_len };
	struct kernel_info ki;

	vm->boot_flags = s->boot_flags;
	vm->auth = s->auth;
	if (kernel_load_file(s->kernel, &vm->mem, &ki, err, errlen) ||
	    boot_prepare(vm, &ki, &bs, err, errlen))
		return -1;
	if (s->protect && integrity_open(vm, &ki, s->kernel, true, true))
		return snprintf(err, errlen, "%s: cannot protect its text", s->kernel), -1;
	return 0;
}

int bench_guest_run(const struct bench_guest_spec *s, struct bench_guest_trace *t)
{
	char err[4096 + 256];
	uint8_t *initrd = NULL;
	size_t initrd_len = 0;
	struct vm vm;
	int saved[2], rc = -1;

	memset(t, 0, sizeof(*t));
	t->t0 = bench_tsc();
	if (s->initrd && read_whole_file(s->initrd, &initrd, &initrd_len)) {
		fprintf(stderr, "modvisor bench: initrd %s: cannot read it\n", s->initrd);
		return -1;
	}
	if (vm_create(&vm, s->mem_mib << 20))
		goto out;
	if (bench_boot(&vm, s, initrd, initrd_len, err, sizeof(err))) {
		fprintf(stderr, "modvisor bench: %s\n", err);
		goto out_vm;
	}
	/* boot_prepare() copied it into guest RAM, as cmd_run.c's run_boot() does. */
	free(initrd);
	initrd = NULL;
	bench_kstats_open(vm.vcpu[0].fd, &bench_ks);
	bench_redirect(s->console_log, saved);
	bench_loop(&vm, s, t);
	bench_restore(saved);
	bench_kstats_close(&bench_ks);
	t->status = vm.status;
	snprintf(t->why, sizeof(t->why), "%s", vm.why);
	t->rss_kib = bench_proc_kib("/proc/self/status", "VmRSS");
	t->hwm_kib = bench_proc_kib("/proc/self/status", "VmHWM");
	t->anon_kib = bench_proc_kib("/proc/self/status", "RssAnon");
	t->file_kib = bench_proc_kib("/proc/self/status", "RssFile");
	t->private_kib = bench_proc_kib("/proc/self/smaps_rollup", "Private_Clean") +
			 bench_proc_kib("/proc/self/smaps_rollup", "Private_Dirty");
	t->shared_kib = bench_proc_kib("/proc/self/smaps_rollup", "Shared_Clean") +
			bench_proc_kib("/proc/self/smaps_rollup", "Shared_Dirty");
	t->guest_resident_kib = bench_resident_kib(&vm.mem);
	rc = 0;
out_vm:
	vm_destroy(&vm);
out:
	free(initrd);
	return rc;
}

/* The raw VM: real mode at 0x1000: mov $0xf0,%dx; 1: outl %eax,(%dx); jmp 1b. */
static const uint8_t bench_raw_code[] = { 0xba, 0xf0, 0x00, 0x66, 0xef, 0xeb, 0xfc };

#define BENCH_RAW_MEM   0x10000
#define BENCH_RAW_ENTRY 0x1000
#define BENCH_RAW_PORT  0xf0

/* bench_raw_setup(kvm, vm, vcpu, run, mem): the VM, its 64 KiB and its vCPU in real mode. */
static int bench_raw_setup(int *kvm, int *vmfd, int *vcpu, struct kvm_run **run,
			   size_t *run_size, uint8_t **mem)
{
	char why[256];
	struct kvm_sregs sr;
	struct kvm_regs regs = { .rip = BENCH_RAW_ENTRY, .rflags = 2 };
	struct kvm_userspace_memory_region reg = { .slot = 0, .guest_phys_addr = 0,
						   .memory_size = BENCH_RAW_MEM };
	void *r;

	*kvm = kvm_open(why, sizeof(why));
	if (*kvm < 0 || (*vmfd = ioctl(*kvm, KVM_CREATE_VM, 0)) < 0)
		return -1;
	*mem = mmap(NULL, BENCH_RAW_MEM, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (*mem == MAP_FAILED)
		return -1;
	memcpy(*mem + BENCH_RAW_ENTRY, bench_raw_code, sizeof(bench_raw_code));
	reg.userspace_addr = (uint64_t)*mem;
	if (ioctl(*vmfd, KVM_SET_USER_MEMORY_REGION, &reg) < 0)
		return -1;
	*vcpu = kvm_create_vcpu(*kvm, *vmfd, 0, &r, run_size, why, sizeof(why));
	if (*vcpu < 0)
		return -1;
	*run = r;
	if (ioctl(*vcpu, KVM_GET_SREGS, &sr) < 0)
		return -1;
	sr.cs.base = 0;
	sr.cs.selector = 0;
	if (ioctl(*vcpu, KVM_SET_SREGS, &sr) < 0 || ioctl(*vcpu, KVM_SET_REGS, &regs) < 0)
		return -1;
	return 0;
}

struct bench_raw {
	int kvm, vm, vcpu;
	struct kvm_run *run;
	size_t run_size;
	uint8_t *mem;
};

struct bench_raw *bench_raw_open(void)
{
	struct bench_raw *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->kvm = r->vm = r->vcpu = -1;
	r->mem = MAP_FAILED;
	if (bench_raw_setup(&r->kvm, &r->vm, &r->vcpu, &r->run, &r->run_size, &r->mem)) {
		fprintf(stderr, "modvisor bench: raw-exit VM: setup failed: %s\n", strerror(errno));
		bench_raw_close(r);
		return NULL;
	}
	return r;
}

int bench_raw_run(struct bench_raw *r, uint64_t n, double *ticks)
{
	uint64_t first = 0, last = 0, i;

	for (i = 0; i < n; i++) {
		if (ioctl(r->vcpu, KVM_RUN, 0) < 0) {
			if (errno == EINTR) {
				i--;
				continue;
			}
			break;
		}
		last = bench_tsc();
		if (r->run->exit_reason != KVM_EXIT_IO || r->run->io.port != BENCH_RAW_PORT)
			break;
		if (i == 0)
			first = last;
	}
	if (i < n || n < 2) {
		fprintf(stderr, "modvisor bench: raw-exit VM: exit %s after %llu exits\n",
			vm_exit_name(r->run->exit_reason), (unsigned long long)i);
		return -1;
	}
	*ticks = (double)(last - first) / (double)(n - 1);
	return 0;
}

void bench_raw_close(struct bench_raw *r)
{
	if (!r)
		return;
	if (r->run)
		munmap(r->run, r->run_size);
	if (r->vcpu >= 0)
		close(r->vcpu);
	if (r->mem != MAP_FAILED)
		munmap(r->mem, BENCH_RAW_MEM);
	if (r->vm >= 0)
		close(r->vm);
	if (r->kvm >= 0)
		close(r->kvm);
	free(r);
}

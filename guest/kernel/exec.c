/* exec.c: execve: read an ELF (and its PT_INTERP dynamic linker), build a new address space and stack, enter ring 3. */
#include "arch.h"
#include "exec.h"
#include "random.h"
#include "sigdeliver.h"
#include "sigframe.h"
#include "uaccess.h"
#include "umm.h"
#include "vfs.h"
#include <modvisor/elf_exec.h>
#include <modvisor/errname.h>

/* The file system may be missing in a test kernel: these are weak. */
#pragma weak vfs_open_exec
#pragma weak vfs_kernel_read
#pragma weak vfs_file_put
#pragma weak vfs_proc_set_exe
#pragma weak vfs_proc_exec
#pragma weak vfs_map_page

/* Linux auxiliary vector tags. */
enum {
	AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6,
	AT_BASE = 7, AT_FLAGS = 8, AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12,
	AT_GID = 13, AT_EGID = 14, AT_PLATFORM = 15, AT_HWCAP = 16,
	AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25, AT_HWCAP2 = 26,
	AT_EXECFN = 31, AT_MINSIGSTKSZ = 51,
};
#define EXEC_NAUXV      20              /* pairs exec_auxv() writes, AT_NULL included */

/*
 * The smallest stack a signal handler needs (AT_MINSIGSTKSZ): the frame
 * signal.c builds, the FXSAVE image 64-byte aligned above it, and the
 * alignment of the frame itself.
 */
#define EXEC_MINSIGSTKSZ (sizeof(struct rt_sigframe) + 512 + 64 + 16 + 8)

#define EXEC_SCRIPT     1               /* exec_load: a #! script, see script */
#define EXEC_LINE_MAX   256             /* BINPRM_BUF_SIZE */

/* One ELF file exec maps: the program, or the dynamic linker its PT_INTERP names. */
struct exec_obj {
	uint64_t file_size;
	struct file *file;
	struct elf_exec_info elf;
	uint64_t bias;          /* load bias (ET_DYN) */
};

/* What exec builds before it commits to the new image. */
struct exec_image {
	char script[EXEC_LINE_MAX];     /* a #! script's interpreter line */
	struct mm *mm;
	struct exec_obj prog;   /* prog.file is /proc/self/exe */
	struct exec_obj interp; /* interp.file NULL: statically linked */
	uint64_t entry;         /* where ring 3 starts: the interpreter's entry, or prog's */
	uint64_t sp;            /* initial stack pointer */
};

int exec_args_init(struct exec_args *a)
{
	*a = (struct exec_args){ .buf = kmalloc(EXEC_ARG_MAX) };
	return a->buf ? 0 : -ENOMEM;
}

void exec_args_free(struct exec_args *a)
{
	kfree(a->buf);
	a->buf = NULL;
}

int exec_args_add(struct exec_args *a, const char *s, bool is_env)
{
	size_t n = strlen(s) + 1;

	if (n > EXEC_ARG_MAX - a->len || a->argc + a->envc >= EXEC_ARGC_MAX)
		return -E2BIG;
	memcpy(a->buf + a->len, s, n);
	a->len += n;
	if (is_env)
		a->envc++;
	else
		a->argc++;
	return 0;
}

/* Append the strings of one user vector (argv or envp). */
static int exec_args_vec(struct exec_args *a, uaddr_t vec, bool is_env)
{
	for (uint64_t i = 0; vec; i++) {
		uint64_t ptr;
		long n;

		if (get_user_u64(&ptr, vec + i * 8))
			return -EFAULT;
		if (!ptr)
			return 0;
		if (a->argc + a->envc >= EXEC_ARGC_MAX)
			return -E2BIG;
		n = strncpy_from_user(a->buf + a->len, ptr, EXEC_ARG_MAX - a->len);
		if (n == -ENAMETOOLONG)
			return -E2BIG;
		if (n < 0)
			return (int)n;
		a->len += (size_t)n + 1;
		if (is_env)
			a->envc++;
		else
			a->argc++;
	}
	return 0;
}

int exec_args_from_user(struct exec_args *a, uaddr_t argv, uaddr_t envp)
{
	int err = exec_args_vec(a, argv, false);

	/* An empty argv gets one empty string, as Linux does since 5.18. */
	if (!err && a->argc == 0)
		err = exec_args_add(a, "", false);
	return err ? err : exec_args_vec(a, envp, true);
}

/* Length of the leading run of non-blank characters of s. */
static size_t strcspn_blank(const char *s)
{
	size_t n = 0;

	while (s[n] && s[n] != ' ' && s[n] != '\t')
		n++;
	return n;
}

/* Length of s without trailing blanks (and a carriage return). */
static size_t strcspn_trailing(const char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	return n;
}

/*
 * Open path as an executable and read its first ELF_EXEC_HDR_MAX bytes
 * (headers; the segments are read straight into their pages later).
 */
static int exec_read(struct process *p, const char *path, struct exec_obj *o,
		     void *hdr, size_t *len)
{
	long n;
	int err;

	if (!vfs_open_exec || !vfs_kernel_read)
		return -ENOENT;
	err = vfs_open_exec(p->fs, path, &o->file);
	if (err)
		return err;
	o->file_size = o->file->inode->size;
	n = vfs_kernel_read(o->file, hdr, MIN(o->file_size, (uint64_t)ELF_EXEC_HDR_MAX), 0);
	if (n < 0) {
		vfs_file_put(o->file);
		o->file = NULL;
		return (int)n;
	}
	*len = (size_t)n;
	return 0;
}

/*
 * The file page that can back page `page` (before the bias) of segment s
 * itself, shared instead of copied: one the segment's file bytes fill
 * wholly (so no bss and no other segment is in it), at a file offset in
 * step with it.  0 with *kaddr (a reference the caller now holds), or an
 * error: the page is copied then.
 */
static int exec_file_page(const struct exec_obj *o, const struct elf_exec_seg *s,
			  uint64_t page, const void **kaddr)
{
	if (!vfs_map_page || (s->vaddr - s->offset) % PAGE_SIZE || page < s->vaddr ||
	    page >= s->vaddr + s->filesz || s->vaddr + s->filesz - page < PAGE_SIZE)
		return -EINVAL;
	return vfs_map_page(o->file, s->offset + (page - s->vaddr), kaddr);
}

/*
 * Fill the fresh page at va (before the bias: page) with the bytes of
 * segment s that fall in it, read from the file through buf (a page).
 */
static int exec_copy_page(struct mm *mm, struct exec_obj *o, const struct elf_exec_seg *s,
			  uint64_t page, void *buf)
{
	uint64_t from = MAX(page, s->vaddr);
	uint64_t to = MIN(page + PAGE_SIZE, s->vaddr + s->filesz);
	long got;

	if (from >= to)
		return 0;               /* bss only */
	got = vfs_kernel_read(o->file, buf, to - from, s->offset + (from - s->vaddr));
	if (got != (long)(to - from))
		return got < 0 ? (int)got : -EIO;
	return umm_write(mm, from + o->bias, buf, to - from) ? -EFAULT : 0;
}

/*
 * Map the pages of segment i of o.  A page the file fills wholly is the
 * file's own page, shared read-only (copy-on-write if the segment is
 * writable), as Linux maps a program from its page cache: an exec then
 * allocates and copies only the few pages at the segments' edges and the
 * bss.  Every other page is fresh and gets its bytes from the file; the
 * first one may already hold the end of segment i-1.
 */
static int exec_map_seg(struct mm *mm, struct exec_obj *o, uint32_t i, void *buf)
{
	const struct elf_exec_seg *s = &o->elf.seg[i];
	uint64_t page = ALIGN_DOWN(s->vaddr, PAGE_SIZE);
	uint64_t end = ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE);
	int err = 0;

	for (; !err && page < end; page += PAGE_SIZE) {
		uint64_t va = page + o->bias;
		const void *kaddr;

		if (exec_file_page(o, s, page, &kaddr) == 0) {
			err = umm_map_frame(mm, va, virt_to_phys(kaddr), VM_READ);
			if (err)
				page_ref_put(virt_to_phys(kaddr));
			continue;
		}
		if (umm_prot_at(mm, va) < 0)
			err = umm_map_anon(mm, va, PAGE_SIZE, VM_READ | VM_WRITE);
		if (!err)
			err = exec_copy_page(mm, o, s, page, buf);
	}
	return err;
}

/*
 * Map every PT_LOAD segment of o into mm, then give each its rights.
 * Whole pages between two segments stay unmapped, as Linux leaves them.
 */
static int exec_map_segments(struct mm *mm, struct exec_obj *o, void *buf)
{
	const struct elf_exec_info *e = &o->elf;
	int err = 0;

	for (uint32_t i = 0; !err && i < e->nseg; i++)
		err = exec_map_seg(mm, o, i, buf);
	for (uint32_t i = 0; !err && i < e->nseg; i++) {
		const struct elf_exec_seg *s = &e->seg[i];
		uint64_t lo = ALIGN_DOWN(s->vaddr + o->bias, PAGE_SIZE);
		uint64_t hi = ALIGN_UP(s->vaddr + o->bias + s->memsz, PAGE_SIZE);
		unsigned prot = (s->flags & ELF_EXEC_R ? VM_READ : 0) |
				(s->flags & ELF_EXEC_W ? VM_WRITE : 0) |
				(s->flags & ELF_EXEC_X ? VM_EXEC : 0);

		/* A page shared with the previous segment keeps both rights. */
		if (i && ALIGN_UP(e->seg[i - 1].vaddr + o->bias + e->seg[i - 1].memsz,
				  PAGE_SIZE) > lo)
			lo += PAGE_SIZE;
		if (hi > lo)
			err = umm_protect(mm, lo, hi - lo, prot);
	}
	return err;
}

static uint32_t cpu_hwcap(void)
{
	uint32_t a = 1, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return d;
}

/* exec_argv_len(a): bytes of the argv strings (with their NULs), for /proc/PID/cmdline. */
static uint64_t exec_argv_len(const struct exec_args *a)
{
	const char *s = a->buf;

	for (uint32_t i = 0; i < a->argc; i++)
		s += strlen(s) + 1;
	return (uint64_t)(s - a->buf);
}

/* Where execve puts each piece of the new stack, from the top down. */
struct exec_stack {
	uint64_t efn, strings, plat, rnd, sp;
	uint64_t nptr;          /* words at sp: argc, argv, envp, the auxv pairs */
};

/* exec_stack_layout(img, a, efn_len, st): the addresses; -E2BIG past UMM_STACK_INIT. */
static int exec_stack_layout(const struct exec_image *img, const struct exec_args *a,
			     size_t efn_len, struct exec_stack *st)
{
	uint64_t top = img->mm->stack_top;

	st->nptr = 1 + a->argc + 1 + a->envc + 1 + 2 * EXEC_NAUXV;
	st->efn = top - 8 - efn_len;
	st->strings = st->efn - a->len;
	st->plat = st->strings - 8;
	st->rnd = ALIGN_DOWN(st->plat - 16, 16);
	st->sp = ALIGN_DOWN(st->rnd - st->nptr * 8, 16);
	return top - st->sp > UMM_STACK_INIT ? -E2BIG : 0;
}

/* exec_pointers(a, strings, v): argc, argv and envp into the strings at v; where auxv goes. */
static uint64_t *exec_pointers(const struct exec_args *a, uint64_t strings, uint64_t *v)
{
	const char *s = a->buf;

	*v++ = a->argc;
	for (uint32_t i = 0; i < a->argc; i++, s += strlen(s) + 1)
		*v++ = strings + (uint64_t)(s - a->buf);
	*v++ = 0;                               /* end of argv */
	for (uint32_t i = 0; i < a->envc; i++, s += strlen(s) + 1)
		*v++ = strings + (uint64_t)(s - a->buf);
	*v++ = 0;                               /* end of envp */
	return v;
}

/* exec_auxv(p, img, st, v): the EXEC_NAUXV auxiliary vector pairs at v, AT_NULL last. */
static void exec_auxv(const struct process *p, const struct exec_image *img,
		      const struct exec_stack *st, uint64_t *v)
{
	const struct exec_obj *o = &img->prog;
	size_t vi = 0;

#define AUX(t, val) do { v[vi++] = (t); v[vi++] = (val); } while (0)
	AUX(AT_PHDR, o->elf.phdr_vaddr ? o->elf.phdr_vaddr + o->bias : 0);
	AUX(AT_PHENT, o->elf.phentsize);
	AUX(AT_PHNUM, o->elf.phnum);
	AUX(AT_PAGESZ, PAGE_SIZE);
	/* The dynamic linker's load address (Linux: interp_load_addr). */
	AUX(AT_BASE, img->interp.file ? img->interp.elf.lo + img->interp.bias : 0);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, o->elf.entry + o->bias);
	AUX(AT_UID, p->cred.uid);
	AUX(AT_EUID, p->cred.euid);
	AUX(AT_GID, p->cred.gid);
	AUX(AT_EGID, p->cred.egid);
	AUX(AT_SECURE, 0);
	AUX(AT_RANDOM, st->rnd);
	AUX(AT_HWCAP, cpu_hwcap());
	AUX(AT_HWCAP2, 0);
	AUX(AT_CLKTCK, 100);
	AUX(AT_PLATFORM, st->plat);
	AUX(AT_EXECFN, st->efn);
	AUX(AT_MINSIGSTKSZ, EXEC_MINSIGSTKSZ);
	AUX(AT_NULL, 0);
#undef AUX
}

/* The initial stack, Linux style: argc, argv, envp, auxv, then the strings. */
static int exec_build_stack(struct process *p, struct exec_image *img,
			    const struct exec_args *a, const char *execfn)
{
	size_t efn_len = strlen(execfn) + 1;
	struct exec_stack st;
	uint8_t random[16];
	uint64_t *vec;
	int err;

	err = exec_stack_layout(img, a, efn_len, &st);
	/*
	 * Only the pages the initial stack fills are mapped now; the rest of
	 * the stack region is mapped as it is first touched (umm_fault_in),
	 * as Linux populates its stack: an exec zeroes no unused stack pages.
	 */
	if (!err)
		err = umm_map_anon(img->mm, ALIGN_DOWN(st.sp, PAGE_SIZE),
				   img->mm->stack_top - ALIGN_DOWN(st.sp, PAGE_SIZE),
				   img->mm->stack_prot);
	if (err)
		return err;
	vec = kzalloc(st.nptr * 8);
	if (!vec)
		return -ENOMEM;
	get_random_bytes(random, sizeof(random));
	exec_auxv(p, img, &st, exec_pointers(a, st.strings, vec));
	err = umm_write(img->mm, st.sp, vec, st.nptr * 8);
	if (!err)
		err = umm_write(img->mm, st.rnd, random, sizeof(random));
	if (!err)
		err = umm_write(img->mm, st.plat, "x86_64", 7);
	if (!err)
		err = umm_write(img->mm, st.strings, a->buf, a->len);
	if (!err)
		err = umm_write(img->mm, st.efn, execfn, efn_len);
	kfree(vec);
	img->sp = st.sp;
	img->mm->arg_start = st.strings;
	img->mm->arg_end = st.strings + exec_argv_len(a);
	return err;
}

/* exec_interp_name(img, hdr): a copy of the program's PT_INTERP path (in hdr); NULL if OOM. */
static char *exec_interp_name(const struct exec_image *img, const char *hdr)
{
	char *name = kmalloc(ELF_EXEC_INTERP_MAX);

	if (name)
		memcpy(name, hdr + img->prog.elf.interp_off, img->prog.elf.interp_len + 1);
	return name;
}

/*
 * Load the dynamic linker `name` (the program's PT_INTERP) into img->mm:
 * an ET_DYN one goes right below the top of the mmap area, where the first
 * mmap without a hint would go (a fixed place: there is no randomization);
 * an ET_EXEC one at its link address, which must be free.  Its entry point
 * is where the process starts.  hdr is a ELF_EXEC_HDR_MAX scratch buffer.
 */
static int exec_load_interp(struct process *p, const char *path, const char *name,
			    struct exec_image *img, char *hdr)
{
	struct exec_obj *o = &img->interp;
	const char *why;
	size_t len = 0;
	uint64_t base;
	int err;

	err = exec_read(p, name, o, hdr, &len);
	if (err) {
		why = mv_errno_name(err);
		printk("exec %s: PT_INTERP %s: %s\n", path, name, why ? why : "cannot open");
		return err;
	}
	err = elf_exec_parse(hdr, len, o->file_size, UMM_MMAP_TOP, &o->elf);
	if (err) {
		printk("exec %s: PT_INTERP %s: %s\n", path, name, o->elf.why);
		return err;
	}
	if (o->elf.pie) {
		base = umm_find_free(img->mm, o->elf.hi - o->elf.lo);
		if (!base)
			return -ENOMEM;
		o->bias = base - o->elf.lo;
	} else if (!umm_range_free(img->mm, o->elf.lo, o->elf.hi - o->elf.lo)) {
		printk("exec %s: PT_INTERP %s: its segments overlap the program's\n", path, name);
		return -EINVAL;
	}
	err = exec_map_segments(img->mm, o, hdr);
	img->entry = o->elf.entry + o->bias;
	return err;
}

/* exec_prog_parse(path, hdr, len, img): check the program's headers; its load bias and entry. */
static int exec_prog_parse(const char *path, const char *hdr, size_t len,
			   struct exec_image *img)
{
	struct exec_obj *o = &img->prog;
	int err = elf_exec_parse(hdr, len, o->file_size, UMM_MMAP_TOP, &o->elf);

	if (err) {
		printk("exec %s: %s\n", path, o->elf.why);
		return err;
	}
	o->bias = o->elf.pie ? UMM_PIE_BASE - o->elf.lo : 0;
	img->entry = o->elf.entry + o->bias;
	return 0;
}

/* exec_script_line(img, hdr, len): keep a #! script's first line for exec_script_args(). */
static void exec_script_line(struct exec_image *img, const char *hdr, size_t len)
{
	size_t n = strnlen(hdr + 2, MIN(len - 2, EXEC_LINE_MAX - 1));
	const char *nl = memchr(hdr + 2, '\n', n);

	n = nl ? (size_t)(nl - hdr - 2) : n;
	memcpy(img->script, hdr + 2, n);
	img->script[n] = '\0';
}

/* exec_obj_put(o): drop o's file reference. */
static void exec_obj_put(struct exec_obj *o)
{
	if (o->file)
		vfs_file_put(o->file);
	o->file = NULL;
}

/*
 * Load path into a fresh address space: its segments, brk after them, the
 * dynamic linker when it has a PT_INTERP, and the stack.
 */
static int exec_load(struct process *p, const char *path, const struct exec_args *a,
		     struct exec_image *img)
{
	char *hdr = kmalloc(ELF_EXEC_HDR_MAX), *interp = NULL;
	size_t len = 0;
	int err;

	*img = (struct exec_image){ 0 };
	if (!hdr)
		return -ENOMEM;
	err = exec_read(p, path, &img->prog, hdr, &len);
	if (err)
		goto out;
	if (len >= 2 && !memcmp(hdr, "#!", 2)) {
		exec_script_line(img, hdr, len);
		err = EXEC_SCRIPT;
		goto out;
	}
	err = exec_prog_parse(path, hdr, len, img);
	if (err)
		goto out;
	err = -ENOMEM;
	if (img->prog.elf.has_interp && !(interp = exec_interp_name(img, hdr)))
		goto out;
	img->mm = umm_create();
	if (!img->mm)
		goto out;
	err = exec_map_segments(img->mm, &img->prog, hdr);
	if (err)
		goto out;
	img->mm->image_end = img->prog.elf.hi + img->prog.bias;
	img->mm->brk_start = img->mm->brk = img->mm->image_end;
	if (interp && (err = exec_load_interp(p, path, interp, img, hdr)))
		goto out;
	img->mm->stack_prot = VM_READ | VM_WRITE | (img->prog.elf.exec_stack ? VM_EXEC : 0);
	err = exec_build_stack(p, img, a, path);
out:
	kfree(hdr);
	kfree(interp);
	exec_obj_put(&img->interp);
	if (err == EXEC_SCRIPT) {
		exec_obj_put(&img->prog);
	} else if (err) {
		umm_destroy(img->mm);
		img->mm = NULL;
		exec_obj_put(&img->prog);
	}
	return err;
}

/* Try path, or each PATH directory for a bare name; the first hit wins. */
static int exec_search(struct process *p, const char *name, const struct exec_args *a,
		       bool search, struct exec_image *img, char *found)
{
	static const char *const dirs[] = { "/bin/", "/sbin/" };
	int err = -ENOENT;

	if (!search || strchr(name, '/')) {
		if (strscpy(found, name, PROC_PATH_MAX) < 0)
			return -ENAMETOOLONG;
		return exec_load(p, found, a, img);
	}
	if (!*name)
		return -ENOENT;
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		int e;

		if (snprintf(found, PROC_PATH_MAX, "%s%s", dirs[i], name) >= PROC_PATH_MAX)
			return -ENAMETOOLONG;
		e = exec_load(p, found, a, img);
		if (e != -ENOENT)
			return e;
	}
	return err;
}

/* The point of no return: drop the old image and run the new one. */
static __noreturn void exec_commit(struct process *p, struct exec_image *img,
				   char *found)
{
	struct mm *old = p->mm;
	const char *base = strrchr(found, '/');

	p->mm = img->mm;
	paging_switch(p->mm->pml4_pa);
	umm_destroy(old);               /* a vfork parent keeps its share */
	proc_vfork_release(p);
	strscpy(p->exe, found, sizeof(p->exe));
	strscpy(p->comm, base ? base + 1 : found, sizeof(p->comm));
	kfree(found);
	if (p->fs && vfs_proc_exec)
		vfs_proc_exec(p->fs);
	if (p->fs && vfs_proc_set_exe && img->prog.file)
		vfs_proc_set_exe(p->fs, img->prog.file);
	if (img->prog.file && vfs_file_put)
		vfs_file_put(img->prog.file);
	p->fs_base = 0;
	signal_exec(p);
	p->clear_child_tid = 0;
	p->robust_list = 0;
	wrmsr(MSR_FS_BASE, 0);
	cpu_set_kernel_stack(p->kstack_top);
	cpu_fpu_reset();
	user_enter(img->entry, img->sp);
}

/*
 * A "#!interpreter [arg]" script runs as interpreter [arg] path args...,
 * as on Linux (one level: the interpreter must be a binary).
 */
static int exec_script_args(const char *line, const char *path,
			    const struct exec_args *a, struct exec_args *out, char **interp)
{
	const char *s = a->buf;
	char *arg;
	int err;

	while (*line == ' ' || *line == '\t')
		line++;
	*interp = kmalloc(EXEC_LINE_MAX);
	if (!*interp)
		return -ENOMEM;
	strscpy(*interp, line, EXEC_LINE_MAX);
	arg = *interp + strcspn_blank(*interp);
	if (*arg) {
		*arg++ = '\0';
		while (*arg == ' ' || *arg == '\t')
			arg++;
		arg[strcspn_trailing(arg)] = '\0';
	}
	if (!**interp)
		return -ENOEXEC;
	if ((err = exec_args_init(out)))
		return err;
	err = exec_args_add(out, *interp, false);
	if (!err && *arg)
		err = exec_args_add(out, arg, false);
	if (!err)
		err = exec_args_add(out, path, false);
	for (uint32_t i = 0; !err && i < a->argc + a->envc; i++) {
		if (i > 0)
			err = exec_args_add(out, s, i >= a->argc);
		s += strlen(s) + 1;
	}
	return err;
}

int exec_run(struct process *p, const char *path, const struct exec_args *a, bool search)
{
	struct exec_image img;
	struct exec_args sargs = { 0 };
	char *found = kmalloc(PROC_PATH_MAX), *interp = NULL;
	int err;

	if (!found)
		return -ENOMEM;
	err = exec_search(p, path, a, search, &img, found);
	if (err == EXEC_SCRIPT) {
		err = exec_script_args(img.script, found, a, &sargs, &interp);
		if (!err)
			err = exec_search(p, interp, &sargs, false, &img, found);
		if (err == EXEC_SCRIPT)
			err = -ENOEXEC;         /* a script as interpreter */
	}
	exec_args_free(&sargs);
	kfree(interp);
	if (!err)
		exec_commit(p, &img, found);
	kfree(found);
	return err;
}

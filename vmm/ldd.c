/* ldd.c: the shared libraries a host program needs, found as ldd finds them (--add-program, --kmod). */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kernel_load.h"
#include "ldd.h"

#define LDD_MAX_OBJS   256      /* libraries of one program, a loop guard */
#define LDD_MAX_NEEDED 128      /* DT_NEEDED entries of one object */
#define LDD_CONF       "/etc/ld.so.conf"

/* What ldd needs from one ELF file: pointers into its bytes, all NUL-terminated. */
struct ldd_elf {
	uint8_t *data;
	size_t len;
	const char *interp;             /* PT_INTERP, or NULL */
	const char *rpath, *runpath;    /* DT_RPATH, DT_RUNPATH, or NULL */
	const char *needed[LDD_MAX_NEEDED];
	size_t nneeded;
};

static const char *const ldd_default_dirs[] = {
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib", "/usr/lib",
};

/* ldd_str(e, off, len): the NUL-terminated string at file offset off, within len bytes; NULL if not. */
static const char *ldd_str(const struct ldd_elf *e, uint64_t off, uint64_t len)
{
	uint64_t end;

	if (__builtin_add_overflow(off, len, &end) || end > e->len ||
	    !memchr(e->data + off, '\0', len))
		return NULL;
	return (const char *)e->data + off;
}

/* ldd_vaddr_off(e, ph, phnum, va, off): the file offset of address va (in a PT_LOAD's file bytes). */
static int ldd_vaddr_off(const Elf64_Phdr *ph, unsigned phnum, uint64_t va, uint64_t *off)
{
	for (unsigned i = 0; i < phnum; i++)
		if (ph[i].p_type == PT_LOAD && va >= ph[i].p_vaddr &&
		    va - ph[i].p_vaddr < ph[i].p_filesz) {
			*off = ph[i].p_offset + (va - ph[i].p_vaddr);
			return 0;
		}
	return -1;
}

/* ldd_dynamic(e, ph, phnum, dyn): DT_NEEDED, DT_RPATH and DT_RUNPATH of the PT_DYNAMIC at dyn; "why" or NULL. */
static const char *ldd_dynamic(struct ldd_elf *e, const Elf64_Phdr *ph, unsigned phnum,
			       const Elf64_Phdr *dyn)
{
	uint64_t end, n = dyn->p_filesz / sizeof(Elf64_Dyn), strtab = 0, strsz = 0, stroff;
	const Elf64_Dyn *d = (const Elf64_Dyn *)(e->data + dyn->p_offset);
	uint64_t rpath = UINT64_MAX, runpath = UINT64_MAX;

	if (__builtin_add_overflow(dyn->p_offset, dyn->p_filesz, &end) || end > e->len ||
	    dyn->p_offset % 8)
		return "PT_DYNAMIC lies outside the file";
	for (uint64_t i = 0; i < n && d[i].d_tag != DT_NULL; i++) {
		if (d[i].d_tag == DT_STRTAB)
			strtab = d[i].d_un.d_ptr;
		else if (d[i].d_tag == DT_STRSZ)
			strsz = d[i].d_un.d_val;
	}
	if (!strtab || ldd_vaddr_off(ph, phnum, strtab, &stroff) ||
	    __builtin_add_overflow(stroff, strsz, &end) || end > e->len)
		return "DT_STRTAB lies outside the file";
	for (uint64_t i = 0; i < n && d[i].d_tag != DT_NULL; i++) {
		uint64_t v = d[i].d_un.d_val;
		const char *s = v < strsz ? ldd_str(e, stroff + v, strsz - v) : NULL;

		if (d[i].d_tag != DT_NEEDED && d[i].d_tag != DT_RPATH && d[i].d_tag != DT_RUNPATH)
			continue;
		if (!s)
			return "a DT_NEEDED, DT_RPATH or DT_RUNPATH string lies outside DT_STRTAB";
		if (d[i].d_tag == DT_RPATH && rpath == UINT64_MAX)
			rpath = v, e->rpath = s;
		else if (d[i].d_tag == DT_RUNPATH && runpath == UINT64_MAX)
			runpath = v, e->runpath = s;
		else if (d[i].d_tag == DT_NEEDED && e->nneeded == LDD_MAX_NEEDED)
			return "more than 128 DT_NEEDED entries";
		else if (d[i].d_tag == DT_NEEDED)
			e->needed[e->nneeded++] = s;
	}
	return NULL;
}

/* ldd_parse(e): the program headers of e's bytes; "why" or NULL. */
static const char *ldd_parse(struct ldd_elf *e)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)e->data;
	const Elf64_Phdr *ph;
	uint64_t end;

	if (e->len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return "not an ELF file";
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_machine != EM_X86_64)
		return "not an x86-64 ELF64 file";
	if (eh->e_phentsize != sizeof(*ph) || eh->e_phoff % 8 ||
	    __builtin_add_overflow(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(*ph), &end) ||
	    end > e->len)
		return "its program headers lie outside the file";
	ph = (const Elf64_Phdr *)(e->data + eh->e_phoff);
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		const char *why;

		if (ph[i].p_type == PT_INTERP && !e->interp &&
		    !(e->interp = ldd_str(e, ph[i].p_offset, ph[i].p_filesz)))
			return "PT_INTERP is not a string inside the file";
		if (ph[i].p_type == PT_DYNAMIC && (why = ldd_dynamic(e, ph, eh->e_phnum, &ph[i])))
			return why;
	}
	return NULL;
}

/* ldd_is_x86_64(path): is path a file starting like an x86-64 ELF64? (ld.so skips others) */
static int ldd_is_x86_64(const char *path)
{
	Elf64_Ehdr eh;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, &eh, sizeof(eh));

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)sizeof(eh) && !memcmp(eh.e_ident, ELFMAG, SELFMAG) &&
	       eh.e_ident[EI_CLASS] == ELFCLASS64 && eh.e_machine == EM_X86_64;
}

/* ldd_try_dirs(list, origin, name, found): name in one of list's ':'-separated dirs ($ORIGIN expanded). */
static int ldd_try_dirs(const char *list, const char *origin, const char *name, char *found)
{
	while (list && *list) {
		size_t n = strcspn(list, ":"), tn = n;
		const char *pre = "", *tail = list;
		char dir[PATH_MAX];

		if (n >= 9 && !strncmp(list, "${ORIGIN}", 9))
			pre = origin, tail = list + 9, tn = n - 9;
		else if (n >= 7 && !strncmp(list, "$ORIGIN", 7))
			pre = origin, tail = list + 7, tn = n - 7;
		snprintf(dir, sizeof(dir), "%s%.*s", pre, (int)tn, tail);
		if (n && snprintf(found, PATH_MAX, "%s/%s", dir, name) < PATH_MAX &&
		    ldd_is_x86_64(found))
			return 0;
		list += n + (list[n] == ':');
	}
	return -1;
}

/* ldd_conf_file(path, found, name, depth): the dirs of one ld.so.conf file (and its includes). */
static int ldd_conf_file(const char *path, const char *name, char *found, int depth)
{
	FILE *f = depth < 4 ? fopen(path, "re") : NULL;
	char line[PATH_MAX];
	int rc = -1;

	while (f && rc && fgets(line, sizeof(line), f)) {
		char *s = line + strspn(line, " \t"), *hash = strchr(s, '#');
		glob_t g;

		if (hash)
			*hash = '\0';
		s[strcspn(s, "\r\n")] = '\0';
		while (*s && (s[strlen(s) - 1] == ' ' || s[strlen(s) - 1] == '\t'))
			s[strlen(s) - 1] = '\0';
		if (!strncmp(s, "include", 7) && (s[7] == ' ' || s[7] == '\t')) {
			char pat[PATH_MAX];

			s += 8 + strspn(s + 8, " \t");
			snprintf(pat, sizeof(pat), "%s%s", *s == '/' ? "" : "/etc/", s);
			if (glob(pat, 0, NULL, &g) == 0)
				for (size_t i = 0; rc && i < g.gl_pathc; i++)
					rc = ldd_conf_file(g.gl_pathv[i], name, found, depth + 1);
			globfree(&g);
		} else if (*s == '/') {
			rc = ldd_try_dirs(s, "", name, found);
		}
	}
	if (f)
		fclose(f);
	return rc;
}

/* ldd_find(name, by, found): where ld.so on the host finds library name needed by object by. */
static int ldd_find(const char *name, const struct ldd_elf *by, const char *by_path, char *found)
{
	char origin[PATH_MAX];
	const char *slash;

	if (strchr(name, '/'))
		return snprintf(found, PATH_MAX, "%s", name) < PATH_MAX && ldd_is_x86_64(found) ? 0 : -1;
	if (!realpath(by_path, origin))
		snprintf(origin, sizeof(origin), "%s", by_path);
	slash = strrchr(origin, '/');
	origin[slash ? slash - origin : 0] = '\0';
	if (!by->runpath && !ldd_try_dirs(by->rpath, origin, name, found))
		return 0;
	if (!ldd_try_dirs(by->runpath, origin, name, found) ||
	    !ldd_conf_file(LDD_CONF, name, found, 0))
		return 0;
	for (size_t i = 0; i < sizeof(ldd_default_dirs) / sizeof(ldd_default_dirs[0]); i++)
		if (!ldd_try_dirs(ldd_default_dirs[i], "", name, found))
			return 0;
	return -1;
}

/* ldd_add(out, guest, host): add guest <- realpath(host) unless guest is in out; 0 or -errno. */
static int ldd_add(struct ldd_list *out, const char *guest, const char *host)
{
	struct ldd_file *v;
	char real[PATH_MAX];

	for (size_t i = 0; i < out->n; i++)
		if (!strcmp(out->v[i].guest, guest))
			return 0;
	if (!realpath(host, real))
		return -errno;
	v = realloc(out->v, (out->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	out->v = v;
	v[out->n].guest = strdup(guest);
	v[out->n].host = strdup(real);
	if (!v[out->n].guest || !v[out->n].host) {
		free(v[out->n].guest);
		free(v[out->n].host);
		return -ENOMEM;
	}
	out->n++;
	return 0;
}

/* ldd_load(path, e, err, errlen, prog): read and parse one object. */
static int ldd_load(const char *path, struct ldd_elf *e, const char *prog, char *err,
		    size_t errlen)
{
	const char *why;
	int rc;

	*e = (struct ldd_elf){ 0 };
	rc = read_whole_file(path, &e->data, &e->len);
	if (rc) {
		snprintf(err, errlen, "%s%s%s: %s", prog, path == prog ? "" : ": ",
			 path == prog ? "" : path, strerror(-rc));
		return rc;
	}
	why = ldd_parse(e);
	if (why) {
		snprintf(err, errlen, "%s%s%s: %s", prog, path == prog ? "" : ": ",
			 path == prog ? "" : path, why);
		free(e->data);
		e->data = NULL;
		return -ENOEXEC;
	}
	return 0;
}

/*
 * ldd_needed(prog, e, path, interp, queue, err, errlen): queue e's DT_NEEDED
 * libraries not seen yet.  The dynamic linker's own name (libc.so.6 needs
 * ld-linux-x86-64.so.2) is the linker, already loaded: ld.so matches it by
 * its soname and never looks for a file.
 */
static int ldd_needed(const char *prog, const struct ldd_elf *e, const char *path,
		      const char *interp, struct ldd_list *queue, char *err, size_t errlen)
{
	const char *ibase = interp ? strrchr(interp, '/') : NULL;
	char found[PATH_MAX], guest[PATH_MAX];

	for (size_t i = 0; i < e->nneeded; i++) {
		const char *name = e->needed[i], *base = strrchr(name, '/');
		int rc;

		if (ibase && !strcmp(name, ibase + 1))
			continue;

		if (ldd_find(name, e, path, found)) {
			snprintf(err, errlen, "%s%s%s needs %s, which is not in its DT_RUNPATH, "
				 "/etc/ld.so.conf or /lib/x86_64-linux-gnu, /usr/lib/x86_64-linux-gnu, "
				 "/lib, /usr/lib", prog, path == prog ? "" : ": ",
				 path == prog ? "" : path, name);
			return -ENOENT;
		}
		snprintf(guest, sizeof(guest), "%s/%s", LDD_GUEST_LIBDIR, base ? base + 1 : name);
		if (queue->n >= LDD_MAX_OBJS) {
			snprintf(err, errlen, "%s: more than %d libraries", prog, LDD_MAX_OBJS);
			return -E2BIG;
		}
		rc = ldd_add(queue, guest, found);
		if (rc) {
			snprintf(err, errlen, "%s: %s: %s", prog, found, strerror(-rc));
			return rc;
		}
	}
	return 0;
}

int ldd_resolve(const char *prog, const char *guest, struct ldd_list *out, char *err,
		size_t errlen)
{
	struct ldd_list queue = { 0 };
	struct ldd_elf e;
	char *interp = NULL;
	int rc = ldd_load(prog, &e, prog, err, errlen);

	if (rc)
		return rc;
	if (e.interp && !(interp = strdup(e.interp)))
		rc = -ENOMEM;
	if (interp && (rc = ldd_add(&queue, interp, interp)))
		snprintf(err, errlen, "%s: its PT_INTERP %s: %s", prog, interp, strerror(-rc));
	if (!rc)
		rc = ldd_needed(prog, &e, prog, interp, &queue, err, errlen);
	free(e.data);
	/* Breadth first: each queued library's own DT_NEEDED (the linker's are its own business). */
	for (size_t i = interp ? 1 : 0; !rc && i < queue.n; i++) {
		struct ldd_elf lib;

		rc = ldd_load(queue.v[i].host, &lib, prog, err, errlen);
		if (!rc)
			rc = ldd_needed(prog, &lib, queue.v[i].host, interp, &queue, err, errlen);
		free(lib.data);
	}
	free(interp);
	if (!rc && (rc = ldd_add(out, guest, prog)))
		snprintf(err, errlen, "%s: %s", prog, strerror(-rc));
	for (size_t i = 0; !rc && i < queue.n; i++)
		if ((rc = ldd_add(out, queue.v[i].guest, queue.v[i].host)))
			snprintf(err, errlen, "%s: %s", queue.v[i].host, strerror(-rc));
	ldd_list_free(&queue);
	return rc;
}

void ldd_list_free(struct ldd_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].guest);
		free(l->v[i].host);
	}
	free(l->v);
	*l = (struct ldd_list){ 0 };
}

/* ldd.h: the shared libraries a host program needs, found as ldd finds them (--add-program, --kmod). */
#ifndef MODVISOR_VMM_LDD_H
#define MODVISOR_VMM_LDD_H

#include <stddef.h>

/* Where the guest's dynamic linker looks first (it has no ld.so.cache). */
#define LDD_GUEST_LIBDIR "/lib/x86_64-linux-gnu"

/* One file a program needs: put host file `host` (a regular file) at guest path `guest`. */
struct ldd_file {
	char *guest;
	char *host;
};

/* The files of one or more programs, each guest path once. */
struct ldd_list {
	struct ldd_file *v;
	size_t n;
};

/*
 * ldd_resolve(prog, guest, out, err, errlen): add to out the program
 * `prog` (a host x86-64 ELF executable; at guest path `guest`), its
 * PT_INTERP dynamic linker (at the PT_INTERP path) and every shared library
 * it needs, directly or through another library (DT_NEEDED, breadth first).
 * A library is looked up as glibc's ld.so does on the host: the requiring
 * object's DT_RPATH (when it has no DT_RUNPATH), its DT_RUNPATH ($ORIGIN
 * expanded), the directories of /etc/ld.so.conf (with its `include`s),
 * then /lib/x86_64-linux-gnu, /usr/lib/x86_64-linux-gnu, /lib, /usr/lib;
 * a candidate that is not an x86-64 ELF64 file is skipped (LD_LIBRARY_PATH
 * is not consulted).  Each library goes to LDD_GUEST_LIBDIR/NAME, NAME as
 * DT_NEEDED spells it, copied from the file the host path resolves to.
 * A guest path already in out is not added again.  A statically linked
 * program adds itself only.  Returns 0, or -errno with a message naming
 * the program (and the library, "needs libfoo.so.1, which is not in ...")
 * in err.
 */
int ldd_resolve(const char *prog, const char *guest, struct ldd_list *out, char *err,
		size_t errlen);

/* ldd_list_free(l): free the list and its strings. */
void ldd_list_free(struct ldd_list *l);

#endif
